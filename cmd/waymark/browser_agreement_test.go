package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_Agreements: the outreach team's admin lists the data sharing agreements it is a
// party to, with warnings of those ending or due for review, records one with a mistake first (the
// error summary, what was typed kept), then puts it right; a manager reads the list but cannot
// record one. Every page is checked with axe.
func TestBrowser_Agreements(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	admin := tr.user(t, waymark.RoleOrgAdmin, waymark.OrgHomelessOutreach)
	dayCentre := browserOrgOfType(t, tr, waymark.OrgHomelessDayCentre)
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(admin)

	if status := b.click(`nav a[href="/agreements"]`); status != http.StatusOK {
		t.Fatalf("open the agreements: status %d", status)
	}
	b.wantPage("/agreements", "Data sharing agreements")
	b.checkPage("agreements, admin")
	if got := b.text("#agreement-warnings"); !strings.Contains(got, "need attention") {
		t.Errorf("the list does not count what needs attention: %q", got)
	}
	table := b.text("#agreements-table")
	for _, want := range []string{"Northmoor Anti-Slavery Partnership information sharing agreement", "Review due on",
		"Modern slavery investigations: outreach and police", "Ends on", "Northmoor Constabulary"} {
		if !strings.Contains(table, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if strings.Contains(table, "Hostel and day centre referrals") {
		t.Error("the list shows an agreement the outreach team is not a party to")
	}

	// A new agreement with the day centre: no status, and a start date that does not exist.
	b.click("#record-agreement")
	b.wantPage("/agreements/new", "Record a data sharing agreement")
	b.checkPage("agreement form, empty")
	b.fill("#title", "Outreach and day centre <b>referrals</b>")
	b.fill("#reference", "HSO-KDC-1")
	b.choose(`input[name="org_ids"][value="` + dayCentre.ID + `"]`)
	b.choose(`input[name="purposes"][value="referral"]`)
	b.choose(`input[name="purposes"][value="support"]`)
	b.choose(`input[name="lawful_basis"][value="consent"]`)
	b.fillDate("start_on", "31", "2", "2026")
	day, month, year := dateBoxes(time.Now().AddDate(0, 0, 30))
	b.fillDate("review_on", day, month, year)
	status := b.click(`#agreement-form button[type=submit]`)
	b.wantErrorSummary("agreement form, mistakes", status, http.StatusUnprocessableEntity)
	if got := b.text(".govuk-error-summary"); !strings.Contains(got, "The start date must be a real date") || !strings.Contains(got, "status") {
		t.Errorf("the error summary says %q", got)
	}
	kept := evalJS[string](b, `document.querySelector('#title').value + '|' + document.querySelector('#start_on').value + '|' +
		document.querySelector('input[name="org_ids"][value="`+dayCentre.ID+`"]').checked + '|' + document.querySelector('input[name="lawful_basis"][value="consent"]').checked`)
	if kept != "Outreach and day centre <b>referrals</b>|31|true|true" {
		t.Errorf("after the error the form holds %q; want what was typed", kept)
	}
	b.checkPage("agreement form, mistakes")

	started := time.Now().AddDate(0, 0, -30)
	day, month, year = dateBoxes(started)
	b.fillDate("start_on", day, month, year)
	b.choose(`input[name="status"][value="active"]`)
	if status := b.click(`#agreement-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record the agreement: status %d", status)
	}
	if p := b.path(); !strings.HasPrefix(p, "/agreements/") || p == "/agreements/new" {
		t.Fatalf("after recording, on %s", p)
	}
	b.wantInert("agreement page with markup typed", "Outreach and day centre <b>referrals</b>")
	details := b.text("#agreement-details")
	for _, want := range []string{"HSO-KDC-1", "Harbour Street Outreach", dayCentre.Name, "Referrals between services", waymark.FormatDay(waymark.Today(started)), "No end date"} {
		if !strings.Contains(details, want) {
			t.Errorf("the agreement page lacks %q: %q", want, details)
		}
	}
	// Recorded, but it covers nothing until the day centre confirms it too.
	if got := b.text("#agreement-state"); got != "Waiting for the other parties to confirm" {
		t.Errorf("the new agreement is %q", got)
	}
	b.checkPage("agreement, recorded")
	if n := b.count("#change-agreement"); n != 1 {
		t.Errorf("the recorder's admin has %d links to change the agreement", n)
	}

	// The manager reads the list and the agreements but records nothing.
	m := newBrowserTab(t, browser, tr.srv.URL)
	m.signInDemo(tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach))
	m.visit("agreements, manager", "/agreements", http.StatusOK)
	if n := m.count("#record-agreement"); n != 0 {
		t.Error("a manager is offered to record an agreement")
	}
	if !strings.Contains(m.text("#agreements-table"), "Outreach and day centre <b>referrals</b>") {
		t.Error("the manager's list lacks the agreement just recorded")
	}
	m.click(`#agreements-table a[href^="/agreements/"]`)
	m.checkPage("agreement, manager")
	if n := m.count("#change-agreement"); n != 0 {
		t.Error("a manager is offered to change an agreement")
	}
	if status := m.open("/agreements/new"); status != http.StatusNotFound {
		t.Errorf("a manager's form to record an agreement: status %d", status)
	}
}

// TestBrowser_AgreementConfirmation: the NHS trust's admin finds the draft agreement the charity
// recorded naming the trust, not yet confirmed by it, and confirms it for the trust.
func TestBrowser_AgreementConfirmation(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	admin := tr.user(t, waymark.RoleOrgAdmin, waymark.OrgHealth)
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(admin)
	b.open("/agreements")
	draft := evalJS[string](b, `[...document.querySelectorAll('#agreements-table a[href^="/agreements/"]')].find(a => a.textContent.includes('draft'))?.getAttribute('href') || ''`)
	if draft == "" {
		t.Fatal("the trust's list has no draft agreement")
	}
	if status := b.open(draft); status != http.StatusOK {
		t.Fatalf("open the agreement: status %d", status)
	}
	if got := b.text("#parties"); !strings.Contains(got, "Eastfell and Northmoor NHS Trust: Not yet confirmed") {
		t.Fatalf("the parties do not show the trust's confirmation missing: %q", got)
	}
	b.checkPage("agreement, to confirm")
	if status := b.click(`#confirm-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("confirm: status %d", status)
	}
	if got := b.text("main"); !strings.Contains(got, "Confirmed: your organisation is bound") || b.count("#confirm-form") != 0 {
		t.Errorf("after confirming, the page says %q", got)
	}
}
