package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// hostileTitle is an agreement's title that would run as script if it were not escaped.
const hostileTitle = `<script>alert("agreement")</script> partnership`

// testAgreements are org1's agreements on 27 November 2026 (moveOnNow), soonest end or review
// first: one ending within 60 days, one whose review is overdue, a draft, and one in force with
// nothing due, with a hostile title.
func testAgreements() []*waymark.DataSharingAgreement {
	list := []*waymark.DataSharingAgreement{
		{ID: "a1", Title: "Police information sharing", Reference: "NMP/ISA/7", OrgIDs: []string{"org1", "org2"}, OrgNames: []string{"Harbour <Street> Outreach", "Northmoor Constabulary"},
			Purposes: []waymark.SharingPurpose{"investigation", "case_conference"}, LawfulBasis: "crime_prevention", StartOn: "2025-01-01", EndOn: "2026-12-20",
			ReviewOn: "2027-06-01", Status: waymark.AgreementActive, RecordedByOrgID: "org1", Version: 3, UpdatedAt: moveOnNow},
		{ID: "a2", Title: "Hostel referrals", OrgIDs: []string{"org3", "org1"}, OrgNames: []string{"Lantern House", "Harbour <Street> Outreach"},
			Purposes: []waymark.SharingPurpose{"referral"}, LawfulBasis: "consent", StartOn: "2025-01-01", ReviewOn: "2026-10-01",
			Status: waymark.AgreementActive, RecordedByOrgID: "org3", Version: 1, UpdatedAt: moveOnNow},
		{ID: "a3", Title: "Health partnership (draft)", OrgIDs: []string{"org1", "org4"}, OrgNames: []string{"Harbour <Street> Outreach", "NHS Trust"},
			Purposes: []waymark.SharingPurpose{"support"}, LawfulBasis: "safeguarding", StartOn: "2027-01-01", ReviewOn: "2027-03-01",
			Status: waymark.AgreementDraft, RecordedByOrgID: "org1", Version: 1, UpdatedAt: moveOnNow},
		{ID: "a4", Title: hostileTitle, OrgIDs: []string{"org1", "org2", "org3"}, OrgNames: []string{"Harbour <Street> Outreach", "Northmoor Constabulary", "Lantern House"},
			Purposes: []waymark.SharingPurpose{"support", "safeguarding"}, LawfulBasis: "safeguarding", StartOn: "2025-01-01", ReviewOn: "2027-09-01",
			Status: waymark.AgreementActive, RecordedByOrgID: "org1", Version: 1, UpdatedAt: moveOnNow},
	}
	// Every party has confirmed them; the test of confirming unconfirms one.
	for _, a := range list {
		a.ConfirmedOrgIDs = slices.Clone(a.OrgIDs)
	}
	return list
}

// The agreement pages filled in, for the render test.

func agreementsPageData(l Layout) AgreementsPage {
	page := AgreementsPage{Layout: l, Pager: Pager{Page: 1, Pages: 1, Total: 4}, CanManage: true}
	for _, a := range testAgreements() {
		row := agreementRow(a, "2026-11-27")
		page.Rows, page.Warnings = append(page.Rows, row), page.Warnings+len(row.Warnings)
	}
	return page
}

func agreementPageData(l Layout) AgreementPage {
	return AgreementPage{Layout: l, Agreement: agreementRow(testAgreements()[0], "2026-11-27"), CanEdit: true, CanWithdraw: true}
}

func agreementFormPageData(l Layout, f Form) AgreementFormPage {
	return AgreementFormPage{Layout: l, Agreement: testAgreements()[0], Form: f, Conflict: true, Options: AgreementOptions{
		Organisations: []waymark.Option{{Value: "org2", Label: "Northmoor <Constabulary>"}}, Purposes: waymark.SharingPurposeOptions(),
		Bases: waymark.LawfulBasisOptions(), Statuses: waymark.AgreementStatusOptions()}}
}

// fakeAgreements keeps org1's agreements as the store would for the signed-in user's organisation:
// the recorder's organisation is added to the parties, another organisation's agreement is not
// found, and only the recorder changes one, from the version stored.
type fakeAgreements struct {
	list      []*waymark.DataSharingAgreement
	saved     *waymark.DataSharingAgreement
	version   int
	confirmed []string
}

func (f *fakeAgreements) ConfirmAgreement(_ context.Context, a waymark.Actor, id string, version int) error {
	f.confirmed = append(f.confirmed, a.OrgID+" "+id)
	return nil
}

