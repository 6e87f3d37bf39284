package waymark

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// An organisation's self-assessments: answers to a framework version's criteria with evidence
// notes, the measures (live for a draft, frozen at completion) and the ratings worked out from them.

// MaxEvidence is the longest an evidence note may be, in characters.
const MaxEvidence = 2000

// CriterionAnswer is an organisation's answer to one criterion, with its evidence note.
type CriterionAnswer struct {
	Answer   AssessmentAnswer `json:"answer"`
	Evidence string           `json:"evidence"`
}

// Assessment statuses.
const (
	AssessmentDraft     = "draft"
	AssessmentCompleted = "completed"
)

// Assessment is one self-assessment of an organisation against a framework version.
type Assessment struct {
	ID               string
	OrgID            string
	FrameworkVersion string
	Status           string
	// StartedOn and CompletedOn are London dates; CompletedOn is "" for a draft.
	StartedOn   string
	CompletedOn string
	StartedBy   string
	Answers     map[string]CriterionAnswer
	// Measures are live for a draft (computed when read) and frozen at completion.
	Measures  *Measures
	Version   int
	UpdatedBy string
}

// Framework is the framework version the assessment used.
func (a *Assessment) Framework() *Framework { return FrameworkByVersion(a.FrameworkVersion) }

// Completed reports whether the assessment is completed, and so read-only.
func (a *Assessment) Completed() bool { return a.Status == AssessmentCompleted }

// ValidateAnswers normalises the answers to the criteria of the framework and says how to fix each
// problem; when complete is set, every criterion must be answered. Field keys: answer-<criterion
// ID> and evidence-<criterion ID>.
func ValidateAnswers(f *Framework, answers map[string]CriterionAnswer, complete bool) error {
	fields := map[string]string{}
	for id := range answers {
		if !f.has(id) {
			delete(answers, id)
		}
	}
	for _, c := range f.Criteria() {
		a := answers[c.ID]
		a.Evidence = strings.TrimSpace(strings.ReplaceAll(a.Evidence, "\r\n", "\n"))
		answers[c.ID] = a
		switch {
		case !a.Answer.Valid():
			fields["answer-"+c.ID] = fmt.Sprintf("Choose yes, partly, no or not applicable for %s: %s", c.Recommendation, c.Question)
		case complete && a.Answer == AssessUnanswered:
			fields["answer-"+c.ID] = fmt.Sprintf("Choose yes, partly, no or not applicable for %s: %s You need an answer to every question before completing the assessment", c.Recommendation, c.Question)
		}
		switch n := len([]rune(a.Evidence)); {
		case n > MaxEvidence:
			fields["evidence-"+c.ID] = fmt.Sprintf("The evidence note for %q must be 2,000 characters or fewer: you have written %d. Shorten it, or keep the detail elsewhere and say where", c.Question, n)
		case hasControl(strings.NewReplacer("\n", "", "\t", "").Replace(a.Evidence)):
			fields["evidence-"+c.ID] = "The evidence note must not contain control characters: use plain text"
		}
	}
	return invalid(fields)
}

func (f *Framework) has(id string) bool {
	for _, c := range f.Criteria() {
		if c.ID == id {
			return true
		}
	}
	return false
}

// CriterionResult is a criterion of an assessment with its answer, measure and rating.
type CriterionResult struct {
	Criterion
	CriterionAnswer
	// Measure is set when the criterion has a measure.
	Measure *Measure
	RAG     RAG
}

// RecommendationResult is a recommendation of an assessment: each criterion, and the score
// (green 2, amber 1, red 0, averaged over the rated criteria) with its rating. Rated is 0 and RAG
// "" when no criterion is rated.
type RecommendationResult struct {
	ID, Title string
	Criteria  []CriterionResult
	Score     float64
	Rated     int
	RAG       RAG
}

// ScoreText is the score as people read it, "1.5 of 2", or "Not rated".
func (r RecommendationResult) ScoreText() string {
	if r.Rated == 0 {
		return "Not rated"
	}
	return formatNumber(r.Score) + " of 2"
}

// Results rates every criterion of the assessment and scores each recommendation.
func (a *Assessment) Results() []RecommendationResult {
	f := a.Framework()
	if f == nil {
		return nil
	}
	var out []RecommendationResult
	for _, r := range f.Recommendations {
		rr := RecommendationResult{ID: r.ID, Title: r.Title}
		points := 0
		for _, c := range r.Criteria {
			cr := CriterionResult{Criterion: c, CriterionAnswer: a.Answers[c.ID]}
			var m Measure
			if c.Measure != "" {
				m = Measure{Key: c.Measure, NoData: "Not computed"}
				if a.Measures != nil {
					if v, ok := a.Measures.Values[c.Measure]; ok {
						m = v
					}
				}
				cr.Measure = &m
			}
			cr.RAG = c.Rate(cr.Answer, m)
			if cr.RAG != "" {
				rr.Rated++
				points += cr.RAG.Points()
			}
			rr.Criteria = append(rr.Criteria, cr)
		}
		if rr.Rated > 0 {
			rr.Score = math.Round(float64(points)/float64(rr.Rated)*100) / 100
			rr.RAG = ScoreRAG(rr.Score)
		}
		out = append(out, rr)
	}
	return out
}

// SelfAssessmentService keeps self-assessments and action plans. Reading an organisation's
// assessments needs PermViewAssessment (frontline workers, safeguarding leads, managers and
// organisation admins, own organisation only); starting, answering and completing them and
// changing the action plan need PermManageAssessment (managers). EFORBIDDEN otherwise; another
// organisation's assessment or action is ENOTFOUND. Every change and every read is audited.
type SelfAssessmentService interface {
	// FindAssessments lists the organisation's assessments, newest first, completed ones with
	// their frozen measures, a draft with none. Audited.
	FindAssessments(ctx context.Context, actor Actor) ([]*Assessment, error)
	// FindAssessment reads one assessment, a draft with its measures computed now. ENOTFOUND. Audited.
	FindAssessment(ctx context.Context, actor Actor, id string) (*Assessment, error)
	// StartAssessment starts a draft against the current framework, or returns the draft already
	// open (an organisation has at most one).
	StartAssessment(ctx context.Context, actor Actor) (*Assessment, error)
	// SaveAssessment stores the answers of a draft based on version; with complete set it also
	// freezes the measures as they are today and completes it. EINVALID (with complete, every
	// criterion must be answered); ECONFLICT when it changed since version or is completed.
	SaveAssessment(ctx context.Context, actor Actor, id string, version int, answers map[string]CriterionAnswer, complete bool) (*Assessment, error)
	// FindActions lists the organisation's action plan: open actions first by due date, then the
	// rest. Audited.
	FindActions(ctx context.Context, actor Actor) ([]*PlanAction, error)
	// AddAction adds an action to the plan. EINVALID.
	AddAction(ctx context.Context, actor Actor, p *PlanAction) error
	// UpdateAction changes an action based on version. EINVALID, ENOTFOUND, ECONFLICT.
	UpdateAction(ctx context.Context, actor Actor, id string, version int, p PlanAction) (*PlanAction, error)
	// RegionalComparison works out the region's quartiles per recommendation. Needs
	// PermViewRegionalStats (EFORBIDDEN). The viewer's own organisation's scores are added for
	// those with PermViewAssessment. Audited.
	RegionalComparison(ctx context.Context, actor Actor) (*RegionalComparison, error)
}
