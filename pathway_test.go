package waymark_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// pathwayNow is a London summer morning, when local and UTC dates differ just after midnight.
var pathwayNow = time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)

func kinds(steps []waymark.Step) []waymark.StepKind {
	var out []waymark.StepKind
	for _, s := range steps {
		out = append(out, s.Kind)
	}
	return out
}

func TestPlanPathway(t *testing.T) {
	t.Parallel()
	type k = []waymark.StepKind
	adult := waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18No}
	with := func(f waymark.PathwayFacts, change func(*waymark.PathwayFacts)) waymark.PathwayFacts {
		change(&f)
		return f
	}
	tests := []struct {
		name     string
		facts    waymark.PathwayFacts
		route    waymark.Route
		steps    k
		parallel k
	}{
		{"nothing known yet: check danger, then find out the age", waymark.PathwayFacts{},
			waymark.RouteUndecided, k{waymark.StepCheckDanger, waymark.StepConfirmAge}, nil},
		{"danger not known is checked before anything else", with(adult, func(f *waymark.PathwayFacts) { f.ImmediateDanger = waymark.AnswerNotKnown }),
			waymark.RouteUndecided, k{waymark.StepCheckDanger, waymark.StepAskConsent}, nil},
		{"immediate danger calls 999 first and records a crime reference", with(adult, func(f *waymark.PathwayFacts) {
			f.ImmediateDanger, f.Consent, f.FirstResponder = waymark.AnswerYes, waymark.ConsentGiven, true
		}), waymark.RouteAdultNRM, k{waymark.StepCallPolice, waymark.StepNRMReferral}, k{waymark.StepPoliceReport}},
		{"a child goes to children's services with an automatic NRM referral", waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18Yes, FirstResponder: true},
			waymark.RouteChild, k{waymark.StepChildrensServices, waymark.StepNRMReferral}, k{waymark.StepPoliceReport}},
		{"a child's referral needs no consent, even after a refusal", waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18Yes, FirstResponder: true, SpecifiedPublicAuthority: true, Consent: waymark.ConsentRefused},
			waymark.RouteChild, k{waymark.StepChildrensServices, waymark.StepNRMReferral}, k{waymark.StepPoliceReport}},
		{"someone whose age is not sure is treated as a child", waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18NotSure, Partner: "Harbour Trust"},
			waymark.RouteChild, k{waymark.StepChildrensServices, waymark.StepPartnerReferral}, k{waymark.StepPoliceReport}},
		{"a child at a service that is not a First Responder relies on children's services to refer", waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18Yes},
			waymark.RouteChild, k{waymark.StepChildrensServices, waymark.StepPartnerReferral}, k{waymark.StepPoliceReport}},
		{"a homeless child is housed by children's services, not a homelessness application", waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18Yes, Homeless: waymark.AnswerYes, CareAndSupportNeeds: waymark.AnswerYes},
			waymark.RouteChild, k{waymark.StepChildrensServices, waymark.StepPartnerReferral}, k{waymark.StepPoliceReport}},
		{"an adult not yet asked is asked for informed consent", adult,
			waymark.RouteUndecided, k{waymark.StepAskConsent}, nil},
		{"an adult who consents is referred by this First Responder", with(adult, func(f *waymark.PathwayFacts) { f.Consent, f.FirstResponder = waymark.ConsentGiven, true }),
			waymark.RouteAdultNRM, k{waymark.StepNRMReferral}, nil},
		{"an NRM referral by a specified public authority needs no Duty to Notify report", with(adult, func(f *waymark.PathwayFacts) {
			f.Consent, f.FirstResponder, f.SpecifiedPublicAuthority = waymark.ConsentGiven, true, true
		}), waymark.RouteAdultNRM, k{waymark.StepNRMReferral}, nil},
		{"an adult who consents at a service that is not a First Responder is referred by the partner", with(adult, func(f *waymark.PathwayFacts) { f.Consent, f.Partner = waymark.ConsentGiven, "Harbour Trust" }),
			waymark.RouteAdultNRM, k{waymark.StepPartnerReferral}, nil},
		{"an adult who consents with no partner First Responder chosen needs one chosen", with(adult, func(f *waymark.PathwayFacts) { f.Consent = waymark.ConsentGiven }),
			waymark.RouteAdultNRM, k{waymark.StepChoosePartner}, nil},
		{"an adult who refuses at a specified public authority gets a Duty to Notify report and a revisit", with(adult, func(f *waymark.PathwayFacts) {
			f.Consent, f.FirstResponder, f.SpecifiedPublicAuthority = waymark.ConsentRefused, true, true
		}), waymark.RouteAdultNoConsent, k{waymark.StepDutyToNotify, waymark.StepAskAgain}, nil},
		{"an adult who refuses elsewhere gets a recorded refusal and a revisit", with(adult, func(f *waymark.PathwayFacts) { f.Consent, f.Partner = waymark.ConsentRefused, "Harbour Trust" }),
			waymark.RouteAdultNoConsent, k{waymark.StepAskAgain}, nil},
		{"an adult with care and support needs gets an adult safeguarding referral", with(adult, func(f *waymark.PathwayFacts) { f.CareAndSupportNeeds = waymark.AnswerYes }),
			waymark.RouteUndecided, k{waymark.StepAskConsent}, k{waymark.StepAdultSafeguarding}},
		{"an adult whose care needs are not known is referred for the council to decide", with(adult, func(f *waymark.PathwayFacts) { f.CareAndSupportNeeds = waymark.AnswerNotKnown }),
			waymark.RouteUndecided, k{waymark.StepAskConsent}, k{waymark.StepAdultSafeguarding}},
		{"an adult without care needs gets no adult safeguarding referral", with(adult, func(f *waymark.PathwayFacts) { f.CareAndSupportNeeds = waymark.AnswerNo }),
			waymark.RouteUndecided, k{waymark.StepAskConsent}, nil},
		{"an adult who will help the police reports the crime", with(adult, func(f *waymark.PathwayFacts) { f.Cooperates = waymark.AnswerYes }),
			waymark.RouteUndecided, k{waymark.StepAskConsent}, k{waymark.StepPoliceReport}},
		{"a homeless adult gets help with a homelessness application", with(adult, func(f *waymark.PathwayFacts) { f.Homeless = waymark.AnswerYes }),
			waymark.RouteUndecided, k{waymark.StepAskConsent}, k{waymark.StepHomelessnessApplication}},
		{"every parallel step at once, in order", with(adult, func(f *waymark.PathwayFacts) {
			f.Consent, f.CareAndSupportNeeds, f.Cooperates, f.Homeless = waymark.ConsentRefused, waymark.AnswerYes, waymark.AnswerYes, waymark.AnswerYes
		}), waymark.RouteAdultNoConsent, k{waymark.StepAskAgain}, k{waymark.StepAdultSafeguarding, waymark.StepPoliceReport, waymark.StepHomelessnessApplication}},
		{"unknown age keeps only the parallel steps that do not depend on it", waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Cooperates: waymark.AnswerYes, Homeless: waymark.AnswerYes, CareAndSupportNeeds: waymark.AnswerYes},
			waymark.RouteUndecided, k{waymark.StepConfirmAge}, k{waymark.StepPoliceReport}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := waymark.PlanPathway(tt.facts)
			if p.Route != tt.route {
				t.Errorf("route = %q, want %q", p.Route, tt.route)
			}
			if diff := cmp.Diff(tt.steps, kinds(p.Steps)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.parallel, kinds(p.Parallel)); diff != "" {
				t.Errorf("parallel steps (-want +got):\n%s", diff)
			}
			for _, s := range slices.Concat(p.Steps, p.Parallel) {
				if s.Title == "" || s.Reason == "" || strings.Contains(s.Title+s.Reason, "  ") {
					t.Errorf("step %s: title %q and reason %q must both be written", s.Kind, s.Title, s.Reason)
				}
			}
		})
	}
}

