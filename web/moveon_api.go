package web

import (
	"net/http"
	"strconv"
	"time"

	"waymark"
)

// The JSON shapes of life after support: explicit structs, so that no field reaches the API by
// accident. Each input shape is also the part of the output a program sends back to change it.
type (
	apiSupportEnd struct {
		On     string `json:"on"`
		Source string `json:"source"`
	}
	apiBenefitClaim struct {
		Benefit string `json:"benefit"`
		Status  string `json:"status"`
	}
	apiMoveOnPlanIn struct {
		SupportEndsOn       string            `json:"support_ends_on"`
		AccommodationType   string            `json:"accommodation_type"`
		AccommodationStatus string            `json:"accommodation_status"`
		HousingDuty         string            `json:"housing_duty"`
		HousingAuthority    string            `json:"housing_authority"`
		HousingAppliedOn    string            `json:"housing_applied_on"`
		Benefits            []apiBenefitClaim `json:"benefits"`
		ImmigrationStatus   string            `json:"immigration_status"`
		LeaveExpiresOn      string            `json:"leave_expires_on"`
		GPRegistered        string            `json:"gp_registered"`
		Employment          string            `json:"employment"`
		SupportServices     string            `json:"support_services"`
		Notes               string            `json:"notes"`
		Version             int               `json:"version"`
	}
	apiMoveOnPlan struct {
		apiMoveOnPlanIn
		AccommodationInPlace bool      `json:"accommodation_in_place"`
		IncomeInPlace        bool      `json:"income_in_place"`
		RecordedAt           time.Time `json:"recorded_at"`
		RecordedByName       string    `json:"recorded_by_name"`
	}
	apiPlanVersion struct {
		Version        int       `json:"version"`
		RecordedAt     time.Time `json:"recorded_at"`
		RecordedByName string    `json:"recorded_by_name"`
		Changes        []string  `json:"changes"`
	}
	apiContactAttempt struct {
		On     string `json:"on"`
		Method string `json:"method"`
	}
	apiFollowUpIn struct {
		Contacted           bool                `json:"contacted"`
		StableAccommodation string              `json:"stable_accommodation"`
		RoughSleeping       string              `json:"rough_sleeping"`
		ReExploited         string              `json:"re_exploited"`
		InContact           string              `json:"in_contact"`
		Attempts            []apiContactAttempt `json:"attempts"`
		Notes               string              `json:"notes"`
		Version             int                 `json:"version"`
	}
	apiFollowUp struct {
		apiFollowUpIn
		RecordedAt     time.Time `json:"recorded_at"`
		RecordedByName string    `json:"recorded_by_name"`
		// Earlier are the versions this one corrected, newest first.
		Earlier []*apiFollowUp `json:"earlier_versions"`
	}
	apiScheduledFollowUp struct {
		Months int          `json:"months"`
		DueOn  string       `json:"due_on"`
		Status string       `json:"status"`
		Record *apiFollowUp `json:"record"`
	}
	apiMoveOn struct {
		ClientID   string                 `json:"client_id"`
		SupportEnd apiSupportEnd          `json:"support_end"`
		Plan       *apiMoveOnPlan         `json:"plan"`
		History    []apiPlanVersion       `json:"history"`
		Schedule   []int                  `json:"schedule"`
		FollowUps  []apiScheduledFollowUp `json:"follow_ups"`
		Risk       *apiRisk               `json:"risk"`
	}
)

