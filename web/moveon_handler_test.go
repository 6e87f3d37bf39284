package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// fakeMoveOn answers with one client's life after support and records what it is asked to save.
// Errors set in the fields are returned, to see how the pages answer them.
type fakeMoveOn struct {
	mo       *waymark.MoveOn
	saveErr  error
	plan     *waymark.MoveOnPlan
	followUp *waymark.FollowUp
	version  int
	schedule []int
	scope    waymark.CliffEdgeScope
}

func (f *fakeMoveOn) FindMoveOn(ctx context.Context, a waymark.Actor, clientID string) (*waymark.MoveOn, error) {
	if clientID != f.mo.Client.ID {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "no such client")
	}
	return f.mo, nil
}

func (f *fakeMoveOn) SavePlan(ctx context.Context, a waymark.Actor, clientID string, version int, p *waymark.MoveOnPlan) error {
	if f.saveErr != nil {
		return f.saveErr
	}
	if err := p.Validate(moveOnNow); err != nil {
		return err
	}
	f.plan, f.version = p, version
	return nil
}

func (f *fakeMoveOn) RecordFollowUp(ctx context.Context, a waymark.Actor, clientID string, version int, u *waymark.FollowUp) error {
	if f.saveErr != nil {
		return f.saveErr
	}
	if err := u.Validate(moveOnNow); err != nil {
		return err
	}
	f.followUp, f.version = u, version
	return nil
}

func (f *fakeMoveOn) FindCliffEdge(ctx context.Context, a waymark.Actor, scope waymark.CliffEdgeScope) (*waymark.CliffEdge, error) {
	f.scope = scope
	return cliffEdgePageData(Layout{}).CliffEdge, nil
}

func (f *fakeMoveOn) FindOutcomes(ctx context.Context, a waymark.Actor) (*waymark.Outcomes, error) {
	return outcomesPageData(Layout{}).Outcomes, nil
}

func (f *fakeMoveOn) FollowUpSchedule(ctx context.Context, a waymark.Actor) ([]int, error) {
	return []int{1, 3, 6, 12}, nil
}

func (f *fakeMoveOn) SetFollowUpSchedule(ctx context.Context, a waymark.Actor, months []int) error {
	if f.saveErr != nil {
		return f.saveErr
	}
	f.schedule = months
	return nil
}

// fakeNotifications holds one user's notifications.
type fakeNotifications struct {
	waymark.NotificationService
	list    []*waymark.Notification
	marked  []string
	counts  int
	noEmail bool
}

func (f *fakeNotifications) FindNotifications(context.Context, waymark.Actor) ([]*waymark.Notification, error) {
	return f.list, nil
}

func (f *fakeNotifications) CountUnread(context.Context, waymark.Actor) (int, error) {
	f.counts++
	return 2, nil
}

func (f *fakeNotifications) WantsEmail(context.Context, waymark.Actor) (bool, error) {
	return !f.noEmail, nil
}

func (f *fakeNotifications) SetWantsEmail(_ context.Context, _ waymark.Actor, on bool) error {
	f.noEmail = !on
	return nil
}

func (f *fakeNotifications) MarkRead(ctx context.Context, a waymark.Actor, id string) error {
	f.marked = append(f.marked, id)
	return nil
}

// signedInAs authenticates every session and token as a user of org1 with the role.
type signedInAs struct {
	waymark.AuthService
	waymark.TokenService
	role waymark.Role
}

func (a signedInAs) identity() *waymark.Identity {
	return &waymark.Identity{User: &waymark.User{ID: "u1", OrgID: "org1", Name: "Ada", Role: a.role},
		Organisation: &waymark.Organisation{ID: "org1", Name: "Harbour Outreach"}, Session: &waymark.Session{}}
}

func (a signedInAs) Authenticate(context.Context, string) (*waymark.Identity, error) {
	return a.identity(), nil
}

func (a signedInAs) AuthenticateToken(context.Context, string) (*waymark.Identity, error) {
	return a.identity(), nil
}

// serve sends a request through the whole server, signed in, with a form or JSON body.
func serve(s *Server, method, path, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: "s"})
	r.Header.Set("Authorization", "Bearer t")
	if strings.HasPrefix(body, "{") {
		r.Header.Set("Content-Type", "application/json")
	} else if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

