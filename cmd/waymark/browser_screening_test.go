package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_Screening is a frontline worker screening a client with the HMIS questions: nothing
// answered is refused with a message, a problem keeps the answers given, the recorded screening
// proposes "suspected", and the worker confirms it on the client's record.
func TestBrowser_Screening(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	c := &waymark.Client{GivenName: "Marius", FamilyName: "Oprea"}
	if err := sqldb.NewClientService(tr.db).CreateClient(context.Background(), waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, c, nil); err != nil {
		t.Fatal(err)
	}
	clientPath := "/clients/" + c.ID
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open(clientPath)
	if status := b.click(`main a[href="` + clientPath + `/screening"]`); status != http.StatusOK {
		t.Fatalf("open the screening page: status %d", status)
	}
	b.wantPage(clientPath+"/screening", "Screening questions")
	if !strings.Contains(b.text("main"), "No screening has been recorded") {
		t.Error("the screening page does not say that there are no screenings yet")
	}
	b.checkPage("screening form")

	submit := `main form[action="` + clientPath + `/screening"] button[type=submit]`
	status := b.click(submit)
	b.wantErrorSummary("screening, nothing answered", status, http.StatusUnprocessableEntity)
	b.checkPage("screening, nothing answered")

	// A problem elsewhere on the form keeps the answers given.
	b.choose(`input[name=afraid_to_leave_work][value=yes]`)
	b.fill("#notes", strings.Repeat("x", 5001))
	status = b.click(submit)
	b.wantErrorSummary("screening, notes too long", status, http.StatusUnprocessableEntity)
	if !evalJS[bool](b, `document.querySelector('input[name=afraid_to_leave_work][value=yes]').checked`) {
		t.Error("the answer given was lost when the form came back with a problem")
	}

	b.choose(`input[name=exchange_sex][value=no]`)
	b.choose(`input[name=made_to_have_sex][value=no]`)
	b.choose(`input[name=work_different_from_promised][value=yes]`)
	b.choose(`input[name=forced_to_continue][value=yes]`)
	b.fill("#notes", "Works nights at a car wash; the boss drives him there.")
	if status := b.click(submit); status != http.StatusOK {
		t.Fatalf("record the screening: status %d", status)
	}
	if got := b.text("h1"); got != "Screening recorded" {
		t.Fatalf("after recording the h1 is %q", got)
	}
	if got := b.text("#proposed-status"); got != "Suspected" {
		t.Errorf("proposed status %q, want Suspected", got)
	}
	if got := evalJS[string](b, `document.querySelector('input[name=concern_status]:checked').value`); got != "suspected" {
		t.Errorf("the concern form has %q chosen, want the proposed status", got)
	}
	if got := evalJS[string](b, `document.querySelector('#reason').value`); !strings.HasPrefix(got, "Proposed by screening: ") || !strings.Contains(got, "v1") {
		t.Errorf("the reason is prefilled with %q", got)
	}
	b.checkPage("screening outcome")

	// The worker confirms the proposal.
	if status := b.click(`main form[action="` + clientPath + `/concern"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("confirm the concern status: status %d", status)
	}
	if got := b.path(); got != clientPath {
		t.Fatalf("after confirming, on %s, want the client record", got)
	}
	if got := b.text("main .govuk-tag"); got != "Suspected" {
		t.Errorf("the client record shows the status %q, want Suspected", got)
	}
	if hist := b.text("#concern-history"); !strings.Contains(hist, "Proposed by screening") {
		t.Errorf("the concern history does not show the screening as the reason: %q", hist)
	}

	// The screening is listed when the page is opened again.
	b.open(clientPath + "/screening")
	if list := b.text("#past-screenings"); !strings.Contains(list, "HMIS") || !strings.Contains(list, "Suspected") {
		t.Errorf("the screenings recorded are not listed: %q", list)
	}
}

// TestScreeningAPI records and reads a screening through the JSON API, and checks that another
// organisation's worker finds neither the client nor its screenings.
func TestScreeningAPI(t *testing.T) {
	t.Parallel()
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], 10)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	clientID := tr.clients[u.OrgID][0]
	hc := tr.newClient(t)
	token := tr.token(t, u)

	r := hc.api("GET", "/api/v1/question-sets", token, "")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"hmis-trafficking-v1"`) || !strings.Contains(r.body, `"ilo-forced-labour-v1"`) {
		t.Fatalf("question sets: status %d, body %.300s", r.status, r.body)
	}
	r = hc.api("POST", "/api/v1/clients/"+clientID+"/screenings", token,
		`{"set_id": "ilo-forced-labour-v1", "answers": {"debt_bondage": "observed", "isolation": "not_known"}, "notes": "via API"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("record: status %d, body %.300s", r.status, r.body)
	}
	var created struct {
		ID             string            `json:"id"`
		Answers        map[string]string `json:"answers"`
		ProposedStatus string            `json:"proposed_status"`
	}
	if err := json.Unmarshal([]byte(r.body), &created); err != nil {
		t.Fatal(err)
	}
	if created.ProposedStatus != "suspected" || created.Answers["debt_bondage"] != "observed" {
		t.Errorf("recorded %+v, want suspected with the answers", created)
	}
	r = hc.api("POST", "/api/v1/clients/"+clientID+"/screenings", token, `{"set_id": "ilo-forced-labour-v1", "answers": {"debt_bondage": "yes"}}`)
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("a wrong answer: status %d, want 422", r.status)
	}
	r = hc.api("GET", "/api/v1/clients/"+clientID+"/screenings", token, "")
	if r.status != http.StatusOK || !strings.Contains(r.body, created.ID) || !strings.Contains(r.body, "via API") {
		t.Errorf("list: status %d, body %.300s", r.status, r.body)
	}

	other := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessHostel)
	otherToken := tr.token(t, other)
	if r := hc.api("GET", "/api/v1/clients/"+clientID+"/screenings", otherToken, ""); r.status != http.StatusNotFound {
		t.Errorf("another organisation's list: status %d, want 404", r.status)
	}
	if r := hc.api("POST", "/api/v1/clients/"+clientID+"/screenings", otherToken, `{"set_id": "hmis-trafficking-v1", "answers": {"exchange_sex": "no"}}`); r.status != http.StatusNotFound {
		t.Errorf("another organisation's record: status %d, want 404", r.status)
	}
}
