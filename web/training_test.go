package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"waymark"
)

// xssTraining is a stored-XSS and formula payload in training's free text: it must render inert.
const xssTraining = `=HYPERLINK("x")<script>alert("training")</script>`

func trainingCoverageData() *waymark.TrainingCoverage {
	aw := &waymark.TrainingCompletion{ID: "t1", CourseID: "c1", CourseName: xssTraining, Level: waymark.LevelAwareness, CompletedOn: "2026-01-10", ExpiresOn: "2028-01-10"}
	people := []waymark.TrainingPerson{
		{UserID: "u1", Name: "Ada <b>Worker</b>", Role: waymark.RoleFrontline, Counted: true},
		{VolunteerID: "v1", Name: "Val Volunteer", Counted: true},
		{UserID: "u2", Name: "Max Manager", Role: waymark.RoleManager},
	}
	aw.UserID = "u1"
	return waymark.ComputeCoverage(people, []*waymark.TrainingCompletion{aw}, "2026-11-27")
}

func trainingCourses() []*waymark.Course {
	return []*waymark.Course{
		{ID: "c1", OrgID: "org1", OrgName: "Harbour <Street> Outreach", Name: xssTraining, Provider: "Council", Level: waymark.LevelAwareness, ValidityMonths: 24, Version: 1},
		{ID: "c2", OrgID: "org2", OrgName: "Freedom Trust", Name: "First Responder training", Provider: "Partnership", Level: waymark.LevelFirstResponder},
	}
}

func importReportData() *waymark.TrainingImportReport {
	return &waymark.TrainingImportReport{Rows: 4, BadRows: 1, Errors: []string{"Row 4: no course is called '" + xssTraining + "' — check the spelling against the catalogue"},
		Add:           []waymark.TrainingImportLine{{Row: 2, PersonName: "New Person", NewVolunteer: true, CourseName: "Awareness", CompletedOn: "2026-02-01", ExpiresOn: "2028-02-01"}},
		Duplicates:    []waymark.TrainingImportLine{{Row: 3, PersonName: "Ada", CourseName: "Awareness", CompletedOn: "2026-01-10"}},
		NewVolunteers: []string{"New Person"}}
}

func awarenessData() []*waymark.AwarenessActivity {
	return []*waymark.AwarenessActivity{{ID: "a1", On: "2026-03-05", Audience: "clients", Attending: 12, Topic: xssTraining, Notes: xssTraining + "\nline two", Version: 1}}
}

// trainingPagesData is every training page's data, for the render test.
func trainingPagesData(l Layout, f Form) map[string]any {
	return map[string]any{
		"training":             TrainingPage{Layout: l, Coverage: trainingCoverageData(), CanManage: true},
		"training-courses":     CoursesPage{Layout: l, Courses: trainingCourses(), OrgID: "org1", CanManage: true, Form: f, Levels: waymark.CourseLevelOptions()},
		"training-course-form": CourseFormPage{Layout: l, Course: trainingCourses()[0], Form: f, Levels: waymark.CourseLevelOptions(), Conflict: true},
		"training-volunteers": VolunteersPage{Layout: l, CanManage: true, Form: f, Volunteers: []*waymark.Volunteer{
			{ID: "v1", Name: xssTraining, Active: true, AddedOn: "2026-01-01", Version: 1}, {ID: "v2", Name: "Gone", AddedOn: "2025-01-01", EndedOn: "2026-01-01"}}},
		"training-completion": CompletionFormPage{Layout: l, Form: f, People: []waymark.Option{{Value: "u:u1", Label: "Ada (Frontline worker)"}},
			Courses: []waymark.Option{{Value: "c1", Label: xssTraining}}},
		"training-import": TrainingImportPage{Layout: l, Form: f, CSV: "name,course,completed_on\n" + xssTraining + ",x,2026-01-01\n", Report: importReportData()},
		"awareness": AwarenessPage{Layout: l, Activities: awarenessData(), Pager: Pager{Page: 1, Pages: 1, Total: 1}, Year: "2026",
			Totals: waymark.AwarenessTotals(awarenessData(), "2026"), CanManage: true},
		"awareness-form": AwarenessFormPage{Layout: l, Activity: awarenessData()[0], Form: f, Audiences: waymark.AwarenessAudienceOptions(), Conflict: true},
	}
}

