package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_SupportLog is a frontline worker recording how one of their clients was supported and
// where they were living: an empty form is refused with a message, then a support action and a
// housing history episode are recorded and listed.
func TestBrowser_SupportLog(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	clientPath := "/clients/" + tr.clients[u.OrgID][0]
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open(clientPath)
	if status := b.click(`main a[href="` + clientPath + `/support"]`); status != http.StatusOK {
		t.Fatalf("open the support page: status %d", status)
	}
	b.wantPage(clientPath+"/support", "Support and housing history")
	b.checkPage("support page")

	submit := `main form[action="` + clientPath + `/support"] button[type=submit]`
	status := b.click(submit)
	b.wantErrorSummary("support, nothing entered", status, http.StatusUnprocessableEntity)
	b.checkPage("support, nothing entered")

	b.selectValue("#type", "legal_advice")
	// The provider is a partner in the region, chosen from the list, and a team named in words.
	freedom := evalJS[string](b, `[...document.querySelectorAll('#provider_org_id option')].find(o => o.textContent === 'Northmoor Freedom Trust').value`)
	b.selectValue("#provider_org_id", freedom)
	b.fill("#provider_name", "Harbour Law Centre")
	// A date typed in the boxes that is not a real date is refused, and what was typed stays.
	b.fill("#start", "30")
	b.fill("#start-month", "Feb")
	b.fill("#start-year", "2026")
	status = b.click(submit)
	b.wantErrorSummary("support, 30 February", status, http.StatusUnprocessableEntity)
	if got := evalJS[string](b, `document.querySelector('#start-error').textContent`); !strings.Contains(got, "must be a real date") {
		t.Errorf("the start date's error says %q; want that it must be a real date", got)
	}
	if got := evalJS[string](b, `document.querySelector('#provider_name').value + '|' + document.querySelector('#start-month').value`); got != "Harbour Law Centre|Feb" {
		t.Errorf("after the error the form holds %q; want what was typed", got)
	}
	b.checkPage("support, 30 February")
	b.fill("#start", "12")
	b.fill("#start-month", "1")
	b.selectValue("#outcome", "partly_achieved")
	if status := b.click(submit); status != http.StatusOK {
		t.Fatalf("record support: status %d", status)
	}
	if got := b.path(); got != clientPath+"/support" {
		t.Fatalf("after recording support, on %s", got)
	}
	if log := b.text("#support-log"); !strings.Contains(log, "Legal advice") || !strings.Contains(log, "Northmoor Freedom Trust (Harbour Law Centre)") ||
		!strings.Contains(log, "12 January 2026") || !strings.Contains(log, "Partly achieved") {
		t.Errorf("the support log does not list the support recorded: %q", log)
	}
	b.checkPage("support recorded")

	b.selectValue("#situation", "rough_sleeping")
	b.fill("#from", "1")
	b.fill("#from-month", "9")
	b.fill("#from-year", "2025")
	b.fill("#to", "20")
	b.fill("#to-month", "December")
	b.fill("#to-year", "2025")
	if status := b.click(`main form[action="` + clientPath + `/homelessness"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record housing history: status %d", status)
	}
	if hist := b.text("#episodes"); !strings.Contains(hist, "Rough sleeping") || !strings.Contains(hist, "1 September 2025") || !strings.Contains(hist, "20 December 2025") {
		t.Errorf("the housing history does not list the episode recorded: %q", hist)
	}
	b.checkPage("housing history recorded")
}

// TestSupportAPI records, reads and changes support and housing history through the JSON API and
// the change form: a change based on an old version is refused with 409, and another
// organisation's worker finds nothing.
func TestSupportAPI(t *testing.T) {
	t.Parallel()
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], 10)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	clientID := tr.clients[u.OrgID][0]
	hc := tr.newClient(t)
	token := tr.token(t, u)

	r := hc.api("POST", "/api/v1/clients/"+clientID+"/support", token, `{"type": "counselling", "start": "2026-02-01", "outcome": "ongoing", "notes": "via API"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("add support: status %d, body %.300s", r.status, r.body)
	}
	var created struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal([]byte(r.body), &created); err != nil {
		t.Fatal(err)
	}
	if r := hc.api("POST", "/api/v1/clients/"+clientID+"/support", token, `{"type": "counselling", "start": "2999-01-01"}`); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a start in the future: status %d, want 422", r.status)
	}
	put := `{"type": "counselling", "start": "2026-02-01", "outcome": "achieved", "notes": "via API", "version": 1}`
	if r := hc.api("PUT", "/api/v1/clients/"+clientID+"/support/"+created.ID, token, put); r.status != http.StatusOK || !strings.Contains(r.body, `"version": 2`) {
		t.Errorf("change support: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("PUT", "/api/v1/clients/"+clientID+"/support/"+created.ID, token, put); r.status != http.StatusConflict {
		t.Errorf("a stale change: status %d, want 409", r.status)
	}
	if r := hc.api("GET", "/api/v1/clients/"+clientID+"/support", token, ""); r.status != http.StatusOK || !strings.Contains(r.body, created.ID) || !strings.Contains(r.body, "via API") {
		t.Errorf("list support: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("POST", "/api/v1/clients/"+clientID+"/homelessness", token, `{"situation": "sofa_surfing", "from": "2025-03-01", "to": "2025-04-01"}`); r.status != http.StatusCreated {
		t.Errorf("add an episode: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("GET", "/api/v1/clients/"+clientID+"/homelessness", token, ""); r.status != http.StatusOK || !strings.Contains(r.body, "sofa_surfing") {
		t.Errorf("list episodes: status %d, body %.300s", r.status, r.body)
	}

	// The change form, sent with the old version, answers 409 with the message.
	hc.signIn(u.Email)
	form := url.Values{"type": {"counselling"}, "start": {"2026-02-01"}, "version": {"1"}}
	if r := hc.post("/clients/"+clientID+"/support/"+created.ID, form); r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed this support") {
		t.Errorf("a stale change through the form: status %d", r.status)
	}
	form.Set("version", "2")
	if r := hc.post("/clients/"+clientID+"/support/"+created.ID, form); r.status != http.StatusSeeOther {
		t.Errorf("a change through the form: status %d, want 303", r.status)
	}

	other := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessHostel)
	otherToken := tr.token(t, other)
	for _, p := range []string{"/support", "/homelessness"} {
		if r := hc.api("GET", "/api/v1/clients/"+clientID+p, otherToken, ""); r.status != http.StatusNotFound {
			t.Errorf("another organisation's %s: status %d, want 404", p, r.status)
		}
	}
	if r := hc.api("PUT", "/api/v1/clients/"+clientID+"/support/"+created.ID, otherToken, put); r.status != http.StatusNotFound {
		t.Errorf("another organisation's change: status %d, want 404", r.status)
	}
}
