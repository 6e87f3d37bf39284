package waymark

import (
	"context"
	"strings"
	"time"
)

// The NRM journey of one client: what the worker told the pathway assistant, the steps taken, the
// consent asked for, the referral and the Duty to Notify report made, the decisions and what
// followed them (DOMAIN.md §4). Everything here belongs to the client's organisation, as the
// client does, and is read and changed by the staff who may read and change the client.

// PathwayAnswers are the facts of the route the records do not hold, as the worker answered them.
// Under18 and CareAndSupportNeeds, when set, correct what the record suggests.
type PathwayAnswers struct {
	ImmediateDanger     Answer
	Under18             Under18
	CareAndSupportNeeds Answer
	Cooperates          Answer
	// PartnerOrgID is the partner First Responder Organisation chosen to make NRM referrals.
	PartnerOrgID string
	// Version counts saves, so that a save based on an old version is refused.
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
}

// Validate checks the answers. Field keys: immediate_danger, under_18, care_and_support_needs,
// cooperates, partner_org_id (which the store checks names a First Responder).
func (a *PathwayAnswers) Validate() error {
	f := map[string]string{}
	for field, v := range map[string]Answer{"immediate_danger": a.ImmediateDanger, "care_and_support_needs": a.CareAndSupportNeeds, "cooperates": a.Cooperates} {
		if !v.Valid() {
			f[field] = "Choose an answer from the list"
		}
	}
	if !a.Under18.Valid() {
		f["under_18"] = "Choose yes, no or not sure"
	}
	return invalid(f)
}

// StepOutcome is what became of a step of the pathway.
type StepOutcome string

// The outcomes of a step.
const (
	StepDone      StepOutcome = "done"
	StepDeclined  StepOutcome = "declined"
	StepNotNeeded StepOutcome = "not_needed"
)

var stepOutcomes = optionSet{{"done", "Done"}, {"declined", "The person did not want it"}, {"not_needed", "Not needed"}}

// Label is the outcome as people read it.
func (o StepOutcome) Label() string { return stepOutcomes.label(string(o)) }

// StepOutcomeOptions lists the outcomes for forms.
func StepOutcomeOptions() []Option { return stepOutcomes.options() }

// recordableSteps are the steps a worker records as taken: the others gather a fact (recorded as
// pathway answers or consent) or are the referral and report, which have records of their own.
var recordableSteps = optionSet{
	{string(StepCallPolice), "Called the police"},
	{string(StepChildrensServices), "Referred to children's services"},
	{string(StepPartnerReferral), "Asked a partner First Responder to refer"},
	{string(StepAdultSafeguarding), "Adult safeguarding referral"},
	{string(StepPoliceReport), "Reported to the police"},
	{string(StepHomelessnessApplication), "Homelessness application"},
}

// Recordable reports whether a step is recorded as a StepRecord.
func (k StepKind) Recordable() bool { return recordableSteps.valid(string(k)) }

// TakenLabel names the step as something done, for the history of steps.
func (k StepKind) TakenLabel() string { return recordableSteps.label(string(k)) }

// RecordableStepOptions lists the steps recorded as taken, in the order a worker meets them.
func RecordableStepOptions() []Option { return recordableSteps.options() }

// StepRecord records a step of the pathway: who took it, when, what came of it and why.
type StepRecord struct {
	ID       string
	ClientID string
	Kind     StepKind
	Outcome  StepOutcome
	// On is the date of the step, "YYYY-MM-DD".
	On string
	// Reference is what the step gave to quote later: a crime reference and police force, a
	// council's case number.
	Reference string
	// Note says why, or what happened. Sealed at rest.
	Note           string
	RecordedBy     string
	RecordedByName string
	RecordedAt     time.Time
}