func (f *fakeAgreements) WithdrawConfirmation(_ context.Context, a waymark.Actor, id string, version int) error {
	f.confirmed = append(f.confirmed, "withdrawn "+a.OrgID+" "+id)
	return nil
}

func (f *fakeAgreements) find(id string) (*waymark.DataSharingAgreement, error) {
	for _, a := range f.list {
		if a.ID == id {
			return a, nil
		}
	}
	return nil, waymark.Errorf(waymark.ENOTFOUND, "The agreement could not be found.")
}

func (f *fakeAgreements) check(actor waymark.Actor, a *waymark.DataSharingAgreement) error {
	if !slices.Contains(a.OrgIDs, actor.OrgID) {
		a.OrgIDs = append([]string{actor.OrgID}, a.OrgIDs...)
	}
	return a.Validate()
}

func (f *fakeAgreements) CreateAgreement(ctx context.Context, actor waymark.Actor, a *waymark.DataSharingAgreement) error {
	if !actor.Can(waymark.PermManageAgreements) {
		return waymark.Errorf(waymark.EFORBIDDEN, "You do not have permission to do that.")
	}
	if err := f.check(actor, a); err != nil {
		return err
	}
	a.ID, a.RecordedByOrgID, a.Version, a.OrgNames = "new1", actor.OrgID, 1, a.OrgIDs
	f.saved = a
	return nil
}

func (f *fakeAgreements) UpdateAgreement(ctx context.Context, actor waymark.Actor, id string, version int, a *waymark.DataSharingAgreement) error {
	cur, err := f.find(id)
	switch {
	case err != nil:
		return err
	case cur.RecordedByOrgID != actor.OrgID:
		return waymark.Errorf(waymark.EFORBIDDEN, "Only the organisation that recorded this agreement can change it.")
	case cur.Version != version:
		return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this agreement while you were editing it.")
	}
	if err := f.check(actor, a); err != nil {
		return err
	}
	a.ID, a.RecordedByOrgID, a.Version, a.OrgNames = id, cur.RecordedByOrgID, version+1, a.OrgIDs
	f.saved, f.version = a, version
	return nil
}

func (f *fakeAgreements) FindAgreement(ctx context.Context, actor waymark.Actor, id string) (*waymark.DataSharingAgreement, error) {
	if !actor.Can(waymark.PermViewAgreements) {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "You do not have permission to do that.")
	}
	return f.find(id)
}

func (f *fakeAgreements) FindAgreements(ctx context.Context, actor waymark.Actor) ([]*waymark.DataSharingAgreement, error) {
	if !actor.Can(waymark.PermViewAgreements) {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "You do not have permission to do that.")
	}
	return f.list, nil
}

// fakeRegion lists the region's organisations for the choice of parties.
type fakeRegion struct{ waymark.OrganisationService }

func (fakeRegion) FindDirectory(context.Context, waymark.Actor) ([]*waymark.Organisation, error) {
	return []*waymark.Organisation{{ID: "org1", Name: "Harbour Outreach"}, {ID: "org2", Name: "Northmoor <Constabulary>"}, {ID: "org3", Name: "Lantern House"}}, nil
}

func agreementServer(t *testing.T, role waymark.Role) (*Server, *fakeAgreements) {
	t.Helper()
	ag, auth := &fakeAgreements{list: testAgreements()}, signedInAs{role: role}
	return moveOnServer(t, Services{Auth: auth, Tokens: auth, Agreements: ag, Organisations: fakeRegion{}, Notifications: &fakeNotifications{}}), ag
}

// validAgreementForm is a form for a new agreement with every field filled in.
const validAgreementForm = "title=Northmoor+partnership&reference=DSA%2F1&org_ids=org2&org_ids=org3&purposes=support&purposes=case_conference" +
	"&lawful_basis=safeguarding&start_on-day=1&start_on-month=4&start_on-year=2026&end_on-day=&end_on-month=&end_on-year=" +
	"&review_on-day=31&review_on-month=mar&review_on-year=2027&status=active"

