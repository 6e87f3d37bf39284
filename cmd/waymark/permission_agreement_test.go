package main

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"waymark"
	"waymark/internal/demo"
)

// staleAgreementForm and staleAgreementJSON change an agreement from version 999, which none has: a
// change that reaches the store for the right organisation is refused as a conflict and changes
// nothing, so every user can try every agreement.
var (
	staleAgreementForm = url.Values{"title": {"Hijacked"}, "purposes": {"support"}, "lawful_basis": {"consent"}, "start_on": {"2026-01-01"},
		"review_on": {"2026-06-01"}, "status": {"draft"}, "version": {"999"}}
	staleAgreementJSON = `{"title": "Hijacked", "purposes": ["support"], "lawful_basis": "consent", "start_on": "2026-01-01", "review_on": "2026-06-01", "status": "draft", "version": 999}`
)

// checkAgreements checks each demo agreement through the pages and the API. An organisation that
// is not a party finds nothing (404), whatever the role; a party's staff who may read agreements
// read it and find it in their list (so the test can fail); only the recording organisation's
// admins reach the change, and another party's admins are refused.
func (tr *testRegion) checkAgreements(t *testing.T, u demo.UserInfo, c *httpClient, token string) {
	t.Helper()
	view, manage := u.Role.Can(waymark.PermViewAgreements), u.Role.Can(waymark.PermManageAgreements)
	list := c.get("/agreements")
	if view != (list.status == http.StatusOK) {
		t.Errorf("%s: GET /agreements gave status %d", u.Role, list.status)
	}
	for _, a := range tr.region.Agreements {
		party, recorder := slices.Contains(a.OrgIDs, u.OrgID), a.RecordedByOrgID == u.OrgID
		page, api := c.get("/agreements/"+a.ID), c.api("GET", "/api/v1/agreements/"+a.ID, token, "")
		switch {
		case party && view:
			if page.status != http.StatusOK || api.status != http.StatusOK || !strings.Contains(page.body, a.Title) {
				t.Errorf("%s of a party reading %q: page %d, API %d; want both 200", u.Role, a.Title, page.status, api.status)
			}
		case party:
			if page.status != http.StatusNotFound || api.status != http.StatusForbidden {
				t.Errorf("%s reading %q: page %d, API %d; want 404 and 403", u.Role, a.Title, page.status, api.status)
			}
		default:
			if page.status != http.StatusNotFound || view && api.status != http.StatusNotFound || !view && api.status != http.StatusForbidden {
				t.Errorf("%s of an organisation not a party reading %q: page %d, API %d; want 404 for both (403 from the API for a role that reads none)",
					u.Role, a.Title, page.status, api.status)
			}
			if strings.Contains(page.body, a.Title) || strings.Contains(api.body, a.Title) {
				t.Errorf("%s of an organisation not a party sees %q", u.Role, a.Title)
			}
		}
		if inList := strings.Contains(list.body, "/agreements/"+a.ID+`"`); inList != (party && view) {
			t.Errorf("%s: %q in the list is %t; want %t", u.Role, a.Title, inList, party && view)
		}

		post, put := c.post("/agreements/"+a.ID, staleAgreementForm), c.api("PUT", "/api/v1/agreements/"+a.ID, token, staleAgreementJSON)
		wantPost, wantPut := http.StatusNotFound, http.StatusForbidden
		switch {
		case manage && recorder:
			wantPost, wantPut = http.StatusConflict, http.StatusConflict
		case manage && party:
			wantPost, wantPut = http.StatusForbidden, http.StatusForbidden
		case manage:
			wantPut = http.StatusNotFound
		}
		if post.status != wantPost || put.status != wantPut {
			t.Errorf("%s changing %q: page %d, API %d; want %d and %d", u.Role, a.Title, post.status, put.status, wantPost, wantPut)
		}
	}
}
