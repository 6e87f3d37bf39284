package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"waymark"
)

// MoveOnPage is a client's life after support: when support ends, the move-on plan and its
// history, the latest re-exploitation risk and the follow-ups after support ended.
type MoveOnPage struct {
	Layout
	MoveOn *waymark.MoveOn
	// When says in words how far off the end of support is, or how long ago it was.
	When  string
	Ended bool
	// AccommodationInPlace and IncomeInPlace say whether the plan has a home and an income ready.
	AccommodationInPlace, IncomeInPlace bool
	// CliffEdge is set when support ends within waymark.CliffEdgeDays with no home or no income in place.
	CliffEdge bool
	History   []PlanVersion
	FollowUps []FollowUpRow
	// CanEdit offers the plan and follow-up forms; CanManageSchedule links to the organisation's schedule.
	CanEdit, CanManageSchedule bool
}

// PlanVersion is one saved version of the plan with what it changed from the one before.
type PlanVersion struct {
	*waymark.MoveOnPlan
	Changes []string
	First   bool
}

// FollowUpRow is one follow-up of the schedule as the move-on page lists it.
type FollowUpRow struct {
	waymark.ScheduledFollowUp
	// Status is one of the followUpStatus codes, and StatusLabel and Tag how the page shows it.
	Status, StatusLabel, Tag string
	// Link records or corrects the follow-up, when support has ended and the user may; LinkText says which.
	Link, LinkText string
}

// The statuses of a scheduled follow-up, as the API names them.
const (
	followUpRecorded = "recorded"
	followUpOverdue  = "overdue"
	followUpMissed   = "missed"
	followUpNotDue   = "not_due"
)

// followUpStatus says where a scheduled follow-up stands on the London date today.
func followUpStatus(f waymark.ScheduledFollowUp, today string) string {
	switch {
	case f.Record != nil:
		return followUpRecorded
	case f.Missed:
		return followUpMissed
	case f.Due(today):
		// As in the cliff-edge view, a follow-up is overdue from the day it falls due.
		return followUpOverdue
	}
	return followUpNotDue
}

// followUpRows lays out the follow-ups for the page.
func followUpRows(clientID string, mo *waymark.MoveOn, today string, canEdit bool) []FollowUpRow {
	out := make([]FollowUpRow, len(mo.FollowUps))
	for i, f := range mo.FollowUps {
		row := FollowUpRow{ScheduledFollowUp: f, Status: followUpStatus(f, today)}
		switch row.Status {
		case followUpRecorded:
			row.StatusLabel, row.Tag = "Recorded: reached", "govuk-tag--green"
			if !f.Record.Contacted {
				row.StatusLabel, row.Tag = "Recorded: could not contact", "govuk-tag--yellow"
			}
		case followUpMissed:
			row.StatusLabel, row.Tag = "Missed", "govuk-tag--grey"
		case followUpOverdue:
			row.StatusLabel, row.Tag = "Overdue", "govuk-tag--red"
			if f.DueOn == today {
				row.StatusLabel = "Due today"
			}
		default:
			row.StatusLabel, row.Tag = "Not yet due", "govuk-tag--blue"
		}
		// A follow-up is recorded once support has ended, and only for the months of the schedule:
		// a record kept from an earlier schedule stays as it is.
		if canEdit && mo.SupportEnd.Ended(today) && slices.Contains(mo.Schedule, f.Months) && f.Recordable(today) {
			row.Link, row.LinkText = "/clients/"+clientID+"/move-on/follow-ups/"+strconv.Itoa(f.Months), "Record"
			if f.Record != nil {
				row.LinkText = "Correct"
			}
		}
		out[i] = row
	}
	return out
}

// planVersions pairs each version of the plan, newest first, with what it changed.
func planVersions(history []*waymark.MoveOnPlan) []PlanVersion {
	out := make([]PlanVersion, len(history))
	for i, p := range history {
		var prev *waymark.MoveOnPlan
		if i+1 < len(history) {
			prev = history[i+1]
		}
		out[i] = PlanVersion{MoveOnPlan: p, Changes: p.Changes(prev), First: prev == nil}
	}
	return out
}

