package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// testConsents is a client's consent history: support given, statistics refused, sharing given
// to two organisations and then withdrawn for one, and another basis for referrals.
func testConsents() *waymark.ConsentHistory {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	records := []*waymark.ConsentRecord{
		{ID: "k1", Purpose: "support", Basis: "consent", Decision: "given", On: "2026-11-01", HowExplained: "With an <interpreter>", RecordedByName: "Ada", RecordedAt: at},
		{ID: "k2", Purpose: "statistics", Basis: "consent", Decision: "refused", On: "2026-11-01", RecordedByName: "Ada", RecordedAt: at},
		{ID: "k3", Purpose: "sharing", Basis: "consent", Decision: "given", OrgIDs: []string{"police", "council"}, OrgNames: []string{"Northmoor <Police>", "Council"},
			On: "2026-11-02", HowExplained: "Leaflet", RecordedByName: "Ada", RecordedAt: at},
		{ID: "k4", Purpose: "sharing", Basis: "consent", Decision: "withdrawn", OrgIDs: []string{"police"}, OrgNames: []string{"Northmoor <Police>"}, On: "2026-11-20",
			RecordedByName: "Ada", RecordedAt: at},
		{ID: "k5", Purpose: "referral", Basis: "safeguarding", On: "2026-11-21", Justification: "At <risk> from the gang", DecidedBy: "Sam, lead", RecordedByName: "Sam", RecordedAt: at},
	}
	return &waymark.ConsentHistory{Client: &waymark.Client{ID: "c1", GivenName: "Ion"}, Records: records, Position: waymark.ConsentPositionOf(records, "2026-11-27")}
}

func consentPageData(l Layout, f Form) ConsentPage {
	h := testConsents()
	return ConsentPage{Layout: l, History: h, Newest: []*waymark.ConsentRecord{h.Records[4], h.Records[3], h.Records[2], h.Records[1], h.Records[0]}, Form: f,
		Bases: waymark.LawfulBasisOptions(), Purposes: waymark.ConsentPurposeOptions(), Decisions: waymark.ConsentDecisionOptions(),
		Organisations: []waymark.Option{{Value: "police", Label: "Northmoor Police"}}, ShareOrganisations: []waymark.Option{{Value: "police", Label: "Northmoor Police"}},
		CanEdit: true, CanOverride: true}
}

func TestConsentPageRenders(t *testing.T) {
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Title", Nonce: "n0nce"}
	t.Run("the position, the history and the form, every value escaped", func(t *testing.T) {
		body := renderPage(t, s, "consent", consentPageData(l, Form{Values: url.Values{"basis": {"consent"}}}))
		for _, want := range []string{"Consent given", "Consent refused", "Consent withdrawn", "Another lawful basis", "Northmoor &lt;Police&gt;: <strong",
			"Left out of statistics", "1 purpose rests on a lawful basis other than consent", "Explained: With an &lt;interpreter&gt;", "Why: At &lt;risk&gt;",
			"Decided by Sam, lead", `name="justification"`, `name="decided_by"`, `action="/clients/c1/sharing"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Index(body, "At &lt;risk&gt;") > strings.Index(body, "With an &lt;interpreter&gt;") {
			t.Error("the history is not newest first")
		}
	})
	t.Run("a frontline worker is offered consent only", func(t *testing.T) {
		p := consentPageData(l, Form{})
		p.Bases, p.CanOverride = waymark.LawfulBasisOptions()[:1], false
		body := renderPage(t, s, "consent", p)
		if strings.Contains(body, `name="justification"`) || strings.Contains(body, `value="safeguarding"`) {
			t.Error("a worker who may not record another basis is offered one")
		}
	})
}

func TestConsentFormReads(t *testing.T) {
	v := url.Values{"purpose": {"sharing"}, "basis": {"consent"}, "decision": {"given"}, "org_ids": {"a", "b"}, "on-day": {"20"}, "on-month": {"nov"},
		"on-year": {"2026"}, "how_explained": {"line one\r\nline two"}}
	c, fields := sharingConsentFromForm(v)
	want := waymark.ConsentRecord{Purpose: "sharing", Basis: "consent", Decision: "given", OrgIDs: []string{"a", "b"}, On: "2026-11-20", HowExplained: "line one\nline two"}
	if len(fields) > 0 {
		t.Fatalf("date errors %v", fields)
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("record read (-want +got):\n%s", diff)
	}
	if _, fields := sharingConsentFromForm(url.Values{"on-day": {"31"}, "on-month": {"2"}, "on-year": {"2026"}}); fields["on"] == "" {
		t.Error("31 February accepted")
	}
}
