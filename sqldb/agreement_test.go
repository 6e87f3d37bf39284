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

func agreementTitles(list []*waymark.DataSharingAgreement) []string {
	out := []string{}
	for _, a := range list {
		out = append(out, a.Title)
	}
	return out
}

func purposes(p ...waymark.SharingPurpose) []waymark.SharingPurpose { return p }

func TestAgreements(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewAgreementService(e.db)
		trust := e.org(t, "Agreement Freedom Trust", false)
		hostel := e.org(t, "Agreement Hostel", false)
		police := e.org(t, "Agreement Constabulary", false)
		outsider := e.org(t, "Agreement Outsider", false)
		_, trustAdmin := e.user(t, trust, waymark.RoleOrgAdmin)
		_, trustManager := e.user(t, trust, waymark.RoleManager)
		_, hostelAdmin := e.user(t, hostel, waymark.RoleOrgAdmin)
		_, hostelLead := e.user(t, hostel, waymark.RoleSafeguardingLead)
		_, outsiderAdmin := e.user(t, outsider, waymark.RoleOrgAdmin)

		partnership := &waymark.DataSharingAgreement{Title: "  Northmoor modern slavery partnership ", Reference: "DSA/2026/01",
			OrgIDs: []string{hostel.ID, police.ID}, Purposes: purposes("support", "safeguarding", "case_conference"), LawfulBasis: waymark.BasisSafeguarding,
			StartOn: "2026-01-01", EndOn: "2027-12-31", ReviewOn: "2027-01-15", Status: waymark.AgreementActive}
		t.Run("an admin records an agreement, a party of its own, and every party reads it back", func(t *testing.T) {
			mustOK(t, svc.CreateAgreement(ctx, trustAdmin, partnership))
			want := &waymark.DataSharingAgreement{ID: partnership.ID, Title: "Northmoor modern slavery partnership", Reference: "DSA/2026/01",
				OrgIDs: []string{trust.ID, hostel.ID, police.ID}, OrgNames: []string{trust.Name, hostel.Name, police.Name},
				Purposes: purposes("support", "safeguarding", "case_conference"), LawfulBasis: waymark.BasisSafeguarding,
				StartOn: "2026-01-01", EndOn: "2027-12-31", ReviewOn: "2027-01-15", Status: waymark.AgreementActive, RecordedByOrgID: trust.ID,
				ConfirmedOrgIDs: []string{trust.ID}, Version: 1, UpdatedBy: trustAdmin.UserID, UpdatedAt: e.clock.Now()}
			if partnership.ID == "" {
				t.Fatal("no ID given")
			}
			if diff := cmp.Diff(want, partnership); diff != "" {
				t.Errorf("created (-want +got):\n%s", diff)
			}
			for _, a := range []waymark.Actor{trustAdmin, trustManager, hostelLead} {
				got, err := svc.FindAgreement(ctx, a, partnership.ID)
				mustOK(t, err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("read as %s (-want +got):\n%s", a.Role, diff)
				}
			}
			list, err := svc.FindAgreements(ctx, hostelAdmin)
			mustOK(t, err)
			if diff := cmp.Diff([]*waymark.DataSharingAgreement{want}, list); diff != "" {
				t.Errorf("listed (-want +got):\n%s", diff)
			}
		})

		t.Run("each organisation lists the agreements it is a party to, soonest end or review first", func(t *testing.T) {
			mk := func(actor waymark.Actor, title, end, review string, orgs ...string) {
				t.Helper()
				mustOK(t, svc.CreateAgreement(ctx, actor, &waymark.DataSharingAgreement{Title: title, OrgIDs: orgs, Purposes: purposes("referral"),
					LawfulBasis: waymark.BasisConsent, StartOn: "2026-01-01", EndOn: end, ReviewOn: review, Status: waymark.AgreementActive}))
			}
			mk(trustAdmin, "Hostel referrals", "", "2026-12-10", hostel.ID)
			mk(trustAdmin, "Alpha ending soon", "2026-12-31", "2027-06-01", hostel.ID)
			mk(trustAdmin, "Beta ending soon", "2026-12-31", "2027-03-01", hostel.ID)
			mk(hostelAdmin, "Hostel and outsider", "", "2027-02-01", outsider.ID)
			for _, tc := range []struct {
				actor waymark.Actor
				want  []string
			}{
				{trustManager, []string{"Hostel referrals", "Alpha ending soon", "Beta ending soon", "Northmoor modern slavery partnership"}},
				{hostelLead, []string{"Hostel referrals", "Alpha ending soon", "Beta ending soon", "Northmoor modern slavery partnership", "Hostel and outsider"}},
				{outsiderAdmin, []string{"Hostel and outsider"}},
			} {
				list, err := svc.FindAgreements(ctx, tc.actor)
				mustOK(t, err)
				if diff := cmp.Diff(tc.want, agreementTitles(list)); diff != "" {
					t.Errorf("%s's list (-want +got):\n%s", tc.actor.OrgID, diff)
				}
			}
		})

		t.Run("each rule refuses with a message for its field, and nothing is stored", func(t *testing.T) {
			ok := waymark.DataSharingAgreement{Title: "X", OrgIDs: []string{hostel.ID}, Purposes: purposes("support"), LawfulBasis: waymark.BasisConsent,
				StartOn: "2026-01-01", ReviewOn: "2026-06-01", Status: waymark.AgreementDraft}
			many := make([]string, waymark.MaxAgreementParties+1)
			for i := range many {
				many[i] = "org" + itoa64(int64(i))
			}
			before, err := svc.FindAgreements(ctx, trustAdmin)
			mustOK(t, err)
			for name, tc := range map[string]struct {
				change func(a *waymark.DataSharingAgreement)
				field  string
			}{
				"no title":                {func(a *waymark.DataSharingAgreement) { a.Title = "  " }, "title"},
				"long title":              {func(a *waymark.DataSharingAgreement) { a.Title = strings.Repeat("x", 201) }, "title"},
				"title with a newline":    {func(a *waymark.DataSharingAgreement) { a.Title = "a\nb" }, "title"},
				"long reference":          {func(a *waymark.DataSharingAgreement) { a.Reference = strings.Repeat("x", 101) }, "reference"},
				"no other party":          {func(a *waymark.DataSharingAgreement) { a.OrgIDs = nil }, "org_ids"},
				"only itself":             {func(a *waymark.DataSharingAgreement) { a.OrgIDs = []string{trust.ID, " ", trust.ID} }, "org_ids"},
				"too many parties":        {func(a *waymark.DataSharingAgreement) { a.OrgIDs = many }, "org_ids"},
				"no purposes":             {func(a *waymark.DataSharingAgreement) { a.Purposes = nil }, "purposes"},
				"unknown purpose":         {func(a *waymark.DataSharingAgreement) { a.Purposes = purposes("support", "marketing") }, "purposes"},
				"no lawful basis":         {func(a *waymark.DataSharingAgreement) { a.LawfulBasis = "" }, "lawful_basis"},
				"unknown lawful basis":    {func(a *waymark.DataSharingAgreement) { a.LawfulBasis = "legitimate_interests" }, "lawful_basis"},
				"no start":                {func(a *waymark.DataSharingAgreement) { a.StartOn = "" }, "start_on"},
				"start not a date":        {func(a *waymark.DataSharingAgreement) { a.StartOn = "2026-02-30" }, "start_on"},
				"end not a date":          {func(a *waymark.DataSharingAgreement) { a.EndOn = "next year" }, "end_on"},
				"end before the start":    {func(a *waymark.DataSharingAgreement) { a.EndOn = "2025-12-31" }, "end_on"},
				"no review":               {func(a *waymark.DataSharingAgreement) { a.ReviewOn = "" }, "review_on"},
				"review before the start": {func(a *waymark.DataSharingAgreement) { a.ReviewOn = "2025-06-01" }, "review_on"},
				"unknown status":          {func(a *waymark.DataSharingAgreement) { a.Status = "signed" }, "status"},
			} {
				a := ok
				tc.change(&a)
				err := svc.CreateAgreement(ctx, trustAdmin, &a)
				wantCode(t, err, waymark.EINVALID)
				if _, found := waymark.ErrorFields(err)[tc.field]; !found {
					t.Errorf("%s: fields %v lack %s", name, waymark.ErrorFields(err), tc.field)
				}
			}
			after, err := svc.FindAgreements(ctx, trustAdmin)
			mustOK(t, err)
			if len(after) != len(before) {
				t.Errorf("%d agreements after refusals, %d before", len(after), len(before))
			}
		})

		t.Run("a party that is not an organisation of the region, or is disabled, is refused", func(t *testing.T) {
			closed := e.org(t, "Agreement Closed Charity", false)
			_, err := e.orgs.UpdateOrganisation(ctx, system, closed.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			for _, id := range []string{"no-such-organisation", closed.ID} {
				a := &waymark.DataSharingAgreement{Title: "X", OrgIDs: []string{hostel.ID, id}, Purposes: purposes("support"), LawfulBasis: waymark.BasisConsent,
					StartOn: "2026-01-01", ReviewOn: "2026-06-01", Status: waymark.AgreementActive}
				err := svc.CreateAgreement(ctx, trustAdmin, a)
				wantCode(t, err, waymark.EINVALID)
				if msg := waymark.ErrorFields(err)["org_ids"]; msg == "" {
					t.Errorf("party %s: no message for org_ids in %v", id, err)
				}
			}
		})

		t.Run("a party disabled since stays on the agreement through a change, and can be taken off", func(t *testing.T) {
			leaving := e.org(t, "Agreement Leaving Charity", false)
			a := &waymark.DataSharingAgreement{Title: "With a charity that leaves", OrgIDs: []string{leaving.ID}, Purposes: purposes("support"),
				LawfulBasis: waymark.BasisConsent, StartOn: "2026-01-01", ReviewOn: "2026-06-01", Status: waymark.AgreementActive}
			mustOK(t, svc.CreateAgreement(ctx, trustAdmin, a))
			_, err := e.orgs.UpdateOrganisation(ctx, system, leaving.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			ended := *a
			ended.Status = waymark.AgreementTerminated
			mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, a.ID, a.Version, &ended))
			if got, _ := svc.FindAgreement(ctx, trustAdmin, a.ID); got.Status != waymark.AgreementTerminated || !slices.Contains(got.OrgIDs, leaving.ID) {
				t.Errorf("after ending it: %+v", got)
			}
			off := ended
			off.OrgIDs = []string{hostel.ID}
			mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, a.ID, ended.Version, &off))
			if got, _ := svc.FindAgreement(ctx, trustAdmin, a.ID); slices.Contains(got.OrgIDs, leaving.ID) {
				t.Errorf("the charity is still a party: %v", got.OrgIDs)
			}
			// Once off, it cannot be put back.
			back := off
			back.OrgIDs = []string{hostel.ID, leaving.ID}
			wantCode(t, svc.UpdateAgreement(ctx, trustAdmin, a.ID, off.Version, &back), waymark.EINVALID)
		})

		t.Run("another organisation finds nothing: not found to read or to change", func(t *testing.T) {
			_, err := svc.FindAgreement(ctx, outsiderAdmin, partnership.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			change := *partnership
			change.Title = "Hijacked"
			wantCode(t, svc.UpdateAgreement(ctx, outsiderAdmin, partnership.ID, partnership.Version, &change), waymark.ENOTFOUND)
			_, err = svc.FindAgreement(ctx, trustAdmin, "no-such-agreement")
			wantCode(t, err, waymark.ENOTFOUND)
		})

		t.Run("a party that did not record it reads it but may not change it", func(t *testing.T) {
			_, err := svc.FindAgreement(ctx, hostelAdmin, partnership.ID)
			mustOK(t, err)
			change := *partnership
			change.Title = "Changed by the hostel"
			wantCode(t, svc.UpdateAgreement(ctx, hostelAdmin, partnership.ID, partnership.Version, &change), waymark.EFORBIDDEN)
		})

		t.Run("roles without the permissions are refused", func(t *testing.T) {
			for _, role := range []waymark.Role{waymark.RoleFrontline, waymark.RolePartner, waymark.RoleAnalyst, waymark.RoleManager, waymark.RoleSafeguardingLead} {
				_, a := e.user(t, trust, role)
				_, err := svc.FindAgreement(ctx, a, partnership.ID)
				_, lerr := svc.FindAgreements(ctx, a)
				if role.Can(waymark.PermViewAgreements) {
					mustOK(t, err)
					mustOK(t, lerr)
				} else {
					wantCode(t, err, waymark.EFORBIDDEN)
					wantCode(t, lerr, waymark.EFORBIDDEN)
				}
				change := *partnership
				wantCode(t, svc.CreateAgreement(ctx, a, &change), waymark.EFORBIDDEN)
				wantCode(t, svc.UpdateAgreement(ctx, a, partnership.ID, partnership.Version, &change), waymark.EFORBIDDEN)
			}
			wantCode(t, svc.CreateAgreement(ctx, system, partnership), waymark.EFORBIDDEN)
		})

		t.Run("each party confirms the terms; new terms need confirming again, a new title does not", func(t *testing.T) {
			wantCode(t, svc.ConfirmAgreement(ctx, hostelLead, partnership.ID, 1), waymark.EFORBIDDEN)
			wantCode(t, svc.ConfirmAgreement(ctx, outsiderAdmin, partnership.ID, 1), waymark.ENOTFOUND)
			wantCode(t, svc.ConfirmAgreement(ctx, hostelAdmin, partnership.ID, 7), waymark.ECONFLICT)
			mustOK(t, svc.ConfirmAgreement(ctx, hostelAdmin, partnership.ID, 1))
			got, err := svc.FindAgreement(ctx, hostelAdmin, partnership.ID)
			mustOK(t, err)
			if diff := cmp.Diff([]string{trust.ID, hostel.ID}, got.ConfirmedOrgIDs); diff != "" || !slices.Equal(got.Unconfirmed(), []string{police.Name}) {
				t.Errorf("confirmed (-want +got):\n%s; awaiting %v", diff, got.Unconfirmed())
			}
			if n := len(e.entriesFor(t, hostel.ID, waymark.AuditAgreementConfirmed)); n != 1 {
				t.Errorf("%d confirmations audited in the hostel's log; want 1", n)
			}
		})

		t.Run("the recorder's admin changes it; a change from a stale version is refused", func(t *testing.T) {
			e.clock.Advance(24 * time.Hour)
			change := *partnership
			change.Title, change.Status, change.OrgIDs = "Northmoor partnership (renewed)", waymark.AgreementSuspended, []string{police.ID, hostel.ID}
			mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, partnership.ID, 1, &change))
			got, err := svc.FindAgreement(ctx, hostelLead, partnership.ID)
			mustOK(t, err)
			// The recording organisation stays a party even when the form leaves it out.
			want := change
			want.OrgIDs, want.OrgNames = []string{trust.ID, police.ID, hostel.ID}, []string{trust.Name, police.Name, hostel.Name}
			// A new title and status keep the parties' confirmations.
			want.Version, want.UpdatedAt, want.ConfirmedOrgIDs = 2, e.clock.Now(), []string{trust.ID, hostel.ID}
			slices.Sort(want.ConfirmedOrgIDs)
			slices.Sort(got.ConfirmedOrgIDs)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("after the change (-want +got):\n%s", diff)
			}
			stale := *partnership
			stale.Title = "Stale"
			err = svc.UpdateAgreement(ctx, trustAdmin, partnership.ID, 1, &stale)
			wantCode(t, err, waymark.ECONFLICT)
			if !strings.Contains(waymark.ErrorMessage(err), "Someone else changed this agreement") {
				t.Errorf("conflict message %q", waymark.ErrorMessage(err))
			}
			if got, _ := svc.FindAgreement(ctx, trustAdmin, partnership.ID); got.Title != change.Title || got.Version != 2 {
				t.Errorf("the stale change was saved: %+v", got)
			}
			invalid := change
			invalid.ReviewOn = ""
			wantCode(t, svc.UpdateAgreement(ctx, trustAdmin, partnership.ID, 2, &invalid), waymark.EINVALID)
		})

		t.Run("each change is audited with the terms as they then stand, not the reference", func(t *testing.T) {
			created := e.entriesFor(t, trust.ID, waymark.AuditAgreementCreated)
			updated := e.entriesFor(t, trust.ID, waymark.AuditAgreementUpdated)
			// Four made and one changed here; one made and changed twice when its party left.
			if len(created) != 5 || len(updated) != 3 {
				t.Fatalf("%d created and %d updated entries; want 5 and 3", len(created), len(updated))
			}
			x := updated[slices.IndexFunc(updated, func(x *waymark.AuditEntry) bool { return x.ObjectID == partnership.ID })]
			want := "agreement " + partnership.ID + ": Northmoor partnership (renewed); status suspended; parties " + trust.ID + " " + police.ID + " " + hostel.ID +
				"; purposes support safeguarding case_conference; basis safeguarding; from 2026-01-01 to 2027-12-31; review 2027-01-15"
			if x.ObjectType != "agreement" || x.ObjectID != partnership.ID || x.ActorUserID != trustAdmin.UserID || x.Detail != want {
				t.Errorf("update entry %+v\nwant detail %q", x, want)
			}
			for _, x := range append(created, updated...) {
				if strings.Contains(x.Detail, "DSA/2026") {
					t.Errorf("entry %d holds the agreement's reference: %q", x.Seq, x.Detail)
				}
			}
			if n := len(e.entriesFor(t, hostel.ID, waymark.AuditAgreementCreated)); n != 1 {
				t.Errorf("the hostel's log has %d created entries; want its own one", n)
			}
		})
	})
}

