package web

import (
	"net/http"
	"net/url"

	"waymark"
)

// NRMPage is the NRM journey tracker: the referral submitted, the decisions with the days they
// took, and what followed, each with a form to record it.
type NRMPage struct {
	Layout
	Client    *waymark.Client
	Journey   *waymark.Journey
	Decisions []DecisionRow
	// ReferralForm, DecisionForm and MilestoneForm record the referral, a decision and a milestone.
	ReferralForm, DecisionForm, MilestoneForm Form
	FirstResponders                           []waymark.Option
	Stages, DecisionOutcomes, Authorities     []waymark.Option
	MilestoneKinds                            []waymark.Option
	CanEdit                                   bool
}

// DecisionRow is a decision with the days it took from the first referral and, for a positive
// conclusive grounds decision, the earliest end of move-on support.
type DecisionRow struct {
	*waymark.NRMDecision
	Days      int
	HasDays   bool
	MoveOnEnd string
}

// The field orders of the tracker's forms, for the error summary.
var (
	referralFields  = []string{"submitted_on", "first_responder_org_id", "reference"}
	decisionFields  = []string{"stage", "outcome", "authority", "decided_on", "reconsideration_requested_on"}
	milestoneFields = []string{"kind", "on", "note"}
)

// decisionRows adds the days from the first referral and the move-on end to each decision.
func decisionRows(j *waymark.Journey) []DecisionRow {
	var from string
	if ref := j.FirstReferral(); ref != nil {
		from = ref.SubmittedOn
	}
	out := make([]DecisionRow, len(j.Decisions))
	for i, d := range j.Decisions {
		out[i] = DecisionRow{NRMDecision: d}
		out[i].Days, out[i].HasDays = d.DaysFromReferral(from)
		if end, ok := d.MoveOnEnd(); ok {
			out[i].MoveOnEnd = end
		}
	}
	return out
}

// referrerOptions lists the First Responders that may have submitted a referral: the client's
// organisation when it is one, then the directory's others.
func (s *Server) referrerOptions(r *http.Request, org *waymark.Organisation) ([]waymark.Option, error) {
	others, err := s.firstResponderOptions(r, org.ID)
	if err != nil {
		return nil, err
	}
	if !org.FirstResponder {
		return others, nil
	}
	return append([]waymark.Option{{Value: org.ID, Label: org.Name + " (your organisation)"}}, others...), nil
}

func (s *Server) nrmPage(w http.ResponseWriter, r *http.Request, clientID string) (NRMPage, error) {
	a := actor(r)
	j, err := s.svc.Journeys.FindJourney(r.Context(), a, clientID)
	if err != nil {
		return NRMPage{}, err
	}
	frs, err := s.referrerOptions(r, j.Organisation)
	if err != nil {
		return NRMPage{}, err
	}
	// The referrer is most likely the partner chosen on the pathway, or else the organisation itself.
	referrer := j.Answers.PartnerOrgID
	if referrer == "" && j.Organisation.FirstResponder {
		referrer = j.Organisation.ID
	}
	return NRMPage{Layout: s.layout(w, r, "NRM referral and decisions"), Client: j.Client, Journey: j, Decisions: decisionRows(j),
		ReferralForm: Form{Values: url.Values{"first_responder_org_id": {referrer}}}, DecisionForm: Form{Values: url.Values{}},
		MilestoneForm: Form{Values: url.Values{}}, FirstResponders: frs, Stages: waymark.DecisionStageOptions(),
		DecisionOutcomes: waymark.DecisionOutcomeOptions(waymark.ReasonableGrounds), Authorities: waymark.CompetentAuthorityOptions(),
		MilestoneKinds: waymark.MilestoneKindOptions(), CanEdit: a.Can(waymark.PermEditClients)}, nil
}

func (s *Server) handleNRM(w http.ResponseWriter, r *http.Request) error {
	page, err := s.nrmPage(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "nrm", page)
}

// nrmRecord handles a form of the tracker: read it into a record, validate, store, and re-show the
// page with the errors in the form (which set picks) or redirect with flash.
func (s *Server) nrmRecord(w http.ResponseWriter, r *http.Request, fields map[string]string, validate func() error, store func() error,
	set func(p *NRMPage, f Form), order []string, anchor, flash string) error {
	id := r.PathValue("id")
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, validate())
	} else {
		err = store()
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.nrmPage(w, r, id)
		if perr != nil {
			return perr
		}
		var f Form
		f, page.Errors = formFromError(r.PostForm, err, order...)
		set(&page, f)
		return s.render(w, r, http.StatusUnprocessableEntity, "nrm", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"/nrm#"+anchor, flash)
}

