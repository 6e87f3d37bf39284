package web

import (
	"net/http"
	"time"

	"waymark"
)

// The JSON shapes of a client's NRM journey: explicit structs, so that no field reaches the API by
// accident.
type (
	apiPathwayAnswers struct {
		ImmediateDanger     string     `json:"immediate_danger"`
		Under18             string     `json:"under_18"`
		CareAndSupportNeeds string     `json:"care_and_support_needs"`
		Cooperates          string     `json:"cooperates"`
		PartnerOrgID        string     `json:"partner_org_id"`
		Version             int        `json:"version"`
		UpdatedAt           *time.Time `json:"updated_at,omitempty"`
	}
	apiPathwayFacts struct {
		ImmediateDanger          string `json:"immediate_danger"`
		Under18                  string `json:"under_18"`
		Consent                  string `json:"consent"`
		AskAgainOn               string `json:"ask_again_on"`
		FirstResponder           bool   `json:"first_responder"`
		SpecifiedPublicAuthority bool   `json:"specified_public_authority"`
		Partner                  string `json:"partner"`
		Cooperates               string `json:"cooperates"`
		CareAndSupportNeeds      string `json:"care_and_support_needs"`
		Homeless                 string `json:"homeless"`
	}
	apiStep struct {
		Kind   string `json:"kind"`
		Title  string `json:"title"`
		Reason string `json:"reason"`
	}
	apiPlan struct {
		Route    string    `json:"route"`
		Steps    []apiStep `json:"steps"`
		Parallel []apiStep `json:"parallel"`
	}
	apiConsent struct {
		ExplainedNRM      bool      `json:"explained_nrm"`
		ExplainedSupport  bool      `json:"explained_support"`
		ExplainedOutcomes bool      `json:"explained_outcomes"`
		ExplainedSharing  bool      `json:"explained_sharing"`
		Answer            string    `json:"answer"`
		AnsweredOn        string    `json:"answered_on"`
		AskedBy           string    `json:"asked_by"`
		RefusalReason     string    `json:"refusal_reason"`
		AskAgainOn        string    `json:"ask_again_on"`
		ID                string    `json:"id,omitempty"`
		RecordedBy        string    `json:"recorded_by,omitempty"`
		RecordedAt        time.Time `json:"recorded_at,omitzero"`
	}
	apiStepRecord struct {
		Kind           string    `json:"kind"`
		Outcome        string    `json:"outcome"`
		On             string    `json:"on"`
		Reference      string    `json:"reference"`
		Note           string    `json:"note"`
		ID             string    `json:"id,omitempty"`
		RecordedBy     string    `json:"recorded_by,omitempty"`
		RecordedByName string    `json:"recorded_by_name,omitempty"`
		RecordedAt     time.Time `json:"recorded_at,omitzero"`
	}
	apiReferral struct {
		SubmittedOn         string    `json:"submitted_on"`
		FirstResponderOrgID string    `json:"first_responder_org_id"`
		FirstResponderName  string    `json:"first_responder_name,omitempty"`
		Reference           string    `json:"reference"`
		ID                  string    `json:"id,omitempty"`
		RecordedBy          string    `json:"recorded_by,omitempty"`
		RecordedAt          time.Time `json:"recorded_at,omitzero"`
	}
	apiDecision struct {
		Stage                      string    `json:"stage"`
		Outcome                    string    `json:"outcome"`
		Authority                  string    `json:"authority"`
		DecidedOn                  string    `json:"decided_on"`
		ReconsiderationRequestedOn string    `json:"reconsideration_requested_on"`
		DaysFromReferral           *int      `json:"days_from_referral,omitempty"`
		MoveOnEnd                  string    `json:"move_on_end,omitempty"`
		ID                         string    `json:"id,omitempty"`
		RecordedBy                 string    `json:"recorded_by,omitempty"`
		RecordedAt                 time.Time `json:"recorded_at,omitzero"`
	}
	apiMilestone struct {
		Kind       string    `json:"kind"`
		On         string    `json:"on"`
		Note       string    `json:"note"`
		ID         string    `json:"id,omitempty"`
		RecordedBy string    `json:"recorded_by,omitempty"`
		RecordedAt time.Time `json:"recorded_at,omitzero"`
	}
	apiDutyToNotify struct {
		SubmittedOn       string    `json:"submitted_on"`
		Reference         string    `json:"reference"`
		AgreesToCooperate bool      `json:"agrees_to_cooperate"`
		ID                string    `json:"id,omitempty"`
		RecordedBy        string    `json:"recorded_by,omitempty"`
		RecordedAt        time.Time `json:"recorded_at,omitzero"`
	}
	apiJourney struct {
		ClientID     string            `json:"client_id"`
		Answers      apiPathwayAnswers `json:"answers"`
		Facts        apiPathwayFacts   `json:"facts"`
		Plan         apiPlan           `json:"plan"`
		Consents     []apiConsent      `json:"consents"`
		Steps        []apiStepRecord   `json:"steps"`
		Referrals    []apiReferral     `json:"referrals"`
		Decisions    []apiDecision     `json:"decisions"`
		Milestones   []apiMilestone    `json:"milestones"`
		DutyToNotify []apiDutyToNotify `json:"duty_to_notify"`
	}
)

