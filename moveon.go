package waymark

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Life after support (DOMAIN.md §5). People leave NRM support without a home, income or help, go
// back to the streets and are exploited again. A move-on plan says what is in place for when support
// ends; follow-ups at set intervals after it ends say how the person is doing; the cliff-edge view
// and the outcomes are worked out from both.

// AccommodationType is where the person will live, or lives, after support.
type AccommodationType string

var accommodationTypes = optionSet{
	{"social_tenancy", "Social housing tenancy"},
	{"private_rented", "Private rented tenancy"},
	{"supported_housing", "Supported housing"},
	{"temporary_accommodation", "Temporary accommodation from the council"},
	{"asylum_accommodation", "Asylum support accommodation"},
	{"safe_house", "Safe house"},
	{"hostel", "Hostel or night shelter"},
	{"family_friends", "Staying with family or friends"},
	{"returned_home", "Returned to their home country"},
	{"none", "Nowhere to live"},
	{"other", "Other"},
	{"not_known", "Not known"},
}

// Label is the accommodation type as people read it.
func (t AccommodationType) Label() string { return accommodationTypes.label(string(t)) }

// AccommodationStatus is how far finding that accommodation has got.
type AccommodationStatus string

var accommodationStatuses = optionSet{
	{"not_started", "Not started"},
	{"looking", "Looking"},
	{"offered", "Offered"},
	{"secured", "Secured: moving in soon"},
	{"moved_in", "Moved in"},
	{"at_risk", "At risk of losing it"},
	{"lost", "Lost it"},
}

// Label is the status as people read it.
func (s AccommodationStatus) Label() string { return accommodationStatuses.label(string(s)) }

// HousingDuty is the stage of the local authority's homelessness duty towards the person (Housing
// Act 1996 Part 7 as amended by the Homelessness Reduction Act 2017).
type HousingDuty string

var housingDuties = optionSet{
	{"no_application", "No application made"},
	{"prevention", "Prevention duty"},
	{"relief", "Relief duty"},
	{"main_duty", "Main housing duty"},
	{"no_duty", "Decided: no duty owed"},
	{"not_known", "Not known"},
}

// Label is the duty as people read it.
func (d HousingDuty) Label() string { return housingDuties.label(string(d)) }

// Benefit is a benefit the person may claim.
type Benefit string

var benefits = optionSet{
	{"universal_credit", "Universal Credit"},
	{"housing_benefit", "Housing Benefit"},
	{"pip", "Personal Independence Payment"},
	{"esa", "Employment and Support Allowance"},
	{"pension_credit", "Pension Credit"},
	{"child_benefit", "Child Benefit"},
	{"asylum_support", "Asylum support"},
	{"other", "Another benefit"},
}

// Label is the benefit as people read it.
func (b Benefit) Label() string { return benefits.label(string(b)) }

// BenefitOptions lists the benefits in the order the plan shows them.
func BenefitOptions() []Option { return benefits.options() }

// ClaimStatus is where a claim for a benefit stands.
type ClaimStatus string

// ClaimInPayment is the status of a benefit being paid: income in place.
const ClaimInPayment ClaimStatus = "in_payment"

var claimStatuses = optionSet{
	{"not_claimed", "Not claimed"},
	{"claimed", "Claimed: waiting"},
	{"in_payment", "In payment"},
	{"refused", "Refused"},
}

// Label is the status as people read it.
func (s ClaimStatus) Label() string { return claimStatuses.label(string(s)) }

// BenefitClaim is one benefit and where its claim stands.
type BenefitClaim struct {
	Benefit Benefit     `json:"benefit"`
	Status  ClaimStatus `json:"status"`
}

// Employment is whether the person works or studies.
type Employment string

var employments = optionSet{
	{"employed", "In paid work"},
	{"education", "In education or training"},
	{"volunteering", "Volunteering"},
	{"looking", "Looking for work"},
	{"not_able", "Not able to work"},
	{"no_right_to_work", "No right to work"},
	{"not_known", "Not known"},
}

// Label is the employment as people read it.
func (e Employment) Label() string { return employments.label(string(e)) }

