package sqldb_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

// referralMarker is the free text of a referral: it must never be stored or audited in clear.
const referralMarker = "REFERRAL-MARKER-7c1e he is frightened of the gangmaster"

func TestReferrals(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewReferralService(e.db)
		hostel := e.org(t, "Referral Hostel", false)
		charity := e.org(t, "Referral Charity", false)
		other := e.org(t, "Referral Bystander", false)
		closed := e.org(t, "Referral Closed Service", false)
		_, err := e.orgs.UpdateOrganisation(ctx, system, closed.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
		mustOK(t, err)
		senderUser, sender := e.user(t, hostel, waymark.RoleFrontline)
		_, senderLead := e.user(t, hostel, waymark.RoleSafeguardingLead)
		recipientUser, recipient := e.user(t, charity, waymark.RoleFrontline)
		_, recipientManager := e.user(t, charity, waymark.RoleManager)
		_, bystander := e.user(t, other, waymark.RoleFrontline)
		_, recipientAdmin := e.user(t, charity, waymark.RoleOrgAdmin)
		_, recipientAnalyst := e.user(t, charity, waymark.RoleAnalyst)

		c := &waymark.Client{GivenName: "Petru", FamilyName: "Lungu", DateOfBirth: "1990-03-04", Gender: waymark.GenderMale,
			Nationalities: []string{"RO"}, Languages: []string{"ro"}, InterpreterNeeded: waymark.AnswerYes, Reference: "HOSTEL-SECRET-REF",
			Contacts: []waymark.Contact{{Kind: "phone", Value: "07700 900001", SafeToContact: waymark.AnswerYes},
				{Kind: "phone", Value: "07700 900999", SafeToContact: waymark.AnswerNo}},
			Situation: "rough_sleeping", Notes: "HOSTEL-SECRET-NOTES"}
		mustOK(t, e.clients.CreateClient(ctx, sender, c, nil))
		mustOK(t, sqldb.NewExploitationService(e.db).AddEpisode(ctx, sender, c.ID, &waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months"}))
		_, err = sqldb.NewExploitationService(e.db).AssessRisk(ctx, sender, c.ID, "high", "")
		mustOK(t, err)

		send := func(t *testing.T, shared ...waymark.ShareField) *waymark.Referral {
			t.Helper()
			r := &waymark.Referral{ToOrgID: charity.ID, Reason: referralMarker, Shared: shared}
			mustOK(t, svc.SendReferral(ctx, sender, c.ID, r))
			return r
		}

		var r *waymark.Referral
		t.Run("a referral carries only the chosen items, as they were when sent", func(t *testing.T) {
			r = send(t, waymark.ShareName, waymark.ShareLanguages)
			if r.Status != waymark.ReferralSent || r.Version != 1 || r.FromOrgID != hostel.ID || r.SentBy != senderUser.ID {
				t.Fatalf("sent referral %+v", r)
			}
			// The live record changes after sending; the recipient still reads what was sent.
			live, err := e.clients.FindClientByID(ctx, sender, c.ID)
			mustOK(t, err)
			_, err = e.clients.UpdateClient(ctx, sender, c.ID, waymark.ClientUpdate{Version: live.Version, Client: func() waymark.Client {
				u := *live
				u.GivenName = "Changed"
				return u
			}()})
			mustOK(t, err)
			got, err := svc.FindReferral(ctx, recipient, r.ID)
			mustOK(t, err)
			want := waymark.ReferralSnapshot{GivenName: "Petru", FamilyName: "Lungu", Languages: []string{"ro"}, InterpreterNeeded: waymark.AnswerYes}
			if diff := cmp.Diff(want, got.Snapshot); diff != "" {
				t.Errorf("snapshot (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]waymark.ShareField{waymark.ShareName, waymark.ShareLanguages}, got.Shared); diff != "" {
				t.Errorf("shared (-want +got):\n%s", diff)
			}
			if got.Reason != referralMarker || got.ClientID != "" || got.FromOrgName != hostel.Name || got.ToOrgName != charity.Name {
				t.Errorf("the recipient reads %+v; want the reason and the organisations' names, and no client ID", got)
			}
			b, _ := json.Marshal(got)
			for _, secret := range []string{"HOSTEL-SECRET", "1990", "07700", "rough_sleeping", "labour", "high", c.ID} {
				if bytes.Contains(b, []byte(secret)) {
					t.Errorf("the recipient's referral holds %q, which was not shared", secret)
				}
			}
			mine, err := svc.FindReferral(ctx, sender, r.ID)
			mustOK(t, err)
			if mine.ClientID != c.ID {
				t.Errorf("the sender reads client %q, want %q", mine.ClientID, c.ID)
			}
		})

		t.Run("only safe contact details are shared, and every other item reads from the record", func(t *testing.T) {
			all := send(t, waymark.ShareDateOfBirth, waymark.ShareGender, waymark.ShareNationalities, waymark.ShareSafeContacts,
				waymark.ShareExploitationTypes, waymark.ShareSituation, waymark.ShareRiskLevel)
			got, err := svc.FindReferral(ctx, recipient, all.ID)
			mustOK(t, err)
			want := waymark.ReferralSnapshot{DateOfBirth: "1990-03-04", Gender: waymark.GenderMale, Nationalities: []string{"RO"},
				SafeContacts:      []waymark.SharedContact{{Kind: "phone", Value: "07700 900001"}},
				ExploitationTypes: []string{"labour"}, Situation: "rough_sleeping", RiskLevel: "high"}
			if diff := cmp.Diff(want, got.Snapshot); diff != "" {
				t.Errorf("snapshot (-want +got):\n%s", diff)
			}
			mustOK(t, func() error {
				_, err := svc.ActOnReferral(ctx, sender, all.ID, 1, waymark.ReferralWithdraw, "Sent in error")
				return err
			}())
			// Withdrawn, it is gone for the recipient at once, snapshot and all; the sender keeps it.
			_, err = svc.FindReferral(ctx, recipient, all.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.ActOnReferral(ctx, recipient, all.ID, 2, waymark.ReferralAccept, "")
			wantCode(t, err, waymark.ENOTFOUND)
			if got, err := svc.FindReferral(ctx, sender, all.ID); err != nil || got.Status != waymark.ReferralWithdrawn {
				t.Errorf("the sender reads its withdrawn referral as %+v, %v", got, err)
			}
		})

		t.Run("the sealed columns hold no marker", func(t *testing.T) {
			var reason, snapshot []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT reason, snapshot FROM referrals WHERE id = $1`, r.ID).Scan(&reason, &snapshot))
			for name, v := range map[string][]byte{"reason": reason, "snapshot": snapshot} {
				if len(v) == 0 || bytes.Contains(v, []byte("REFERRAL-MARKER")) || bytes.Contains(v, []byte("Petru")) {
					t.Errorf("%s is stored in clear or not at all: %q", name, v)
				}
			}
		})

		t.Run("a referral must go to another active organisation and share something", func(t *testing.T) {
			for name, to := range map[string]string{"own": hostel.ID, "disabled": closed.ID, "unknown": "nope"} {
				err := svc.SendReferral(ctx, sender, c.ID, &waymark.Referral{ToOrgID: to, Reason: "x", Shared: []waymark.ShareField{waymark.ShareName}})
				if waymark.ErrorFields(err)["to_org_id"] == "" {
					t.Errorf("%s organisation: %v, want a to_org_id error", name, err)
				}
			}
			err := svc.SendReferral(ctx, sender, c.ID, &waymark.Referral{ToOrgID: charity.ID, Reason: "x"})
			if waymark.ErrorFields(err)["shared"] == "" {
				t.Errorf("sharing nothing: %v", err)
			}
			wantCode(t, svc.SendReferral(ctx, recipient, c.ID, &waymark.Referral{ToOrgID: other.ID, Reason: "x", Shared: []waymark.ShareField{waymark.ShareName}}), waymark.ENOTFOUND)
			wantCode(t, svc.SendReferral(ctx, recipientAdmin, c.ID, &waymark.Referral{ToOrgID: other.ID, Reason: "x", Shared: []waymark.ShareField{waymark.ShareName}}), waymark.EFORBIDDEN)
		})

		t.Run("the recipient's queue lists it; nobody else finds it", func(t *testing.T) {
			list, total, err := svc.FindInbound(ctx, recipientManager, waymark.ReferralFilter{Status: "new"})
			mustOK(t, err)
			if total != 1 || len(list) != 1 || list[0].ID != r.ID || list[0].Snapshot.GivenName != "Petru" || list[0].ClientID != "" {
				t.Fatalf("new inbound referrals %d %+v", total, list)
			}
			for who, want := range map[*waymark.Actor]int{&recipient: 1, &sender: 0} {
				if n, err := svc.CountNewInbound(ctx, *who); err != nil || n != want {
					t.Errorf("CountNewInbound(%s) = %d, %v; want %d", who.OrgID, n, err, want)
				}
			}
			closedList, total, err := svc.FindInbound(ctx, recipient, waymark.ReferralFilter{Status: "closed"})
			mustOK(t, err)
			if total != 0 || len(closedList) != 0 {
				t.Errorf("closed inbound referrals %d %+v; want none: a withdrawn referral is gone for the recipient", total, closedList)
			}
			_, _, err = svc.FindInbound(ctx, recipient, waymark.ReferralFilter{Status: "everything"})
			wantCode(t, err, waymark.EINVALID)
			mine, total, err := svc.FindInbound(ctx, sender, waymark.ReferralFilter{})
			mustOK(t, err)
			if total != 0 || len(mine) != 0 {
				t.Errorf("the sender's inbound queue lists %d referrals, want none", total)
			}
			_, err = svc.FindReferral(ctx, bystander, r.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.FindReferral(ctx, recipientAdmin, r.ID)
			wantCode(t, err, waymark.EFORBIDDEN)
			_, _, err = svc.FindInbound(ctx, recipientAnalyst, waymark.ReferralFilter{})
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.FindClientReferrals(ctx, recipient, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			// The recipient gains no access to the client's record.
			_, err = e.clients.FindClientByID(ctx, recipient, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
		})

		t.Run("the sender's list on the client shows both, with a preview of every item", func(t *testing.T) {
			cr, err := svc.FindClientReferrals(ctx, senderLead, c.ID)
			mustOK(t, err)
			if len(cr.Referrals) != 2 || cr.Client.ID != c.ID {
				t.Fatalf("client referrals %+v", cr)
			}
			if cr.Preview.GivenName != "Changed" || len(cr.Preview.SafeContacts) != 1 || cr.Preview.RiskLevel != "high" {
				t.Errorf("preview %+v, want the live record's values and only the safe contact", cr.Preview)
			}
		})

		t.Run("only the recipient accepts, declines and completes; only the sender withdraws", func(t *testing.T) {
			_, err := svc.ActOnReferral(ctx, sender, r.ID, 1, waymark.ReferralAccept, "")
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.ActOnReferral(ctx, recipient, r.ID, 1, waymark.ReferralWithdraw, "no")
			wantCode(t, err, waymark.EFORBIDDEN)
			_, err = svc.ActOnReferral(ctx, bystander, r.ID, 1, waymark.ReferralAccept, "")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.ActOnReferral(ctx, recipient, r.ID, 1, waymark.ReferralDecline, "  ")
			wantCode(t, err, waymark.EINVALID)
			e.clock.Advance(time.Hour)
			got, err := svc.ActOnReferral(ctx, recipient, r.ID, 1, waymark.ReferralAccept, "")
			mustOK(t, err)
			if got.Status != waymark.ReferralAccepted || got.Version != 2 || got.AcceptedBy != recipientUser.ID || got.AcceptedAt == nil || !got.AcceptedAt.Equal(e.clock.Now()) {
				t.Fatalf("accepted referral %+v", got)
			}
			_, err = svc.ActOnReferral(ctx, recipient, r.ID, 1, waymark.ReferralComplete, "")
			wantCode(t, err, waymark.ECONFLICT)
			_, err = svc.ActOnReferral(ctx, recipient, r.ID, 2, waymark.ReferralDecline, "too late")
			wantCode(t, err, waymark.ECONFLICT)
			got, err = svc.ActOnReferral(ctx, recipientManager, r.ID, 2, waymark.ReferralComplete, "")
			mustOK(t, err)
			if got.Status != waymark.ReferralCompleted || got.CompletedAt == nil || got.Version != 3 {
				t.Fatalf("completed referral %+v", got)
			}
			_, err = svc.ActOnReferral(ctx, sender, r.ID, 3, waymark.ReferralWithdraw, "no longer needed")
			wantCode(t, err, waymark.ECONFLICT)
		})

		t.Run("a decline keeps its reason, sealed", func(t *testing.T) {
			d := send(t, waymark.ShareName)
			got, err := svc.ActOnReferral(ctx, recipient, d.ID, 1, waymark.ReferralDecline, " "+referralMarker+" ")
			mustOK(t, err)
			if got.Status != waymark.ReferralDeclined || got.DeclineReason != referralMarker || got.DeclinedBy != recipientUser.ID {
				t.Fatalf("declined referral %+v", got)
			}
			var stored []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT decline_reason FROM referrals WHERE id = $1`, d.ID).Scan(&stored))
			if len(stored) == 0 || bytes.Contains(stored, []byte("REFERRAL-MARKER")) {
				t.Errorf("decline reason stored in clear: %q", stored)
			}
			mine, err := svc.FindReferral(ctx, sender, d.ID)
			mustOK(t, err)
			if mine.DeclineReason != referralMarker {
				t.Errorf("the sender reads decline reason %q", mine.DeclineReason)
			}
		})

		t.Run("every read and change is audited against the client in the sender's log, without the free text", func(t *testing.T) {
			var n map[string]int = map[string]int{}
			recipientsOwn := 0
			for _, a := range allEntries(t, e.raw(t)) {
				if strings.Contains(a.Detail, "REFERRAL-MARKER") || strings.Contains(a.Detail, "Petru") {
					t.Errorf("audit entry %s holds personal data: %q", a.Action, a.Detail)
				}
				if !strings.HasPrefix(a.Action, "referral.") {
					continue
				}
				if a.Action == waymark.AuditReferralListViewed {
					n[a.Action]++
					continue
				}
				switch a.OrgID {
				case hostel.ID:
					// The sender's log: every read and change, the recipient's included, against its client.
					n[a.Action]++
					if a.ObjectType != "client" || a.ObjectID != c.ID || !strings.Contains(a.Detail, "referral ") {
						t.Errorf("audit entry %+v, want it against the client, naming the referral", a)
					}
				case charity.ID:
					// The recipient's log names the referral, never the sender's client.
					recipientsOwn++
					if a.ObjectType != "referral" || a.ObjectID == "" || strings.Contains(a.Detail, c.ID) {
						t.Errorf("recipient's audit entry %+v, want it against the referral only", a)
					}
				default:
					t.Errorf("referral audit entry in a third organisation's log: %+v", a)
				}
			}
			if recipientsOwn == 0 {
				t.Error("the recipient's log has no entry of its reads and answers")
			}
			for _, action := range []string{waymark.AuditReferralSent, waymark.AuditReferralViewed, waymark.AuditReferralListViewed,
				waymark.AuditReferralAccepted, waymark.AuditReferralDeclined, waymark.AuditReferralCompleted, waymark.AuditReferralWithdrawn} {
				if n[action] == 0 {
					t.Errorf("no %s entry", action)
				}
			}
		})

		t.Run("the shared values are sealed with the recipient's key, not the sender's", func(t *testing.T) {
			// A fresh connection has no keys cached. Without the sender's data keys the referral
			// still opens for the recipient; without the recipient's it opens for nobody.
			exec(t, e.raw(t), `DELETE FROM org_keys WHERE org_id = $1`, hostel.ID)
			fresh, err := sqldb.Open(ctx, e.cfg)
			mustOK(t, err)
			defer fresh.Close()
			got, err := sqldb.NewReferralService(fresh).FindReferral(ctx, recipient, r.ID)
			mustOK(t, err)
			if got.Reason != referralMarker || got.Snapshot.GivenName != "Petru" {
				t.Errorf("without the sender's key the recipient reads %+v", got)
			}
			exec(t, e.raw(t), `DELETE FROM org_keys WHERE org_id = $1`, charity.ID)
			fresh2, err := sqldb.Open(ctx, e.cfg)
			mustOK(t, err)
			defer fresh2.Close()
			if _, err := sqldb.NewReferralService(fresh2).FindReferral(ctx, recipient, r.ID); err == nil {
				t.Error("the referral opened without the recipient's key")
			}
		})
	})
}