func toAPIAnswers(a waymark.PathwayAnswers) apiPathwayAnswers {
	out := apiPathwayAnswers{ImmediateDanger: string(a.ImmediateDanger), Under18: string(a.Under18), CareAndSupportNeeds: string(a.CareAndSupportNeeds),
		Cooperates: string(a.Cooperates), PartnerOrgID: a.PartnerOrgID, Version: a.Version}
	if !a.UpdatedAt.IsZero() {
		out.UpdatedAt = &a.UpdatedAt
	}
	return out
}

func toAPISteps(steps []waymark.Step) []apiStep {
	out := []apiStep{}
	for _, s := range steps {
		out = append(out, apiStep{Kind: string(s.Kind), Title: s.Title, Reason: s.Reason})
	}
	return out
}

func toAPIConsent(c *waymark.NRMConsent) apiConsent {
	return apiConsent{ExplainedNRM: c.ExplainedNRM, ExplainedSupport: c.ExplainedSupport, ExplainedOutcomes: c.ExplainedOutcomes, ExplainedSharing: c.ExplainedSharing,
		Answer: string(c.Answer), AnsweredOn: c.AnsweredOn, AskedBy: c.AskedBy, RefusalReason: c.RefusalReason, AskAgainOn: c.AskAgainOn,
		ID: c.ID, RecordedBy: c.RecordedBy, RecordedAt: c.RecordedAt}
}

func toAPIStepRecord(s *waymark.StepRecord) apiStepRecord {
	return apiStepRecord{Kind: string(s.Kind), Outcome: string(s.Outcome), On: s.On, Reference: s.Reference, Note: s.Note,
		ID: s.ID, RecordedBy: s.RecordedBy, RecordedByName: s.RecordedByName, RecordedAt: s.RecordedAt}
}

func toAPIReferral(r *waymark.NRMReferral) apiReferral {
	return apiReferral{SubmittedOn: r.SubmittedOn, FirstResponderOrgID: r.FirstResponderOrgID, FirstResponderName: r.FirstResponderName,
		Reference: r.Reference, ID: r.ID, RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
}

// toAPIDecision writes the decision with its days from referredOn, the first referral's date.
func toAPIDecision(d *waymark.NRMDecision, referredOn string) apiDecision {
	out := apiDecision{Stage: string(d.Stage), Outcome: string(d.Outcome), Authority: string(d.Authority), DecidedOn: d.DecidedOn,
		ReconsiderationRequestedOn: d.ReconsiderationRequestedOn, ID: d.ID, RecordedBy: d.RecordedBy, RecordedAt: d.RecordedAt}
	if days, ok := d.DaysFromReferral(referredOn); ok {
		out.DaysFromReferral = &days
	}
	out.MoveOnEnd, _ = d.MoveOnEnd()
	return out
}

func toAPIMilestone(m *waymark.NRMMilestone) apiMilestone {
	return apiMilestone{Kind: string(m.Kind), On: m.On, Note: m.Note, ID: m.ID, RecordedBy: m.RecordedBy, RecordedAt: m.RecordedAt}
}

func toAPIDutyToNotify(d *waymark.DutyToNotifyRecord) apiDutyToNotify {
	return apiDutyToNotify{SubmittedOn: d.SubmittedOn, Reference: d.Reference, AgreesToCooperate: d.AgreesToCooperate,
		ID: d.ID, RecordedBy: d.RecordedBy, RecordedAt: d.RecordedAt}
}

// toAPIJourney writes the journey with the facts and the plan on the London date of now.
func toAPIJourney(j *waymark.Journey, now time.Time) apiJourney {
	f := j.Facts(now)
	plan := waymark.PlanPathway(f)
	out := apiJourney{ClientID: j.Client.ID, Answers: toAPIAnswers(j.Answers),
		Facts: apiPathwayFacts{ImmediateDanger: string(f.ImmediateDanger), Under18: string(f.Under18), Consent: string(f.Consent), AskAgainOn: f.AskAgainOn,
			FirstResponder: f.FirstResponder, SpecifiedPublicAuthority: f.SpecifiedPublicAuthority, Partner: f.Partner, Cooperates: string(f.Cooperates),
			CareAndSupportNeeds: string(f.CareAndSupportNeeds), Homeless: string(f.Homeless)},
		Plan:     apiPlan{Route: string(plan.Route), Steps: toAPISteps(plan.Steps), Parallel: toAPISteps(plan.Parallel)},
		Consents: []apiConsent{}, Steps: []apiStepRecord{}, Referrals: []apiReferral{}, Decisions: []apiDecision{}, Milestones: []apiMilestone{},
		DutyToNotify: []apiDutyToNotify{}}
	for _, c := range j.Consents {
		out.Consents = append(out.Consents, toAPIConsent(c))
	}
	for _, s := range j.Steps {
		out.Steps = append(out.Steps, toAPIStepRecord(s))
	}
	for _, r := range j.Referrals {
		out.Referrals = append(out.Referrals, toAPIReferral(r))
	}
	var referredOn string
	if r := j.FirstReferral(); r != nil {
		referredOn = r.SubmittedOn
	}
	for _, d := range j.Decisions {
		out.Decisions = append(out.Decisions, toAPIDecision(d, referredOn))
	}
	for _, m := range j.Milestones {
		out.Milestones = append(out.Milestones, toAPIMilestone(m))
	}
	for _, d := range j.DutyToNotify {
		out.DutyToNotify = append(out.DutyToNotify, toAPIDutyToNotify(d))
	}
	return out
}

func (s *Server) apiJourney(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	j, err := s.svc.Journeys.FindJourney(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIJourney(j, s.cfg.Now()))
	return nil
}

// apiPathwayAnswers replaces the pathway answers; a version other than the saved one is refused with 409.
func (s *Server) apiPathwayAnswers(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiPathwayAnswers
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := waymark.PathwayAnswers{ImmediateDanger: waymark.Answer(in.ImmediateDanger), Under18: waymark.Under18(in.Under18),
		CareAndSupportNeeds: waymark.Answer(in.CareAndSupportNeeds), Cooperates: waymark.Answer(in.Cooperates), PartnerOrgID: in.PartnerOrgID}
	if err := a.Validate(); err != nil {
		return err
	}
	saved, err := s.svc.Journeys.SaveAnswers(r.Context(), apiActor(r, id), r.PathValue("id"), in.Version, a)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAnswers(*saved))
	return nil
}

