package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// testConference is a conference chaired by the police (org2) that org1 attends, with three cases:
// org1's own, one shared with org1 without who they are, and one not shared with org1.
func testConference() *waymark.ConferenceDetail {
	c := &waymark.Conference{ID: "k1", ChairOrgID: "org2", ChairOrgName: "Northmoor <Constabulary>", Title: "Northmoor panel", HeldOn: "2026-12-03",
		AttendingOrgIDs: []string{"org2", "org1", "org3"}, AttendingOrgNames: []string{"Northmoor <Constabulary>", "Harbour Outreach", "Lantern House"},
		Status: waymark.ConferenceScheduled, Version: 2}
	return &waymark.ConferenceDetail{Conference: c, Cases: []*waymark.ConferenceCase{
		{ConferenceID: "k1", ClientID: "c1", OwnerOrgID: "org1", OwnerOrgName: "Harbour Outreach", Visibility: waymark.CaseOwned, ClientName: "Ion <Popescu>"},
		{ConferenceID: "k1", ClientID: "c2", OwnerOrgID: "org3", OwnerOrgName: "Lantern House", Visibility: waymark.CaseShared,
			Sections: []waymark.ShareSection{waymark.SectionSupport, waymark.SectionPathway}},
		{ConferenceID: "k1", OwnerOrgID: "org3", OwnerOrgName: "Lantern House", Visibility: waymark.CaseNotShared, WithoutSharing: true},
	}, Actions: []*waymark.ConferenceAction{{ID: "x1", ConferenceID: "k1", Text: "Book the room", OwnerOrgID: "org2", OwnerOrgName: "Northmoor <Constabulary>",
		Owner: "DC Shah", DueOn: "2026-12-01", Status: waymark.ActionOpen, Version: 1}}}
}

func testConferenceCase() *waymark.ConferenceCaseDetail {
	d := testConference()
	return &waymark.ConferenceCaseDetail{Conference: d.Conference, Case: d.Cases[0],
		Minutes: waymark.CaseMinutes{Text: "Agreed a joint visit <script>alert(1)</script>", Version: 3, UpdatedByName: "Ada", UpdatedAt: moveOnNow},
		Actions: []*waymark.ConferenceAction{{ID: "x2", ConferenceID: "k1", ClientID: "c1", Text: "Visit <together>", OwnerOrgID: "org1", OwnerOrgName: "Harbour Outreach",
			Owner: "Sam", DueOn: "2026-12-10", Status: waymark.ActionDone, Version: 2}}}
}

// The conference pages filled in, for the render test.

func conferencesPageData(l Layout) ConferencesPage {
	d := testConference()
	past := *d.Conference
	past.ID, past.HeldOn, past.Status = "k0", "2026-10-01", waymark.ConferenceHeld
	return ConferencesPage{Layout: l, Upcoming: []*waymark.Conference{d.Conference}, Past: []*waymark.Conference{&past}, CanManage: true, Pager: Pager{Page: 1, Pages: 1, Total: 2}}
}

func conferencePageData(l Layout, f Form) ConferencePage {
	d := testConference()
	return ConferencePage{Layout: l, Detail: d, IsChair: true, CanManage: true, ActionForm: f,
		Options: ConferenceOptions{Organisations: attendeeOptions(d.Conference), ActionStatuses: waymark.ActionStatusOptions()}}
}

func conferenceFormPageData(l Layout, f Form) ConferenceFormPage {
	return ConferenceFormPage{Layout: l, Conference: testConference().Conference, Form: f, Conflict: true,
		Options: ConferenceOptions{Organisations: []waymark.Option{{Value: "org3", Label: "Lantern <House>"}}, Statuses: waymark.ConferenceStatusOptions()}}
}

func conferenceCasePageData(l Layout, f Form) ConferenceCasePage {
	d := testConferenceCase()
	d.Case.WithoutSharing, d.Case.Reason = true, "Consent to share with the council is being sought"
	d.Minutes, d.Actions = waymark.CaseMinutes{}, nil
	return ConferenceCasePage{Layout: l, Detail: d, MinutesForm: f, ActionForm: f, CanManage: true, CanRemove: true, Conflict: true,
		Options: ConferenceOptions{Organisations: attendeeOptions(d.Conference), ActionStatuses: waymark.ActionStatusOptions()}}
}

