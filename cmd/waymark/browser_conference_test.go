package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_CaseConference: the police arrange a case conference (first with a date that does
// not exist: the problem is shown and what was typed kept); the outreach team's safeguarding lead
// puts a man shared with the police on its agenda, discussed without sharing with the council,
// and minutes it; the police partner reads the minutes; the council sees only that a case of the
// outreach team is not shared with it; once the share is revoked the police no longer see the
// minutes. Every page is checked with axe.
func TestBrowser_CaseConference(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	ctx := context.Background()
	lead := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach)
	officer := tr.user(t, waymark.RolePartner, waymark.OrgPolice)
	council := tr.user(t, waymark.RoleManager, waymark.OrgLAHousing)
	a := waymark.Actor{UserID: lead.ID, OrgID: lead.OrgID, Role: lead.Role}
	c := &waymark.Client{GivenName: "Tomas", FamilyName: "Lukas", EstimatedAge: 35, ConcernStatus: waymark.ConcernConfirmed}
	if err := sqldb.NewClientService(tr.db).CreateClient(ctx, a, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.NewConsentService(tr.db).RecordConsent(ctx, a, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
		Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{officer.OrgID}, On: waymark.Today(time.Now()), HowExplained: "With a Lithuanian interpreter"}); err != nil {
		t.Fatal(err)
	}
	sh := &waymark.CaseShare{PartnerOrgID: officer.OrgID, Purpose: "case_conference", Sections: []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory}}
	if err := sqldb.NewShareService(tr.db).ShareCase(ctx, a, c.ID, sh); err != nil {
		t.Fatal(err)
	}

	// The police arrange the conference.
	p := newBrowserTab(t, browser, tr.srv.URL)
	p.signInDemo(officer)
	if status := p.click(`nav a[href="/conferences"]`); status != http.StatusOK {
		t.Fatalf("open case conferences: status %d", status)
	}
	p.checkPage("case conferences")
	if status := p.click(`#new-conference`); status != http.StatusOK {
		t.Fatalf("open the conference form: status %d", status)
	}
	p.checkPage("arrange a conference")
	p.fill("#title", "Tomas panel CONFTITLE")
	p.fillDate("held_on", "31", "2", "2027")
	p.choose(`#conference-form input[name="org_ids"][value="` + lead.OrgID + `"]`)
	p.choose(`#conference-form input[name="org_ids"][value="` + council.OrgID + `"]`)
	status := p.click(`#conference-form button[type=submit]`)
	p.wantErrorSummary("conference, bad date", status, http.StatusUnprocessableEntity)
	if got := evalJS[string](p, `document.querySelector('#title').value`); got != "Tomas panel CONFTITLE" {
		t.Errorf("the title typed was not kept: %q", got)
	}
	if got := evalJS[string](p, `document.querySelector('#held_on').value`); got != "31" {
		t.Errorf("the day typed was not kept: %q", got)
	}
	p.checkPage("conference, bad date")
	next := time.Now().AddDate(0, 0, 7)
	p.fillDate("held_on", strconv.Itoa(next.Day()), strconv.Itoa(int(next.Month())), strconv.Itoa(next.Year()))
	if status := p.click(`#conference-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("arrange the conference: status %d", status)
	}
	conferencePath := p.path()
	if got := p.text("#attendees"); !strings.Contains(got, "Northmoor Constabulary") || !strings.Contains(got, "Harbour Street Outreach") {
		t.Errorf("the attendees are %q", got)
	}
	p.checkPage("conference, arranged")

	// The lead puts him on the agenda: refused while the council has no share, then discussed
	// without sharing with it.
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(lead)
	b.open("/clients/" + c.ID + "/sharing")
	b.checkPage("sharing, with conferences")
	b.selectValue("#conference_id", strings.TrimPrefix(conferencePath, "/conferences/"))
	status = b.click(`#conference-add-form button[type=submit]`)
	b.wantErrorSummary("agenda, not shared with the council", status, http.StatusUnprocessableEntity)
	if got := b.text("#conference_id-error"); !strings.Contains(got, "Northmoor City Council Housing Options") {
		t.Errorf("the refusal does not name the council: %q", got)
	}
	b.checkPage("agenda, not shared with the council")
	b.choose(`#conference-add-form input[name="without_sharing"]`)
	b.fill(`#conference-add-form textarea[name="reason"]`, "The council must hear of the risk; he is deciding about sharing with them.")
	if status := b.click(`#conference-add-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("put on the agenda: status %d", status)
	}
	if status := b.click(`#client-conferences a`); status != http.StatusOK {
		t.Fatalf("open the case at the conference: status %d", status)
	}
	casePath := b.path()
	b.checkPage("conference case, no minutes")
	b.fill("#minutes", "CONFMINUTES: agreed a joint visit next week.")
	if status := b.click(`#minutes-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("save the minutes: status %d", status)
	}
	b.fill("#text", "Arrange the joint visit")
	b.selectValue("#owner_org_id", officer.OrgID)
	b.fill("#owner", "DC Aaron Cole")
	status = b.click(`#action-form button[type=submit]`)
	b.wantErrorSummary("action, no due date", status, http.StatusUnprocessableEntity)
	b.checkPage("action, no due date")
	b.fillDate("due_on", strconv.Itoa(next.Day()), strconv.Itoa(int(next.Month())), strconv.Itoa(next.Year()))
	if status := b.click(`#action-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("add the action: status %d", status)
	}
	if got := b.text("#minutes-text"); !strings.Contains(got, "CONFMINUTES") {
		t.Errorf("the minutes read %q", got)
	}
	b.checkPage("conference case, minuted")

	// The police see the name and the minutes; the council only that a case is not shared with it.
	p.open(conferencePath)
	if status := p.click(`#agenda-list a`); status != http.StatusOK {
		t.Fatalf("the police open the case: status %d", status)
	}
	if got := p.text("main"); !strings.Contains(got, "Tomas Lukas") || !strings.Contains(got, "CONFMINUTES") || !strings.Contains(got, "Arrange the joint visit") {
		t.Errorf("the police do not see the minutes and action: %q", got)
	}
	p.checkPage("conference case, police")
	k := newBrowserTab(t, browser, tr.srv.URL)
	k.signInDemo(council)
	k.open(conferencePath)
	if got := k.text("#agenda-list"); !strings.Contains(got, "A case from Harbour Street Outreach, not shared with your organisation") || strings.Contains(got, "Tomas") {
		t.Errorf("the council's agenda reads %q", got)
	}
	if k.count("#agenda-list a") != 0 {
		t.Error("the council is offered a link to a case not shared with it")
	}
	k.checkPage("conference, council")
	if status := k.open(casePath); status != http.StatusNotFound || strings.Contains(k.text("main"), "CONFMINUTES") {
		t.Errorf("the council opening the case: status %d", status)
	}

	// The lead revokes the share: the police's next request finds no minutes.
	b.open("/clients/" + c.ID + "/sharing")
	b.fill(`#shares-table input[name="reason"]`, "He asked us to stop.")
	if status := b.click(`#shares-table button[type=submit]`); status != http.StatusOK {
		t.Fatalf("revoke: status %d", status)
	}
	if status := p.open(casePath); status != http.StatusNotFound || strings.Contains(p.text("main"), "CONFMINUTES") {
		t.Errorf("the police opening the case after revocation: status %d, want 404", status)
	}
	p.open(conferencePath)
	if got := p.text("#agenda-list"); !strings.Contains(got, "not shared with your organisation") || strings.Contains(got, "Tomas") {
		t.Errorf("after revocation the police's agenda reads %q", got)
	}
	p.checkPage("conference, police after revocation")
}
