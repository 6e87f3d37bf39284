package waymark

import (
	"strings"
	"time"
)

// ConsentAnswer is an adult's answer to being referred to the NRM; empty means not yet asked.
type ConsentAnswer string

// The consent answers.
const (
	ConsentNotAsked ConsentAnswer = ""
	ConsentGiven    ConsentAnswer = "yes"
	ConsentRefused  ConsentAnswer = "no"
)

var consentAnswers = optionSet{{"yes", "Yes, they consent to an NRM referral"}, {"no", "No, they do not consent"}}

// Label is the answer as people read it.
func (a ConsentAnswer) Label() string {
	if a == ConsentNotAsked {
		return "Not yet asked"
	}
	return consentAnswers.label(string(a))
}

// ConsentAnswerOptions lists the answers for forms.
func ConsentAnswerOptions() []Option { return consentAnswers.options() }

// ConsentRevisitDays is how long after a refusal to ask again by default: two weeks gives the
// person rest and time to trust the service (JOURNEYS.md §3).
const ConsentRevisitDays = 14

// DefaultAskAgainOn is the date, "YYYY-MM-DD", a refusal form suggests for asking again.
func DefaultAskAgainOn(now time.Time) string {
	return londonDate(now).AddDate(0, 0, ConsentRevisitDays).Format(time.DateOnly)
}

// NRMConsent records an adult being asked to consent to an NRM referral: what was explained, the
// answer, when and by whom, and for a refusal why and when to ask again. Each asking is a new record.
type NRMConsent struct {
	ID       string
	ClientID string
	// Consent is informed only if the NRM, the support available, the possible outcomes and the
	// sharing of information with the Home Office and possibly the police were all explained.
	ExplainedNRM      bool
	ExplainedSupport  bool
	ExplainedOutcomes bool
	ExplainedSharing  bool
	Answer            ConsentAnswer
	// AnsweredOn is the date of the answer, "YYYY-MM-DD"; AskedBy names who explained and asked.
	AnsweredOn string
	AskedBy    string
	// RefusalReason is why the person said no, in their words where possible. Sealed at rest.
	RefusalReason string
	// AskAgainOn is when to ask again after a refusal, "YYYY-MM-DD".
	AskAgainOn string
	RecordedBy string
	RecordedAt time.Time
}

// Validate checks the record against the London date of now and says how to fix each problem.
// Field keys: explained_nrm, explained_support, explained_outcomes, explained_sharing, answer,
// answered_on, asked_by, refusal_reason, ask_again_on.
func (c *NRMConsent) Validate(now time.Time) error {
	c.AskedBy = strings.TrimSpace(c.AskedBy)
	c.RefusalReason = strings.TrimSpace(c.RefusalReason)
	c.AnsweredOn, c.AskAgainOn = strings.TrimSpace(c.AnsweredOn), strings.TrimSpace(c.AskAgainOn)
	if c.Answer != ConsentRefused {
		// A form's conditionally revealed refusal fields may still be submitted: drop them.
		c.RefusalReason, c.AskAgainOn = "", ""
	}
	f := map[string]string{}
	today := Today(now)
	switch c.Answer {
	case ConsentGiven:
		for field, explained := range map[string]struct {
			done bool
			what string
		}{
			"explained_nrm":      {c.ExplainedNRM, "what the NRM is"},
			"explained_support":  {c.ExplainedSupport, "the support available"},
			"explained_outcomes": {c.ExplainedOutcomes, "the possible outcomes"},
			"explained_sharing":  {c.ExplainedSharing, "that their information goes to the Home Office and may go to the police"},
		} {
			if !explained.done {
				f[field] = "Explain " + explained.what + ", then tick this: consent is only informed when the person knows it"
			}
		}
	case ConsentRefused:
		if c.RefusalReason == "" {
			f["refusal_reason"] = "Enter why the person does not consent, in their words if you can"
		} else if len(c.RefusalReason) > MaxSupportNotes {
			f["refusal_reason"] = "The reason must be 5,000 characters or fewer"
		}
		switch {
		case c.AskAgainOn == "":
			f["ask_again_on"] = "Enter when to ask again, for example " + DefaultAskAgainOn(now) + " (in two weeks)"
		case !isDate(c.AskAgainOn):
			f["ask_again_on"] = "Enter when to ask again as year, month and day, for example " + DefaultAskAgainOn(now)
		case c.AskAgainOn <= today:
			f["ask_again_on"] = "The date to ask again must be in the future"
		}
	default:
		f["answer"] = "Say whether the person consents to an NRM referral"
	}
	checkPastDate(f, today, "answered_on", c.AnsweredOn, "the person answered")
	checkText(f, "asked_by", c.AskedBy, "Enter the name of the person who explained the NRM and asked", 200)
	return invalid(f)
}

// checkPastDate records in f what is wrong with a required date, "YYYY-MM-DD", that must not be
// after today (also "YYYY-MM-DD"). what completes "the date ...".
func checkPastDate(f map[string]string, today, field, value, what string) {
	switch {
	case value == "":
		f[field] = "Enter the date " + what + ", for example " + today
	case !isDate(value):
		f[field] = "Enter the date " + what + " as year, month and day, for example " + today
	case value > today:
		f[field] = "The date " + what + " must be today or in the past"
	}
}

// DecisionStage is which NRM decision a competent authority made.
type DecisionStage string

// The decision stages.
const (
	ReasonableGrounds DecisionStage = "reasonable_grounds"
	ConclusiveGrounds DecisionStage = "conclusive_grounds"
)

var decisionStages = optionSet{{"reasonable_grounds", "Reasonable grounds"}, {"conclusive_grounds", "Conclusive grounds"}}

// Label is the stage as people read it.
func (s DecisionStage) Label() string { return decisionStages.label(string(s)) }