// MoveOnOptions are the closed lists of the move-on plan, for forms.
type MoveOnOptions struct {
	AccommodationTypes, AccommodationStatuses, HousingDuties, Benefits, ClaimStatuses, Employments, ImmigrationStatuses, Answers []Option
}

// MoveOnPlanOptions returns the closed lists of the move-on plan.
func MoveOnPlanOptions() MoveOnOptions {
	answers := make([]Option, len(Answers))
	for i, a := range Answers {
		answers[i] = Option{string(a), a.Label()}
	}
	return MoveOnOptions{
		AccommodationTypes: accommodationTypes.options(), AccommodationStatuses: accommodationStatuses.options(),
		HousingDuties: housingDuties.options(), Benefits: benefits.options(), ClaimStatuses: claimStatuses.options(),
		Employments: employments.options(), ImmigrationStatuses: immigrationStatuses.options(), Answers: answers,
	}
}

// MoveOnPlan is what is in place for a client for when support ends. Each save is kept as a new
// version, dated and attributed, so the plan's history is there to read. Every field may be left
// unrecorded.
type MoveOnPlan struct {
	ID       string
	ClientID string
	OrgID    string
	// SupportEndsOn is the date the person's support ends or ended, "YYYY-MM-DD", when the worker
	// knows it; otherwise the NRM record gives it (see SupportEndFor).
	SupportEndsOn       string
	AccommodationType   AccommodationType
	AccommodationStatus AccommodationStatus
	// HousingDuty and HousingAppliedOn ("YYYY-MM-DD") are the local authority homelessness
	// application; HousingAuthority names the council.
	HousingDuty      HousingDuty
	HousingAuthority string
	HousingAppliedOn string
	// Benefits holds the benefits with a recorded status, in the order of BenefitOptions.
	Benefits          []BenefitClaim
	ImmigrationStatus ImmigrationStatus
	// LeaveExpiresOn is when the person's leave to remain ends, "YYYY-MM-DD", if they have leave.
	LeaveExpiresOn string
	GPRegistered   Answer
	Employment     Employment
	// SupportServices names the services the person is engaged with; sealed at rest, as are Notes.
	SupportServices string
	Notes           string
	Version         int
	RecordedBy      string
	RecordedByName  string
	RecordedAt      time.Time
}

// MaxMoveOnText is the longest the plan's support services or notes may be, in bytes.
const MaxMoveOnText = 5000

