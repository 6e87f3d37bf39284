package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"waymark"
)

const xssAssessment = `<script>alert("evidence")</script>`

func assessmentData(completed bool) *waymark.Assessment {
	a := &waymark.Assessment{ID: "sa1", OrgID: "org1", FrameworkVersion: waymark.CurrentFrameworkVersion, Status: waymark.AssessmentDraft, StartedOn: "2026-11-01",
		Version: 3, Answers: map[string]waymark.CriterionAnswer{"r1-sessions": {Answer: waymark.AssessPartly, Evidence: xssAssessment}},
		Measures: &waymark.Measures{From: "2025-11-28", On: "2026-11-27", Values: map[string]waymark.Measure{
			waymark.MeasureTrainingCoverage:  waymark.Percent(waymark.MeasureTrainingCoverage, 3, 4, ""),
			waymark.MeasureAwarenessSessions: {Key: waymark.MeasureAwarenessSessions, Known: true, Value: 2},
			waymark.MeasureRGMedianDays:      {Key: waymark.MeasureRGMedianDays, NoData: "No reasonable grounds decisions in the period"},
		}}}
	if completed {
		a.Status, a.CompletedOn = waymark.AssessmentCompleted, "2026-11-27"
	}
	return a
}

func planData() []*waymark.PlanAction {
	return []*waymark.PlanAction{{ID: "p1", Text: xssAssessment, Owner: "Sam <b>Carter</b>", DueOn: "2027-03-31", Status: waymark.PlanOpen, Recommendation: "R2", Version: 1}}
}

func assessmentPagesData(l Layout, f Form) map[string]any {
	older := assessmentData(true)
	older.ID, older.CompletedOn = "sa0", "2026-05-01"
	completed := []*waymark.Assessment{assessmentData(true), older}
	rows := []waymark.RegionalRow{{ID: "R1", Title: "Awareness", Quartiles: waymark.Quartiles{Lower: 0.5, Median: 1, Upper: 1.5}, Rated: 6, Own: 2, OwnRated: true, OwnRAG: waymark.Green},
		{ID: "R2", Title: "Training", Rated: 3}}
	return map[string]any{
		"self-assessment": AssessmentIndexPage{Layout: l, Draft: assessmentData(false), Latest: completed[0], LatestResults: completed[0].Results(), Completed: completed,
			Trend: trendOf(completed), Actions: planData(), CanManage: true, CanRegion: true, RegionMedian: map[string]string{"R1": "1.5", "R2": "Too few to show"}, Form: f, Recommendations: waymark.RecommendationOptions()},
		"self-assessment-form": AssessmentPage{Layout: l, Assessment: assessmentData(false), Results: assessmentData(false).Results(), Form: f, Editable: true, Conflict: true,
			Answers: waymark.AssessmentAnswerOptions()},
		"self-assessment-report": AssessmentReportPage{Layout: l, Organisation: "Harbour <Street> Outreach", Assessment: assessmentData(true), Results: assessmentData(true).Results(), Actions: planData()},
		"self-assessment-region": RegionPage{Layout: l, Comparison: &waymark.RegionalComparison{Organisations: 6, Shown: true, Rows: rows}, Own: true, Min: 5},
		"self-assessment-action": PlanActionFormPage{Layout: l, Action: planData()[0], Form: f, Recommendations: waymark.RecommendationOptions(),
			Statuses: waymark.PlanStatusOptions(), Conflict: true},
	}
}

