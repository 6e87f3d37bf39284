package web

import (
	"net/http"
	"net/url"
	"strconv"

	"waymark"
)

// PathwayPage is the pathway assistant: the route the facts give, the answers the worker gives it,
// the steps taken and the NRM consent asked for, each with a form to add to it.
type PathwayPage struct {
	Layout
	Client  *waymark.Client
	Journey *waymark.Journey
	Facts   waymark.PathwayFacts
	Plan    waymark.Pathway
	// Suggested is what the record says about the questions the worker may correct.
	SuggestedUnder18, SuggestedCare    string
	AnswersForm, StepForm, ConsentForm Form
	// Conflict is set when someone else saved the answers first.
	Conflict     bool
	Partners     []waymark.Option
	StepKinds    []waymark.Option
	Outcomes     []waymark.Option
	Under18s     []waymark.Option
	CareAnswers  []waymark.Option
	Answers      []waymark.Option
	Consents     []waymark.Option
	Explanations []waymark.Option
	CanEdit      bool
}

// The field orders of the pathway page's forms, for the error summary.
var (
	answerFields  = []string{"immediate_danger", "under_18", "care_and_support_needs", "cooperates", "partner_org_id"}
	stepFields    = []string{"kind", "outcome", "on", "reference", "note"}
	consentFields = []string{"explained", "answer", "answered_on", "asked_by", "refusal_reason", "ask_again_on"}
)

// explanationOptions are the four things to explain before consent is informed. The form sends
// them as one checkbox group, "explained".
func explanationOptions() []waymark.Option {
	return []waymark.Option{
		{Value: "nrm", Label: "What the National Referral Mechanism (NRM) is"},
		{Value: "support", Label: "The support they can get through it"},
		{Value: "outcomes", Label: "The possible outcomes of a referral"},
		{Value: "sharing", Label: "That their information goes to the Home Office and may go to the police"},
	}
}

// useRecord is the answer that leaves a fact to what the record says.
const useRecordLabel = "Go by their record"

// suggestion says what the record suggests, as a hint.
func suggestion(label string, recorded bool) string {
	if !recorded {
		return "Their record does not say yet."
	}
	return "From their record: " + label
}

// firstResponderOptions lists the directory's First Responder Organisations other than the one
// with the ID skip (the client's own, which is not a partner to itself).
func (s *Server) firstResponderOptions(r *http.Request, skip string) ([]waymark.Option, error) {
	return s.orgOptions(r, func(o *waymark.Organisation) bool { return o.FirstResponder && o.ID != skip }, orgName)
}

// answersValues is the answers form filled from the saved answers.
func answersValues(a waymark.PathwayAnswers) url.Values {
	return url.Values{"immediate_danger": {string(a.ImmediateDanger)}, "under_18": {string(a.Under18)},
		"care_and_support_needs": {string(a.CareAndSupportNeeds)}, "cooperates": {string(a.Cooperates)},
		"partner_org_id": {a.PartnerOrgID}, "version": {strconv.Itoa(a.Version)}}
}

// pathwayPage reads the client's journey and builds the page with empty forms.
func (s *Server) pathwayPage(w http.ResponseWriter, r *http.Request, clientID string) (PathwayPage, error) {
	a := actor(r)
	j, err := s.svc.Journeys.FindJourney(r.Context(), a, clientID)
	if err != nil {
		return PathwayPage{}, err
	}
	partners, err := s.firstResponderOptions(r, j.Organisation.ID)
	if err != nil {
		return PathwayPage{}, err
	}
	now := s.cfg.Now()
	facts := j.Facts(now)
	derived := waymark.PathwayFactsFor(j.Client, j.Organisation, now)
	under18 := append(waymark.Under18Options(), waymark.Option{Value: "", Label: useRecordLabel})
	care := append(answerOptions(), waymark.Option{Value: "", Label: useRecordLabel})
	name := ""
	if id := identity(r); id != nil {
		name = id.User.Name
	}
	return PathwayPage{Layout: s.layout(w, r, "Pathway and consent"), Client: j.Client, Journey: j, Facts: facts, Plan: waymark.PlanPathway(facts),
		SuggestedUnder18: suggestion(derived.Under18.Label(), derived.Under18 != waymark.Under18NotRecorded),
		SuggestedCare:    suggestion(derived.CareAndSupportNeeds.Label(), derived.CareAndSupportNeeds.Recorded()),
		AnswersForm:      Form{Values: answersValues(j.Answers)}, StepForm: Form{Values: url.Values{}},
		ConsentForm: Form{Values: url.Values{"asked_by": {name}, "ask_again_on": {waymark.DefaultAskAgainOn(now)}}},
		Partners:    partners, StepKinds: waymark.RecordableStepOptions(), Outcomes: waymark.StepOutcomeOptions(), Under18s: under18, CareAnswers: care,
		Answers: answerOptions(), Consents: waymark.ConsentAnswerOptions(), Explanations: explanationOptions(),
		CanEdit: a.Can(waymark.PermEditClients)}, nil
}

