package waymark

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// QuestionSet is a published set of screening questions for workers who are not trafficking
// specialists (DOMAIN.md §3). Sets are versioned data, not code: they are stored in the database
// (the HUD HMIS items and the ILO indicators are seeded by a migration), and a region adds its own
// set, or a new version of one, by inserting a row. A version, once used, is never changed, so every
// screening can be read against the exact questions that were asked.
type QuestionSet struct {
	ID string
	// Key names the set across its versions ("hmis-trafficking").
	Key     string
	Name    string
	Version int
	// Questions are asked in this order.
	Questions []Question
}

// Question is one question of a set, with the values its answers may take.
type Question struct {
	Key  string `json:"key"`
	Text string `json:"text"`
	// Hint says when or how to ask it (for example "Ask only if the answer above was yes").
	Hint string `json:"hint,omitempty"`
	// Answers are the answer values offered, in order.
	Answers []string `json:"answers"`
	// Labels are the answers as people read them, in the order of Answers; where missing, the
	// value is shown with its underscores as spaces.
	Labels []string `json:"labels,omitempty"`
	// Concern lists the answers that indicate exploitation: any one of them proposes "suspected".
	Concern []string `json:"concern,omitempty"`
	// Clear lists the answers that rule this question's concern out. Questions with a Clear list
	// must all be answered with one of its values before "no concerns" is proposed; questions
	// without one (follow-ups) never hold that proposal back.
	Clear []string `json:"clear,omitempty"`
}

// Label returns the answer value as people read it.
func (q Question) Label(value string) string {
	for i, a := range q.Answers {
		if a == value && i < len(q.Labels) && q.Labels[i] != "" {
			return q.Labels[i]
		}
	}
	if value == "" {
		return "Not answered"
	}
	s := strings.ReplaceAll(value, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// Options lists the question's answers for forms.
func (q Question) Options() []Option {
	out := make([]Option, len(q.Answers))
	for i, a := range q.Answers {
		out[i] = Option{Value: a, Label: q.Label(a)}
	}
	return out
}

func (q Question) allows(value string) bool {
	for _, a := range q.Answers {
		if a == value {
			return true
		}
	}
	return false
}

// Question returns the set's question with the key, and whether there is one.
func (s *QuestionSet) Question(key string) (Question, bool) {
	for _, q := range s.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// Title is the set's name with its version, as a screening's reason is written ("HMIS v1").
func (s *QuestionSet) Title() string { return fmt.Sprintf("%s v%d", s.Name, s.Version) }

// Screening is one screening conversation: the set and version asked, each answer, who asked and
// when, and the concern status its answers propose. The proposal is only a proposal: the worker
// confirms (or changes) the client's concern status themselves.
type Screening struct {
	ID         string
	ClientID   string
	OrgID      string
	SetID      string
	SetKey     string
	SetName    string
	SetVersion int
	AskedBy    string
	// AskedByName is the asker's name when read back, or empty if the account is gone.
	AskedByName string
	AskedAt     time.Time
	// Answers maps question keys to answer values; questions not asked are absent.
	Answers map[string]string
	// Notes are sealed at rest.
	Notes          string
	ProposedStatus ConcernStatus
}

// MaxScreeningNotes is the longest a screening's notes may be, in bytes.
const MaxScreeningNotes = 5000

// ValidateScreening checks answers and notes against the set and says how to fix each problem:
// every answer must be one of its question's values, unknown question keys are refused, at least
// one question must be answered and the notes may be at most 5,000 characters. Field keys are the
// question keys, "answers" and "notes".
func ValidateScreening(set *QuestionSet, answers map[string]string, notes string) error {
	f := map[string]string{}
	answered := 0
	for key, v := range answers {
		q, ok := set.Question(key)
		switch {
		case !ok:
			f["answers"] = "Answer only the questions of the set: " + Shorten(key, 40) + " is not one of them"
		case v == "":
			// An empty value is a question left unanswered.
		case !q.allows(v):
			f[key] = "Choose one of the answers offered"
		default:
			answered++
		}
	}
	if answered == 0 && len(f) == 0 {
		field := "answers"
		if len(set.Questions) > 0 {
			field = set.Questions[0].Key
		}
		f[field] = "Answer at least one question"
	}
	if len(notes) > MaxScreeningNotes {
		f["notes"] = "Notes must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// Shorten cuts s to n characters and an ellipsis.
func Shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// ProposeConcern says which concern status a screening's answers suggest. It is a pure function of
// the set's data, so a region's own set carries its own rule:
//   - any answer listed in its question's Concern values proposes ConcernSuspected;
//   - otherwise, when every question with Clear values is answered with one of them, ConcernNone;
//   - otherwise ConcernNotYetAsked: the screening was not complete enough to say.
//
// For the seeded HMIS items this means: any "yes" to an exploitation item (exchanging sex,
// being made to have sex with others, fear of leaving work, work that turned out different,
// feeling forced to continue) proposes suspected; "no" to all four main items proposes no
// concerns; anything else (don't know, prefers not to answer, not collected) proposes nothing.
// For the ILO's 11 indicators: one or more indicators observed proposes suspected (the ILO treats
// a single strong indicator as enough to look further, and workers are not the ones to weigh
// them); every indicator answered, none observed ("not observed" or "not known"), proposes no
// concerns.
func ProposeConcern(set *QuestionSet, answers map[string]string) ConcernStatus {
	clear := true
	for _, q := range set.Questions {
		v := answers[q.Key]
		if v != "" && slices.Contains(q.Concern, v) {
			return ConcernSuspected
		}
		if len(q.Clear) > 0 && !slices.Contains(q.Clear, v) {
			clear = false
		}
	}
	if clear {
		return ConcernNone
	}
	return ConcernNotYetAsked
}

// ScreeningService stores question sets and screenings. Screenings belong to a client of the
// actor's organisation; another organisation's client answers ENOTFOUND.
type ScreeningService interface {
	// FindQuestionSets returns the newest version of each question set, ordered by key.
	// EFORBIDDEN for roles without PermViewClients.
	FindQuestionSets(ctx context.Context, actor Actor) ([]*QuestionSet, error)
	// RecordScreening records a screening of the client with the set's answers and notes, proposing
	// a concern status with ProposeConcern. It does not change the client's concern status. Audited.
	// EFORBIDDEN without PermEditClients; ENOTFOUND for a client outside the actor's organisation;
	// EINVALID for an unknown set, wrong answers or notes too long.
	RecordScreening(ctx context.Context, actor Actor, clientID, setID string, answers map[string]string, notes string) (*Screening, error)
	// FindScreenings lists the client's screenings, newest first. Audited as a read.
	// EFORBIDDEN without PermViewClients; ENOTFOUND for a client outside the actor's organisation.
	FindScreenings(ctx context.Context, actor Actor, clientID string) ([]*Screening, error)
}
