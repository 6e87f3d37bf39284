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

// TestBrowser_CaseSharing is journey 6: a safeguarding lead shares who a man is and his modern
// slavery history with the police, under the region's agreement and with his consent, letting them
// add notes; the police partner sees exactly that and nothing else, and adds a note that the lead
// then reads; once the lead revokes it, the record is gone from his view on his next request.
func TestBrowser_CaseSharing(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	ctx := context.Background()
	lead := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach)
	officer := tr.user(t, waymark.RolePartner, waymark.OrgPolice)
	a := waymark.Actor{UserID: lead.ID, OrgID: lead.OrgID, Role: lead.Role}
	c := &waymark.Client{GivenName: "Tomas", FamilyName: "Lukas", EstimatedAge: 35, ConcernStatus: waymark.ConcernConfirmed, Notes: "NOTSHARED in the notes"}
	if err := sqldb.NewClientService(tr.db).CreateClient(ctx, a, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.NewExploitationService(tr.db).AddEpisode(ctx, a, c.ID, &waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months",
		Narrative: "SHAREDHISTORY: a car wash on the ring road"}); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.NewConsentService(tr.db).RecordConsent(ctx, a, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
		Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{officer.OrgID}, On: waymark.Today(time.Now()), HowExplained: "With a Lithuanian interpreter"}); err != nil {
		t.Fatal(err)
	}

	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(lead)
	b.open("/clients/" + c.ID + "/sharing")
	b.choose(`#share-form input[name="share_partner"][value="` + officer.OrgID + `"]`)
	b.choose(`#share-form input[name="share_purpose"][value="safeguarding"]`)
	status := b.click(`#share-form button[type=submit]`)
	b.wantErrorSummary("share, no sections", status, http.StatusUnprocessableEntity)
	b.checkPage("share, no sections")
	b.choose(`#share-form input[name="share_sections"][value="identity"]`)
	b.choose(`#share-form input[name="share_sections"][value="history"]`)
	b.choose(`#share-form input[name="share_contributions"][value="yes"]`)
	if status := b.click(`#share-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("share: status %d", status)
	}
	if got := b.text("#shares-table"); !strings.Contains(got, "Northmoor Constabulary") || !strings.Contains(got, "Shared") {
		t.Fatalf("the shares table does not show the share: %q", got)
	}
	b.checkPage("consent and sharing, shared")

	p := newBrowserTab(t, browser, tr.srv.URL)
	p.signInDemo(officer)
	if status := p.click(`nav a[href="/shared"]`); status != http.StatusOK {
		t.Fatalf("open shared with us: status %d", status)
	}
	p.checkPage("shared with us")
	if status := p.click(`#shared-table a`); status != http.StatusOK {
		t.Fatalf("open the shared record: status %d", status)
	}
	sharedPath := p.path()
	body := p.text("main")
	if !strings.Contains(body, "Tomas Lukas") || !strings.Contains(body, "SHAREDHISTORY") {
		t.Errorf("the partner does not see what was shared: %q", body)
	}
	if strings.Contains(body, "NOTSHARED") || strings.Contains(body, "Lithuanian") {
		t.Errorf("the partner sees what was not shared: %q", body)
	}
	p.checkPage("shared record")

	// The share lets the police add notes: an empty one is refused, then one is added.
	status = p.click(`#note-form button[type=submit]`)
	p.wantErrorSummary("note, empty", status, http.StatusUnprocessableEntity)
	p.checkPage("note, empty")
	p.fill(`#note-form textarea[name="note"]`, "PARTNERNOTE: statement taken at the station")
	if status := p.click(`#note-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("add a note: status %d", status)
	}
	if got := p.text("#contributions-list"); !strings.Contains(got, "PARTNERNOTE") {
		t.Errorf("the police do not see the note they added: %q", got)
	}
	p.checkPage("shared record, note added")

	// The lead sees who has read it, then revokes it; the partner's next request finds nothing.
	b.open("/clients/" + c.ID + "/sharing")
	if got := b.text("#views-list"); !strings.Contains(got, officer.Name) || !strings.Contains(got, "Northmoor Constabulary") {
		t.Errorf("who has seen the record says %q; want the officer", got)
	}
	if got := b.text("#contributions-list"); !strings.Contains(got, "PARTNERNOTE") || !strings.Contains(got, officer.Name) || !strings.Contains(got, "Northmoor Constabulary") {
		t.Errorf("the lead does not see the police's note, named: %q", got)
	}
	b.checkPage("consent and sharing, with the partner's note")
	b.fill(`#shares-table input[name="reason"]`, "   ")
	status = b.click(`#shares-table button[type=submit]`)
	b.wantErrorSummary("revoke, no reason", status, http.StatusUnprocessableEntity)
	b.checkPage("revoke, no reason")
	// The message stands by the box it is about, which says so to a screen reader.
	if got := b.text(`#shares-table .govuk-error-message`); !strings.Contains(got, "Say why the sharing stops") {
		t.Errorf("the reason's error by its box says %q", got)
	}
	if got := evalJS[string](b, `document.querySelector('#shares-table input[name="reason"]').getAttribute('aria-describedby') || ''`); !strings.HasSuffix(got, "-error") {
		t.Errorf("the reason box is described by %q, not its error", got)
	}
	b.fill(`#shares-table input[name="reason"]`, "The investigation is closed.")
	if status := b.click(`#shares-table button[type=submit]`); status != http.StatusOK {
		t.Fatalf("revoke: status %d", status)
	}
	if got := b.text("#shares-table"); !strings.Contains(got, "Revoked") {
		t.Errorf("the share is not shown as revoked: %q", got)
	}
	if status := p.open(sharedPath); status != http.StatusNotFound {
		t.Errorf("the partner opening the record after revocation: status %d, want 404", status)
	}
	p.open("/shared")
	if strings.Contains(p.text("main"), "Tomas") {
		t.Error("the partner's list still shows the person after revocation")
	}
}
