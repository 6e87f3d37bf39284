package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// postMultipart sends a multipart form, as the import page's form does, with a file when file is set.
func (c *httpClient) postMultipart(path string, fields map[string]string, file string) response {
	c.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if file != "" {
		fw, _ := w.CreateFormFile("file", "training.csv")
		fw.Write([]byte(file))
	}
	w.Close()
	req, _ := http.NewRequest("POST", c.base+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func TestTrainingPages(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			tr := newTestRegion(t, engine, 5)
			manager := tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach)
			worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
			m := tr.newClient(t)
			m.signIn(manager.Email)

			t.Run("a course with bad answers is refused, saying how to fix each, keeping what was typed", func(t *testing.T) {
				r := m.post("/training/courses", url.Values{"name": {"Kept <name>"}, "provider": {""}, "level": {"expert"}, "validity_months": {"two years"}})
				if r.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d", r.status)
				}
				for _, want := range []string{"Enter who provides the course", "Choose the level of the course", "Enter how many months the training stays valid as a whole number",
					`value="Kept &lt;name&gt;"`, `value="two years"`} {
					if !strings.Contains(r.body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
			})
			t.Run("a manager adds a course", func(t *testing.T) {
				r := m.post("/training/courses", url.Values{"name": {"Outreach induction"}, "provider": {"Harbour Street Outreach"}, "level": {"awareness"}, "validity_months": {"12"}})
				if r.status != http.StatusSeeOther {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				if list := m.get("/training/courses"); !strings.Contains(list.body, "Outreach induction") {
					t.Error("the catalogue lacks the new course")
				}
			})
			t.Run("a completion with a date that is not real is refused, keeping the boxes", func(t *testing.T) {
				r := m.post("/training/completions", url.Values{"person": {"u:" + worker.ID}, "course": {tr.region.Training.CourseIDs[0]},
					"completed_on-day": {"31"}, "completed_on-month": {"2"}, "completed_on-year": {"2026"}})
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "The date they completed the course must be a real date") ||
					!strings.Contains(r.body, `value="31"`) || !strings.Contains(r.body, `<option value="u:`+worker.ID+`" selected>`) {
					t.Errorf("status %d; body lacks the message or the answers", r.status)
				}
				r = m.post("/training/completions", url.Values{})
				for _, want := range []string{"Choose the member of staff or volunteer", "Choose the course they completed", "Enter the date they completed the course"} {
					if !strings.Contains(r.body, want) {
						t.Errorf("an empty form's page lacks %q", want)
					}
				}
			})
			t.Run("a completion is recorded", func(t *testing.T) {
				r := m.post("/training/completions", url.Values{"person": {"u:" + worker.ID}, "course": {tr.region.Training.CourseIDs[0]},
					"completed_on-day": {"2"}, "completed_on-month": {"1"}, "completed_on-year": {"2026"}})
				if r.status != http.StatusSeeOther {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
			})

			csvBad := "Name,Email,Course,Completed on\n" +
				worker.Name + "," + worker.Email + ",Modern slavery awarenes,31/02/2026\n" +
				"Zed Newcomer,,First Responder training,01/06/2025\n"
			csvGood := strings.Replace(strings.Replace(csvBad, "awarenes,", "awareness,", 1), "31/02/2026", "28/02/2026", 1)
			before := m.get("/training")
			t.Run("a file with a bad row gets a line for it, naming each problem, and stores nothing", func(t *testing.T) {
				r := m.postMultipart("/training/import", map[string]string{"action": "import"}, csvBad)
				if r.status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d", r.status)
				}
				want := "Row 2: the date &#39;31/02/2026&#39; is not a real date: write it as day/month/year, for example 05/03/2026; no course is called &#39;Modern slavery awarenes&#39; — check the spelling against the catalogue"
				if !strings.Contains(r.body, want) {
					t.Errorf("the report lacks the row's line")
				}
				if !strings.Contains(r.body, "Zed Newcomer") || strings.Contains(r.body, `id="import-confirm"`) {
					t.Error("the report should show the good row but offer no import")
				}
				if after := m.get("/training"); strings.Contains(after.body, "Zed Newcomer") {
					t.Error("a refused import added a volunteer")
				}
			})
			t.Run("a checked file is imported by posting it again", func(t *testing.T) {
				r := m.postMultipart("/training/import", map[string]string{"action": "check", "csv": csvGood}, "")
				if r.status != http.StatusOK || !strings.Contains(r.body, "Import 2 records") || !strings.Contains(r.body, "New volunteer") {
					t.Fatalf("check: status %d", r.status)
				}
				r = m.postMultipart("/training/import", map[string]string{"action": "import", "csv": csvGood}, "")
				if r.status != http.StatusSeeOther {
					t.Fatalf("import: status %d: %s", r.status, r.body)
				}
				after := m.get("/training")
				if !strings.Contains(after.body, "Zed Newcomer") || after.body == before.body {
					t.Error("the coverage does not show the imported training")
				}
				again := m.postMultipart("/training/import", map[string]string{"action": "check", "csv": csvGood}, "")
				if !strings.Contains(again.body, "2 already recorded, which are skipped") || !strings.Contains(again.body, "There is nothing new to import") {
					t.Error("importing the same file again should skip every row")
				}
			})
			t.Run("an empty import says what to send", func(t *testing.T) {
				r := m.postMultipart("/training/import", map[string]string{"action": "check"}, "")
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose a CSV file, or paste the rows") {
					t.Errorf("status %d", r.status)
				}
			})
			t.Run("an awareness session with bad answers is refused, keeping them", func(t *testing.T) {
				r := m.post("/awareness", url.Values{"on-day": {"1"}, "on-month": {"1"}, "on-year": {"2099"}, "audience": {"everyone"}, "attending": {"a dozen"},
					"topic": {""}, "notes": {"kept <notes>"}})
				for _, want := range []string{"The date of the session must be today or in the past", "Choose who the session was for",
					"Enter how many people attended as a whole number", "Enter the topic of the session", "kept &lt;notes&gt;", `value="a dozen"`,
					`class="govuk-error-summary"`, `<a href="#attending">`} {
					if !strings.Contains(r.body, want) {
						t.Errorf("the page lacks %q", want)
					}
				}
				r = m.post("/awareness", url.Values{"on-day": {"1"}, "on-month": {"3"}, "on-year": {"2026"}, "audience": {"clients"}, "attending": {"1,200"}, "topic": {"Rights at work"}})
				if r.status != http.StatusSeeOther {
					t.Errorf("a good session: status %d", r.status)
				}
			})

			w := tr.newClient(t)
			w.signIn(worker.Email)
			t.Run("a frontline worker reads the training pages without forms, and may not change them", func(t *testing.T) {
				for _, p := range []string{"/training", "/training/courses", "/training/volunteers", "/awareness"} {
					r := w.get(p)
					if r.status != http.StatusOK || strings.Contains(r.body, `method="post" action="/training`) || strings.Contains(r.body, "/awareness/new") {
						t.Errorf("GET %s: status %d, or forms shown", p, r.status)
					}
				}
				if r := w.post("/training/courses", url.Values{"name": {"x"}}); r.status != http.StatusNotFound {
					t.Errorf("posting a course: status %d", r.status)
				}
				if r := w.postMultipart("/training/import", map[string]string{"csv": csvGood}, ""); r.status != http.StatusNotFound {
					t.Errorf("importing: status %d", r.status)
				}
			})

			token := tr.token(t, manager)
			t.Run("the API's dry run reports and stores nothing; a bad file is 422 with the report", func(t *testing.T) {
				csv := "name,course,completed_on\nAPI Volunteer,First Responder training,2026-01-05\nAPI Volunteer,Nope,2026-01-05\n"
				req := func(q string) response {
					r, _ := http.NewRequest("POST", m.base+"/api/v1/training/import"+q, strings.NewReader(csv))
					r.Header.Set("Authorization", "Bearer "+token)
					r.Header.Set("Content-Type", "text/csv")
					return m.do(r)
				}
				var rep struct {
					Stored  bool     `json:"stored"`
					BadRows int      `json:"bad_rows"`
					Errors  []string `json:"errors"`
				}
				r := req("?dry_run=true")
				if err := json.Unmarshal([]byte(r.body), &rep); err != nil || r.status != http.StatusOK || rep.Stored || rep.BadRows != 1 {
					t.Errorf("dry run: status %d, %+v, %v", r.status, rep, err)
				}
				r = req("")
				if err := json.Unmarshal([]byte(r.body), &rep); err != nil || r.status != http.StatusUnprocessableEntity || rep.Stored ||
					len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0], "Row 3: no course is called 'Nope'") {
					t.Errorf("import: status %d, %+v, %v", r.status, rep, err)
				}
				if r := m.api("GET", "/api/v1/training/volunteers", token, ""); strings.Contains(r.body, "API Volunteer") {
					t.Error("a refused import added a volunteer")
				}
			})
			t.Run("through the API only the keeper changes a course, from the version it read", func(t *testing.T) {
				var list struct {
					Items []struct {
						ID, Name       string
						OrganisationID string `json:"organisation_id"`
						Version        int
					}
				}
				r := m.api("GET", "/api/v1/training/courses", token, "")
				if err := json.Unmarshal([]byte(r.body), &list); err != nil || r.status != http.StatusOK {
					t.Fatalf("list: status %d, %v", r.status, err)
				}
				for _, c := range list.Items {
					body := `{"name": "` + c.Name + `", "provider": "Changed", "level": "specialist", "validity_months": 6, "version": ` + strconv.Itoa(c.Version) + `}`
					stale := strings.Replace(body, `"version": `+strconv.Itoa(c.Version), `"version": 0`, 1)
					switch {
					case c.OrganisationID != manager.OrgID:
						if r := m.api("PUT", "/api/v1/training/courses/"+c.ID, token, body); r.status != http.StatusForbidden {
							t.Errorf("changing %q, kept by another organisation: status %d, want 403", c.Name, r.status)
						}
					default:
						if r := m.api("PUT", "/api/v1/training/courses/"+c.ID, token, stale); r.status != http.StatusConflict {
							t.Errorf("changing %q from a stale version: status %d, want 409", c.Name, r.status)
						}
						if r := m.api("PUT", "/api/v1/training/courses/"+c.ID, token, body); r.status != http.StatusOK || !strings.Contains(r.body, `"provider": "Changed"`) {
							t.Errorf("changing %q: status %d: %s", c.Name, r.status, r.body)
						}
					}
				}
			})
		})
	}
}