// supportEndWords says in words when support ends or ended, from the London date today.
func supportEndWords(on, today string) string {
	days := waymark.DaysBetween(today, on)
	switch {
	case on == "":
		return ""
	case days > 1:
		return "Support ends in " + strconv.Itoa(days) + " days"
	case days == 1:
		return "Support ends tomorrow"
	case days == 0:
		return "Support ends today"
	case days == -1:
		return "Support ended yesterday"
	}
	return "Support ended " + strconv.Itoa(-days) + " days ago"
}

func (s *Server) moveOnPage(w http.ResponseWriter, r *http.Request, mo *waymark.MoveOn) MoveOnPage {
	a, today := actor(r), s.today()
	canEdit := a.Can(waymark.PermEditClients)
	end, home, income := mo.SupportEnd, mo.Plan.AccommodationInPlace(), mo.Plan.IncomeInPlace()
	_, edge := waymark.AtCliffEdge(end, mo.Plan, today)
	return MoveOnPage{Layout: s.layout(w, r, "Life after support"), MoveOn: mo, When: supportEndWords(end.On, today), Ended: end.Ended(today),
		AccommodationInPlace: home, IncomeInPlace: income,
		CliffEdge: edge,
		History:   planVersions(mo.History), FollowUps: followUpRows(mo.Client.ID, mo, today, canEdit),
		CanEdit: canEdit, CanManageSchedule: a.Can(waymark.PermManageFollowUps)}
}

func (s *Server) handleMoveOn(w http.ResponseWriter, r *http.Request) error {
	mo, err := s.svc.MoveOn.FindMoveOn(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "move-on", s.moveOnPage(w, r, mo))
}

// PlanFormPage records a new version of the move-on plan.
type PlanFormPage struct {
	Layout
	MoveOn  *waymark.MoveOn
	Form    Form
	Options waymark.MoveOnOptions
	// SupportEndHint says where the date support ends comes from when the plan gives none.
	SupportEndHint string
	// Conflict is set when someone else saved the plan while the user was working on it.
	Conflict bool
}

// planFields are the plan form's fields in the order they appear, for the error summary.
var planFields = append([]string{"support_ends_on", "accommodation_type", "accommodation_status", "housing_duty", "housing_authority",
	"housing_applied_on"}, append(benefitFields(), "immigration_status", "leave_expires_on", "gp_registered", "employment",
	"support_services", "notes")...)

// benefitFields names the plan form's select for each benefit: benefit_<benefit>.
func benefitFields() []string {
	var out []string
	for _, b := range waymark.BenefitOptions() {
		out = append(out, "benefit_"+b.Value)
	}
	return out
}

// planDates are the plan form's date inputs.
var planDates = []dateInput{{"support_ends_on", "The date support ends", false}, {"housing_applied_on", "The date of the application", false},
	{"leave_expires_on", "The date their leave ends", false}}

// planFromForm reads the plan form, and what is wrong with its dates; Validate checks every value.
// A benefit left blank is not recorded.
func planFromForm(v url.Values) (waymark.MoveOnPlan, map[string]string) {
	fields := joinDates(v, planDates...)
	p := waymark.MoveOnPlan{SupportEndsOn: v.Get("support_ends_on"), AccommodationType: waymark.AccommodationType(v.Get("accommodation_type")),
		AccommodationStatus: waymark.AccommodationStatus(v.Get("accommodation_status")), HousingDuty: waymark.HousingDuty(v.Get("housing_duty")),
		HousingAuthority: v.Get("housing_authority"), HousingAppliedOn: v.Get("housing_applied_on"),
		ImmigrationStatus: waymark.ImmigrationStatus(v.Get("immigration_status")), LeaveExpiresOn: v.Get("leave_expires_on"),
		GPRegistered: waymark.Answer(v.Get("gp_registered")), Employment: waymark.Employment(v.Get("employment")),
		SupportServices: textareaValue(v, "support_services"), Notes: textareaValue(v, "notes")}
	for _, b := range waymark.BenefitOptions() {
		if status := v.Get("benefit_" + b.Value); status != "" {
			p.Benefits = append(p.Benefits, waymark.BenefitClaim{Benefit: waymark.Benefit(b.Value), Status: waymark.ClaimStatus(status)})
		}
	}
	return p, fields
}

