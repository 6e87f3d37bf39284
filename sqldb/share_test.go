package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// TestCaseSharing walks a share through every state: refused without an agreement or consent,
// shared by sections, seen by the partner field by field, and gone at once when consent is
// withdrawn, the agreement ends, the partner organisation is disabled or the share is revoked.
func TestCaseSharing(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		shares, consents, agreements := sqldb.NewShareService(e.db), sqldb.NewConsentService(e.db), sqldb.NewAgreementService(e.db)
		hostel := e.org(t, "Share Hostel", false)
		police := e.org(t, "Share Police", false)
		bystander := e.org(t, "Share Bystander", false)
		_, worker := e.user(t, hostel, waymark.RoleFrontline)
		_, lead := e.user(t, hostel, waymark.RoleSafeguardingLead)
		_, admin := e.user(t, hostel, waymark.RoleOrgAdmin)
		_, officer := e.user(t, police, waymark.RolePartner)
		_, policeAdmin := e.user(t, police, waymark.RoleOrgAdmin)
		_, outsider := e.user(t, bystander, waymark.RolePartner)
		c := &waymark.Client{GivenName: "Marek", FamilyName: "Nowak", EstimatedAge: 40, ConcernStatus: waymark.ConcernConfirmed, Notes: "NOTES-MARKER",
			Contacts: []waymark.Contact{{Kind: "phone", Value: "CONTACT-MARKER", SafeToContact: waymark.AnswerYes}}}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
		mustOK(t, sqldb.NewExploitationService(e.db).AddEpisode(ctx, worker, c.ID, &waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months",
			Narrative: "HISTORY-MARKER car wash"}))
		_, err := sqldb.NewSupportService(e.db).AddSupport(ctx, worker, c.ID, waymark.SupportAction{Type: "safe_house", ProviderName: "SUPPORT-MARKER", Start: "2026-10-01"})
		mustOK(t, err)
		share := func() *waymark.CaseShare {
			return &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "safeguarding", Sections: []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory}}
		}
		step := func() { e.clock.Advance(time.Minute) }

		t.Run("without an agreement or consent nothing is shared", func(t *testing.T) {
			err := shares.ShareCase(ctx, lead, c.ID, share())
			if waymark.ErrorCode(err) != waymark.EINVALID || !strings.Contains(waymark.ErrorFields(err)["partner_org_id"], "agreement") {
				t.Errorf("sharing with no agreement: %v", err)
			}
			a := &waymark.DataSharingAgreement{Title: "Hostel and police", OrgIDs: []string{police.ID},
				Purposes: []waymark.SharingPurpose{"safeguarding"}, LawfulBasis: "safeguarding", StartOn: "2026-01-01", EndOn: "2026-12-31", ReviewOn: "2026-06-01",
				Status: waymark.AgreementActive}
			mustOK(t, agreements.CreateAgreement(ctx, admin, a))
			err = shares.ShareCase(ctx, lead, c.ID, share())
			if waymark.ErrorCode(err) != waymark.EINVALID || !strings.Contains(waymark.ErrorFields(err)["partner_org_id"], "agreement") {
				t.Errorf("sharing under an agreement the police have not confirmed: %v", err)
			}
			mustOK(t, agreements.ConfirmAgreement(ctx, policeAdmin, a.ID, 1))
			err = shares.ShareCase(ctx, lead, c.ID, share())
			if waymark.ErrorCode(err) != waymark.EINVALID || !strings.Contains(waymark.ErrorFields(err)["partner_org_id"], "consented") {
				t.Errorf("sharing with no consent: %v", err)
			}
		})
		var sh *waymark.CaseShare
		t.Run("with both, a safeguarding lead shares the chosen sections, and only they may", func(t *testing.T) {
			step()
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID}, On: "2026-11-27", HowExplained: "With an interpreter"}))
			wantCode(t, shares.ShareCase(ctx, worker, c.ID, share()), waymark.EFORBIDDEN)
			sh = share()
			mustOK(t, shares.ShareCase(ctx, lead, c.ID, sh))
			list, states, err := shares.FindShares(ctx, worker, c.ID)
			mustOK(t, err)
			if len(list) != 1 || states[0] != waymark.ShareActive || list[0].PartnerOrgName != "Share Police" {
				t.Errorf("the client's shares %+v %v; want one, active, with the police", list, states)
			}
		})
		seen := func(t *testing.T, a waymark.Actor) (*waymark.SharedRecord, error) {
			t.Helper()
			return shares.FindSharedRecord(ctx, a, sh.ID)
		}
		t.Run("the partner sees exactly the shared sections", func(t *testing.T) {
			rec, err := seen(t, officer)
			mustOK(t, err)
			if rec.Client == nil || rec.Client.DisplayName() != "Marek Nowak" || rec.History == nil || len(rec.History.Episodes) != 1 ||
				!strings.Contains(rec.History.Episodes[0].Narrative, "HISTORY-MARKER") {
				t.Fatalf("the shared record lacks a shared section: %+v", rec)
			}
			if rec.Client.Notes != "" || len(rec.Client.Contacts) != 0 || rec.Support != nil || rec.Pathway != nil || rec.MoveOn != nil {
				t.Errorf("the shared record shows what was not shared: %+v", rec)
			}
			list, names, total, err := shares.FindSharedWithMe(ctx, officer, waymark.Page{})
			mustOK(t, err)
			if diff := cmp.Diff([]string{"Marek Nowak"}, names); diff != "" || len(list) != 1 || total != 1 {
				t.Errorf("the partner's list (-want +got):\n%s", diff)
			}
			_, err = seen(t, outsider)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = seen(t, worker)
			wantCode(t, err, waymark.ENOTFOUND)
			// The owner's log says who has seen the record.
			var byPolice int
			for _, x := range e.entriesFor(t, hostel.ID, waymark.AuditSharedRecordViewed) {
				if x.ObjectID == c.ID && strings.Contains(x.Detail, police.ID) {
					byPolice++
				}
			}
			if byPolice != 1 {
				t.Errorf("%d reads by the police in the hostel's log; want 1", byPolice)
			}
			views, err := shares.FindRecordViews(ctx, worker, c.ID)
			mustOK(t, err)
			if len(views) != 2 || views[0].OrgName != "Share Police" || views[0].UserName == "" || !views[0].Listed || views[1].Listed {
				t.Errorf("who has seen the record: %+v; want the police officer's read and, after it, the list naming him", views)
			}
			_, err = shares.FindRecordViews(ctx, officer, c.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
			noNames(t, e.auditEntries(t, waymark.AuditFilter{OrgID: police.ID}), "Marek", "MARKER")
		})
		t.Run("withdrawn consent stops it at once, and consent given again restarts it", func(t *testing.T) {
			step()
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{police.ID}, On: "2026-11-27"}))
			_, err := seen(t, officer)
			wantCode(t, err, waymark.ENOTFOUND)
			if list, _, total, _ := shares.FindSharedWithMe(ctx, officer, waymark.Page{}); len(list) != 0 || total != 0 {
				t.Errorf("the partner still lists %d shares after consent was withdrawn", len(list))
			}
			_, states, _ := shares.FindShares(ctx, worker, c.ID)
			if states[0] != waymark.ShareConsentEnded {
				t.Errorf("the owner sees the share as %s; want stopped for consent", states[0])
			}
			step()
			mustOK(t, consents.RecordConsent(ctx, lead, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisSafeguarding,
				OrgIDs: []string{police.ID}, On: "2026-11-27", Justification: "At immediate risk; the police must know now", DecidedBy: "The safeguarding lead"}))
			_, err = seen(t, officer)
			mustOK(t, err)
		})
		t.Run("an agreement that ends stops it the next day", func(t *testing.T) {
			e.clock.Advance(40 * 24 * time.Hour) // into 2027, past the agreement's end
			_, err := seen(t, officer)
			wantCode(t, err, waymark.ENOTFOUND)
			_, states, _ := shares.FindShares(ctx, worker, c.ID)
			if states[0] != waymark.ShareNoAgreement {
				t.Errorf("the owner sees the share as %s; want stopped for want of an agreement", states[0])
			}
			e.clock.Advance(-40 * 24 * time.Hour)
			_, err = seen(t, officer)
			mustOK(t, err)
		})
		t.Run("revoked, it is gone for good, with the reason kept", func(t *testing.T) {
			wantCode(t, shares.RevokeShare(ctx, lead, c.ID, sh.ID, " "), waymark.EINVALID)
			wantCode(t, shares.RevokeShare(ctx, worker, c.ID, sh.ID, "No longer needed"), waymark.EFORBIDDEN)
			mustOK(t, shares.RevokeShare(ctx, lead, c.ID, sh.ID, "REASON-MARKER: case closed"))
			wantCode(t, shares.RevokeShare(ctx, lead, c.ID, sh.ID, "again"), waymark.ECONFLICT)
			_, err := seen(t, officer)
			wantCode(t, err, waymark.ENOTFOUND)
			list, states, err := shares.FindShares(ctx, worker, c.ID)
			mustOK(t, err)
			if states[0] != waymark.ShareRevoked || list[0].RevokeReason != "REASON-MARKER: case closed" {
				t.Errorf("the revoked share reads %+v %s", list[0], states[0])
			}
			var sealed []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT revoke_reason FROM case_shares WHERE id = $1`, sh.ID).Scan(&sealed))
			if strings.Contains(string(sealed), "MARKER") {
				t.Error("the reason is stored in clear")
			}
		})
		t.Run("without who they are, free text stays with the owner; one open share per partner", func(t *testing.T) {
			d := &waymark.Client{GivenName: "Dora", EstimatedAge: 30, ConcernStatus: waymark.ConcernConfirmed}
			mustOK(t, e.clients.CreateClient(ctx, worker, d, nil))
			mustOK(t, sqldb.NewExploitationService(e.db).AddEpisode(ctx, worker, d.ID, &waymark.ExploitationEpisode{Types: []string{"sexual"}, Recency: "past_3_months",
				Narrative: "Dora told us NAMED-MARKER"}))
			_, err := sqldb.NewSupportService(e.db).AddSupport(ctx, worker, d.ID, waymark.SupportAction{Type: "healthcare_gp", Start: "2026-10-01", Notes: "SUPPORTNOTE-MARKER",
				ProviderName: "Safe house at 12 PROVIDER-MARKER Avenue"})
			mustOK(t, err)
			mustOK(t, sqldb.NewJourneyService(e.db).RecordMilestone(ctx, worker, d.ID, &waymark.NRMMilestone{Kind: "recovery_needs_assessment", On: "2026-11-01", Note: "MILESTONE-MARKER"}))
			mustOK(t, consents.RecordConsent(ctx, worker, d.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID}, On: "2026-11-27", HowExplained: "x"}))
			noIdentity := &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "safeguarding",
				Sections: []waymark.ShareSection{waymark.SectionHistory, waymark.SectionPathway, waymark.SectionSupport, waymark.SectionMoveOn}}
			mustOK(t, shares.ShareCase(ctx, lead, d.ID, noIdentity))
			rec, err := shares.FindSharedRecord(ctx, officer, noIdentity.ID)
			mustOK(t, err)
			dump := fmt.Sprintf("%+v %+v %+v %+v %+v", rec.Client, rec.History, rec.Pathway, rec.Support, rec.MoveOn)
			for _, hidden := range []string{"Dora", "MARKER", d.ID} {
				if strings.Contains(dump, hidden) {
					t.Errorf("a share without identity shows %q: %s", hidden, dump)
				}
			}
			if rec.History == nil || len(rec.History.Episodes) != 1 || rec.Pathway == nil || len(rec.Pathway.Milestones) != 1 || rec.Support == nil || rec.MoveOn == nil {
				t.Errorf("a shared section is missing: %s", dump)
			}
			again := &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "safeguarding", Sections: []waymark.ShareSection{waymark.SectionIdentity}}
			wantCode(t, shares.ShareCase(ctx, lead, d.ID, again), waymark.EINVALID)
		})
		t.Run("a disabled partner organisation sees nothing", func(t *testing.T) {
			other := share()
			mustOK(t, shares.ShareCase(ctx, lead, c.ID, other))
			_, err := shares.FindSharedRecord(ctx, officer, other.ID)
			mustOK(t, err)
			_, err = e.orgs.UpdateOrganisation(ctx, system, police.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			_, states, _ := shares.FindShares(ctx, worker, c.ID)
			if states[0] != waymark.ShareOrganisationOff {
				t.Errorf("the owner sees the share with a disabled organisation as %s", states[0])
			}
		})
	})
}

// TestSharedWithMePages lists many shares with one partner, from two organisations, some of them
// stopped: the list counts and pages only the active ones, newest first, each once.
func TestSharedWithMePages(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		shares, consents, agreements := sqldb.NewShareService(e.db), sqldb.NewConsentService(e.db), sqldb.NewAgreementService(e.db)
		police := e.org(t, "Pages Police", false)
		_, officer := e.user(t, police, waymark.RolePartner)
		_, policeAdmin := e.user(t, police, waymark.RoleOrgAdmin)
		type owner struct {
			lead, admin waymark.Actor
			agreement   *waymark.DataSharingAgreement
		}
		owners := make([]*owner, 2)
		for i := range owners {
			org := e.org(t, fmt.Sprintf("Pages Service %d", i), false)
			o := &owner{}
			_, o.lead = e.user(t, org, waymark.RoleSafeguardingLead)
			_, o.admin = e.user(t, org, waymark.RoleOrgAdmin)
			o.agreement = &waymark.DataSharingAgreement{Title: "Service and police", OrgIDs: []string{police.ID}, Purposes: []waymark.SharingPurpose{"safeguarding"},
				LawfulBasis: "safeguarding", StartOn: "2026-01-01", ReviewOn: "2027-06-01", Status: waymark.AgreementActive}
			mustOK(t, agreements.CreateAgreement(ctx, o.admin, o.agreement))
			mustOK(t, agreements.ConfirmAgreement(ctx, policeAdmin, o.agreement.ID, o.agreement.Version))
			owners[i] = o
		}
		// 30 records from the first service, 5 from the second, alternating at first; the newest
		// share is the last made. Four of the first service's people later withdraw consent.
		var want, withdraw []string
		for i := range 35 {
			o := owners[0]
			if i%2 == 1 && i < 10 {
				o = owners[1]
			}
			c := &waymark.Client{GivenName: "Person", FamilyName: fmt.Sprintf("Number%02d", i), EstimatedAge: 30, ConcernStatus: waymark.ConcernConfirmed}
			mustOK(t, e.clients.CreateClient(ctx, o.lead, c, nil))
			mustOK(t, consents.RecordConsent(ctx, o.lead, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID}, On: "2026-11-01", HowExplained: "Explained."}))
			sections := []waymark.ShareSection{waymark.SectionHistory}
			if i%3 == 0 {
				sections = append(sections, waymark.SectionIdentity)
			}
			mustOK(t, shares.ShareCase(ctx, o.lead, c.ID, &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "safeguarding", Sections: sections}))
			e.clock.Advance(time.Minute)
			name := ""
			if i%3 == 0 {
				name = c.DisplayName()
			}
			switch {
			case o == owners[0] && i%10 == 4:
				withdraw = append(withdraw, c.ID)
			case o == owners[0]:
				want = append([]string{c.ID + " " + name}, want...)
			}
		}
		off := *owners[1].agreement
		off.Status = waymark.AgreementSuspended
		mustOK(t, agreements.UpdateAgreement(ctx, owners[1].admin, off.ID, owners[1].agreement.Version, &off))
		for _, id := range withdraw {
			mustOK(t, consents.RecordConsent(ctx, owners[0].lead, id, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{police.ID}, On: "2026-11-20"}))
		}
		var got []string
		for page := 0; ; page++ {
			list, names, total, err := shares.FindSharedWithMe(ctx, officer, waymark.Page{Offset: page * 25, Limit: 25})
			mustOK(t, err)
			if total != len(want) {
				t.Fatalf("page %d counts %d shares, want %d", page, total, len(want))
			}
			for i, sh := range list {
				got = append(got, sh.ClientID+" "+names[i])
			}
			if len(list) < 25 {
				break
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("the pages of shared records (-want +got):\n%s", diff)
		}
	})
}
