package waymark_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestCourseExpiresOn(t *testing.T) {
	for _, tc := range []struct {
		name      string
		months    int
		completed string
		want      string
	}{
		{"a course that does not expire has no expiry", 0, "2025-03-05", ""},
		{"twelve months later on the same day", 12, "2025-03-05", "2026-03-05"},
		{"a month after 31 January is the end of February", 1, "2025-01-31", "2025-02-28"},
		{"in a leap year the end of February is the 29th", 1, "2024-01-31", "2024-02-29"},
		{"24 months from 29 February lands on 28 February", 24, "2024-02-29", "2026-02-28"},
		{"the longest validity is ten years", 120, "2020-06-15", "2030-06-15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &waymark.Course{ValidityMonths: tc.months}
			if got := c.ExpiresOn(tc.completed); got != tc.want {
				t.Errorf("ExpiresOn(%s) with %d months = %q, want %q", tc.completed, tc.months, got, tc.want)
			}
		})
	}
}

func TestCompletionInDateOn(t *testing.T) {
	c := &waymark.TrainingCompletion{CompletedOn: "2025-03-05", ExpiresOn: "2026-03-05"}
	for _, tc := range []struct {
		name string
		day  string
		want bool
	}{
		{"in date on the day it was completed", "2025-03-05", true},
		{"in date on the day before it expires", "2026-03-04", true},
		{"out of date on the expiry day itself", "2026-03-05", false},
		{"out of date after the expiry day", "2027-01-01", false},
		{"not in date before it was completed", "2025-03-04", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.InDateOn(tc.day); got != tc.want {
				t.Errorf("InDateOn(%s) = %t, want %t", tc.day, got, tc.want)
			}
		})
	}
	t.Run("training that does not expire stays in date", func(t *testing.T) {
		c := &waymark.TrainingCompletion{CompletedOn: "2001-01-01"}
		if !c.InDateOn("2099-12-31") {
			t.Error("a completion without expiry went out of date")
		}
	})
}

func TestCourseValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		c      waymark.Course
		fields []string
	}{
		{"a full course is valid", waymark.Course{Name: " Modern  slavery awareness ", Provider: "Council", Level: "awareness", ValidityMonths: 24}, nil},
		{"a course that does not expire is valid", waymark.Course{Name: "Induction", Provider: "Us", Level: "specialist"}, nil},
		{"missing name, provider and level are each named", waymark.Course{ValidityMonths: 12}, []string{"level", "name", "provider"}},
		{"a validity over ten years is refused", waymark.Course{Name: "x", Provider: "y", Level: "awareness", ValidityMonths: 121}, []string{"validity_months"}},
		{"a negative validity is refused", waymark.Course{Name: "x", Provider: "y", Level: "awareness", ValidityMonths: -1}, []string{"validity_months"}},
		{"an unknown level is refused", waymark.Course{Name: "x", Provider: "y", Level: "expert"}, []string{"level"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			var got []string
			for k := range waymark.ErrorFields(c.Validate()) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tc.fields, sorted(got)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("the name is tidied", func(t *testing.T) {
		c := waymark.Course{Name: " Modern  slavery awareness ", Provider: "Council", Level: "awareness"}
		if err := c.Validate(); err != nil || c.Name != "Modern slavery awareness" {
			t.Errorf("got %q, %v", c.Name, err)
		}
	})
}

func sorted(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	out := append([]string(nil), l...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestCompletionValidate(t *testing.T) {
	const today = "2026-11-27"
	for _, tc := range []struct {
		name   string
		c      waymark.TrainingCompletion
		fields []string
	}{
		{"a member of staff's completion today is valid", waymark.TrainingCompletion{UserID: "u", CourseID: "c", CompletedOn: today}, nil},
		{"a volunteer's completion is valid", waymark.TrainingCompletion{VolunteerID: "v", CourseID: "c", CompletedOn: "2000-01-01"}, nil},
		{"nobody is refused", waymark.TrainingCompletion{CourseID: "c", CompletedOn: today}, []string{"person"}},
		{"both a user and a volunteer is refused", waymark.TrainingCompletion{UserID: "u", VolunteerID: "v", CourseID: "c", CompletedOn: today}, []string{"person"}},
		{"a date in the future is refused", waymark.TrainingCompletion{UserID: "u", CourseID: "c", CompletedOn: "2026-11-28"}, []string{"completed_on"}},
		{"a date before 2000 is refused", waymark.TrainingCompletion{UserID: "u", CourseID: "c", CompletedOn: "1999-12-31"}, []string{"completed_on"}},
		{"no course and no date are each named", waymark.TrainingCompletion{UserID: "u"}, []string{"completed_on", "course"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for k := range waymark.ErrorFields(tc.c.Validate(today)) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tc.fields, sorted(got)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestComputeCoverage(t *testing.T) {
	const today = "2026-11-27"
	aw := func(person waymark.TrainingPerson, on, expires string, level waymark.CourseLevel) *waymark.TrainingCompletion {
		return &waymark.TrainingCompletion{UserID: person.UserID, VolunteerID: person.VolunteerID, CourseID: string(level), Level: level, CompletedOn: on, ExpiresOn: expires}
	}
	ana := waymark.TrainingPerson{UserID: "u1", Name: "Ana", Role: waymark.RoleFrontline, Counted: true}
	ben := waymark.TrainingPerson{UserID: "u2", Name: "Ben", Role: waymark.RoleSafeguardingLead, Counted: true}
	cat := waymark.TrainingPerson{VolunteerID: "v1", Name: "Cat", Counted: true}
	dan := waymark.TrainingPerson{VolunteerID: "v2", Name: "Dan", Counted: true}
	eve := waymark.TrainingPerson{UserID: "u3", Name: "Eve", Role: waymark.RoleManager}
	fay := waymark.TrainingPerson{UserID: "u4", Name: "Fay", Role: waymark.RoleFrontline, Counted: true}
	people := []waymark.TrainingPerson{ana, ben, cat, dan, eve, fay}
	completions := []*waymark.TrainingCompletion{
		// Ana: awareness in date for a year, and specialist training out of date.
		aw(ana, "2026-01-10", "2028-01-10", waymark.LevelAwareness),
		aw(ana, "2022-01-10", "2025-01-10", waymark.LevelSpecialist),
		// Ben: first responder training that runs out within 60 days.
		aw(ben, "2023-12-20", "2026-12-20", waymark.LevelFirstResponder),
		// Cat: a volunteer whose awareness training went out of date today.
		aw(cat, "2024-11-27", "2026-11-27", waymark.LevelAwareness),
		// Dan: nothing. Eve, a manager, is not counted however trained.
		aw(eve, "2026-01-01", "", waymark.LevelSpecialist),
		// Fay: specialist training that does not expire, and an old course redone.
		aw(fay, "2020-01-01", "2021-01-01", waymark.LevelAwareness),
		aw(fay, "2025-01-01", "", waymark.LevelSpecialist),
		// Someone who is not among the people counts for nothing.
		{UserID: "gone", CourseID: "x", Level: waymark.LevelSpecialist, CompletedOn: "2026-01-01"},
		// A completion dated after today does not count yet.
		aw(dan, "2026-12-01", "", waymark.LevelAwareness),
	}
	cov := waymark.ComputeCoverage(people, completions, today)
	type counts struct{ People, InDate, Awareness, FirstResponder, Specialist, Expiring, OutOfDate, Untrained int }
	got := counts{cov.People, cov.InDate, cov.Awareness, cov.FirstResponder, cov.Specialist, cov.Expiring, cov.OutOfDate, cov.Untrained}
	want := counts{People: 5, InDate: 3, Awareness: 3, FirstResponder: 2, Specialist: 1, Expiring: 1, OutOfDate: 1, Untrained: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	status := map[string]string{}
	levels := map[string]waymark.CourseLevel{}
	var order []string
	for _, r := range cov.Rows {
		status[r.Person.Name] = r.Status
		levels[r.Person.Name] = r.Level
		order = append(order, r.Person.Name)
	}
	wantStatus := map[string]string{"Ana": waymark.TrainingInDate, "Ben": waymark.TrainingExpiring, "Cat": waymark.TrainingOutOfDate,
		"Dan": waymark.TrainingNone, "Eve": waymark.TrainingInDate, "Fay": waymark.TrainingInDate}
	if diff := cmp.Diff(wantStatus, status); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if levels["Ana"] != waymark.LevelAwareness || levels["Fay"] != waymark.LevelSpecialist {
		t.Errorf("levels: %v", levels)
	}
	if diff := cmp.Diff([]string{"Ana", "Ben", "Cat", "Dan", "Fay", "Eve"}, order); diff != "" {
		t.Errorf("order, counted people first (-want +got):\n%s", diff)
	}
	t.Run("shares are whole percentages of the people counted", func(t *testing.T) {
		if got := cov.Share(cov.InDate); got != "60%" {
			t.Errorf("Share = %q, want 60%%", got)
		}
		if got := (&waymark.TrainingCoverage{}).Share(0); got != "None counted" {
			t.Errorf("Share with nobody = %q", got)
		}
	})
	t.Run("someone whose training expires on the 60th day is expiring", func(t *testing.T) {
		p := waymark.TrainingPerson{UserID: "x", Name: "X", Counted: true}
		for _, tc := range []struct {
			expires, want string
		}{{"2027-01-25", waymark.TrainingExpiring}, {"2027-01-26", waymark.TrainingExpiring}, {"2027-01-27", waymark.TrainingInDate}} {
			cov := waymark.ComputeCoverage([]waymark.TrainingPerson{p}, []*waymark.TrainingCompletion{aw(p, "2025-01-01", tc.expires, waymark.LevelAwareness)}, today)
			if cov.Rows[0].Status != tc.want {
				t.Errorf("expiring %s: status %s, want %s", tc.expires, cov.Rows[0].Status, tc.want)
			}
		}
	})
}

func TestAwarenessValidate(t *testing.T) {
	const today = "2026-11-27"
	ok := waymark.AwarenessActivity{On: today, Audience: "public", Attending: 40, Topic: "Spotting the signs"}
	for _, tc := range []struct {
		name   string
		change func(a *waymark.AwarenessActivity)
		fields []string
	}{
		{"a full activity is valid", func(a *waymark.AwarenessActivity) { a.Notes = "Two lines\nof notes" }, nil},
		{"nobody attending is refused", func(a *waymark.AwarenessActivity) { a.Attending = 0 }, []string{"attending"}},
		{"more than 100,000 attending is refused", func(a *waymark.AwarenessActivity) { a.Attending = 100001 }, []string{"attending"}},
		{"a session in the future is refused", func(a *waymark.AwarenessActivity) { a.On = "2026-11-28" }, []string{"on"}},
		{"an unknown audience is refused", func(a *waymark.AwarenessActivity) { a.Audience = "everyone" }, []string{"audience"}},
		{"a missing topic is refused", func(a *waymark.AwarenessActivity) { a.Topic = " " }, []string{"topic"}},
		{"notes over 2,000 characters are refused", func(a *waymark.AwarenessActivity) { a.Notes = strings.Repeat("é", 2001) }, []string{"notes"}},
		{"notes of exactly 2,000 characters are kept", func(a *waymark.AwarenessActivity) { a.Notes = strings.Repeat("é", 2000) }, nil},
		{"control characters in notes are refused", func(a *waymark.AwarenessActivity) { a.Notes = "bell\a" }, []string{"notes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.change(&a)
			var got []string
			for k := range waymark.ErrorFields(a.Validate(today)) {
				got = append(got, k)
			}
			if diff := cmp.Diff(tc.fields, sorted(got)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAwarenessTotals(t *testing.T) {
	list := []*waymark.AwarenessActivity{
		{On: "2026-01-05", Audience: "clients", Attending: 10},
		{On: "2026-06-05", Audience: "clients", Attending: 5},
		{On: "2026-03-01", Audience: "public", Attending: 100},
		{On: "2025-12-31", Audience: "public", Attending: 1000},
	}
	got := waymark.AwarenessTotals(list, "2026")
	want := []waymark.AudienceTotal{{"clients", 2, 15}, {"staff", 0, 0}, {"public", 1, 100}, {"partners", 0, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
}