func TestAgreementPages(t *testing.T) {
	t.Run("the list shows every agreement with its warnings and their count, escaped", func(t *testing.T) {
		s, _ := agreementServer(t, waymark.RoleOrgAdmin)
		w := serve(s, "GET", "/agreements", "")
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		for _, want := range []string{"2 things need attention", "Ends on 20 December 2026: renew it or sharing under it stops",
			"Review overdue since 1 October 2026", `href="/agreements/new"`, "&lt;script&gt;alert(&#34;agreement&#34;)&lt;/script&gt;",
			"Harbour &lt;Street&gt; Outreach", "Police investigation of modern slavery offences", "No end date", ">In force<", ">Draft: not yet signed<",
			`aria-current="page">Agreements`, "<caption"} {
			if !strings.Contains(body, want) {
				t.Errorf("the list lacks %q", want)
			}
		}
		if strings.Contains(body, "<script>alert") {
			t.Error("a hostile title was not escaped")
		}
		if strings.Index(body, "Police information sharing") > strings.Index(body, "Hostel referrals") {
			t.Error("the list is not in the store's order")
		}
	})
	t.Run("a page past the end says so, not that there are none", func(t *testing.T) {
		s, _ := agreementServer(t, waymark.RoleOrgAdmin)
		body := serve(s, "GET", "/agreements?page=9", "").Body.String()
		if !strings.Contains(body, "There is only one page of agreements") || strings.Contains(body, "no data sharing agreements recorded") {
			t.Errorf("page 9 of 1:\n%s", body)
		}
	})
	t.Run("with nothing due the list says so", func(t *testing.T) {
		s, ag := agreementServer(t, waymark.RoleSafeguardingLead)
		ag.list = ag.list[3:]
		body := serve(s, "GET", "/agreements", "").Body.String()
		if !strings.Contains(body, "No agreement ends or is due for review") || strings.Contains(body, "govuk-warning-text") {
			t.Errorf("the list with nothing due: %s", body)
		}
	})
	t.Run("read-only roles see the list and agreements with no way to change them", func(t *testing.T) {
		for _, role := range []waymark.Role{waymark.RoleManager, waymark.RoleSafeguardingLead} {
			s, _ := agreementServer(t, role)
			w := serve(s, "GET", "/agreements", "")
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "/agreements/new") || strings.Contains(w.Body.String(), "Record an agreement") {
				t.Errorf("%s: status %d, or offered to record one", role, w.Code)
			}
			w = serve(s, "GET", "/agreements/a1", "")
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), "/agreements/a1/edit") {
				t.Errorf("%s: status %d, or offered to change it", role, w.Code)
			}
			for _, req := range [][2]string{{"GET", "/agreements/new"}, {"POST", "/agreements"}, {"GET", "/agreements/a1/edit"}, {"POST", "/agreements/a1"}} {
				if w := serve(s, req[0], req[1], validAgreementForm); w.Code != http.StatusNotFound {
					t.Errorf("%s: %s %s gave %d, want 404", role, req[0], req[1], w.Code)
				}
			}
		}
	})
	t.Run("roles that may not see agreements have no link and no page", func(t *testing.T) {
		for _, role := range []waymark.Role{waymark.RoleFrontline, waymark.RolePartner, waymark.RoleAnalyst, waymark.RoleSystemAdmin} {
			s, _ := agreementServer(t, role)
			if w := serve(s, "GET", "/agreements", ""); w.Code != http.StatusNotFound {
				t.Errorf("%s: status %d", role, w.Code)
			}
			if slices.ContainsFunc(navFor(role, "/home"), func(n NavItem) bool { return n.Href == "/agreements" }) {
				t.Errorf("%s has the link to agreements", role)
			}
		}
		if !slices.ContainsFunc(navFor(waymark.RoleManager, "/home"), func(n NavItem) bool { return n.Href == "/agreements" }) {
			t.Error("a manager has no link to agreements")
		}
	})
	t.Run("one agreement: its recorder's admin may change it, another party's may not", func(t *testing.T) {
		s, _ := agreementServer(t, waymark.RoleOrgAdmin)
		body := serve(s, "GET", "/agreements/a1", "").Body.String()
		for _, want := range []string{"NMP/ISA/7", "Preventing or detecting crime", `href="/agreements/a1/edit"`, "Ends on 20 December 2026", "Version 3"} {
			if !strings.Contains(body, want) {
				t.Errorf("the agreement page lacks %q", want)
			}
		}
		body = serve(s, "GET", "/agreements/a2", "").Body.String()
		if strings.Contains(body, "/agreements/a2/edit") || !strings.Contains(body, "Only Lantern House's admins can change this agreement") {
			t.Errorf("another party's agreement offers to change it: %s", body)
		}
		if w := serve(s, "GET", "/agreements/a2/edit", ""); w.Code != http.StatusForbidden {
			t.Errorf("another party's edit page: status %d", w.Code)
		}
		if w := serve(s, "GET", "/agreements/nope", ""); w.Code != http.StatusNotFound {
			t.Errorf("an agreement of others: status %d", w.Code)
		}
	})
	t.Run("a new agreement is read from the form and saved", func(t *testing.T) {
		s, ag := agreementServer(t, waymark.RoleOrgAdmin)
		form := serve(s, "GET", "/agreements/new", "").Body.String()
		for _, want := range []string{`id="org_ids" name="org_ids" type="checkbox" value="org2"`, "Northmoor &lt;Constabulary&gt;", `name="start_on-day"`,
			`id="lawful_basis-5"`} {
			if !strings.Contains(form, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		if strings.Contains(form, `value="org1"`) {
			t.Error("the form offers the user's own organisation as another party")
		}
		w := serve(s, "POST", "/agreements", validAgreementForm)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/agreements/new1" {
			t.Fatalf("status %d, location %q: %s", w.Code, w.Header().Get("Location"), w.Body.String())
		}
		want := &waymark.DataSharingAgreement{ID: "new1", Title: "Northmoor partnership", Reference: "DSA/1", OrgIDs: []string{"org1", "org2", "org3"},
			OrgNames: []string{"org1", "org2", "org3"}, Purposes: []waymark.SharingPurpose{"support", "case_conference"}, LawfulBasis: "safeguarding",
			StartOn: "2026-04-01", ReviewOn: "2027-03-31", Status: waymark.AgreementActive, RecordedByOrgID: "org1", Version: 1}
		if diff := cmp.Diff(want, ag.saved); diff != "" {
			t.Errorf("saved (-want +got):\n%s", diff)
		}
	})
	t.Run("a form with mistakes is shown again with the input and a summary in the order of the fields", func(t *testing.T) {
		s, ag := agreementServer(t, waymark.RoleOrgAdmin)
		form := "title=%3Cb%3Ekept%3C%2Fb%3E&org_ids=org2&start_on-day=31&start_on-month=2&start_on-year=2026&review_on-day=1&review_on-month=1&review_on-year=2027"
		w := serve(s, "POST", "/agreements", form)
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || ag.saved != nil {
			t.Fatalf("status %d, saved %v", w.Code, ag.saved)
		}
		wantOrder := []string{`href="#purposes"`, `href="#lawful_basis"`, `href="#start_on"`, `href="#status"`}
		for i, want := range wantOrder {
			if !strings.Contains(body, want) {
				t.Errorf("the summary lacks %q", want)
			} else if i > 0 && strings.Index(body, wantOrder[i-1]) > strings.Index(body, want) {
				t.Errorf("%s comes before %s", want, wantOrder[i-1])
			}
		}
		// One other organisation is enough: the user's own is a party too.
		for _, bad := range []string{`href="#org_ids"`, `href="#title"`, "<b>kept"} {
			if strings.Contains(body, bad) {
				t.Errorf("the page has %q", bad)
			}
		}
		for _, want := range []string{`value="&lt;b&gt;kept&lt;/b&gt;"`, `value="org2" checked`, `name="start_on-day" type="text" inputmode="numeric" autocomplete="off" value="31"`,
			"The start date must be a real date", "Error: Record a data sharing agreement"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("a change is saved from the version read; a stale one answers 409 with the input kept", func(t *testing.T) {
		s, ag := agreementServer(t, waymark.RoleOrgAdmin)
		edit := serve(s, "GET", "/agreements/a1/edit", "").Body.String()
		for _, want := range []string{`name="version" value="3"`, `value="Police information sharing"`, `value="org2" checked`, `value="crime_prevention" checked`,
			`name="end_on-day" type="text" inputmode="numeric" autocomplete="off" value="20"`} {
			if !strings.Contains(edit, want) {
				t.Errorf("the edit form lacks %q", want)
			}
		}
		if w := serve(s, "POST", "/agreements/a1", validAgreementForm+"&version=3"); w.Code != http.StatusSeeOther || ag.version != 3 || ag.saved.Title != "Northmoor partnership" {
			t.Errorf("status %d, version %d, saved %+v", w.Code, ag.version, ag.saved)
		}
		ag.saved = nil
		w := serve(s, "POST", "/agreements/a1", strings.Replace(validAgreementForm, "Northmoor+partnership", "Mine", 1)+"&version=2")
		body := w.Body.String()
		if w.Code != http.StatusConflict || ag.saved != nil || !strings.Contains(body, "Someone else changed this agreement") ||
			!strings.Contains(body, `name="version" value="3"`) || !strings.Contains(body, `value="Mine"`) || !strings.Contains(body, `id="conflict"`) {
			t.Errorf("status %d: %s", w.Code, body)
		}
		if w := serve(s, "POST", "/agreements/a2", validAgreementForm+"&version=1"); w.Code != http.StatusForbidden {
			t.Errorf("changing another party's agreement: status %d", w.Code)
		}
	})
}

func TestAgreementAPI(t *testing.T) {
	s, ag := agreementServer(t, waymark.RoleOrgAdmin)
	t.Run("the list, paged, with where each stands", func(t *testing.T) {
		w := serve(s, "GET", "/api/v1/agreements?limit=2&offset=1", "")
		var got apiList[apiAgreement]
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
			t.Fatalf("status %d, %v: %s", w.Code, err, w.Body.String())
		}
		if got.Total != 4 || len(got.Items) != 2 || got.Items[0].ID != "a2" || !got.Items[0].InForce || got.Items[1].InForce ||
			!cmp.Equal(got.Items[0].Warnings, []string{"Review overdue since 1 October 2026"}) || got.Items[1].Warnings == nil {
			t.Errorf("list %+v", got)
		}
	})
	t.Run("one agreement", func(t *testing.T) {
		w := serve(s, "GET", "/api/v1/agreements/a1", "")
		var got apiAgreement
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
			t.Fatalf("status %d, %v", w.Code, err)
		}
		want := apiAgreementIn{Title: "Police information sharing", Reference: "NMP/ISA/7", OrganisationIDs: []string{"org1", "org2"},
			Purposes: []string{"investigation", "case_conference"}, LawfulBasis: "crime_prevention", StartOn: "2025-01-01", EndOn: "2026-12-20",
			ReviewOn: "2027-06-01", Status: "active", Version: 3}
		if diff := cmp.Diff(want, got.apiAgreementIn); diff != "" || !got.InForce || got.RecordedByOrganisationID != "org1" {
			t.Errorf("agreement (-want +got):\n%s", diff)
		}
		if w := serve(s, "GET", "/api/v1/agreements/nope", ""); w.Code != http.StatusNotFound {
			t.Errorf("an agreement of others: status %d", w.Code)
		}
	})
	t.Run("record, change, and a stale change refused", func(t *testing.T) {
		body := `{"title": "API partnership", "organisation_ids": ["org2"], "purposes": ["support"], "lawful_basis": "consent",
			"start_on": "2026-01-01", "review_on": "2026-12-01", "status": "active"}`
		w := serve(s, "POST", "/api/v1/agreements", body)
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"organisation_ids": [`) || !cmp.Equal(ag.saved.OrgIDs, []string{"org1", "org2"}) {
			t.Errorf("create: status %d: %s", w.Code, w.Body.String())
		}
		if w := serve(s, "POST", "/api/v1/agreements", `{"title": ""}`); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "review_on") {
			t.Errorf("create with mistakes: status %d: %s", w.Code, w.Body.String())
		}
		if w := serve(s, "POST", "/api/v1/agreements", `{"id": "x"}`); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("an unknown field: status %d", w.Code)
		}
		upd := strings.Replace(body, `"status": "active"`, `"status": "suspended", "version": 3`, 1)
		if w := serve(s, "PUT", "/api/v1/agreements/a1", upd); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"version": 4`) {
			t.Errorf("update: status %d: %s", w.Code, w.Body.String())
		}
		if w := serve(s, "PUT", "/api/v1/agreements/a1", strings.Replace(upd, `"version": 3`, `"version": 1`, 1)); w.Code != http.StatusConflict {
			t.Errorf("a stale update: status %d", w.Code)
		}
		// Without the version read, the caller is told to send it, not that someone else changed it.
		if w := serve(s, "PUT", "/api/v1/agreements/a1", body); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "version") {
			t.Errorf("an update without its version: status %d: %s", w.Code, w.Body.String())
		}
		if w := serve(s, "POST", "/api/v1/agreements/a1/confirm", `{}`); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("a confirmation without its version: status %d: %s", w.Code, w.Body.String())
		}
	})
	t.Run("roles without the permissions are refused", func(t *testing.T) {
		s, _ := agreementServer(t, waymark.RoleFrontline)
		if w := serve(s, "GET", "/api/v1/agreements", ""); w.Code != http.StatusForbidden {
			t.Errorf("a frontline worker's list: status %d", w.Code)
		}
		s, _ = agreementServer(t, waymark.RoleManager)
		if w := serve(s, "POST", "/api/v1/agreements", `{"title": "x"}`); w.Code != http.StatusForbidden {
			t.Errorf("a manager recording one: status %d", w.Code)
		}
	})
}