func TestAgreementCovers(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewAgreementService(e.db)
		trust := e.org(t, "Covers Freedom Trust", false)
		hostel := e.org(t, "Covers Hostel", false)
		police := e.org(t, "Covers Constabulary", false)
		outsider := e.org(t, "Covers Outsider", false)
		_, trustAdmin := e.user(t, trust, waymark.RoleOrgAdmin)
		_, hostelAdmin := e.user(t, hostel, waymark.RoleOrgAdmin)
		_, policeAdmin := e.user(t, police, waymark.RoleOrgAdmin)
		_, outsiderAdmin := e.user(t, outsider, waymark.RoleOrgAdmin)

		partnership := &waymark.DataSharingAgreement{Title: "Partnership", OrgIDs: []string{hostel.ID, police.ID},
			Purposes: purposes("support", "case_conference"), LawfulBasis: waymark.BasisSafeguarding,
			StartOn: "2026-01-01", EndOn: "2026-12-31", ReviewOn: "2026-06-01", Status: waymark.AgreementActive}
		mustOK(t, svc.CreateAgreement(ctx, trustAdmin, partnership))
		draft := &waymark.DataSharingAgreement{Title: "Draft", OrgIDs: []string{outsider.ID}, Purposes: purposes("investigation"),
			LawfulBasis: waymark.BasisConsent, StartOn: "2026-01-01", ReviewOn: "2027-01-01", Status: waymark.AgreementDraft}
		mustOK(t, svc.CreateAgreement(ctx, trustAdmin, draft))

		covers := func(a, b string, p waymark.SharingPurpose, today string) bool {
			t.Helper()
			ok, err := sqldb.AgreementCovers(ctx, e.db, a, b, p, today)
			mustOK(t, err)
			return ok
		}
		if covers(trust.ID, hostel.ID, "support", "2026-11-27") {
			t.Error("an agreement the hostel has not confirmed covers sharing with it")
		}
		mustOK(t, svc.ConfirmAgreement(ctx, hostelAdmin, partnership.ID, 1))
		mustOK(t, svc.ConfirmAgreement(ctx, policeAdmin, partnership.ID, 1))
		mustOK(t, svc.ConfirmAgreement(ctx, outsiderAdmin, draft.ID, 1))
		for _, tc := range []struct {
			name    string
			a, b    string
			purpose waymark.SharingPurpose
			today   string
			want    bool
		}{
			{"in force, both parties, a purpose named", trust.ID, hostel.ID, "support", "2026-11-27", true},
			{"either way round", hostel.ID, trust.ID, "support", "2026-11-27", true},
			{"two parties neither of which recorded it", hostel.ID, police.ID, "case_conference", "2026-11-27", true},
			{"a purpose not named", trust.ID, hostel.ID, "investigation", "2026-11-27", false},
			{"an organisation not a party", hostel.ID, outsider.ID, "support", "2026-11-27", false},
			{"the day before it starts", trust.ID, hostel.ID, "support", "2025-12-31", false},
			{"the day it starts", trust.ID, hostel.ID, "support", "2026-01-01", true},
			{"its last day", trust.ID, hostel.ID, "support", "2026-12-31", true},
			{"the day after it ends", trust.ID, hostel.ID, "support", "2027-01-01", false},
			{"a draft", trust.ID, outsider.ID, "investigation", "2026-11-27", false},
		} {
			if got := covers(tc.a, tc.b, tc.purpose, tc.today); got != tc.want {
				t.Errorf("%s: covers = %t, want %t", tc.name, got, tc.want)
			}
		}

		// The draft is signed, with no end date; then suspended, then terminated.
		signed := *draft
		signed.Status = waymark.AgreementActive
		mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, draft.ID, 1, &signed))
		// A draft brought into force is confirmed again: what a party confirmed was not yet signed.
		if covers(outsider.ID, trust.ID, "investigation", "2026-11-27") {
			t.Error("a draft brought into force covers sharing before the other party confirmed it again")
		}
		mustOK(t, svc.ConfirmAgreement(ctx, outsiderAdmin, draft.ID, 2))
		if !covers(outsider.ID, trust.ID, "investigation", "2030-01-01") {
			t.Error("a signed agreement with no end date does not cover sharing years later")
		}
		for i, status := range []waymark.AgreementStatus{waymark.AgreementSuspended, waymark.AgreementTerminated} {
			next := signed
			next.Status = status
			mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, draft.ID, 2+i, &next))
			if covers(outsider.ID, trust.ID, "investigation", "2026-11-27") {
				t.Errorf("a %s agreement covers sharing", status)
			}
		}
		// Brought back from termination, it covers nothing until the other party confirms again;
		// a party that withdraws its confirmation is covered no longer, whoever recorded it.
		back := signed
		mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, draft.ID, 4, &back))
		if covers(outsider.ID, trust.ID, "investigation", "2026-11-27") {
			t.Error("a terminated agreement brought back covers sharing before the other party confirmed it again")
		}
		mustOK(t, svc.ConfirmAgreement(ctx, outsiderAdmin, draft.ID, 5))
		wantCode(t, svc.WithdrawConfirmation(ctx, outsiderAdmin, draft.ID, 4), waymark.ECONFLICT)
		mustOK(t, svc.WithdrawConfirmation(ctx, outsiderAdmin, draft.ID, 5))
		if covers(outsider.ID, trust.ID, "investigation", "2026-11-27") {
			t.Error("a party that withdrew its confirmation is still covered")
		}
		wantCode(t, svc.WithdrawConfirmation(ctx, outsiderAdmin, draft.ID, 5), waymark.ECONFLICT)
		if n := len(e.entriesFor(t, outsider.ID, waymark.AuditAgreementWithdrawn)); n != 1 {
			t.Errorf("%d withdrawals audited; want 1", n)
		}
		// A party removed is no longer covered, on the next check.
		fewer := *partnership
		fewer.OrgIDs = []string{hostel.ID}
		mustOK(t, svc.UpdateAgreement(ctx, trustAdmin, partnership.ID, 1, &fewer))
		if covers(trust.ID, police.ID, "support", "2026-11-27") {
			t.Error("an organisation removed from the agreement is still covered")
		}
		// New parties are new terms: the hostel confirms again before it is covered.
		if covers(trust.ID, hostel.ID, "support", "2026-11-27") {
			t.Error("new terms cover the hostel before it confirmed them")
		}
		mustOK(t, svc.ConfirmAgreement(ctx, hostelAdmin, partnership.ID, 2))
		if !covers(trust.ID, hostel.ID, "support", "2026-11-27") {
			t.Error("the parties left are no longer covered")
		}
	})
}
