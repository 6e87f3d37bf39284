package main

import (
	"net/http"
	"strings"
	"testing"

	"waymark"
	"waymark/sqldb/sqldbtest"
)

// TestBrowser_Tasks is the start of journey 2: the safeguarding lead sees the new concerns on his
// task list, and the organisation's overview; a task leads to the page where it is done.
func TestBrowser_Tasks(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	lead := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach)
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(lead)

	if got := b.text("#task-summary"); !strings.Contains(got, "open task") {
		t.Errorf("the home page's task summary says %q; want the open tasks counted", got)
	}
	b.open("/tasks")
	b.checkPage("your tasks")
	if got := b.text("#tasks"); !strings.Contains(got, "New concern: decide the route") {
		t.Fatalf("the lead's task list does not show the new concerns: %q", got)
	}
	if status := b.click(`#tasks a[href$="/pathway"]`); status != http.StatusOK || !strings.HasSuffix(b.path(), "/pathway") {
		t.Fatalf("following a task: status %d, on %s", status, b.path())
	}
	b.open("/tasks/organisation")
	b.checkPage("organisation's tasks")
	if got := b.text("#task-counts"); !strings.Contains(got, "New concern: decide the route:") {
		t.Errorf("the overview does not count tasks by kind: %q", got)
	}

	// A frontline worker may not see the overview: to them it is a page that does not exist.
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	w := newBrowserTab(t, browser, tr.srv.URL)
	w.signInDemo(worker)
	if status := w.open("/tasks/organisation"); status != http.StatusNotFound {
		t.Errorf("a frontline worker opening the overview: status %d, want 404", status)
	}
	w.open("/tasks")
	w.checkPage("a worker's tasks")
}

// TestTasksAPI lists tasks through the API: a lead's own, and the organisation's only for those
// who may see the overview.
func TestTasksAPI(t *testing.T) {
	t.Parallel()
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	hc := tr.newClient(t)
	lead := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessOutreach)
	worker := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	r := hc.api("GET", "/api/v1/tasks", tr.token(t, lead), "")
	if r.status != http.StatusOK || !strings.Contains(r.body, `"kind": "new_concern"`) || !strings.Contains(r.body, tr.region.Marker(lead.OrgID)) ||
		strings.Contains(r.body, tr.region.Marker(tr.otherOrg(lead.OrgID))) {
		t.Errorf("lead's tasks: status %d, body %.400s; want new concerns with the organisation's references, and no other organisation's", r.status, r.body)
	}
	if r := hc.api("GET", "/api/v1/organisation/tasks", tr.token(t, lead), ""); r.status != http.StatusOK {
		t.Errorf("organisation's tasks for a lead: status %d", r.status)
	}
	if r := hc.api("GET", "/api/v1/organisation/tasks", tr.token(t, worker), ""); r.status != http.StatusForbidden {
		t.Errorf("organisation's tasks for a frontline worker: status %d, want 403", r.status)
	}
}
