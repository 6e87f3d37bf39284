package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb"
)

// markedConference is a case conference the permission test holds for each marked share: chaired by
// the owner, attended by the partner and by a third organisation the record is not shared with,
// with the shared client on its agenda (discussed without sharing, since the third has no share).
// The case's minutes and action carry caseMarker; a conference-wide action carries wideMarker.
type markedConference struct {
	id, clientID, from, to, third string
	state                         waymark.ShareState
	caseMarker, wideMarker        string
}

// addMarkedConferences puts every marked share's client on a conference of its own (after
// addMarkedShares), with minutes and actions written by the owner's safeguarding lead.
func (tr *testRegion) addMarkedConferences(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	leads := map[string]waymark.Actor{}
	var orgs []string
	for _, u := range tr.region.Users {
		if u.Role == waymark.RoleSafeguardingLead {
			leads[u.OrgID] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
			orgs = append(orgs, u.OrgID)
		}
	}
	confs := sqldb.NewConferenceService(tr.db)
	for _, s := range tr.shares {
		third := ""
		for _, o := range orgs {
			if o != s.from && o != s.to {
				third = o
				break
			}
		}
		lead := leads[s.from]
		clientID := s.clientID
		tag := strings.ToUpper(string(s.state[:3])) + strings.ToUpper(s.from) + "X" + strings.ToUpper(s.to)
		c := &waymark.Conference{Title: "Permission test panel", HeldOn: "2099-01-01", AttendingOrgIDs: []string{s.to, third}}
		if err := confs.CreateConference(ctx, lead, c); err != nil {
			t.Fatal(err)
		}
		if err := confs.AddCase(ctx, lead, c.ID, clientID, true, "The third organisation has no share."); err != nil {
			t.Fatal(err)
		}
		m := markedConference{id: c.ID, clientID: clientID, from: s.from, to: s.to, third: third, state: s.state,
			caseMarker: "CONFCASE" + tag, wideMarker: "CONFWIDE" + tag}
		if err := confs.SaveMinutes(ctx, lead, c.ID, clientID, 0, "Minutes. "+m.caseMarker); err != nil {
			t.Fatal(err)
		}
		if err := confs.AddAction(ctx, lead, c.ID, &waymark.ConferenceAction{ClientID: clientID, Text: "Action. " + m.caseMarker, OwnerOrgID: s.from,
			Owner: "The lead", DueOn: "2099-01-08"}); err != nil {
			t.Fatal(err)
		}
		if err := confs.AddAction(ctx, lead, c.ID, &waymark.ConferenceAction{Text: "For everyone. " + m.wideMarker, OwnerOrgID: s.from,
			Owner: "The chair", DueOn: "2099-01-08"}); err != nil {
			t.Fatal(err)
		}
		tr.conferences = append(tr.conferences, m)
	}
}

// allowConferences adds the conference markers a user may see: a case's minutes and actions to
// the owner's staff who see conferences and its clients, and to the partner's while the share is active; the
// conference-wide action to every attendee's staff who see conferences.
func (tr *testRegion) allowConferences(u demo.UserInfo, allowed map[string]bool) {
	view := u.Role.Can(waymark.PermViewConferences)
	for _, m := range tr.conferences {
		if view && (u.OrgID == m.from && mayViewOwnClients[u.Role] || u.OrgID == m.to && m.state == waymark.ShareActive) {
			allowed[m.caseMarker] = true
		}
		if view && (u.OrgID == m.from || u.OrgID == m.to || u.OrgID == m.third) {
			allowed[m.wideMarker] = true
		}
	}
}

// conferenceMarkersFrom lists the markers of the conferences an organisation chaired.
func (tr *testRegion) conferenceMarkersFrom(orgID string) []string {
	var out []string
	for _, m := range tr.conferences {
		if m.from == orgID {
			out = append(out, m.caseMarker, m.wideMarker)
		}
	}
	return out
}

// conferenceURLs expands a route naming a conference (and perhaps a case on it) into a path for
// every marked conference; ok is false for any other route.
func (tr *testRegion) conferenceURLs(path string) ([]string, bool) {
	if !strings.Contains(path, "{conference}") {
		return nil, false
	}
	var out []string
	for _, m := range tr.conferences {
		out = append(out, strings.NewReplacer("{conference}", m.id, "{client}", m.clientID, "{action}", "no-such-action").Replace(path))
	}
	return out, true
}

// checkConferences reads every marked conference and case as u: only staff who see conferences of
// an attending organisation read the conference; only those of the owner, and of the partner while
// the share is active, read the case's minutes and actions; everyone else gets 404 through the page
// and the API (403 from the API for a role that sees no conferences). The test can fail: the
// owner's and the active partner's staff must see the case's marker.
func (tr *testRegion) checkConferences(t *testing.T, u demo.UserInfo, c *httpClient, token string) {
	t.Helper()
	view := u.Role.Can(waymark.PermViewConferences)
	for _, m := range tr.conferences {
		attends := u.OrgID == m.from || u.OrgID == m.to || u.OrgID == m.third
		maySee := view && (u.OrgID == m.from && mayViewOwnClients[u.Role] || u.OrgID == m.to && m.state == waymark.ShareActive)
		conf, confAPI := c.get("/conferences/"+m.id), c.api("GET", "/api/v1/conferences/"+m.id, token, "")
		switch {
		case view && attends && (conf.status != http.StatusOK || confAPI.status != http.StatusOK || !strings.Contains(conf.body, m.wideMarker)):
			t.Errorf("%s of an attendee reading a conference: page %d, API %d; want 200 with its actions", u.Role, conf.status, confAPI.status)
		case !(view && attends) && conf.status != http.StatusNotFound:
			t.Errorf("%s reading a conference it may not: page %d, want 404", u.Role, conf.status)
		case !(view && attends) && confAPI.status != http.StatusNotFound && confAPI.status != http.StatusForbidden:
			t.Errorf("%s reading a conference it may not through the API: %d, want 404 or 403", u.Role, confAPI.status)
		}
		path := "/conferences/" + m.id + "/cases/" + m.clientID
		page, api := c.get(path), c.api("GET", "/api/v1"+path, token, "")
		switch {
		case maySee && (page.status != http.StatusOK || !strings.Contains(page.body, m.caseMarker) || api.status != http.StatusOK || !strings.Contains(api.body, m.caseMarker)):
			t.Errorf("%s reading a case (%s) it may see: page %d, API %d; want both 200 with the minutes", u.Role, m.state, page.status, api.status)
		case !maySee && page.status != http.StatusNotFound:
			t.Errorf("%s reading a case (%s) it may not: page %d, want 404", u.Role, m.state, page.status)
		case !maySee && api.status != http.StatusNotFound && api.status != http.StatusForbidden:
			t.Errorf("%s reading a case (%s) it may not through the API: %d, want 404 or 403", u.Role, m.state, api.status)
		}
		// Nor may it write minutes where it may not read them.
		if !maySee {
			r := c.post(path+"/minutes", map[string][]string{"version": {"1"}, "minutes": {"Overwritten"}})
			if r.status != http.StatusNotFound {
				t.Errorf("%s writing minutes of a case (%s) it may not see: %d, want 404", u.Role, m.state, r.status)
			}
		}
	}
}