func TestPathwayNamesWhoActs(t *testing.T) {
	t.Parallel()
	base := waymark.PathwayFacts{ImmediateDanger: waymark.AnswerNo, Under18: waymark.Under18No, Partner: "Harbour Trust"}
	tests := []struct {
		name  string
		facts func(*waymark.PathwayFacts)
		want  string
	}{
		{"the consent step says which partner will refer", func(*waymark.PathwayFacts) {}, "Harbour Trust, your partner First Responder, makes the referral"},
		{"the consent step warns a specified public authority of its duty", func(f *waymark.PathwayFacts) { f.SpecifiedPublicAuthority = true }, "Duty to Notify"},
		{"the partner referral names the partner", func(f *waymark.PathwayFacts) { f.Consent = waymark.ConsentGiven }, "Ask Harbour Trust to make the NRM referral"},
		{"the revisit shows the date to ask again", func(f *waymark.PathwayFacts) { f.Consent, f.AskAgainOn = waymark.ConsentRefused, "2026-06-29" }, "ask again on 29 June 2026"},
		{"a disputed age is marked on the record", func(f *waymark.PathwayFacts) { f.Under18 = waymark.Under18NotSure }, "Mark their age as disputed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base
			tt.facts(&f)
			p := waymark.PlanPathway(f)
			var text strings.Builder
			for _, s := range p.Steps {
				text.WriteString(s.Title + "\n" + s.Reason + "\n")
			}
			if !strings.Contains(text.String(), tt.want) {
				t.Errorf("steps do not say %q:\n%s", tt.want, text.String())
			}
		})
	}
}

func TestPathwayFactsFor(t *testing.T) {
	t.Parallel()
	c := &waymark.Client{DateOfBirth: "1990-04-23", Situation: "sofa_surfing", SupportNeeds: []waymark.SupportNeed{"mental_health"}}
	org := &waymark.Organisation{FirstResponder: true, SpecifiedPublicAuthority: true}
	want := waymark.PathwayFacts{Under18: waymark.Under18No, FirstResponder: true, SpecifiedPublicAuthority: true,
		CareAndSupportNeeds: waymark.AnswerYes, Homeless: waymark.AnswerYes}
	if diff := cmp.Diff(want, waymark.PathwayFactsFor(c, org, pathwayNow)); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	c = &waymark.Client{Situation: "own_tenancy"}
	want = waymark.PathwayFacts{Homeless: waymark.AnswerNo}
	if diff := cmp.Diff(want, waymark.PathwayFactsFor(c, &waymark.Organisation{}, pathwayNow)); diff != "" {
		t.Errorf("facts with nothing recorded (-want +got):\n%s", diff)
	}
}