func TestMoveOnHandlers(t *testing.T) {
	setup := func(t *testing.T, role waymark.Role) (*Server, *fakeMoveOn, *fakeNotifications) {
		t.Helper()
		mo, notes := &fakeMoveOn{mo: testMoveOn()}, &fakeNotifications{list: notificationsPageData(Layout{}).Notifications}
		auth := signedInAs{role: role}
		return moveOnServer(t, Services{Auth: auth, Tokens: auth, MoveOn: mo, Notifications: notes}), mo, notes
	}
	t.Run("the page shows the plan and the unread count, counted once", func(t *testing.T) {
		s, _, notes := setup(t, waymark.RoleFrontline)
		w := serve(s, "GET", "/clients/c1/move-on", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Social housing tenancy") || !strings.Contains(w.Body.String(), "Notifications (2") {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
		if notes.counts != 1 {
			t.Errorf("unread counted %d times", notes.counts)
		}
	})
	t.Run("another organisation's client is not found", func(t *testing.T) {
		s, _, _ := setup(t, waymark.RoleFrontline)
		if w := serve(s, "GET", "/clients/c9/move-on", ""); w.Code != http.StatusNotFound {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("a saved plan redirects with a flash", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleFrontline)
		form := "version=2&support_ends_on-day=1&support_ends_on-month=5&support_ends_on-year=2026&accommodation_type=hostel&benefit_esa=claimed&benefit_pip="
		w := serve(s, "POST", "/clients/c1/move-on/plan", form)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/clients/c1/move-on" {
			t.Fatalf("status %d, location %q", w.Code, w.Header().Get("Location"))
		}
		if mo.version != 2 || mo.plan.SupportEndsOn != "2026-05-01" || mo.plan.AccommodationType != "hostel" ||
			!cmp.Equal(mo.plan.Benefits, []waymark.BenefitClaim{{Benefit: "esa", Status: "claimed"}}) {
			t.Errorf("saved version %d: %+v", mo.version, mo.plan)
		}
	})
	t.Run("a plan with mistakes is shown again with the input and a summary linking to each field", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleFrontline)
		form := "version=2&housing_applied_on-day=40&housing_applied_on-month=1&housing_applied_on-year=2026&benefit_esa=paid&housing_authority=kept+%3Cc%3E"
		w := serve(s, "POST", "/clients/c1/move-on/plan", form)
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || mo.plan != nil {
			t.Fatalf("status %d, saved %v", w.Code, mo.plan)
		}
		for _, want := range []string{`href="#housing_applied_on"`, `href="#benefit_esa"`, "kept &lt;c&gt;", `value="40"`, "Error: Move-on plan"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Index(body, `href="#housing_applied_on"`) > strings.Index(body, `href="#benefit_esa"`) {
			t.Error("the summary is not in the order of the form")
		}
	})
	t.Run("a stale plan answers 409 with the message and the version now saved", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleFrontline)
		mo.saveErr = waymark.Errorf(waymark.ECONFLICT, "Someone else changed this move-on plan.")
		w := serve(s, "POST", "/clients/c1/move-on/plan", "version=1&notes=mine")
		body := w.Body.String()
		if w.Code != http.StatusConflict || !strings.Contains(body, "Someone else changed this move-on plan.") ||
			!strings.Contains(body, `name="version" value="2"`) || !strings.Contains(body, ">mine</textarea>") {
			t.Errorf("status %d: %s", w.Code, body)
		}
	})
	t.Run("a follow-up not reached is saved with the attempts filled", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleFrontline)
		form := "version=0&contacted=no&stable_accommodation=yes&attempt_1-day=&attempt_1-month=&attempt_1-year=&attempt_1_method=" +
			"&attempt_2-day=25&attempt_2-month=11&attempt_2-year=2026&attempt_2_method=visit&notes=left+a+card"
		w := serve(s, "POST", "/clients/c1/move-on/follow-ups/12", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
		want := &waymark.FollowUp{Months: 12, Attempts: []waymark.ContactAttempt{{On: "2026-11-25", Method: "visit"}}, Notes: "left a card"}
		if diff := cmp.Diff(want, mo.followUp); diff != "" {
			t.Errorf("recorded (-want +got):\n%s", diff)
		}
	})
	t.Run("correcting a follow-up shows it filled in; a mistake keeps the rows", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleFrontline)
		body := serve(s, "GET", "/clients/c1/move-on/follow-ups/6", "").Body.String()
		for _, want := range []string{"Correct the follow-up at 6 months", `name="version" value="2"`, `name="attempt_2-year" type="text" inputmode="numeric" autocomplete="off" value="2026"`, "Attempt 3"} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
		w := serve(s, "POST", "/clients/c1/move-on/follow-ups/6", "version=2&contacted=no&attempt_4-day=1&attempt_4-month=1&attempt_4-year=2026")
		if w.Code != http.StatusUnprocessableEntity || mo.followUp != nil || !strings.Contains(w.Body.String(), `href="#attempt_4"`) ||
			!strings.Contains(w.Body.String(), "Attempt 4") {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
	})
	t.Run("follow-ups wait for support to end, and a month off the schedule is not found", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleFrontline)
		if w := serve(s, "GET", "/clients/c1/move-on/follow-ups/5", ""); w.Code != http.StatusNotFound {
			t.Errorf("5 months: status %d", w.Code)
		}
		if w := serve(s, "GET", "/clients/c1/move-on/follow-ups/x", ""); w.Code != http.StatusNotFound {
			t.Errorf("x months: status %d", w.Code)
		}
		mo.mo.SupportEnd.On = "2026-12-31"
		if w := serve(s, "GET", "/clients/c1/move-on/follow-ups/1", ""); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "has not ended yet") {
			t.Errorf("before the end: status %d", w.Code)
		}
	})
	t.Run("the cliff edge asks for the scope of the page", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleSafeguardingLead)
		if w := serve(s, "GET", "/cliff-edge/organisation", ""); w.Code != http.StatusOK || mo.scope != waymark.CliffEdgeOrganisation {
			t.Errorf("status %d, scope %q", w.Code, mo.scope)
		}
		s, _, _ = setup(t, waymark.RoleFrontline)
		if w := serve(s, "GET", "/cliff-edge/organisation", ""); w.Code != http.StatusNotFound {
			t.Errorf("a frontline worker gets the organisation's view: %d", w.Code)
		}
	})
	t.Run("outcomes and the schedule are for the roles that may see or change them", func(t *testing.T) {
		for role, want := range map[waymark.Role][2]int{waymark.RoleFrontline: {404, 404}, waymark.RoleSafeguardingLead: {200, 404},
			waymark.RoleManager: {200, 200}, waymark.RoleOrgAdmin: {404, 200}} {
			s, _, _ := setup(t, role)
			if got := [2]int{serve(s, "GET", "/outcomes", "").Code, serve(s, "GET", "/organisation/follow-ups", "").Code}; got != want {
				t.Errorf("%s: outcomes and schedule %v, want %v", role, got, want)
			}
		}
	})
	t.Run("the schedule is read from the form and a mistake is shown on it", func(t *testing.T) {
		s, mo, _ := setup(t, waymark.RoleOrgAdmin)
		if w := serve(s, "POST", "/organisation/follow-ups", "months=1%2C+2%3B+9"); w.Code != http.StatusSeeOther || !cmp.Equal(mo.schedule, []int{1, 2, 9}) {
			t.Errorf("status %d, saved %v", w.Code, mo.schedule)
		}
		w := serve(s, "POST", "/organisation/follow-ups", "months=6%2C+3")
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `href="#months"`) || !strings.Contains(w.Body.String(), `value="6, 3"`) {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
	})
	t.Run("notifications are marked read one at a time or all together", func(t *testing.T) {
		s, _, notes := setup(t, waymark.RoleFrontline)
		if w := serve(s, "GET", "/notifications", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "New task: Follow-up due") {
			t.Errorf("status %d", w.Code)
		}
		for _, form := range []string{"id=n1", "id="} {
			if w := serve(s, "POST", "/notifications/read", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/notifications" {
				t.Errorf("%s: status %d", form, w.Code)
			}
		}
		if !cmp.Equal(notes.marked, []string{"n1", ""}) {
			t.Errorf("marked %q", notes.marked)
		}
	})
	t.Run("staff choose whether to be emailed, in the page and the API", func(t *testing.T) {
		s, _, notes := setup(t, waymark.RoleFrontline)
		if w := serve(s, "POST", "/notifications/email", "email=no"); w.Code != http.StatusSeeOther || !notes.noEmail {
			t.Errorf("saying no: status %d, wants email %t", w.Code, !notes.noEmail)
		}
		if body := serve(s, "GET", "/notifications", "").Body.String(); !strings.Contains(body, `value="no" checked`) {
			t.Error("the page does not show the choice made")
		}
		if w := serve(s, "POST", "/notifications/email", "email=maybe"); w.Code != http.StatusUnprocessableEntity || !notes.noEmail {
			t.Errorf("an answer that is neither: status %d", w.Code)
		}
		if w := serve(s, "PUT", "/api/v1/notifications/settings", `{"email": true}`); w.Code != http.StatusOK || notes.noEmail || !strings.Contains(w.Body.String(), `"email": true`) {
			t.Errorf("saying yes through the API: status %d, %s", w.Code, w.Body.String())
		}
		if w := serve(s, "PUT", "/api/v1/notifications/settings", `{}`); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("no answer through the API: status %d", w.Code)
		}
		if w := serve(s, "POST", "/api/v1/notifications/read", `{"id": "n1"}`); w.Code != http.StatusNoContent || !slices.Contains(notes.marked, "n1") {
			t.Errorf("marking read through the API: status %d, marked %q", w.Code, notes.marked)
		}
	})
	t.Run("staff who never get notifications are not counted nor offered them", func(t *testing.T) {
		s, _, notes := setup(t, waymark.RoleOrgAdmin)
		if w := serve(s, "GET", "/organisation/follow-ups", ""); w.Code != http.StatusOK || notes.counts != 0 || strings.Contains(w.Body.String(), "/notifications") {
			t.Errorf("an organisation admin, who never gets notifications, was counted or offered them: %d", notes.counts)
		}
	})
}