// Validate checks the plan against the London date of now and says how to fix each problem. Field
// keys: support_ends_on, accommodation_type, accommodation_status, housing_duty, housing_authority,
// housing_applied_on, benefit_<benefit>, immigration_status, leave_expires_on, gp_registered,
// employment, support_services, notes.
func (p *MoveOnPlan) Validate(now time.Time) error {
	p.SupportEndsOn, p.HousingAppliedOn, p.LeaveExpiresOn = strings.TrimSpace(p.SupportEndsOn), strings.TrimSpace(p.HousingAppliedOn), strings.TrimSpace(p.LeaveExpiresOn)
	p.HousingAuthority, p.SupportServices, p.Notes = strings.TrimSpace(p.HousingAuthority), strings.TrimSpace(p.SupportServices), strings.TrimSpace(p.Notes)
	today := Today(now)
	f := map[string]string{}
	switch {
	case p.SupportEndsOn == "":
	case !isDate(p.SupportEndsOn):
		f["support_ends_on"] = "Enter the date support ends as day, month and year, for example " + today + ", or leave it blank"
	case p.SupportEndsOn < AddDays(today, -10*365) || p.SupportEndsOn > AddDays(today, 3*365):
		// A mistyped year would take the person off the cliff edge without a word.
		f["support_ends_on"] = "The date support ends must be within 10 years before and 3 years after today: check the year"
	}
	choose := func(field string, set optionSet, v, what string) {
		if v != "" && !set.valid(v) {
			f[field] = "Choose " + what + " from the list"
		}
	}
	choose("accommodation_type", accommodationTypes, string(p.AccommodationType), "the type of accommodation")
	choose("accommodation_status", accommodationStatuses, string(p.AccommodationStatus), "how far finding accommodation has got")
	choose("housing_duty", housingDuties, string(p.HousingDuty), "the stage of the council's housing duty")
	checkText(f, "housing_authority", p.HousingAuthority, "", 200)
	if p.HousingAppliedOn != "" {
		checkPastDate(f, today, "housing_applied_on", p.HousingAppliedOn, "the application was made")
	}
	seen := map[Benefit]bool{}
	for _, c := range p.Benefits {
		field := "benefit_" + string(c.Benefit)
		switch {
		case !benefits.valid(string(c.Benefit)):
			f["benefits"] = "Choose benefits from the list"
		case seen[c.Benefit]:
			f[field] = "Give " + c.Benefit.Label() + " once"
		case !claimStatuses.valid(string(c.Status)):
			f[field] = "Choose where the claim for " + c.Benefit.Label() + " stands from the list"
		}
		seen[c.Benefit] = true
	}
	if !p.ImmigrationStatus.Valid() {
		f["immigration_status"] = "Choose the immigration status from the list"
	}
	switch {
	case p.LeaveExpiresOn == "":
	case !isDate(p.LeaveExpiresOn):
		f["leave_expires_on"] = "Enter the date leave ends as day, month and year, for example " + today + ", or leave it blank"
	case p.LeaveExpiresOn > AddDays(today, 10*365):
		f["leave_expires_on"] = "The date leave ends must be within 10 years from today: check the year"
	}
	if !p.GPRegistered.Valid() {
		f["gp_registered"] = "Choose whether they are registered with a GP from the list"
	}
	choose("employment", employments, string(p.Employment), "work or study")
	if len(p.SupportServices) > MaxMoveOnText {
		f["support_services"] = "This must be 5,000 characters or fewer"
	}
	if len(p.Notes) > MaxMoveOnText {
		f["notes"] = "Notes must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// Claim returns the status of the claim for b, or "" when none is recorded.
func (p *MoveOnPlan) Claim(b Benefit) ClaimStatus {
	for _, c := range p.Benefits {
		if c.Benefit == b {
			return c.Status
		}
	}
	return ""
}

// AccommodationInPlace reports whether somewhere to live is secured for after support.
func (p *MoveOnPlan) AccommodationInPlace() bool {
	if p == nil || p.AccommodationStatus != "secured" && p.AccommodationStatus != "moved_in" {
		return false
	}
	return p.AccommodationType != "" && p.AccommodationType != "none" && p.AccommodationType != "not_known"
}

// IncomeInPlace reports whether the person will have an income: a benefit in payment, or paid work.
func (p *MoveOnPlan) IncomeInPlace() bool {
	if p == nil {
		return false
	}
	for _, c := range p.Benefits {
		if c.Status == ClaimInPayment {
			return true
		}
	}
	return p.Employment == "employed"
}

// Changes names, as people read them, the parts of the plan that differ from prev (nil: the first
// version), for the plan's history.
func (p *MoveOnPlan) Changes(prev *MoveOnPlan) []string {
	if prev == nil {
		prev = &MoveOnPlan{}
	}
	var out []string
	add := func(changed bool, label string) {
		if changed {
			out = append(out, label)
		}
	}
	add(p.SupportEndsOn != prev.SupportEndsOn, "date support ends")
	add(p.AccommodationType != prev.AccommodationType || p.AccommodationStatus != prev.AccommodationStatus, "accommodation")
	add(p.HousingDuty != prev.HousingDuty || p.HousingAuthority != prev.HousingAuthority || p.HousingAppliedOn != prev.HousingAppliedOn, "homelessness application")
	for _, b := range benefits {
		add(p.Claim(Benefit(b.value)) != prev.Claim(Benefit(b.value)), b.label)
	}
	add(p.ImmigrationStatus != prev.ImmigrationStatus || p.LeaveExpiresOn != prev.LeaveExpiresOn, "immigration status")
	add(p.GPRegistered != prev.GPRegistered, "GP registration")
	add(p.Employment != prev.Employment, "work or study")
	add(p.SupportServices != prev.SupportServices, "support services")
	add(p.Notes != prev.Notes, "notes")
	return out
}

// SupportEnd is when a client's support ends or ended, and what says so.
type SupportEnd struct {
	// On is the date, "YYYY-MM-DD", or empty when nothing recorded gives it; Source says where it
	// comes from, as a lower-case phrase ("the move-on plan").
	On     string
	Source string
}

// SupportEndFor works out when a client's support ends: the date in the move-on plan when the
// worker gave one; otherwise the latest recorded end of victim care or reach-in support; otherwise
// the end of the 45 days of move-on support after a positive conclusive grounds decision.
func SupportEndFor(plan *MoveOnPlan, milestones []*NRMMilestone, decisions []*NRMDecision) SupportEnd {
	if plan != nil && plan.SupportEndsOn != "" {
		return SupportEnd{plan.SupportEndsOn, "the move-on plan"}
	}
	var end SupportEnd
	for _, m := range milestones {
		if (m.Kind == "victim_care_end" || m.Kind == "reach_in_end") && m.On > end.On {
			end = SupportEnd{m.On, "the recorded end of victim care support"}
			if m.Kind == "reach_in_end" {
				end.Source = "the recorded end of reach-in support"
			}
		}
	}
	if end.On != "" {
		return end
	}
	for _, d := range decisions {
		if on, ok := d.MoveOnEnd(); ok && on > end.On {
			end = SupportEnd{on, "45 days after the positive conclusive grounds decision"}
		}
	}
	return end
}

// Ended reports whether support had ended by the London date today ("YYYY-MM-DD").
func (e SupportEnd) Ended(today string) bool { return e.On != "" && e.On <= today }

// AtCliffEdge reports whether support ends between the London date today and CliffEdgeDays from
// it without both a home and an income in place (plan may be nil: nothing is), and how many days
// are left. The cliff-edge view, the client's page and the tasks job all ask this.
func AtCliffEdge(end SupportEnd, plan *MoveOnPlan, today string) (daysLeft int, ok bool) {
	if end.On == "" || end.On < today || end.On > AddDays(today, CliffEdgeDays) {
		return 0, false
	}
	return DaysBetween(today, end.On), !plan.AccommodationInPlace() || !plan.IncomeInPlace()
}

// DefaultFollowUpMonths is the follow-up schedule an organisation starts with: 1, 3, 6 and 12
// months after support ends.
var DefaultFollowUpMonths = []int{1, 3, 6, 12}

// MaxFollowUps is the most follow-ups a schedule may hold, and MaxFollowUpMonth the latest.
const (
	MaxFollowUps     = 8
	MaxFollowUpMonth = 60
)

// ParseFollowUpMonths reads a follow-up schedule typed as months separated by commas or spaces,
// for example "1, 3, 6, 12", and returns them in order. Field key: months.
func ParseFollowUpMonths(s string) ([]int, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\t' })
	msg := func(m string) error { return invalid(map[string]string{"months": m}) }
	if len(fields) == 0 {
		return nil, msg("Enter the months after support ends for each follow-up, for example 1, 3, 6, 12")
	}
	if len(fields) > MaxFollowUps {
		return nil, msg("Enter " + strconv.Itoa(MaxFollowUps) + " follow-ups or fewer")
	}
	var out []int
	for _, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > MaxFollowUpMonth {
			return nil, msg("Enter whole months from 1 to " + strconv.Itoa(MaxFollowUpMonth) + ", separated by commas, for example 1, 3, 6, 12")
		}
		out = append(out, n)
	}
	for i := 1; i < len(out); i++ {
		if out[i] <= out[i-1] {
			return nil, msg("Enter each month once, from the earliest to the latest, for example 1, 3, 6, 12")
		}
	}
	return out, nil
}

// FormatFollowUpMonths writes a schedule as ParseFollowUpMonths reads it.
func FormatFollowUpMonths(months []int) string {
	parts := make([]string, len(months))
	for i, m := range months {
		parts[i] = strconv.Itoa(m)
	}
	return strings.Join(parts, ", ")
}

// AddMonths returns the date n months after date ("YYYY-MM-DD"), on the same day of the month or
// the month's last day when it is shorter: a month after 31 January is 28 or 29 February.
func AddMonths(date string, n int) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(t.Day(), last)-1).Format(time.DateOnly)
}

