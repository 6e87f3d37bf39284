package sqldb_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestTasks(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		journeys, tasks := sqldb.NewJourneyService(e.db), sqldb.NewTaskService(e.db)
		council := &waymark.Organisation{Name: "Task Council", Type: waymark.OrgLAHousing, Area: "Leeds", FirstResponder: true, SpecifiedPublicAuthority: true}
		mustOK(t, e.orgs.CreateOrganisation(ctx, system, council))
		workerUser, worker := e.user(t, council, waymark.RoleFrontline)
		_, lead := e.user(t, council, waymark.RoleSafeguardingLead)
		_, manager := e.user(t, council, waymark.RoleManager)
		_, other := e.frontline(t, "Task Hostel")
		client := func(name string, status waymark.ConcernStatus, assigned string) *waymark.Client {
			c := &waymark.Client{GivenName: name, EstimatedAge: 30, ConcernStatus: status, AssignedWorkerID: assigned}
			mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
			return c
		}
		newConcern := client("Unassigned", waymark.ConcernSuspected, "")
		consenting := client("Consenting", waymark.ConcernDisclosed, workerUser.ID)
		refusing := client("Refusing", waymark.ConcernDisclosed, workerUser.ID)
		leaving := client("Leaving", waymark.ConcernConfirmed, workerUser.ID)
		client("Nothing", waymark.ConcernNone, workerUser.ID)
		settings := waymark.DefaultTaskSettings
		refresh := func(t *testing.T, wantOpened, wantClosed int) {
			t.Helper()
			opened, closed, err := tasks.RefreshTasks(ctx, system, settings)
			mustOK(t, err)
			if opened != wantOpened || closed != wantClosed {
				t.Errorf("refresh opened %d and closed %d, want %d and %d", opened, closed, wantOpened, wantClosed)
			}
		}
		// list names the tasks read, or the error reading them.
		list := func(got []*waymark.Task, err error) []string {
			if err != nil {
				return []string{"error: " + err.Error()}
			}
			var out []string
			for _, task := range got {
				out = append(out, task.ClientName+": "+string(task.Kind)+" "+task.DueOn)
			}
			sort.Strings(out)
			return out
		}

		mustOK(t, journeys.RecordConsent(ctx, worker, consenting.ID, &waymark.NRMConsent{Answer: waymark.ConsentGiven, AnsweredOn: "2026-11-27", AskedBy: "Sam",
			ExplainedNRM: true, ExplainedSupport: true, ExplainedOutcomes: true, ExplainedSharing: true}))
		mustOK(t, journeys.RecordConsent(ctx, worker, refusing.ID, &waymark.NRMConsent{Answer: waymark.ConsentRefused, AnsweredOn: "2026-11-27", AskedBy: "Sam",
			RefusalReason: "Not ready", AskAgainOn: "2026-12-11"}))
		mustOK(t, journeys.RecordDecision(ctx, worker, leaving.ID, &waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive,
			Authority: "single_competent_authority", DecidedOn: "2026-10-20"}))

		t.Run("the job opens a task for each condition that holds, once", func(t *testing.T) {
			refresh(t, 3, 0)
			refresh(t, 0, 0)
			want := []string{"Consenting: referral_pack 2026-11-27", "Leaving: move_on_gap 2026-12-04", "Unassigned: new_concern 2026-11-27"}
			if diff := cmp.Diff(want, list(tasks.FindOrganisationTasks(ctx, manager))); diff != "" {
				t.Errorf("organisation's tasks (-want +got):\n%s", diff)
			}
		})
		t.Run("a worker sees the tasks of their clients, a safeguarding lead also the unassigned", func(t *testing.T) {
			if diff := cmp.Diff([]string{"Consenting: referral_pack 2026-11-27", "Leaving: move_on_gap 2026-12-04"}, list(tasks.FindMyTasks(ctx, worker))); diff != "" {
				t.Errorf("worker's tasks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Unassigned: new_concern 2026-11-27"}, list(tasks.FindMyTasks(ctx, lead))); diff != "" {
				t.Errorf("lead's tasks (-want +got):\n%s", diff)
			}
			if got := list(tasks.FindMyTasks(ctx, other)); len(got) != 0 {
				t.Errorf("another organisation's worker sees %v", got)
			}
			open, overdue, err := tasks.CountMyTasks(ctx, worker)
			mustOK(t, err)
			if open != 2 || overdue != 0 {
				t.Errorf("the worker's counts are %d open, %d overdue; want 2 and 0", open, overdue)
			}
		})
		t.Run("tasks close when done, and new ones open as dates come", func(t *testing.T) {
			mustOK(t, journeys.RecordReferral(ctx, worker, consenting.ID, &waymark.NRMReferral{SubmittedOn: "2026-11-27", FirstResponderOrgID: council.ID}))
			_, err := journeys.SaveAnswers(ctx, lead, newConcern.ID, 0, waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerNo})
			mustOK(t, err)
			mustOK(t, journeys.RecordMilestone(ctx, worker, leaving.ID, &waymark.NRMMilestone{Kind: "victim_care_end", On: "2027-01-29"}))
			refresh(t, 0, 3)
			e.clock.Advance(14 * 24 * time.Hour) // 11 December: ask again
			refresh(t, 1, 0)
			e.clock.Advance(16 * 24 * time.Hour) // 27 December: no decision 30 days after the referral
			refresh(t, 1, 0)
			e.clock.Advance(20 * 24 * time.Hour) // 16 January: support ends within 30 days, with no home or income in place
			refresh(t, 1, 0)
			want := []string{"Consenting: no_reasonable_grounds 2026-12-27", "Leaving: move_on_gap 2027-01-29", "Refusing: ask_consent_again 2026-12-11"}
			if open, overdue, err := tasks.CountMyTasks(ctx, worker); err != nil || open != 3 || overdue != 2 {
				t.Errorf("CountMyTasks = %d, %d, %v; want 3 open, 2 of them overdue", open, overdue, err)
			}
			if diff := cmp.Diff(want, list(tasks.FindMyTasks(ctx, worker))); diff != "" {
				t.Errorf("worker's tasks (-want +got):\n%s", diff)
			}
			mustOK(t, journeys.RecordDecision(ctx, worker, consenting.ID, &waymark.NRMDecision{Stage: waymark.ReasonableGrounds, Outcome: waymark.OutcomePositive,
				Authority: "single_competent_authority", DecidedOn: "2027-01-15"}))
			refresh(t, 0, 1)
		})
		t.Run("a child by their record needs a referral once the pathway has started", func(t *testing.T) {
			child := client("Fifteen", waymark.ConcernSuspected, workerUser.ID)
			child.EstimatedAge = 15
			_, err := e.clients.UpdateClient(ctx, worker, child.ID, waymark.ClientUpdate{Version: 1, Client: *child})
			mustOK(t, err)
			// The worker goes by the record: no answer about age.
			_, err = journeys.SaveAnswers(ctx, worker, child.ID, 0, waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerNo})
			mustOK(t, err)
			refresh(t, 1, 0)
			got := list(tasks.FindMyTasks(ctx, worker))
			if !slices.Contains(got, "Fifteen: referral_pack 2027-01-16") {
				t.Errorf("worker's tasks %v; want the child's referral", got)
			}
		})
		t.Run("only the system runs the job, and only managers and safeguarding leads see the overview", func(t *testing.T) {
			_, _, err := tasks.RefreshTasks(ctx, manager, settings)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = tasks.FindOrganisationTasks(ctx, worker)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = tasks.FindOrganisationTasks(ctx, lead)
			mustOK(t, err)
		})
		t.Run("reading tasks is audited", func(t *testing.T) {
			entries := e.entriesFor(t, council.ID, waymark.AuditTasksViewed)
			if n := len(entries); n < 5 {
				t.Errorf("%d task list views audited, want every read", n)
			}
			// The entries name the clients shown, so a client's access history includes task lists.
			named := false
			for _, x := range entries {
				named = named || strings.Contains(x.Detail, newConcern.ID)
			}
			if !named {
				t.Errorf("no task list view names the client it showed: %+v", entries)
			}
		})
	})
}

