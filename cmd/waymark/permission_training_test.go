package main

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb"
)

// checkTraining checks training records and awareness sessions through the pages and the API.
// Staff who read training see their own organisation's sessions (so the test can fail) and never
// another's; another organisation's session cannot be read or changed (404); a course of the
// regional catalogue is read by all who read training and changed only by its keeper (403 for
// another organisation's managers).
func (tr *testRegion) checkTraining(t *testing.T, u demo.UserInfo, c *httpClient, token string) {
	t.Helper()
	view, manage := u.Role.Can(waymark.PermViewTraining), u.Role.Can(waymark.PermManageTraining)
	own := c.get("/awareness")
	marker := tr.region.AwarenessMarker(u.OrgID)
	if !view && own.status != http.StatusNotFound {
		t.Errorf("%s: GET /awareness gave status %d, want 404", u.Role, own.status)
	}
	if view && tr.hasClients(u.OrgID) && !strings.Contains(own.body, marker) {
		t.Errorf("%s never saw its own organisation's awareness session: the matrix would pass vacuously", u.Role)
	}
	if view && strings.Contains(own.body, "/awareness/new") != manage {
		t.Errorf("%s: the form to record a session is offered: %t", u.Role, !manage)
	}
	tpage := c.get("/training")
	if view != (tpage.status == http.StatusOK) || view && strings.Contains(tpage.body, `action="/training`) {
		t.Errorf("%s: GET /training gave status %d (forms shown: %t)", u.Role, tpage.status, strings.Contains(tpage.body, `action="/training`))
	}
	form := url.Values{"on-day": {"1"}, "on-month": {"2"}, "on-year": {"2026"}, "audience": {"public"}, "attending": {"5"}, "topic": {"Hijacked"}, "version": {"0"}}
	ownIDs := tr.activitiesOf(t, u.OrgID)
	for _, id := range tr.region.Training.ActivityIDs {
		mine := slices.Contains(ownIDs, id)
		r := c.post("/awareness/"+id, form)
		a := c.api("PUT", "/api/v1/awareness/"+id, token, `{"on": "2026-02-01", "audience": "public", "attending": 5, "topic": "Hijacked", "version": 0}`)
		switch {
		case !mine && (r.status != http.StatusNotFound || a.status != http.StatusNotFound && a.status != http.StatusForbidden):
			t.Errorf("%s changing another organisation's session: page %d, API %d; want 404", u.Role, r.status, a.status)
		case mine && manage && (r.status != http.StatusConflict || a.status != http.StatusConflict):
			// The stale version reaches the store for the right organisation, and changes nothing.
			t.Errorf("%s changing its own session from a stale version: page %d, API %d; want 409", u.Role, r.status, a.status)
		}
	}
	keeper := tr.region.Training.CourseKeeper
	for _, id := range tr.region.Training.CourseIDs[:1] {
		r := c.post("/training/courses/"+id, url.Values{"name": {"Hijacked"}, "provider": {"x"}, "level": {"awareness"}, "validity_months": {"1"}, "version": {"0"}})
		switch {
		case !manage && r.status != http.StatusNotFound:
			t.Errorf("%s changing a course: status %d, want 404", u.Role, r.status)
		case manage && u.OrgID != keeper && r.status != http.StatusForbidden:
			t.Errorf("%s changing another organisation's course: status %d, want 403", u.Role, r.status)
		case manage && u.OrgID == keeper && r.status != http.StatusConflict:
			t.Errorf("%s changing its own course from a stale version: status %d, want 409", u.Role, r.status)
		}
	}
}

// hasClients reports whether the organisation is a service with clients, which the demo gives
// training records and awareness sessions.
func (tr *testRegion) hasClients(orgID string) bool { return len(tr.clients[orgID]) > 0 }

// activitiesOf lists the IDs of the organisation's awareness sessions, read from the store as
// one of its managers.
func (tr *testRegion) activitiesOf(t *testing.T, orgID string) []string {
	t.Helper()
	ids := []string{}
	for _, u := range tr.region.Users {
		if u.Role != waymark.RoleManager || u.OrgID != orgID {
			continue
		}
		list, _, err := sqldb.NewAwarenessService(tr.db).FindAwareness(t.Context(), waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, waymark.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			ids = append(ids, a.ID)
		}
	}
	return ids
}