// ContactMethod is how a follow-up tried to reach the person.
type ContactMethod string

var contactMethods = optionSet{
	{"phone", "Phone call"},
	{"text", "Text message"},
	{"email", "Email"},
	{"visit", "Visit"},
	{"via_partner", "Through another service"},
	{"other", "Other"},
}

// Label is the method as people read it.
func (m ContactMethod) Label() string { return contactMethods.label(string(m)) }

// ContactMethodOptions lists the methods for forms.
func ContactMethodOptions() []Option { return contactMethods.options() }

// ContactAttempt is one try at reaching the person for a follow-up.
type ContactAttempt struct {
	On     string
	Method ContactMethod
}

// MaxContactAttempts is the most attempts one follow-up records.
const MaxContactAttempts = 10

// FollowUp is how a person was doing a set number of months after their support ended: reached,
// with the four answers, or not reached, with the attempts made.
type FollowUp struct {
	ID       string
	ClientID string
	OrgID    string
	// Months is the follow-up of the schedule it records: 3 is the follow-up three months after
	// support ended. DueOn is its date as scheduled.
	Months    int
	DueOn     string
	Contacted bool
	// The answers, when contacted.
	StableAccommodation Answer
	RoughSleeping       Answer
	ReExploited         Answer
	InContact           Answer
	// Attempts are the tries made when the person could not be contacted, oldest first.
	Attempts []ContactAttempt
	// Notes are sealed at rest.
	Notes          string
	Version        int
	RecordedBy     string
	RecordedByName string
	RecordedAt     time.Time
	// Earlier holds the versions this one corrected, newest first, when read with them.
	Earlier []*FollowUp
}

