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

// TestBrowser_ReferralToAPartner is a referral between organisations: a hostel worker refers a
// client to the anti-slavery charity sharing only the name and languages; the charity's worker
// finds it in the inbound queue with those two values and nothing else of the record, is told a
// decline needs a reason, and accepts it.
func TestBrowser_ReferralToAPartner(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessHostel)
	charity := browserOrgOfType(t, tr, waymark.OrgAntiSlaveryCharity)
	c := journeyClient(t, tr, worker, func(c *waymark.Client) {
		c.GivenName, c.FamilyName, c.KnownAs = "Andrei", "Vasilescu", []string{"Andy"}
		c.DateOfBirth, c.EstimatedAge, c.Languages = "1985-06-07", 0, []string{"ro"}
		c.Notes = "Hostel keyworker notes: not for sharing."
	})
	clientPath := "/clients/" + c.ID
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(worker)

	b.open(clientPath)
	if status := b.click(`main a[href="` + clientPath + `/referrals"]`); status != http.StatusOK {
		t.Fatalf("open the client's referrals: status %d", status)
	}
	b.wantPage(clientPath+"/referrals", "Referrals to other organisations")
	if n := b.count(`#referral-form input[name=shared]:checked`); n != 0 {
		t.Errorf("%d items are ticked to share before the worker chose any; want none", n)
	}
	if got := b.text(`[data-preview="date_of_birth"]`); !strings.Contains(got, "1985-06-07") {
		t.Errorf("the preview of the date of birth says %q; want the value that would be sent", got)
	}
	b.checkPage("client referrals, none sent")

	// Nothing ticked is refused, with the error summary.
	b.selectValue("#to_org_id", charity.ID)
	b.fill("#reason", "Needs advice about the NRM. "+xssUserName)
	status := b.click(`#referral-form button[type=submit]`)
	b.wantErrorSummary("referral, nothing shared", status, http.StatusUnprocessableEntity)
	b.checkPage("client referrals, nothing shared")

	b.choose(`#referral-form input[name=shared][value=name]`)
	b.choose(`#referral-form input[name=shared][value=languages]`)
	if status := b.click(`#referral-form button[type=submit]`); status != http.StatusOK || !strings.HasPrefix(b.path(), "/referrals/") {
		t.Fatalf("send the referral: status %d, on %s", status, b.path())
	}
	referralPath := b.path()
	if got := b.text("#referral-status"); got != "New" {
		t.Errorf("the sent referral's status is %q", got)
	}
	b.wantInert("referral as sent", xssUserName)
	b.checkPage("referral as its sender sees it")
	b.signOut()

	// The charity's worker finds it in the queue of new referrals.
	cw := tr.user(t, waymark.RoleFrontline, waymark.OrgAntiSlaveryCharity)
	b.signInDemo(cw)
	if got := b.text("#referral-summary"); !strings.Contains(got, "new referral") {
		t.Errorf("the charity's home page says %q; want the new referrals counted", got)
	}
	b.open("/referrals")
	b.wantPage("/referrals", "Referrals received")
	if got := b.text("#inbound"); !strings.Contains(got, "Andrei Vasilescu") || !strings.Contains(got, tr.orgName(worker.OrgID)) {
		t.Fatalf("the inbound queue does not list the referral: %q", got)
	}
	b.checkPage("inbound queue")
	if status := b.click(`#inbound a[href="` + referralPath + `"]`); status != http.StatusOK {
		t.Fatalf("open the referral: status %d", status)
	}
	b.wantPage(referralPath, "Andrei Vasilescu")
	shared := b.text("#shared-values")
	if !strings.Contains(shared, "Andrei Vasilescu") || !strings.Contains(shared, "Romanian") {
		t.Errorf("the shared values are %q; want the name and the language", shared)
	}
	if n := b.count(`#shared-values [data-shared]`); n != 2 {
		t.Errorf("the referral shows %d shared items; want the two chosen", n)
	}
	body := b.text("main")
	for _, unshared := range []string{"1985", "June", "Andy", "keyworker", tr.region.Marker(worker.OrgID), c.ID} {
		if strings.Contains(body, unshared) {
			t.Errorf("the recipient's page shows %q, which was not shared", unshared)
		}
	}
	b.wantInert("referral as received", xssUserName)
	b.checkPage("referral as its recipient sees it")
	if status := b.open(clientPath); status != http.StatusNotFound {
		t.Errorf("the recipient opening the client's record: status %d, want 404", status)
	}

	// A decline without a reason is refused; then the worker accepts.
	b.open(referralPath)
	status = b.click(`#decline-form button[type=submit]`)
	b.wantErrorSummary("decline without a reason", status, http.StatusUnprocessableEntity)
	if got := b.text("#reason-error"); !strings.Contains(got, "Say why you are declining") {
		t.Errorf("the reason's error says %q", got)
	}
	b.checkPage("decline without a reason")
	if status := b.click(`#accept`); status != http.StatusOK {
		t.Fatalf("accept: status %d", status)
	}
	if got := b.text("#referral-status"); got != "Accepted" {
		t.Errorf("after accepting the status is %q", got)
	}
	if b.count("#decline-form") != 0 || b.count("#complete") != 1 {
		t.Errorf("an accepted referral offers decline, or not complete")
	}
	b.checkPage("referral accepted")
	b.open("/referrals?status=accepted")
	if got := b.text("#inbound"); !strings.Contains(got, "Andrei Vasilescu") {
		t.Errorf("the accepted filter does not list the referral: %q", got)
	}
	b.checkPage("inbound queue, accepted")
}