func clientConferencesData(f Form) *ClientConferencesSection {
	d := testConference()
	return &ClientConferencesSection{ClientID: "c1", ClientConferences: &waymark.ClientConferences{On: []*waymark.Conference{d.Conference},
		Available: []*waymark.Conference{d.Conference}}, Options: []waymark.Option{{Value: "k2", Label: "December <panel>"}}, Form: f, CanAdd: true}
}

// fakeConferences answers as the store would for org1, recording what it was asked to save.
type fakeConferences struct {
	waymark.ConferenceService
	created *waymark.Conference
	action  *waymark.ConferenceAction
	minutes string
	hidden  bool
}

func (f *fakeConferences) CreateConference(_ context.Context, a waymark.Actor, c *waymark.Conference) error {
	c.ChairOrgID = a.OrgID
	if err := c.Validate(); err != nil {
		return err
	}
	c.ID, f.created = "new1", c
	return nil
}

func (f *fakeConferences) UpdateConference(_ context.Context, a waymark.Actor, id string, version int, c *waymark.Conference) error {
	if version != 2 {
		return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this conference.")
	}
	c.ChairOrgID = a.OrgID
	if err := c.Validate(); err != nil {
		return err
	}
	c.ID, f.created = id, c
	return nil
}

func (f *fakeConferences) SetActionStatus(_ context.Context, _ waymark.Actor, _, actionID string, version int, status waymark.ActionStatus) error {
	if version != 1 {
		return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this action.")
	}
	f.action = &waymark.ConferenceAction{ID: actionID, Status: status}
	return nil
}

func (f *fakeConferences) FindConferences(ctx context.Context, a waymark.Actor) ([]*waymark.Conference, error) {
	var out []*waymark.Conference
	for _, id := range []string{"k1", "k2"} {
		if d, err := f.FindConference(ctx, a, id); err == nil {
			out = append(out, d.Conference)
		}
	}
	return out, nil
}

func (f *fakeConferences) FindConference(_ context.Context, a waymark.Actor, id string) (*waymark.ConferenceDetail, error) {
	if id != "k1" && id != "k2" || !a.Can(waymark.PermViewConferences) {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "The conference could not be found.")
	}
	d := testConference()
	if id == "k2" {
		// A conference org1 chairs.
		d.Conference.ID, d.Conference.ChairOrgID, d.Conference.AttendingOrgIDs = "k2", "org1", []string{"org1", "org2", "org3"}
	}
	return d, nil
}

func (f *fakeConferences) FindConferenceCase(_ context.Context, _ waymark.Actor, id, client string) (*waymark.ConferenceCaseDetail, error) {
	if id != "k1" || client != "c1" || f.hidden {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "The case could not be found.")
	}
	return testConferenceCase(), nil
}

func (f *fakeConferences) SaveMinutes(_ context.Context, _ waymark.Actor, _, _ string, version int, text string) error {
	if version != 3 {
		return waymark.Errorf(waymark.ECONFLICT, "Someone else changed these minutes.")
	}
	f.minutes = text
	return nil
}

func (f *fakeConferences) AddAction(_ context.Context, _ waymark.Actor, _ string, a *waymark.ConferenceAction) error {
	if err := a.Validate(); err != nil {
		return err
	}
	f.action = a
	return nil
}

func conferenceServer(t *testing.T, role waymark.Role) (*Server, *fakeConferences) {
	t.Helper()
	fc, auth := &fakeConferences{}, signedInAs{role: role}
	return moveOnServer(t, Services{Auth: auth, Tokens: auth, Conferences: fc, Organisations: fakeRegion{}, Notifications: &fakeNotifications{}}), fc
}

