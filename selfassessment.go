package waymark

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Self-assessment (DOMAIN.md §1, "how does your service measure up?"): a service answers the
// criteria of a framework under each of the recommendations R1 to R7, sees measures computed from
// its own records beside its answers, rates each criterion red, amber or green, and keeps an
// action plan. The framework is versioned data: each assessment records the version it used, and
// a new version never rewrites an old assessment.

//go:embed selfassessment/*.json
var frameworkFiles embed.FS

// RAG is a red, amber or green rating; "" when a criterion is not rated (not applicable, or not
// yet answered with no measure to go on).
type RAG string

// The ratings.
const (
	Red   RAG = "red"
	Amber RAG = "amber"
	Green RAG = "green"
)

// Label is the rating as people read it.
func (r RAG) Label() string {
	switch r {
	case Red:
		return "Red"
	case Amber:
		return "Amber"
	case Green:
		return "Green"
	}
	return "Not rated"
}

// Points is what the rating counts towards a recommendation's score: green 2, amber 1, red 0.
func (r RAG) Points() int {
	switch r {
	case Green:
		return 2
	case Amber:
		return 1
	}
	return 0
}

// The measures Waymark computes from an organisation's own records. See docs/operations.md for
// how each is worked out.
const (
	MeasureTrainingCoverage        = "training_coverage"
	MeasureFieldsRecorded          = "ms_fields_recorded"
	MeasureScreeningRate           = "screening_rate"
	MeasurePackCompleteness        = "pack_completeness"
	MeasureRGMedianDays            = "rg_median_days"
	MeasureFollowUpCompletion      = "follow_up_completion"
	MeasureActiveAgreements        = "active_agreements"
	MeasureConferenceParticipation = "conference_participation"
	MeasureAwarenessSessions       = "awareness_sessions"
)

// measureInfo names each measure and the unit it is in; a framework may use only these.
var measureInfo = map[string]struct {
	name, unit string
}{
	MeasureTrainingCoverage:        {"Training coverage", UnitPercent},
	MeasureFieldsRecorded:          {"Clients with the modern slavery fields recorded", UnitPercent},
	MeasureScreeningRate:           {"Screening rate", UnitPercent},
	MeasurePackCompleteness:        {"Referral pack completeness", UnitPercent},
	MeasureRGMedianDays:            {"Median days to a reasonable grounds decision", UnitDays},
	MeasureFollowUpCompletion:      {"Follow-up completion", UnitPercent},
	MeasureActiveAgreements:        {"Active sharing agreements", UnitCount},
	MeasureConferenceParticipation: {"Case conferences attended", UnitCount},
	MeasureAwarenessSessions:       {"Awareness sessions held", UnitCount},
}

// MeasureName is the measure as people read it.
func MeasureName(key string) string { return measureInfo[key].name }

// Units of a measure.
const (
	UnitPercent = "percent"
	UnitCount   = "count"
	UnitDays    = "days"
)

// Criterion is one question of a framework under a recommendation.
type Criterion struct {
	ID             string `json:"id"`
	Recommendation string `json:"-"`
	Question       string `json:"question"`
	Guidance       string `json:"guidance"`
	// Measure is the key of the measure computed for the criterion, "" when it has none.
	Measure string `json:"measure,omitempty"`
	// Unit, Direction ("higher" or "lower" is better), Green and Amber are set with a measure:
	// green at Green or better, amber at Amber or better, red otherwise.
	Unit      string   `json:"unit,omitempty"`
	Direction string   `json:"direction,omitempty"`
	Green     *float64 `json:"green,omitempty"`
	Amber     *float64 `json:"amber,omitempty"`
}

// Recommendation is one of R1 to R7 with its criteria.
type Recommendation struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Criteria []Criterion `json:"criteria"`
}

// Framework is a version of the self-assessment framework.
type Framework struct {
	Version         string           `json:"version"`
	Title           string           `json:"title"`
	Recommendations []Recommendation `json:"recommendations"`
}

// RecommendationIDs are the recommendations every framework covers, in order.
var RecommendationIDs = []string{"R1", "R2", "R3", "R4", "R5", "R6", "R7"}