func toAPIPlan(p *waymark.MoveOnPlan) *apiMoveOnPlan {
	if p == nil {
		return nil
	}
	out := &apiMoveOnPlan{apiMoveOnPlanIn: apiMoveOnPlanIn{SupportEndsOn: p.SupportEndsOn, AccommodationType: string(p.AccommodationType),
		AccommodationStatus: string(p.AccommodationStatus), HousingDuty: string(p.HousingDuty), HousingAuthority: p.HousingAuthority,
		HousingAppliedOn: p.HousingAppliedOn, Benefits: []apiBenefitClaim{}, ImmigrationStatus: string(p.ImmigrationStatus),
		LeaveExpiresOn: p.LeaveExpiresOn, GPRegistered: string(p.GPRegistered), Employment: string(p.Employment),
		SupportServices: p.SupportServices, Notes: p.Notes, Version: p.Version},
		AccommodationInPlace: p.AccommodationInPlace(), IncomeInPlace: p.IncomeInPlace(), RecordedAt: p.RecordedAt, RecordedByName: p.RecordedByName}
	for _, c := range p.Benefits {
		out.Benefits = append(out.Benefits, apiBenefitClaim{Benefit: string(c.Benefit), Status: string(c.Status)})
	}
	return out
}

func (in apiMoveOnPlanIn) plan() waymark.MoveOnPlan {
	p := waymark.MoveOnPlan{SupportEndsOn: in.SupportEndsOn, AccommodationType: waymark.AccommodationType(in.AccommodationType),
		AccommodationStatus: waymark.AccommodationStatus(in.AccommodationStatus), HousingDuty: waymark.HousingDuty(in.HousingDuty),
		HousingAuthority: in.HousingAuthority, HousingAppliedOn: in.HousingAppliedOn, ImmigrationStatus: waymark.ImmigrationStatus(in.ImmigrationStatus),
		LeaveExpiresOn: in.LeaveExpiresOn, GPRegistered: waymark.Answer(in.GPRegistered), Employment: waymark.Employment(in.Employment),
		SupportServices: in.SupportServices, Notes: in.Notes}
	for _, c := range in.Benefits {
		p.Benefits = append(p.Benefits, waymark.BenefitClaim{Benefit: waymark.Benefit(c.Benefit), Status: waymark.ClaimStatus(c.Status)})
	}
	return p
}

func toAPIFollowUp(u *waymark.FollowUp) *apiFollowUp {
	if u == nil {
		return nil
	}
	out := &apiFollowUp{apiFollowUpIn: apiFollowUpIn{Contacted: u.Contacted, StableAccommodation: string(u.StableAccommodation),
		RoughSleeping: string(u.RoughSleeping), ReExploited: string(u.ReExploited), InContact: string(u.InContact),
		Attempts: []apiContactAttempt{}, Notes: u.Notes, Version: u.Version}, RecordedAt: u.RecordedAt, RecordedByName: u.RecordedByName}
	for _, a := range u.Attempts {
		out.Attempts = append(out.Attempts, apiContactAttempt{On: a.On, Method: string(a.Method)})
	}
	out.Earlier = make([]*apiFollowUp, len(u.Earlier))
	for i, e := range u.Earlier {
		out.Earlier[i] = toAPIFollowUp(e)
	}
	return out
}

func (in apiFollowUpIn) followUp(months int) waymark.FollowUp {
	u := waymark.FollowUp{Months: months, Contacted: in.Contacted, StableAccommodation: waymark.Answer(in.StableAccommodation),
		RoughSleeping: waymark.Answer(in.RoughSleeping), ReExploited: waymark.Answer(in.ReExploited), InContact: waymark.Answer(in.InContact),
		Notes: in.Notes}
	for _, a := range in.Attempts {
		u.Attempts = append(u.Attempts, waymark.ContactAttempt{On: a.On, Method: waymark.ContactMethod(a.Method)})
	}
	return u
}

