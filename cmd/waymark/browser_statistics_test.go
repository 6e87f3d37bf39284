package main

import (
	"net/http"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_Statistics is the regional statistics: an analyst opens the dashboard for the
// region, chooses an area, opens the contract monitoring return, forgets the area and is told how
// to fix it, then chooses one and sees the return with its downloads; a frontline worker is not
// offered the statistics. No page names an organisation, and every state is checked with axe-core.
func TestBrowser_Statistics(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	analyst := tr.user(t, waymark.RoleAnalyst, waymark.OrgOther)
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	namesNoOne := func(b *browserTab, where string) {
		t.Helper()
		main := b.text("main")
		for _, o := range tr.region.Organisations {
			if strings.Contains(main, o.Name) || strings.Contains(main, o.Marker) {
				t.Errorf("%s names %s", where, o.Name)
			}
		}
	}

	t.Run("an analyst reads the dashboard and the return", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(analyst)
		if status := b.click(`nav a[href="/statistics"]`); status != http.StatusOK {
			t.Fatalf("open the statistics: status %d", status)
		}
		b.wantPage("/statistics", "Regional statistics")
		main := b.text("main")
		for _, want := range []string{"the whole region", "fewer than 5", "refused consent", "People screened", "Harrowdale"} {
			if !strings.Contains(main, want) {
				t.Errorf("the dashboard lacks %q", want)
			}
		}
		if b.count(`#by-area`) != 1 || b.count(`svg[role="img"]`) == 0 {
			t.Error("the dashboard lacks the table of areas or the charts")
		}
		namesNoOne(b, "the region's dashboard")
		b.checkPage("statistics, the region")

		b.selectValue("#area", "Harrowdale")
		if status := b.click("#show-statistics"); status != http.StatusOK {
			t.Fatalf("choose an area: status %d", status)
		}
		if got := b.text("#showing"); !strings.Contains(got, "Harrowdale") || b.count("#by-area") != 0 {
			t.Errorf("the dashboard for Harrowdale shows %q", got)
		}
		namesNoOne(b, "Harrowdale's dashboard")
		b.checkPage("statistics, one area")

		if status := b.click("#return-link"); status != http.StatusOK {
			t.Fatalf("open the return: status %d", status)
		}
		if !strings.HasPrefix(b.path(), "/statistics/return") || b.count("#return-form") != 1 || b.count(".govuk-error-summary") != 0 {
			t.Errorf("the return's form: %s", b.path())
		}
		b.checkPage("return, choosing")

		b.selectValue("#quarter", "2")
		// Back to the prompt, "Choose an area", as someone would who changed their mind.
		evalJS[int](b, `document.querySelector('#area').selectedIndex = 0`)
		status := b.click("#show-return")
		b.wantErrorSummary("return without an area", status, http.StatusBadRequest)
		if got := b.text(".govuk-error-summary"); !strings.Contains(got, "Choose the local authority area the return is for") {
			t.Errorf("the summary: %q", got)
		}
		if got := evalJS[string](b, `document.querySelector('#quarter').value`); got != "2" {
			t.Errorf("the quarter was not kept: %q", got)
		}
		b.checkPage("return, no area")

		b.selectValue("#area", "Harrowdale")
		if status := b.click("#show-return"); status != http.StatusOK {
			t.Fatalf("show the return: status %d", status)
		}
		if got := b.text("#return-for"); !strings.Contains(got, "Harrowdale: quarter 2") {
			t.Errorf("the return is for %q", got)
		}
		main = b.text("main")
		for _, want := range []string{"This quarter", "Whole year", "Download the return as CSV", "Download the return as a spreadsheet (XLSX)"} {
			if !strings.Contains(main, want) {
				t.Errorf("the return lacks %q", want)
			}
		}
		namesNoOne(b, "the return")
		b.checkPage("return, Harrowdale quarter 2")
	})

	t.Run("a frontline worker is not offered the statistics", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(worker)
		if b.count(`nav a[href="/statistics"]`) != 0 {
			t.Error("the navigation offers the statistics")
		}
		if status := b.open("/statistics"); status != http.StatusNotFound {
			t.Errorf("the dashboard: status %d, want 404", status)
		}
	})
}
