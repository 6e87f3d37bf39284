package sqldb_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// allAnswered answers every criterion of the current framework.
func allAnswered(a waymark.AssessmentAnswer) map[string]waymark.CriterionAnswer {
	out := map[string]waymark.CriterionAnswer{}
	for _, c := range waymark.CurrentFramework().Criteria() {
		out[c.ID] = waymark.CriterionAnswer{Answer: a, Evidence: "See the quarterly report"}
	}
	return out
}

// seedMeasures gives an organisation a small set of records whose measures the test works out by
// hand; the clock stands at 27 November 2026, so the period runs from 28 November 2025.
func seedMeasures(t *testing.T, e *env, raw *sql.DB, org, other *waymark.Organisation, by string) {
	t.Helper()
	at := func(day string) time.Time {
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(12 * time.Hour)
	}
	client := func(id, orgID, concern, created string, complete bool) {
		gender, nat, age := "", "", 0
		if complete {
			gender, nat, age = "male", "RO", 30
		}
		exec(t, raw, `INSERT INTO clients (id, org_id, concern_status, gender, nationalities, estimated_age, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			id, orgID, concern, gender, nat, age, at(created), at(created))
	}
	// c1: no concerns, added and screened in the period. c2: suspected with an exploitation
	// situation, and a complete referral decided in 10 days. c3: suspected without one, a case
	// note in the period, an incomplete referral decided in 20 days. c4: not yet asked, idle.
	client("sa-c1", org.ID, "no_concerns", "2026-06-01", false)
	client("sa-c2", org.ID, "suspected", "2024-01-01", true)
	client("sa-c3", org.ID, "suspected", "2024-01-01", true)
	client("sa-c4", org.ID, "not_yet_asked", "2025-01-01", false)
	client("sa-x1", other.ID, "no_concerns", "2026-06-01", false)
	exec(t, raw, `INSERT INTO screenings (id, client_id, org_id, set_id, asked_at, answers, proposed_status) VALUES ($1, $2, $3, 'hmis-trafficking-v1', $4, '{}', 'no_concerns')`,
		"sa-s1", "sa-c1", org.ID, at("2026-06-02"))
	exec(t, raw, `INSERT INTO screenings (id, client_id, org_id, set_id, asked_at, answers, proposed_status) VALUES ($1, $2, $3, 'hmis-trafficking-v1', $4, '{}', 'no_concerns')`,
		"sa-s2", "sa-x1", other.ID, at("2026-06-02"))
	exec(t, raw, `INSERT INTO case_notes (id, client_id, org_id, author_id, created_at, updated_at, body) VALUES ('sa-n1', 'sa-c3', $1, $2, $3, $4, $5)`,
		org.ID, by, at("2026-05-01"), at("2026-05-01"), []byte("x"))
	exec(t, raw, `INSERT INTO exploitation_episodes (id, client_id, org_id, types, recruitment, recorded_by, recorded_at) VALUES ('sa-e1', 'sa-c2', $1, 'labour', 'job_offer', $2, $3)`,
		org.ID, by, at("2024-01-02"))
	referral := func(id, client, on string) {
		exec(t, raw, `INSERT INTO nrm_referrals (id, client_id, org_id, submitted_on, first_responder_org_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, client, org.ID, on, org.ID, by, at(on))
	}
	decision := func(id, client, on string) {
		exec(t, raw, `INSERT INTO nrm_decisions (id, client_id, org_id, stage, outcome, authority, decided_on, recorded_by, recorded_at) VALUES ($1, $2, $3, 'reasonable_grounds', 'positive', 'sccu', $4, $5, $6)`,
			id, client, org.ID, on, by, at(on))
	}
	referral("sa-r0", "sa-c2", "2025-01-01")
	decision("sa-d0", "sa-c2", "2025-02-01")
	referral("sa-r1", "sa-c2", "2026-03-01")
	decision("sa-d1", "sa-c2", "2026-03-11")
	referral("sa-r2", "sa-c3", "2026-04-01")
	decision("sa-d2", "sa-c3", "2026-04-21")
	// Support ended on 15 January 2026: follow-ups at 1, 3 and 6 months fell due in the period,
	// and those at 1 and 3 were recorded.
	exec(t, raw, `INSERT INTO move_on_plans (id, client_id, org_id, version, support_ends_on, accommodation_type, accommodation_status, housing_duty, housing_authority,
		housing_applied_on, benefits, immigration_status, leave_expires_on, gp_registered, employment, recorded_by, recorded_at)
		VALUES ('sa-p1', 'sa-c2', $1, 1, '2026-01-15', '', '', '', '', '', '', '', '', '', '', $2, $3)`, org.ID, by, at("2025-12-01"))
	for _, m := range []int{1, 3} {
		due := waymark.AddMonths("2026-01-15", m)
		exec(t, raw, `INSERT INTO follow_ups (id, client_id, org_id, months, due_on, contacted, stable_accommodation, rough_sleeping, re_exploited, in_contact, attempts,
			version, recorded_by, recorded_at) VALUES ($1, 'sa-c2', $2, $3, $4, TRUE, 'yes', 'no', 'no', 'yes', '', 1, $5, $6)`,
			"sa-f"+due, org.ID, m, due, by, at(due))
	}
	agreement := func(id, status string, confirmedOther bool) {
		exec(t, raw, `INSERT INTO data_sharing_agreements (id, title, reference, purposes, lawful_basis, start_on, end_on, review_on, status, recorded_by_org_id, version, updated_by, updated_at)
			VALUES ($1, 'Agreement', '', ',support,', 'consent', '2026-01-01', '', '2027-01-01', $2, $3, 1, $4, $5)`, id, status, org.ID, by, at("2026-01-01"))
		exec(t, raw, `INSERT INTO agreement_parties (agreement_id, org_id, position, confirmed_at) VALUES ($1, $2, 0, $3)`, id, org.ID, at("2026-01-01"))
		var confirmed any
		if confirmedOther {
			confirmed = at("2026-01-02")
		}
		exec(t, raw, `INSERT INTO agreement_parties (agreement_id, org_id, position, confirmed_at) VALUES ($1, $2, 1, $3)`, id, other.ID, confirmed)
	}
	agreement("sa-a1", "active", true)
	agreement("sa-a2", "active", false)
	agreement("sa-a3", "terminated", true)
	conference := func(id, status, on string) {
		exec(t, raw, `INSERT INTO conferences (id, chair_org_id, title, held_on, status, created_by, created_at, version, updated_by, updated_at)
			VALUES ($1, $2, 'Conference', $3, $4, $5, $6, 1, $7, $8)`, id, other.ID, on, status, by, at(on), by, at(on))
		exec(t, raw, `INSERT INTO conference_orgs (conference_id, org_id, position) VALUES ($1, $2, 0)`, id, other.ID)
		exec(t, raw, `INSERT INTO conference_orgs (conference_id, org_id, position) VALUES ($1, $2, 1)`, id, org.ID)
	}
	conference("sa-k1", "held", "2026-05-01")
	conference("sa-k2", "cancelled", "2026-06-01")
	conference("sa-k3", "held", "2025-06-01")
	for i, on := range []string{"2026-02-01", "2026-09-01", "2025-10-01"} {
		exec(t, raw, `INSERT INTO awareness_activities (id, org_id, held_on, audience, attending, topic, delivered_by, notes, version, recorded_by, created_at, updated_at)
			VALUES ($1, $2, $3, 'clients', 10, 'Topic', '', '', 1, $4, $5, $6)`, "sa-w"+itoa64(int64(i)), org.ID, on, by, at(on), at(on))
	}
}

func TestSelfAssessment(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewSelfAssessmentService(e.db)
		training := sqldb.NewTrainingService(e.db)
		hostel := e.org(t, "Assessing Hostel", false)
		outreach := e.org(t, "Assessing Outreach", false)
		managerUser, manager := e.user(t, hostel, waymark.RoleManager)
		worker, workerActor := e.user(t, hostel, waymark.RoleFrontline)
		e.user(t, hostel, waymark.RoleFrontline)
		e.user(t, hostel, waymark.RoleSafeguardingLead)
		_, otherManager := e.user(t, outreach, waymark.RoleManager)
		_, analyst := e.user(t, outreach, waymark.RoleAnalyst)
		_, admin := e.user(t, hostel, waymark.RoleOrgAdmin)
		raw := e.raw(t)
		seedMeasures(t, e, raw, hostel, outreach, managerUser.ID)
		course := &waymark.Course{Name: "Awareness", Provider: "Board", Level: waymark.LevelAwareness, ValidityMonths: 24}
		mustOK(t, training.CreateCourse(ctx, manager, course))
		mustOK(t, training.RecordCompletion(ctx, manager, &waymark.TrainingCompletion{CourseID: course.ID, UserID: worker.ID, CompletedOn: "2026-03-01"}))

		var draft *waymark.Assessment
		t.Run("a manager starts a draft with the measures computed from the records", func(t *testing.T) {
			var err error
			draft, err = svc.StartAssessment(ctx, manager)
			mustOK(t, err)
			got, err := svc.FindAssessment(ctx, manager, draft.ID)
			mustOK(t, err)
			pct := func(key string, n, d int, v float64) waymark.Measure {
				return waymark.Measure{Key: key, Known: true, Value: v, Numerator: n, Denominator: d}
			}
			n := func(key string, v float64) waymark.Measure { return waymark.Measure{Key: key, Known: true, Value: v} }
			want := map[string]waymark.Measure{
				// One of three counted frontline people is trained.
				waymark.MeasureTrainingCoverage: pct(waymark.MeasureTrainingCoverage, 1, 3, 100.0/3),
				// c1 (no concerns) and c2 (with a situation) of four clients.
				waymark.MeasureFieldsRecorded: pct(waymark.MeasureFieldsRecorded, 2, 4, 50),
				// c1 and c3 were active; c1 was screened.
				waymark.MeasureScreeningRate: pct(waymark.MeasureScreeningRate, 1, 2, 50),
				// c2's referral had the facts, c3's did not.
				waymark.MeasurePackCompleteness: pct(waymark.MeasurePackCompleteness, 1, 2, 50),
				// 10 and 20 days; the 2025 decision is outside the period.
				waymark.MeasureRGMedianDays:            {Key: waymark.MeasureRGMedianDays, Known: true, Value: 15, Denominator: 2},
				waymark.MeasureFollowUpCompletion:      pct(waymark.MeasureFollowUpCompletion, 2, 3, 200.0/3),
				waymark.MeasureActiveAgreements:        n(waymark.MeasureActiveAgreements, 1),
				waymark.MeasureConferenceParticipation: n(waymark.MeasureConferenceParticipation, 1),
				waymark.MeasureAwarenessSessions:       n(waymark.MeasureAwarenessSessions, 2),
			}
			if d := cmp.Diff(want, got.Measures.Values); d != "" {
				t.Errorf("measures (-want +got):\n%s", d)
			}
			if got.Measures.From != "2025-11-28" || got.Measures.On != "2026-11-27" {
				t.Errorf("period %s to %s", got.Measures.From, got.Measures.On)
			}
		})
		t.Run("another organisation has no data and says why", func(t *testing.T) {
			a, err := svc.StartAssessment(ctx, otherManager)
			mustOK(t, err)
			got, err := svc.FindAssessment(ctx, otherManager, a.ID)
			mustOK(t, err)
			if m := got.Measures.Values[waymark.MeasureRGMedianDays]; m.Known || m.NoData != "No reasonable grounds decisions in the period" {
				t.Errorf("measure %+v", m)
			}
		})
		t.Run("starting again returns the open draft", func(t *testing.T) {
			again, err := svc.StartAssessment(ctx, manager)
			mustOK(t, err)
			if again.ID != draft.ID {
				t.Errorf("a second draft %s", again.ID)
			}
		})
		t.Run("another organisation's assessment is not found", func(t *testing.T) {
			_, err := svc.FindAssessment(ctx, otherManager, draft.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.SaveAssessment(ctx, otherManager, draft.ID, 1, nil, false)
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("frontline staff read but may not change; analysts may not read", func(t *testing.T) {
			_, err := svc.FindAssessment(ctx, workerActor, draft.ID)
			mustOK(t, err)
			_, err = svc.SaveAssessment(ctx, workerActor, draft.ID, 1, nil, false)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.StartAssessment(ctx, admin)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.FindAssessments(ctx, analyst)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("saving a draft keeps the answers and a stale save is a conflict", func(t *testing.T) {
			got, err := svc.SaveAssessment(ctx, manager, draft.ID, 1, map[string]waymark.CriterionAnswer{"r1-sessions": {Answer: waymark.AssessPartly, Evidence: " Two sessions "}}, false)
			mustOK(t, err)
			if got.Version != 2 || got.Answers["r1-sessions"].Evidence != "Two sessions" {
				t.Errorf("saved %+v", got)
			}
			_, err = svc.SaveAssessment(ctx, manager, draft.ID, 1, nil, false)
			wantCode(t, err, waymark.ECONFLICT)
		})
		t.Run("completing needs every criterion answered", func(t *testing.T) {
			_, err := svc.SaveAssessment(ctx, manager, draft.ID, 2, map[string]waymark.CriterionAnswer{"r1-sessions": {Answer: waymark.AssessYes}}, true)
			wantCode(t, err, waymark.EINVALID)
			if !strings.Contains(waymark.ErrorFields(err)["answer-r7-routes"], "before completing") {
				t.Errorf("fields %v", waymark.ErrorFields(err))
			}
		})
		t.Run("completing freezes the measures as they were that day", func(t *testing.T) {
			done, err := svc.SaveAssessment(ctx, manager, draft.ID, 2, allAnswered(waymark.AssessYes), true)
			mustOK(t, err)
			if !done.Completed() || done.CompletedOn != "2026-11-27" {
				t.Fatalf("completed %+v", done)
			}
			exec(t, raw, `INSERT INTO awareness_activities (id, org_id, held_on, audience, attending, topic, delivered_by, notes, version, recorded_by, created_at, updated_at)
				VALUES ('sa-later', $1, '2026-11-26', 'clients', 10, 'Topic', '', '', 1, 'x', $2, $3)`, hostel.ID, e.clock.Now(), e.clock.Now())
			got, err := svc.FindAssessment(ctx, manager, draft.ID)
			mustOK(t, err)
			if v := got.Measures.Values[waymark.MeasureAwarenessSessions].Value; v != 2 {
				t.Errorf("awareness sessions %v after completion, want the frozen 2", v)
			}
			_, err = svc.SaveAssessment(ctx, manager, draft.ID, got.Version, allAnswered(waymark.AssessNo), false)
			wantCode(t, err, waymark.ECONFLICT)
			// R1: sessions 2 is amber, information yes is green.
			if r := got.Results()[0]; r.Score != 1.5 || r.RAG != waymark.Green {
				t.Errorf("R1 %+v", r)
			}
		})
		t.Run("a new draft starts from the last answers", func(t *testing.T) {
			next, err := svc.StartAssessment(ctx, manager)
			mustOK(t, err)
			if next.ID == draft.ID || next.Answers["r7-routes"].Answer != waymark.AssessYes {
				t.Errorf("next %+v", next)
			}
			list, err := svc.FindAssessments(ctx, workerActor)
			mustOK(t, err)
			if len(list) != 2 || list[0].ID != next.ID || list[1].ID != draft.ID {
				t.Errorf("list %d", len(list))
			}
		})
		t.Run("the action plan is kept, and a stale change is a conflict", func(t *testing.T) {
			p := &waymark.PlanAction{Text: "Book training for the night team", Owner: "Sam Carter", DueOn: "2027-03-31", Recommendation: "R2"}
			mustOK(t, svc.AddAction(ctx, manager, p))
			wantCode(t, svc.AddAction(ctx, manager, &waymark.PlanAction{}), waymark.EINVALID)
			wantCode(t, svc.AddAction(ctx, workerActor, &waymark.PlanAction{Text: "x", Owner: "y", DueOn: "2027-01-01"}), waymark.EFORBIDDEN)
			upd := *p
			upd.Status = waymark.PlanDone
			got, err := svc.UpdateAction(ctx, manager, p.ID, 1, upd)
			mustOK(t, err)
			if got.Version != 2 {
				t.Errorf("version %d", got.Version)
			}
			_, err = svc.UpdateAction(ctx, manager, p.ID, 1, upd)
			wantCode(t, err, waymark.ECONFLICT)
			_, err = svc.UpdateAction(ctx, otherManager, p.ID, 2, upd)
			wantCode(t, err, waymark.ENOTFOUND)
			list, err := svc.FindActions(ctx, workerActor)
			mustOK(t, err)
			if len(list) != 1 || list[0].Status != waymark.PlanDone {
				t.Errorf("plan %+v", list)
			}
			list, err = svc.FindActions(ctx, otherManager)
			mustOK(t, err)
			if len(list) != 0 {
				t.Errorf("another organisation sees %d actions", len(list))
			}
		})
		t.Run("every read and change is audited", func(t *testing.T) {
			got := e.countActions(t)
			for _, a := range []string{waymark.AuditAssessmentStarted, waymark.AuditAssessmentSaved, waymark.AuditAssessmentCompleted, waymark.AuditAssessmentViewed,
				waymark.AuditAssessmentsViewed, waymark.AuditPlanActionAdded, waymark.AuditPlanActionUpdated, waymark.AuditPlanViewed} {
				if got[a] == 0 {
					t.Errorf("no %s entry", a)
				}
			}
		})
	})
}

func TestSelfAssessmentRegion(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewSelfAssessmentService(e.db)
		var first waymark.Actor
		complete := func(name string, a waymark.AssessmentAnswer) waymark.Actor {
			o := e.org(t, name, false)
			_, m := e.user(t, o, waymark.RoleManager)
			d, err := svc.StartAssessment(ctx, m)
			mustOK(t, err)
			_, err = svc.SaveAssessment(ctx, m, d.ID, d.Version, allAnswered(a), true)
			mustOK(t, err)
			return m
		}
		answers := []waymark.AssessmentAnswer{waymark.AssessYes, waymark.AssessPartly, waymark.AssessNo, waymark.AssessYes}
		for i, a := range answers {
			m := complete("Regional Org "+itoa64(int64(i)), a)
			if i == 0 {
				first = m
			}
		}
		analystOrg := e.org(t, "Regional Analysts", false)
		_, analyst := e.user(t, analystOrg, waymark.RoleAnalyst)
		t.Run("with four organisations nothing regional is shown", func(t *testing.T) {
			got, err := svc.RegionalComparison(ctx, analyst)
			mustOK(t, err)
			if got.Shown || len(got.Rows) != 0 || got.Organisations != 4 || got.Organisations.String() != "fewer than 5" {
				t.Errorf("comparison %+v", got)
			}
		})
		complete("Regional Org 4", waymark.AssessPartly)
		t.Run("with five the quartiles are shown", func(t *testing.T) {
			got, err := svc.RegionalComparison(ctx, analyst)
			mustOK(t, err)
			if !got.Shown || len(got.Rows) != 7 {
				t.Fatalf("comparison %+v", got)
			}
			// R7 has no measures: scores 2, 1, 0, 2, 1.
			r7 := got.Rows[6]
			if d := cmp.Diff(waymark.Quartiles{Lower: 1, Median: 1, Upper: 2}, r7.Quartiles); d != "" || r7.OwnRated {
				t.Errorf("R7 %+v %s", r7, d)
			}
		})
		t.Run("a manager's own organisation is not among the five it is compared with", func(t *testing.T) {
			got, err := svc.RegionalComparison(ctx, first)
			mustOK(t, err)
			if got.Shown || got.Organisations != 4 {
				t.Errorf("compared with %d others: %+v", got.Organisations, got)
			}
		})
		complete("Regional Org 5", waymark.AssessNo)
		t.Run("a manager sees their own score beside the five others", func(t *testing.T) {
			got, err := svc.RegionalComparison(ctx, first)
			mustOK(t, err)
			if !got.Shown || got.Organisations != 5 {
				t.Fatalf("comparison %+v", got)
			}
			// R7 of the others: 1, 0, 2, 1, 0; the manager's own 2 beside them.
			if r7 := got.Rows[6]; !r7.OwnRated || r7.Own != 2 || r7.Quartiles != (waymark.Quartiles{Lower: 0, Median: 1, Upper: 1}) {
				t.Errorf("R7 %+v", r7)
			}
		})
		t.Run("frontline workers may not see the region", func(t *testing.T) {
			o := e.org(t, "Regional Frontline", false)
			_, w := e.user(t, o, waymark.RoleFrontline)
			_, err := svc.RegionalComparison(ctx, w)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
	})
}