// TestBrowser_ReferralSharesOnAcceptance: a hostel's safeguarding lead refers a woman to the
// anti-slavery charity and chooses to share who she is and her modern slavery history when the
// charity accepts; the charity's worker accepts, follows the referral to the shared record and
// reads exactly those sections.
func TestBrowser_ReferralSharesOnAcceptance(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	ctx := context.Background()
	lead := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessHostel)
	charity := browserOrgOfType(t, tr, waymark.OrgAntiSlaveryCharity)
	a := waymark.Actor{UserID: lead.ID, OrgID: lead.OrgID, Role: lead.Role}
	c := &waymark.Client{GivenName: "Elena", FamilyName: "Marin", EstimatedAge: 28, ConcernStatus: waymark.ConcernConfirmed, Notes: "NOTSHARED hostel notes"}
	if err := sqldb.NewClientService(tr.db).CreateClient(ctx, a, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.NewExploitationService(tr.db).AddEpisode(ctx, a, c.ID, &waymark.ExploitationEpisode{Types: []string{"sexual"}, Recency: "past_3_months",
		Narrative: "SHAREDONACCEPT: held in a flat above a shop"}); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.NewConsentService(tr.db).RecordConsent(ctx, a, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
		Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{charity.ID}, On: waymark.Today(time.Now()), HowExplained: "In Romanian"}); err != nil {
		t.Fatal(err)
	}

	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(lead)
	b.open("/clients/" + c.ID + "/referrals")
	b.selectValue("#to_org_id", charity.ID)
	b.fill("#reason", "Needs an advocate.")
	b.choose(`#referral-form input[name=shared][value=name]`)
	b.choose(`#referral-form input[name=share_sections][value=identity]`)
	b.choose(`#referral-form input[name=share_sections][value=history]`)
	status := b.click(`#referral-form button[type=submit]`)
	b.wantErrorSummary("referral, sections without a purpose", status, http.StatusUnprocessableEntity)
	b.checkPage("referral, sections without a purpose")
	b.choose(`#referral-form input[name=share_purpose][value=support]`)
	if status := b.click(`#referral-form button[type=submit]`); status != http.StatusOK || !strings.HasPrefix(b.path(), "/referrals/") {
		t.Fatalf("send the referral: status %d, on %s", status, b.path())
	}
	referralPath := b.path()
	if got := b.text("#share-pending"); !strings.Contains(got, "Nothing is shared until") {
		t.Errorf("the sent referral says %q about sharing", got)
	}
	b.checkPage("referral sharing on acceptance, sent")

	cw := newBrowserTab(t, browser, tr.srv.URL)
	cw.signInDemo(tr.user(t, waymark.RoleFrontline, waymark.OrgAntiSlaveryCharity))
	cw.open(referralPath)
	if status := cw.click(`#accept`); status != http.StatusOK {
		t.Fatalf("accept: status %d", status)
	}
	cw.checkPage("referral accepted, shared")
	if status := cw.click(`#share-made a`); status != http.StatusOK || !strings.HasPrefix(cw.path(), "/shared/") {
		t.Fatalf("follow the shared record: status %d, on %s", status, cw.path())
	}
	body := cw.text("main")
	if !strings.Contains(body, "Elena Marin") || !strings.Contains(body, "SHAREDONACCEPT") {
		t.Errorf("the charity does not see the sections shared: %q", body)
	}
	if strings.Contains(body, "NOTSHARED") || cw.count("#support") != 0 || cw.count("#pathway") != 0 {
		t.Errorf("the charity sees what was not shared: %q", body)
	}
	cw.checkPage("record shared on acceptance")

	// The lead sees the share on the sharing page, made by her.
	b.open(referralPath)
	if got := b.text("#share-made"); !strings.Contains(got, "Withdrawing the referral does not stop it") {
		t.Errorf("the sender's referral says %q", got)
	}
	b.open("/clients/" + c.ID + "/sharing")
	if got := b.text("#shares-table"); !strings.Contains(got, charity.Name) || !strings.Contains(got, lead.Name) {
		t.Errorf("the shares table says %q; want the charity, shared by the lead", got)
	}
}
