package sqldb_test

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestMoveOn(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		moveOn, journeys := sqldb.NewMoveOnService(e.db), sqldb.NewJourneyService(e.db)
		org := e.org(t, "Move On Hostel", false)
		workerUser, worker := e.user(t, org, waymark.RoleFrontline)
		_, manager := e.user(t, org, waymark.RoleManager)
		_, admin := e.user(t, org, waymark.RoleOrgAdmin)
		_, lead := e.user(t, org, waymark.RoleSafeguardingLead)
		_, other := e.frontline(t, "Other Hostel")
		client := func(name string) *waymark.Client {
			c := &waymark.Client{GivenName: name, EstimatedAge: 30, ConcernStatus: waymark.ConcernConfirmed, AssignedWorkerID: workerUser.ID}
			mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
			return c
		}
		alex := client("Alex")
		plan := waymark.MoveOnPlan{SupportEndsOn: "2026-12-10", AccommodationType: "temporary_accommodation", AccommodationStatus: "looking",
			HousingDuty: "relief", HousingAuthority: "Leeds City Council", HousingAppliedOn: "2026-11-20",
			Benefits:          []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "claimed"}, {Benefit: "pip", Status: "not_claimed"}},
			ImmigrationStatus: "leave_to_remain", LeaveExpiresOn: "2028-01-31", GPRegistered: waymark.AnswerYes, Employment: "looking",
			SupportServices: "SERVICES-MARKER", Notes: "NOTES-MARKER"}

		t.Run("a plan is saved as a new version each time, with its history and sealed text", func(t *testing.T) {
			first := plan
			mustOK(t, moveOn.SavePlan(ctx, worker, alex.ID, 0, &first))
			e.clock.Advance(time.Hour)
			second := plan
			second.AccommodationStatus, second.Benefits = "secured", []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "in_payment"}}
			mustOK(t, moveOn.SavePlan(ctx, worker, alex.ID, 1, &second))
			m, err := moveOn.FindMoveOn(ctx, worker, alex.ID)
			mustOK(t, err)
			if m.Plan == nil || m.Plan.Version != 2 || len(m.History) != 2 {
				t.Fatalf("plan %+v with %d versions; want version 2 of 2", m.Plan, len(m.History))
			}
			got := *m.Plan
			want := second
			want.ID, want.ClientID, want.OrgID, want.RecordedBy, want.RecordedAt = got.ID, alex.ID, org.ID, workerUser.ID, got.RecordedAt
			want.RecordedByName = got.RecordedByName
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("plan read back (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"accommodation", "Universal Credit", "Personal Independence Payment"}, m.History[0].Changes(m.History[1])); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if m.SupportEnd != (waymark.SupportEnd{On: "2026-12-10", Source: "the move-on plan"}) {
				t.Errorf("support end %+v; want the plan's date", m.SupportEnd)
			}
			for _, col := range []string{"support_services", "notes"} {
				var sealed []byte
				mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT `+col+` FROM move_on_plans WHERE id = $1`, m.Plan.ID).Scan(&sealed))
				if !bytes.HasPrefix(sealed, []byte("wms1")) || bytes.Contains(sealed, []byte("MARKER")) {
					t.Errorf("stored %s %q is not sealed", col, sealed)
				}
			}
		})
		t.Run("a stale, invalid or unauthorised save is refused and nothing changes", func(t *testing.T) {
			p := plan
			wantCode(t, moveOn.SavePlan(ctx, worker, alex.ID, 1, &p), waymark.ECONFLICT)
			p.AccommodationType = "castle"
			wantCode(t, moveOn.SavePlan(ctx, worker, alex.ID, 2, &p), waymark.EINVALID)
			p = plan
			wantCode(t, moveOn.SavePlan(ctx, other, alex.ID, 2, &p), waymark.ENOTFOUND)
			wantCode(t, moveOn.SavePlan(ctx, admin, alex.ID, 2, &p), waymark.EFORBIDDEN)
			_, err := moveOn.FindMoveOn(ctx, other, alex.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			m, err := moveOn.FindMoveOn(ctx, worker, alex.ID)
			mustOK(t, err)
			if m.Plan.Version != 2 {
				t.Errorf("plan at version %d after refused saves; want 2", m.Plan.Version)
			}
		})
		t.Run("without a date in the plan, support ends with the NRM record", func(t *testing.T) {
			bea := client("Bea")
			mustOK(t, journeys.RecordDecision(ctx, worker, bea.ID, &waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive,
				Authority: "single_competent_authority", DecidedOn: "2026-11-01"}))
			m, err := moveOn.FindMoveOn(ctx, worker, bea.ID)
			mustOK(t, err)
			if m.SupportEnd.On != "2026-12-16" {
				t.Errorf("support end %+v; want 45 days after the decision", m.SupportEnd)
			}
			mustOK(t, journeys.RecordMilestone(ctx, worker, bea.ID, &waymark.NRMMilestone{Kind: "victim_care_end", On: "2027-01-05"}))
			m, err = moveOn.FindMoveOn(ctx, worker, bea.ID)
			mustOK(t, err)
			if m.SupportEnd.On != "2027-01-05" {
				t.Errorf("support end %+v; want the recorded end of victim care", m.SupportEnd)
			}
		})
		t.Run("follow-ups are recorded once support has ended, at the organisation's months", func(t *testing.T) {
			cal := client("Cal")
			contacted := &waymark.FollowUp{Months: 1, Contacted: true, StableAccommodation: waymark.AnswerYes, RoughSleeping: waymark.AnswerNo,
				ReExploited: waymark.AnswerNo, InContact: waymark.AnswerYes, Notes: "FOLLOW-MARKER"}
			wantCode(t, moveOn.RecordFollowUp(ctx, worker, cal.ID, 0, contacted), waymark.EINVALID)
			ended := plan
			ended.SupportEndsOn = "2026-09-30"
			mustOK(t, moveOn.SavePlan(ctx, worker, cal.ID, 0, &ended))
			mustOK(t, moveOn.RecordFollowUp(ctx, worker, cal.ID, 0, contacted))
			if contacted.DueOn != "2026-10-30" || contacted.Version != 1 {
				t.Errorf("follow-up due %s at version %d; want 2026-10-30 and 1", contacted.DueOn, contacted.Version)
			}
			wantCode(t, moveOn.RecordFollowUp(ctx, worker, cal.ID, 0, &waymark.FollowUp{Months: 2, Contacted: false,
				Attempts: []waymark.ContactAttempt{{On: "2026-11-20", Method: "phone"}}}), waymark.EINVALID)
			wantCode(t, moveOn.RecordFollowUp(ctx, worker, cal.ID, 0, contacted), waymark.ECONFLICT)
			corrected := *contacted
			corrected.StableAccommodation = waymark.AnswerNo
			mustOK(t, moveOn.RecordFollowUp(ctx, worker, cal.ID, 1, &corrected))
			m, err := moveOn.FindMoveOn(ctx, worker, cal.ID)
			mustOK(t, err)
			var status []string
			for _, s := range m.FollowUps {
				switch {
				case s.Record != nil:
					status = append(status, fmt.Sprintf("%d %s recorded v%d %s %s, %d earlier", s.Months, s.DueOn, s.Record.Version, s.Record.StableAccommodation, s.Record.Notes, len(s.Record.Earlier)))
				case s.Due(waymark.Today(e.clock.Now())):
					status = append(status, fmt.Sprintf("%d %s due", s.Months, s.DueOn))
				default:
					status = append(status, fmt.Sprintf("%d %s not due", s.Months, s.DueOn))
				}
			}
			want := []string{"1 2026-10-30 recorded v2 no FOLLOW-MARKER, 1 earlier", "3 2026-12-30 not due", "6 2027-03-30 not due", "12 2027-09-30 not due"}
			if diff := cmp.Diff(want, status); diff != "" {
				t.Errorf("follow-ups (-want +got):\n%s", diff)
			}
			if first := m.FollowUps[0].Record.Earlier[0]; first.StableAccommodation != waymark.AnswerYes || first.Version != 1 {
				t.Errorf("the corrected version kept is %+v; want the first answers", first)
			}
			early := moveOn.RecordFollowUp(ctx, worker, cal.ID, 0, &waymark.FollowUp{Months: 3, Attempts: []waymark.ContactAttempt{{On: "2026-11-20", Method: "phone"}}})
			if waymark.ErrorCode(early) != waymark.EINVALID || !strings.Contains(waymark.ErrorMessage(early), "due on 30 December 2026. You can record it from 16 December 2026") {
				t.Errorf("a follow-up a month early: %v; want it refused with when it can be recorded", early)
			}
		})
		t.Run("the plan and the follow-ups are on the client's timeline, labels only", func(t *testing.T) {
			rec, err := e.clients.FindClientRecord(ctx, worker, alex.ID)
			mustOK(t, err)
			var got []string
			for _, ev := range rec.Timeline {
				if ev.Kind == "Move-on" {
					got = append(got, ev.Summary)
				}
			}
			if diff := cmp.Diff([]string{"Move-on plan changed", "Move-on plan made"}, got); diff != "" {
				t.Errorf("timeline (-want +got):\n%s", diff)
			}
		})
		t.Run("the follow-up schedule is the organisation's own", func(t *testing.T) {
			got, err := moveOn.FollowUpSchedule(ctx, worker)
			mustOK(t, err)
			if diff := cmp.Diff(waymark.DefaultFollowUpMonths, got); diff != "" {
				t.Errorf("default schedule (-want +got):\n%s", diff)
			}
			wantCode(t, moveOn.SetFollowUpSchedule(ctx, worker, []int{2, 4}), waymark.EFORBIDDEN)
			wantCode(t, moveOn.SetFollowUpSchedule(ctx, manager, []int{4, 2}), waymark.EINVALID)
			mustOK(t, moveOn.SetFollowUpSchedule(ctx, admin, []int{1, 2, 3, 6, 12, 24}))
			got, err = moveOn.FollowUpSchedule(ctx, worker)
			mustOK(t, err)
			if diff := cmp.Diff([]int{1, 2, 3, 6, 12, 24}, got); diff != "" {
				t.Errorf("schedule (-want +got):\n%s", diff)
			}
			mustOK(t, moveOn.SetFollowUpSchedule(ctx, manager, waymark.DefaultFollowUpMonths))
		})
		t.Run("the cliff edge lists support ending without a home or income, and follow-ups due", func(t *testing.T) {
			// Alex: ends 2026-12-10 with a home secured and Universal Credit in payment, so not at the edge.
			// Bea: ends 2027-01-05, 39 days away: not yet. Cal: support ended, 1 month recorded, 3 months not yet due.
			dee := client("Dee")
			soon := plan
			soon.SupportEndsOn = "2026-12-20"
			mustOK(t, moveOn.SavePlan(ctx, worker, dee.ID, 0, &soon))
			eve := &waymark.Client{GivenName: "Eve", EstimatedAge: 40, ConcernStatus: waymark.ConcernConfirmed}
			mustOK(t, e.clients.CreateClient(ctx, manager, eve, nil))
			past := plan
			past.SupportEndsOn = "2026-10-01"
			mustOK(t, moveOn.SavePlan(ctx, manager, eve.ID, 0, &past))
			edge, err := moveOn.FindCliffEdge(ctx, manager, waymark.CliffEdgeOrganisation)
			mustOK(t, err)
			var got []string
			for _, x := range edge.Ending {
				got = append(got, fmt.Sprintf("%s ends %s in %d days; plan %t home %t income %t", x.ClientName, x.SupportEnd.On, x.DaysLeft, x.HasPlan, x.AccommodationInPlace, x.IncomeInPlace))
			}
			for _, x := range edge.Overdue {
				got = append(got, fmt.Sprintf("%s follow-up at %d months due %s, %d days ago", x.ClientName, x.Months, x.DueOn, x.DaysOverdue))
			}
			want := []string{"Dee ends 2026-12-20 in 23 days; plan true home false income false", "Eve follow-up at 1 months due 2026-11-01, 26 days ago"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("organisation's cliff edge (-want +got):\n%s", diff)
			}
			mine, err := moveOn.FindCliffEdge(ctx, worker, waymark.CliffEdgeMine)
			mustOK(t, err)
			if len(mine.Ending) != 1 || len(mine.Overdue) != 0 {
				t.Errorf("worker's cliff edge %+v; want Dee only (Eve is nobody's)", mine)
			}
			leads, err := moveOn.FindCliffEdge(ctx, lead, waymark.CliffEdgeMine)
			mustOK(t, err)
			if len(leads.Ending) != 0 || len(leads.Overdue) != 1 {
				t.Errorf("a safeguarding lead's own cliff edge %+v; want Eve, whom nobody is assigned to", leads)
			}
			_, err = moveOn.FindCliffEdge(ctx, worker, waymark.CliffEdgeOrganisation)
			wantCode(t, err, waymark.EFORBIDDEN)
			entries := e.entriesFor(t, org.ID, waymark.AuditCliffEdgeViewed)
			if len(entries) != 3 {
				t.Fatalf("%d cliff-edge views audited; want 3", len(entries))
			}
			noNames(t, entries, "Dee", "Eve")
		})
		t.Run("the tasks job opens cliff-edge and follow-up tasks and notifies whoever they are for", func(t *testing.T) {
			tasks, notes := sqldb.NewTaskService(e.db), sqldb.NewNotificationService(e.db)
			_, _, err := tasks.RefreshTasks(ctx, system, waymark.DefaultTaskSettings)
			mustOK(t, err)
			var got []string
			all, err := tasks.FindOrganisationTasks(ctx, manager)
			mustOK(t, err)
			// Each client also has a new concern task, which is not this test's business.
			for _, task := range all {
				if task.Kind != waymark.TaskNewConcern {
					got = append(got, task.ClientName+": "+string(task.Kind)+" "+task.DueOn)
				}
			}
			sort.Strings(got)
			want := []string{"Alex: support_ending 2026-12-10", "Dee: move_on_gap 2026-12-20", "Eve: follow_up_due 2026-11-01"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("tasks (-want +got):\n%s", diff)
			}
			names := func(a waymark.Actor) []string {
				ns, err := notes.FindNotifications(ctx, a)
				mustOK(t, err)
				var out []string
				for _, n := range ns {
					if n.Kind != waymark.TaskNewConcern {
						out = append(out, n.ClientName+": "+string(n.Kind))
					}
				}
				sort.Strings(out)
				return out
			}
			if diff := cmp.Diff([]string{"Alex: support_ending", "Dee: move_on_gap"}, names(worker)); diff != "" {
				t.Errorf("worker's notifications (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"Eve: follow_up_due"}, names(lead)); diff != "" {
				t.Errorf("safeguarding lead's notifications (-want +got):\n%s", diff)
			}
			if n, err := notes.CountUnread(ctx, worker); err != nil || n != 5 {
				t.Errorf("worker's unread = %d, %v; want 5 (two above and three new concerns)", n, err)
			}

			if on, err := notes.WantsEmail(ctx, worker); err != nil || !on {
				t.Errorf("WantsEmail before any choice = %t, %v; want yes", on, err)
			}
			mustOK(t, notes.SetWantsEmail(ctx, worker, false))
			if on, err := notes.WantsEmail(ctx, worker); err != nil || on {
				t.Errorf("WantsEmail after saying no = %t, %v; want no", on, err)
			}
			if pending, err := notes.PendingEmails(ctx, system); err != nil || len(pending) != 1 || pending[0].UserID == workerUser.ID {
				t.Errorf("email notices when the worker wants none: %+v, %v; want the lead's only", pending, err)
			}
			mustOK(t, notes.SetWantsEmail(ctx, worker, true))
			pending, err := notes.PendingEmails(ctx, system)
			mustOK(t, err)
			if len(pending) != 2 {
				t.Fatalf("%d email notices; want one each for the worker and the lead", len(pending))
			}
			_, err = notes.PendingEmails(ctx, manager)
			wantCode(t, err, waymark.EFORBIDDEN)
			mustOK(t, notes.EmailSent(ctx, system, pending[1], nil))
			mustOK(t, notes.EmailSent(ctx, system, pending[0], errors.New("451 try later")))
			if again, err := notes.PendingEmails(ctx, system); err != nil || len(again) != 0 {
				t.Errorf("email notices straight after a failure: %+v, %v; want none until the wait is over", again, err)
			}
			for attempt := 1; attempt < waymark.MaxEmailAttempts; attempt++ {
				e.clock.Advance(waymark.EmailRetryAfter(attempt))
				again, err := notes.PendingEmails(ctx, system)
				if err != nil || len(again) != 1 || again[0].UserID != pending[0].UserID {
					t.Fatalf("email notices after the wait for attempt %d: %+v, %v; want the failed one again", attempt+1, again, err)
				}
				mustOK(t, notes.EmailSent(ctx, system, again[0], errors.New("451 try later")))
			}
			e.clock.Advance(24 * time.Hour)

			if again, err := notes.PendingEmails(ctx, system); err != nil || len(again) != 0 {
				t.Errorf("email notices after sending and giving up: %+v, %v; want none", again, err)
			}

			ns, err := notes.FindNotifications(ctx, worker)
			mustOK(t, err)
			wantCode(t, notes.MarkRead(ctx, lead, ns[0].ID), waymark.ENOTFOUND)
			mustOK(t, notes.MarkRead(ctx, worker, ns[0].ID))
			if n, _ := notes.CountUnread(ctx, worker); n != 4 {
				t.Errorf("unread after marking one: %d; want 4", n)
			}
			mustOK(t, notes.MarkRead(ctx, worker, ""))
			if n, _ := notes.CountUnread(ctx, worker); n != 0 {
				t.Errorf("unread after marking all: %d; want 0", n)
			}
			noNames(t, e.entriesFor(t, org.ID, waymark.AuditNotificationsViewed), "Alex", "Dee", "Eve")
		})
		t.Run("outcomes are counted at 3, 6 and 12 months, small counts suppressed", func(t *testing.T) {
			// Six people whose support ended on 1 April: at 3 months five were in stable
			// accommodation and one could not be contacted; at 6 months two were reached.
			var outcomeClients []*waymark.Client
			for i := range 6 {
				c := client(fmt.Sprintf("Outcome%d", i))
				outcomeClients = append(outcomeClients, c)
				p := plan
				p.SupportEndsOn = "2026-04-01"
				mustOK(t, moveOn.SavePlan(ctx, worker, c.ID, 0, &p))
				three := &waymark.FollowUp{Months: 3, Contacted: true, StableAccommodation: waymark.AnswerYes, RoughSleeping: waymark.AnswerNo,
					ReExploited: waymark.AnswerNo, InContact: waymark.AnswerYes}
				if i == 5 {
					three = &waymark.FollowUp{Months: 3, Attempts: []waymark.ContactAttempt{{On: "2026-07-02", Method: "phone"}, {On: "2026-07-09", Method: "visit"}}}
				}
				mustOK(t, moveOn.RecordFollowUp(ctx, worker, c.ID, 0, three))
				if i < 2 {
					mustOK(t, moveOn.RecordFollowUp(ctx, worker, c.ID, 0, &waymark.FollowUp{Months: 6, Contacted: true, StableAccommodation: waymark.AnswerNo,
						RoughSleeping: waymark.AnswerYes, ReExploited: waymark.AnswerYes, InContact: waymark.AnswerYes}))
				}
			}
			_, err := moveOn.FindOutcomes(ctx, worker)
			wantCode(t, err, waymark.EFORBIDDEN)
			out, err := moveOn.FindOutcomes(ctx, manager)
			mustOK(t, err)
			// Cal and Eve's support ended less than three months ago, so only the six count.
			want := []waymark.OutcomeRow{
				{Months: 3, People: 6, StableAccommodation: 5, LostContact: 1},
				{Months: 6, People: 6, StableAccommodation: 0, ReturnedHomeless: 2, ReExploited: 2, NotRecorded: 4},
				{Months: 12},
			}
			if diff := cmp.Diff(want, out.Rows); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if s := out.Rows[1].ReturnedHomeless.String(); s != "fewer than 5" {
				t.Errorf("2 people shown as %q; want suppressed", s)
			}
			// One of the six refuses to be counted: every row leaves them out.
			mustOK(t, sqldb.NewConsentService(e.db).RecordConsent(ctx, worker, outcomeClients[5].ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForStatistics,
				Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionRefused, On: waymark.Today(e.clock.Now())}))
			out, err = moveOn.FindOutcomes(ctx, manager)
			mustOK(t, err)
			if out.Rows[0].People != 5 || out.Rows[0].LostContact != 0 {
				t.Errorf("outcomes at 3 months after one refused to be counted: %+v; want the five others", out.Rows[0])
			}
		})
	})
}