func (s *Server) handleReferralRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	v := r.PostForm
	fields := joinDates(v, dateInput{"submitted_on", "The date the referral was submitted", false})
	ref := waymark.NRMReferral{SubmittedOn: v.Get("submitted_on"), FirstResponderOrgID: v.Get("first_responder_org_id"), Reference: v.Get("reference")}
	return s.nrmRecord(w, r, fields, func() error { return ref.Validate(s.cfg.Now()) },
		func() error { return s.svc.Journeys.RecordReferral(r.Context(), actor(r), r.PathValue("id"), &ref) },
		func(p *NRMPage, f Form) { p.ReferralForm = f }, referralFields, "referrals", "The referral is recorded as submitted.")
}

func (s *Server) handleDecisionRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	v := r.PostForm
	fields := joinDates(v, dateInput{"decided_on", "The date of the decision", false},
		dateInput{"reconsideration_requested_on", "The date reconsideration was requested", false})
	d := waymark.NRMDecision{Stage: waymark.DecisionStage(v.Get("stage")), Outcome: waymark.DecisionOutcome(v.Get("outcome")),
		Authority: waymark.CompetentAuthority(v.Get("authority")), DecidedOn: v.Get("decided_on"), ReconsiderationRequestedOn: v.Get("reconsideration_requested_on")}
	return s.nrmRecord(w, r, fields, func() error { return d.Validate(s.cfg.Now()) },
		func() error { return s.svc.Journeys.RecordDecision(r.Context(), actor(r), r.PathValue("id"), &d) },
		func(p *NRMPage, f Form) { p.DecisionForm = f }, decisionFields, "decisions", "Decision recorded.")
}

func (s *Server) handleMilestoneRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	v := r.PostForm
	fields := joinDates(v, dateInput{"on", "The date", false})
	m := waymark.NRMMilestone{Kind: waymark.MilestoneKind(v.Get("kind")), On: v.Get("on"), Note: v.Get("note")}
	return s.nrmRecord(w, r, fields, func() error { return m.Validate(s.cfg.Now()) },
		func() error { return s.svc.Journeys.RecordMilestone(r.Context(), actor(r), r.PathValue("id"), &m) },
		func(p *NRMPage, f Form) { p.MilestoneForm = f }, milestoneFields, "milestones", "Recorded.")
}

// DutyToNotifyPage shows the anonymous Duty to Notify report, built only from the fields the
// report may hold, and the reports made.
type DutyToNotifyPage struct {
	Layout
	ClientID string
	// Applies is set when the client's organisation is a specified public authority.
	Applies      bool
	Organisation string
	Report       waymark.DutyToNotifyReport
	Records      []*waymark.DutyToNotifyRecord
	Form         Form
	CanEdit      bool
}

func (s *Server) dutyPage(w http.ResponseWriter, r *http.Request, clientID string) (DutyToNotifyPage, error) {
	a := actor(r)
	j, err := s.svc.Journeys.FindJourney(r.Context(), a, clientID)
	if err != nil {
		return DutyToNotifyPage{}, err
	}
	// Only the fields the report may hold leave the record: the page has no client on it at all.
	return DutyToNotifyPage{Layout: s.layout(w, r, "Duty to Notify"), ClientID: j.Client.ID, Applies: j.Organisation.SpecifiedPublicAuthority,
		Organisation: j.Organisation.Name, Report: waymark.NewDutyToNotifyReport(j.Client, j.Answers.Cooperates == waymark.AnswerYes),
		Records: j.DutyToNotify, Form: Form{Values: url.Values{}}, CanEdit: a.Can(waymark.PermEditClients)}, nil
}

func (s *Server) handleDutyToNotify(w http.ResponseWriter, r *http.Request) error {
	page, err := s.dutyPage(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "duty-to-notify", page)
}

func (s *Server) handleDutyToNotifyRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	fields := joinDates(r.PostForm, dateInput{"submitted_on", "The date the report was made", false})
	d := waymark.DutyToNotifyRecord{SubmittedOn: r.PostForm.Get("submitted_on"), Reference: r.PostForm.Get("reference")}
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, d.Validate(s.cfg.Now()))
	} else {
		err = s.svc.Journeys.RecordDutyToNotify(r.Context(), actor(r), id, &d)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.dutyPage(w, r, id)
		if perr != nil {
			return perr
		}
		page.Form, page.Errors = formFromError(r.PostForm, err, "submitted_on", "reference")
		return s.render(w, r, http.StatusUnprocessableEntity, "duty-to-notify", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"/duty-to-notify#reports", "The Duty to Notify report is recorded as made.")
}
