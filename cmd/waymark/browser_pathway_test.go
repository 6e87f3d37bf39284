package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// journeyClient sets up a demo client of u's organisation for a journey test: change may adjust
// the record (age, gender, nationality) first. It returns the client as saved.
func journeyClient(t *testing.T, tr *testRegion, u demo.UserInfo, change func(c *waymark.Client)) *waymark.Client {
	t.Helper()
	ctx := context.Background()
	a := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
	cs := sqldb.NewClientService(tr.db)
	ids := tr.clients[u.OrgID]
	if len(ids) < 2 {
		t.Fatalf("%s has too few clients", u.OrgName)
	}
	// Not the first client: the region gives that one records of every kind.
	c, err := cs.FindClientByID(ctx, a, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	change(c)
	c, err = cs.UpdateClient(ctx, a, c.ID, waymark.ClientUpdate{Version: c.Version, Client: *c})
	if err != nil {
		t.Fatalf("prepare the client: %v", err)
	}
	return c
}

// fillDate types a date into the three boxes of a GOV.UK date input.
func (b *browserTab) fillDate(name, day, month, year string) {
	b.t.Helper()
	b.fill("#"+name, day)
	b.fill("#"+name+"-month", month)
	b.fill("#"+name+"-year", year)
}

// wantStep fails unless the plan (steps or parallel steps) shows the step.
func (b *browserTab) wantStep(kind waymark.StepKind) {
	b.t.Helper()
	if b.count(`main [data-step="`+string(kind)+`"]`) != 1 {
		b.t.Errorf("the plan does not show the step %s: %s", kind, b.text("#route"))
	}
}

// TestBrowser_AdultConsentsToNRMReferral is journey 2: a safeguarding lead at a First Responder
// answers the pathway's questions, records an adult's informed consent (after being told that a
// consent without the explanations is not informed), reads the referral pack with its gaps,
// marks the referral as submitted and records the reasonable grounds decision, and Waymark counts
// the days.
func TestBrowser_AdultConsentsToNRMReferral(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach)
	c := journeyClient(t, tr, u, func(c *waymark.Client) { c.EstimatedAge, c.DateOfBirth, c.AgeDisputed = 34, "", false })
	// Hostile text in the record must stay text in the pack.
	if err := sqldb.NewExploitationService(tr.db).AddEpisode(context.Background(), waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, c.ID,
		&waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months", Narrative: "Car wash. " + xssUserName}); err != nil {
		t.Fatal(err)
	}
	clientPath := "/clients/" + c.ID
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open(clientPath)
	if status := b.click(`main a[href="` + clientPath + `/pathway"]`); status != http.StatusOK {
		t.Fatalf("open the pathway: status %d", status)
	}
	b.wantPage(clientPath+"/pathway", "Pathway and consent")
	b.wantStep(waymark.StepCheckDanger)
	b.checkPage("pathway, nothing answered")

	b.choose("#immediate_danger-1") // no
	b.choose("#under_18-1")         // no
	b.choose("#cooperates")         // yes
	if status := b.click(`#answers-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("save the answers: status %d", status)
	}
	b.wantStep(waymark.StepAskConsent)
	b.checkPage("pathway, answers saved")

	// Consent without the explanations ticked is not informed.
	b.choose("#answer") // yes
	b.fillDate("answered_on", "20", "11", "2026")
	b.fill("#asked_by", "Sam Okafor with an interpreter")
	status := b.click(`#consent-form button[type=submit]`)
	b.wantErrorSummary("consent, nothing explained", status, http.StatusUnprocessableEntity)
	if got := b.text("#explained-error"); !strings.Contains(got, "Tick each thing you explained") {
		t.Errorf("the explanations' error says %q", got)
	}
	if got := evalJS[string](b, `document.querySelector('#asked_by').value + '|' + document.querySelector('#answered_on-month').value`); got != "Sam Okafor with an interpreter|11" {
		t.Errorf("after the error the consent form holds %q; want what was typed", got)
	}
	b.checkPage("consent, nothing explained")
	for _, sel := range []string{"#explained", "#explained-1", "#explained-2", "#explained-3"} {
		b.choose(sel)
	}
	if status := b.click(`#consent-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record consent: status %d", status)
	}
	if got := b.text("#consent-history"); !strings.Contains(got, "Yes, they consent") || !strings.Contains(got, "20 November 2026") ||
		!strings.Contains(got, "Sam Okafor with an interpreter") || !strings.Contains(got, "may go to the police") {
		t.Errorf("the consent history does not show the consent with its explanations: %q", got)
	}
	b.wantStep(waymark.StepNRMReferral)
	if got := b.text("#route-label"); got != waymark.RouteAdultNRM.Label() {
		t.Errorf("the route is %q", got)
	}
	b.checkPage("pathway, consent recorded")

	// The pack, filled from the record, with what is still to collect.
	if status := b.click(`main a[href="` + clientPath + `/nrm/pack"]`); status != http.StatusOK {
		t.Fatalf("open the pack: status %d", status)
	}
	b.wantPage(clientPath+"/nrm/pack", "NRM referral pack")
	if got := b.text("#to-collect"); !strings.Contains(got, "Still to collect") || !strings.Contains(got, "Home Office reference") {
		t.Errorf("the pack does not list what is still to collect: %q", got)
	}
	if got := b.text("#pack-exploitation"); !strings.Contains(got, "Yes, they consent to an NRM referral, 20 November 2026") || !strings.Contains(got, "Labour") ||
		!strings.Contains(got, "Still to collect") {
		t.Errorf("the pack does not show the recorded answers and the gaps: %q", got)
	}
	b.wantInert("pack with hostile text", xssUserName)
	b.checkPage("referral pack")

	// The tracker: a referral with nothing entered is refused, then marked as submitted.
	b.open(clientPath + "/nrm")
	b.wantPage(clientPath+"/nrm", "NRM referral and decisions")
	b.checkPage("tracker, nothing recorded")
	b.selectValue("#first_responder_org_id", "")
	status = b.click(`#referral-form button[type=submit]`)
	b.wantErrorSummary("referral, nothing entered", status, http.StatusUnprocessableEntity)
	b.checkPage("referral, nothing entered")
	b.fillDate("submitted_on", "21", "11", "2026")
	b.selectValue("#first_responder_org_id", u.OrgID)
	b.fill("#reference", "NRM-2026-0042")
	if status := b.click(`#referral-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("mark the referral as submitted: status %d", status)
	}
	if got := b.text("#referrals-table"); !strings.Contains(got, "21 November 2026") || !strings.Contains(got, u.OrgName) || !strings.Contains(got, "NRM-2026-0042") {
		t.Errorf("the referral is not listed: %q", got)
	}
	b.checkPage("tracker, referral submitted")

	b.selectValue("#stage", "reasonable_grounds")
	b.selectValue("#outcome", "positive")
	b.selectValue("#authority", "single_competent_authority")
	b.fillDate("decided_on", "26", "11", "2026")
	if status := b.click(`#decision-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record the decision: status %d", status)
	}
	if got := b.text("#decisions-table"); !strings.Contains(got, "Reasonable grounds") || !strings.Contains(got, "Positive") || !strings.Contains(got, "5 days") {
		t.Errorf("the decision is not listed with its days from referral: %q", got)
	}
	b.checkPage("tracker, decision recorded")
}

// TestBrowser_ChildPathway is journey 4: a worker at a hostel that is not a First Responder opens
// the pathway of someone estimated to be 16, sees that children's services come first and that
// the NRM referral needs no consent, and records the referral to children's services.
func TestBrowser_ChildPathway(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessHostel)
	c := journeyClient(t, tr, u, func(c *waymark.Client) { c.EstimatedAge, c.DateOfBirth = 16, "" })
	path := "/clients/" + c.ID + "/pathway"
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open(path)
	b.wantPage(path, "Pathway and consent")
	if got := b.text("#route-label"); got != waymark.RouteChild.Label() {
		t.Errorf("the route is %q, want the child route", got)
	}
	b.wantStep(waymark.StepChildrensServices)
	b.wantStep(waymark.StepPartnerReferral) // the hostel is not a First Responder
	if got := b.text("#plan-steps"); !strings.Contains(got, "without needing their consent") {
		t.Errorf("the plan does not say the referral needs no consent: %q", got)
	}
	if got := b.text("#answers-form"); !strings.Contains(got, "From their record: Yes") {
		t.Errorf("the age question does not show what the record suggests: %q", got)
	}
	b.checkPage("pathway, child")

	// A step with no outcome is refused, keeping what was typed.
	b.selectValue("#kind", string(waymark.StepChildrensServices))
	b.fill("#reference", "CS-2026-117")
	status := b.click(`#step-form button[type=submit]`)
	b.wantErrorSummary("step, no outcome or date", status, http.StatusUnprocessableEntity)
	if got := evalJS[string](b, `document.querySelector('#reference').value + '|' + document.querySelector('#kind').value`); got != "CS-2026-117|childrens_services" {
		t.Errorf("after the error the step form holds %q", got)
	}
	b.checkPage("step, no outcome or date")
	b.choose("#outcome") // done
	b.fillDate("on", "27", "11", "2026")
	if status := b.click(`#step-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record the step: status %d", status)
	}
	if got := b.text("#steps-table"); !strings.Contains(got, "Referred to children's services") || !strings.Contains(got, "Done") ||
		!strings.Contains(got, "CS-2026-117") || !strings.Contains(got, u.Name) {
		t.Errorf("the step is not listed with who, when, outcome and reference: %q", got)
	}
	b.checkPage("pathway, step recorded")
}

// TestBrowser_RefusalAndDutyToNotify is journey 3: at a council, a specified public authority, a
// woman refuses an NRM referral. The refusal is recorded with her reason and a date to ask again;
// the plan shows the Duty to Notify report, which holds her gender and nationality only, and the
// report is recorded as made.
func TestBrowser_RefusalAndDutyToNotify(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgLAHousing)
	c := journeyClient(t, tr, u, func(c *waymark.Client) {
		c.EstimatedAge, c.DateOfBirth, c.AgeDisputed, c.Gender = 29, "", false, "female"
		c.Nationalities, c.NationalityAnswer = []string{"AL"}, ""
	})
	path := "/clients/" + c.ID + "/pathway"
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open(path)
	b.choose("#immediate_danger-1") // no
	b.choose("#under_18-1")         // no
	b.choose("#cooperates-1")       // no
	if status := b.click(`#answers-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("save the answers: status %d", status)
	}
	// A refusal without a reason is refused.
	b.choose("#answer-1") // no
	b.fillDate("answered_on", "27", "11", "2026")
	status := b.click(`#consent-form button[type=submit]`)
	b.wantErrorSummary("refusal, no reason", status, http.StatusUnprocessableEntity)
	b.checkPage("refusal, no reason")
	b.fill("#refusal_reason", "She is afraid the Home Office will send her back.")
	askAgain := waymark.DefaultAskAgainOn(time.Now())
	if got := evalJS[string](b, `[document.querySelector('#ask_again_on-year').value, document.querySelector('#ask_again_on-month').value.padStart(2, '0'), document.querySelector('#ask_again_on').value.padStart(2, '0')].join('-')`); got != askAgain {
		t.Errorf("the date to ask again suggests %q, want %q, two weeks on", got, askAgain)
	}
	if status := b.click(`#consent-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record the refusal: status %d", status)
	}
	if got := b.text("#consent-history"); !strings.Contains(got, "No, they do not consent") || !strings.Contains(got, "afraid the Home Office") ||
		!strings.Contains(got, "Ask again on") {
		t.Errorf("the consent history does not show the refusal: %q", got)
	}
	b.wantStep(waymark.StepDutyToNotify)
	b.wantStep(waymark.StepAskAgain)
	b.checkPage("pathway, refused")

	if status := b.click(`main a[href="/clients/` + c.ID + `/duty-to-notify"]`); status != http.StatusOK {
		t.Fatalf("open the Duty to Notify page: status %d", status)
	}
	b.wantPage("/clients/"+c.ID+"/duty-to-notify", "Duty to Notify")
	report := b.text("#duty-report")
	if !strings.Contains(report, "Female") || !strings.Contains(report, "Albania") {
		t.Errorf("the report does not show her gender and nationality: %q", report)
	}
	for _, s := range append([]string{c.Reference}, append(c.KnownAs, c.GivenName, c.FamilyName)...) {
		if s != "" && strings.Contains(report, s) {
			t.Errorf("the report shows %q from her record", s)
		}
	}
	for _, ct := range c.Contacts {
		if strings.Contains(report, ct.Value) {
			t.Errorf("the report shows her contact details although she does not agree to help the police")
		}
	}
	b.checkPage("duty to notify")
	status = b.click(`#duty-form button[type=submit]`)
	b.wantErrorSummary("duty to notify, nothing entered", status, http.StatusUnprocessableEntity)
	b.checkPage("duty to notify, nothing entered")
	b.fillDate("submitted_on", "27", "11", "2026")
	b.fill("#reference", "DTN-88")
	if status := b.click(`#duty-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record the report: status %d", status)
	}
	if got := b.text("#reports-list"); !strings.Contains(got, "27 November 2026") || !strings.Contains(got, "DTN-88") {
		t.Errorf("the report made is not listed: %q", got)
	}
	b.checkPage("duty to notify, report made")
}

// TestJourneyAPI records a journey through the JSON API: answers with their version (a stale one
// is refused with 409), consent, a referral and a decision, read back with the days from referral;
// bad input gets per-field messages, and another organisation's worker finds nothing.
func TestJourneyAPI(t *testing.T) {
	t.Parallel()
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], 10)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	id := tr.clients[u.OrgID][1]
	hc := tr.newClient(t)
	token := tr.token(t, u)
	base := "/api/v1/clients/" + id

	answers := `{"immediate_danger": "no", "under_18": "no", "cooperates": "yes", "version": 0}`
	if r := hc.api("PUT", base+"/pathway", token, answers); r.status != http.StatusOK || !strings.Contains(r.body, `"version": 1`) {
		t.Fatalf("save answers: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("PUT", base+"/pathway", token, answers); r.status != http.StatusConflict {
		t.Errorf("stale answers: status %d, want 409", r.status)
	}
	r := hc.api("POST", base+"/consents", token, `{"answer": "yes", "answered_on": "2026-11-20", "asked_by": "Sam"}`)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "explained_sharing") {
		t.Errorf("consent without explanations: status %d, body %.300s; want 422 naming the fields", r.status, r.body)
	}
	consent := `{"answer": "yes", "answered_on": "2026-11-20", "asked_by": "Sam", "explained_nrm": true, "explained_support": true, "explained_outcomes": true, "explained_sharing": true}`
	if r := hc.api("POST", base+"/consents", token, consent); r.status != http.StatusCreated {
		t.Errorf("consent: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("POST", base+"/nrm-referrals", token, `{"submitted_on": "2026-11-21", "first_responder_org_id": "`+u.OrgID+`", "reference": "NRM-1"}`); r.status != http.StatusCreated {
		t.Errorf("referral: status %d, body %.300s", r.status, r.body)
	}
	r = hc.api("POST", base+"/nrm-decisions", token, `{"stage": "reasonable_grounds", "outcome": "positive", "authority": "single_competent_authority", "decided_on": "2026-11-26"}`)
	if r.status != http.StatusCreated || !strings.Contains(r.body, `"days_from_referral": 5`) {
		t.Errorf("decision: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("POST", base+"/nrm-milestones", token, `{"kind": "victim_care_start", "on": "2026-11-26"}`); r.status != http.StatusCreated {
		t.Errorf("milestone: status %d, body %.300s", r.status, r.body)
	}
	if r := hc.api("POST", base+"/pathway-steps", token, `{"kind": "police_report", "outcome": "done", "on": "2026-11-22", "reference": "CR/9"}`); r.status != http.StatusCreated {
		t.Errorf("step: status %d, body %.300s", r.status, r.body)
	}
	// Harbour Street Outreach is not a specified public authority.
	if r := hc.api("POST", base+"/duty-to-notify", token, `{"submitted_on": "2026-11-22"}`); r.status != http.StatusUnprocessableEntity {
		t.Errorf("duty to notify at an organisation without the duty: status %d, want 422", r.status)
	}
	r = hc.api("GET", base+"/journey", token, "")
	var j struct {
		Plan struct {
			Route string `json:"route"`
		} `json:"plan"`
		Decisions []struct {
			Days *int `json:"days_from_referral"`
		} `json:"decisions"`
		Steps []struct{ Reference string } `json:"steps"`
	}
	if err := json.Unmarshal([]byte(r.body), &j); err != nil || r.status != http.StatusOK {
		t.Fatalf("journey: status %d, %v, body %.300s", r.status, err, r.body)
	}
	if j.Plan.Route != "adult_nrm" || len(j.Decisions) != 1 || j.Decisions[0].Days == nil || *j.Decisions[0].Days != 5 || len(j.Steps) != 1 {
		t.Errorf("the journey read back is %+v", j)
	}
	// The answers form, sent with the old version, answers 409 with the message and the saved version.
	hc.signIn(u.Email)
	form := url.Values{"immediate_danger": {"yes"}, "version": {"0"}}
	if r := hc.post("/clients/"+id+"/pathway", form); r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed these answers") ||
		!strings.Contains(r.body, `name="version" value="1"`) {
		t.Errorf("stale answers through the form: status %d", r.status)
	}
	form.Set("version", "1")
	if r := hc.post("/clients/"+id+"/pathway", form); r.status != http.StatusSeeOther {
		t.Errorf("answers through the form: status %d, want 303", r.status)
	}
	other := tr.token(t, tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessHostel))
	if r := hc.api("GET", base+"/journey", other, ""); r.status != http.StatusNotFound {
		t.Errorf("another organisation's journey: status %d, want 404", r.status)
	}
}
