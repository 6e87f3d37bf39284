package main

import (
	"net/http"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_Training is training records: a manager adds a course to the catalogue, records a
// completion for a frontline worker, imports a spreadsheet first with bad rows (each reported,
// nothing stored) and then corrected (stored), sees coverage change, and records an awareness
// session; a frontline worker reads the training pages and is offered no forms. Every state is
// checked with axe-core.
func TestBrowser_Training(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	manager := tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach)
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)

	t.Run("a manager keeps the organisation's training records", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(manager)
		if status := b.click(`nav a[href="/training"]`); status != http.StatusOK {
			t.Fatalf("open training: status %d", status)
		}
		b.wantPage("/training", "Training")
		b.checkPage("training coverage")
		inDateBefore := b.text("#coverage-in-date")

		// A course: first with nothing filled in, then properly.
		b.open("/training/courses")
		b.checkPage("course catalogue")
		status := b.click(`#course-form button[type=submit]`)
		b.wantErrorSummary("course, empty", status, http.StatusUnprocessableEntity)
		b.checkPage("course, empty")
		b.fill("#name", "Outreach night shift induction <script>window.__xss=1</script>")
		b.fill("#provider", "Harbour Street Outreach")
		b.choose("#level-1")
		b.fill("#validity_months", "24")
		if status := b.click(`#course-form button[type=submit]`); status != http.StatusOK {
			t.Fatalf("add a course: status %d", status)
		}
		if !strings.Contains(b.text("#courses"), "Outreach night shift induction") {
			t.Error("the catalogue lacks the new course")
		}
		b.wantInert("course catalogue with a hostile name", "<script>window.__xss=1</script>")
		b.checkPage("course added")

		// A completion: a date that is not real, then a real one.
		b.open("/training/completions/new")
		b.checkPage("record training")
		b.selectValue("#person", "u:"+worker.ID)
		courseID := evalJS[string](b, `[...document.querySelectorAll('#course option')].find(o => o.textContent.startsWith('Outreach night shift induction')).value`)
		b.selectValue("#course", courseID)
		b.fillDate("completed_on", "30", "2", "2026")
		status = b.click(`#completion-form button[type=submit]`)
		b.wantErrorSummary("completion, no such date", status, http.StatusUnprocessableEntity)
		if got := evalJS[string](b, `document.querySelector('#completed_on').value + '/' + document.querySelector('#person').value`); got != "30/u:"+worker.ID {
			t.Errorf("the answers were not kept: %s", got)
		}
		b.checkPage("completion, no such date")
		b.fillDate("completed_on", "3", "2", "2026")
		if status := b.click(`#completion-form button[type=submit]`); status != http.StatusOK {
			t.Fatalf("record a completion: status %d", status)
		}
		b.wantPage("/training", "Training")
		if !strings.Contains(b.text(".govuk-notification-banner"), "completed Outreach night shift induction") {
			t.Errorf("no confirmation: %q", b.text("main"))
		}
		b.checkPage("completion recorded")

		// A spreadsheet with bad rows: each is reported, and nothing is stored.
		bad := "name,email,course,completed_on\n" +
			"Priya Volunteer,,Modern slavery awarenes,31/02/2026\n" +
			"Sam Helper,,First Responder training,2026-01-15\n" +
			"Someone,nobody@example.org,Modern slavery awareness,01/03/2026\n"
		b.open("/training/import")
		b.checkPage("import")
		b.fill("#csv", bad)
		status = b.click(`#import-form button[type=submit]`)
		b.wantErrorSummary("import, bad rows", status, http.StatusUnprocessableEntity)
		report := b.text("#import-errors")
		for _, want := range []string{
			"Row 2: the date '31/02/2026' is not a real date: write it as day/month/year, for example 05/03/2026; no course is called 'Modern slavery awarenes' — check the spelling against the catalogue",
			"Row 4: no member of staff of your organisation has the email address 'nobody@example.org'",
		} {
			if !strings.Contains(report, want) {
				t.Errorf("the report lacks %q: %q", want, report)
			}
		}
		if b.count("#import-confirm") != 0 {
			t.Error("a file with bad rows is offered for import")
		}
		if got := evalJS[string](b, `document.querySelector('#csv').value`); !strings.Contains(got, "Priya Volunteer") {
			t.Error("the pasted rows were not kept")
		}
		b.checkPage("import, bad rows")
		b.open("/training/volunteers")
		if strings.Contains(b.text("main"), "Sam Helper") {
			t.Error("a refused import added a volunteer")
		}

		// Corrected, checked, then imported with the button that posts the same rows again.
		good := "name,email,course,completed_on\n" +
			"Priya Volunteer,,Modern slavery awareness,28/02/2026\n" +
			"Sam Helper,,First Responder training,2026-01-15\n" +
			worker.Name + "," + worker.Email + ",Modern slavery awareness,01/03/2026\n"
		b.open("/training/import")
		b.fill("#csv", good)
		if status := b.click(`#import-form button[type=submit]`); status != http.StatusOK {
			t.Fatalf("check the corrected file: status %d", status)
		}
		if got := b.text("#import-summary"); !strings.Contains(got, "3 to add, with 2 new volunteers") {
			t.Errorf("the summary: %q", got)
		}
		b.checkPage("import, checked")
		if status := b.click(`#import-confirm button[type=submit]`); status != http.StatusOK {
			t.Fatalf("import: status %d", status)
		}
		b.wantPage("/training", "Training")
		if got := b.text(".govuk-notification-banner"); !strings.Contains(got, "Imported 3 training records. Added 2 new volunteers.") {
			t.Errorf("the confirmation: %q", got)
		}
		if after := b.text("#coverage-in-date"); after == inDateBefore {
			t.Errorf("coverage did not change: %s", after)
		}
		people := b.text("#people-training")
		if !strings.Contains(people, "Priya Volunteer") || !strings.Contains(people, "Sam Helper") {
			t.Error("the new volunteers are not listed with their training")
		}
		b.checkPage("training after the import")

		// An awareness session: with a missing audience, then complete.
		b.open("/awareness")
		b.checkPage("awareness")
		b.click(`#record-awareness`)
		b.fillDate("on", "12", "3", "2026")
		b.fill("#attending", "14")
		b.fill("#topic", "Your rights at work")
		status = b.click(`#awareness-form button[type=submit]`)
		b.wantErrorSummary("awareness, no audience", status, http.StatusUnprocessableEntity)
		b.checkPage("awareness, no audience")
		b.choose("#audience")
		if status := b.click(`#awareness-form button[type=submit]`); status != http.StatusOK {
			t.Fatalf("record a session: status %d", status)
		}
		if !strings.Contains(b.text("#awareness-list"), "Your rights at work") {
			t.Error("the session is not listed")
		}
		b.checkPage("awareness recorded")
	})

	t.Run("a frontline worker reads the training pages and is offered no forms", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(worker)
		for _, p := range []struct{ path, h1 string }{{"/training", "Training"}, {"/training/courses", "Course catalogue"},
			{"/training/volunteers", "Volunteers"}, {"/awareness", "Awareness activities"}} {
			if status := b.open(p.path); status != http.StatusOK {
				t.Fatalf("open %s: status %d", p.path, status)
			}
			b.wantPage(p.path, p.h1)
			if n := b.count(`main form[method=post]`); n != 0 {
				t.Errorf("%s offers a frontline worker %d forms", p.path, n)
			}
			b.checkPage(p.path + " as a frontline worker")
		}
		if status := b.open("/training/import"); status != http.StatusNotFound {
			t.Errorf("the import page: status %d, want 404", status)
		}
	})
}