func TestAgreementFormRoundTrip(t *testing.T) {
	for _, a := range testAgreements() {
		want := waymark.DataSharingAgreement{Title: a.Title, Reference: a.Reference, OrgIDs: a.OrgIDs, Purposes: a.Purposes, LawfulBasis: a.LawfulBasis,
			StartOn: a.StartOn, EndOn: a.EndOn, ReviewOn: a.ReviewOn, Status: a.Status}
		got, fields := agreementFromForm(agreementFormValues(a))
		if diff := cmp.Diff(want, got); len(fields) > 0 || diff != "" {
			t.Errorf("%s reads back differently (%v) (-want +got):\n%s", a.Title, fields, diff)
		}
	}
	// Boxes win over the single field, and boxes left blank are no date.
	v := url.Values{"end_on": {"2026-01-01"}, "end_on-day": {""}, "end_on-month": {""}, "end_on-year": {""}}
	if a, fields := agreementFromForm(v); a.EndOn != "" || len(fields) > 0 {
		t.Errorf("blank boxes read as %q (%v)", a.EndOn, fields)
	}
}

func TestAgreementConfirmation(t *testing.T) {
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Title", Nonce: "n0nce"}
	a := testAgreements()[0]
	a.ConfirmedOrgIDs = []string{"org1"}
	t.Run("a party that has not confirmed is shown, warned of, and offered to confirm", func(t *testing.T) {
		body := renderPage(t, s, "agreement", AgreementPage{Layout: l, Agreement: agreementRow(a, "2026-11-27"), CanConfirm: true})
		for _, want := range []string{"Not yet confirmed by Northmoor Constabulary", `action="/agreements/a1/confirm"`, `name="version" value="3"`, "Not yet confirmed</strong>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("the form confirms for the user's organisation", func(t *testing.T) {
		auth := signedInAs{role: waymark.RoleOrgAdmin}
		ag := &fakeAgreements{list: []*waymark.DataSharingAgreement{a}}
		srv := moveOnServer(t, Services{Auth: auth, Tokens: auth, Agreements: ag})
		if w := serve(srv, "POST", "/agreements/a1/confirm", "version=3"); w.Code != http.StatusSeeOther || !slices.Equal(ag.confirmed, []string{"org1 a1"}) {
			t.Errorf("confirming: status %d, confirmed %v", w.Code, ag.confirmed)
		}
		if w := serve(srv, "POST", "/agreements/a1/withdraw", "version=3"); w.Code != http.StatusSeeOther || !slices.Equal(ag.confirmed, []string{"org1 a1", "withdrawn org1 a1"}) {
			t.Errorf("withdrawing: status %d, confirmed %v", w.Code, ag.confirmed)
		}
		if w := serve(srv, "POST", "/api/v1/agreements/a1/withdraw", `{"version": 3}`); w.Code != http.StatusOK || len(ag.confirmed) != 3 {
			t.Errorf("withdrawing through the API: status %d, confirmed %v", w.Code, ag.confirmed)
		}
	})
	t.Run("a party that confirmed is offered to withdraw", func(t *testing.T) {
		body := renderPage(t, s, "agreement", AgreementPage{Layout: l, Agreement: agreementRow(a, "2026-11-27"), CanWithdraw: true})
		if !strings.Contains(body, `action="/agreements/a1/withdraw"`) || !strings.Contains(body, `id="withdraw"`) {
			t.Error("no way to withdraw the confirmation")
		}
	})
}

func TestAgreementRowSaysWhoItCovers(t *testing.T) {
	base := waymark.DataSharingAgreement{OrgIDs: []string{"org1", "org2", "org3"}, OrgNames: []string{"A", "B", "C"}, StartOn: "2026-01-01",
		ReviewOn: "2027-01-01", Status: waymark.AgreementActive}
	for _, tc := range []struct {
		confirmed []string
		want      string
	}{
		{[]string{"org1"}, "Waiting for the other parties to confirm"},
		{[]string{"org1", "org3"}, "In force between the parties that confirmed it"},
		{[]string{"org1", "org2", "org3"}, "In force"},
	} {
		a := base
		a.ConfirmedOrgIDs = tc.confirmed
		if got := agreementRow(&a, "2026-11-27").State; got != tc.want {
			t.Errorf("confirmed by %v: %q, want %q", tc.confirmed, got, tc.want)
		}
	}
}