func TestPathwayIsUnder18(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		client waymark.Client
		now    time.Time
		want   waymark.Under18
	}{
		{"nothing about age is not recorded", waymark.Client{}, pathwayNow, waymark.Under18NotRecorded},
		{"a disputed age is not sure, whatever the date of birth", waymark.Client{DateOfBirth: "1980-01-01", AgeDisputed: true}, pathwayNow, waymark.Under18NotSure},
		{"the day before the 18th birthday is under 18", waymark.Client{DateOfBirth: "2008-06-16"}, pathwayNow, waymark.Under18Yes},
		{"the 18th birthday is an adult", waymark.Client{DateOfBirth: "2008-06-15"}, pathwayNow, waymark.Under18No},
		{"the birthday is the London date, not the UTC one", waymark.Client{DateOfBirth: "2008-06-15"}, time.Date(2026, 6, 14, 23, 30, 0, 0, time.UTC), waymark.Under18No},
		{"a leap-day child comes of age on 1 March", waymark.Client{DateOfBirth: "2008-02-29"}, time.Date(2026, 2, 28, 12, 0, 0, 0, time.UTC), waymark.Under18Yes},
		{"a leap-day child is an adult on 1 March", waymark.Client{DateOfBirth: "2008-02-29"}, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), waymark.Under18No},
		{"a birth month wholly 18 years ago is an adult", waymark.Client{DateOfBirth: "2008-05"}, pathwayNow, waymark.Under18No},
		{"a birth month spanning the 18th birthday is not sure", waymark.Client{DateOfBirth: "2008-06"}, pathwayNow, waymark.Under18NotSure},
		{"a birth month after it is under 18", waymark.Client{DateOfBirth: "2008-07"}, pathwayNow, waymark.Under18Yes},
		{"a birth year spanning the 18th birthday is not sure", waymark.Client{DateOfBirth: "2008"}, pathwayNow, waymark.Under18NotSure},
		{"an earlier birth year is an adult", waymark.Client{DateOfBirth: "2007"}, pathwayNow, waymark.Under18No},
		{"an estimate under 18 is under 18", waymark.Client{EstimatedAge: 16}, pathwayNow, waymark.Under18Yes},
		{"an estimate of 19 is too close to tell", waymark.Client{EstimatedAge: 19}, pathwayNow, waymark.Under18NotSure},
		{"an estimate of 20 is an adult", waymark.Client{EstimatedAge: 20}, pathwayNow, waymark.Under18No},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.client.IsUnder18(tt.now); got != tt.want {
				t.Errorf("IsUnder18 = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPathwayOptions(t *testing.T) {
	t.Parallel()
	lists := map[string][]waymark.Option{
		"under 18":            waymark.Under18Options(),
		"consent":             waymark.ConsentAnswerOptions(),
		"stage":               waymark.DecisionStageOptions(),
		"reasonable grounds":  waymark.DecisionOutcomeOptions(waymark.ReasonableGrounds),
		"conclusive grounds":  waymark.DecisionOutcomeOptions(waymark.ConclusiveGrounds),
		"competent authority": waymark.CompetentAuthorityOptions(),
	}
	for name, opts := range lists {
		for _, o := range opts {
			if o.Value == "" || o.Label == "" || o.Label == o.Value {
				t.Errorf("%s: option %+v needs a value and a label", name, o)
			}
		}
	}
	if n := len(waymark.DecisionOutcomeOptions(waymark.ConclusiveGrounds)); n != 2 {
		t.Errorf("conclusive grounds has %d outcomes, want positive and negative only", n)
	}
	labels := map[string]string{
		waymark.Under18NotSure.Label():                                "Not sure",
		waymark.ConsentNotAsked.Label():                               "Not yet asked",
		waymark.ConsentRefused.Label():                                "No, they do not consent",
		waymark.ConclusiveGrounds.Label():                             "Conclusive grounds",
		waymark.OutcomeNoDecisionRecorded.Label():                     "No decision recorded",
		waymark.CompetentAuthority("immigration_enforcement").Label(): "Immigration Enforcement Competent Authority",
		waymark.RouteUndecided.Label():                                "Not decided yet",
		waymark.RouteAdultNoConsent.Label():                           "Adult who does not consent: no NRM referral",
	}
	for got, want := range labels {
		if got != want {
			t.Errorf("label %q, want %q", got, want)
		}
	}
	for _, a := range []waymark.Under18{"", "yes", "no", "not_sure"} {
		if !a.Valid() {
			t.Errorf("Under18(%q) is not valid", a)
		}
	}
	if waymark.Under18("maybe").Valid() {
		t.Error(`Under18("maybe") is valid`)
	}
}
