package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"waymark"
	"waymark/mail"
	"waymark/sqldb"
)

// jobCheckEvery is how often a server looks for background jobs that are due. The jobs table says
// which are due, so several servers on one database still run each job once.
const jobCheckEvery = time.Minute

// taskFlags are the thresholds of the tasks job.
type taskFlags struct {
	supportEndingDays, decisionOverdueDays string
}

func (t *taskFlags) register(fs interface {
	StringVar(*string, string, string, string)
}, e env) {
	fs.StringVar(&t.supportEndingDays, "support-ending-days", envOr(e, "WAYMARK_SUPPORT_ENDING_DAYS", strconv.Itoa(waymark.DefaultTaskSettings.SupportEndingDays)),
		"how many days before support ends a task warns of it (env WAYMARK_SUPPORT_ENDING_DAYS)")
	fs.StringVar(&t.decisionOverdueDays, "decision-overdue-days", envOr(e, "WAYMARK_DECISION_OVERDUE_DAYS", strconv.Itoa(waymark.DefaultTaskSettings.DecisionOverdueDays)),
		"how many days after an NRM referral with no reasonable grounds decision a task says to chase it (env WAYMARK_DECISION_OVERDUE_DAYS)")
}

// settings reads the thresholds: whole numbers of days from 1 to 365.
func (t *taskFlags) settings() (waymark.TaskSettings, error) {
	var s waymark.TaskSettings
	for _, f := range []struct {
		name, value string
		to          *int
	}{{"--support-ending-days", t.supportEndingDays, &s.SupportEndingDays}, {"--decision-overdue-days", t.decisionOverdueDays, &s.DecisionOverdueDays}} {
		n, err := strconv.Atoi(f.value)
		if err != nil || n < 1 || n > 365 {
			return s, fmt.Errorf("%s: %q is not a number of days from 1 to 365", f.name, f.value)
		}
		*f.to = n
	}
	return s, nil
}

// jobActor is who background jobs act as in the audit trail.
var jobActor = waymark.Actor{System: true, Via: "job"}

// backgroundJobs are the jobs every server runs; the email job only when an SMTP server is
// configured (sender not nil).
func backgroundJobs(db *sqldb.DB, settings waymark.TaskSettings, sender *mail.Sender, baseURL string, log *slog.Logger) []sqldb.Job {
	tasks := sqldb.NewTaskService(db)
	jobs := []sqldb.Job{{Name: "tasks.refresh", Every: 15 * time.Minute, Run: func(ctx context.Context) error {
		opened, closed, err := tasks.RefreshTasks(ctx, jobActor, settings)
		if err == nil {
			log.Info("tasks refreshed", "opened", opened, "closed", closed)
		}
		return err
	}}}
	if sender != nil {
		jobs = append(jobs, emailJob(sqldb.NewNotificationService(db), sender, baseURL, log))
	}
	return jobs
}

// emailJob sends each member of staff with new notifications one short email a run: how many
// there are and a link. It never names a client or says what a task is about: email leaves the
// system's protection. A failed email is tried again on the next runs, up to MaxEmailAttempts.
func emailJob(notes waymark.NotificationService, sender *mail.Sender, baseURL string, log *slog.Logger) sqldb.Job {
	return sqldb.Job{Name: "notifications.email", Every: time.Minute, Run: func(ctx context.Context) error {
		pending, err := notes.PendingEmails(ctx, jobActor)
		if err != nil {
			return err
		}
		failed := 0
		for _, n := range pending {
			sendErr := sender.Send(ctx, noticeEmail(n, baseURL))
			if sendErr != nil {
				failed++
				// A mail server's answer often repeats the recipient's address: the log names the
				// user by ID instead.
				log.Warn("email notice not sent; it is tried again later", "server", sender.String(), "user", n.UserID,
					"error", strings.ReplaceAll(sendErr.Error(), n.Email, "<recipient>"))
			}
			if err := notes.EmailSent(ctx, jobActor, n, sendErr); err != nil {
				return err
			}
		}
		if len(pending) > 0 {
			log.Info("email notices", "sent", len(pending)-failed, "failed", failed)
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d email notices not sent", failed, len(pending))
		}
		return nil
	}}
}

// noticeEmail is the email telling of n: a count and a link, nothing about anyone.
func noticeEmail(n waymark.EmailNotice, baseURL string) mail.Message {
	count := "1 new notification"
	if len(n.NotificationIDs) != 1 {
		count = strconv.Itoa(len(n.NotificationIDs)) + " new notifications"
	}
	return mail.Message{To: n.Email, Subject: "Waymark: you have " + count, Body: "You have " + count + " in Waymark.\n\n" +
		"Sign in to read them:\n" + strings.TrimSuffix(baseURL, "/") + "/notifications\n\n" +
		"This email does not say who or what they are about, to keep people safe. Please do not reply to it.\n"}
}

// mailFlags configure email notices.
type mailFlags struct{ smtpURL secretFlag }

func (m *mailFlags) register(fs interface {
	Var(flag.Value, string, string)
}, e env) {
	m.smtpURL = secretFlag(e.getenv("WAYMARK_SMTP_URL"))
	fs.Var(&m.smtpURL, "smtp-url",
		"SMTP server for email notices, smtp://USER:PASSWORD@HOST:587?from=waymark@your-domain; none sent when empty; give it in the environment, not on the command line (env WAYMARK_SMTP_URL)")
}

// sender opens the SMTP server the flags name, or nil when none is configured. Links in emails
// need the address people use, so --base-url is then required.
func (m *mailFlags) sender(baseURL string) (*mail.Sender, error) {
	if m.smtpURL == "" {
		return nil, nil
	}
	if baseURL == "" {
		return nil, fmt.Errorf("--smtp-url needs --base-url: the address people use to reach Waymark, for the link in each email")
	}
	s, err := mail.Open(string(m.smtpURL))
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	return s, nil
}

// runJobs runs the jobs that are due now and then every jobCheckEvery, until ctx ends. A job's own
// failure is kept in the jobs table and logged; it does not stop the others.
func runJobs(ctx context.Context, db *sqldb.DB, jobs []sqldb.Job, log *slog.Logger) {
	t := time.NewTicker(jobCheckEvery)
	defer t.Stop()
	for {
		if _, err := db.RunDueJobs(ctx, jobs); err != nil && ctx.Err() == nil {
			log.Error("background jobs", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
