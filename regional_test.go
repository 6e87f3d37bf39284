package waymark

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReportingYear(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	got := map[string]any{
		"year of 31 March 2027":  ReportingYearOf(day("2027-03-31")).String(),
		"year of 1 April 2027":   ReportingYearOf(day("2027-04-01")).String(),
		"quarter of 30 June":     ReportingYear(2026).QuarterOf(day("2026-06-30")),
		"quarter of 1 July":      ReportingYear(2026).QuarterOf(day("2026-07-01")),
		"quarter of 1 January":   ReportingYear(2026).QuarterOf(day("2027-01-01")),
		"quarter of a day after": ReportingYear(2026).QuarterOf(day("2027-04-01")),
		"label of quarter 4":     ReportingYear(2026).QuarterLabel(4),
		"label":                  ReportingYear(2026).Label(),
		"begun the day before":   ReportingYear(2026).QuartersBegun(day("2026-03-31")),
		"begun on its first day": ReportingYear(2026).QuartersBegun(day("2026-04-01")),
		"begun on 1 October":     ReportingYear(2026).QuartersBegun(day("2026-10-01")),
		"begun on its last day":  ReportingYear(2026).QuartersBegun(day("2027-03-31")),
		"begun after it":         ReportingYear(2026).QuartersBegun(day("2027-04-01")),
		"referred by no route":   PopReferred.Impossible(ByRoute),
		"decided with no route":  PopReasonableGrounds.Impossible(ByRoute),
	}
	want := map[string]any{
		"year of 31 March 2027":  "2026-27",
		"year of 1 April 2027":   "2027-28",
		"quarter of 30 June":     1,
		"quarter of 1 July":      2,
		"quarter of 1 January":   4,
		"quarter of a day after": 0,
		"label of quarter 4":     "January to March 2027",
		"label":                  "April 2026 to March 2027",
		"begun the day before":   0,
		"begun on its first day": 1,
		"begun on 1 October":     3,
		"begun on its last day":  4,
		"begun after it":         4,
		"referred by no route":   []string{"none"},
		"decided with no route":  []string(nil),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseReportingYear(t *testing.T) {
	for _, ok := range []string{"2026", "2026-27", " 2099-00 "} {
		if _, err := ParseReportingYear(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	// Only whole financial years: a date, or a range of dates, is not a reporting period, so two
	// reports cannot be set a day apart and subtracted.
	for _, bad := range []string{"", "26", "2026-28", "2026-04-01", "2026-04-01..2026-06-30", "1999", "2101", "２０２６", "2026-2027"} {
		if _, err := ParseReportingYear(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q: got %v, want invalid", bad, err)
		}
	}
}

func TestAgeAtExploitation(t *testing.T) {
	got := map[string]int{}
	for name, in := range map[string]struct {
		dob            string
		estimate, year int
		start          string
	}{
		"the day before the birthday":  {"1990-06-15", 0, 0, "2008-06-14"},
		"on the birthday":              {"1990-06-15", 0, 0, "2008-06-15"},
		"month known, day not":         {"1990-06-15", 0, 0, "2008-06"},
		"the month before":             {"1990-06", 0, 0, "2008-05-30"},
		"only years":                   {"1990", 0, 0, "2008-01-01"},
		"from an estimate":             {"", 30, 2020, "2010"},
		"an estimate before the start": {"", 5, 2020, "2010"},
		"no start":                     {"1990-06-15", 0, 0, ""},
		"nothing about age":            {"", 0, 0, "2010"},
		"a start before birth":         {"1990", 0, 0, "1985"},
	} {
		got[name] = AgeAtExploitation(in.dob, in.estimate, in.year, in.start)
	}
	want := map[string]int{"the day before the birthday": 17, "on the birthday": 18, "month known, day not": 18, "the month before": 17,
		"only years": 18, "from an estimate": 20, "an estimate before the start": -1, "no start": -1, "nothing about age": -1, "a start before birth": -1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAgeCategories(t *testing.T) {
	type groupAndBand struct{ Group, Band string }
	got := map[string]groupAndBand{}
	for name, in := range map[string]struct {
		age     int
		under18 Answer
	}{
		"30, no answer":               {30, ""},
		"12, no answer":               {12, ""},
		"age not known, no answer":    {-1, ""},
		"age not known, under 18":     {-1, AnswerYes},
		"age not known, not under 18": {-1, AnswerNo},
		"30, under 18":                {30, AnswerYes},
		"12, not under 18":            {12, AnswerNo},
		"12, under 18":                {12, AnswerYes},
		"20, answer not known":        {20, AnswerNotKnown},
	} {
		g, b := AgeCategories(in.age, in.under18)
		got[name] = groupAndBand{g, b}
	}
	want := map[string]groupAndBand{
		"30, no answer":               {"adult", "30-38"},
		"12, no answer":               {"child", "9-17"},
		"age not known, no answer":    {"not_known", "not_known"},
		"age not known, under 18":     {"child", "child_age_not_known"},
		"age not known, not under 18": {"adult", "adult_age_not_known"},
		"30, under 18":                {"child", "child_age_not_known"},
		"12, not under 18":            {"adult", "adult_age_not_known"},
		"12, under 18":                {"child", "9-17"},
		"20, answer not known":        {"adult", "18-20"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Every band lies within exactly one group, and every group has a band.
	groups := map[string]bool{}
	for _, b := range ByAgeBand.Categories(nil) {
		groups[AgeGroupOfBand(b.Value)] = true
	}
	for _, g := range ByAgeGroup.Categories(nil) {
		if !groups[g.Value] {
			t.Errorf("no age band lies within the group %q", g.Value)
		}
	}
	if parent, of := ByAgeBand.RollsUpInto(); parent != ByAgeGroup || of == nil {
		t.Errorf("age bands do not roll up into age groups")
	}
}

func TestAgeBand(t *testing.T) {
	got := map[int]string{}
	for _, age := range []int{-1, 0, 8, 9, 17, 18, 20, 21, 29, 30, 38, 39, 47, 48, 90} {
		got[age] = AgeBand(age)
	}
	want := map[int]string{-1: "not_known", 0: "0-8", 8: "0-8", 9: "9-17", 17: "9-17", 18: "18-20", 20: "18-20", 21: "21-23",
		29: "27-29", 30: "30-38", 38: "30-38", 39: "39-47", 47: "39-47", 48: "48+", 90: "48+"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
