package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"waymark"
)

// Self-assessment: how the service measures up against the recommendations R1 to R7. Frontline
// workers, safeguarding leads, managers and organisation admins read their organisation's
// assessments and action plan (PermViewAssessment); managers start, answer and complete them and
// keep the plan (PermManageAssessment), and only they see the forms. The regional comparison is
// for those with PermViewRegionalStats (managers and analysts).

// AssessmentIndexPage is the organisation's self-assessment: the latest completed assessment, an
// open draft, the history with each recommendation's score over time, and the action plan.
type AssessmentIndexPage struct {
	Layout
	Draft  *waymark.Assessment
	Latest *waymark.Assessment
	// LatestResults are the latest completed assessment's ratings.
	LatestResults []waymark.RecommendationResult
	Completed     []*waymark.Assessment
	Trend         Trend
	Actions       []*waymark.PlanAction
	CanManage     bool
	CanRegion     bool
	// RegionMedian is each recommendation's regional median beside the latest scores, by
	// recommendation ID, when the viewer sees the region and it is shown.
	RegionMedian map[string]string
	// Form is the form to add an action.
	Form            Form
	Recommendations []waymark.Option
}

// Trend is each recommendation's score in each completed assessment, oldest first, as a table and
// a chart drawn on the server.
type Trend struct {
	Dates []string
	Rows  []TrendRow
	Chart *TrendChart
}

// TrendRow is one recommendation's scores over time.
type TrendRow struct {
	ID, Title string
	Cells     []waymark.RecommendationResult
}

// AssessmentPage is one assessment: the form for a draft to those who manage assessments, and
// read-only otherwise.
type AssessmentPage struct {
	Layout
	Assessment *waymark.Assessment
	Results    []waymark.RecommendationResult
	Form       Form
	Editable   bool
	// Conflict is set when someone else saved the draft first.
	Conflict bool
	Answers  []waymark.Option
}

// AssessmentReportPage is the printable report of an assessment with the action plan.
type AssessmentReportPage struct {
	Layout
	Organisation string
	Assessment   *waymark.Assessment
	Results      []waymark.RecommendationResult
	Actions      []*waymark.PlanAction
}

// RegionPage is the regional comparison.
type RegionPage struct {
	Layout
	Comparison *waymark.RegionalComparison
	// Own is set for viewers whose organisation's scores are shown beside the region's.
	Own bool
	Min int
}

// PlanActionFormPage changes an action of the plan.
type PlanActionFormPage struct {
	Layout
	Action          *waymark.PlanAction
	Form            Form
	Recommendations []waymark.Option
	Statuses        []waymark.Option
	Conflict        bool
}

var planActionFields = []string{"action", "owner", "due_on", "recommendation", "status"}

// trendOf lays out each recommendation's score in each completed assessment, oldest first.
func trendOf(completed []*waymark.Assessment) Trend {
	var t Trend
	rows := map[string]*TrendRow{}
	for _, r := range waymark.CurrentFramework().Recommendations {
		t.Rows = append(t.Rows, TrendRow{ID: r.ID, Title: r.Title})
	}
	for i := range t.Rows {
		rows[t.Rows[i].ID] = &t.Rows[i]
	}
	for i := len(completed) - 1; i >= 0; i-- {
		a := completed[i]
		t.Dates = append(t.Dates, a.CompletedOn)
		res := map[string]waymark.RecommendationResult{}
		for _, r := range a.Results() {
			res[r.ID] = r
		}
		for id, row := range rows {
			row.Cells = append(row.Cells, res[id])
		}
	}
	t.Chart = trendChart(t)
	return t
}

func (s *Server) assessmentIndex(w http.ResponseWriter, r *http.Request, f Form) (AssessmentIndexPage, error) {
	a := actor(r)
	page := AssessmentIndexPage{Layout: s.layout(w, r, "Self-assessment"), CanManage: a.Can(waymark.PermManageAssessment),
		CanRegion: a.Can(waymark.PermViewRegionalStats), Form: f, Recommendations: waymark.RecommendationOptions()}
	list, err := s.svc.Assessments.FindAssessments(r.Context(), a)
	if err != nil {
		return page, err
	}
	for _, x := range list {
		if x.Completed() {
			page.Completed = append(page.Completed, x)
		} else if page.Draft == nil {
			page.Draft = x
		}
	}
	if len(page.Completed) > 0 {
		page.Latest = page.Completed[0]
		page.LatestResults = page.Latest.Results()
		page.Trend = trendOf(page.Completed)
		if page.CanRegion {
			c, err := s.svc.Assessments.RegionalComparison(r.Context(), a)
			if err != nil {
				return page, err
			}
			if c.Shown {
				page.RegionMedian = map[string]string{}
				for _, row := range c.Rows {
					page.RegionMedian[row.ID] = "Too few to show"
					if row.HasFigures() {
						page.RegionMedian[row.ID] = strconv.FormatFloat(row.Median, 'f', -1, 64)
					}
				}
			}
		}
	}
	page.Actions, err = s.svc.Assessments.FindActions(r.Context(), a)
	return page, err
}