func TestMoveOnAPI(t *testing.T) {
	mo := &fakeMoveOn{mo: testMoveOn()}
	auth := signedInAs{role: waymark.RoleManager}
	s := moveOnServer(t, Services{Auth: auth, Tokens: auth, MoveOn: mo, Notifications: &fakeNotifications{list: notificationsPageData(Layout{}).Notifications}})
	t.Run("the move-on document", func(t *testing.T) {
		w := serve(s, "GET", "/api/v1/clients/c1/move-on", "")
		var got struct {
			SupportEnd apiSupportEnd `json:"support_end"`
			Plan       struct {
				Benefits             []apiBenefitClaim `json:"benefits"`
				Version              int               `json:"version"`
				IncomeInPlace        bool              `json:"income_in_place"`
				AccommodationInPlace bool              `json:"accommodation_in_place"`
				RecordedByName       string            `json:"recorded_by_name"`
			} `json:"plan"`
			History   []apiPlanVersion `json:"history"`
			Schedule  []int            `json:"schedule"`
			FollowUps []struct {
				Months int          `json:"months"`
				Status string       `json:"status"`
				Record *apiFollowUp `json:"record"`
			} `json:"follow_ups"`
			Risk *apiRisk `json:"risk"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
			t.Fatalf("status %d, %v: %s", w.Code, err, w.Body.String())
		}
		var statuses []string
		for _, f := range got.FollowUps {
			statuses = append(statuses, f.Status)
		}
		if got.SupportEnd.On != "2026-05-01" || got.Plan.Version != 2 || !got.Plan.IncomeInPlace || !got.Plan.AccommodationInPlace || len(got.Plan.Benefits) != 2 ||
			len(got.History) != 2 || got.History[1].Changes[0] != "accommodation" || !cmp.Equal(got.Schedule, []int{1, 3, 6, 12}) ||
			!cmp.Equal(statuses, []string{"recorded", "recorded", "missed", "recorded", "not_due"}) || got.FollowUps[3].Record.Attempts[1].Method != "via_partner" ||
			got.Risk.Level != "medium" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("a plan is saved with its version and the document answers", func(t *testing.T) {
		w := serve(s, "PUT", "/api/v1/clients/c1/move-on/plan", `{"version": 2, "support_ends_on": "2026-05-01", "benefits": [{"benefit": "esa", "status": "in_payment"}]}`)
		if w.Code != http.StatusOK || mo.version != 2 || mo.plan.Benefits[0].Benefit != "esa" || !strings.Contains(w.Body.String(), `"follow_ups"`) {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
		w = serve(s, "PUT", "/api/v1/clients/c1/move-on/plan", `{"version": 2, "gp_registered": "maybe"}`)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"gp_registered"`) {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
		if w := serve(s, "PUT", "/api/v1/clients/c1/move-on/plan", `{"version": 2, "recorded_at": "x"}`); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("an unknown field is accepted: %d", w.Code)
		}
	})
	t.Run("a follow-up is recorded with its attempts, numbered as sent", func(t *testing.T) {
		w := serve(s, "PUT", "/api/v1/clients/c1/move-on/follow-ups/12", `{"version": 0, "contacted": false, "attempts": [{"on": "2026-11-20", "method": "phone"}, {"on": "2026-11-21", "method": "pigeon"}]}`)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"attempt_2"`) {
			t.Errorf("status %d: %s", w.Code, w.Body.String())
		}
		w = serve(s, "PUT", "/api/v1/clients/c1/move-on/follow-ups/12", `{"version": 0, "contacted": true, "stable_accommodation": "yes", "rough_sleeping": "no", "re_exploited": "no", "in_contact": "not_known"}`)
		if w.Code != http.StatusOK || mo.followUp.Months != 12 || !mo.followUp.Contacted || mo.followUp.InContact != waymark.AnswerNotKnown {
			t.Errorf("status %d: %+v", w.Code, mo.followUp)
		}
		if w := serve(s, "PUT", "/api/v1/clients/c1/move-on/follow-ups/twelve", `{"version": 0}`); w.Code != http.StatusNotFound {
			t.Errorf("months not a number: %d", w.Code)
		}
	})
	t.Run("a stale version answers 409", func(t *testing.T) {
		mo.saveErr = waymark.Errorf(waymark.ECONFLICT, "changed")
		defer func() { mo.saveErr = nil }()
		if w := serve(s, "PUT", "/api/v1/clients/c1/move-on/plan", `{"version": 1}`); w.Code != http.StatusConflict {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("the cliff edge by scope", func(t *testing.T) {
		w := serve(s, "GET", "/api/v1/cliff-edge", "")
		if w.Code != http.StatusOK || mo.scope != waymark.CliffEdgeMine || !strings.Contains(w.Body.String(), `"days_left": 13`) {
			t.Errorf("status %d, scope %q: %s", w.Code, mo.scope, w.Body.String())
		}
		if serve(s, "GET", "/api/v1/cliff-edge?scope=organisation", ""); mo.scope != waymark.CliffEdgeOrganisation {
			t.Errorf("scope %q", mo.scope)
		}
		if w := serve(s, "GET", "/api/v1/cliff-edge?scope=everyone", ""); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"scope"`) {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("outcomes write small counts as words, with the shares of the others", func(t *testing.T) {
		body := strings.Join(strings.Fields(serve(s, "GET", "/api/v1/outcomes", "").Body.String()), "")
		for _, want := range []string{`"people":20`, `"returned_to_homelessness":{"count":"fewerthan5","share":""}`,
			`"stable_accommodation":{"count":8,"share":"40%"}`, `"suppress_below":5`, `"unscheduled":[`} {
			if !strings.Contains(body, want) {
				t.Errorf("the outcomes lack %s: %s", want, body)
			}
		}
	})
	t.Run("the schedule is read and replaced", func(t *testing.T) {
		if body := serve(s, "GET", "/api/v1/organisation/follow-ups", "").Body.String(); !strings.Contains(body, `"months": [`) {
			t.Errorf("got %s", body)
		}
		if w := serve(s, "PUT", "/api/v1/organisation/follow-ups", `{"months": [2, 4]}`); w.Code != http.StatusOK || !cmp.Equal(mo.schedule, []int{2, 4}) {
			t.Errorf("status %d, saved %v", w.Code, mo.schedule)
		}
	})
	t.Run("notifications with where each task is done", func(t *testing.T) {
		body := serve(s, "GET", "/api/v1/notifications", "").Body.String()
		for _, want := range []string{`"kind": "follow_up_due"`, `"path": "/clients/c1/move-on"`, `"read_at": null`, `"done": true`} {
			if !strings.Contains(body, want) {
				t.Errorf("the notifications lack %s: %s", want, body)
			}
		}
	})
}
