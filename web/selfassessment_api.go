package web

import (
	"net/http"

	"waymark"
)

// Self-assessments in the API: the same service calls as the pages.

type apiMeasure struct {
	Key         string  `json:"key"`
	Name        string  `json:"name"`
	Known       bool    `json:"known"`
	Value       float64 `json:"value"`
	Numerator   int     `json:"numerator,omitempty"`
	Denominator int     `json:"denominator,omitempty"`
	NoData      string  `json:"no_data,omitempty"`
	Text        string  `json:"text"`
	Thresholds  string  `json:"thresholds"`
}

type apiCriterion struct {
	ID       string      `json:"id"`
	Question string      `json:"question"`
	Guidance string      `json:"guidance"`
	Answer   string      `json:"answer"`
	Evidence string      `json:"evidence"`
	Measure  *apiMeasure `json:"measure,omitempty"`
	RAG      string      `json:"rag"`
}

type apiRecommendation struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Score is null when no criterion is rated.
	Score    *float64       `json:"score"`
	RAG      string         `json:"rag"`
	Criteria []apiCriterion `json:"criteria"`
}

type apiAssessment struct {
	ID               string              `json:"id"`
	FrameworkVersion string              `json:"framework_version"`
	Status           string              `json:"status"`
	StartedOn        string              `json:"started_on"`
	CompletedOn      string              `json:"completed_on,omitempty"`
	PeriodFrom       string              `json:"period_from,omitempty"`
	PeriodTo         string              `json:"period_to,omitempty"`
	Version          int                 `json:"version"`
	Recommendations  []apiRecommendation `json:"recommendations"`
}

func toAPIAssessment(a *waymark.Assessment) apiAssessment {
	out := apiAssessment{ID: a.ID, FrameworkVersion: a.FrameworkVersion, Status: a.Status, StartedOn: a.StartedOn, CompletedOn: a.CompletedOn, Version: a.Version,
		Recommendations: []apiRecommendation{}}
	if a.Measures != nil {
		out.PeriodFrom, out.PeriodTo = a.Measures.From, a.Measures.On
	}
	for _, r := range a.Results() {
		rec := apiRecommendation{ID: r.ID, Title: r.Title, RAG: string(r.RAG), Criteria: []apiCriterion{}}
		if r.Rated > 0 {
			score := r.Score
			rec.Score = &score
		}
		for _, c := range r.Criteria {
			ac := apiCriterion{ID: c.Criterion.ID, Question: c.Question, Guidance: c.Guidance, Answer: string(c.Answer), Evidence: c.Evidence, RAG: string(c.RAG)}
			if m := c.Measure; m != nil {
				ac.Measure = &apiMeasure{Key: c.Criterion.Measure, Name: waymark.MeasureName(c.Criterion.Measure), Known: m.Known, Value: m.Value, Numerator: m.Numerator,
					Denominator: m.Denominator, NoData: m.NoData, Text: m.Text(), Thresholds: c.Thresholds()}
			}
			rec.Criteria = append(rec.Criteria, ac)
		}
		out.Recommendations = append(out.Recommendations, rec)
	}
	return out
}

type apiAssessmentIn struct {
	Version  int                                `json:"version"`
	Complete bool                               `json:"complete"`
	Answers  map[string]waymark.CriterionAnswer `json:"answers"`
}

type apiPlanAction struct {
	ID             string `json:"id"`
	Action         string `json:"action"`
	Owner          string `json:"owner"`
	DueOn          string `json:"due_on"`
	Status         string `json:"status"`
	Recommendation string `json:"recommendation"`
	Version        int    `json:"version"`
}

func toAPIPlanAction(p *waymark.PlanAction) apiPlanAction {
	return apiPlanAction{ID: p.ID, Action: p.Text, Owner: p.Owner, DueOn: p.DueOn, Status: p.Status, Recommendation: p.Recommendation, Version: p.Version}
}

func (in apiPlanAction) planAction() waymark.PlanAction {
	return waymark.PlanAction{Text: in.Action, Owner: in.Owner, DueOn: in.DueOn, Status: in.Status, Recommendation: in.Recommendation}
}

type apiRegionalRow struct {
	ID    string        `json:"id"`
	Title string        `json:"title"`
	Rated waymark.Count `json:"organisations_rated"`
	// Lower, Median and Upper are null when too few organisations rated the recommendation.
	Lower  *float64 `json:"lower_quartile"`
	Median *float64 `json:"median"`
	Upper  *float64 `json:"upper_quartile"`
	// Own is the caller's organisation's score, when the caller may read its assessments.
	Own *float64 `json:"own_score,omitempty"`
}

type apiRegion struct {
	Organisations waymark.Count    `json:"organisations"`
	Shown         bool             `json:"shown"`
	Minimum       int              `json:"minimum_organisations"`
	Rows          []apiRegionalRow `json:"recommendations"`
}

func (s *Server) apiAssessmentIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Assessments.FindAssessments(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	out := make([]apiAssessment, 0, len(list))
	for _, a := range list {
		out = append(out, toAPIAssessment(a))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiAssessmentStart(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	a, err := s.svc.Assessments.StartAssessment(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	if a, err = s.svc.Assessments.FindAssessment(r.Context(), apiActor(r, id), a.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIAssessment(a))
	return nil
}

func (s *Server) apiAssessmentView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	a, err := s.svc.Assessments.FindAssessment(r.Context(), apiActor(r, id), r.PathValue("assessment"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAssessment(a))
	return nil
}

func (s *Server) apiAssessmentSave(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiAssessmentIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.svc.Assessments.SaveAssessment(r.Context(), apiActor(r, id), r.PathValue("assessment"), in.Version, in.Answers, in.Complete)
	if err != nil {
		return err
	}
	if !a.Completed() {
		if a, err = s.svc.Assessments.FindAssessment(r.Context(), apiActor(r, id), a.ID); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, toAPIAssessment(a))
	return nil
}

func (s *Server) apiActionIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Assessments.FindActions(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	out := make([]apiPlanAction, 0, len(list))
	for _, p := range list {
		out = append(out, toAPIPlanAction(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

func (s *Server) apiActionCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiPlanAction
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := in.planAction()
	if err := s.svc.Assessments.AddAction(r.Context(), apiActor(r, id), &p); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIPlanAction(&p))
	return nil
}

func (s *Server) apiActionUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiPlanAction
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.svc.Assessments.UpdateAction(r.Context(), apiActor(r, id), r.PathValue("action"), in.Version, in.planAction())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIPlanAction(p))
	return nil
}

func (s *Server) apiAssessmentRegion(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	c, err := s.svc.Assessments.RegionalComparison(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	out := apiRegion{Organisations: c.Organisations, Shown: c.Shown, Minimum: waymark.MinRegionalOrganisations, Rows: []apiRegionalRow{}}
	for _, row := range c.Rows {
		ar := apiRegionalRow{ID: row.ID, Title: row.Title, Rated: row.Rated}
		if row.HasFigures() {
			l, m, u := row.Lower, row.Median, row.Upper
			ar.Lower, ar.Median, ar.Upper = &l, &m, &u
		}
		if row.OwnRated {
			o := row.Own
			ar.Own = &o
		}
		out.Rows = append(out.Rows, ar)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
