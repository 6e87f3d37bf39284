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

// referralData is a referral with every field filled, for the render tests.
func referralData(now time.Time) *waymark.Referral {
	return &waymark.Referral{ID: "r1", ClientID: "c1", FromOrgID: "org1", FromOrgName: "Harbour <Street> Outreach", ToOrgID: "org2", ToOrgName: "Freedom Trust",
		Reason: "Needs advice", Shared: []waymark.ShareField{waymark.ShareName, waymark.ShareLanguages, waymark.ShareSafeContacts},
		Snapshot: waymark.ReferralSnapshot{GivenName: "Ion", FamilyName: "Popescu", Languages: []string{"ro"}, InterpreterNeeded: waymark.AnswerYes,
			SafeContacts: []waymark.SharedContact{{Kind: "phone", Value: "07700 900001"}}},
		Status: waymark.ReferralDeclined, SentByName: "Ada", SentAt: now, DeclinedAt: &now, DeclinedByName: "Bo", DeclineReason: "No capacity", Version: 2,
		ShareSections: []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory}, SharePurpose: "safeguarding", ShareID: "s1", ShareActive: true}
}

// TestReferralPagesRenderStoredXSSInert renders every referral page with markup in each free-text
// field another organisation writes: the reason, the decline and withdrawal reasons, the shared values.
func TestReferralPagesRenderStoredXSSInert(t *testing.T) {
	s, err := New(Services{}, Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	ref := referralData(now)
	ref.Reason, ref.DeclineReason, ref.WithdrawReason = xss, xss, xss
	ref.WithdrawnAt = &now
	ref.Snapshot.GivenName, ref.Snapshot.SafeContacts[0].Value = xss, xss
	org := &waymark.Organisation{ID: "org2", Name: "Freedom Trust"}
	user := &waymark.User{ID: "u1", OrgID: "org2", Name: "Ada", Role: waymark.RoleFrontline}
	l := Layout{Title: "Referral", Nonce: "n0nce", Identity: &waymark.Identity{User: user, Organisation: org}, Nav: navFor(user.Role, "/referrals")}
	client := &waymark.Client{ID: "c1", GivenName: "Ion"}
	pages := map[string]any{
		"referral":  ReferralPage{Layout: l, Referral: ref, Party: waymark.PartyRecipient, Form: Form{Values: url.Values{"reason": {xss}}}, CanDecline: true},
		"referrals": InboundPage{Layout: l, Referrals: []*waymark.Referral{ref}, Filters: waymark.ReferralFilterOptions()},
		"client-referrals": ClientReferralsPage{Layout: l, Client: client, Referrals: []*waymark.Referral{ref}, Preview: ref.Items(), CanEdit: true,
			Form: Form{Values: url.Values{"reason": {xss}}}, CanShare: true, Sections: waymark.ShareSectionOptions(), SharePurposes: sharePurposeOptions()},
	}
	for name, data := range pages {
		t.Run(name+" shows the markup as text", func(t *testing.T) {
			w := httptest.NewRecorder()
			if err := s.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, name, data); err != nil {
				t.Fatal(err)
			}
			body := w.Body.String()
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
				t.Errorf("%s renders the stored markup live", name)
			}
			if !strings.Contains(body, "&lt;script&gt;alert(") {
				t.Errorf("%s does not show the stored text at all", name)
			}
		})
	}
	if got := navFor(waymark.RoleFrontline, "/referrals/r1"); !hasNav(got, "/referrals", true) {
		t.Errorf("a frontline worker's navigation lacks an active Referrals item: %+v", got)
	}
	for _, role := range []waymark.Role{waymark.RoleOrgAdmin, waymark.RolePartner, waymark.RoleAnalyst, waymark.RoleSystemAdmin} {
		if hasNav(navFor(role, "/home"), "/referrals", false) {
			t.Errorf("%s is offered Referrals, which it may not use", role)
		}
	}
}

func hasNav(items []NavItem, href string, active bool) bool {
	for _, it := range items {
		if it.Href == href && (!active || it.Active) {
			return true
		}
	}
	return false
}
