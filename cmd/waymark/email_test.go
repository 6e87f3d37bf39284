package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"waymark"
	"waymark/mail"
	"waymark/mail/mailtest"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// TestEmailNotices runs the email job against an SMTP server started inside the test, on the demo
// region after the tasks job has opened its tasks.
func TestEmailNotices(t *testing.T) {
	t.Parallel()
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			var mu sync.Mutex
			now := time.Now()
			clock := func() time.Time {
				mu.Lock()
				defer mu.Unlock()
				return now
			}
			tr := newTestRegionAt(t, engine, 150, clock)
			smtp := mailtest.Start(t)
			sender, err := mail.Open(smtp.URL())
			if err != nil {
				t.Fatal(err)
			}
			notes := sqldb.NewNotificationService(tr.db)
			job := emailJob(notes, sender, "https://waymark.example.org/", slog.New(slog.NewTextHandler(io.Discard, nil)))
			pending, err := notes.PendingEmails(ctx, jobActor)
			if err != nil {
				t.Fatal(err)
			}
			if len(pending) == 0 {
				t.Fatal("the demo's tasks notified nobody")
			}

			t.Run("a failed send is tried again once its wait is over", func(t *testing.T) {
				smtp.FailNext(len(pending))
				if err := job.Run(ctx); err == nil {
					t.Error("the job reported success when every email failed")
				}
				if again, err := notes.PendingEmails(ctx, jobActor); err != nil || len(again) != 0 {
					t.Errorf("%d notices pending straight after a failed run, %v; want none until the wait is over", len(again), err)
				}
				mu.Lock()
				now = now.Add(waymark.EmailRetryAfter(1))
				mu.Unlock()
				if again, err := notes.PendingEmails(ctx, jobActor); err != nil || len(again) != len(pending) {
					t.Errorf("%d notices pending after the wait, %v; want all %d", len(again), err, len(pending))
				}
			})
			t.Run("each member of staff gets one email with a count and a link, and no personal data", func(t *testing.T) {
				if err := job.Run(ctx); err != nil {
					t.Fatal(err)
				}
				got := smtp.Wait(len(pending), 5*time.Second)
				if len(got) != len(pending) {
					t.Fatalf("%d emails received; want %d", len(got), len(pending))
				}
				byAddress := map[string]string{}
				for _, m := range got {
					if len(m.To) != 1 {
						t.Fatalf("an email to %v; want one recipient each", m.To)
					}
					byAddress[m.To[0]] = m.Data
				}
				for _, n := range pending {
					data, ok := byAddress[n.Email]
					if !ok {
						t.Errorf("no email to %s", n.Email)
						continue
					}
					if !strings.Contains(data, "https://waymark.example.org/notifications") {
						t.Errorf("the email to %s has no link to the notifications page:\n%s", n.Email, data)
					}
					list, err := notes.FindNotifications(ctx, tr.actorByEmail(t, n.Email))
					if err != nil {
						t.Fatal(err)
					}
					for _, x := range list {
						for _, personal := range []string{x.ClientName, x.ClientReference, x.ClientID, x.Kind.Label()} {
							if personal != "" && strings.Contains(data, personal) {
								t.Errorf("the email to %s contains %q", n.Email, personal)
							}
						}
					}
				}
			})
			t.Run("nobody is told twice", func(t *testing.T) {
				before := len(smtp.Messages())
				if err := job.Run(ctx); err != nil {
					t.Fatal(err)
				}
				if after := len(smtp.Messages()); after != before {
					t.Errorf("%d more emails on a second run; want none", after-before)
				}
			})
		})
	}
}

// actorByEmail returns the demo user with the address, acting.
func (tr *testRegion) actorByEmail(t *testing.T, email string) waymark.Actor {
	t.Helper()
	for _, u := range tr.region.Users {
		if u.Email == email {
			return waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
		}
	}
	t.Fatalf("no demo user %s", email)
	return waymark.Actor{}
}

// TestSecretsStayOutOfHelp runs commands with passwords in the environment and a mistyped flag:
// the help that follows, which may well end up in a system log, shows neither password.
func TestSecretsStayOutOfHelp(t *testing.T) {
	env := map[string]string{
		"WAYMARK_SMTP_URL":     "smtp://waymark:SMTPSECRET@mail.example.org:587?from=waymark@example.org",
		"WAYMARK_DATABASE_URL": "postgres://waymark:DBSECRET@db.example.org:5432/waymark",
	}
	for _, cmd := range []string{"serve", "demo", "migrate"} {
		t.Run(cmd, func(t *testing.T) {
			var out, errb strings.Builder
			err := run(context.Background(), []string{cmd, "--no-such-flag"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
			if err == nil {
				t.Fatal("a mistyped flag was accepted")
			}
			for _, secret := range []string{"SMTPSECRET", "DBSECRET"} {
				if strings.Contains(out.String()+errb.String()+err.Error(), secret) {
					t.Errorf("the help shows the password %s:\n%s%s", secret, out.String(), errb.String())
				}
			}
		})
	}
}
