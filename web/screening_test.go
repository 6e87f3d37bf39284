package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"waymark"
)

// screeningPageData is the screening page filled in, for the render tests (TestEveryPageTemplateExecutes
// needs it too: its data map should gain "screening": screeningPageData(l, f)).
func screeningPageData(l Layout, f Form) ScreeningPage {
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	set := &waymark.QuestionSet{ID: "hmis-trafficking-v1", Key: "hmis-trafficking", Name: "HMIS <questions>", Version: 1, Questions: []waymark.Question{
		{Key: "exchange_sex", Text: "Exchange?", Hint: "Ask gently", Answers: []string{"no", "yes"}, Labels: []string{"No", "Yes"}},
		{Key: "exchange_sex_times", Text: "How many?", Answers: []string{"1_3", "12_or_more"}},
	}}
	other := &waymark.QuestionSet{ID: "ilo-forced-labour-v1", Key: "ilo-forced-labour", Name: "ILO", Version: 1}
	sc := &waymark.Screening{ID: "s1", ClientID: "c1", SetID: set.ID, SetName: set.Name, SetVersion: 1, AskedByName: "Ada", AskedAt: now,
		Answers: map[string]string{"exchange_sex": "yes"}, ProposedStatus: waymark.ConcernSuspected}
	p := ScreeningPage{Layout: l, Client: &waymark.Client{ID: "c1", GivenName: "Ion"}, Sets: []*waymark.QuestionSet{set, other}, Set: set,
		Screenings: []*waymark.Screening{sc}, Form: f, ConcernStatuses: waymark.ConcernStatusOptions()}
	p.questions()
	return p
}

func TestScreeningPageRenders(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l := Layout{Title: "Title", Nonce: "n0nce", Errors: []FieldError{{Field: "exchange_sex", Message: "Answer at least one question"}}}
	f := Form{Values: url.Values{"exchange_sex": {"yes"}, "notes": {"kept <notes>"}}, Errs: map[string]string{"exchange_sex": "Answer at least one question"}}
	render := func(t *testing.T, p ScreeningPage) string {
		t.Helper()
		w := httptest.NewRecorder()
		if err := s.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, "screening", p); err != nil {
			t.Fatal(err)
		}
		body := w.Body.String()
		if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "HMIS <questions>") {
			t.Error("the page has a refused or unescaped value")
		}
		return body
	}
	t.Run("the form keeps the answers and shows the errors", func(t *testing.T) {
		body := render(t, screeningPageData(l, f))
		for _, want := range []string{`name="set_id" value="hmis-trafficking-v1"`, `id="exchange_sex-1" name="exchange_sex" type="radio" value="yes" checked`,
			`id="exchange_sex-error"`, "kept &lt;notes&gt;", "12 or more", `href="/clients/c1/screening?set=ilo-forced-labour-v1"`, "Suspected", "Ada"} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})
	t.Run("the outcome prefills the concern form", func(t *testing.T) {
		p := screeningPageData(l, Form{Values: url.Values{}})
		p.Outcome = p.Screenings[0]
		p.Confirm = Form{Values: url.Values{"concern_status": {"suspected"}, "reason": {"Proposed by screening: HMIS v1"}}}
		body := render(t, p)
		for _, want := range []string{`action="/clients/c1/concern"`, `value="suspected" checked`, "Proposed by screening: HMIS v1", `id="proposed-status"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the outcome lacks %q", want)
			}
		}
		if strings.Contains(body, `action="/clients/c1/screening"`) {
			t.Error("the outcome also shows the question form")
		}
	})
}
