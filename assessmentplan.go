package waymark

import (
	"math"
	"sort"
	"strings"
)

// The action plan an organisation keeps from one self-assessment to the next, and the regional
// comparison of the organisations' latest assessments.

// Plan action statuses.
const (
	PlanOpen    = "open"
	PlanDone    = "done"
	PlanDropped = "dropped"
)

var planStatuses = optionSet{{"open", "Open"}, {"done", "Done"}, {"dropped", "Dropped"}}

// PlanStatusOptions lists the statuses of a plan's actions for forms.
func PlanStatusOptions() []Option { return planStatuses.options() }

// StatusLabel is the action's status as people read it.
func (p *PlanAction) StatusLabel() string { return planStatuses.label(p.Status) }

// RecommendationOptions lists R1 to R7 of the current framework for forms.
func RecommendationOptions() []Option {
	var out []Option
	for _, r := range CurrentFramework().Recommendations {
		out = append(out, Option{Value: r.ID, Label: r.ID + ": " + r.Title})
	}
	return out
}

// PlanAction is an action of an organisation's plan. The plan carries over from one assessment to
// the next.
type PlanAction struct {
	ID    string
	OrgID string
	Text  string
	// Owner is the name of the person who sees it done.
	Owner string
	// DueOn is a London date; Recommendation is "" or one of R1 to R7.
	DueOn          string
	Status         string
	Recommendation string
	Version        int
}

// Validate normalises the action and says how to fix each problem. Field keys: action, owner,
// due_on, status, recommendation.
func (p *PlanAction) Validate() error {
	p.Text = strings.TrimSpace(p.Text)
	p.Owner = strings.Join(strings.Fields(p.Owner), " ")
	f := map[string]string{}
	checkText(f, "action", p.Text, "Enter the action, for example Book first responder training for the night team", 500)
	checkText(f, "owner", p.Owner, "Enter the name of the person who will see the action done", 200)
	if !isDate(p.DueOn) {
		f["due_on"] = "Enter the date the action is due as day, month and year, for example 31 3 2027"
	}
	if p.Status == "" {
		p.Status = PlanOpen
	}
	if !planStatuses.valid(p.Status) {
		f["status"] = "Choose open, done or dropped"
	}
	if p.Recommendation != "" && !containsString(RecommendationIDs, p.Recommendation) {
		f["recommendation"] = "Choose one of the recommendations R1 to R7, or none"
	}
	return invalid(f)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Quartiles are the lower quartile, median and upper quartile of a set of scores.
type Quartiles struct {
	Lower, Median, Upper float64
}

// ComputeQuartiles works out the quartiles of the scores (linear interpolation between closest
// ranks, as spreadsheets' QUARTILE.INC does), each rounded to the nearest quarter point: with few
// organisations a quartile is one organisation's own score, which rounding blurs. The scores must
// not be empty.
func ComputeQuartiles(scores []float64) Quartiles {
	s := append([]float64(nil), scores...)
	sort.Float64s(s)
	at := func(p float64) float64 {
		pos := p * float64(len(s)-1)
		i := int(pos)
		v := s[len(s)-1]
		if i+1 < len(s) {
			v = s[i] + (s[i+1]-s[i])*(pos-float64(i))
		}
		return math.Round(v*4) / 4
	}
	return Quartiles{Lower: at(0.25), Median: at(0.5), Upper: at(0.75)}
}

// MinRegionalOrganisations is how many organisations other than the viewer's must have completed
// an assessment before the regional comparison is shown: fewer could let one organisation's scores
// be worked out. The viewer's own organisation is never among them, so that completing assessments
// with different answers cannot move the figures to reveal the others'.
const MinRegionalOrganisations = 5

// RegionalRow is one recommendation's regional figures, with the viewer's own score beside them
// when the viewer belongs to an organisation that has completed an assessment.
type RegionalRow struct {
	ID, Title string
	Quartiles
	// Rated counts the organisations whose latest assessment rated the recommendation.
	Rated Count
	// Own is the viewer's organisation's score; OwnRated is false when it has none.
	Own      float64
	OwnRated bool
	OwnRAG   RAG
}

// HasFigures reports whether enough organisations rated the recommendation for its quartiles to
// be shown.
func (r RegionalRow) HasFigures() bool { return int(r.Rated) >= MinRegionalOrganisations }

// RegionalComparison is the region's picture from each organisation's latest completed
// assessment. Rows is empty unless Organisations reaches MinRegionalOrganisations; no
// organisation is ever named.
type RegionalComparison struct {
	Organisations Count
	Shown         bool
	Rows          []RegionalRow
}
