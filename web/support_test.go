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

// supportPageData is the support page filled in, for the render tests.
func supportPageData(l Layout, f Form) SupportPage {
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	return SupportPage{Layout: l, Client: &waymark.Client{ID: "c1", GivenName: "Ion"},
		Actions: []*waymark.SupportAction{
			{ID: "s1", ClientID: "c1", Type: "safe_house", ProviderOrgName: "Harbour <Street> Outreach", Start: "2026-11-01", Outcome: "ongoing", RecordedAt: now, Version: 1},
			{ID: "s2", ClientID: "c1", Type: "healthcare_gp", ProviderName: "Park <Lane> Surgery", Start: "2026-10-01", End: "2026-10-02", RecordedAt: now, Version: 3},
		},
		Episodes: []*waymark.HomelessnessEpisode{{ID: "e1", ClientID: "c1", Situation: "rough_sleeping", From: "2025-01-10", To: "2025-06-01", RecordedAt: now},
			{ID: "e2", ClientID: "c1", Situation: "hostel", From: "2025-06-01", RecordedAt: now}},
		SupportForm: f, EpisodeForm: Form{Values: url.Values{"from": {"kept <from>"}}, Errs: map[string]string{"from": "Enter the date"}},
		Types: waymark.SupportTypeOptions(), Outcomes: waymark.SupportOutcomeOptions(), Situations: waymark.SituationOptions(), CanEdit: true}
}

func TestSupportPageRenders(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	l := Layout{Title: "Title", Nonce: "n0nce"}
	f := Form{Values: url.Values{"type": {"counselling"}, "provider_name": {"kept <provider>"}}, Errs: map[string]string{"start": "Enter the date the support started"}}
	render := func(t *testing.T, p SupportPage) string {
		t.Helper()
		w := httptest.NewRecorder()
		if err := s.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, "support", p); err != nil {
			t.Fatal(err)
		}
		body := w.Body.String()
		if strings.Contains(body, "ZgotmplZ") || strings.Contains(body, "<Street>") || strings.Contains(body, "<Lane>") {
			t.Error("the page has a refused or unescaped value")
		}
		return body
	}
	t.Run("the log, the history and the forms with their input", func(t *testing.T) {
		body := render(t, supportPageData(l, f))
		for _, want := range []string{"Safe house / victim care contract accommodation", "1 November 2026", "Ongoing", "Park &lt;Lane&gt; Surgery",
			"2 October 2026", "Rough sleeping", "10 January 2025", `href="/clients/c1/support/s2/edit"`, `value="counselling" selected`,
			"kept &lt;provider&gt;", `id="start-error"`, "kept &lt;from&gt;", `id="from-error"`, `action="/clients/c1/homelessness"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("a role that may not edit sees no forms", func(t *testing.T) {
		p := supportPageData(l, f)
		p.CanEdit = false
		body := render(t, p)
		for _, unwanted := range []string{`action="/clients/c1/support"`, `action="/clients/c1/homelessness"`, "/edit"} {
			if strings.Contains(body, unwanted) {
				t.Errorf("the read-only page has %q", unwanted)
			}
		}
	})
}
