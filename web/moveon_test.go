package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// moveOnNow is the clock of the move-on tests: 27 November 2026, London.
var moveOnNow = time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)

// testMoveOn is a client whose support ended on 1 May 2026, with two versions of the plan and a
// follow-up of every status on the schedule 1, 3, 6, 12 (and one kept from an earlier schedule).
func testMoveOn() *waymark.MoveOn {
	v1 := &waymark.MoveOnPlan{ID: "p1", ClientID: "c1", Version: 1, AccommodationType: "hostel", AccommodationStatus: "looking",
		RecordedByName: "Ada <Lovelace>", RecordedAt: moveOnNow.AddDate(0, -8, 0)}
	v2 := &waymark.MoveOnPlan{ID: "p2", ClientID: "c1", Version: 2, SupportEndsOn: "2026-05-01", AccommodationType: "social_tenancy",
		AccommodationStatus: "moved_in", HousingDuty: "relief", HousingAuthority: "Northmoor <Council>", HousingAppliedOn: "2026-03-02",
		Benefits:          []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "in_payment"}, {Benefit: "pip", Status: "claimed"}},
		ImmigrationStatus: "settled", GPRegistered: waymark.AnswerYes, Employment: "looking", SupportServices: "Tenancy <support>",
		Notes: "Keys on the 3rd", RecordedByName: "Ada <Lovelace>", RecordedAt: moveOnNow.AddDate(0, -7, 0)}
	reached := &waymark.FollowUp{ID: "f1", Months: 1, DueOn: "2026-06-01", Contacted: true, StableAccommodation: waymark.AnswerYes,
		RoughSleeping: waymark.AnswerNo, ReExploited: waymark.AnswerNotKnown, InContact: waymark.AnswerYes, Notes: "Doing <well>", Version: 1,
		RecordedByName: "Ada", RecordedAt: moveOnNow.AddDate(0, -5, 0)}
	notReached := &waymark.FollowUp{ID: "f2", Months: 6, DueOn: "2026-11-01", Attempts: []waymark.ContactAttempt{{On: "2026-11-02", Method: "phone"},
		{On: "2026-11-09", Method: "via_partner"}}, Version: 2, RecordedByName: "Ada", RecordedAt: moveOnNow}
	kept := &waymark.FollowUp{ID: "f3", Months: 2, DueOn: "2026-07-01", Contacted: true, StableAccommodation: waymark.AnswerYes,
		RoughSleeping: waymark.AnswerNo, ReExploited: waymark.AnswerNo, InContact: waymark.AnswerYes, Version: 1}
	return &waymark.MoveOn{
		Client:     &waymark.Client{ID: "c1", OrgID: "org1", GivenName: "Ion", FamilyName: "Popescu"},
		Plan:       v2,
		History:    []*waymark.MoveOnPlan{v2, v1},
		SupportEnd: waymark.SupportEnd{On: "2026-05-01", Source: "the move-on plan"},
		Schedule:   []int{1, 3, 6, 12},
		FollowUps: []waymark.ScheduledFollowUp{{Months: 1, DueOn: "2026-06-01", Record: reached}, {Months: 2, DueOn: "2026-07-01", Record: kept},
			{Months: 3, DueOn: "2026-08-01", Missed: true}, {Months: 6, DueOn: "2026-11-01", Record: notReached},
			{Months: 12, DueOn: "2027-05-01"}},
		Risk: &waymark.RiskAssessment{ID: "r1", Level: "medium", Reason: "Owes <money>", ByName: "Ada", AssessedAt: moveOnNow},
	}
}