// toAPIMoveOn writes a client's life after support with the follow-ups' statuses on the London date today.
func toAPIMoveOn(mo *waymark.MoveOn, today string) apiMoveOn {
	out := apiMoveOn{ClientID: mo.Client.ID, SupportEnd: apiSupportEnd{On: mo.SupportEnd.On, Source: mo.SupportEnd.Source}, Plan: toAPIPlan(mo.Plan),
		History: []apiPlanVersion{}, Schedule: append([]int{}, mo.Schedule...), FollowUps: []apiScheduledFollowUp{}}
	for _, v := range planVersions(mo.History) {
		out.History = append(out.History, apiPlanVersion{Version: v.Version, RecordedAt: v.RecordedAt, RecordedByName: v.RecordedByName,
			Changes: append([]string{}, v.Changes...)})
	}
	for _, f := range mo.FollowUps {
		out.FollowUps = append(out.FollowUps, apiScheduledFollowUp{Months: f.Months, DueOn: f.DueOn, Status: followUpStatus(f, today), Record: toAPIFollowUp(f.Record)})
	}
	if mo.Risk != nil {
		risk := toAPIRisk(*mo.Risk)
		out.Risk = &risk
	}
	return out
}

// writeMoveOn answers with the client's life after support as it is now.
func (s *Server) writeMoveOn(w http.ResponseWriter, r *http.Request, a waymark.Actor, clientID string) error {
	mo, err := s.svc.MoveOn.FindMoveOn(r.Context(), a, clientID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIMoveOn(mo, s.today()))
	return nil
}

func (s *Server) apiMoveOn(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	return s.writeMoveOn(w, r, apiActor(r, id), r.PathValue("id"))
}

// apiPlanSave records a new version of the plan; a version other than the saved one is refused with 409.
func (s *Server) apiPlanSave(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiMoveOnPlanIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, p := apiActor(r, id), in.plan()
	if err := s.svc.MoveOn.SavePlan(r.Context(), a, r.PathValue("id"), in.Version, &p); err != nil {
		return err
	}
	return s.writeMoveOn(w, r, a, r.PathValue("id"))
}

// apiFollowUpRecord records or corrects the follow-up at the path's months.
func (s *Server) apiFollowUpRecord(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	months, err := strconv.Atoi(r.PathValue("months"))
	if err != nil || months < 1 {
		return waymark.Errorf(waymark.ENOTFOUND, "There is no such follow-up: give the months after support ended as a whole number.")
	}
	var in apiFollowUpIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, u := apiActor(r, id), in.followUp(months)
	if err := s.svc.MoveOn.RecordFollowUp(r.Context(), a, r.PathValue("id"), in.Version, &u); err != nil {
		return err
	}
	return s.writeMoveOn(w, r, a, r.PathValue("id"))
}

// The JSON shapes of the cliff-edge view and the outcomes.
type (
	apiCliffEdgeEntry struct {
		ClientID             string        `json:"client_id"`
		ClientName           string        `json:"client_name"`
		ClientRef            string        `json:"client_reference"`
		AssignedTo           string        `json:"assigned_to"`
		AssignedToName       string        `json:"assigned_to_name"`
		SupportEnd           apiSupportEnd `json:"support_end"`
		DaysLeft             int           `json:"days_left"`
		HasPlan              bool          `json:"has_plan"`
		AccommodationInPlace bool          `json:"accommodation_in_place"`
		IncomeInPlace        bool          `json:"income_in_place"`
	}
	apiOverdueFollowUp struct {
		ClientID       string `json:"client_id"`
		ClientName     string `json:"client_name"`
		ClientRef      string `json:"client_reference"`
		AssignedTo     string `json:"assigned_to"`
		AssignedToName string `json:"assigned_to_name"`
		Months         int    `json:"months"`
		DueOn          string `json:"due_on"`
		DaysOverdue    int    `json:"days_overdue"`
	}
	apiCliffEdge struct {
		Scope   string               `json:"scope"`
		Days    int                  `json:"days"`
		Ending  []apiCliffEdgeEntry  `json:"ending"`
		Overdue []apiOverdueFollowUp `json:"overdue"`
	}
	// apiOutcome is one outcome's count and its share of the row's people ("" when either is
	// not shown).
	apiOutcome struct {
		Count waymark.Count `json:"count"`
		Share string        `json:"share"`
	}
	apiOutcomeRow struct {
		Months              int           `json:"months"`
		People              waymark.Count `json:"people"`
		StableAccommodation apiOutcome    `json:"stable_accommodation"`
		ReturnedHomeless    apiOutcome    `json:"returned_to_homelessness"`
		ReExploited         apiOutcome    `json:"re_exploited"`
		LostContact         apiOutcome    `json:"lost_contact"`
		NotRecorded         apiOutcome    `json:"not_recorded"`
	}
	apiOutcomes struct {
		AsOf          string          `json:"as_of"`
		SuppressBelow int             `json:"suppress_below"`
		Rows          []apiOutcomeRow `json:"rows"`
		Unscheduled   []int           `json:"unscheduled"`
	}
	apiSchedule struct {
		Months []int `json:"months"`
	}
)

