package waymark

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var journeyNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func TestJourneyFacts(t *testing.T) {
	j := &Journey{
		Client:       &Client{EstimatedAge: 30, SupportNeeds: []SupportNeed{"mental_health"}, Situation: "hostel"},
		Organisation: &Organisation{FirstResponder: false, SpecifiedPublicAuthority: true},
		Partner:      &Organisation{Name: "Freedom Trust"},
		Answers:      PathwayAnswers{ImmediateDanger: AnswerNo, Cooperates: AnswerYes},
		Consents:     []*NRMConsent{{Answer: ConsentGiven}, {Answer: ConsentRefused, AskAgainOn: "2026-12-11"}},
	}
	t.Run("the record, the answers and the latest consent make the facts", func(t *testing.T) {
		want := PathwayFacts{ImmediateDanger: AnswerNo, Under18: Under18No, Consent: ConsentRefused, AskAgainOn: "2026-12-11",
			SpecifiedPublicAuthority: true, Partner: "Freedom Trust", Cooperates: AnswerYes, CareAndSupportNeeds: AnswerYes, Homeless: AnswerYes}
		if diff := cmp.Diff(want, j.Facts(journeyNow)); diff != "" {
			t.Errorf("facts (-want +got):\n%s", diff)
		}
	})
	t.Run("the worker's answers correct what the record suggests", func(t *testing.T) {
		j.Answers.Under18, j.Answers.CareAndSupportNeeds = Under18NotSure, AnswerNo
		f := j.Facts(journeyNow)
		if f.Under18 != Under18NotSure || f.CareAndSupportNeeds != AnswerNo {
			t.Errorf("facts %+v; want the worker's answers", f)
		}
	})
}

func TestJourneyValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		fields []string
	}{
		{"answers outside the lists are refused", (&PathwayAnswers{ImmediateDanger: "maybe", Under18: "17"}).Validate(), []string{"immediate_danger", "under_18"}},
		{"a step that gathers a fact is not recorded as taken", (&StepRecord{Kind: StepAskConsent, Outcome: StepDone, On: "2026-11-01"}).Validate(journeyNow), []string{"kind"}},
		{"a step not done needs a reason", (&StepRecord{Kind: StepPoliceReport, Outcome: StepDeclined, On: "2026-11-01"}).Validate(journeyNow), []string{"note"}},
		{"a step in the future is refused", (&StepRecord{Kind: StepPoliceReport, Outcome: StepDone, On: "2026-11-28"}).Validate(journeyNow), []string{"on"}},
		{"a referral needs its date and First Responder", (&NRMReferral{}).Validate(journeyNow), []string{"first_responder_org_id", "submitted_on"}},
		{"a milestone that has not happened is refused", (&NRMMilestone{Kind: "victim_care_start", On: "2026-12-01"}).Validate(journeyNow), []string{"on"}},
		{"an unknown milestone is refused", (&NRMMilestone{Kind: "party", On: "2026-11-01"}).Validate(journeyNow), []string{"kind"}},
		{"a Duty to Notify report needs its date", (&DutyToNotifyRecord{}).Validate(journeyNow), []string{"submitted_on"}},
		{"the planned end of support may be in the future", (&NRMMilestone{Kind: "victim_care_end", On: "2027-01-31"}).Validate(journeyNow), nil},
		{"a declined step with its reason is accepted", (&StepRecord{Kind: StepPoliceReport, Outcome: StepDeclined, On: "2026-11-27", Note: "Afraid"}).Validate(journeyNow), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for k := range ErrorFields(tc.err) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tc.fields, got, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("fields with messages (-want +got):\n%s\n%v", diff, tc.err)
			}
		})
	}
}
