package waymark

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCurrentFramework(t *testing.T) {
	f := CurrentFramework()
	if f == nil {
		t.Fatal("no current framework")
	}
	t.Run("covers R1 to R7 with two to four criteria each", func(t *testing.T) {
		for _, r := range f.Recommendations {
			if n := len(r.Criteria); n < 2 || n > 4 {
				t.Errorf("%s has %d criteria", r.ID, n)
			}
		}
	})
	t.Run("uses every measure", func(t *testing.T) {
		used := map[string]bool{}
		for _, c := range f.Criteria() {
			used[c.Measure] = true
		}
		for k := range measureInfo {
			if !used[k] {
				t.Errorf("measure %s is not used", k)
			}
		}
	})
}

func frameworkJSON(criterion string) string {
	var b strings.Builder
	b.WriteString(`{"version": "t", "title": "Test", "recommendations": [`)
	for i, id := range RecommendationIDs {
		if i > 0 {
			b.WriteString(",")
		}
		c := `{"id": "` + id + `-a", "question": "Q?", "guidance": "G"}`
		if i == 0 && criterion != "" {
			c = criterion
		}
		b.WriteString(`{"id": "` + id + `", "title": "T", "criteria": [` + c + `]}`)
	}
	b.WriteString("]}")
	return b.String()
}

