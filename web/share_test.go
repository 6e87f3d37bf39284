package web

import (
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
		History: &waymark.SharedHistory{Episodes: []waymark.SharedEpisode{{Types: []string{"labour"}, Start: "2025", Narrative: "Car <wash>"}}, RiskLevel: "high", RiskOn: "2026-11-01"}}}
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
		for _, absent := range []string{`id="pathway"`, `id="support"`, `id="move-on"`} {
			if strings.Contains(body, absent) {
				t.Errorf("the page shows a section not shared: %s", absent)
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
		body := renderPage(t, s, "consent", p)
		for _, want := range []string{"Stopped: consent withdrawn", `action="/clients/c1/shares/s1/revoke"`, `name="share_partner"`, `name="share_sections"`, `id="share-form"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, `value="statistics" `) && strings.Contains(body, `name="share_purpose" type="radio" value="statistics"`) {
			t.Error("sharing for statistics is offered")
		}
	})
}
