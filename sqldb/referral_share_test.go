package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/sqldb"
)

// TestReferralSharesOnAcceptance: a safeguarding lead's referral may carry sections of the record
// to share when the recipient accepts. Refused at sending without the permission, an agreement or
// consent; shared on acceptance as chosen, by the referrer; and when the cover lapsed meanwhile,
// accepted without sharing, saying why to both sides.
func TestReferralSharesOnAcceptance(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		s := newSharingSetup(t, e)
		referrals, shares, consents := sqldb.NewReferralService(e.db), sqldb.NewShareService(e.db), sqldb.NewConsentService(e.db)
		_, policeWorker := e.user(t, s.police, waymark.RoleFrontline)
		_, charityWorker := e.user(t, s.charity, waymark.RoleFrontline)
		elsewhere := e.org(t, "Setup Elsewhere", false)
		sections := []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory}
		referral := func(to string) *waymark.Referral {
			return &waymark.Referral{ToOrgID: to, Reason: "Please help", Shared: []waymark.ShareField{waymark.ShareName},
				ShareSections: sections, SharePurpose: "safeguarding"}
		}

		t.Run("refused at sending without the permission, an agreement or consent", func(t *testing.T) {
			wantCode(t, referrals.SendReferral(ctx, s.worker, s.client.ID, referral(s.police.ID)), waymark.EFORBIDDEN)
			err := referrals.SendReferral(ctx, s.lead, s.client.ID, referral(elsewhere.ID))
			if !strings.Contains(waymark.ErrorFields(err)["share_sections"], "agreement") {
				t.Errorf("sharing with an organisation no agreement covers: %v", err)
			}
			noPurpose := referral(s.police.ID)
			noPurpose.SharePurpose = ""
			err = referrals.SendReferral(ctx, s.lead, s.client.ID, noPurpose)
			if waymark.ErrorFields(err)["share_purpose"] == "" {
				t.Errorf("sections without a purpose: %v", err)
			}
			// A plain referral from a frontline worker still goes.
			mustOK(t, referrals.SendReferral(ctx, s.worker, s.client.ID, &waymark.Referral{ToOrgID: s.police.ID, Reason: "Plain", Shared: []waymark.ShareField{waymark.ShareName}}))
		})
		second := referral(s.police.ID)
		t.Run("accepted, the chosen sections are shared by the referrer", func(t *testing.T) {
			r := referral(s.police.ID)
			mustOK(t, referrals.SendReferral(ctx, s.lead, s.client.ID, r))
			mustOK(t, referrals.SendReferral(ctx, s.lead, s.client.ID, second))
			got, err := referrals.ActOnReferral(ctx, policeWorker, r.ID, r.Version, waymark.ReferralAccept, "")
			mustOK(t, err)
			if got.Status != waymark.ReferralAccepted || got.ShareID == "" || got.ShareRefusal != "" {
				t.Fatalf("accepted referral %+v", got)
			}
			list, states, err := shares.FindShares(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			if len(list) != 1 || list[0].ID != got.ShareID || states[0] != waymark.ShareActive || list[0].SharedBy != s.lead.UserID ||
				strings.Join(sectionNames(list[0].Sections), " ") != "identity history" || list[0].Purpose != "safeguarding" {
				t.Errorf("the shares %+v %v", list, states)
			}
			rec, err := shares.FindSharedRecord(ctx, s.officer, got.ShareID)
			mustOK(t, err)
			if rec.Client == nil || rec.History == nil || rec.Support != nil {
				t.Errorf("the police read %+v", rec)
			}
			seen, err := referrals.FindReferral(ctx, policeWorker, r.ID)
			mustOK(t, err)
			if !seen.ShareActive {
				t.Error("the recipient is not shown the shared record")
			}
			var audited bool
			for _, x := range e.entriesFor(t, s.hostel.ID, waymark.AuditCaseShared) {
				// Made by the referrer who chose it: the recipient's staff only accepted.
				audited = audited || x.ObjectID == s.client.ID && strings.Contains(x.Detail, "acceptance of referral "+r.ID) && x.ActorUserID == s.lead.UserID
			}
			if !audited {
				t.Error("the share is not audited against the client in the owner's log, as made by the referrer")
			}
			var theirs bool
			for _, x := range e.entriesFor(t, s.police.ID, waymark.AuditCaseShared) {
				theirs = theirs || x.ObjectID == got.ShareID && x.ActorUserID == policeWorker.UserID
			}
			if !theirs {
				t.Error("the recipient's log does not record the share its acceptance made")
			}
			// Withdrawing the referral leaves the share as it is.
			_, err = referrals.ActOnReferral(ctx, s.lead, r.ID, got.Version, waymark.ReferralWithdraw, "Placed elsewhere")
			mustOK(t, err)
			_, err = shares.FindSharedRecord(ctx, s.officer, got.ShareID)
			mustOK(t, err)
		})
		t.Run("already shared, the acceptance stands and says why nothing more is", func(t *testing.T) {
			got, err := referrals.ActOnReferral(ctx, policeWorker, second.ID, second.Version, waymark.ReferralAccept, "")
			mustOK(t, err)
			if got.Status != waymark.ReferralAccepted || got.ShareID != "" || !strings.Contains(got.ShareRefusal, "already shared") {
				t.Errorf("accepted referral %+v", got)
			}
			// Sent while shared: refused at once.
			err = referrals.SendReferral(ctx, s.lead, s.client.ID, referral(s.police.ID))
			if !strings.Contains(waymark.ErrorFields(err)["share_sections"], "already shared") {
				t.Errorf("sharing again with the police: %v", err)
			}
		})
		t.Run("a sharing revoked after the referral was sent stays revoked when it is accepted", func(t *testing.T) {
			open, _, err := shares.FindShares(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			mustOK(t, shares.RevokeShare(ctx, s.lead, s.client.ID, open[0].ID, "Done for now."))
			r := referral(s.police.ID)
			mustOK(t, referrals.SendReferral(ctx, s.lead, s.client.ID, r))
			e.clock.Advance(time.Minute)
			direct := &waymark.CaseShare{PartnerOrgID: s.police.ID, Purpose: "safeguarding", Sections: sections}
			mustOK(t, shares.ShareCase(ctx, s.lead, s.client.ID, direct))
			e.clock.Advance(time.Minute)
			mustOK(t, shares.RevokeShare(ctx, s.lead, s.client.ID, direct.ID, "Police contact linked to the exploiters."))
			e.clock.Advance(time.Minute)
			got, err := referrals.ActOnReferral(ctx, policeWorker, r.ID, r.Version, waymark.ReferralAccept, "")
			mustOK(t, err)
			if got.ShareID != "" || !strings.Contains(got.ShareRefusal, "stopped sharing") {
				t.Errorf("accepted referral %+v", got)
			}
			list, states, err := shares.FindShares(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			for i, sh := range list {
				if sh.PartnerOrgID == s.police.ID && states[i] == waymark.ShareActive {
					t.Errorf("the police see the record again: %+v", sh)
				}
			}
		})
		t.Run("when the consent lapsed before acceptance, no share is made and both sides see why", func(t *testing.T) {
			r := referral(s.charity.ID)
			mustOK(t, referrals.SendReferral(ctx, s.lead, s.client.ID, r))
			e.clock.Advance(1)
			mustOK(t, consents.RecordConsent(ctx, s.worker, s.client.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{s.charity.ID}, On: "2026-11-27"}))
			got, err := referrals.ActOnReferral(ctx, charityWorker, r.ID, r.Version, waymark.ReferralAccept, "")
			mustOK(t, err)
			if got.Status != waymark.ReferralAccepted || got.ShareID != "" || !strings.HasPrefix(got.ShareRefusal, "Not shared: ") ||
				!strings.Contains(got.ShareRefusal, "consent") {
				t.Errorf("accepted referral %+v", got)
			}
			sent, err := referrals.FindReferral(ctx, s.lead, r.ID)
			mustOK(t, err)
			if sent.ShareRefusal != got.ShareRefusal {
				t.Errorf("the referrer reads %q", sent.ShareRefusal)
			}
			err = referrals.SendReferral(ctx, s.lead, s.client.ID, referral(s.charity.ID))
			if !strings.Contains(waymark.ErrorFields(err)["share_sections"], "consented") {
				t.Errorf("sending to the charity without consent: %v", err)
			}
			list, _, err := shares.FindShares(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			for _, sh := range list {
				if sh.PartnerOrgID == s.charity.ID {
					t.Errorf("shared with the charity after its consent was withdrawn: %+v", sh)
				}
			}
		})
	})
}

func sectionNames(sections []waymark.ShareSection) []string {
	out := make([]string, len(sections))
	for i, x := range sections {
		out[i] = string(x)
	}
	return out
}
