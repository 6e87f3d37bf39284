package waymark_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestParseFollowUpMonths(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []int
		wantErr  bool
	}{
		{"commas and spaces are read", "1, 3,6 12", []int{1, 3, 6, 12}, false},
		{"one follow-up is enough", "24", []int{24}, false},
		{"nothing typed is refused", "  ", nil, true},
		{"months out of order are refused", "3, 1", nil, true},
		{"a month given twice is refused", "3, 3", nil, true},
		{"zero is refused", "0, 3", nil, true},
		{"more than five years is refused", "61", nil, true},
		{"words are refused", "one, three", nil, true},
		{"more than eight follow-ups are refused", "1 2 3 4 5 6 7 8 9", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := waymark.ParseFollowUpMonths(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseFollowUpMonths(%q) error %v; want error %t", tc.in, err, tc.wantErr)
			}
			if tc.wantErr && waymark.ErrorFields(err)["months"] == "" {
				t.Errorf("refused without a message for the months field: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("months (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseFollowUpMonths(f *testing.F) {
	for _, s := range []string{"1, 3, 6, 12", "", "0", "3,1", "60;1", "1\t2 3", "-1", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		months, err := waymark.ParseFollowUpMonths(s)
		if err != nil {
			if waymark.ErrorCode(err) != waymark.EINVALID || waymark.ErrorFields(err)["months"] == "" {
				t.Fatalf("refused without a message: %v", err)
			}
			return
		}
		again, err := waymark.ParseFollowUpMonths(waymark.FormatFollowUpMonths(months))
		if err != nil || !cmp.Equal(months, again) {
			t.Fatalf("%v written and read again gives %v, %v", months, again, err)
		}
	})
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct{ date, want string }{
		{"2026-01-31", "2026-02-28"},
		{"2028-01-31", "2028-02-29"},
		{"2026-03-15", "2026-04-15"},
		{"2026-11-30", "2026-12-30"},
		{"2026-12-31", "2027-01-31"},
		{"not a date", ""},
	} {
		if got := waymark.AddMonths(tc.date, 1); got != tc.want {
			t.Errorf("a month after %s is %q; want %q", tc.date, got, tc.want)
		}
	}
	if got := waymark.AddMonths("2026-08-31", 6); got != "2027-02-28" {
		t.Errorf("six months after 31 August is %s; want 2027-02-28", got)
	}
}

func TestScheduleFollowUps(t *testing.T) {
	recorded := []*waymark.FollowUp{{Months: 6, DueOn: "2026-07-01"}, {Months: 2, DueOn: "2026-03-01"}}
	type row struct {
		Months        int
		DueOn         string
		Recorded, Due bool
		Missed        bool
	}
	rows := func(today string, recorded []*waymark.FollowUp) []row {
		var out []row
		for _, s := range waymark.ScheduleFollowUps("2026-01-01", []int{1, 3, 6, 12}, recorded, today) {
			out = append(out, row{s.Months, s.DueOn, s.Record != nil, s.Due(today), s.Missed})
		}
		return out
	}
	t.Run("one not recorded before a later one is missed; one recorded off the schedule keeps its place", func(t *testing.T) {
		want := []row{
			{1, "2026-02-01", false, false, true},
			{2, "2026-03-01", true, false, false},
			{3, "2026-04-01", false, false, true},
			{6, "2026-07-01", true, false, false},
			{12, "2027-01-01", false, false, false},
		}
		if diff := cmp.Diff(want, rows("2026-08-01", recorded)); diff != "" {
			t.Errorf("schedule (-want +got):\n%s", diff)
		}
	})
	t.Run("only the current follow-up is due: the one before is missed once it falls due", func(t *testing.T) {
		want := []row{
			{1, "2026-02-01", false, false, true},
			{3, "2026-04-01", false, true, false},
			{6, "2026-07-01", false, false, false},
			{12, "2027-01-01", false, false, false},
		}
		if diff := cmp.Diff(want, rows("2026-04-01", nil)); diff != "" {
			t.Errorf("schedule (-want +got):\n%s", diff)
		}
	})
	t.Run("the last is due for 90 days after its date, then missed", func(t *testing.T) {
		if got := rows("2027-03-31", nil)[3]; !got.Due || got.Missed {
			t.Errorf("on day 89: %+v; want due", got)
		}
		if got := rows("2027-04-01", nil)[3]; got.Due || !got.Missed {
			t.Errorf("on day 90: %+v; want missed", got)
		}
	})
}

func TestSupportEndFor(t *testing.T) {
	cg := []*waymark.NRMDecision{{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomePositive, DecidedOn: "2026-10-01"}}
	ms := []*waymark.NRMMilestone{{Kind: "victim_care_end", On: "2026-11-30"}, {Kind: "reach_in_end", On: "2027-02-01"}, {Kind: "victim_care_start", On: "2027-05-01"}}
	for _, tc := range []struct {
		name       string
		plan       *waymark.MoveOnPlan
		milestones []*waymark.NRMMilestone
		decisions  []*waymark.NRMDecision
		want       string
	}{
		{"the plan's date comes first", &waymark.MoveOnPlan{SupportEndsOn: "2026-12-01"}, ms, cg, "2026-12-01"},
		{"then the latest recorded end of support", &waymark.MoveOnPlan{}, ms, cg, "2027-02-01"},
		{"then 45 days after a positive conclusive grounds decision", nil, nil, cg, "2026-11-15"},
		{"a negative decision gives no end", nil, nil, []*waymark.NRMDecision{{Stage: waymark.ConclusiveGrounds, Outcome: waymark.OutcomeNegative, DecidedOn: "2026-10-01"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := waymark.SupportEndFor(tc.plan, tc.milestones, tc.decisions); got.On != tc.want {
				t.Errorf("support ends %+v; want %s", got, tc.want)
			}
		})
	}
}

func TestMoveOnPlanInPlace(t *testing.T) {
	for _, tc := range []struct {
		name                string
		plan                *waymark.MoveOnPlan
		wantHome, wantMoney bool
	}{
		{"no plan has nothing in place", nil, false, false},
		{"a tenancy moved into and Universal Credit in payment", &waymark.MoveOnPlan{AccommodationType: "social_tenancy", AccommodationStatus: "moved_in",
			Benefits: []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "in_payment"}}}, true, true},
		{"a tenancy still looked for and a claim waiting", &waymark.MoveOnPlan{AccommodationType: "social_tenancy", AccommodationStatus: "looking",
			Benefits: []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "claimed"}}}, false, false},
		{"nowhere to live, secured, is not a home; paid work is an income", &waymark.MoveOnPlan{AccommodationType: "none", AccommodationStatus: "secured", Employment: "employed"}, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if home, money := tc.plan.AccommodationInPlace(), tc.plan.IncomeInPlace(); home != tc.wantHome || money != tc.wantMoney {
				t.Errorf("home %t income %t; want %t and %t", home, money, tc.wantHome, tc.wantMoney)
			}
		})
	}
}