// Validate checks the record against the London date of now. Field keys: kind, outcome, on,
// reference, note.
func (s *StepRecord) Validate(now time.Time) error {
	s.Reference, s.Note, s.On = strings.TrimSpace(s.Reference), strings.TrimSpace(s.Note), strings.TrimSpace(s.On)
	f := map[string]string{}
	if !s.Kind.Recordable() {
		f["kind"] = "Choose which step this is"
	}
	if !stepOutcomes.valid(string(s.Outcome)) {
		f["outcome"] = "Say whether the step was done, the person did not want it, or it was not needed"
	}
	checkPastDate(f, Today(now), "on", s.On, "of the step")
	checkText(f, "reference", s.Reference, "", 200)
	if s.Outcome != StepDone && s.Note == "" {
		f["note"] = "Say why, so that whoever reads the record next knows"
	} else if len(s.Note) > MaxSupportNotes {
		f["note"] = "This must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// NRMReferral records that an NRM referral was submitted to the Home Office, by which First
// Responder Organisation, with the reference it gave.
type NRMReferral struct {
	ID       string
	ClientID string
	// SubmittedOn is the date the referral was submitted, "YYYY-MM-DD".
	SubmittedOn string
	// FirstResponderOrgID is the First Responder that submitted it: the client's organisation or
	// a partner. FirstResponderName is its name, read back.
	FirstResponderOrgID string
	FirstResponderName  string
	Reference           string
	RecordedBy          string
	RecordedAt          time.Time
}

// Validate checks the record against the London date of now. Field keys: submitted_on,
// first_responder_org_id (which the store checks is a First Responder), reference.
func (r *NRMReferral) Validate(now time.Time) error {
	r.SubmittedOn, r.Reference = strings.TrimSpace(r.SubmittedOn), strings.TrimSpace(r.Reference)
	f := map[string]string{}
	checkPastDate(f, Today(now), "submitted_on", r.SubmittedOn, "the referral was submitted")
	if r.FirstResponderOrgID == "" {
		f["first_responder_org_id"] = "Choose the First Responder Organisation that submitted the referral"
	}
	checkText(f, "reference", r.Reference, "", 100)
	return invalid(f)
}

// MilestoneKind names what happened in the NRM journey after the decisions.
type MilestoneKind string

var milestoneKinds = optionSet{
	{"victim_care_start", "Victim care support started"},
	{"victim_care_end", "Victim care support ended"},
	{"recovery_needs_assessment", "Recovery needs assessment"},
	{"reach_in_start", "Reach-in support started"},
	{"reach_in_end", "Reach-in support ended"},
	{"guardian_appointed", "Independent Child Trafficking Guardian appointed"},
}

// Label is the milestone as people read it.
func (k MilestoneKind) Label() string { return milestoneKinds.label(string(k)) }

// MilestoneKindOptions lists the milestones for forms.
func MilestoneKindOptions() []Option { return milestoneKinds.options() }

// NRMMilestone records a dated event of the NRM journey: support under the Modern Slavery Victim
// Care Contract starting or ending, a recovery needs assessment, reach-in support, a guardian.
type NRMMilestone struct {
	ID       string
	ClientID string
	Kind     MilestoneKind
	// On is the date, "YYYY-MM-DD". A planned end may be in the future.
	On string
	// Note is sealed at rest.
	Note       string
	RecordedBy string
	RecordedAt time.Time
}

// Validate checks the milestone against the London date of now. Field keys: kind, on, note.
func (m *NRMMilestone) Validate(now time.Time) error {
	m.On, m.Note = strings.TrimSpace(m.On), strings.TrimSpace(m.Note)
	f := map[string]string{}
	if !milestoneKinds.valid(string(m.Kind)) {
		f["kind"] = "Choose what happened from the list"
	}
	today := Today(now)
	if m.Kind == "victim_care_end" || m.Kind == "reach_in_end" {
		// The end of support is often known ahead: recording it is what lets Waymark warn.
		if !isDate(m.On) {
			f["on"] = "Enter the date as day, month and year, for example " + today
		}
	} else {
		checkPastDate(f, today, "on", m.On, "it happened")
	}
	if len(m.Note) > MaxSupportNotes {
		f["note"] = "This must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// DutyToNotifyRecord records that a Duty to Notify report was made for the client.
type DutyToNotifyRecord struct {
	ID       string
	ClientID string
	// AgreesToCooperate is whether the report held contact details: the store sets it from the
	// pathway answers as it records the report, so the record says which report was made.
	AgreesToCooperate bool
	// SubmittedOn is the date the report was made, "YYYY-MM-DD"; Reference is what the Home Office gave.
	SubmittedOn string
	Reference   string
	RecordedBy  string
	RecordedAt  time.Time
}

// Validate checks the record against the London date of now. Field keys: submitted_on, reference.
func (d *DutyToNotifyRecord) Validate(now time.Time) error {
	d.SubmittedOn, d.Reference = strings.TrimSpace(d.SubmittedOn), strings.TrimSpace(d.Reference)
	f := map[string]string{}
	checkPastDate(f, Today(now), "submitted_on", d.SubmittedOn, "the report was made")
	checkText(f, "reference", d.Reference, "", 100)
	return invalid(f)
}

// Journey is everything recorded about one client's route through the NRM, each list oldest first.
type Journey struct {
	Client       *Client
	Organisation *Organisation
	// Partner is the partner First Responder the answers name, or nil.
	Partner      *Organisation
	Answers      PathwayAnswers
	Consents     []*NRMConsent
	Steps        []*StepRecord
	Referrals    []*NRMReferral
	Decisions    []*NRMDecision
	Milestones   []*NRMMilestone
	DutyToNotify []*DutyToNotifyRecord
}

// Facts are the pathway facts on the London date of now: derived from the records, corrected and
// completed by the worker's answers and the latest consent.
func (j *Journey) Facts(now time.Time) PathwayFacts {
	f := PathwayFactsFor(j.Client, j.Organisation, now)
	f.ImmediateDanger, f.Cooperates = j.Answers.ImmediateDanger, j.Answers.Cooperates
	if j.Answers.Under18 != Under18NotRecorded {
		f.Under18 = j.Answers.Under18
	}
	if j.Answers.CareAndSupportNeeds != AnswerNotRecorded {
		f.CareAndSupportNeeds = j.Answers.CareAndSupportNeeds
	}
	if j.Partner != nil {
		f.Partner = j.Partner.Name
	}
	if n := len(j.Consents); n > 0 {
		f.Consent, f.AskAgainOn = j.Consents[n-1].Answer, j.Consents[n-1].AskAgainOn
	}
	return f
}

// FirstReferral is the first NRM referral submitted, or nil: decisions count their days from it.
func (j *Journey) FirstReferral() *NRMReferral {
	if len(j.Referrals) == 0 {
		return nil
	}
	return j.Referrals[0]
}

// JourneyService records and reads clients' NRM journeys. Reads are audited views; every change is
// audited in its own transaction. Only staff who may see the client may read (ENOTFOUND
// otherwise), and only those who may edit clients may record (EFORBIDDEN).
type JourneyService interface {
	FindJourney(ctx context.Context, actor Actor, clientID string) (*Journey, error)
	// SaveAnswers replaces the pathway answers; ECONFLICT when version is not the current one.
	SaveAnswers(ctx context.Context, actor Actor, clientID string, version int, a PathwayAnswers) (*PathwayAnswers, error)
	RecordConsent(ctx context.Context, actor Actor, clientID string, c *NRMConsent) error
	RecordStep(ctx context.Context, actor Actor, clientID string, s *StepRecord) error
	RecordReferral(ctx context.Context, actor Actor, clientID string, r *NRMReferral) error
	RecordDecision(ctx context.Context, actor Actor, clientID string, d *NRMDecision) error
	RecordMilestone(ctx context.Context, actor Actor, clientID string, m *NRMMilestone) error
	RecordDutyToNotify(ctx context.Context, actor Actor, clientID string, d *DutyToNotifyRecord) error
}