func TestJobs(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		var mu sync.Mutex
		runs := map[string]int{}
		job := func(name string, fail error) sqldb.Job {
			return sqldb.Job{Name: name, Every: time.Hour, Run: func(context.Context) error {
				mu.Lock()
				defer mu.Unlock()
				runs[name]++
				return fail
			}}
		}
		jobs := []sqldb.Job{job("tasks", nil), job("broken", errors.New("the disk is full"))}

		t.Run("a new job runs at once, then not again until it is due", func(t *testing.T) {
			ran, err := e.db.RunDueJobs(ctx, jobs)
			mustOK(t, err)
			if diff := cmp.Diff([]string{"tasks", "broken"}, ran); diff != "" {
				t.Errorf("ran (-want +got):\n%s", diff)
			}
			ran, err = e.db.RunDueJobs(ctx, jobs)
			mustOK(t, err)
			if len(ran) != 0 {
				t.Errorf("ran %v again before it was due", ran)
			}
			e.clock.Advance(time.Hour)
			ran, err = e.db.RunDueJobs(ctx, jobs[:1])
			mustOK(t, err)
			if diff := cmp.Diff([]string{"tasks"}, ran); diff != "" {
				t.Errorf("ran an hour later (-want +got):\n%s", diff)
			}
		})
		t.Run("the schedule and each job's last error are kept in the database", func(t *testing.T) {
			status, err := e.db.FindJobs(ctx)
			mustOK(t, err)
			got := map[string]string{}
			for _, s := range status {
				got[s.Name] = s.LastError + " next " + s.NextRunAt.Sub(s.LastRunAt).String()
			}
			want := map[string]string{"broken": "the disk is full next 1h0m0s", "tasks": " next 1h0m0s"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("job status (-want +got):\n%s", diff)
			}
		})
		t.Run("of several servers running at once, one runs each due job", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			mu.Lock()
			before := runs["tasks"]
			mu.Unlock()
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					if _, err := e.db.RunDueJobs(ctx, jobs[:1]); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if n := runs["tasks"] - before; n != 1 {
				t.Errorf("the job ran %d times, want once", n)
			}
		})
		t.Run("a run whose claim another server took over does not clear that server's claim", func(t *testing.T) {
			e.clock.Advance(2 * time.Hour)
			other := e.clock.Now().Add(time.Hour)
			slow := sqldb.Job{Name: "tasks", Every: time.Hour, Run: func(context.Context) error {
				// Meanwhile another server, finding the claim run out, took the job over.
				exec(t, e.raw(t), `UPDATE jobs SET locked_until = $1 WHERE name = 'tasks'`, other)
				return nil
			}}
			ran, err := e.db.RunDueJobs(ctx, []sqldb.Job{slow})
			mustOK(t, err)
			if len(ran) != 0 {
				t.Errorf("ran %v recorded as finished though its claim was taken over", ran)
			}
			var n int
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT count(*) FROM jobs WHERE name = 'tasks' AND locked_until IS NOT NULL`).Scan(&n))
			if n != 1 {
				t.Error("the run cleared the other server's claim")
			}
			exec(t, e.raw(t), `UPDATE jobs SET locked_until = NULL WHERE name = 'tasks'`)
		})
		t.Run("a run whose server died is taken over when its claim expires", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			exec(t, e.raw(t), `UPDATE jobs SET locked_until = $1 WHERE name = 'tasks'`, e.clock.Now().Add(10*time.Minute))
			ran, err := e.db.RunDueJobs(ctx, jobs[:1])
			mustOK(t, err)
			if len(ran) != 0 {
				t.Errorf("ran %v while another server held it", ran)
			}
			e.clock.Advance(11 * time.Minute)
			ran, err = e.db.RunDueJobs(ctx, jobs[:1])
			mustOK(t, err)
			if len(ran) != 1 {
				t.Errorf("ran %v after the claim expired, want the job", ran)
			}
		})
	})
}