func (s *Server) apiConsentCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiConsent
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := waymark.NRMConsent{ExplainedNRM: in.ExplainedNRM, ExplainedSupport: in.ExplainedSupport, ExplainedOutcomes: in.ExplainedOutcomes,
		ExplainedSharing: in.ExplainedSharing, Answer: waymark.ConsentAnswer(in.Answer), AnsweredOn: in.AnsweredOn, AskedBy: in.AskedBy,
		RefusalReason: in.RefusalReason, AskAgainOn: in.AskAgainOn}
	if err := s.svc.Journeys.RecordConsent(r.Context(), apiActor(r, id), r.PathValue("id"), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIConsent(&c))
	return nil
}

func (s *Server) apiStepCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiStepRecord
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	st := waymark.StepRecord{Kind: waymark.StepKind(in.Kind), Outcome: waymark.StepOutcome(in.Outcome), On: in.On, Reference: in.Reference, Note: in.Note}
	if err := s.svc.Journeys.RecordStep(r.Context(), apiActor(r, id), r.PathValue("id"), &st); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIStepRecord(&st))
	return nil
}

func (s *Server) apiReferralCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiReferral
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ref := waymark.NRMReferral{SubmittedOn: in.SubmittedOn, FirstResponderOrgID: in.FirstResponderOrgID, Reference: in.Reference}
	if err := s.svc.Journeys.RecordReferral(r.Context(), apiActor(r, id), r.PathValue("id"), &ref); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIReferral(&ref))
	return nil
}

func (s *Server) apiDecisionCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiDecision
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d := waymark.NRMDecision{Stage: waymark.DecisionStage(in.Stage), Outcome: waymark.DecisionOutcome(in.Outcome), Authority: waymark.CompetentAuthority(in.Authority),
		DecidedOn: in.DecidedOn, ReconsiderationRequestedOn: in.ReconsiderationRequestedOn}
	a := apiActor(r, id)
	if err := s.svc.Journeys.RecordDecision(r.Context(), a, r.PathValue("id"), &d); err != nil {
		return err
	}
	// The days are counted from the first referral, which the journey holds.
	var referredOn string
	if j, err := s.svc.Journeys.FindJourney(r.Context(), a, r.PathValue("id")); err == nil {
		if ref := j.FirstReferral(); ref != nil {
			referredOn = ref.SubmittedOn
		}
	}
	writeJSON(w, http.StatusCreated, toAPIDecision(&d, referredOn))
	return nil
}

func (s *Server) apiMilestoneCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiMilestone
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	m := waymark.NRMMilestone{Kind: waymark.MilestoneKind(in.Kind), On: in.On, Note: in.Note}
	if err := s.svc.Journeys.RecordMilestone(r.Context(), apiActor(r, id), r.PathValue("id"), &m); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIMilestone(&m))
	return nil
}

func (s *Server) apiDutyToNotifyCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		SubmittedOn string `json:"submitted_on"`
		Reference   string `json:"reference"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d := waymark.DutyToNotifyRecord{SubmittedOn: in.SubmittedOn, Reference: in.Reference}
	if err := s.svc.Journeys.RecordDutyToNotify(r.Context(), apiActor(r, id), r.PathValue("id"), &d); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIDutyToNotify(&d))
	return nil
}
