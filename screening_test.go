package waymark_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

var hmisAnswers = []string{"no", "yes", "client_doesnt_know", "client_prefers_not_to_answer", "data_not_collected"}

// hmisLike and iloLike mirror the rules of the seeded sets (the store tests check the seeded data
// itself): main items with concern "yes" and clear "no", follow-ups with neither; indicators with
// concern "observed" and clear "not_observed" or "not_known".
func hmisLike() *waymark.QuestionSet {
	main := func(k string) waymark.Question {
		return waymark.Question{Key: k, Text: k + "?", Answers: hmisAnswers, Concern: []string{"yes"}, Clear: []string{"no"}}
	}
	return &waymark.QuestionSet{ID: "hmis-v1", Key: "hmis", Name: "HMIS", Version: 1, Questions: []waymark.Question{
		main("exchange_sex"),
		{Key: "exchange_sex_times", Text: "How many?", Answers: []string{"1_3", "4_7", "8_11", "12_or_more"}, Labels: []string{"1 to 3"}},
		main("afraid_to_leave_work"),
		{Key: "forced_to_continue", Text: "Forced?", Answers: hmisAnswers, Concern: []string{"yes"}},
	}}
}

func iloLike() *waymark.QuestionSet {
	set := &waymark.QuestionSet{ID: "ilo-v1", Key: "ilo", Name: "ILO", Version: 1}
	for _, k := range []string{"deception", "isolation", "debt_bondage"} {
		set.Questions = append(set.Questions, waymark.Question{Key: k, Text: k, Answers: []string{"observed", "not_observed", "not_known"},
			Concern: []string{"observed"}, Clear: []string{"not_observed", "not_known"}})
	}
	return set
}

func TestProposeConcern(t *testing.T) {
	t.Parallel()
	type answers = map[string]string
	tests := []struct {
		name    string
		set     *waymark.QuestionSet
		answers answers
		want    waymark.ConcernStatus
	}{
		{"HMIS: one yes to an exploitation item is suspected", hmisLike(), answers{"exchange_sex": "yes", "afraid_to_leave_work": "no"}, waymark.ConcernSuspected},
		{"HMIS: a yes with the others unanswered is suspected", hmisLike(), answers{"afraid_to_leave_work": "yes"}, waymark.ConcernSuspected},
		{"HMIS: yes to the forced follow-up is suspected", hmisLike(), answers{"exchange_sex": "no", "afraid_to_leave_work": "no", "forced_to_continue": "yes"}, waymark.ConcernSuspected},
		{"HMIS: no to every main item is no concerns", hmisLike(), answers{"exchange_sex": "no", "afraid_to_leave_work": "no"}, waymark.ConcernNone},
		{"HMIS: a follow-up count is not a concern by itself", hmisLike(), answers{"exchange_sex": "no", "afraid_to_leave_work": "no", "exchange_sex_times": "1_3"}, waymark.ConcernNone},
		{"HMIS: a main item unanswered proposes nothing", hmisLike(), answers{"exchange_sex": "no"}, waymark.ConcernNotYetAsked},
		{"HMIS: doesn't know proposes nothing", hmisLike(), answers{"exchange_sex": "no", "afraid_to_leave_work": "client_doesnt_know"}, waymark.ConcernNotYetAsked},
		{"HMIS: prefers not to answer proposes nothing", hmisLike(), answers{"exchange_sex": "client_prefers_not_to_answer", "afraid_to_leave_work": "no"}, waymark.ConcernNotYetAsked},
		{"HMIS: nothing answered proposes nothing", hmisLike(), answers{}, waymark.ConcernNotYetAsked},
		{"ILO: one indicator observed is suspected", iloLike(), answers{"deception": "observed"}, waymark.ConcernSuspected},
		{"ILO: several observed is suspected", iloLike(), answers{"deception": "observed", "isolation": "observed", "debt_bondage": "not_known"}, waymark.ConcernSuspected},
		{"ILO: all answered, none observed, is no concerns", iloLike(), answers{"deception": "not_observed", "isolation": "not_known", "debt_bondage": "not_observed"}, waymark.ConcernNone},
		{"ILO: none observed but one unanswered proposes nothing", iloLike(), answers{"deception": "not_observed", "isolation": "not_observed"}, waymark.ConcernNotYetAsked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := waymark.ProposeConcern(tt.set, tt.answers); got != tt.want {
				t.Errorf("ProposeConcern(%v) = %q, want %q", tt.answers, got, tt.want)
			}
		})
	}
}

func TestValidateScreening(t *testing.T) {
	t.Parallel()
	type answers = map[string]string
	tests := []struct {
		name    string
		answers answers
		notes   string
		fields  []string // nil when valid
	}{
		{"one answer is enough", answers{"exchange_sex": "yes"}, "", nil},
		{"a follow-up's own answers are accepted", answers{"exchange_sex_times": "12_or_more"}, "short notes", nil},
		{"empty answers count as unanswered", answers{"exchange_sex": "no", "afraid_to_leave_work": ""}, "", nil},
		{"notes of 5,000 characters are accepted", answers{"exchange_sex": "no"}, strings.Repeat("n", 5000), nil},
		{"nothing answered is refused at the first question", answers{}, "", []string{"exchange_sex"}},
		{"only empty answers is refused", answers{"exchange_sex": ""}, "", []string{"exchange_sex"}},
		{"an answer of another question is refused", answers{"exchange_sex": "1_3"}, "", []string{"exchange_sex"}},
		{"an answer of another set is refused", answers{"exchange_sex": "observed", "afraid_to_leave_work": "no"}, "", []string{"exchange_sex"}},
		{"an unknown question is refused", answers{"exchange_sex": "no", "favourite_colour": "blue"}, "", []string{"answers"}},
		{"notes over 5,000 characters are refused", answers{"exchange_sex": "no"}, strings.Repeat("n", 5001), []string{"notes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := waymark.ValidateScreening(hmisLike(), tt.answers, tt.notes)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("ValidateScreening: %v, want no error", err)
				}
				return
			}
			if code := waymark.ErrorCode(err); code != waymark.EINVALID {
				t.Fatalf("error code %q, want invalid (error %v)", code, err)
			}
			var got []string
			for k, msg := range waymark.ErrorFields(err) {
				got = append(got, k)
				if msg == "" {
					t.Errorf("field %s has no message", k)
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields with errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQuestionLabels(t *testing.T) {
	t.Parallel()
	q := hmisLike().Questions[1]
	got := q.Options()
	want := []waymark.Option{{Value: "1_3", Label: "1 to 3"}, {Value: "4_7", Label: "4 7"}, {Value: "8_11", Label: "8 11"}, {Value: "12_or_more", Label: "12 or more"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Options (-want +got):\n%s", diff)
	}
}
