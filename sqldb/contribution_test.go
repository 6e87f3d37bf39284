package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/sqldb"
)

// sharingSetup is a hostel that keeps a client, and two partners (the police and a charity) that
// an agreement in force covers for safeguarding and the client consented to sharing with.
type sharingSetup struct {
	hostel, police, charity *waymark.Organisation
	worker, lead            waymark.Actor
	officer, helper         waymark.Actor
	client                  *waymark.Client
	agreement               *waymark.DataSharingAgreement
	hostelAdmin             waymark.Actor
}

func newSharingSetup(t *testing.T, e *env) *sharingSetup {
	t.Helper()
	agreements, consents := sqldb.NewAgreementService(e.db), sqldb.NewConsentService(e.db)
	s := &sharingSetup{hostel: e.org(t, "Setup Hostel", false), police: e.org(t, "Setup Police", false), charity: e.org(t, "Setup Charity", false)}
	_, s.worker = e.user(t, s.hostel, waymark.RoleFrontline)
	_, s.lead = e.user(t, s.hostel, waymark.RoleSafeguardingLead)
	_, s.hostelAdmin = e.user(t, s.hostel, waymark.RoleOrgAdmin)
	_, s.officer = e.user(t, s.police, waymark.RolePartner)
	_, s.helper = e.user(t, s.charity, waymark.RoleFrontline)
	_, policeAdmin := e.user(t, s.police, waymark.RoleOrgAdmin)
	_, charityAdmin := e.user(t, s.charity, waymark.RoleOrgAdmin)
	s.agreement = &waymark.DataSharingAgreement{Title: "Hostel, police and charity", OrgIDs: []string{s.police.ID, s.charity.ID},
		Purposes: []waymark.SharingPurpose{"safeguarding"}, LawfulBasis: "safeguarding", StartOn: "2026-01-01", EndOn: "2026-12-31", ReviewOn: "2026-06-01",
		Status: waymark.AgreementActive}
	mustOK(t, agreements.CreateAgreement(ctx, s.hostelAdmin, s.agreement))
	mustOK(t, agreements.ConfirmAgreement(ctx, policeAdmin, s.agreement.ID, 1))
	mustOK(t, agreements.ConfirmAgreement(ctx, charityAdmin, s.agreement.ID, 1))
	s.client = &waymark.Client{GivenName: "Ana", FamilyName: "Pop", EstimatedAge: 30, ConcernStatus: waymark.ConcernConfirmed}
	mustOK(t, e.clients.CreateClient(ctx, s.worker, s.client, nil))
	mustOK(t, consents.RecordConsent(ctx, s.worker, s.client.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
		Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{s.police.ID, s.charity.ID}, On: "2026-11-27", HowExplained: "With an interpreter"}))
	return s
}

