package main

import (
	"net/http"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_SelfAssessment is the self-assessment: a manager starts one, sees the measures
// computed from the records with their thresholds, submits an evidence note that is too long (the
// error shown, the note kept), completes it, adds an action to the plan and opens the printable
// report; a frontline worker reads it without forms; an analyst sees only the regional page.
// Every state is checked with axe-core.
func TestBrowser_SelfAssessment(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	manager := tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach)
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	analyst := tr.user(t, waymark.RoleAnalyst, waymark.OrgOther)
	criteria := waymark.CurrentFramework().Criteria()

	var assessmentPath string
	t.Run("a manager completes a self-assessment and keeps an action plan", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(manager)
		if status := b.click(`nav a[href="/self-assessment"]`); status != http.StatusOK {
			t.Fatalf("open the self-assessment: status %d", status)
		}
		b.wantPage("/self-assessment", "Self-assessment")
		b.checkPage("self-assessment with the demo history")

		if status := b.click(`#start-assessment`); status != http.StatusOK {
			t.Fatalf("start: status %d", status)
		}
		assessmentPath = b.path()
		if !strings.HasPrefix(assessmentPath, "/self-assessment/") {
			t.Fatalf("the draft is at %s", assessmentPath)
		}
		main := b.text("main")
		for _, want := range []string{"Training coverage", "Green at 80% or more, amber at 50% or more, red below", "Median days to a reasonable grounds decision",
			"Green at 5 days or fewer, amber at 30 days or fewer, red above", "Active sharing agreements"} {
			if !strings.Contains(main, want) {
				t.Errorf("the draft lacks %q", want)
			}
		}
		if got := b.text(`[data-measure="training_coverage"]`); !strings.Contains(got, "%") && !strings.Contains(got, "counted") {
			t.Errorf("training coverage reads %q", got)
		}
		b.checkPage("draft with the computed measures")

		for _, c := range criteria {
			b.choose("#answer-" + c.ID)
		}
		long := "Kept evidence " + strings.Repeat("x", 2100)
		b.fill("#evidence-r2-coverage", long)
		status := b.click(`#save`)
		b.wantErrorSummary("evidence too long", status, http.StatusUnprocessableEntity)
		if !strings.Contains(b.text(".govuk-error-summary"), "must be 2,000 characters or fewer") {
			t.Errorf("the summary: %q", b.text(".govuk-error-summary"))
		}
		if got := evalJS[string](b, `document.querySelector('#evidence-r2-coverage').value`); got != long {
			t.Errorf("the evidence note was not kept: %d characters", len(got))
		}
		if !evalJS[bool](b, `document.querySelector('#answer-r7-routes').checked`) {
			t.Error("the answers were not kept")
		}
		b.checkPage("evidence too long")

		b.fill("#evidence-r2-coverage", "Everyone on the training page is in date but two.")
		if status := b.click(`#complete`); status != http.StatusOK {
			t.Fatalf("complete: status %d", status)
		}
		if !strings.Contains(b.text("h1"), "Completed on") || b.count("textarea") != 0 {
			t.Errorf("the completed assessment is not read-only: %q", b.text("h1"))
		}
		b.checkPage("completed assessment")

		b.open("/self-assessment")
		b.fill("#action", "Book first responder training for the night team")
		b.fill("#owner", "Priya Shah")
		b.fillDate("due_on", "31", "3", "2027")
		b.selectValue("#recommendation", "R2")
		if status := b.click(`#action-form button[type=submit]`); status != http.StatusOK {
			t.Fatalf("add an action: status %d", status)
		}
		if !strings.Contains(b.text("#actions"), "Book first responder training for the night team") {
			t.Error("the plan lacks the new action")
		}
		b.checkPage("action added")

		b.open(assessmentPath + "/report")
		b.wantPage(assessmentPath+"/report", "Self-assessment report")
		report := b.text("main")
		if !strings.Contains(report, "Everyone on the training page is in date but two.") || !strings.Contains(report, "Book first responder training") {
			t.Error("the report lacks the evidence or the plan")
		}
		if b.count("main form") != 0 || b.count("main button") != 0 {
			t.Error("the report has forms or buttons")
		}
		b.checkPage("printable report")
	})

	t.Run("a frontline worker reads it without forms", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(worker)
		if status := b.click(`nav a[href="/self-assessment"]`); status != http.StatusOK {
			t.Fatalf("open: status %d", status)
		}
		if b.count("main form") != 0 {
			t.Error("a frontline worker is offered a form")
		}
		b.checkPage("self-assessment, frontline")
		b.open(assessmentPath)
		if b.count("main form") != 0 || b.count("textarea") != 0 || !strings.Contains(b.text("main"), "Everyone on the training page") {
			t.Error("the assessment is not read-only for a frontline worker")
		}
		b.checkPage("assessment, frontline")
	})

	t.Run("an analyst sees only the regional page", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(analyst)
		if status := b.click(`nav a[href="/self-assessment/region"]`); status != http.StatusOK {
			t.Fatalf("open the region: status %d", status)
		}
		b.wantPage("/self-assessment/region", "Self-assessment across the region")
		region := b.text("main")
		if !strings.Contains(region, "Lower quartile") || strings.Contains(region, "Your organisation") {
			t.Errorf("the regional page: %q", region)
		}
		for _, o := range tr.region.Organisations {
			if strings.Contains(region, o.Name) {
				t.Errorf("the regional page names %s", o.Name)
			}
		}
		b.checkPage("region, analyst")
		if status := b.open("/self-assessment"); status != http.StatusNotFound {
			t.Errorf("an analyst's own self-assessment page: status %d", status)
		}
	})
}
