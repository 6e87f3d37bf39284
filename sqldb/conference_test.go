package sqldb_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// TestConferences walks a case conference through its life: chaired and attended, a case put on
// the agenda only when shared with every attendee or marked for discussion without sharing,
// minutes and actions seen only by organisations that may see the case, and hidden at once when
// the share is revoked or consent withdrawn.
func TestConferences(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		confs, shares, consents, agreements := sqldb.NewConferenceService(e.db), sqldb.NewShareService(e.db), sqldb.NewConsentService(e.db), sqldb.NewAgreementService(e.db)
		hostel := e.org(t, "Conf Hostel", false)
		police := e.org(t, "Conf Police", false)
		council := e.org(t, "Conf Council", false)
		outside := e.org(t, "Conf Outside", false)
		_, worker := e.user(t, hostel, waymark.RoleFrontline)
		_, lead := e.user(t, hostel, waymark.RoleSafeguardingLead)
		_, admin := e.user(t, hostel, waymark.RoleOrgAdmin)
		_, officer := e.user(t, police, waymark.RolePartner)
		_, policeAdmin := e.user(t, police, waymark.RoleOrgAdmin)
		_, councilManager := e.user(t, council, waymark.RoleManager)
		_, councilAdmin := e.user(t, council, waymark.RoleOrgAdmin)
		_, stranger := e.user(t, outside, waymark.RolePartner)
		_, hostelPartner := e.user(t, hostel, waymark.RolePartner)
		step := func() { e.clock.Advance(time.Minute) }

		// The hostel shares with the police (with who they are) under a confirmed agreement; the
		// council gets nothing.
		ag := &waymark.DataSharingAgreement{Title: "Panel", OrgIDs: []string{police.ID, council.ID}, Purposes: []waymark.SharingPurpose{"case_conference"},
			LawfulBasis: "safeguarding", StartOn: "2026-01-01", ReviewOn: "2027-06-01", Status: waymark.AgreementActive}
		mustOK(t, agreements.CreateAgreement(ctx, admin, ag))
		mustOK(t, agreements.ConfirmAgreement(ctx, policeAdmin, ag.ID, 1))
		mustOK(t, agreements.ConfirmAgreement(ctx, councilAdmin, ag.ID, 1))
		c := &waymark.Client{GivenName: "Ines", FamilyName: "Varga", EstimatedAge: 30, ConcernStatus: waymark.ConcernConfirmed}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))
		mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
			Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID}, On: "2026-11-27", HowExplained: "In person"}))
		sh := &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "case_conference", Sections: []waymark.ShareSection{waymark.SectionIdentity}}
		mustOK(t, shares.ShareCase(ctx, lead, c.ID, sh))

		conf := &waymark.Conference{Title: "Panel", HeldOn: "2026-12-03", AttendingOrgIDs: []string{hostel.ID}}
		t.Run("bad input is refused with a message for each field", func(t *testing.T) {
			err := confs.CreateConference(ctx, officer, &waymark.Conference{HeldOn: "2026-13-01"})
			got := waymark.ErrorFields(err)
			if got["title"] == "" || got["held_on"] == "" || got["org_ids"] == "" {
				t.Errorf("fields %v; want title, held_on and org_ids", got)
			}
		})
		t.Run("the police chair a conference the hostel and council attend", func(t *testing.T) {
			wantCode(t, confs.CreateConference(ctx, worker, conf), waymark.EFORBIDDEN)
			conf.AttendingOrgIDs = []string{hostel.ID, council.ID}
			mustOK(t, confs.CreateConference(ctx, officer, conf))
			got, err := confs.FindConference(ctx, councilManager, conf.ID)
			mustOK(t, err)
			if diff := cmp.Diff([]string{"Conf Police", "Conf Hostel", "Conf Council"}, got.Conference.AttendingOrgNames); diff != "" {
				t.Errorf("attendees (-want +got):\n%s", diff)
			}
		})
		t.Run("anyone not attending finds no conference", func(t *testing.T) {
			_, err := confs.FindConference(ctx, stranger, conf.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = confs.FindConference(ctx, worker, conf.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			list, err := confs.FindConferences(ctx, stranger)
			mustOK(t, err)
			if len(list) != 0 {
				t.Errorf("a stranger lists %d conferences", len(list))
			}
			wantCode(t, confs.UpdateConference(ctx, stranger, conf.ID, 1, &waymark.Conference{Title: "x", HeldOn: "2026-12-03"}), waymark.ENOTFOUND)
		})
		t.Run("only the chair changes it, at the current version", func(t *testing.T) {
			u := &waymark.Conference{Title: "Panel December", HeldOn: "2026-12-04", AttendingOrgIDs: []string{hostel.ID, council.ID}}
			wantCode(t, confs.UpdateConference(ctx, councilManager, conf.ID, 1, u), waymark.EFORBIDDEN)
			mustOK(t, confs.UpdateConference(ctx, officer, conf.ID, 1, u))
			wantCode(t, confs.UpdateConference(ctx, officer, conf.ID, 1, u), waymark.ECONFLICT)
			if u.Version != 2 {
				t.Errorf("version %d; want 2", u.Version)
			}
		})
		t.Run("a case not shared with every attendee is refused, naming who lacks a share", func(t *testing.T) {
			err := confs.AddCase(ctx, lead, conf.ID, c.ID, false, "")
			if msg := waymark.ErrorFields(err)["conference_id"]; !strings.Contains(msg, "Conf Council") || strings.Contains(msg, "Conf Police") {
				t.Errorf("adding a case the council cannot see: %v %q", err, msg)
			}
			wantCode(t, confs.AddCase(ctx, worker, conf.ID, c.ID, true, "reason"), waymark.EFORBIDDEN)
			err = confs.AddCase(ctx, lead, conf.ID, c.ID, true, " ")
			if waymark.ErrorFields(err)["reason"] == "" {
				t.Errorf("without sharing and without a reason: %v", err)
			}
		})
		t.Run("marked for discussion without sharing, it goes on, labelled for each attendee", func(t *testing.T) {
			step()
			mustOK(t, confs.AddCase(ctx, lead, conf.ID, c.ID, true, "The council must plan housing; consent to share with it is being sought"))
			wantCode(t, confs.AddCase(ctx, lead, conf.ID, c.ID, true, "again"), waymark.ECONFLICT)
			labels := map[string]string{}
			for name, a := range map[string]waymark.Actor{"hostel": lead, "police": officer, "council": councilManager} {
				d, err := confs.FindConference(ctx, a, conf.ID)
				mustOK(t, err)
				labels[name] = d.Cases[0].Label()
				if name == "council" && (d.Cases[0].ClientID != "" || d.Cases[0].Reason != "") {
					t.Errorf("the council sees the client ID %q or the reason %q", d.Cases[0].ClientID, d.Cases[0].Reason)
				}
			}
			want := map[string]string{"hostel": "Ines Varga", "police": "Ines Varga", "council": "A case from Conf Hostel, not shared with your organisation"}
			if diff := cmp.Diff(want, labels); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
		})
		t.Run("partner staff of the owner, who see none of its records, see the case as not shared with them", func(t *testing.T) {
			d, err := confs.FindConference(ctx, hostelPartner, conf.ID)
			mustOK(t, err)
			if l := d.Cases[0].Label(); l != "A case from Conf Hostel, not shared with your organisation" || d.Cases[0].ClientID != "" {
				t.Errorf("the hostel's partner user sees the case as %q (client %q)", l, d.Cases[0].ClientID)
			}
			_, err = confs.FindConferenceCase(ctx, hostelPartner, conf.ID, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("minutes and actions are written and read by those who may see the case", func(t *testing.T) {
			step()
			mustOK(t, confs.SaveMinutes(ctx, officer, conf.ID, c.ID, 0, "MINUTES-MARKER agreed a joint visit"))
			wantCode(t, confs.SaveMinutes(ctx, lead, conf.ID, c.ID, 0, "stale"), waymark.ECONFLICT)
			mustOK(t, confs.SaveMinutes(ctx, lead, conf.ID, c.ID, 1, "MINUTES-MARKER agreed a joint visit; hostel to arrange"))
			a := &waymark.ConferenceAction{ClientID: c.ID, Text: "ACTION-MARKER visit", OwnerOrgID: police.ID, Owner: "DC Shah", DueOn: "2026-12-10"}
			mustOK(t, confs.AddAction(ctx, lead, conf.ID, a))
			bad := &waymark.ConferenceAction{ClientID: c.ID, Text: "x", OwnerOrgID: council.ID, Owner: "A", DueOn: "2026-12-10"}
			if err := confs.AddAction(ctx, lead, conf.ID, bad); !strings.Contains(waymark.ErrorFields(err)["owner_org_id"], "may not see") {
				t.Errorf("an action for an organisation that may not see the case: %v", err)
			}
			wide := &waymark.ConferenceAction{Text: "Book the room", OwnerOrgID: council.ID, Owner: "Jo", DueOn: "2026-12-01"}
			mustOK(t, confs.AddAction(ctx, councilManager, conf.ID, wide))
			mustOK(t, confs.SetActionStatus(ctx, councilManager, conf.ID, wide.ID, 1, waymark.ActionDone))
			wantCode(t, confs.SetActionStatus(ctx, councilManager, conf.ID, wide.ID, 1, waymark.ActionOpen), waymark.ECONFLICT)
			wantCode(t, confs.SetActionStatus(ctx, councilManager, conf.ID, a.ID, 1, waymark.ActionDone), waymark.ENOTFOUND)
			mustOK(t, confs.SetActionStatus(ctx, officer, conf.ID, a.ID, 1, waymark.ActionCancelled))

			got, err := confs.FindConferenceCase(ctx, officer, conf.ID, c.ID)
			mustOK(t, err)
			if got.Minutes.Text != "MINUTES-MARKER agreed a joint visit; hostel to arrange" || got.Minutes.Version != 2 || len(got.Actions) != 1 ||
				got.Actions[0].Status != waymark.ActionCancelled {
				t.Errorf("the police read %+v", got)
			}
			_, err = confs.FindConferenceCase(ctx, councilManager, conf.ID, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			wantCode(t, confs.SaveMinutes(ctx, councilManager, conf.ID, c.ID, 2, "x"), waymark.ENOTFOUND)
			d, err := confs.FindConference(ctx, councilManager, conf.ID)
			mustOK(t, err)
			if len(d.Actions) != 1 || d.Actions[0].Text != "Book the room" || d.Actions[0].Status != waymark.ActionDone {
				t.Errorf("the council sees conference-wide actions %+v", d.Actions)
			}
		})
		t.Run("the owner sees the police read the case at a conference", func(t *testing.T) {
			views, err := shares.FindRecordViews(ctx, lead, c.ID)
			mustOK(t, err)
			if len(views) == 0 || !views[0].Conference || views[0].OrgName != "Conf Police" {
				t.Errorf("record views %+v; want the police at a conference first", views)
			}
		})
		t.Run("withdrawn consent hides the minutes from the police on the next request", func(t *testing.T) {
			step()
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionWithdrawn, OrgIDs: []string{police.ID}, On: "2026-11-27"}))
			_, err := confs.FindConferenceCase(ctx, officer, conf.ID, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			d, err := confs.FindConference(ctx, officer, conf.ID)
			mustOK(t, err)
			if l := d.Cases[0].Label(); l != "A case from Conf Hostel, not shared with your organisation" {
				t.Errorf("the police see the case as %q", l)
			}
			step()
			mustOK(t, consents.RecordConsent(ctx, worker, c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
				Decision: waymark.ConsentDecisionGiven, OrgIDs: []string{police.ID}, On: "2026-11-27", HowExplained: "In person"}))
			_, err = confs.FindConferenceCase(ctx, officer, conf.ID, c.ID)
			mustOK(t, err)
		})
		t.Run("a revoked share hides them on the next request", func(t *testing.T) {
			step()
			mustOK(t, shares.RevokeShare(ctx, lead, c.ID, sh.ID, "No longer needed"))
			_, err := confs.FindConferenceCase(ctx, officer, conf.ID, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = confs.FindConferenceCase(ctx, lead, conf.ID, c.ID)
			mustOK(t, err)
		})
		t.Run("a share for police investigation alone shows a panel nothing", func(t *testing.T) {
			step()
			inv := &waymark.DataSharingAgreement{Title: "Investigations", OrgIDs: []string{police.ID}, Purposes: []waymark.SharingPurpose{"investigation"},
				LawfulBasis: "safeguarding", StartOn: "2026-01-01", ReviewOn: "2027-06-01", Status: waymark.AgreementActive}
			mustOK(t, agreements.CreateAgreement(ctx, admin, inv))
			mustOK(t, agreements.ConfirmAgreement(ctx, policeAdmin, inv.ID, 1))
			only := &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "investigation", Sections: []waymark.ShareSection{waymark.SectionIdentity}}
			mustOK(t, shares.ShareCase(ctx, lead, c.ID, only))
			d, err := confs.FindConference(ctx, officer, conf.ID)
			mustOK(t, err)
			if l := d.Cases[0].Label(); l != "A case from Conf Hostel, not shared with your organisation" {
				t.Errorf("with a share for investigation only, the police see the case as %q", l)
			}
			_, err = confs.FindConferenceCase(ctx, officer, conf.ID, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			mustOK(t, shares.RevokeShare(ctx, lead, c.ID, only.ID, "Investigation closed"))
		})
		t.Run("a share without who they are shows the sections, not the name", func(t *testing.T) {
			step()
			mustOK(t, shares.ShareCase(ctx, lead, c.ID, &waymark.CaseShare{PartnerOrgID: police.ID, Purpose: "case_conference",
				Sections: []waymark.ShareSection{waymark.SectionSupport}}))
			d, err := confs.FindConference(ctx, officer, conf.ID)
			mustOK(t, err)
			if l := d.Cases[0].Label(); l != "A case from Conf Hostel (shared with you: support and where they have lived)" {
				t.Errorf("the police see the case as %q", l)
			}
			_, err = confs.FindConferenceCase(ctx, officer, conf.ID, c.ID)
			mustOK(t, err)
		})
		t.Run("the owner's case cannot be taken off once minuted, nor an attendee with cases dropped", func(t *testing.T) {
			wantCode(t, confs.RemoveCase(ctx, lead, conf.ID, c.ID), waymark.EINVALID)
			err := confs.UpdateConference(ctx, officer, conf.ID, 2, &waymark.Conference{Title: "Panel", HeldOn: "2026-12-04", AttendingOrgIDs: []string{council.ID}})
			if !strings.Contains(waymark.ErrorFields(err)["org_ids"], "Conf Hostel") {
				t.Errorf("dropping the hostel: %v", err)
			}
			other := &waymark.Conference{Title: "Other", HeldOn: "2026-12-05", AttendingOrgIDs: []string{hostel.ID}}
			mustOK(t, confs.CreateConference(ctx, officer, other))
			mustOK(t, confs.AddCase(ctx, lead, other.ID, c.ID, false, ""))
			cc, err := confs.FindClientConferences(ctx, lead, c.ID)
			mustOK(t, err)
			if len(cc.On) != 2 || len(cc.Available) != 0 {
				t.Errorf("the client's conferences %+v", cc)
			}
			mustOK(t, confs.RemoveCase(ctx, lead, other.ID, c.ID))
		})
		t.Run("every read and change is audited, and no name reaches another organisation's log", func(t *testing.T) {
			got := e.countActions(t)
			for _, a := range []string{waymark.AuditConferenceCreated, waymark.AuditConferenceUpdated, waymark.AuditConferenceViewed, waymark.AuditConferenceCaseAdded,
				waymark.AuditConferenceCaseRemoved, waymark.AuditConferenceCaseViewed, waymark.AuditConferenceCaseSeen, waymark.AuditConferenceMinutesSaved,
				waymark.AuditConferenceActionAdded, waymark.AuditConferenceActionUpdated, waymark.AuditConferencesViewed, waymark.AuditClientConferencesViewed} {
				if got[a] == 0 {
					t.Errorf("no %s audit entry", a)
				}
			}
			for _, org := range []*waymark.Organisation{police, council} {
				for _, x := range e.auditEntries(t, waymark.AuditFilter{OrgID: org.ID}) {
					if s := x.Detail + x.ObjectID; strings.Contains(s, "Ines") || strings.Contains(s, "MARKER") {
						t.Errorf("%s's log holds %q", org.Name, s)
					}
				}
			}
		})
	})
}

// TestConferenceWithDepartedAttendee: an organisation that leaves Waymark stays on the conferences
// it attended, so that the chair can still change them; none can be added.
func TestConferenceWithDepartedAttendee(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		confs := sqldb.NewConferenceService(e.db)
		police := e.org(t, "Departed Police", false)
		gone := e.org(t, "Departed Charity", false)
		also := e.org(t, "Departed Other", false)
		_, chair := e.user(t, police, waymark.RolePartner)
		c := &waymark.Conference{Title: "Panel", HeldOn: "2026-12-10", AttendingOrgIDs: []string{gone.ID}, Status: waymark.ConferenceScheduled}
		mustOK(t, confs.CreateConference(ctx, chair, c))
		_, err := e.orgs.UpdateOrganisation(ctx, system, gone.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
		mustOK(t, err)
		_, err = e.orgs.UpdateOrganisation(ctx, system, also.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
		mustOK(t, err)
		held := *c
		held.Status = waymark.ConferenceHeld
		mustOK(t, confs.UpdateConference(ctx, chair, c.ID, c.Version, &held))
		more := held
		more.AttendingOrgIDs = append(slices.Clone(held.AttendingOrgIDs), also.ID)
		wantCode(t, confs.UpdateConference(ctx, chair, c.ID, held.Version, &more), waymark.EINVALID)
	})
}