// TestShareContributions: a partner adds notes and support only through an active share that
// allows it; the owner sees every partner's, each partner only its own, and a third organisation
// none.
func TestShareContributions(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		s := newSharingSetup(t, e)
		shares := sqldb.NewShareService(e.db)
		contributions := shares
		identity := []waymark.ShareSection{waymark.SectionIdentity}
		readOnly := &waymark.CaseShare{PartnerOrgID: s.charity.ID, Purpose: "safeguarding", Sections: identity}
		mustOK(t, shares.ShareCase(ctx, s.lead, s.client.ID, readOnly))
		open := &waymark.CaseShare{PartnerOrgID: s.police.ID, Purpose: "safeguarding", Sections: identity, AllowContributions: true}
		mustOK(t, shares.ShareCase(ctx, s.lead, s.client.ID, open))
		note := func(text string) *waymark.ShareContribution {
			return &waymark.ShareContribution{Kind: waymark.ContributionNote, Text: text}
		}

		t.Run("a read-only share refuses, saying why", func(t *testing.T) {
			err := contributions.AddContribution(ctx, s.helper, readOnly.ID, note("CHARITY-MARKER"))
			wantCode(t, err, waymark.EFORBIDDEN)
			if !strings.Contains(waymark.ErrorMessage(err), "read-only") {
				t.Errorf("the refusal says %q; want it to say the share is read-only", waymark.ErrorMessage(err))
			}
		})
		t.Run("bad input is refused field by field", func(t *testing.T) {
			for name, k := range map[string]*waymark.ShareContribution{
				"text":         note("  "),
				"kind":         {Kind: "gossip", Text: "x"},
				"support_type": {Kind: waymark.ContributionSupport, SupportType: "teleport", Start: "2026-11-01"},
				"start":        {Kind: waymark.ContributionSupport, SupportType: "police_report", Start: "2099-01-01"},
				"end":          {Kind: waymark.ContributionSupport, SupportType: "police_report", Start: "2026-11-01", End: "2026-10-01"},
				"outcome":      {Kind: waymark.ContributionSupport, SupportType: "police_report", Start: "2026-11-01", Outcome: "great"},
			} {
				err := contributions.AddContribution(ctx, s.officer, open.ID, k)
				if waymark.ErrorFields(err)[name] == "" {
					t.Errorf("%s: %v; want a message on %s", name, err, name)
				}
			}
			err := contributions.AddContribution(ctx, s.officer, open.ID, note(strings.Repeat("x", waymark.MaxContributionText+1)))
			if !strings.Contains(waymark.ErrorFields(err)["text"], "5,000") {
				t.Errorf("an over-long note: %v", err)
			}
		})
		t.Run("the partner adds a note and support, and reads its own back", func(t *testing.T) {
			mustOK(t, contributions.AddContribution(ctx, s.officer, open.ID, note("POLICE-MARKER: spoke to her\nat the station")))
			e.clock.Advance(time.Minute)
			mustOK(t, contributions.AddContribution(ctx, s.officer, open.ID, &waymark.ShareContribution{Kind: waymark.ContributionSupport,
				SupportType: "police_report", Start: "2026-11-20", Outcome: "ongoing", Text: "Statement taken"}))
			rec, err := shares.FindSharedRecord(ctx, s.officer, open.ID)
			mustOK(t, err)
			if len(rec.Contributions) != 2 || rec.Contributions[0].Kind != waymark.ContributionSupport || !strings.Contains(rec.Contributions[1].Text, "POLICE-MARKER") ||
				rec.Contributions[1].PartnerOrgName != "Setup Police" || rec.Contributions[1].AddedByName == "" {
				t.Errorf("the police read back %+v", rec.Contributions)
			}
			var sealed []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT body FROM share_contributions WHERE kind = 'note'`).Scan(&sealed))
			if strings.Contains(string(sealed), "MARKER") {
				t.Error("the note is stored in clear")
			}
			// Audited in the police's log against the share and in the hostel's against the client.
			if n := len(e.entriesFor(t, s.police.ID, waymark.AuditContributionAdded)); n != 2 {
				t.Errorf("%d additions in the police's log; want 2", n)
			}
			for _, x := range e.entriesFor(t, s.hostel.ID, waymark.AuditContributionAdded) {
				if x.ObjectID != s.client.ID || !strings.Contains(x.Detail, s.police.ID) {
					t.Errorf("the hostel's entry %+v", x)
				}
			}
			noNames(t, e.auditEntries(t, waymark.AuditFilter{}), "MARKER", "Statement")
		})
		t.Run("a third organisation never sees them", func(t *testing.T) {
			rec, err := shares.FindSharedRecord(ctx, s.helper, readOnly.ID)
			mustOK(t, err)
			if len(rec.Contributions) != 0 {
				t.Errorf("the charity sees the police's contributions: %+v", rec.Contributions)
			}
			_, err = contributions.FindContributions(ctx, s.helper, s.client.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = contributions.FindContributions(ctx, s.officer, s.client.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
			wantCode(t, contributions.AddContribution(ctx, s.helper, open.ID, note("x")), waymark.ENOTFOUND)
			wantCode(t, contributions.AddContribution(ctx, s.worker, open.ID, note("x")), waymark.ENOTFOUND)
		})
		t.Run("the owner sees every partner's, named, and on the timeline in labels only", func(t *testing.T) {
			list, err := contributions.FindContributions(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			if len(list) != 2 || list[0].PartnerOrgName != "Setup Police" || list[0].AddedByName == "" || !strings.Contains(list[1].Text, "POLICE-MARKER") {
				t.Errorf("the owner reads %+v", list)
			}
			if n := len(e.entriesFor(t, s.hostel.ID, waymark.AuditContributionsViewed)); n != 1 {
				t.Errorf("%d reads of contributions in the hostel's log; want 1", n)
			}
			rec, err := e.clients.FindClientRecord(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			var partner int
			for _, ev := range rec.Timeline {
				if ev.Kind == "Partner" {
					partner++
					if strings.Contains(ev.Summary, "MARKER") || !strings.Contains(ev.By, "Setup Police") {
						t.Errorf("timeline event %+v", ev)
					}
				}
			}
			if partner != 2 {
				t.Errorf("%d partner events on the timeline; want 2", partner)
			}
		})
		t.Run("revoked, the share takes no more", func(t *testing.T) {
			mustOK(t, shares.RevokeShare(ctx, s.lead, s.client.ID, open.ID, "Case closed"))
			wantCode(t, contributions.AddContribution(ctx, s.officer, open.ID, note("late")), waymark.ENOTFOUND)
			list, err := contributions.FindContributions(ctx, s.worker, s.client.ID)
			mustOK(t, err)
			if len(list) != 2 {
				t.Errorf("the owner keeps %d contributions after revoking; want 2", len(list))
			}
		})
	})
}