func (s *Server) handleAssessmentIndex(w http.ResponseWriter, r *http.Request) error {
	page, err := s.assessmentIndex(w, r, Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "self-assessment", page)
}

func (s *Server) handleAssessmentStart(w http.ResponseWriter, r *http.Request) error {
	a, err := s.svc.Assessments.StartAssessment(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return redirect(w, r, "/self-assessment/"+a.ID, "")
}

// assessmentValues is the form of a stored assessment.
func assessmentValues(a *waymark.Assessment) url.Values {
	v := url.Values{"version": {strconv.Itoa(a.Version)}}
	for id, ans := range a.Answers {
		v.Set("answer-"+id, string(ans.Answer))
		v.Set("evidence-"+id, ans.Evidence)
	}
	return v
}

// assessmentFromForm reads the answers to a framework's criteria from a posted form, the version
// the change is based on and whether to complete the assessment; fields says what in the form
// itself could not be read.
func assessmentFromForm(f *waymark.Framework, v url.Values) (answers map[string]waymark.CriterionAnswer, version int, complete bool, fields map[string]string) {
	answers = map[string]waymark.CriterionAnswer{}
	fields = map[string]string{}
	for _, c := range f.Criteria() {
		answers[c.ID] = waymark.CriterionAnswer{Answer: waymark.AssessmentAnswer(v.Get("answer-" + c.ID)), Evidence: v.Get("evidence-" + c.ID)}
	}
	version, err := strconv.Atoi(strings.TrimSpace(v.Get("version")))
	if err != nil || version < 1 {
		fields["version"] = "The form could not be read: open the self-assessment again and make your changes there"
	}
	complete = v.Get("action") == "complete"
	return answers, version, complete, fields
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request, status int, a *waymark.Assessment, f Form, errs []FieldError, conflict bool) error {
	title := "Self-assessment"
	if a.Completed() {
		title += " completed on " + waymark.FormatDay(a.CompletedOn)
	}
	page := AssessmentPage{Layout: s.layout(w, r, title), Assessment: a, Results: a.Results(), Form: f,
		Editable: !a.Completed() && actor(r).Can(waymark.PermManageAssessment), Conflict: conflict, Answers: waymark.AssessmentAnswerOptions()}
	page.Errors = errs
	return s.render(w, r, status, "self-assessment-form", page)
}

func (s *Server) handleAssessmentView(w http.ResponseWriter, r *http.Request) error {
	a, err := s.svc.Assessments.FindAssessment(r.Context(), actor(r), r.PathValue("assessment"))
	if err != nil {
		return err
	}
	return s.assessmentPage(w, r, http.StatusOK, a, Form{Values: assessmentValues(a)}, nil, false)
}

func (s *Server) handleAssessmentSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	ac := actor(r)
	id := r.PathValue("assessment")
	cur, err := s.svc.Assessments.FindAssessment(r.Context(), ac, id)
	if err != nil {
		return err
	}
	f := cur.Framework()
	answers, version, complete, fields := assessmentFromForm(f, r.PostForm)
	if len(fields) > 0 {
		err = withFormErrors(fields, waymark.ValidateAnswers(f, answers, complete))
	} else {
		_, err = s.svc.Assessments.SaveAssessment(r.Context(), ac, id, version, answers, complete)
	}
	switch waymark.ErrorCode(err) {
	case "":
	case waymark.EINVALID:
		var order []string
		for _, c := range f.Criteria() {
			order = append(order, "answer-"+c.ID, "evidence-"+c.ID)
		}
		form, errs := formFromError(r.PostForm, err, order...)
		return s.assessmentPage(w, r, http.StatusUnprocessableEntity, cur, form, errs, false)
	case waymark.ECONFLICT:
		if cur.Completed() {
			return err
		}
		// Show the answers typed, against the latest version, so that saving again replaces the
		// other change knowingly.
		v := r.PostForm
		v.Set("version", strconv.Itoa(cur.Version))
		return s.assessmentPage(w, r, http.StatusConflict, cur, Form{Values: v}, nil, true)
	default:
		return err
	}
	if complete {
		return redirect(w, r, "/self-assessment/"+id, "Self-assessment completed. The measures are kept as they were today.")
	}
	return redirect(w, r, "/self-assessment/"+id, "Answers saved. Complete the assessment when every question is answered.")
}