// Validate checks the follow-up against the London date of now and says how to fix each problem.
// Field keys: contacted, stable_accommodation, rough_sleeping, re_exploited, in_contact,
// attempts, attempt_<n> (from 1), notes.
func (u *FollowUp) Validate(now time.Time) error {
	u.Notes = strings.TrimSpace(u.Notes)
	today := Today(now)
	f := map[string]string{}
	answers := []struct {
		field string
		a     Answer
		what  string
	}{
		{"stable_accommodation", u.StableAccommodation, "they are in stable accommodation"},
		{"rough_sleeping", u.RoughSleeping, "they have returned to rough sleeping"},
		{"re_exploited", u.ReExploited, "they have been exploited again"},
		{"in_contact", u.InContact, "they are still in contact with support"},
	}
	if u.Contacted {
		for _, q := range answers {
			if !q.a.Recorded() || !q.a.Valid() {
				f[q.field] = "Choose whether " + q.what + ", or Not known"
			}
		}
		if len(u.Attempts) > 0 {
			f["attempts"] = "Remove the contact attempts: the person was contacted"
		}
	} else {
		for _, q := range answers {
			if q.a.Recorded() {
				f[q.field] = "Leave this unanswered: the person could not be contacted"
			}
		}
		if len(u.Attempts) == 0 {
			f["attempts"] = "Give at least one attempt to contact the person: when and how"
		}
		if len(u.Attempts) > MaxContactAttempts {
			f["attempts"] = "Give " + strconv.Itoa(MaxContactAttempts) + " attempts or fewer"
		}
		for i, a := range u.Attempts {
			field := "attempt_" + strconv.Itoa(i+1)
			checkPastDate(f, today, field, a.On, "of the attempt")
			if _, ok := f[field]; !ok && !contactMethods.valid(string(a.Method)) {
				f[field] = "Choose how the attempt was made from the list"
			}
		}
	}
	if len(u.Notes) > MaxMoveOnText {
		f["notes"] = "Notes must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// ScheduledFollowUp is one follow-up of a client's schedule with its record, if made.
type ScheduledFollowUp struct {
	Months int
	DueOn  string
	Record *FollowUp
	// Missed is set for a follow-up not recorded in its time: a later one was recorded, or the
	// next one has fallen due, or (the last of the schedule) LastFollowUpDays have passed.
	Missed bool
}

// LastFollowUpDays is how long after its date the last follow-up of a schedule stays to do, and
// FollowUpEarlyDays how long before its date a follow-up may be recorded: a worker who meets the
// person a little early need not wait.
const (
	LastFollowUpDays  = 90
	FollowUpEarlyDays = 14
)

// Recordable reports whether the follow-up may be recorded on the London date today, or corrected.
func (s ScheduledFollowUp) Recordable(today string) bool {
	return s.Record != nil || s.DueOn <= AddDays(today, FollowUpEarlyDays)
}

// Due reports whether the follow-up is to do: its date has come by the London date today, and it
// is neither recorded nor missed.
func (s ScheduledFollowUp) Due(today string) bool {
	return s.Record == nil && !s.Missed && s.DueOn <= today
}

// ScheduleFollowUps lays out the follow-ups of a schedule after support ended on ended, matched with
// the follow-ups recorded (by their Months; records for months no longer in the schedule are kept
// in place), as of the London date today. A follow-up not recorded counts as missed once a later
// one is recorded or falls due, or, the last one, LastFollowUpDays after its date: so the follow-ups
// to do are only ever the current ones.
func ScheduleFollowUps(ended string, months []int, recorded []*FollowUp, today string) []ScheduledFollowUp {
	byMonths := map[int]*FollowUp{}
	all := append([]int(nil), months...)
	for _, r := range recorded {
		byMonths[r.Months] = r
		if !slices.Contains(all, r.Months) {
			all = append(all, r.Months)
		}
	}
	slices.Sort(all)
	out := make([]ScheduledFollowUp, len(all))
	latest := 0
	for _, r := range recorded {
		latest = max(latest, r.Months)
	}
	for i, m := range all {
		due := AddMonths(ended, m)
		if r := byMonths[m]; r != nil {
			due = r.DueOn
		}
		out[i] = ScheduledFollowUp{Months: m, DueOn: due, Record: byMonths[m], Missed: byMonths[m] == nil && m < latest}
	}
	for i := range out {
		if out[i].Record != nil {
			continue
		}
		if i+1 < len(out) && out[i+1].DueOn <= today || i+1 == len(out) && AddDays(out[i].DueOn, LastFollowUpDays) <= today {
			out[i].Missed = true
		}
	}
	return out
}

// MoveOn is everything about a client's life after support: the plan and its history, when support
// ends, the follow-ups and the latest re-exploitation risk assessment.
type MoveOn struct {
	Client *Client
	// Plan is the current plan, or nil; History holds every version, newest first.
	Plan       *MoveOnPlan
	History    []*MoveOnPlan
	SupportEnd SupportEnd
	// Schedule is the organisation's follow-up schedule; FollowUps lays it out with the records.
	Schedule  []int
	FollowUps []ScheduledFollowUp
	Risk      *RiskAssessment
}

// CliffEdgeEntry is a client whose support ends soon without a home or an income in place.
type CliffEdgeEntry struct {
	ClientID, ClientName, ClientReference string
	AssignedTo, AssignedToName            string
	SupportEnd                            SupportEnd
	DaysLeft                              int
	HasPlan                               bool
	AccommodationInPlace, IncomeInPlace   bool
}

// OverdueFollowUp is a follow-up whose date has come and that is not recorded.
type OverdueFollowUp struct {
	ClientID, ClientName, ClientReference string
	AssignedTo, AssignedToName            string
	Months                                int
	DueOn                                 string
	// DaysOverdue is 0 on the day it falls due.
	DaysOverdue int
}

// CliffEdge is the cliff-edge view: who is about to fall, and whose follow-up is overdue.
type CliffEdge struct {
	// Days is how far ahead the view looks for the end of support.
	Days    int
	Ending  []CliffEdgeEntry
	Overdue []OverdueFollowUp
}

// CliffEdgeDays is how far ahead the cliff-edge view and its tasks look for the end of support.
const CliffEdgeDays = 30

// OutcomeMonths are the points after support ended at which outcomes are counted.
var OutcomeMonths = []int{3, 6, 12}

// OutcomeRow counts the outcomes of the people whose follow-up at Months after support ended was
// due by the report's date. Counts of 1 to 4 are suppressed (see Count).
type OutcomeRow struct {
	Months int
	// People is everyone whose follow-up at Months was due; the others are counted among them. A
	// person reached may count under more than one outcome.
	People              Count
	StableAccommodation Count
	// ReturnedHomeless counts those sleeping rough again or not in stable accommodation: hostels,
	// sofa-surfing and other temporary places are homelessness too.
	ReturnedHomeless Count
	ReExploited      Count
	// LostContact counts those not reached, or reached and no longer in contact with support.
	LostContact Count
	// NotRecorded counts those whose follow-up was not recorded.
	NotRecorded Count
}

// Outcomes are an organisation's outcomes after support, as of a date.
type Outcomes struct {
	AsOf string
	Rows []OutcomeRow
	// Unscheduled lists the outcome months missing from the organisation's follow-up schedule,
	// whose rows count only follow-ups recorded before the schedule changed.
	Unscheduled []int
}

// CountOutcomes works out one row of outcomes from the follow-ups recorded at months after support
// ended for each of people people whose follow-up was due (nil where none was recorded).
func CountOutcomes(months int, followUps []*FollowUp) OutcomeRow {
	row := OutcomeRow{Months: months, People: Count(len(followUps))}
	defer func() {
		// People minus those not recorded is how many were followed up; when that is small, the
		// two shown counts would give it away.
		WithholdDifference(row.People, &row.NotRecorded)
	}()
	for _, u := range followUps {
		switch {
		case u == nil:
			row.NotRecorded++
		case !u.Contacted:
			row.LostContact++
		default:
			if u.StableAccommodation == AnswerYes {
				row.StableAccommodation++
			}
			if u.RoughSleeping == AnswerYes || u.StableAccommodation == AnswerNo {
				row.ReturnedHomeless++
			}
			if u.ReExploited == AnswerYes {
				row.ReExploited++
			}
			if u.InContact == AnswerNo {
				row.LostContact++
			}
		}
	}
	return row
}

// CliffEdgeScope says whose clients the cliff-edge view covers.
type CliffEdgeScope string

// The scopes.
const (
	CliffEdgeMine         CliffEdgeScope = "mine"
	CliffEdgeOrganisation CliffEdgeScope = "organisation"
)

// MoveOnService keeps move-on plans and follow-ups and works out the cliff edge and the outcomes.
// Reads of a client are audited views; changes are audited in their own transaction. Another
// organisation's client answers ENOTFOUND.
type MoveOnService interface {
	// FindMoveOn reads a client's move-on plan, its history, when support ends and the follow-ups.
	// Needs PermViewClients (EFORBIDDEN); ENOTFOUND.
	FindMoveOn(ctx context.Context, actor Actor, clientID string) (*MoveOn, error)
	// SavePlan records a new version of the plan; version is the current one (0 for the first).
	// Needs PermEditClients (EFORBIDDEN); EINVALID, ENOTFOUND, ECONFLICT when it changed since.
	SavePlan(ctx context.Context, actor Actor, clientID string, version int, p *MoveOnPlan) error
	// RecordFollowUp records the follow-up at p.Months of the schedule after support ended, or
	// corrects it (version is the current one, 0 for a new one). EINVALID when support has not
	// ended or the months are not in the schedule; ECONFLICT, ENOTFOUND, EFORBIDDEN as SavePlan.
	RecordFollowUp(ctx context.Context, actor Actor, clientID string, version int, u *FollowUp) error
	// FindCliffEdge lists the actor's clients (scope mine: assigned to them) or the organisation's
	// (scope organisation: PermViewOrgTasks, EFORBIDDEN otherwise) whose support ends within
	// CliffEdgeDays without accommodation or income in place, and the overdue follow-ups. Audited
	// as a list view naming the clients shown.
	FindCliffEdge(ctx context.Context, actor Actor, scope CliffEdgeScope) (*CliffEdge, error)
	// FindOutcomes counts the organisation's outcomes at OutcomeMonths after support ended. Needs
	// PermViewOrgOutcomes (EFORBIDDEN).
	FindOutcomes(ctx context.Context, actor Actor) (*Outcomes, error)
	// FollowUpSchedule returns the actor's organisation's follow-up months.
	FollowUpSchedule(ctx context.Context, actor Actor) ([]int, error)
	// SetFollowUpSchedule changes them. Needs PermManageFollowUps (EFORBIDDEN); EINVALID.
	SetFollowUpSchedule(ctx context.Context, actor Actor, months []int) error
}