func TestMoveOnValidate(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	t.Run("a plan with every field wrong says how to fix each", func(t *testing.T) {
		p := waymark.MoveOnPlan{SupportEndsOn: "2026-02-30", AccommodationType: "x", AccommodationStatus: "x", HousingDuty: "x", HousingAppliedOn: "2027-01-01",
			Benefits: []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "x"}}, ImmigrationStatus: "x", LeaveExpiresOn: "soon", GPRegistered: "x", Employment: "x"}
		fields := waymark.ErrorFields(p.Validate(now))
		for _, k := range []string{"support_ends_on", "accommodation_type", "accommodation_status", "housing_duty", "housing_applied_on", "benefit_universal_credit",
			"immigration_status", "leave_expires_on", "gp_registered", "employment"} {
			if fields[k] == "" {
				t.Errorf("no message for %s; got %v", k, fields)
			}
		}
	})
	t.Run("an empty plan is valid: everything may be not yet recorded", func(t *testing.T) {
		if err := (&waymark.MoveOnPlan{}).Validate(now); err != nil {
			t.Error(err)
		}
	})
	t.Run("a follow-up reached needs the four answers and no attempts", func(t *testing.T) {
		u := waymark.FollowUp{Months: 1, Contacted: true, Attempts: []waymark.ContactAttempt{{On: "2026-11-01", Method: "phone"}}}
		fields := waymark.ErrorFields(u.Validate(now))
		if diff := cmp.Diff([]string{"attempts", "in_contact", "re_exploited", "rough_sleeping", "stable_accommodation"}, keys(fields)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
	})
	t.Run("a follow-up not reached needs dated attempts and no answers", func(t *testing.T) {
		u := waymark.FollowUp{Months: 1, ReExploited: waymark.AnswerNo, Attempts: []waymark.ContactAttempt{{On: "2026-11-01", Method: "phone"}, {On: "2026-12-01", Method: "phone"}, {On: "2026-11-02", Method: "pigeon"}}}
		fields := waymark.ErrorFields(u.Validate(now))
		if diff := cmp.Diff([]string{"attempt_2", "attempt_3", "re_exploited"}, keys(fields)); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		if err := (&waymark.FollowUp{Months: 1}).Validate(now); waymark.ErrorFields(err)["attempts"] == "" {
			t.Errorf("no attempts accepted: %v", err)
		}
	})
}

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n, total   waymark.Count
		text, pct  string
		jsonString string
	}{
		{0, 10, "0", "0%", "0"},
		{1, 10, "fewer than 5", "", `"fewer than 5"`},
		{4, 10, "fewer than 5", "", `"fewer than 5"`},
		{5, 10, "5", "50%", "5"},
		{7, 4, "7", "", "7"},
		{2, 3, "fewer than 5", "", `"fewer than 5"`},
		{5, 0, "5", "", "5"},
		{1, 3 * 5, "fewer than 5", "", `"fewer than 5"`},
		{5, 15, "5", "33%", "5"},
		{10, 15, "10", "67%", "10"},
	} {
		b, err := json.Marshal(tc.n)
		if tc.n.String() != tc.text || tc.n.ShareOf(tc.total) != tc.pct || err != nil || string(b) != tc.jsonString {
			t.Errorf("Count(%d) of %d: %q, %q, %s, %v; want %q, %q, %s", tc.n, tc.total, tc.n.String(), tc.n.ShareOf(tc.total), b, err, tc.text, tc.pct, tc.jsonString)
		}
	}
}