// ParseFramework reads and checks a framework file: unknown fields or measure keys, missing or
// inverted thresholds, duplicate criterion IDs and a recommendation missing from R1 to R7 are errors.
func ParseFramework(data []byte) (*Framework, error) {
	var f Framework
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("framework: %w", err)
	}
	if strings.TrimSpace(f.Version) == "" || strings.TrimSpace(f.Title) == "" {
		return nil, fmt.Errorf("framework: a version and a title are needed")
	}
	if len(f.Recommendations) != len(RecommendationIDs) {
		return nil, fmt.Errorf("framework %s: the recommendations must be R1 to R7, in order", f.Version)
	}
	seen := map[string]bool{}
	for i := range f.Recommendations {
		r := &f.Recommendations[i]
		if r.ID != RecommendationIDs[i] {
			return nil, fmt.Errorf("framework %s: recommendation %d is %q, want %s", f.Version, i+1, r.ID, RecommendationIDs[i])
		}
		if strings.TrimSpace(r.Title) == "" || len(r.Criteria) == 0 {
			return nil, fmt.Errorf("framework %s: %s needs a title and at least one criterion", f.Version, r.ID)
		}
		for j := range r.Criteria {
			c := &r.Criteria[j]
			c.Recommendation = r.ID
			if c.ID == "" || seen[c.ID] {
				return nil, fmt.Errorf("framework %s: criterion %q under %s has no ID or a duplicate one", f.Version, c.ID, r.ID)
			}
			seen[c.ID] = true
			if strings.TrimSpace(c.Question) == "" {
				return nil, fmt.Errorf("framework %s: criterion %s has no question", f.Version, c.ID)
			}
			if err := c.checkMeasure(); err != nil {
				return nil, fmt.Errorf("framework %s: criterion %s: %w", f.Version, c.ID, err)
			}
		}
	}
	return &f, nil
}

func (c *Criterion) checkMeasure() error {
	if c.Measure == "" {
		if c.Unit != "" || c.Direction != "" || c.Green != nil || c.Amber != nil {
			return fmt.Errorf("thresholds are given without a measure")
		}
		return nil
	}
	info, ok := measureInfo[c.Measure]
	if !ok {
		return fmt.Errorf("unknown measure %q", c.Measure)
	}
	if c.Unit != info.unit {
		return fmt.Errorf("measure %s is in %s, not %q", c.Measure, info.unit, c.Unit)
	}
	if c.Direction != "higher" && c.Direction != "lower" {
		return fmt.Errorf("direction must be higher or lower")
	}
	if c.Green == nil || c.Amber == nil {
		return fmt.Errorf("a measure needs green and amber thresholds")
	}
	if c.Direction == "higher" && *c.Green < *c.Amber || c.Direction == "lower" && *c.Green > *c.Amber {
		return fmt.Errorf("the green threshold must be better than the amber one")
	}
	return nil
}

var frameworks = func() map[string]*Framework {
	out := map[string]*Framework{}
	names, err := frameworkFiles.ReadDir("selfassessment")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		data, err := frameworkFiles.ReadFile("selfassessment/" + n.Name())
		if err != nil {
			panic(err)
		}
		f, err := ParseFramework(data)
		if err != nil {
			// The files are embedded and checked by a test: a bad one is a build mistake.
			panic(err)
		}
		out[f.Version] = f
	}
	return out
}()

// CurrentFrameworkVersion is the version new assessments use.
const CurrentFrameworkVersion = "2026-1"

// FrameworkByVersion returns the framework of a version, or nil.
func FrameworkByVersion(v string) *Framework { return frameworks[v] }

// CurrentFramework is the framework new assessments use.
func CurrentFramework() *Framework { return frameworks[CurrentFrameworkVersion] }

// Criteria lists every criterion, in order.
func (f *Framework) Criteria() []Criterion {
	var out []Criterion
	for _, r := range f.Recommendations {
		out = append(out, r.Criteria...)
	}
	return out
}

// Measure is the value of a measure for a period, computed from an organisation's records.
type Measure struct {
	Key string `json:"key"`
	// Known is false when there is nothing to measure (NoData says why); the criterion is then
	// rated from the answer alone.
	Known bool    `json:"known"`
	Value float64 `json:"value"`
	// Numerator and Denominator are the counts a percentage is worked out from.
	Numerator   int    `json:"numerator,omitempty"`
	Denominator int    `json:"denominator,omitempty"`
	NoData      string `json:"no_data,omitempty"`
}

// Measures are an organisation's measures for the 12 months to On ("YYYY-MM-DD"), by key.
type Measures struct {
	From   string             `json:"from"`
	On     string             `json:"on"`
	Values map[string]Measure `json:"values"`
}

