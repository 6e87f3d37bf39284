package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_ConsentAndSharing records a man's consent to sharing with the police, refused first
// for want of saying how it was explained, then a lawful basis other than consent for referrals,
// which only the safeguarding lead is offered; the client page shows the position at a glance.
func TestBrowser_ConsentAndSharing(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	lead := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach)
	c := &waymark.Client{GivenName: "Pavel", FamilyName: "Novak", EstimatedAge: 38, ConcernStatus: waymark.ConcernDisclosed}
	if err := sqldb.NewClientService(tr.db).CreateClient(context.Background(), waymark.Actor{UserID: lead.ID, OrgID: lead.OrgID, Role: lead.Role}, c, nil); err != nil {
		t.Fatal(err)
	}
	var police string
	for _, o := range tr.region.Organisations {
		if o.Type == waymark.OrgPolice {
			police = o.ID
		}
	}
	clientPath := "/clients/" + c.ID
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(lead)
	b.open(clientPath)
	if got := b.text("#consent-position"); !strings.Contains(got, "Not asked") || !strings.Contains(got, "shared with nobody") {
		t.Errorf("a new client's consent at a glance says %q", got)
	}
	if status := b.click(`main a.govuk-button[href="` + clientPath + `/sharing"]`); status != http.StatusOK {
		t.Fatalf("open consent and sharing: status %d", status)
	}
	b.wantPage(clientPath+"/sharing", "Consent and sharing")
	b.checkPage("consent, nothing recorded")

	day, month, year := dateBoxes(time.Now())
	b.choose(`#purpose-2`) // sharing
	b.choose(`#consent-form input[name="org_ids"][value="` + police + `"]`)
	b.choose(`#decision`) // given
	b.fillDate("on", day, month, year)
	status := b.click(`#consent-form button[type=submit]`)
	b.wantErrorSummary("consent, not explained", status, http.StatusUnprocessableEntity)
	if !evalJS[bool](b, `document.querySelector('#consent-form input[name="org_ids"][value="`+police+`"]').checked`) {
		t.Error("after the error the organisation chosen is no longer ticked")
	}
	b.checkPage("consent, not explained")
	b.fill("#how_explained", "Through a Czech interpreter, with the leaflet.")
	if status := b.click(`#consent-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record consent: status %d", status)
	}
	if got := b.text("#consent-position"); !strings.Contains(got, "Northmoor Constabulary: Consent given") {
		t.Errorf("the position after consent says %q", got)
	}

	// Referrals on the basis of safeguarding, by the lead.
	b.choose(`#purpose-1`) // referral
	b.choose(`#basis-1`)   // safeguarding
	b.fillDate("on", day, month, year)
	b.fill("#justification", "He is at immediate risk from the gang that held him and cannot be asked safely today.")
	b.fill("#decided_by", "The designated safeguarding lead")
	if status := b.click(`#consent-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record another basis: status %d", status)
	}
	if got := b.text("#overrides"); !strings.Contains(got, "1 purpose rests on a lawful basis other than consent") {
		t.Errorf("the override warning says %q", got)
	}
	b.checkPage("consent, override recorded")

	// The organisation's manager sees it among the overrides.
	m := newBrowserTab(t, browser, tr.srv.URL)
	m.signInDemo(tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach))
	if status := m.click("#overrides-link"); status != http.StatusOK {
		t.Fatalf("open the overrides from the home page: status %d", status)
	}
	if got := m.text("#overrides-table"); !strings.Contains(got, "Pavel") || !strings.Contains(got, "cannot be asked safely today") {
		t.Errorf("the manager's list of overrides does not show the one recorded: %q", got)
	}
	m.checkPage("consent overrides")

	// A frontline worker is offered consent only.
	w := newBrowserTab(t, browser, tr.srv.URL)
	w.signInDemo(tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach))
	w.open(clientPath + "/sharing")
	if n := w.count(`#justification`) + w.count(`input[name="basis"][value="safeguarding"]`); n != 0 {
		t.Errorf("a frontline worker is offered another lawful basis (%d fields)", n)
	}
	w.checkPage("consent, frontline worker")
}