func TestParseFramework(t *testing.T) {
	tests := []struct {
		name, criterion, want string
	}{
		{"accepts a criterion without a measure", "", ""},
		{"accepts a measure with thresholds", `{"id": "x", "question": "Q?", "measure": "screening_rate", "unit": "percent", "direction": "higher", "green": 70, "amber": 40}`, ""},
		{"refuses an unknown measure", `{"id": "x", "question": "Q?", "measure": "happiness", "unit": "percent", "direction": "higher", "green": 70, "amber": 40}`, "unknown measure"},
		{"refuses a missing threshold", `{"id": "x", "question": "Q?", "measure": "screening_rate", "unit": "percent", "direction": "higher", "green": 70}`, "green and amber"},
		{"refuses inverted thresholds", `{"id": "x", "question": "Q?", "measure": "rg_median_days", "unit": "days", "direction": "lower", "green": 40, "amber": 5}`, "better than"},
		{"refuses the wrong unit", `{"id": "x", "question": "Q?", "measure": "rg_median_days", "unit": "percent", "direction": "lower", "green": 5, "amber": 40}`, "is in days"},
		{"refuses a duplicate ID", `{"id": "R2-a", "question": "Q?"}`, "duplicate"},
		{"refuses an unknown field", `{"id": "x", "question": "Q?", "colour": "red"}`, "unknown field"},
		{"refuses thresholds without a measure", `{"id": "x", "question": "Q?", "green": 3}`, "without a measure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFramework([]byte(frameworkJSON(tt.criterion)))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
	t.Run("refuses a missing recommendation", func(t *testing.T) {
		if _, err := ParseFramework([]byte(`{"version": "t", "title": "T", "recommendations": [{"id": "R1", "title": "T", "criteria": [{"id": "a", "question": "Q"}]}]}`)); err == nil {
			t.Fatal("no error")
		}
	})
}

func fp(v float64) *float64 { return &v }

func TestRating(t *testing.T) {
	higher := Criterion{Measure: MeasureTrainingCoverage, Unit: UnitPercent, Direction: "higher", Green: fp(80), Amber: fp(50)}
	lower := Criterion{Measure: MeasureRGMedianDays, Unit: UnitDays, Direction: "lower", Green: fp(5), Amber: fp(30)}
	none := Criterion{}
	known := func(v float64) Measure { return Measure{Known: true, Value: v} }
	tests := []struct {
		name   string
		c      Criterion
		answer AssessmentAnswer
		m      Measure
		want   RAG
	}{
		{"green at the green threshold", higher, AssessNo, known(80), Green},
		{"amber just below green", higher, AssessYes, known(79), Amber},
		{"amber at the amber threshold", higher, "", known(50), Amber},
		{"red below amber", higher, AssessYes, known(49), Red},
		{"lower is better: green at or under", lower, "", known(5), Green},
		{"lower is better: amber at 30", lower, "", known(30), Amber},
		{"lower is better: red above 30", lower, "", known(31), Red},
		{"no data: yes is green", higher, AssessYes, Measure{}, Green},
		{"no data: partly is amber", higher, AssessPartly, Measure{}, Amber},
		{"no data: no is red", higher, AssessNo, Measure{}, Red},
		{"no data and no answer is not rated", higher, "", Measure{}, ""},
		{"no measure: yes is green", none, AssessYes, Measure{}, Green},
		{"a measure with data rates a criterion answered not applicable", higher, AssessNotApplicable, known(20), Red},
		{"not applicable with no data is not rated", higher, AssessNotApplicable, Measure{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Rate(tt.answer, tt.m); got != tt.want {
				t.Errorf("Rate = %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("thresholds are written out", func(t *testing.T) {
		if got, want := higher.Thresholds(), "Green at 80% or more, amber at 50% or more, red below"; got != want {
			t.Errorf("%q, want %q", got, want)
		}
		if got, want := lower.Thresholds(), "Green at 5 days or fewer, amber at 30 days or fewer, red above"; got != want {
			t.Errorf("%q, want %q", got, want)
		}
	})
}

func TestAssessmentResults(t *testing.T) {
	a := &Assessment{FrameworkVersion: CurrentFrameworkVersion, Answers: map[string]CriterionAnswer{
		"r1-sessions": {Answer: AssessNo}, "r1-information": {Answer: AssessYes},
		"r2-coverage": {Answer: AssessYes}, "r2-induction": {Answer: AssessNotApplicable},
	}, Measures: &Measures{Values: map[string]Measure{
		MeasureAwarenessSessions: {Key: MeasureAwarenessSessions, Known: true, Value: 2},
		MeasureTrainingCoverage:  {Key: MeasureTrainingCoverage, NoData: "None counted"},
	}}}
	res := a.Results()
	type got struct {
		ID    string
		Score float64
		Rated int
		RAG   RAG
	}
	var g []got
	for _, r := range res[:3] {
		g = append(g, got{r.ID, r.Score, r.Rated, r.RAG})
	}
	// R1: sessions 2 is amber (1), information yes is green (2): 1.5, green. R2: coverage not
	// known, answered yes: green; induction not applicable. R3: nothing answered or known.
	want := []got{{"R1", 1.5, 2, Green}, {"R2", 2, 1, Green}, {"R3", 0, 0, ""}}
	if d := cmp.Diff(want, g); d != "" {
		t.Errorf("scores (-want +got):\n%s", d)
	}
}

func TestValidateAnswers(t *testing.T) {
	f := CurrentFramework()
	t.Run("a draft may leave criteria unanswered", func(t *testing.T) {
		if err := ValidateAnswers(f, map[string]CriterionAnswer{"r1-sessions": {Answer: AssessYes}}, false); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("completing needs every answer", func(t *testing.T) {
		fields := ErrorFields(ValidateAnswers(f, map[string]CriterionAnswer{"r1-sessions": {Answer: AssessYes}}, true))
		if _, ok := fields["answer-r7-routes"]; !ok || len(fields) != len(f.Criteria())-1 {
			t.Fatalf("fields = %v", fields)
		}
	})
	t.Run("a long evidence note is refused with its length", func(t *testing.T) {
		fields := ErrorFields(ValidateAnswers(f, map[string]CriterionAnswer{"r1-sessions": {Evidence: strings.Repeat("a", 2001)}}, false))
		if !strings.Contains(fields["evidence-r1-sessions"], "2001") {
			t.Fatalf("fields = %v", fields)
		}
	})
	t.Run("an unknown answer is refused", func(t *testing.T) {
		fields := ErrorFields(ValidateAnswers(f, map[string]CriterionAnswer{"r1-sessions": {Answer: "maybe"}}, false))
		if fields["answer-r1-sessions"] == "" {
			t.Fatalf("fields = %v", fields)
		}
	})
}

func TestComputeQuartiles(t *testing.T) {
	got := ComputeQuartiles([]float64{2, 0, 1, 1.5, 0.5})
	if d := cmp.Diff(Quartiles{Lower: 0.5, Median: 1, Upper: 1.5}, got); d != "" {
		t.Error(d)
	}
	got = ComputeQuartiles([]float64{1, 2})
	if d := cmp.Diff(Quartiles{Lower: 1.25, Median: 1.5, Upper: 1.75}, got); d != "" {
		t.Error(d)
	}
	// Each figure is blurred to the nearest quarter point: no organisation's exact score shows.
	got = ComputeQuartiles([]float64{0.33, 0.67, 1.33, 1.6, 1.9})
	if d := cmp.Diff(Quartiles{Lower: 0.75, Median: 1.25, Upper: 1.5}, got); d != "" {
		t.Error(d)
	}
}

func TestPlanActionValidate(t *testing.T) {
	p := PlanAction{Text: " ", Owner: "", DueOn: "31/3/2027", Status: "maybe", Recommendation: "R9"}
	fields := ErrorFields(p.Validate())
	for _, k := range []string{"action", "owner", "due_on", "status", "recommendation"} {
		if fields[k] == "" {
			t.Errorf("no message for %s", k)
		}
	}
}

func TestPercentIsRatedAndShownUnrounded(t *testing.T) {
	m := Percent(MeasureTrainingCoverage, 179, 200, "")
	if m.Value != 89.5 {
		t.Errorf("value %v, want 89.5", m.Value)
	}
	if got := m.Text(); got != "89% (179 of 200)" {
		t.Errorf("shown as %q: it must not read as the 90%% it does not reach", got)
	}
	ninety, fifty := 90.0, 50.0
	c := Criterion{Measure: MeasureTrainingCoverage, Unit: UnitPercent, Direction: "higher", Green: &ninety, Amber: &fifty}
	if got := c.RateMeasure(m); got != Amber {
		t.Errorf("89.5%% against green at 90%%: %q, want amber", got)
	}
}