// moveOnServer is a server whose clock is moveOnNow, with the services given.
func moveOnServer(t *testing.T, svc Services) *Server {
	t.Helper()
	s, err := New(svc, Config{Version: "test", Now: func() time.Time { return moveOnNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The pages of life after support filled in, for the render tests.

func moveOnPageData(l Layout) MoveOnPage {
	mo := testMoveOn()
	return MoveOnPage{Layout: l, MoveOn: mo, When: supportEndWords(mo.SupportEnd.On, "2026-11-27"), Ended: true, AccommodationInPlace: true,
		IncomeInPlace: true, History: planVersions(mo.History), FollowUps: followUpRows("c1", mo, "2026-11-27", true), CanEdit: true, CanManageSchedule: true}
}

func planFormPageData(l Layout, f Form) PlanFormPage {
	return PlanFormPage{Layout: l, MoveOn: testMoveOn(), Form: f, Options: waymark.MoveOnPlanOptions(), SupportEndHint: "It may be in the future.", Conflict: true}
}

func followUpFormPageData(l Layout, f Form) FollowUpFormPage {
	mo := testMoveOn()
	return FollowUpFormPage{Layout: l, MoveOn: mo, FollowUp: mo.FollowUps[3], Form: f, Attempts: attemptRows(f, 3)}
}

func cliffEdgePageData(l Layout) CliffEdgePage {
	return CliffEdgePage{Layout: l, Organisation: true, CanSeeOrganisation: true, CliffEdge: &waymark.CliffEdge{Days: waymark.CliffEdgeDays,
		Ending: []waymark.CliffEdgeEntry{{ClientID: "c1", ClientName: "Ion Popescu", ClientReference: "HS-<1>", AssignedToName: "Ada <Lovelace>",
			SupportEnd: waymark.SupportEnd{On: "2026-12-10", Source: "the recorded end of victim care support"}, DaysLeft: 13, HasPlan: true, IncomeInPlace: true}},
		Overdue: []waymark.OverdueFollowUp{{ClientID: "c2", ClientName: "Mara <Ionescu>", Months: 3, DueOn: "2026-11-20", DaysOverdue: 7}}}}
}

func outcomesPageData(l Layout) OutcomesPage {
	return OutcomesPage{Layout: l, SuppressBelow: waymark.SuppressBelow, CanManageSchedule: true, Outcomes: &waymark.Outcomes{AsOf: "2026-11-27",
		Rows: []waymark.OutcomeRow{{Months: 3, People: 20, StableAccommodation: 8, ReturnedHomeless: 3, ReExploited: 0, LostContact: 5, NotRecorded: 4},
			{Months: 6, People: 3, StableAccommodation: 1}, {Months: 12}},
		Unscheduled: []int{12}}}
}

func schedulePageData(l Layout, f Form) SchedulePage {
	return SchedulePage{Layout: l, Form: f, Months: []int{1, 3, 6, 12}, OutcomeMonths: waymark.OutcomeMonths}
}

func notificationsPageData(l Layout) NotificationsPage {
	read := moveOnNow
	l.Unread = 1
	return NotificationsPage{Layout: l, Notifications: []*waymark.Notification{
		{ID: "n1", Kind: waymark.TaskFollowUpDue, ClientID: "c1", ClientName: "Ion <Popescu>", ClientReference: "HS-1", DueOn: "2026-12-01", CreatedAt: moveOnNow},
		{ID: "n2", Kind: waymark.TaskReferralPack, ClientID: "c2", ClientName: "Mara", DueOn: "2026-11-20", CreatedAt: moveOnNow, ReadAt: &read, Done: true}}}
}

func TestMoveOnPagesRender(t *testing.T) {
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Title", Nonce: "n0nce"}
	check := func(t *testing.T, body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("the page lacks %q", w)
			}
		}
		if strings.Contains(body, "<Lovelace>") || strings.Contains(body, "<Council>") || strings.Contains(body, "<money>") || strings.Contains(body, "<well>") {
			t.Error("the page shows a value unescaped")
		}
	}
	t.Run("the move-on page shows the end of support, every part of the plan, the risk, the history and the follow-ups", func(t *testing.T) {
		body := renderPage(t, s, "move-on", moveOnPageData(l))
		check(t, body, "Support ended 210 days ago: <strong>1 May 2026</strong>", "Where this date comes from: the move-on plan",
			"Social housing tenancy", "Moved in", "Relief duty", "Northmoor &lt;Council&gt;", "2 March 2026", "Universal Credit: In payment",
			"Personal Independence Payment: Claimed: waiting", "Settled status", "Looking for work", "Tenancy &lt;support&gt;", "Keys on the 3rd",
			"Date their leave ends</dt><dd class=\"govuk-summary-list__value\">Not recorded",
			`href="/clients/c1/exploitation#risk"`, "Owes &lt;money&gt;", "Version 2", "Changed: date support ends, accommodation, homelessness application",
			"Recorded: accommodation.", `href="/organisation/follow-ups"`, "Recorded: reached", "Recorded: could not contact", "Missed", "Not yet due",
			"2 November 2026, Phone call; 9 November 2026, Through another service", "Doing &lt;well&gt;",
			`href="/clients/c1/move-on/follow-ups/6"`, `href="/clients/c1/move-on/follow-ups/3"`, `href="/clients/c1/move-on/plan"`)
		if strings.Contains(body, "/move-on/follow-ups/2") {
			t.Error("a follow-up kept from an earlier schedule offers to be corrected")
		}
		if strings.Contains(body, "cliff-edge-warning") {
			t.Error("support that has ended is shown as a cliff edge")
		}
	})
	t.Run("support ending soon with no home warns, and follow-ups wait for the end", func(t *testing.T) {
		p := moveOnPageData(l)
		p.MoveOn.SupportEnd.On, p.When, p.Ended, p.CliffEdge, p.AccommodationInPlace = "2026-12-10", supportEndWords("2026-12-10", "2026-11-27"), false, true, false
		p.MoveOn.FollowUps = waymark.ScheduleFollowUps("2026-12-10", p.MoveOn.Schedule, nil, "2026-11-27")
		p.FollowUps = followUpRows("c1", p.MoveOn, "2026-11-27", true)
		body := renderPage(t, s, "move-on", p)
		check(t, body, `id="cliff-edge-warning"`, "Support ends in 13 days, with no home in place yet", "You can record them once support has ended.")
		if strings.Contains(body, "/move-on/follow-ups/") {
			t.Error("follow-ups are offered before support has ended")
		}
	})
	t.Run("without a date the page says where it would come from, and without a plan says so", func(t *testing.T) {
		p := moveOnPageData(l)
		p.MoveOn.SupportEnd, p.MoveOn.Plan, p.MoveOn.History, p.MoveOn.FollowUps, p.History, p.FollowUps = waymark.SupportEnd{}, nil, nil, nil, nil, nil
		body := renderPage(t, s, "move-on", p)
		check(t, body, "does not know yet when their support ends", `href="/clients/c1/nrm#milestones"`, "No move-on plan has been recorded yet.",
			"Make a plan", `id="no-follow-ups"`)
	})
	t.Run("a role that may not edit gets no links to forms", func(t *testing.T) {
		p := moveOnPageData(l)
		p.CanEdit, p.CanManageSchedule = false, false
		p.FollowUps = followUpRows("c1", p.MoveOn, "2026-11-27", false)
		body := renderPage(t, s, "move-on", p)
		for _, unwanted := range []string{"/move-on/plan", "/move-on/follow-ups/", "/organisation/follow-ups"} {
			if strings.Contains(body, unwanted) {
				t.Errorf("the read-only page links to %s", unwanted)
			}
		}
	})
	t.Run("the plan form keeps its input, a select per benefit and says what conflicted", func(t *testing.T) {
		f := Form{Values: planFormValues(testMoveOn().Plan), Errs: map[string]string{"benefit_pip": "Choose where the claim stands"}}
		f.Values.Set("housing_authority", "kept <council>")
		body := renderPage(t, s, "move-on-plan", planFormPageData(l, f))
		check(t, body, `name="version" value="2"`, `id="support_ends_on"`, `name="support_ends_on-day" type="text" inputmode="numeric" autocomplete="off" value="1"`,
			`value="social_tenancy" selected`, `value="relief" checked`, "kept &lt;council&gt;", `id="benefit_universal_credit"`, `id="benefit_other"`,
			`id="benefit_pip-error"`, `value="in_payment" selected`, `id="conflict"`, `value="yes" checked`)
		for _, b := range waymark.BenefitOptions() {
			if !strings.Contains(body, `name="benefit_`+b.Value+`"`) {
				t.Errorf("no select for %s", b.Label)
			}
		}
	})
	t.Run("the follow-up form shows both sections, with the answer and the attempts kept", func(t *testing.T) {
		f := Form{Values: followUpFormValues(testMoveOn().FollowUps[3].Record), Errs: map[string]string{"attempt_2": "Choose how the attempt was made"}}
		body := renderPage(t, s, "follow-up", followUpFormPageData(l, f))
		check(t, body, `value="no" checked>`, `id="reached"`, `id="attempts"`, `name="attempt_1-day" type="text" inputmode="numeric" autocomplete="off" value="2"`,
			`<option value="via_partner" selected>`, `id="attempt_2-error"`, "Attempt 3", `name="version" value="2"`, `id="stable_accommodation"`)
		if strings.Contains(body, "Attempt 4") {
			t.Error("more rows than asked for")
		}
	})
	t.Run("the cliff edge shows both tables, the worker on the organisation's, and says when empty", func(t *testing.T) {
		body := renderPage(t, s, "cliff-edge", cliffEdgePageData(l))
		check(t, body, `href="/clients/c1/move-on"`, "HS-&lt;1&gt;", "10 December 2026", ">13<", "Assigned worker", `href="/cliff-edge"`,
			"Mara &lt;Ionescu&gt;", "3 months after support", ">7<", `<strong class="govuk-tag govuk-tag--red">No</strong>`)
		p := cliffEdgePageData(l)
		p.Organisation, p.CliffEdge.Ending, p.CliffEdge.Overdue = false, nil, nil
		body = renderPage(t, s, "cliff-edge", p)
		check(t, body, `id="no-ending"`, `id="no-overdue"`, `href="/cliff-edge/organisation"`)
		if strings.Contains(body, "Assigned worker") {
			t.Error("the user's own view shows the assigned worker")
		}
	})
	t.Run("the outcomes suppress small counts and their shares", func(t *testing.T) {
		body := renderPage(t, s, "outcomes", outcomesPageData(l))
		check(t, body, ">20<", "8 (40%)", "5 (25%)", ">0 (0%)<", "fewer than 5<", ">fewer than 5<", "a count from 1 to 4 is shown as “fewer than 5”",
			"no follow-up at 12 months. That row still counts")
		if strings.Contains(body, "(15%)") || strings.Contains(body, "(33%)") {
			t.Error("a share gives a suppressed count away")
		}
	})
	t.Run("notifications link to where each task is done and can be marked read", func(t *testing.T) {
		body := renderPage(t, s, "notifications", notificationsPageData(l))
		check(t, body, "New task: Follow-up due", `href="/clients/c1/move-on"`, `href="/clients/c2/nrm/pack"`, "Ion &lt;Popescu&gt;",
			`name="id" value="n1"`, `id="read-all"`, "Unread", "Read", "Done")
		if strings.Contains(body, `value="n2"`) {
			t.Error("a notification already read offers to be marked read")
		}
	})
}

func TestNavShowsCliffEdgeAndUnreadNotifications(t *testing.T) {
	for _, role := range waymark.Roles {
		nav := navFor(role, "/cliff-edge/organisation")
		if got, want := hasNav(nav, "/cliff-edge", true), role.Can(waymark.PermViewClients); got != want {
			t.Errorf("%s: cliff edge in the navigation (active) = %v, want %v", role, got, want)
		}
		if got, want := hasNav(nav, "/notifications", false), role.Can(waymark.PermViewClients); got != want {
			t.Errorf("%s: notifications in the navigation = %v, want %v", role, got, want)
		}
	}
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Title", Nonce: "n0nce", Nav: navFor(waymark.RoleFrontline, "/home"), Unread: 3}
	body := renderPage(t, s, "notifications", NotificationsPage{Layout: l})
	if !strings.Contains(body, `Notifications (3<span class="govuk-visually-hidden"> unread</span>)`) {
		t.Error("the navigation does not show the unread count")
	}
}

// TestPlanFormRoundTrip reads a plan from a form filled from it: every field comes back, blank
// benefits are not recorded, and dates typed in boxes are joined.
func TestPlanFormRoundTrip(t *testing.T) {
	want := *testMoveOn().Plan
	got, fields := planFromForm(planFormValues(&want))
	if len(fields) > 0 {
		t.Fatalf("form errors %v", fields)
	}
	ignore := func(p waymark.MoveOnPlan) waymark.MoveOnPlan {
		p.ID, p.ClientID, p.Version, p.RecordedByName, p.RecordedAt = "", "", 0, "", time.Time{}
		return p
	}
	if diff := cmp.Diff(ignore(want), got); diff != "" {
		t.Errorf("plan after a round trip (-want +got):\n%s", diff)
	}
	t.Run("boxes, blank benefits and line endings", func(t *testing.T) {
		v := url.Values{"support_ends_on-day": {"3"}, "support_ends_on-month": {"feb"}, "support_ends_on-year": {"2027"},
			"benefit_universal_credit": {""}, "benefit_esa": {"refused"}, "benefit_made_up": {"in_payment"}, "notes": {"a\r\nb"}}
		p, fields := planFromForm(v)
		if len(fields) > 0 {
			t.Fatalf("form errors %v", fields)
		}
		if p.SupportEndsOn != "2027-02-03" || p.Notes != "a\nb" || !cmp.Equal(p.Benefits, []waymark.BenefitClaim{{Benefit: "esa", Status: "refused"}}) {
			t.Errorf("read %+v", p)
		}
		if err := p.Validate(moveOnNow); err != nil {
			t.Errorf("a good plan is refused: %v", err)
		}
	})
	t.Run("a date typed wrongly is reported on its field", func(t *testing.T) {
		_, fields := planFromForm(url.Values{"leave_expires_on-day": {"31"}, "leave_expires_on-month": {"2"}, "leave_expires_on-year": {"2027"}})
		if fields["leave_expires_on"] == "" {
			t.Errorf("fields %v", fields)
		}
	})
}

// TestFollowUpFormRoundTrip reads follow-ups from forms: the section the answer hides is ignored,
// blank attempt rows are skipped, and errors land on the rows the user filled.
func TestFollowUpFormRoundTrip(t *testing.T) {
	for _, rec := range []*waymark.FollowUp{testMoveOn().FollowUps[0].Record, testMoveOn().FollowUps[3].Record} {
		got, _, fields := followUpFromForm(followUpFormValues(rec))
		if len(fields) > 0 {
			t.Fatalf("form errors %v", fields)
		}
		want := waymark.FollowUp{Contacted: rec.Contacted, StableAccommodation: rec.StableAccommodation, RoughSleeping: rec.RoughSleeping,
			ReExploited: rec.ReExploited, InContact: rec.InContact, Attempts: rec.Attempts, Notes: rec.Notes}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("follow-up after a round trip (-want +got):\n%s", diff)
		}
	}
	t.Run("blank rows are skipped and the hidden section ignored", func(t *testing.T) {
		v := url.Values{"contacted": {"no"}, "stable_accommodation": {"yes"},
			"attempt_1-day": {""}, "attempt_1-month": {""}, "attempt_1-year": {""}, "attempt_1_method": {""},
			"attempt_2-day": {"20"}, "attempt_2-month": {"11"}, "attempt_2-year": {"2026"}, "attempt_2_method": {"text"},
			"attempt_3-day": {" "}, "attempt_3_method": {""}}
		u, rows, fields := followUpFromForm(v)
		if len(fields) > 0 || u.Contacted || u.StableAccommodation != "" || !cmp.Equal(rows, []int{2}) ||
			!cmp.Equal(u.Attempts, []waymark.ContactAttempt{{On: "2026-11-20", Method: "text"}}) {
			t.Errorf("read %+v, rows %v, fields %v", u, rows, fields)
		}
		if err := followUpErrors(&u, rows, fields, moveOnNow); err != nil {
			t.Errorf("a good follow-up is refused: %v", err)
		}
	})
	t.Run("errors land on the rows the user filled", func(t *testing.T) {
		v := url.Values{"contacted": {"no"}, "attempt_2-day": {"20"}, "attempt_2-month": {"11"}, "attempt_2-year": {"2026"},
			"attempt_3-day": {"30"}, "attempt_3-month": {"2"}, "attempt_3-year": {"2026"}, "attempt_3_method": {"phone"},
			"attempt_4-day": {"1"}, "attempt_4-month": {"1"}, "attempt_4-year": {"2027"}, "attempt_4_method": {"visit"}}
		u, rows, fields := followUpFromForm(v)
		got := waymark.ErrorFields(followUpErrors(&u, rows, fields, moveOnNow))
		for _, k := range []string{"attempt_2", "attempt_3", "attempt_4"} {
			if got[k] == "" {
				t.Errorf("no error on %s: %v", k, got)
			}
		}
		if got["attempt_1"] != "" || !strings.Contains(got["attempt_2"], "how") || !strings.Contains(got["attempt_3"], "real date") ||
			!strings.Contains(got["attempt_4"], "today or in the past") {
			t.Errorf("errors %v", got)
		}
	})
	t.Run("no attempts given: the message is on the first row", func(t *testing.T) {
		u, rows, fields := followUpFromForm(url.Values{"contacted": {"no"}})
		if got := waymark.ErrorFields(followUpErrors(&u, rows, fields, moveOnNow)); got["attempt_1"] == "" || len(got) != 1 {
			t.Errorf("errors %v", got)
		}
	})
	t.Run("the question unanswered is the only error", func(t *testing.T) {
		u, rows, fields := followUpFromForm(url.Values{"attempt_1_method": {"phone"}})
		if got := waymark.ErrorFields(followUpErrors(&u, rows, fields, moveOnNow)); got["contacted"] == "" || len(got) != 1 {
			t.Errorf("errors %v", got)
		}
	})
	t.Run("reached with an answer missing", func(t *testing.T) {
		u, rows, fields := followUpFromForm(url.Values{"contacted": {"yes"}, "stable_accommodation": {"yes"}, "rough_sleeping": {"no"}, "re_exploited": {"no"}})
		if got := waymark.ErrorFields(followUpErrors(&u, rows, fields, moveOnNow)); got["in_contact"] == "" || len(got) != 1 {
			t.Errorf("errors %v", got)
		}
	})
}

func TestAttemptRows(t *testing.T) {
	for _, tc := range []struct {
		name  string
		v     url.Values
		least int
		want  int
	}{
		{"a new form offers three", url.Values{}, 3, 3},
		{"correcting offers one more than recorded", followUpFormValues(&waymark.FollowUp{Attempts: make([]waymark.ContactAttempt, 4)}), 5, 5},
		{"a posted form shows the rows posted", url.Values{"attempt_7_method": {""}}, 3, 7},
		{"never more than the most attempts", url.Values{"attempt_11_method": {"phone"}}, 12, waymark.MaxContactAttempts},
	} {
		if got := len(attemptRows(Form{Values: tc.v}, tc.least)); got != tc.want {
			t.Errorf("%s: %d rows, want %d", tc.name, got, tc.want)
		}
	}
}

func TestSupportEndWords(t *testing.T) {
	for on, want := range map[string]string{"2026-12-27": "Support ends in 30 days", "2026-11-28": "Support ends tomorrow", "2026-11-27": "Support ends today",
		"2026-11-26": "Support ended yesterday", "2026-10-28": "Support ended 30 days ago", "": ""} {
		if got := supportEndWords(on, "2026-11-27"); got != want {
			t.Errorf("%q: %q, want %q", on, got, want)
		}
	}
}