func TestCountOutcomes(t *testing.T) {
	reached := func(stable, rough, again, inContact waymark.Answer) *waymark.FollowUp {
		return &waymark.FollowUp{Contacted: true, StableAccommodation: stable, RoughSleeping: rough, ReExploited: again, InContact: inContact}
	}
	y, n := waymark.AnswerYes, waymark.AnswerNo
	got := waymark.CountOutcomes(3, []*waymark.FollowUp{
		reached(y, n, n, y), reached(n, y, y, n), reached(waymark.AnswerNotKnown, n, n, y), {Contacted: false}, nil,
	})
	want := waymark.OutcomeRow{Months: 3, People: 5, StableAccommodation: 1, ReturnedHomeless: 1, ReExploited: 1, LostContact: 2, NotRecorded: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
}

// keys lists a map's keys in order.
func keys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

func TestWithholdDifference(t *testing.T) {
	for _, tc := range []struct {
		name         string
		total, shown waymark.Count
		want         waymark.Count
		wantText     string
	}{
		{"a small difference withholds the shown count", 6, 5, waymark.Withheld, "withheld"},
		{"a large difference leaves it", 20, 5, 5, "5"},
		{"no difference leaves it: nobody is hidden", 8, 8, 8, "8"},
		{"a count already suppressed stays suppressed", 6, 3, 3, "fewer than 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shown := tc.shown
			waymark.WithholdDifference(tc.total, &shown)
			if shown != tc.want || shown.String() != tc.wantText || shown.ShareOf(tc.total) != "" && shown.Hidden() {
				t.Errorf("WithholdDifference(%d, %d) = %d %q; want %d %q", tc.total, tc.shown, shown, shown.String(), tc.want, tc.wantText)
			}
		})
	}
	if b, _ := json.Marshal(waymark.Withheld); string(b) != `"withheld"` {
		t.Errorf("a withheld count is written %s", b)
	}
}

func TestAtCliffEdge(t *testing.T) {
	ready := &waymark.MoveOnPlan{AccommodationType: "social_tenancy", AccommodationStatus: "moved_in", Employment: "employed"}
	for _, tc := range []struct {
		name     string
		end      string
		plan     *waymark.MoveOnPlan
		wantDays int
		want     bool
	}{
		{"ending today with nothing in place", "2026-11-27", nil, 0, true},
		{"ending in 30 days with nothing in place", "2026-12-27", nil, 30, true},
		{"ending in 31 days is not yet", "2026-12-28", nil, 0, false},
		{"ended yesterday is past the edge", "2026-11-26", nil, 0, false},
		{"a home and an income in place", "2026-12-01", ready, 4, false},
		{"no date, no edge", "", nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			days, ok := waymark.AtCliffEdge(waymark.SupportEnd{On: tc.end}, tc.plan, "2026-11-27")
			if ok != tc.want || ok && days != tc.wantDays {
				t.Errorf("AtCliffEdge = %d, %t; want %d, %t", days, ok, tc.wantDays, tc.want)
			}
		})
	}
}

func TestMoveOnDatesInRange(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		field, value string
		ok           bool
	}{
		{"support_ends_on", "2062-11-27", false},
		{"support_ends_on", "2029-11-01", true},
		{"support_ends_on", "2015-01-01", false},
		{"leave_expires_on", "2040-01-01", false},
		{"leave_expires_on", "2031-01-01", true},
	} {
		p := waymark.MoveOnPlan{}
		if tc.field == "support_ends_on" {
			p.SupportEndsOn = tc.value
		} else {
			p.LeaveExpiresOn = tc.value
		}
		if got := waymark.ErrorFields(p.Validate(now))[tc.field]; (got == "") != tc.ok {
			t.Errorf("%s %s: message %q; want accepted %t", tc.field, tc.value, got, tc.ok)
		}
	}
}
