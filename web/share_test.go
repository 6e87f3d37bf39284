package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"waymark"
)

func testShare() *waymark.CaseShare {
	return &waymark.CaseShare{ID: "s1", ClientID: "c1", OwnerOrgID: "org1", OwnerOrgName: "Harbour <Outreach>", PartnerOrgID: "org2", PartnerOrgName: "Northmoor Police",
		Purpose: "safeguarding", Sections: []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory}, SharedByName: "Sam",
		SharedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
}

func sharedRecordPageData(l Layout) SharedRecordPage {
	return SharedRecordPage{Layout: l, Record: &waymark.SharedRecord{Share: testShare(), Client: &waymark.Client{ID: "c1", GivenName: "Ion", FamilyName: "<Popescu>"},
		History:       &waymark.SharedHistory{Episodes: []waymark.SharedEpisode{{Types: []string{"labour"}, Start: "2025", Narrative: "Car <wash>"}}, RiskLevel: "high", RiskOn: "2026-11-01"},
		Contributions: testContributions()}, NoteForm: Form{Values: url.Values{}}, SupportForm: Form{Values: url.Values{}},
		SupportTypes: waymark.SupportTypeOptions(), Outcomes: waymark.SupportOutcomeOptions()}
}

// testContributions are a partner's note and support, newest first.
func testContributions() []*waymark.ShareContribution {
	at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	return []*waymark.ShareContribution{
		{ID: "k2", ShareID: "s1", PartnerOrgName: "Northmoor <Police>", Kind: waymark.ContributionSupport, SupportType: "police_report", Start: "2026-11-20",
			Outcome: "ongoing", Text: "Statement <taken>", AddedByName: "PC Jones", AddedAt: at},
		{ID: "k1", ShareID: "s1", PartnerOrgName: "Northmoor <Police>", Kind: waymark.ContributionNote, Text: "Seen at <the> station", AddedByName: "PC Jones", AddedAt: at},
	}
}

func TestSharePagesRender(t *testing.T) {
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Title", Nonce: "n0nce"}
	t.Run("the shared record shows the shared sections only, escaped", func(t *testing.T) {
		body := renderPage(t, s, "shared-record", sharedRecordPageData(l))
		for _, want := range []string{"Ion &lt;Popescu&gt;", "Shared by Harbour &lt;Outreach&gt;", `id="identity"`, `id="history"`, "Car &lt;wash&gt;", "High"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		for _, absent := range []string{`id="note-form"`, `id="pathway"`, `id="support"`, `id="move-on"`} {
			if strings.Contains(body, absent) {
				t.Errorf("the page shows a section not shared: %s", absent)
			}
		}
	})
	t.Run("a share that allows it shows what the partner added and the forms to add more", func(t *testing.T) {
		p := sharedRecordPageData(l)
		p.Record.Share.AllowContributions = true
		body := renderPage(t, s, "shared-record", p)
		for _, want := range []string{`id="contributions"`, "Seen at &lt;the&gt; station", "Statement &lt;taken&gt;", "Police report", "PC Jones",
			`action="/shared/s1/notes"`, `action="/shared/s1/support"`, `name="start-day"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})
	t.Run("without identity the person is not named", func(t *testing.T) {
		p := sharedRecordPageData(l)
		p.Record.Client, p.Record.Share.Sections = nil, []waymark.ShareSection{waymark.SectionHistory}
		p.Record.History.Episodes[0].Narrative = ""
		body := renderPage(t, s, "shared-record", p)
		if strings.Contains(body, "Ion") || !strings.Contains(body, "A person supported by Harbour &lt;Outreach&gt;") {
			t.Error("a share without identity names the person")
		}
		list := renderPage(t, s, "shared", SharedListPage{Layout: l, Shares: []*waymark.CaseShare{p.Record.Share}, Names: []string{""}})
		if !strings.Contains(list, `href="/shared/s1"`) || !strings.Contains(list, "A person supported by Harbour") {
			t.Error("the list does not link to the share without naming the person")
		}
	})
	t.Run("the owner's page lists shares with their state and a revoke form", func(t *testing.T) {
		p := consentPageData(l, Form{})
		p.Shares, p.CanShare, p.SharePurposes, p.Sections = []ClientShare{{testShare(), waymark.ShareConsentEnded}}, true, sharePurposeOptions(), waymark.ShareSectionOptions()
		p.AllowOptions, p.Contributions = []waymark.Option{{Value: "yes", Label: "The partner may add"}}, testContributions()
		body := renderPage(t, s, "consent", p)
		for _, want := range []string{`name="share_contributions"`, "Seen at &lt;the&gt; station", "Northmoor &lt;Police&gt;", "Read-only", "Stopped: consent withdrawn", `action="/clients/c1/shares/s1/revoke"`, `name="share_partner"`, `name="share_sections"`, `id="share-form"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, `value="statistics" `) && strings.Contains(body, `name="share_purpose" type="radio" value="statistics"`) {
			t.Error("sharing for statistics is offered")
		}
	})
}