// textareaValue reads a text area with its line endings as the API sends them, so that a plan
// saved from the page and then from the API does not differ only by "\r\n".
func textareaValue(v url.Values, name string) string {
	return strings.ReplaceAll(v.Get(name), "\r\n", "\n")
}

// planFormValues is the plan form filled from a saved plan (nil: none yet).
func planFormValues(p *waymark.MoveOnPlan) url.Values {
	if p == nil {
		return url.Values{"version": {"0"}}
	}
	v := url.Values{"support_ends_on": {p.SupportEndsOn}, "accommodation_type": {string(p.AccommodationType)},
		"accommodation_status": {string(p.AccommodationStatus)}, "housing_duty": {string(p.HousingDuty)}, "housing_authority": {p.HousingAuthority},
		"housing_applied_on": {p.HousingAppliedOn}, "immigration_status": {string(p.ImmigrationStatus)}, "leave_expires_on": {p.LeaveExpiresOn},
		"gp_registered": {string(p.GPRegistered)}, "employment": {string(p.Employment)}, "support_services": {p.SupportServices},
		"notes": {p.Notes}, "version": {strconv.Itoa(p.Version)}}
	for _, c := range p.Benefits {
		v.Set("benefit_"+string(c.Benefit), string(c.Status))
	}
	return v
}

// planVersion is the version of the saved plan, 0 before the first.
func planVersion(mo *waymark.MoveOn) int {
	if mo.Plan == nil {
		return 0
	}
	return mo.Plan.Version
}

func (s *Server) planFormPage(w http.ResponseWriter, r *http.Request, mo *waymark.MoveOn) PlanFormPage {
	hint := "It may be in the future. Leave it blank to use the date from the NRM record: the end of victim care or reach-in support, " +
		"or 45 days after a positive conclusive grounds decision."
	if end := mo.SupportEnd; end.On != "" && (mo.Plan == nil || mo.Plan.SupportEndsOn == "") {
		hint = "It may be in the future. Leave it blank to use the date from the NRM record, at the moment " + waymark.FormatDay(end.On) + " (" + end.Source + ")."
	}
	return PlanFormPage{Layout: s.layout(w, r, "Move-on plan"), MoveOn: mo, Form: Form{Values: planFormValues(mo.Plan)}, Options: waymark.MoveOnPlanOptions(),
		SupportEndHint: hint}
}

func (s *Server) handlePlanForm(w http.ResponseWriter, r *http.Request) error {
	mo, err := s.svc.MoveOn.FindMoveOn(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "move-on-plan", s.planFormPage(w, r, mo))
}

func (s *Server) handlePlanSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	p, fields := planFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, p.Validate(s.cfg.Now()))
	} else {
		err = s.svc.MoveOn.SavePlan(r.Context(), actor(r), id, version, &p)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+id+"/move-on", "Move-on plan saved.")
	case waymark.EINVALID, waymark.ECONFLICT:
		mo, ferr := s.svc.MoveOn.FindMoveOn(r.Context(), actor(r), id)
		if ferr != nil {
			return ferr
		}
		page := s.planFormPage(w, r, mo)
		page.Form, page.Errors = formFromError(r.PostForm, err, planFields...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			// Show the version now saved, so that saving again is a deliberate choice.
			page.Conflict = true
			page.Form.Values.Set("version", strconv.Itoa(planVersion(mo)))
		}
		return s.render(w, r, errorStatus(err), "move-on-plan", page)
	}
	return err
}