func TestTrainingPagesRender(t *testing.T) {
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
		if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>Worker") || strings.Contains(body, "<Street>") {
			t.Errorf("%s has a refused or unescaped value", page)
		}
		return body
	}
	f := Form{Values: url.Values{"name": {"kept <typed>"}, "validity_months": {"abc"}, "person": {"u:u1"}, "course": {"c1"}, "completed_on-day": {"31"},
		"completed_on-month": {"2"}, "completed_on-year": {"2026"}, "attending": {"lots"}, "csv": {"name,course\nkept,row"}},
		Errs: map[string]string{"name": "Enter the name of the course", "validity_months": "Enter how many months", "completed_on": "must be a real date", "attending": "Enter how many people attended"}}
	data := trainingPagesData(l, f)
	for _, tc := range []struct {
		page string
		want []string
	}{
		{"training", []string{`id="coverage-people">2<`, `id="coverage-in-date">1 (50%)<`, "Not counted", "No training recorded", "expires 10 January 2028",
			`href="/training/import"`, `href="/training/completions/new"`, `id="untrained-list"`, `href="/training/completions/new?person=v%3av1"`}},
		{"training-courses", []string{`href="/training/courses/c1/edit"`, "24 months", "Does not expire", `value="kept &lt;typed&gt;"`, `value="abc"`,
			"Enter the name of the course", `<code>c2</code>`}},
		{"training-course-form", []string{`action="/training/courses/c1"`, `id="conflict"`}},
		{"training-volunteers", []string{`action="/training/volunteers/v1/end"`, "Stopped 1 January 2026", `value="kept &lt;typed&gt;"`, "/training/completions/new?person=v:v1"}},
		{"training-completion", []string{`<option value="u:u1" selected>`, `<option value="c1" selected>`, `value="31"`, "must be a real date"}},
		{"training-import", []string{`id="import-errors"`, "Row 4: no course is called", "New volunteer", "1 rows already recorded", "name,course\nkept,row"}},
		{"awareness", []string{"Sessions in 2026, by audience", `href="/awareness/a1/edit"`, "5 March 2026", "line two"}},
		{"awareness-form", []string{`action="/awareness/a1"`, `value="lots"`, "Enter how many people attended", `id="conflict"`}},
	} {
		t.Run(tc.page+" shows what it must, escaped", func(t *testing.T) {
			body := render(t, tc.page, data[tc.page])
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", tc.page, w)
				}
			}
		})
	}
	t.Run("a reader who does not manage training gets no forms", func(t *testing.T) {
		for page, d := range map[string]any{
			"training":            TrainingPage{Layout: l, Coverage: trainingCoverageData()},
			"training-courses":    CoursesPage{Layout: l, Courses: trainingCourses(), OrgID: "org1", Form: f},
			"training-volunteers": VolunteersPage{Layout: l, Volunteers: []*waymark.Volunteer{{ID: "v1", Name: "Val", Active: true}}, Form: f},
			"awareness":           AwarenessPage{Layout: l, Activities: awarenessData(), Year: "2026"},
		} {
			body := render(t, page, d)
			for _, not := range []string{"<form method=\"post\" action=\"/training", "/edit\"", "/training/import\"", "/awareness/new\""} {
				if strings.Contains(body, not) {
					t.Errorf("%s shows %q to a reader", page, not)
				}
			}
		}
	})
	t.Run("a report with no problems offers the import, posting the same file again", func(t *testing.T) {
		rep := importReportData()
		rep.Errors, rep.BadRows = nil, 0
		body := render(t, "training-import", TrainingImportPage{Layout: l, Form: Form{Values: url.Values{}}, CSV: "name,course,completed_on\nA,B,2026-01-01\n", Report: rep})
		for _, w := range []string{`id="import-confirm"`, "Import 1 record<", `name="action" value="import"`, "name,course,completed_on\nA,B,2026-01-01\n"} {
			if !strings.Contains(body, w) {
				t.Errorf("the page lacks %q", w)
			}
		}
	})
}
