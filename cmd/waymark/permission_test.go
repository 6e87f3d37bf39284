package main

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// The permission matrix: every role of every demo organisation requests every route (HTML and
// API) with the IDs of every organisation's records, and no response may show a marker of a record
// the role may not see. The matrix of who may see what is kept here as data.

// mayView says whose client records a role may see in this release: its own organisation's, or
// none. (Sharing with partners extends this when case sharing is built.)
var mayViewOwnClients = map[waymark.Role]bool{
	waymark.RoleFrontline:        true,
	waymark.RoleSafeguardingLead: true,
	waymark.RoleManager:          true,
	waymark.RoleOrgAdmin:         false,
	waymark.RolePartner:          false,
	waymark.RoleAnalyst:          false,
	waymark.RoleSystemAdmin:      false,
}

// urlsFor expands every registered GET route into concrete paths, one per record of each
// organisation where the route names a record.
func (tr *testRegion) urlsFor(t *testing.T, api bool) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	for _, r := range tr.web.Routes() {
		if r.Method != "GET" || strings.HasPrefix(r.Path, "/static/") || strings.HasPrefix(r.Path, "/assets/") {
			continue
		}
		if strings.HasPrefix(r.Path, "/api/") != api {
			continue
		}
		if paths, ok := tr.conferenceURLs(r.Path); ok {
			for _, p := range paths {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
			continue
		}
		var ids []string
		// Records under a client: each organisation's, under its own client.
		children := map[string]map[string]string{"{note}": tr.notes, "{episode}": tr.episodes, "{support}": tr.support}
		found := false
		for param, ids := range children {
			if !strings.Contains(r.Path, param) {
				continue
			}
			found = true
			for org, child := range ids {
				p := strings.NewReplacer("{id}", tr.clients[org][0], param, child).Replace(r.Path)
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
		if strings.Contains(r.Path, "{slug}") {
			found = true
			for _, p := range guidePaths(r.Path) {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
		if found {
			continue
		}
		switch {
		case strings.Contains(r.Path, "/clients/{id}"):
			for _, list := range tr.clients {
				ids = append(ids, list[0])
			}
		case strings.Contains(r.Path, "/users/{id}"):
			for _, o := range tr.region.Organisations {
				for _, u := range tr.region.Users {
					if u.OrgID == o.ID {
						ids = append(ids, u.ID)
						break
					}
				}
			}
		case strings.Contains(r.Path, "/organisations/{id}"):
			for _, o := range tr.region.Organisations {
				ids = append(ids, o.ID)
			}
		case strings.Contains(r.Path, "{token}"):
			ids = []string{"wmi_not-a-real-token"}
		case strings.Contains(r.Path, "{referral}"):
			ids = tr.referralIDs()
		case strings.Contains(r.Path, "{share}"):
			ids = tr.shareIDs()
		case strings.Contains(r.Path, "{agreement}"):
			// Every organisation's agreements, so each is requested by parties and others alike.
			for _, a := range tr.region.Agreements {
				ids = append(ids, a.ID)
			}
		case strings.Contains(r.Path, "{service}"):
			// Every directory service, so each organisation's safe house is requested by everyone.
			for _, d := range tr.region.Directory {
				ids = append(ids, d.ID)
			}
		case strings.Contains(r.Path, "{course}"):
			// The region's catalogue: every organisation reads it, only the keeper changes a course.
			ids = tr.region.Training.CourseIDs
		case strings.Contains(r.Path, "{activity}"):
			// Every organisation's awareness sessions, so each is requested by everyone.
			ids = tr.region.Training.ActivityIDs
		case strings.Contains(r.Path, "{assessment}"):
			// Every organisation's latest self-assessment, so each is requested by everyone.
			for _, o := range tr.region.Organisations {
				if id := tr.region.Assessments.Latest[o.ID]; id != "" {
					ids = append(ids, id)
				}
			}
		case strings.Contains(r.Path, "{action}"):
			// Every organisation's plan actions.
			ids = tr.region.Assessments.ActionIDs
		case strings.Contains(r.Path, "{") && !strings.HasSuffix(r.Path, "{$}"):
			t.Fatalf("route %s %s has a parameter the permission test does not know: teach urlsFor its IDs", r.Method, r.Path)
		default:
			ids = []string{""}
		}
		for _, id := range ids {
			p := strings.NewReplacer("{id}", id, "{token}", id, "{service}", id, "{referral}", id, "{agreement}", id, "{share}", id, "{course}", id, "{activity}", id, "{assessment}", id, "{action}", id, "{months}", "1", "{$}", "").Replace(r.Path)
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	out = append(out, "/directory?need=safe_accommodation", "/directory?q=safehouse", "/directory/export?org=mine")
	// The statistics' routes take only a query: one area's dashboard, and its return in each form.
	out = append(out, "/statistics?area=Harrowdale", "/statistics/return?quarter=1&area=Harrowdale", "/statistics/return.csv?quarter=1&area=Harrowdale",
		"/statistics/return.xlsx?quarter=1&area=Harrowdale")
	if api {
		out = append(out, "/api/v1/directory?need=safe_accommodation&limit=100", "/api/v1/directory/export?organisation_id="+tr.region.Organisations[0].ID,
			"/api/v1/statistics/return?quarter=1&area=Harrowdale")
	}
	return append(out, "/no-such-page", "/users?org="+tr.region.Organisations[0].ID, "/audit?org="+tr.region.Organisations[0].ID)
}

func TestPermissionMatrix(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			// Each engine's region is its own: the two run side by side.
			t.Parallel()
			tr := newTestRegion(t, engine, 45)
			tr.addMarkedReferrals(t)
			tr.addMarkedShares(t)
			tr.addMarkedGuides(t)
			tr.addMarkedConferences(t)
			pages, apis := tr.urlsFor(t, false), tr.urlsFor(t, true)
			for _, u := range tr.region.Users {
				t.Run(string(u.Role)+"@"+u.OrgName+" sees no record it may not", func(t *testing.T) {
					tr.checkUser(t, u, pages, apis)
				})
			}
		})
	}
}

func (tr *testRegion) checkUser(t *testing.T, u demo.UserInfo, pages, apis []string) {
	allowed := map[string]bool{}
	if mayViewOwnClients[u.Role] {
		allowed[tr.region.Marker(u.OrgID)] = true
	}
	// Restricted notes are for the organisation's safeguarding leads only.
	if u.Role == waymark.RoleSafeguardingLead {
		allowed[restrictedMarker(u.OrgID)] = true
	}
	// Referrals' shared copies: for the staff who see clients in their two organisations only.
	tr.allowReferrals(u, allowed)
	// Shared records: the owner's staff, and the partner's while the share is active.
	tr.allowShares(u, allowed)
	// Case conferences: a case's minutes and actions for organisations that may see the case.
	tr.allowConferences(u, allowed)
	// A confidential directory location is for its own organisation's staff, whatever their role,
	// and so is its own guidance.
	allowed[tr.region.LocationMarker(u.OrgID)] = true
	allowed[guideMarker(u.OrgID)] = true
	// An organisation's awareness sessions are for its staff who read its training pages.
	allowed[tr.region.AwarenessMarker(u.OrgID)] = u.Role.Can(waymark.PermViewTraining)
	// An organisation's self-assessments are for its staff who read them; analysts see only the
	// region's figures.
	allowed[tr.region.AssessmentMarker(u.OrgID)] = u.Role.Can(waymark.PermViewAssessment)
	// Only the region's own markers count: a random secret on a page can look like one.
	leaks := func(where string, body string) {
		for _, o := range tr.region.Organisations {
			own := []string{o.Marker, restrictedMarker(o.ID), tr.region.LocationMarker(o.ID), guideMarker(o.ID), tr.region.AwarenessMarker(o.ID), tr.region.AssessmentMarker(o.ID)}
			for _, m := range slices.Concat(own, tr.referralMarkers(o.ID), tr.shareMarkersFrom(o.ID), tr.conferenceMarkersFrom(o.ID)) {
				if !allowed[m] && strings.Contains(body, m) {
					t.Errorf("%s shows marker %s of %s, which %s may not see", where, m, o.Name, u.Role)
					return
				}
			}
		}
	}
	sawRestricted := false
	c := tr.newClient(t)
	c.signIn(u.Email)
	sawOwn, sawOwnLocation, sawOwnGuide := false, false, false
	for _, p := range pages {
		r := c.get(p)
		leaks("GET "+p, r.body)
		sawOwnGuide = sawOwnGuide || strings.Contains(r.body, guideMarker(u.OrgID))
		sawOwn = sawOwn || strings.Contains(r.body, tr.region.Marker(u.OrgID))
		sawOwnLocation = sawOwnLocation || strings.Contains(r.body, tr.region.LocationMarker(u.OrgID))
		sawRestricted = sawRestricted || strings.Contains(r.body, restrictedMarker(u.OrgID))
		if r.status >= 500 {
			t.Errorf("GET %s: status %d", p, r.status)
		}
		if tr.otherOrgsClient(u.OrgID, p) && r.status != http.StatusNotFound {
			t.Errorf("GET %s: status %d for another organisation's client, want 404", p, r.status)
		}
	}
	// Searches: every letter a name may hold, so each search matches many clients everywhere.
	for _, q := range []string{"a", "e", "MKR"} {
		r := c.post("/clients/search", url.Values{"name": {q}})
		leaks("POST /clients/search "+q, r.body)
		sawOwn = sawOwn || strings.Contains(r.body, tr.region.Marker(u.OrgID))
	}
	// The test can fail: a role that may see its organisation's clients must see their markers.
	if mayViewOwnClients[u.Role] && !sawOwn {
		t.Errorf("%s never saw its own organisation's records: the matrix would pass vacuously", u.Role)
	}
	// The test can fail: staff of an organisation that keeps a safe house see its address.
	if tr.keepsSafeHouse(u.OrgID) && !sawOwnLocation {
		t.Errorf("%s never saw its own organisation's confidential location: the matrix would pass vacuously", u.Role)
	}
	if slices.Contains(tr.guides, u.OrgID) && !sawOwnGuide {
		t.Errorf("%s never saw its own organisation's guidance: the matrix would pass vacuously", u.Role)
	}
	if u.Role == waymark.RoleSafeguardingLead && tr.notes[u.OrgID] != "" && !sawRestricted {
		t.Errorf("a safeguarding lead never saw their organisation's restricted note: the matrix would pass vacuously")
	}

	token := tr.token(t, u)
	for _, p := range apis {
		r := c.api("GET", p, token, "")
		leaks("API GET "+p, r.body)
		if r.status >= 500 {
			t.Errorf("API GET %s: status %d", p, r.status)
		}
	}
	for _, q := range []string{"a", "e"} {
		r := c.api("POST", "/api/v1/clients/search", token, `{"name": "`+q+`", "limit": 100}`)
		leaks("API POST /api/v1/clients/search", r.body)
	}

	// Another organisation's client cannot be changed, through pages or the API.
	other := tr.otherOrg(u.OrgID)
	if ids := tr.clients[other]; len(ids) > 0 {
		if r := c.post("/clients/"+ids[0]+"/concern", url.Values{"concern_status": {"suspected"}}); r.status != http.StatusNotFound {
			t.Errorf("%s changing another organisation's concern status: status %d, want 404", u.Role, r.status)
		}
		if r := c.post("/clients/"+ids[0], url.Values{"given_name": {"Changed"}, "version": {"1"}}); r.status != http.StatusNotFound {
			t.Errorf("%s changing another organisation's client: status %d, want 404", u.Role, r.status)
		}
		if r := c.api("PUT", "/api/v1/clients/"+ids[0], token, `{"given_name": "Changed", "version": 1}`); r.status != http.StatusNotFound {
			t.Errorf("%s changing another organisation's client through the API: status %d, want 404", u.Role, r.status)
		}
	}
	// Nor can another organisation's NRM journey be recorded in, through pages or the API.
	if ids := tr.clients[other]; len(ids) > 0 {
		for _, p := range journeyPosts {
			r := c.post("/clients/"+ids[0]+p, journeyForm(p))
			leaks("POST "+p, r.body)
			if r.status != http.StatusNotFound {
				t.Errorf("%s recording %s for another organisation's client: status %d, want 404", u.Role, p, r.status)
			}
		}
		for _, call := range journeyAPICalls {
			r := c.api(call.method, "/api/v1/clients/"+ids[0]+call.path, token, call.body)
			leaks("API "+call.method+" "+call.path, r.body)
			if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
				t.Errorf("%s calling %s %s for another organisation's client: status %d, want 404 or 403", u.Role, call.method, call.path, r.status)
			}
		}
	}
	if ids := tr.clients[u.OrgID]; len(ids) > 0 && u.Role.Can(waymark.PermEditClients) {
		// The test can fail: the same step recorded for one's own client goes through.
		if r := c.post("/clients/"+ids[0]+"/pathway/steps", journeyForm("/pathway/steps")); r.status != http.StatusSeeOther {
			t.Errorf("%s recording a step for its own client: status %d, want 303", u.Role, r.status)
		}
		if r := c.api("POST", "/api/v1/clients/"+ids[0]+"/pathway-steps", token, journeyAPICalls[2].body); r.status != http.StatusCreated {
			t.Errorf("%s recording a step for its own client through the API: status %d, want 201", u.Role, r.status)
		}
	}
	if ids := tr.clients[u.OrgID]; len(ids) > 0 && u.Role.Can(waymark.PermEditClients) {
		// The test can fail: the same change to one's own client goes through.
		if r := c.post("/clients/"+ids[0]+"/concern", url.Values{"concern_status": {"suspected"}}); r.status != http.StatusSeeOther {
			t.Errorf("%s recording its own client's concern status: status %d, want 303", u.Role, r.status)
		}
	}

	// Another organisation's directory entry cannot be changed, through pages or the API; one's own
	// can, by those who manage the directory (the test can fail).
	for _, d := range tr.region.Directory {
		own := d.OrgID == u.OrgID
		cur, err := sqldb.NewDirectoryService(tr.db).FindDirectoryService(context.Background(), waymark.SystemActor(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := c.post("/directory/"+d.ID+"/capacity", url.Values{"capacity": {"3"}, "version": {strconv.Itoa(cur.Version)}})
		leaks("POST /directory/{service}/capacity", r.body)
		switch {
		case own && u.Role.Can(waymark.PermManageDirectory):
			if r.status != http.StatusSeeOther {
				t.Errorf("%s updating its own service's capacity: status %d, want 303", u.Role, r.status)
			}
		case r.status != http.StatusNotFound:
			t.Errorf("%s updating the capacity of %s: status %d, want 404", u.Role, d.Name, r.status)
		}
		if !own {
			ar := c.api("PUT", "/api/v1/directory/"+d.ID, token, `{"name": "Hijacked", "status": "defunct", "needs": ["healthcare"], "version": 1}`)
			leaks("API PUT /api/v1/directory/{service}", ar.body)
			if ar.status != http.StatusNotFound && ar.status != http.StatusForbidden {
				t.Errorf("%s changing %s through the API: status %d, want 404 or 403", u.Role, d.Name, ar.status)
			}
		}
	}

	tr.checkReferrals(t, u, c, token)
	tr.checkShares(t, u, c, token)
	tr.checkAgreements(t, u, c, token)
	tr.checkConferences(t, u, c, token)
	tr.checkTraining(t, u, c, token)

	// State-changing routes of other roles are refused, and never reach another organisation.
	if !u.Role.Can(waymark.PermManageOrganisations) {
		r := c.post("/organisations", url.Values{"name": {"Sneaky " + string(u.Role)}, "type": {"other"}})
		if r.status == http.StatusSeeOther {
			t.Errorf("%s created an organisation", u.Role)
		}
		r = c.post("/users", url.Values{"org": {other}, "name": {"Sneaky"}, "email": {"sneaky." + string(u.Role) + "@example.org"}, "role": {"frontline"}})
		if r.status == http.StatusOK && strings.Contains(r.body, "invitation-link") {
			if !u.Role.Can(waymark.PermManageOrgUsers) {
				t.Errorf("%s invited a user", u.Role)
			} else if strings.Contains(r.body, tr.orgName(other)) {
				t.Errorf("%s invited a user into another organisation", u.Role)
			}
		}
		for _, ou := range tr.region.Users {
			if ou.OrgID == other {
				r := c.post("/users/"+ou.ID, url.Values{"action": {"disable"}})
				if r.status != http.StatusNotFound {
					t.Errorf("%s disabling a user of another organisation: status %d, want 404", u.Role, r.status)
				}
				break
			}
		}
	}
}

// keepsSafeHouse reports whether the organisation keeps a confidential directory service.
func (tr *testRegion) keepsSafeHouse(orgID string) bool {
	for _, d := range tr.region.Directory {
		if d.OrgID == orgID && d.Confidential {
			return true
		}
	}
	return false
}

// otherOrgsClient reports whether path names a client of an organisation other than orgID.
func (tr *testRegion) otherOrgsClient(orgID, path string) bool {
	for org, ids := range tr.clients {
		for _, id := range ids {
			if org != orgID && strings.Contains(path, "/clients/"+id) {
				return true
			}
		}
	}
	return false
}

func (tr *testRegion) otherOrg(orgID string) string {
	for _, o := range tr.region.Organisations {
		if o.ID != orgID {
			return o.ID
		}
	}
	return ""
}

func (tr *testRegion) orgName(orgID string) string {
	for _, o := range tr.region.Organisations {
		if o.ID == orgID {
			return o.Name
		}
	}
	return ""
}

// journeyPosts are the NRM journey's and life after support's state-changing pages, under /clients/{id}.
var journeyPosts = []string{"/pathway", "/pathway/steps", "/pathway/consent", "/nrm/referral", "/nrm/decisions", "/nrm/milestones", "/duty-to-notify",
	"/move-on/plan", "/move-on/follow-ups/1", "/sharing", "/shares"}

// journeyForm is a valid submission of the journey's form at path p, so that only the client's
// organisation decides the answer.
func journeyForm(p string) url.Values {
	switch p {
	case "/pathway":
		return url.Values{"immediate_danger": {"no"}, "version": {"0"}}
	case "/pathway/steps":
		return url.Values{"kind": {"police_report"}, "outcome": {"done"}, "on": {"2026-01-08"}}
	case "/pathway/consent":
		return url.Values{"answer": {"no"}, "answered_on": {"2026-01-08"}, "asked_by": {"Sam"}, "refusal_reason": {"Not now"}, "ask_again_on": {"2099-01-01"}}
	case "/nrm/referral", "/duty-to-notify":
		return url.Values{"submitted_on": {"2026-01-08"}}
	case "/nrm/decisions":
		return url.Values{"stage": {"reasonable_grounds"}, "outcome": {"positive"}, "authority": {"single_competent_authority"}, "decided_on": {"2026-01-08"}}
	case "/nrm/milestones":
		return url.Values{"kind": {"recovery_needs_assessment"}, "on": {"2026-01-08"}}
	case "/move-on/plan":
		return url.Values{"employment": {"looking"}, "version": {"1"}}
	case "/shares":
		return url.Values{"share_partner": {"x"}, "share_purpose": {"safeguarding"}, "share_sections": {"identity"}}
	case "/sharing":
		return url.Values{"purpose": {"support"}, "basis": {"consent"}, "decision": {"refused"}, "on": {"2026-01-08"}}
	case "/move-on/follow-ups/1":
		return url.Values{"contacted": {"yes"}, "stable_accommodation": {"yes"}, "rough_sleeping": {"no"}, "re_exploited": {"no"}, "in_contact": {"yes"}, "version": {"1"}}
	}
	return url.Values{}
}

// journeyAPICalls are the NRM journey's state-changing API calls, under /api/v1/clients/{id}.
var journeyAPICalls = []struct{ method, path, body string }{
	{"PUT", "/pathway", `{"immediate_danger": "no", "version": 0}`},
	{"POST", "/consents", `{"answer": "no", "answered_on": "2026-01-08", "asked_by": "Sam", "refusal_reason": "Not now", "ask_again_on": "2099-01-01"}`},
	{"POST", "/pathway-steps", `{"kind": "police_report", "outcome": "done", "on": "2026-01-08"}`},
	{"POST", "/nrm-referrals", `{"submitted_on": "2026-01-08", "first_responder_org_id": "x"}`},
	{"POST", "/nrm-decisions", `{"stage": "reasonable_grounds", "outcome": "positive", "authority": "single_competent_authority", "decided_on": "2026-01-08"}`},
	{"POST", "/nrm-milestones", `{"kind": "recovery_needs_assessment", "on": "2026-01-08"}`},
	{"POST", "/duty-to-notify", `{"submitted_on": "2026-01-08"}`},
	{"PUT", "/move-on/plan", `{"employment": "looking", "version": 1}`},
	{"POST", "/sharing-consents", `{"purpose": "support", "basis": "consent", "decision": "refused", "on": "2026-01-08"}`},
	{"POST", "/shares", `{"partner_organisation_id": "x", "purpose": "safeguarding", "sections": ["identity"]}`},
	{"PUT", "/move-on/follow-ups/1", `{"contacted": true, "stable_accommodation": "yes", "rough_sleeping": "no", "re_exploited": "no", "in_contact": "yes", "version": 1}`},
}