func TestConferencePages(t *testing.T) {
	t.Run("a bad date is refused with a message saying how to fix it, and what was typed is kept", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RolePartner)
		w := serve(s, "POST", "/conferences", "title=December+%3Cpanel%3E&held_on-day=31&held_on-month=2&held_on-year=2026&org_ids=org3")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || fc.created != nil {
			t.Fatalf("status %d, saved %v", w.Code, fc.created)
		}
		for _, want := range []string{"There is a problem", `href="#held_on"`, `value="December &lt;panel&gt;"`, `name="held_on-day" type="text" inputmode="numeric" autocomplete="off" value="31"`,
			`value="org3" checked`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})
	t.Run("a good form is saved, the chair among the attendees", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RolePartner)
		w := serve(s, "POST", "/conferences", "title=December+panel&held_on-day=3&held_on-month=12&held_on-year=2026&org_ids=org3&org_ids=org2")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/conferences/new1" {
			t.Fatalf("status %d, location %q", w.Code, w.Header().Get("Location"))
		}
		if diff := cmp.Diff([]string{"org1", "org3", "org2"}, fc.created.AttendingOrgIDs); diff != "" || fc.created.HeldOn != "2026-12-03" {
			t.Errorf("saved %+v (-want +got attendees):\n%s", fc.created, diff)
		}
	})
	t.Run("the agenda links only the cases the organisation may see, labelled for it", func(t *testing.T) {
		s, _ := conferenceServer(t, waymark.RoleSafeguardingLead)
		body := serve(s, "GET", "/conferences/k1", "").Body.String()
		for _, want := range []string{`href="/conferences/k1/cases/c1">Ion &lt;Popescu&gt;</a>`,
			`href="/conferences/k1/cases/c2">A case from Lantern House (shared with you: support and where they have lived; pathway and NRM)</a>`,
			"A case from Lantern House, not shared with your organisation", "Discussed without sharing", "Book the room"} {
			if !strings.Contains(body, want) {
				t.Errorf("the conference page lacks %q", want)
			}
		}
		if strings.Contains(body, "/conferences/k1/edit") {
			t.Error("an attendee that does not chair is offered the change link")
		}
		if w := serve(s, "GET", "/conferences/k9", ""); w.Code != http.StatusNotFound {
			t.Errorf("another conference: status %d", w.Code)
		}
	})
	t.Run("a case the organisation may not see is not found", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RolePartner)
		fc.hidden = true
		if w := serve(s, "GET", "/conferences/k1/cases/c1", ""); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "joint visit") {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("an action with a bad date keeps what was typed", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RoleManager)
		w := serve(s, "POST", "/conferences/k1/cases/c1/actions", "text=Visit+%3Cher%3E&owner_org_id=org2&owner=&due_on-day=1&due_on-month=13&due_on-year=2026")
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || fc.action != nil {
			t.Fatalf("status %d", w.Code)
		}
		for _, want := range []string{"Visit &lt;her&gt;</textarea>", `value="org2" selected`, "Enter the name of the person responsible", `href="#due_on"`, `value="13"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the case page lacks %q", want)
			}
		}
	})
	t.Run("minutes saved over someone else's change are kept, not saved", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RolePartner)
		w := serve(s, "POST", "/conferences/k1/cases/c1/minutes", "version=2&minutes=My+version")
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "My version</textarea>") || fc.minutes != "" {
			t.Errorf("status %d, saved %q", w.Code, fc.minutes)
		}
		w = serve(s, "POST", "/conferences/k1/cases/c1/minutes", "version=3&minutes=My+version")
		if w.Code != http.StatusSeeOther || fc.minutes != "My version" {
			t.Errorf("status %d, saved %q", w.Code, fc.minutes)
		}
	})
	t.Run("roles that may not see conferences have no link and no page", func(t *testing.T) {
		for _, role := range []waymark.Role{waymark.RoleFrontline, waymark.RoleOrgAdmin, waymark.RoleAnalyst, waymark.RoleSystemAdmin} {
			s, _ := conferenceServer(t, role)
			for _, path := range []string{"/conferences", "/conferences/k1", "/conferences/k1/cases/c1", "/api/v1/conferences/k1"} {
				if w := serve(s, "GET", path, ""); w.Code != http.StatusNotFound && w.Code != http.StatusForbidden {
					t.Errorf("%s: %s gave %d", role, path, w.Code)
				}
			}
			if slices.ContainsFunc(navFor(role, "/home"), func(n NavItem) bool { return n.Href == "/conferences" }) {
				t.Errorf("%s has the link to conferences", role)
			}
		}
		for _, role := range []waymark.Role{waymark.RoleSafeguardingLead, waymark.RoleManager, waymark.RolePartner} {
			if !slices.ContainsFunc(navFor(role, "/home"), func(n NavItem) bool { return n.Href == "/conferences" }) {
				t.Errorf("%s has no link to conferences", role)
			}
		}
	})
	t.Run("the API refuses bad input with a message per field, and hides cases the organisation may not see", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RolePartner)
		w := serve(s, "POST", "/api/v1/conferences", `{"title": "", "held_on": "2026-02-31", "organisation_ids": []}`)
		for _, want := range []string{"title", "held_on", "org_ids"} {
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), want) {
				t.Errorf("status %d, body %s; want 422 naming %s", w.Code, w.Body.String(), want)
			}
		}
		if w := serve(s, "POST", "/api/v1/conferences", `{"title": "x", "chair": "org9"}`); w.Code != http.StatusUnprocessableEntity || fc.created != nil {
			t.Errorf("an unknown field: status %d", w.Code)
		}
		w = serve(s, "GET", "/api/v1/conferences/k1", "")
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `"client_id": "c2"`) || strings.Count(body, `"client_id"`) != 2 ||
			!strings.Contains(body, "not shared with your organisation") {
			t.Errorf("the conference through the API: %d %s", w.Code, body)
		}
		if w := serve(s, "GET", "/api/v1/conferences/k1/cases/c1", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Agreed a joint visit") {
			t.Errorf("a case through the API: %d", w.Code)
		}
		if w := serve(s, "GET", "/conferences/k1/cases/c1", ""); w.Code != http.StatusOK || strings.Contains(w.Body.String(), "<script>alert") ||
			!strings.Contains(w.Body.String(), "Agreed a joint visit &lt;script&gt;") || strings.Contains(w.Body.String(), "<title>Ion") {
			t.Errorf("the case page: %d; want the minutes escaped and no name in the title", w.Code)
		}
		fc.hidden = true
		if w := serve(s, "GET", "/api/v1/conferences/k1/cases/c1", ""); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "joint visit") {
			t.Errorf("a hidden case through the API: %d", w.Code)
		}
	})
	t.Run("only the chair changes a conference; a stale change keeps what was typed", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RoleManager)
		if w := serve(s, "GET", "/conferences/k1/edit", ""); w.Code != http.StatusForbidden {
			t.Errorf("an attendee that does not chair: status %d", w.Code)
		}
		if w := serve(s, "POST", "/conferences/k1", "version=2&title=x"); w.Code != http.StatusForbidden || fc.created != nil {
			t.Errorf("an attendee that does not chair changing it: status %d", w.Code)
		}
		body := serve(s, "GET", "/conferences/k2/edit", "").Body.String()
		for _, want := range []string{`value="Northmoor panel"`, `name="held_on-day" type="text" inputmode="numeric" autocomplete="off" value="3"`,
			`value="org2" checked`, `name="version" value="2"`, `value="held"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the edit form lacks %q", want)
			}
		}
		form := "version=1&title=Panel+moved&held_on-day=4&held_on-month=12&held_on-year=2026&org_ids=org2&status=scheduled"
		w := serve(s, "POST", "/conferences/k2", form)
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), `id="conflict"`) || !strings.Contains(w.Body.String(), `value="Panel moved"`) ||
			!strings.Contains(w.Body.String(), `name="version" value="2"`) {
			t.Errorf("a stale change: status %d", w.Code)
		}
		w = serve(s, "POST", "/conferences/k2", strings.Replace(form, "version=1", "version=2", 1))
		if w.Code != http.StatusSeeOther || fc.created.Title != "Panel moved" || fc.created.HeldOn != "2026-12-04" {
			t.Errorf("a change: status %d, saved %+v", w.Code, fc.created)
		}
	})
	t.Run("an action's status changes from the page it is on", func(t *testing.T) {
		s, fc := conferenceServer(t, waymark.RolePartner)
		w := serve(s, "POST", "/conferences/k1/actions/x2/status", "version=1&status=done&client=c1")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/conferences/k1/cases/c1#actions" || fc.action.Status != waymark.ActionDone {
			t.Errorf("status %d, location %q", w.Code, w.Header().Get("Location"))
		}
		w = serve(s, "POST", "/conferences/k1/actions/x1/status", "version=3&status=done")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/conferences/k1#actions" {
			t.Errorf("a stale change: status %d, location %q", w.Code, w.Header().Get("Location"))
		}
	})
}
