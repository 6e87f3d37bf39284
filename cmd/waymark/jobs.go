package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"waymark"
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

// backgroundJobs are the jobs every server runs.
func backgroundJobs(db *sqldb.DB, settings waymark.TaskSettings, log *slog.Logger) []sqldb.Job {
	tasks := sqldb.NewTaskService(db)
	return []sqldb.Job{{Name: "tasks.refresh", Every: 15 * time.Minute, Run: func(ctx context.Context) error {
		opened, closed, err := tasks.RefreshTasks(ctx, waymark.Actor{System: true, Via: "job"}, settings)
		if err == nil {
			log.Info("tasks refreshed", "opened", opened, "closed", closed)
		}
		return err
	}}}
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