// Percent returns a measure as a whole percentage of n out of d, or unknown with noData when d is 0.
func Percent(key string, n, d int, noData string) Measure {
	if d == 0 {
		return Measure{Key: key, NoData: noData}
	}
	// Rated unrounded: 89.5% is below a threshold of 90%.
	return Measure{Key: key, Known: true, Value: float64(n) * 100 / float64(d), Numerator: n, Denominator: d}
}

// Text is the measure's value as people read it.
func (m Measure) Text() string {
	if !m.Known {
		if m.NoData != "" {
			return m.NoData
		}
		return "No data"
	}
	switch measureInfo[m.Key].unit {
	case UnitPercent:
		// Shown rounded down, as it is rated: 89.5% reads 89%, not the 90% it does not reach.
		return fmt.Sprintf("%s%% (%d of %d)", formatNumber(math.Floor(m.Value)), m.Numerator, m.Denominator)
	case UnitDays:
		return formatNumber(m.Value) + " days"
	}
	return formatNumber(m.Value)
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (c *Criterion) threshold(v float64) string {
	switch c.Unit {
	case UnitPercent:
		return formatNumber(v) + "%"
	case UnitDays:
		if v == 1 {
			return "1 day"
		}
		return formatNumber(v) + " days"
	}
	return formatNumber(v)
}

// Thresholds writes the criterion's thresholds out, for example "Green at 80% or more, amber at
// 50% or more, red below"; "" when it has no measure.
func (c Criterion) Thresholds() string {
	if c.Measure == "" || c.Green == nil || c.Amber == nil {
		return ""
	}
	if c.Direction == "lower" {
		return fmt.Sprintf("Green at %s or fewer, amber at %s or fewer, red above", c.threshold(*c.Green), c.threshold(*c.Amber))
	}
	return fmt.Sprintf("Green at %s or more, amber at %s or more, red below", c.threshold(*c.Green), c.threshold(*c.Amber))
}

// RateMeasure rates a known measure against the criterion's thresholds; "" when the criterion has
// no measure or the measure is not known.
func (c Criterion) RateMeasure(m Measure) RAG {
	if c.Measure == "" || !m.Known || c.Green == nil || c.Amber == nil {
		return ""
	}
	better := func(v, t float64) bool {
		if c.Direction == "lower" {
			return v <= t
		}
		return v >= t
	}
	switch {
	case better(m.Value, *c.Green):
		return Green
	case better(m.Value, *c.Amber):
		return Amber
	}
	return Red
}

// AssessmentAnswer is a self-reported answer to a criterion.
type AssessmentAnswer string

// The answers.
const (
	AssessUnanswered    AssessmentAnswer = ""
	AssessYes           AssessmentAnswer = "yes"
	AssessPartly        AssessmentAnswer = "partly"
	AssessNo            AssessmentAnswer = "no"
	AssessNotApplicable AssessmentAnswer = "not_applicable"
)

var assessmentAnswers = optionSet{
	{"yes", "Yes"},
	{"partly", "Partly"},
	{"no", "No"},
	{"not_applicable", "Not applicable"},
}

// Valid reports whether a is one of the answers or unanswered.
func (a AssessmentAnswer) Valid() bool { return a == "" || assessmentAnswers.valid(string(a)) }

// Label is the answer as people read it.
func (a AssessmentAnswer) Label() string {
	if a == "" {
		return "Not answered"
	}
	return assessmentAnswers.label(string(a))
}

// AssessmentAnswerOptions lists the answers for forms.
func AssessmentAnswerOptions() []Option { return assessmentAnswers.options() }

// RateAnswer rates a self-reported answer: yes green, partly amber, no red; "" otherwise.
func RateAnswer(a AssessmentAnswer) RAG {
	switch a {
	case AssessYes:
		return Green
	case AssessPartly:
		return Amber
	case AssessNo:
		return Red
	}
	return ""
}

// Rate rates a criterion: from its measure when the measure is known (the records are the
// evidence, whatever the answer: "not applicable" cannot hide a red), otherwise from the answer.
// A criterion with no data answered "not applicable" is not rated.
func (c Criterion) Rate(a AssessmentAnswer, m Measure) RAG {
	if r := c.RateMeasure(m); r != "" {
		return r
	}
	return RateAnswer(a)
}

// ScoreRAG turns a recommendation's score (0 to 2) into a rating: green from 1.5, amber from 0.75.
func ScoreRAG(score float64) RAG {
	switch {
	case score >= 1.5:
		return Green
	case score >= 0.75:
		return Amber
	}
	return Red
}
