package waymark

// Answer is a recorded answer to a yes-or-no question. "Not known" and "Prefers not to say" are
// answers in their own right, distinct from AnswerNotRecorded: the question was never asked.
type Answer string

// The answers.
const (
	AnswerNotRecorded     Answer = ""
	AnswerYes             Answer = "yes"
	AnswerNo              Answer = "no"
	AnswerNotKnown        Answer = "not_known"
	AnswerPrefersNotToSay Answer = "prefers_not_to_say"
)

// Answers lists the answers a form offers, in order.
var Answers = []Answer{AnswerYes, AnswerNo, AnswerNotKnown, AnswerPrefersNotToSay}

var answerLabels = map[Answer]string{
	AnswerNotRecorded:     "Not recorded",
	AnswerYes:             "Yes",
	AnswerNo:              "No",
	AnswerNotKnown:        "Not known",
	AnswerPrefersNotToSay: "Prefers not to say",
}

// Valid reports whether a is one of the answers (or not recorded).
func (a Answer) Valid() bool { _, ok := answerLabels[a]; return ok }

// Label is the answer as people read it.
func (a Answer) Label() string { return answerLabels[a] }

// Recorded reports whether the question was answered at all.
func (a Answer) Recorded() bool { return a != AnswerNotRecorded }

// option is a value with its label, for the closed lists of the client record.
type option struct{ value, label string }

// optionSet is a closed list of values, in display order.
type optionSet []option

func (s optionSet) valid(v string) bool {
	for _, o := range s {
		if o.value == v {
			return true
		}
	}
	return false
}

func (s optionSet) label(v string) string {
	for _, o := range s {
		if o.value == v {
			return o.label
		}
	}
	if v == "" {
		return "Not recorded"
	}
	return v
}

// Option is a value and its label, for forms.
type Option struct{ Value, Label string }

func (s optionSet) options() []Option {
	out := make([]Option, len(s))
	for i, o := range s {
		out[i] = Option{o.value, o.label}
	}
	return out
}
