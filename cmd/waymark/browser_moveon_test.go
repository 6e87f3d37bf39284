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

// dateBoxes splits t's London date into the day, month and year a GOV.UK date input takes.
func dateBoxes(t time.Time) (day, month, year string) {
	y, m, d := t.In(waymark.London()).Date()
	return strconv.Itoa(d), strconv.Itoa(int(m)), strconv.Itoa(y)
}

// TestBrowser_LifeAfterSupport is journey 5: a worker plans for the end of a man's support, sees
// the cliff edge coming, keeps the plan up to date as support ends, and records the first
// follow-up, when he could not be reached; the plan's history shows each change. The cliff-edge
// view, the outcomes and the notifications are checked on the way, every page with axe.
func TestBrowser_LifeAfterSupport(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	c := &waymark.Client{GivenName: "Marius", FamilyName: "Dumitru", EstimatedAge: 41, ConcernStatus: waymark.ConcernConfirmed, AssignedWorkerID: u.ID}
	if err := sqldb.NewClientService(tr.db).CreateClient(context.Background(), waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, c, nil); err != nil {
		t.Fatal(err)
	}
	clientPath := "/clients/" + c.ID
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open(clientPath)
	if status := b.click(`main a[href="` + clientPath + `/move-on"]`); status != http.StatusOK {
		t.Fatalf("open life after support: status %d", status)
	}
	b.wantPage(clientPath+"/move-on", "Life after support")
	b.checkPage("move-on, no plan")

	// The first plan: support ends in ten days, and nothing is in place yet. A date that does not
	// exist is refused, with what was typed kept.
	b.click("#plan-link")
	b.wantPage(clientPath+"/move-on/plan", "Move-on plan")
	b.checkPage("move-on plan, empty")
	b.fillDate("support_ends_on", "30", "2", "2027")
	b.selectValue("#accommodation_type", "supported_housing")
	b.selectValue("#accommodation_status", "looking")
	b.selectValue("#benefit_universal_credit", "claimed")
	b.fill("#support_services", "Tenancy support from the council <b>bold</b>")
	status := b.click(`#plan-form button[type=submit]`)
	b.wantErrorSummary("move-on plan, bad date", status, http.StatusUnprocessableEntity)
	if got := evalJS[string](b, `document.querySelector('#accommodation_type').value + '|' + document.querySelector('#support_ends_on').value`); got != "supported_housing|30" {
		t.Errorf("after the error the plan form holds %q; want what was typed", got)
	}
	b.checkPage("move-on plan, bad date")
	day, month, year := dateBoxes(time.Now().AddDate(0, 0, 10))
	b.fillDate("support_ends_on", day, month, year)
	if status := b.click(`#plan-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("save the plan: status %d", status)
	}
	b.wantPage(clientPath+"/move-on", "Life after support")
	if got := b.text("#cliff-edge-warning"); !strings.Contains(got, "10 days") {
		t.Errorf("the cliff-edge warning says %q; want the days left", got)
	}
	if got := b.text("#plan-details"); !strings.Contains(got, "Supported housing") || !strings.Contains(got, "Claimed: waiting") {
		t.Errorf("the plan summary does not show what was saved: %q", got)
	}
	b.wantInert("move-on page with markup typed", "<b>bold</b>")
	b.checkPage("move-on, cliff edge")

	// The worker's cliff-edge view lists him.
	b.open("/cliff-edge")
	b.checkPage("cliff edge, mine")
	if got := b.text("main"); !strings.Contains(got, "Marius") {
		t.Errorf("the worker's cliff-edge view does not list the client: %q", got)
	}
	if status := b.click(`#tasks-link a`); status != http.StatusOK || b.path() != "/tasks" {
		t.Errorf("the cliff-edge view's link to the tasks: status %d, on %s", status, b.path())
	}

	// Support ended five weeks ago after all: the plan is changed, and the first follow-up is due.
	b.open(clientPath + "/move-on/plan")
	day, month, year = dateBoxes(time.Now().AddDate(0, 0, -35))
	b.fillDate("support_ends_on", day, month, year)
	b.selectValue("#accommodation_status", "moved_in")
	if status := b.click(`#plan-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("change the plan: status %d", status)
	}
	if got := b.text("#plan-history"); !strings.Contains(got, "date support ends") || !strings.Contains(got, "accommodation") {
		t.Errorf("the plan's history does not name what changed: %q", got)
	}
	if n := b.count(`#follow-ups-table tr[data-months="1"] a`); n != 1 {
		t.Fatalf("the follow-up at 1 month has %d links; want one to record it", n)
	}

	// He could not be reached: an answer with no attempts is refused; the attempts are recorded.
	b.click(`#follow-ups-table tr[data-months="1"] a`)
	b.wantPage(clientPath+"/move-on/follow-ups/1", "Record the follow-up at 1 month")
	b.checkPage("follow-up, empty")
	b.choose("#contacted-no")
	status = b.click(`#follow-up-form button[type=submit]`)
	b.wantErrorSummary("follow-up, no attempts", status, http.StatusUnprocessableEntity)
	b.checkPage("follow-up, no attempts")
	day, month, year = dateBoxes(time.Now().AddDate(0, 0, -2))
	b.fillDate("attempt_1", day, month, year)
	b.selectValue("#attempt_1_method", "phone")
	b.fill("#notes", "Number no longer in use; asked the day centre to pass on a message.")
	if status := b.click(`#follow-up-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record the follow-up: status %d", status)
	}
	b.wantPage(clientPath+"/move-on", "Life after support")
	if got := b.text(`#follow-ups-table tr[data-months="1"]`); !strings.Contains(got, "Phone call") || !strings.Contains(got, "asked the day centre") {
		t.Errorf("the follow-up is not shown as recorded: %q", got)
	}
	b.checkPage("move-on, follow-up recorded")

	// The day centre passed the message on and he called back: the follow-up is corrected, and
	// the first version is kept.
	b.click(`#follow-ups-table tr[data-months="1"] a`)
	b.choose("#contacted")
	b.choose("#stable_accommodation") // yes
	b.choose("#rough_sleeping-1")     // no
	b.choose("#re_exploited-1")       // no
	b.choose("#in_contact")           // yes
	// The attempts from the first version are cleared, as a worker would empty the boxes.
	evalJS[int](b, `[...document.querySelectorAll('#follow-up-form [name^="attempt_"]')].map(e => { e.value = ''; return 1 }).length`)
	if status := b.click(`#follow-up-form button[type=submit]`); status != http.StatusOK {
		t.Fatalf("correct the follow-up: status %d", status)
	}
	if got := b.text(`#follow-ups-table tr[data-months="1"]`); !strings.Contains(got, "In stable accommodation: Yes") || !strings.Contains(got, "a correction") {
		t.Errorf("the corrected follow-up is not shown as a correction: %q", got)
	}

	// The timeline on the client page has both.
	b.open(clientPath)
	if got := b.text("main"); !strings.Contains(got, "Move-on plan changed") || !strings.Contains(got, "Follow-up at 1 month: could not contact") {
		t.Errorf("the client's timeline does not show the plan and the follow-up: %.600q", got)
	}

	// The manager's pages: the organisation's cliff edge, the outcomes and the schedule.
	m := newBrowserTab(t, browser, tr.srv.URL)
	m.signInDemo(tr.user(t, waymark.RoleManager, waymark.OrgHomelessOutreach))
	m.open("/cliff-edge/organisation")
	m.checkPage("cliff edge, organisation")
	m.open("/outcomes")
	m.checkPage("outcomes")
	if got := m.text("main"); !strings.Contains(got, "fewer than 5") && !strings.Contains(got, "3 months") {
		t.Errorf("the outcomes page shows no rows: %q", got)
	}
	m.open("/organisation/follow-ups")
	m.checkPage("follow-up schedule")
	m.fill("#months", "3, 1")
	status = m.click(`main form button[type=submit]`)
	m.wantErrorSummary("follow-up schedule, out of order", status, http.StatusUnprocessableEntity)
	m.checkPage("follow-up schedule, out of order")

	// The lead's notifications from the tasks job.
	lead := newBrowserTab(t, browser, tr.srv.URL)
	lead.signInDemo(tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach))
	lead.open("/notifications")
	lead.checkPage("notifications")
	if n := lead.count(`main form[action="/notifications/read"]`); n == 0 {
		t.Error("the lead's notifications page has no way to mark them read")
	}
	lead.choose("#email-no")
	if status := lead.click(`#email-form button[type=submit]`); status != http.StatusOK || !strings.Contains(lead.text("main"), "You will not get emails") {
		t.Errorf("choosing no email: status %d, page %q", status, lead.text("main"))
	}
	if !evalJS[bool](lead, `document.querySelector('#email-no').checked`) {
		t.Error("the notifications page does not show the choice of no email")
	}
}