func TestAssessmentPagesRender(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l := Layout{Title: "Title", Nonce: "n0nce"}
	render := func(t *testing.T, page string, data any) string {
		t.Helper()
		w := httptest.NewRecorder()
		if err := s.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, page, data); err != nil {
			t.Fatal(err)
		}
		body := w.Body.String()
		if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>Carter") {
			t.Errorf("%s has a refused or unescaped value", page)
		}
		return body
	}
	f := Form{Values: assessmentValues(assessmentData(false))}
	t.Run("the draft form shows each measure with its thresholds and the answers kept", func(t *testing.T) {
		body := render(t, "self-assessment-form", AssessmentPage{Layout: l, Assessment: assessmentData(false), Results: assessmentData(false).Results(), Form: f, Editable: true,
			Answers: waymark.AssessmentAnswerOptions()})
		for _, want := range []string{"75% (3 of 4)", "Green at 80% or more, amber at 50% or more, red below", "No reasonable grounds decisions in the period",
			`id="answer-r1-sessions-1" name="answer-r1-sessions" type="radio" value="partly" checked`, "&lt;script&gt;", `name="action" value="complete"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})
	t.Run("a completed assessment is read-only", func(t *testing.T) {
		body := render(t, "self-assessment-form", AssessmentPage{Layout: l, Assessment: assessmentData(true), Results: assessmentData(true).Results(), Form: f})
		if strings.Contains(body, "<form method=\"post\" action=\"/self-assessment/sa1\"") || strings.Contains(body, "<textarea") {
			t.Error("a read-only assessment shows a form")
		}
	})
	t.Run("the trend has a chart and a table", func(t *testing.T) {
		body := render(t, "self-assessment", assessmentPagesData(l, f)["self-assessment"])
		if !strings.Contains(body, "<svg class=\"wm-chart\"") || !strings.Contains(body, `id="trend"`) || !strings.Contains(body, "1 May 2026") {
			t.Error("the trend lacks its chart or table")
		}
	})
	t.Run("the region hides a recommendation rated by too few", func(t *testing.T) {
		body := render(t, "self-assessment-region", assessmentPagesData(l, f)["self-assessment-region"])
		if !strings.Contains(body, "Rated by fewer than 5 organisations: too few to show") {
			t.Error("the region shows figures for too few organisations")
		}
	})
}

func TestAssessmentFromForm(t *testing.T) {
	fw := waymark.CurrentFramework()
	v := url.Values{"version": {"4"}, "action": {"complete"}, "answer-r1-sessions": {"yes"}, "evidence-r1-sessions": {"Four sessions"}, "answer-nope": {"yes"}}
	answers, version, complete, fields := assessmentFromForm(fw, v)
	if version != 4 || !complete || len(fields) != 0 || answers["r1-sessions"] != (waymark.CriterionAnswer{Answer: waymark.AssessYes, Evidence: "Four sessions"}) {
		t.Errorf("read %v %d %t %v", answers["r1-sessions"], version, complete, fields)
	}
	if _, ok := answers["nope"]; ok || len(answers) != len(fw.Criteria()) {
		t.Errorf("answers %v", answers)
	}
	if _, _, _, fields := assessmentFromForm(fw, url.Values{"version": {"x"}}); fields["version"] == "" {
		t.Error("a bad version is not reported")
	}
}

// FuzzAssessmentForm feeds the self-assessment and action forms: reading them never panics, every
// problem is keyed by a field the page shows, and what is accepted is in range.
func FuzzAssessmentForm(f *testing.F) {
	f.Add("version=2&action=save&answer-r1-sessions=yes&evidence-r1-sessions=a%0Ab", "action=Book&owner=Sam&due_on-day=31&due_on-month=3&due_on-year=2027&recommendation=R2")
	f.Add("version=-1&action=complete&answer-r2-coverage=maybe&evidence-r2-coverage=%07", "due_on-day=31&due_on-month=2&due_on-year=2027&recommendation=R9&status=lost")
	fw := waymark.CurrentFramework()
	known := map[string]bool{"version": true}
	for _, c := range fw.Criteria() {
		known["answer-"+c.ID], known["evidence-"+c.ID] = true, true
	}
	for _, k := range planActionFields {
		known[k] = true
	}
	f.Fuzz(func(t *testing.T, assessment, action string) {
		v, _ := url.ParseQuery(assessment)
		answers, _, complete, fields := assessmentFromForm(fw, v)
		err := withFormErrors(fields, waymark.ValidateAnswers(fw, answers, complete))
		for k := range waymark.ErrorFields(err) {
			if !known[k] {
				t.Errorf("problem keyed %q, not a field of the page", k)
			}
		}
		if err == nil {
			for id, a := range answers {
				if !a.Answer.Valid() || len([]rune(a.Evidence)) > waymark.MaxEvidence || complete && a.Answer == "" {
					t.Errorf("accepted %s: %+v", id, a)
				}
			}
		}
		v, _ = url.ParseQuery(action)
		p, fields := planActionFromForm(v)
		err = withFormErrors(fields, p.Validate())
		for k := range waymark.ErrorFields(err) {
			if !known[k] {
				t.Errorf("action problem keyed %q", k)
			}
		}
		if err == nil && (p.Text == "" || p.Owner == "" || p.DueOn == "") {
			t.Errorf("accepted action %+v", p)
		}
	})
}