func (s *Server) handleAssessmentReport(w http.ResponseWriter, r *http.Request) error {
	a, err := s.svc.Assessments.FindAssessment(r.Context(), actor(r), r.PathValue("assessment"))
	if err != nil {
		return err
	}
	actions, err := s.svc.Assessments.FindActions(r.Context(), actor(r))
	if err != nil {
		return err
	}
	page := AssessmentReportPage{Layout: s.layout(w, r, "Self-assessment report"), Assessment: a, Results: a.Results(), Actions: actions}
	if id := identity(r); id != nil && id.Organisation != nil {
		page.Organisation = id.Organisation.Name
	}
	return s.render(w, r, http.StatusOK, "self-assessment-report", page)
}

func (s *Server) handleAssessmentRegion(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	c, err := s.svc.Assessments.RegionalComparison(r.Context(), a)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "self-assessment-region", RegionPage{Layout: s.layout(w, r, "Self-assessment across the region"), Comparison: c,
		Own: a.Can(waymark.PermViewAssessment), Min: waymark.MinRegionalOrganisations})
}

// planActionFromForm reads an action of the plan, and what is wrong with its due date.
func planActionFromForm(v url.Values) (waymark.PlanAction, map[string]string) {
	fields := joinDates(v, dateInput{name: "due_on", label: "due date"})
	return waymark.PlanAction{Text: v.Get("action"), Owner: v.Get("owner"), DueOn: v.Get("due_on"), Status: v.Get("status"),
		Recommendation: v.Get("recommendation")}, fields
}

func (s *Server) handleActionAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	p, fields := planActionFromForm(r.PostForm)
	p.Status = waymark.PlanOpen
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, p.Validate())
	} else {
		err = s.svc.Assessments.AddAction(r.Context(), actor(r), &p)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		f, errs := formFromError(r.PostForm, err, planActionFields...)
		page, perr := s.assessmentIndex(w, r, f)
		if perr != nil {
			return perr
		}
		page.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "self-assessment", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/self-assessment#action-plan", "Action added to the plan.")
}

func (s *Server) findPlanAction(r *http.Request) (*waymark.PlanAction, error) {
	list, err := s.svc.Assessments.FindActions(r.Context(), actor(r))
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if p.ID == r.PathValue("action") {
			return p, nil
		}
	}
	return nil, waymark.Errorf(waymark.ENOTFOUND, "The action could not be found.")
}

func (s *Server) planActionForm(w http.ResponseWriter, r *http.Request, status int, page PlanActionFormPage) error {
	errs := page.Errors
	page.Layout = s.layout(w, r, "Change an action")
	page.Errors = errs
	page.Recommendations = waymark.RecommendationOptions()
	page.Statuses = waymark.PlanStatusOptions()
	return s.render(w, r, status, "self-assessment-action", page)
}

func planActionValues(p *waymark.PlanAction) url.Values {
	return url.Values{"action": {p.Text}, "owner": {p.Owner}, "due_on": {p.DueOn}, "status": {p.Status}, "recommendation": {p.Recommendation},
		"version": {strconv.Itoa(p.Version)}}
}

func (s *Server) handleActionEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.findPlanAction(r)
	if err != nil {
		return err
	}
	return s.planActionForm(w, r, http.StatusOK, PlanActionFormPage{Action: p, Form: Form{Values: planActionValues(p)}})
}

func (s *Server) handleActionUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.findPlanAction(r)
	if err != nil {
		return err
	}
	p, fields := planActionFromForm(r.PostForm)
	version, verr := strconv.Atoi(r.PostForm.Get("version"))
	if verr != nil {
		version = -1
	}
	if len(fields) > 0 {
		err = withFormErrors(fields, p.Validate())
	} else {
		_, err = s.svc.Assessments.UpdateAction(r.Context(), actor(r), cur.ID, version, p)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/self-assessment#action-plan", "Action changed.")
	case waymark.EINVALID:
		var page PlanActionFormPage
		page.Action = cur
		page.Form, page.Errors = formFromError(r.PostForm, err, planActionFields...)
		return s.planActionForm(w, r, http.StatusUnprocessableEntity, page)
	case waymark.ECONFLICT:
		v := r.PostForm
		v.Set("version", strconv.Itoa(cur.Version))
		return s.planActionForm(w, r, http.StatusConflict, PlanActionFormPage{Action: cur, Form: Form{Values: v}, Conflict: true})
	}
	return err
}
