package sqldb_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// journeyMarker is free text of the journey that must never be stored or audited in clear.
const journeyMarker = "JOURNEY-MARKER-51f0 afraid of the men at the car wash"

func TestJourney(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewJourneyService(e.db)
		newOrg := func(name string, fr, spa bool) *waymark.Organisation {
			o := &waymark.Organisation{Name: name, Type: waymark.OrgLAHousing, Area: "Leeds", FirstResponder: fr, SpecifiedPublicAuthority: spa}
			mustOK(t, e.orgs.CreateOrganisation(ctx, system, o))
			return o
		}
		council := newOrg("Journey Council Housing", true, true)
		hostel := newOrg("Journey Hostel", false, false)
		partner := newOrg("Journey Freedom Trust", true, false)
		notFR := newOrg("Journey Day Centre", false, false)
		workerUser, worker := e.user(t, council, waymark.RoleFrontline)
		_, hostelWorker := e.user(t, hostel, waymark.RoleFrontline)
		_, analyst := e.user(t, council, waymark.RoleAnalyst)
		_, stranger := e.user(t, partner, waymark.RoleFrontline)
		c := &waymark.Client{GivenName: "Petru", FamilyName: "Lungu", EstimatedAge: 34, Situation: "rough_sleeping"}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
		h := &waymark.Client{GivenName: "Dina", EstimatedAge: 30}
		mustOK(t, e.clients.CreateClient(ctx, hostelWorker, h, nil))

		t.Run("a journey with nothing recorded reads back empty, and the plan asks what it needs", func(t *testing.T) {
			j, err := svc.FindJourney(ctx, worker, c.ID)
			mustOK(t, err)
			if j.Client.ID != c.ID || j.Organisation.ID != council.ID || j.Answers.Version != 0 || j.Partner != nil ||
				len(j.Consents)+len(j.Steps)+len(j.Referrals)+len(j.Decisions)+len(j.Milestones)+len(j.DutyToNotify) != 0 {
				t.Fatalf("empty journey %+v", j)
			}
			plan := waymark.PlanPathway(j.Facts(e.clock.Now()))
			var kinds []waymark.StepKind
			for _, s := range plan.Steps {
				kinds = append(kinds, s.Kind)
			}
			if diff := cmp.Diff([]waymark.StepKind{waymark.StepCheckDanger, waymark.StepAskConsent}, kinds); diff != "" {
				t.Errorf("plan for an adult not yet asked (-want +got):\n%s", diff)
			}
		})

		t.Run("answers are saved with a version, and a stale save is refused", func(t *testing.T) {
			a, err := svc.SaveAnswers(ctx, worker, c.ID, 0, waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerNo, Cooperates: waymark.AnswerYes})
			mustOK(t, err)
			if a.Version != 1 || a.UpdatedBy != workerUser.ID {
				t.Errorf("saved answers %+v, want version 1 by the worker", a)
			}
			_, err = svc.SaveAnswers(ctx, worker, c.ID, 0, waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerYes})
			wantCode(t, err, waymark.ECONFLICT)
			j, err := svc.FindJourney(ctx, worker, c.ID)
			mustOK(t, err)
			want := waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerNo, Cooperates: waymark.AnswerYes, Version: 1, UpdatedBy: workerUser.ID, UpdatedAt: e.clock.Now()}
			if diff := cmp.Diff(want, j.Answers); diff != "" {
				t.Errorf("answers read back (-want +got):\n%s", diff)
			}
		})

		t.Run("a partner must be another organisation that is a First Responder", func(t *testing.T) {
			for name, id := range map[string]string{"not a First Responder": notFR.ID, "its own organisation": hostel.ID, "no such organisation": "nope"} {
				_, err := svc.SaveAnswers(ctx, hostelWorker, h.ID, 0, waymark.PathwayAnswers{PartnerOrgID: id})
				wantCode(t, err, waymark.EINVALID)
				if diff := cmp.Diff([]string{"partner_org_id"}, keys(waymark.ErrorFields(err))); diff != "" {
					t.Errorf("%s: fields (-want +got):\n%s", name, diff)
				}
			}
			_, err := svc.SaveAnswers(ctx, hostelWorker, h.ID, 0, waymark.PathwayAnswers{PartnerOrgID: partner.ID, Under18: waymark.Under18No})
			mustOK(t, err)
			j, err := svc.FindJourney(ctx, hostelWorker, h.ID)
			mustOK(t, err)
			if j.Partner == nil || j.Partner.Name != partner.Name || j.Facts(e.clock.Now()).Partner != partner.Name {
				t.Errorf("partner %+v, want %s", j.Partner, partner.Name)
			}
		})

		t.Run("a refusal is recorded with its reason sealed, and the plan turns to Duty to Notify", func(t *testing.T) {
			cs := &waymark.NRMConsent{Answer: waymark.ConsentRefused, AnsweredOn: "2026-11-10", AskedBy: "Sam Worker", RefusalReason: journeyMarker, AskAgainOn: "2026-12-10"}
			mustOK(t, svc.RecordConsent(ctx, worker, c.ID, cs))
			j, err := svc.FindJourney(ctx, worker, c.ID)
			mustOK(t, err)
			if len(j.Consents) != 1 || j.Consents[0].RefusalReason != journeyMarker || j.Consents[0].RecordedBy != workerUser.ID {
				t.Fatalf("consents %+v", j.Consents)
			}
			plan := waymark.PlanPathway(j.Facts(e.clock.Now()))
			if plan.Route != waymark.RouteAdultNoConsent || plan.Steps[0].Kind != waymark.StepDutyToNotify {
				t.Errorf("plan after a refusal at a specified public authority: %+v", plan)
			}
			var stored []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT refusal_reason FROM nrm_consents WHERE id = $1`, cs.ID).Scan(&stored))
			if bytes.Contains(stored, []byte("MARKER")) {
				t.Error("the refusal reason is stored in clear")
			}
			err = svc.RecordConsent(ctx, worker, c.ID, &waymark.NRMConsent{Answer: waymark.ConsentRefused, AnsweredOn: "2026-11-26", AskedBy: "Sam"})
			wantCode(t, err, waymark.EINVALID)
		})

		t.Run("steps, the referral, decisions, milestones and the Duty to Notify report read back in order", func(t *testing.T) {
			mustOK(t, svc.RecordStep(ctx, worker, c.ID, &waymark.StepRecord{Kind: waymark.StepPoliceReport, Outcome: waymark.StepDone, On: "2026-11-20",
				Reference: "NMP/123/26", Note: journeyMarker}))
			err := svc.RecordStep(ctx, worker, c.ID, &waymark.StepRecord{Kind: waymark.StepAskConsent, Outcome: waymark.StepDone, On: "2026-11-20"})
			wantCode(t, err, waymark.EINVALID)
			// Refused, an adult gets a Duty to Notify report, and no referral.
			mustOK(t, svc.RecordDutyToNotify(ctx, worker, c.ID, &waymark.DutyToNotifyRecord{SubmittedOn: "2026-11-12", Reference: "DTN-9"}))
			err = svc.RecordDutyToNotify(ctx, hostelWorker, h.ID, &waymark.DutyToNotifyRecord{SubmittedOn: "2026-11-26"})
			wantCode(t, err, waymark.EINVALID)
			err = svc.RecordReferral(ctx, worker, c.ID, &waymark.NRMReferral{SubmittedOn: "2026-11-21", FirstResponderOrgID: council.ID})
			wantCode(t, err, waymark.EINVALID)
			// Rested and safer, he consents; then he is referred, and a Duty to Notify report is no longer his route.
			e.clock.Advance(time.Minute)
			mustOK(t, svc.RecordConsent(ctx, worker, c.ID, &waymark.NRMConsent{Answer: waymark.ConsentGiven, AnsweredOn: "2026-11-20", AskedBy: "Sam Worker",
				ExplainedNRM: true, ExplainedSupport: true, ExplainedOutcomes: true, ExplainedSharing: true}))
			err = svc.RecordDutyToNotify(ctx, worker, c.ID, &waymark.DutyToNotifyRecord{SubmittedOn: "2026-11-26"})
			wantCode(t, err, waymark.EINVALID)
			err = svc.RecordReferral(ctx, worker, c.ID, &waymark.NRMReferral{SubmittedOn: "2026-11-21", FirstResponderOrgID: notFR.ID})
			wantCode(t, err, waymark.EINVALID)
			mustOK(t, svc.RecordReferral(ctx, worker, c.ID, &waymark.NRMReferral{SubmittedOn: "2026-11-21", FirstResponderOrgID: council.ID, Reference: "NRM-1"}))
			mustOK(t, svc.RecordDecision(ctx, worker, c.ID, &waymark.NRMDecision{Stage: waymark.ReasonableGrounds, Outcome: waymark.OutcomePositive,
				Authority: "single_competent_authority", DecidedOn: "2026-11-26"}))
			mustOK(t, svc.RecordMilestone(ctx, worker, c.ID, &waymark.NRMMilestone{Kind: "victim_care_end", On: "2027-02-01", Note: journeyMarker}))

			j, err := svc.FindJourney(ctx, worker, c.ID)
			mustOK(t, err)
			if len(j.Steps) != 1 || j.Steps[0].Note != journeyMarker || j.Steps[0].RecordedByName != workerUser.Name || j.Steps[0].Reference != "NMP/123/26" {
				t.Errorf("steps %+v", j.Steps)
			}
			if r := j.FirstReferral(); r == nil || r.FirstResponderName != council.Name || r.Reference != "NRM-1" {
				t.Errorf("referral %+v", r)
			}
			if len(j.Decisions) != 1 {
				t.Fatalf("decisions %+v", j.Decisions)
			}
			if days, ok := j.Decisions[0].DaysFromReferral(j.FirstReferral().SubmittedOn); !ok || days != 5 {
				t.Errorf("days from referral to decision = %d, %v; want 5", days, ok)
			}
			if len(j.Milestones) != 1 || j.Milestones[0].Note != journeyMarker || len(j.DutyToNotify) != 1 || j.DutyToNotify[0].Reference != "DTN-9" ||
				!j.DutyToNotify[0].AgreesToCooperate {
				t.Errorf("milestones %+v, duty to notify %+v", j.Milestones, j.DutyToNotify)
			}
		})

		t.Run("the journey is on the client's timeline, in labels only", func(t *testing.T) {
			rec, err := e.clients.FindClientRecord(ctx, worker, c.ID)
			mustOK(t, err)
			var got []string
			for _, ev := range rec.Timeline {
				if strings.Contains(ev.Summary, "MARKER") || strings.Contains(ev.Summary, "NMP/123") {
					t.Errorf("timeline event %q holds free text", ev.Summary)
				}
				switch ev.Kind {
				case "Consent", "Pathway", "NRM", "Duty to Notify":
					got = append(got, ev.Date+": "+ev.Summary)
				}
			}
			want := []string{
				"1 February 2027: Victim care support ended",
				"26 November 2026: Reasonable grounds decision: positive",
				"21 November 2026: NRM referral submitted",
				"20 November 2026: Asked about an NRM referral: Yes, they consent to an NRM referral",
				"20 November 2026: Reported to the police: done",
				"12 November 2026: Duty to Notify report made",
				"10 November 2026: Asked about an NRM referral: No, they do not consent",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("journey on the timeline (-want +got):\n%s", diff)
			}
		})

		t.Run("another organisation finds nothing and an analyst may do nothing", func(t *testing.T) {
			_, err := svc.FindJourney(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			wantCode(t, svc.RecordStep(ctx, stranger, c.ID, &waymark.StepRecord{}), waymark.ENOTFOUND)
			_, err = svc.FindJourney(ctx, analyst, c.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
			wantCode(t, svc.RecordDecision(ctx, analyst, c.ID, &waymark.NRMDecision{}), waymark.EFORBIDDEN)
		})

		t.Run("reads and changes are audited without the details", func(t *testing.T) {
			counts := e.countActions(t)
			for action, want := range map[string]int{waymark.AuditPathwayAnswered: 2, waymark.AuditConsentRecorded: 2, waymark.AuditStepRecorded: 1,
				waymark.AuditReferralRecorded: 1, waymark.AuditDecisionRecorded: 1, waymark.AuditMilestoneRecorded: 1, waymark.AuditDutyToNotifyRecorded: 1} {
				if counts[action] != want {
					t.Errorf("%d %s entries, want %d", counts[action], action, want)
				}
			}
			if counts[waymark.AuditJourneyViewed] < 5 {
				t.Errorf("%d journey views audited, want every read", counts[waymark.AuditJourneyViewed])
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{}), "MARKER", "Petru", "NMP/123", "NRM-1")
		})
	})
}
