package waymark_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestConsentValidate(t *testing.T) {
	t.Parallel()
	informed := func(change func(*waymark.NRMConsent)) waymark.NRMConsent {
		c := waymark.NRMConsent{ExplainedNRM: true, ExplainedSupport: true, ExplainedOutcomes: true, ExplainedSharing: true,
			Answer: waymark.ConsentGiven, AnsweredOn: "2026-06-15", AskedBy: " Sam Okafor "}
		change(&c)
		return c
	}
	refused := func(change func(*waymark.NRMConsent)) waymark.NRMConsent {
		return informed(func(c *waymark.NRMConsent) {
			c.Answer, c.RefusalReason, c.AskAgainOn = waymark.ConsentRefused, "Afraid of being deported", "2026-06-29"
			change(c)
		})
	}
	tests := []struct {
		name    string
		consent waymark.NRMConsent
		fields  []string // nil when valid
	}{
		{"informed consent is valid", informed(func(*waymark.NRMConsent) {}), nil},
		{"consent needs the NRM explained", informed(func(c *waymark.NRMConsent) { c.ExplainedNRM = false }), []string{"explained_nrm"}},
		{"consent needs the support explained", informed(func(c *waymark.NRMConsent) { c.ExplainedSupport = false }), []string{"explained_support"}},
		{"consent needs the outcomes explained", informed(func(c *waymark.NRMConsent) { c.ExplainedOutcomes = false }), []string{"explained_outcomes"}},
		{"consent needs the sharing explained", informed(func(c *waymark.NRMConsent) { c.ExplainedSharing = false }), []string{"explained_sharing"}},
		{"an answer is needed", informed(func(c *waymark.NRMConsent) { c.Answer = waymark.ConsentNotAsked }), []string{"answer"}},
		{"an unknown answer is refused", informed(func(c *waymark.NRMConsent) { c.Answer = "maybe" }), []string{"answer"}},
		{"the date of the answer is needed", informed(func(c *waymark.NRMConsent) { c.AnsweredOn = "" }), []string{"answered_on"}},
		{"the date of the answer must be a date", informed(func(c *waymark.NRMConsent) { c.AnsweredOn = "15/06/2026" }), []string{"answered_on"}},
		{"the date of the answer must not be in the future", informed(func(c *waymark.NRMConsent) { c.AnsweredOn = "2026-06-16" }), []string{"answered_on"}},
		{"who asked is needed", informed(func(c *waymark.NRMConsent) { c.AskedBy = "  " }), []string{"asked_by"}},
		{"a refusal with a reason and a date to ask again is valid", refused(func(*waymark.NRMConsent) {}), nil},
		{"a refusal without everything explained is still recorded", refused(func(c *waymark.NRMConsent) { c.ExplainedOutcomes = false }), nil},
		{"a refusal needs a reason", refused(func(c *waymark.NRMConsent) { c.RefusalReason = " " }), []string{"refusal_reason"}},
		{"a refusal reason has a limit", refused(func(c *waymark.NRMConsent) { c.RefusalReason = strings.Repeat("x", 5001) }), []string{"refusal_reason"}},
		{"a refusal needs a date to ask again", refused(func(c *waymark.NRMConsent) { c.AskAgainOn = "" }), []string{"ask_again_on"}},
		{"the date to ask again must be a date", refused(func(c *waymark.NRMConsent) { c.AskAgainOn = "in two weeks" }), []string{"ask_again_on"}},
		{"the date to ask again must not be today", refused(func(c *waymark.NRMConsent) { c.AskAgainOn = "2026-06-15" }), []string{"ask_again_on"}},
		{"the date to ask again must not be past", refused(func(c *waymark.NRMConsent) { c.AskAgainOn = "2026-06-01" }), []string{"ask_again_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.consent.Validate(pathwayNow)
			fields := waymark.ErrorFields(err)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v %v, want nil", err, fields)
				}
				return
			}
			if code := waymark.ErrorCode(err); code != waymark.EINVALID {
				t.Fatalf("code = %q, want invalid", code)
			}
			var got []string
			for f, msg := range fields {
				got = append(got, f)
				if msg == "" {
					t.Errorf("field %s has no message saying how to fix it", f)
				}
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConsentValidateTidies(t *testing.T) {
	t.Parallel()
	c := waymark.NRMConsent{ExplainedNRM: true, ExplainedSupport: true, ExplainedOutcomes: true, ExplainedSharing: true,
		Answer: waymark.ConsentGiven, AnsweredOn: "2026-06-15", AskedBy: " Sam Okafor ", RefusalReason: "left over", AskAgainOn: "2026-06-29"}
	if err := c.Validate(pathwayNow); err != nil {
		t.Fatal(err)
	}
	if c.AskedBy != "Sam Okafor" || c.RefusalReason != "" || c.AskAgainOn != "" {
		t.Errorf("after Validate: asked by %q, refusal reason %q, ask again on %q; want the name trimmed and the refusal fields cleared",
			c.AskedBy, c.RefusalReason, c.AskAgainOn)
	}
}

func TestConsentDefaultAskAgainOn(t *testing.T) {
	t.Parallel()
	if got := waymark.DefaultAskAgainOn(pathwayNow); got != "2026-06-29" {
		t.Errorf("DefaultAskAgainOn = %s, want two weeks on, 2026-06-29", got)
	}
	// Half past midnight in London on 1 July is still 30 June in UTC.
	if got := waymark.DefaultAskAgainOn(time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)); got != "2026-07-15" {
		t.Errorf("DefaultAskAgainOn just after midnight in London = %s, want 2026-07-15", got)
	}
	c := waymark.NRMConsent{Answer: waymark.ConsentRefused, AnsweredOn: "2026-06-15", AskedBy: "Sam", RefusalReason: "Not now",
		AskAgainOn: waymark.DefaultAskAgainOn(pathwayNow)}
	if err := c.Validate(pathwayNow); err != nil {
		t.Errorf("a refusal with the default date to ask again is invalid: %v", waymark.ErrorFields(err))
	}
}

func TestDecisionValidate(t *testing.T) {
	t.Parallel()
	decision := func(change func(*waymark.NRMDecision)) waymark.NRMDecision {
		d := waymark.NRMDecision{Stage: waymark.ReasonableGrounds, Outcome: waymark.OutcomePositive,
			Authority: "single_competent_authority", DecidedOn: "2026-05-01"}
		change(&d)
		return d
	}
	tests := []struct {
		name     string
		decision waymark.NRMDecision
		fields   []string
	}{
		{"a positive reasonable grounds decision is valid", decision(func(*waymark.NRMDecision) {}), nil},
		{"a suspended reasonable grounds decision is valid", decision(func(d *waymark.NRMDecision) { d.Outcome = waymark.OutcomeSuspended }), nil},
		{"a conclusive grounds decision is positive or negative", decision(func(d *waymark.NRMDecision) {
			d.Stage, d.Outcome, d.Authority = waymark.ConclusiveGrounds, waymark.OutcomeNegative, "immigration_enforcement"
		}), nil},
		{"a conclusive grounds decision cannot be withdrawn", decision(func(d *waymark.NRMDecision) {
			d.Stage, d.Outcome = waymark.ConclusiveGrounds, waymark.OutcomeWithdrawn
		}), []string{"outcome"}},
		{"the stage is needed", decision(func(d *waymark.NRMDecision) { d.Stage = "" }), []string{"stage"}},
		{"the outcome is needed", decision(func(d *waymark.NRMDecision) { d.Outcome = "" }), []string{"outcome"}},
		{"the authority is needed", decision(func(d *waymark.NRMDecision) { d.Authority = "home_office" }), []string{"authority"}},
		{"the date is needed", decision(func(d *waymark.NRMDecision) { d.DecidedOn = "" }), []string{"decided_on"}},
		{"the date must not be in the future", decision(func(d *waymark.NRMDecision) { d.DecidedOn = "2026-07-01" }), []string{"decided_on"}},
		{"a negative decision may be reconsidered", decision(func(d *waymark.NRMDecision) {
			d.Outcome, d.ReconsiderationRequestedOn = waymark.OutcomeNegative, "2026-05-20"
		}), nil},
		{"a positive decision is not reconsidered", decision(func(d *waymark.NRMDecision) { d.ReconsiderationRequestedOn = "2026-05-20" }), []string{"reconsideration_requested_on"}},
		{"reconsideration is requested after the decision", decision(func(d *waymark.NRMDecision) {
			d.Outcome, d.ReconsiderationRequestedOn = waymark.OutcomeNegative, "2026-04-30"
		}), []string{"reconsideration_requested_on"}},
		{"reconsideration is not requested in the future", decision(func(d *waymark.NRMDecision) {
			d.Outcome, d.ReconsiderationRequestedOn = waymark.OutcomeNegative, "2026-06-16"
		}), []string{"reconsideration_requested_on"}},
		{"the reconsideration date must be a date", decision(func(d *waymark.NRMDecision) {
			d.Outcome, d.ReconsiderationRequestedOn = waymark.OutcomeNegative, "soon"
		}), []string{"reconsideration_requested_on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decision.Validate(pathwayNow)
			var got []string
			for f := range waymark.ErrorFields(err) {
				got = append(got, f)
			}
			slices.Sort(got)
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if (err == nil) != (tt.fields == nil) {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}

func TestMoveOnEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		decision waymark.NRMDecision
		want     string // "" for no move-on period
	}{
		{"45 calendar days after a positive conclusive grounds decision", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2026-03-01"}, "2026-04-15"},
		{"across the end of February in a leap year", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2028-01-31"}, "2028-03-16"},
		{"across the end of February in another year", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2027-01-31"}, "2027-03-17"},
		{"across the end of the year", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2026-12-31"}, "2027-02-14"},
		{"across the clocks going back", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2026-10-20"}, "2026-12-04"},
		{"a negative conclusive grounds decision gives none", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomeNegative, DecidedOn: "2026-03-01"}, ""},
		{"a positive reasonable grounds decision gives none", waymark.NRMDecision{Stage: waymark.ReasonableGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2026-03-01"}, ""},
		{"an undated decision gives none", waymark.NRMDecision{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.decision.MoveOnEnd()
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("MoveOnEnd() = %q, %t; want %q", got, ok, tt.want)
			}
		})
	}
}

func TestDecisionDaysFromReferral(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		referred, decided string
		want              int
		ok                bool
	}{
		{"the same day is zero days", "2026-03-01", "2026-03-01", 0, true},
		{"counts calendar days across a month end", "2026-01-30", "2026-03-02", 31, true},
		{"counts a leap day", "2028-02-28", "2028-03-01", 2, true},
		{"is not thrown by the clocks going forward", "2026-03-28", "2026-03-30", 2, true},
		{"counts a long wait", "2025-06-15", "2026-06-15", 365, true},
		{"a decision before the referral has no count", "2026-03-02", "2026-03-01", 0, false},
		{"no referral date has no count", "", "2026-03-01", 0, false},
		{"no decision date has no count", "2026-03-01", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := waymark.NRMDecision{DecidedOn: tt.decided}
			got, ok := d.DaysFromReferral(tt.referred)
			if got != tt.want || ok != tt.ok {
				t.Errorf("DaysFromReferral(%q) to %q = %d, %t; want %d, %t", tt.referred, tt.decided, got, ok, tt.want, tt.ok)
			}
		})
	}
}