// DecisionStageOptions lists the stages for forms.
func DecisionStageOptions() []Option { return decisionStages.options() }

// DecisionOutcome is the outcome of an NRM decision, in the Home Office statistics' terms.
type DecisionOutcome string

// The outcomes. Suspended, withdrawn and no decision recorded apply to reasonable grounds only.
const (
	OutcomePositive           DecisionOutcome = "positive"
	OutcomeNegative           DecisionOutcome = "negative"
	OutcomeSuspended          DecisionOutcome = "suspended"
	OutcomeWithdrawn          DecisionOutcome = "withdrawn"
	OutcomeNoDecisionRecorded DecisionOutcome = "no_decision_recorded"
)

var (
	reasonableGroundsOutcomes = optionSet{{"positive", "Positive"}, {"negative", "Negative"}, {"suspended", "Suspended"},
		{"withdrawn", "Withdrawn"}, {"no_decision_recorded", "No decision recorded"}}
	conclusiveGroundsOutcomes = optionSet{{"positive", "Positive"}, {"negative", "Negative"}}
)

func (s DecisionStage) outcomes() optionSet {
	if s == ConclusiveGrounds {
		return conclusiveGroundsOutcomes
	}
	return reasonableGroundsOutcomes
}

// Label is the outcome as people read it.
func (o DecisionOutcome) Label() string { return reasonableGroundsOutcomes.label(string(o)) }

// DecisionOutcomeOptions lists the outcomes a decision of the stage may have, for forms.
func DecisionOutcomeOptions(s DecisionStage) []Option { return s.outcomes().options() }

// CompetentAuthority is the part of the Home Office that decides NRM cases.
type CompetentAuthority string

var competentAuthorities = optionSet{{"single_competent_authority", "Single Competent Authority"},
	{"immigration_enforcement", "Immigration Enforcement Competent Authority"}}

// Label is the authority as people read it.
func (a CompetentAuthority) Label() string { return competentAuthorities.label(string(a)) }

// CompetentAuthorityOptions lists the authorities for forms.
func CompetentAuthorityOptions() []Option { return competentAuthorities.options() }

// NRMDecision is a competent authority's decision on an NRM referral. A reconsideration's result
// is recorded as a new decision of the same stage.
type NRMDecision struct {
	ID        string
	ClientID  string
	Stage     DecisionStage
	Outcome   DecisionOutcome
	Authority CompetentAuthority
	// DecidedOn is the date of the decision, "YYYY-MM-DD".
	DecidedOn string
	// ReconsiderationRequestedOn is when reconsideration of a negative decision was requested,
	// "YYYY-MM-DD", or empty.
	ReconsiderationRequestedOn string
	RecordedBy                 string
	RecordedAt                 time.Time
}

// Validate checks the decision against the London date of now and says how to fix each problem.
// Field keys: stage, outcome, authority, decided_on, reconsideration_requested_on.
func (d *NRMDecision) Validate(now time.Time) error {
	d.DecidedOn = strings.TrimSpace(d.DecidedOn)
	d.ReconsiderationRequestedOn = strings.TrimSpace(d.ReconsiderationRequestedOn)
	f := map[string]string{}
	today := Today(now)
	if !decisionStages.valid(string(d.Stage)) {
		f["stage"] = "Choose whether this is the reasonable grounds or the conclusive grounds decision"
	} else if !d.Stage.outcomes().valid(string(d.Outcome)) {
		f["outcome"] = "Choose the outcome from the list"
	}
	if !competentAuthorities.valid(string(d.Authority)) {
		f["authority"] = "Choose the competent authority that made the decision"
	}
	checkPastDate(f, today, "decided_on", d.DecidedOn, "of the decision")
	if r := d.ReconsiderationRequestedOn; r != "" {
		switch {
		case d.Outcome != OutcomeNegative:
			f["reconsideration_requested_on"] = "Only a negative decision can be reconsidered: leave this blank"
		case !isDate(r):
			f["reconsideration_requested_on"] = "Enter the date reconsideration was requested as year, month and day, for example " + today
		case r > today:
			f["reconsideration_requested_on"] = "The date reconsideration was requested must be today or in the past"
		case r < d.DecidedOn:
			f["reconsideration_requested_on"] = "The date reconsideration was requested must be on or after the date of the decision"
		}
	}
	return invalid(f)
}

// MoveOnDays is the shortest move-on support after a positive conclusive grounds decision, in
// calendar days (DOMAIN.md §4).
const MoveOnDays = 45

// MoveOnEnd returns the earliest date, "YYYY-MM-DD", that move-on support may end: MoveOnDays
// calendar days after a positive conclusive grounds decision. ok is false for any other decision,
// which gives no move-on period.
func (d *NRMDecision) MoveOnEnd() (end string, ok bool) {
	decided, err := time.Parse(time.DateOnly, d.DecidedOn)
	if d.Stage != ConclusiveGrounds || d.Outcome != OutcomePositive || err != nil {
		return "", false
	}
	return decided.AddDate(0, 0, MoveOnDays).Format(time.DateOnly), true
}

// DaysFromReferral returns the calendar days from the referral's submission, referredOn
// ("YYYY-MM-DD"), to the decision. ok is false when either date is missing or malformed, or the
// decision is dated before the referral.
func (d *NRMDecision) DaysFromReferral(referredOn string) (days int, ok bool) {
	from, err1 := time.Parse(time.DateOnly, referredOn)
	to, err2 := time.Parse(time.DateOnly, d.DecidedOn)
	if err1 != nil || err2 != nil || to.Before(from) {
		return 0, false
	}
	// Both are midnight UTC, so every day is 24 hours long.
	return int(to.Sub(from).Hours() / 24), true
}
