package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// assessmentForm answers every criterion of the current framework.
func assessmentForm(version, action string) url.Values {
	v := url.Values{"version": {version}, "action": {action}}
	for _, c := range waymark.CurrentFramework().Criteria() {
		v.Set("answer-"+c.ID, "partly")
		v.Set("evidence-"+c.ID, "Noted at the team meeting")
	}
	return v
}

func TestSelfAssessmentPages(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			tr := newTestRegion(t, engine, 5)
			manager := tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach)
			worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
			otherManager := tr.user(t, waymark.RoleManager, waymark.OrgHomelessHostel)
			analyst := tr.user(t, waymark.RoleAnalyst, waymark.OrgOther)
			m := tr.newClient(t)
			m.signIn(manager.Email)

			var path string
			t.Run("a manager starts a draft and sees the measures with their thresholds", func(t *testing.T) {
				idx := m.get("/self-assessment")
				if idx.status != http.StatusOK || !strings.Contains(idx.body, "Start a new self-assessment") || !strings.Contains(idx.body, `id="trend"`) ||
					!strings.Contains(idx.body, "Regional median") {
					t.Fatalf("index: status %d", idx.status)
				}
				r := m.post("/self-assessment/new", url.Values{})
				path = r.header.Get("Location")
				if r.status != http.StatusSeeOther || !strings.HasPrefix(path, "/self-assessment/") {
					t.Fatalf("start: status %d, location %q", r.status, path)
				}
				d := m.get(path)
				for _, want := range []string{"Green at 80% or more, amber at 50% or more, red below", `data-measure="training_coverage"`, "Complete the assessment"} {
					if !strings.Contains(d.body, want) {
						t.Errorf("the draft lacks %q", want)
					}
				}
			})
			t.Run("an evidence note that is too long is refused, keeping what was typed", func(t *testing.T) {
				v := assessmentForm("1", "save")
				v.Set("evidence-r2-coverage", "Kept <evidence> "+strings.Repeat("x", 2000))
				r := m.post(path, v)
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "must be 2,000 characters or fewer: you have written 2016") ||
					!strings.Contains(r.body, "Kept &lt;evidence&gt; xxx") || !strings.Contains(r.body, `href="#evidence-r2-coverage"`) {
					t.Errorf("status %d; the page lacks the message, the link or the text", r.status)
				}
			})
			t.Run("completing with a question unanswered says which", func(t *testing.T) {
				v := assessmentForm("1", "complete")
				v.Del("answer-r7-routes")
				r := m.post(path, v)
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "before completing the assessment") || !strings.Contains(r.body, `href="#answer-r7-routes"`) {
					t.Errorf("status %d", r.status)
				}
			})
			t.Run("a save based on an old version is a conflict that keeps the answers", func(t *testing.T) {
				if r := m.post(path, assessmentForm("1", "save")); r.status != http.StatusSeeOther {
					t.Fatalf("save: status %d", r.status)
				}
				v := assessmentForm("1", "save")
				v.Set("evidence-r1-sessions", "My stale note")
				r := m.post(path, v)
				if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else saved this self-assessment") || !strings.Contains(r.body, "My stale note") {
					t.Errorf("status %d", r.status)
				}
			})
			t.Run("a manager completes it and it becomes read-only", func(t *testing.T) {
				r := m.post(path, assessmentForm("2", "complete"))
				if r.status != http.StatusSeeOther {
					t.Fatalf("complete: status %d: %s", r.status, r.body)
				}
				d := m.get(path)
				if !strings.Contains(d.body, "Completed on") || strings.Contains(d.body, "<textarea") {
					t.Error("the completed assessment is not read-only")
				}
				if rep := m.get(path + "/report"); rep.status != http.StatusOK || !strings.Contains(rep.body, "Self-assessment report") {
					t.Errorf("report: status %d", rep.status)
				}
			})
			t.Run("an action with bad answers is refused, keeping what was typed", func(t *testing.T) {
				r := m.post("/self-assessment/actions", url.Values{"action": {"Kept <action>"}, "owner": {""}, "due_on-day": {"31"}, "due_on-month": {"2"}, "due_on-year": {"2027"}})
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Enter the name of the person") || !strings.Contains(r.body, `value="Kept &lt;action&gt;"`) ||
					!strings.Contains(r.body, `value="31"`) {
					t.Errorf("status %d", r.status)
				}
				r = m.post("/self-assessment/actions", url.Values{"action": {"Run a refresher"}, "owner": {"Sam Carter"}, "due_on-day": {"31"}, "due_on-month": {"3"}, "due_on-year": {"2027"}, "recommendation": {"R2"}})
				if r.status != http.StatusSeeOther {
					t.Errorf("add: status %d", r.status)
				}
			})
			t.Run("a frontline worker reads without forms and may not change", func(t *testing.T) {
				w := tr.newClient(t)
				w.signIn(worker.Email)
				r := w.get(path)
				if r.status != http.StatusOK || strings.Contains(r.body, "<textarea") {
					t.Errorf("read: status %d", r.status)
				}
				idx := w.get("/self-assessment")
				if strings.Contains(idx.body, `id="action-form"`) || strings.Contains(idx.body, "Start a new self-assessment") || !strings.Contains(idx.body, "Run a refresher") {
					t.Error("the frontline index shows a form or lacks the plan")
				}
				if r := w.post("/self-assessment/new", url.Values{}); r.status != http.StatusNotFound {
					t.Errorf("start: status %d", r.status)
				}
			})
			t.Run("another organisation's manager gets not found", func(t *testing.T) {
				o := tr.newClient(t)
				o.signIn(otherManager.Email)
				if r := o.get(path); r.status != http.StatusNotFound {
					t.Errorf("status %d", r.status)
				}
				if r := o.post(path, assessmentForm("3", "save")); r.status != http.StatusNotFound {
					t.Errorf("save: status %d", r.status)
				}
			})
			t.Run("through the API a manager saves with 409 on a stale version, and an analyst reads only the region", func(t *testing.T) {
				token := tr.token(t, manager)
				r := m.api("POST", "/api/v1/self-assessments", token, "")
				if r.status != http.StatusCreated || !strings.Contains(r.body, `"status": "draft"`) || !strings.Contains(r.body, `"thresholds": "Green at 80% or more`) {
					t.Fatalf("start: status %d: %s", r.status, r.body)
				}
				var a struct {
					ID      string `json:"id"`
					Version int    `json:"version"`
				}
				if err := json.Unmarshal([]byte(r.body), &a); err != nil {
					t.Fatal(err)
				}
				body := `{"version": ` + strconv.Itoa(a.Version) + `, "answers": {"r1-sessions": {"answer": "yes", "evidence": "Four sessions"}}}`
				if r := m.api("PUT", "/api/v1/self-assessments/"+a.ID, token, body); r.status != http.StatusOK || !strings.Contains(r.body, "Four sessions") {
					t.Errorf("save: status %d: %s", r.status, r.body)
				}
				if r := m.api("PUT", "/api/v1/self-assessments/"+a.ID, token, body); r.status != http.StatusConflict {
					t.Errorf("stale save: status %d", r.status)
				}
				bad := `{"version": ` + strconv.Itoa(a.Version+1) + `, "answers": {"r1-sessions": {"answer": "maybe"}}}`
				if r := m.api("PUT", "/api/v1/self-assessments/"+a.ID, token, bad); r.status != http.StatusUnprocessableEntity {
					t.Errorf("bad answer: status %d", r.status)
				}
				at := tr.token(t, analyst)
				if r := m.api("GET", "/api/v1/self-assessments", at, ""); r.status != http.StatusForbidden {
					t.Errorf("analyst list: status %d", r.status)
				}
				if r := m.api("GET", "/api/v1/self-assessment/region", at, ""); r.status != http.StatusOK || !strings.Contains(r.body, `"shown": true`) || strings.Contains(r.body, "own_score") {
					t.Errorf("analyst region: status %d: %s", r.status, r.body)
				}
				ot := tr.token(t, otherManager)
				if r := m.api("GET", "/api/v1/self-assessments/"+a.ID, ot, ""); r.status != http.StatusNotFound {
					t.Errorf("another organisation: status %d", r.status)
				}
			})
			t.Run("an analyst sees only the regional figures, naming no organisation", func(t *testing.T) {
				a := tr.newClient(t)
				a.signIn(analyst.Email)
				if r := a.get("/self-assessment"); r.status != http.StatusNotFound {
					t.Errorf("own page: status %d", r.status)
				}
				r := a.get("/self-assessment/region")
				if r.status != http.StatusOK || !strings.Contains(r.body, "Lower quartile") || strings.Contains(r.body, "Your organisation") {
					t.Errorf("region: status %d", r.status)
				}
				for _, o := range tr.region.Organisations {
					if o.Type != waymark.OrgOther && strings.Contains(r.body, o.Name) {
						t.Errorf("the region names %s", o.Name)
					}
				}
			})
		})
	}
}
