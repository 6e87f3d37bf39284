package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_Directory is the referral routes directory: a frontline worker finds safe
// accommodation for a woman with her children and no recourse to public funds, opens the safe
// house another organisation keeps and sees only that its location is confidential; then an
// organisation admin imports an HSDS file with one bad record, sees that record's problem, imports
// the corrected file and exports the organisation's services.
func TestBrowser_Directory(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	var safeHouse, safeHouseOrg string
	for _, d := range tr.region.Directory {
		if d.Name == "Freedom Trust Safe House" {
			safeHouse, safeHouseOrg = d.ID, d.OrgID
		}
	}
	if safeHouse == "" || safeHouseOrg == worker.OrgID {
		t.Fatal("the demo region has no safe house kept by another organisation")
	}
	secret := tr.region.LocationMarker(safeHouseOrg)

	t.Run("a frontline worker searches by need and eligibility", func(t *testing.T) {
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(worker)
		if status := b.click(`nav a[href="/directory"]`); status != http.StatusOK {
			t.Fatalf("open the directory: status %d", status)
		}
		b.wantPage("/directory", "Referral routes directory")
		b.checkPage("directory")

		// An age that is not a number is refused with a message, and the search is kept.
		b.selectValue("#need", "safe_accommodation")
		b.fill("#age", "thirty")
		status := b.click(`main form[action="/directory"] button[type=submit]`)
		b.wantErrorSummary("directory, age not a number", status, http.StatusUnprocessableEntity)
		b.checkPage("directory, age not a number")

		b.fill("#age", "30")
		b.selectValue("#gender", "female")
		b.choose("#children")
		b.choose("#nrpf")
		if status := b.click(`main form[action="/directory"] button[type=submit]`); status != http.StatusOK {
			t.Fatalf("search: status %d", status)
		}
		if p := b.path(); !strings.Contains(p, "need=safe_accommodation") || !strings.Contains(p, "age=30") || !strings.Contains(p, "nrpf=yes") {
			t.Errorf("the search is not in the link: %s", p)
		}
		results := b.text("main table")
		if !strings.Contains(results, "Freedom Trust Safe House") || !strings.Contains(results, waymark.ConfidentialLocationText) {
			t.Errorf("the results lack the safe house or its confidential location: %q", results)
		}
		// The refuge takes nobody with no recourse to public funds; the beds no children.
		for _, unwanted := range []string{"Lantern House Women's Refuge", "Lantern House Emergency Beds", secret} {
			if strings.Contains(results, unwanted) {
				t.Errorf("the results show %q", unwanted)
			}
		}
		b.checkPage("directory search results")

		if status := b.click(`main a[href="/directory/` + safeHouse + `"]`); status != http.StatusOK {
			t.Fatalf("open the safe house: status %d", status)
		}
		b.wantPage("/directory/"+safeHouse, "Freedom Trust Safe House")
		body := evalJS[string](b, `document.body.innerText`)
		if !strings.Contains(body, "Confidential location: contact the service") || strings.Contains(body, secret) ||
			!strings.Contains(body, "0113 496 0100") || !strings.Contains(body, "2 places available") {
			t.Errorf("the safe house page: %q", body)
		}
		if b.count(`form[action$="/capacity"]`) != 0 {
			t.Error("another organisation's worker is offered the capacity form")
		}
		b.checkPage("another organisation's safe house")
	})

	t.Run("an organisation admin imports and exports the organisation's services", func(t *testing.T) {
		admin := tr.user(t, waymark.RoleOrgAdmin, waymark.OrgHomelessOutreach)
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.signInDemo(admin)
		b.open("/directory")
		if status := b.click(`main a[href="/directory/import"]`); status != http.StatusOK {
			t.Fatalf("open the import page: status %d", status)
		}
		b.wantPage("/directory/import", "Import services")
		b.checkPage("directory import")

		dir := t.TempDir()
		write := func(name, content string) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}
		const first = `{"id": "hso-1", "name": "Harbour Night Bus <script>window.__xss=1</script>", "status": "active", "description": "Soup run, 9pm nightly.",
			"minimum_age": 18, "service_areas": [{"id": "a", "name": "Northmoor City"}], "x_waymark": {"needs": ["food_essentials"], "accepts_nrpf": true}}`
		bad := write("bad.json", `{"contents": [`+first+`,
			{"id": "hso-2", "name": "Harbour Night Shelter", "status": "active", "minimum_age": "eighteen", "x_waymark": {"needs": ["emergency_accommodation"]}}]}`)
		good := write("good.json", `{"contents": [`+first+`,
			{"id": "hso-2", "name": "Harbour Night Shelter", "status": "active", "minimum_age": 18, "x_waymark": {"needs": ["emergency_accommodation"]},
			 "capacities": [{"id": "c", "available": 6}]}]}`)

		b.do("choose the bad file", chromedp.SetUploadFiles(`#file`, []string{bad}))
		status := b.click(`main form[action="/directory/import"] button[type=submit]`)
		b.wantErrorSummary("import, a bad record", status, http.StatusUnprocessableEntity)
		summary := b.text(".govuk-error-summary")
		if !strings.Contains(summary, `service 2 (id "hso-2", name "Harbour Night Shelter"): minimum_age: The minimum age must be a whole number of years, for example 18`) {
			t.Errorf("the error summary does not name the bad record: %q", summary)
		}
		b.checkPage("import, a bad record")
		b.open("/directory?org=mine")
		if strings.Contains(b.text("main"), "Harbour Night Bus") {
			t.Error("a file with a bad record was partly imported")
		}

		b.open("/directory/import")
		b.do("choose the good file", chromedp.SetUploadFiles(`#file`, []string{good}))
		if status := b.click(`main form[action="/directory/import"] button[type=submit]`); status != http.StatusOK {
			t.Fatalf("import: status %d", status)
		}
		if p := b.path(); p != "/directory?org=mine" {
			t.Fatalf("after the import, on %s", p)
		}
		main := b.text("main")
		for _, want := range []string{"Imported 2 services: 2 added, 0 updated.", "Harbour Night Shelter", "6 places available", "Harbour Street Outreach Drop-in"} {
			if !strings.Contains(main, want) {
				t.Errorf("after the import the page lacks %q", want)
			}
		}
		b.wantInert("imported services", "Harbour Night Bus <script>window.__xss=1</script>")
		b.checkPage("imported services")

		// The export is an attachment of HSDS JSON; read it as the page's own link would fetch it.
		got := evalJS[[]string](b, `fetch('/directory/export').then(r => Promise.all([r.headers.get('Content-Type'), r.headers.get('Content-Disposition'), r.text()]))`,
			chromedp.EvalAwaitPromise)
		if len(got) != 3 || !strings.HasPrefix(got[0], "application/json") || !strings.HasPrefix(got[1], "attachment;") {
			t.Fatalf("export headers %q", got[:min(2, len(got))])
		}
		for _, want := range []string{`"contents"`, `"Harbour Night Shelter"`, `"service_at_locations"`, `"Freedom Trust Safe House"`, `"confidential_location": true`} {
			if !strings.Contains(got[2], want) {
				t.Errorf("the export lacks %s", want)
			}
		}
		if strings.Contains(got[2], secret) {
			t.Error("the export holds another organisation's confidential location")
		}
	})
}