func toAPICliffEdge(c *waymark.CliffEdge, scope waymark.CliffEdgeScope) apiCliffEdge {
	out := apiCliffEdge{Scope: string(scope), Days: c.Days, Ending: []apiCliffEdgeEntry{}, Overdue: []apiOverdueFollowUp{}}
	for _, e := range c.Ending {
		out.Ending = append(out.Ending, apiCliffEdgeEntry{ClientID: e.ClientID, ClientName: e.ClientName, ClientRef: e.ClientReference,
			AssignedTo: e.AssignedTo, AssignedToName: e.AssignedToName, SupportEnd: apiSupportEnd{On: e.SupportEnd.On, Source: e.SupportEnd.Source},
			DaysLeft: e.DaysLeft, HasPlan: e.HasPlan, AccommodationInPlace: e.AccommodationInPlace, IncomeInPlace: e.IncomeInPlace})
	}
	for _, o := range c.Overdue {
		out.Overdue = append(out.Overdue, apiOverdueFollowUp{ClientID: o.ClientID, ClientName: o.ClientName, ClientRef: o.ClientReference,
			AssignedTo: o.AssignedTo, AssignedToName: o.AssignedToName, Months: o.Months, DueOn: o.DueOn, DaysOverdue: o.DaysOverdue})
	}
	return out
}

func (s *Server) apiCliffEdge(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	scope := waymark.CliffEdgeScope(r.URL.Query().Get("scope"))
	switch scope {
	case "":
		scope = waymark.CliffEdgeMine
	case waymark.CliffEdgeMine, waymark.CliffEdgeOrganisation:
	default:
		return waymark.Invalid(map[string]string{"scope": "scope must be mine or organisation"})
	}
	c, err := s.svc.MoveOn.FindCliffEdge(r.Context(), apiActor(r, id), scope)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPICliffEdge(c, scope))
	return nil
}

func toAPIOutcomes(o *waymark.Outcomes) apiOutcomes {
	out := apiOutcomes{AsOf: o.AsOf, SuppressBelow: waymark.SuppressBelow, Rows: []apiOutcomeRow{}, Unscheduled: append([]int{}, o.Unscheduled...)}
	for _, row := range o.Rows {
		of := func(c waymark.Count) apiOutcome { return apiOutcome{Count: c, Share: c.ShareOf(row.People)} }
		out.Rows = append(out.Rows, apiOutcomeRow{Months: row.Months, People: row.People, StableAccommodation: of(row.StableAccommodation),
			ReturnedHomeless: of(row.ReturnedHomeless), ReExploited: of(row.ReExploited), LostContact: of(row.LostContact), NotRecorded: of(row.NotRecorded)})
	}
	return out
}

func (s *Server) apiOutcomes(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	o, err := s.svc.MoveOn.FindOutcomes(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIOutcomes(o))
	return nil
}

func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	months, err := s.svc.MoveOn.FollowUpSchedule(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiSchedule{Months: append([]int{}, months...)})
	return nil
}

// apiScheduleSet replaces the schedule; the store checks the months by the rules of the form's.
func (s *Server) apiScheduleSet(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiSchedule
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.MoveOn.SetFollowUpSchedule(r.Context(), apiActor(r, id), in.Months); err != nil {
		return err
	}
	return s.apiSchedule(w, r, id)
}