func (s *Server) handlePathway(w http.ResponseWriter, r *http.Request) error {
	page, err := s.pathwayPage(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "pathway", page)
}

// answersFromForm reads the pathway answers form.
func answersFromForm(v url.Values) waymark.PathwayAnswers {
	return waymark.PathwayAnswers{ImmediateDanger: waymark.Answer(v.Get("immediate_danger")), Under18: waymark.Under18(v.Get("under_18")),
		CareAndSupportNeeds: waymark.Answer(v.Get("care_and_support_needs")), Cooperates: waymark.Answer(v.Get("cooperates")),
		PartnerOrgID: v.Get("partner_org_id")}
}

func (s *Server) handlePathwayAnswers(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	a := answersFromForm(r.PostForm)
	err := a.Validate()
	if err == nil {
		_, err = s.svc.Journeys.SaveAnswers(r.Context(), actor(r), id, version, a)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+id+"/pathway", "Answers saved. The steps below follow from them.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page, perr := s.pathwayPage(w, r, id)
		if perr != nil {
			return perr
		}
		page.AnswersForm, page.Errors = formFromError(r.PostForm, err, answerFields...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			// Show the version now saved, so that saving again is a deliberate choice.
			page.Conflict = true
			page.AnswersForm.Values.Set("version", strconv.Itoa(page.Journey.Answers.Version))
			page.Errors = []FieldError{{Field: "immediate_danger", Message: "Someone else changed these answers while you were working. Check what is saved now, shown in the route above, then save yours again."}}
		}
		return s.render(w, r, errorStatus(err), "pathway", page)
	}
	return err
}

func (s *Server) handleStepRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	fields := joinDates(r.PostForm, dateInput{"on", "The date of the step", false})
	st := waymark.StepRecord{Kind: waymark.StepKind(r.PostForm.Get("kind")), Outcome: waymark.StepOutcome(r.PostForm.Get("outcome")),
		On: r.PostForm.Get("on"), Reference: r.PostForm.Get("reference"), Note: r.PostForm.Get("note")}
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, st.Validate(s.cfg.Now()))
	} else {
		err = s.svc.Journeys.RecordStep(r.Context(), actor(r), id, &st)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.pathwayPage(w, r, id)
		if perr != nil {
			return perr
		}
		page.StepForm, page.Errors = formFromError(r.PostForm, err, stepFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "pathway", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"/pathway#steps-taken", "Step recorded.")
}

// consentFromForm reads the consent form.
func consentFromForm(v url.Values) waymark.NRMConsent {
	explained := func(what string) bool {
		for _, x := range v["explained"] {
			if x == what {
				return true
			}
		}
		return false
	}
	return waymark.NRMConsent{ExplainedNRM: explained("nrm"), ExplainedSupport: explained("support"), ExplainedOutcomes: explained("outcomes"),
		ExplainedSharing: explained("sharing"), Answer: waymark.ConsentAnswer(v.Get("answer")), AnsweredOn: v.Get("answered_on"),
		AskedBy: v.Get("asked_by"), RefusalReason: v.Get("refusal_reason"), AskAgainOn: v.Get("ask_again_on")}
}

// explainedMessage is the one message the form's checkbox group shows for any explanation not ticked.
const explainedMessage = "Tick each thing you explained. Consent is only informed when the person knows what the NRM is, the support they can get, the possible outcomes and who their information goes to"

func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	fields := joinDates(r.PostForm, dateInput{"answered_on", "The date they answered", false}, dateInput{"ask_again_on", "The date to ask again", false})
	c := consentFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate(s.cfg.Now()))
	} else {
		err = s.svc.Journeys.RecordConsent(r.Context(), actor(r), id, &c)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.pathwayPage(w, r, id)
		if perr != nil {
			return perr
		}
		// The four explanations are one group of checkboxes on the page: one message for them.
		f := waymark.ErrorFields(err)
		for _, k := range []string{"explained_nrm", "explained_support", "explained_outcomes", "explained_sharing"} {
			if _, ok := f[k]; ok {
				delete(f, k)
				f["explained"] = explainedMessage
			}
		}
		page.ConsentForm, page.Errors = formFromError(r.PostForm, waymark.Invalid(f), consentFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "pathway", page)
	}
	if err != nil {
		return err
	}
	msg := "Consent recorded."
	if c.Answer == waymark.ConsentRefused {
		msg = "Their answer is recorded. Keep supporting them, and ask again on " + waymark.FormatDay(c.AskAgainOn) + "."
	}
	return redirect(w, r, "/clients/"+id+"/pathway#consent", msg)
}

// consentExplained lists what was explained before a consent was asked for.
func consentExplained(c *waymark.NRMConsent) []string {
	var out []string
	opts := explanationOptions()
	for i, done := range []bool{c.ExplainedNRM, c.ExplainedSupport, c.ExplainedOutcomes, c.ExplainedSharing} {
		if done {
			out = append(out, opts[i].Label)
		}
	}
	return out
}
