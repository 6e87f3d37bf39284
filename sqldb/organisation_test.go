package sqldb_test

import (
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"waymark"
)

func TestOrganisations(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		t.Run("a created organisation reads back as stored", func(t *testing.T) {
			o := &waymark.Organisation{Name: "  Leeds Street Outreach ", Type: waymark.OrgHomelessOutreach, Area: "Leeds", FirstResponder: true, RequireTwoStep: true}
			mustOK(t, e.orgs.CreateOrganisation(ctx, system, o))
			if o.ID == "" || o.CreatedAt.IsZero() {
				t.Fatalf("CreateOrganisation did not fill in ID and CreatedAt: %+v", o)
			}
			got, err := e.orgs.FindOrganisationByID(ctx, system, o.ID)
			mustOK(t, err)
			want := &waymark.Organisation{ID: o.ID, Name: "Leeds Street Outreach", Type: waymark.OrgHomelessOutreach, Area: "Leeds",
				FirstResponder: true, RequireTwoStep: true, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindOrganisationByID (-want +got):\n%s", diff)
			}
			byName, err := e.orgs.FindOrganisationByName(ctx, "leeds   STREET outreach")
			mustOK(t, err)
			if byName.ID != o.ID {
				t.Errorf("FindOrganisationByName found %q, want %q", byName.ID, o.ID)
			}
		})
		t.Run("invalid fields are refused with a message per field", func(t *testing.T) {
			err := e.orgs.CreateOrganisation(ctx, system, &waymark.Organisation{Name: " ", Type: "castle", Area: "a\x00b"})
			wantCode(t, err, waymark.EINVALID)
			if diff := cmp.Diff([]string{"area", "name", "type"}, keys(waymark.ErrorFields(err))); diff != "" {
				t.Errorf("fields with errors (-want +got):\n%s", diff)
			}
		})
		t.Run("a duplicate name in another case conflicts", func(t *testing.T) {
			e.org(t, "Harbour Hostel", false)
			err := e.orgs.CreateOrganisation(ctx, system, &waymark.Organisation{Name: "HARBOUR  hostel", Type: waymark.OrgHomelessHostel})
			wantCode(t, err, waymark.ECONFLICT)
			if waymark.ErrorFields(err)["name"] == "" {
				t.Errorf("conflict has no message for the name field: %v", err)
			}
		})
		t.Run("renaming onto another organisation's name conflicts", func(t *testing.T) {
			a := e.org(t, "Rename Source", false)
			e.org(t, "Rename Target", false)
			_, err := e.orgs.UpdateOrganisation(ctx, system, a.ID, waymark.OrganisationUpdate{Name: ptr("rename target")})
			wantCode(t, err, waymark.ECONFLICT)
		})
		t.Run("only system admins create organisations", func(t *testing.T) {
			home := e.org(t, "Admins Home", false)
			for _, role := range []waymark.Role{waymark.RoleOrgAdmin, waymark.RoleFrontline, waymark.RoleAnalyst} {
				_, actor := e.user(t, home, role)
				err := e.orgs.CreateOrganisation(ctx, actor, &waymark.Organisation{Name: "Made by " + string(role), Type: waymark.OrgOther})
				wantCode(t, err, waymark.EFORBIDDEN)
				_, _, err = e.orgs.FindOrganisations(ctx, actor, waymark.Page{})
				wantCode(t, err, waymark.EFORBIDDEN)
				_, err = e.orgs.UpdateOrganisation(ctx, actor, home.ID, waymark.OrganisationUpdate{Area: ptr("Anywhere")})
				wantCode(t, err, waymark.EFORBIDDEN)
			}
			_, admin := e.user(t, home, waymark.RoleSystemAdmin)
			mustOK(t, e.orgs.CreateOrganisation(ctx, admin, &waymark.Organisation{Name: "Made by a system admin", Type: waymark.OrgOther}))
		})
		t.Run("another organisation is not found for its non-admin users", func(t *testing.T) {
			mine, theirs := e.org(t, "Mine Day Centre", false), e.org(t, "Theirs Day Centre", false)
			_, actor := e.user(t, mine, waymark.RoleOrgAdmin)
			_, err := e.orgs.FindOrganisationByID(ctx, actor, theirs.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			got, err := e.orgs.FindOrganisationByID(ctx, actor, mine.ID)
			mustOK(t, err)
			if got.ID != mine.ID {
				t.Errorf("own organisation: got %q, want %q", got.ID, mine.ID)
			}
			_, err = e.orgs.FindOrganisationByID(ctx, system, "no-such-organisation")
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("an update is stored and audited", func(t *testing.T) {
			o := e.org(t, "Update Me", false)
			e.clock.Advance(time.Hour)
			got, err := e.orgs.UpdateOrganisation(ctx, system, o.ID, waymark.OrganisationUpdate{Area: ptr("Bradford"), RequireTwoStep: ptr(true)})
			mustOK(t, err)
			if got.Area != "Bradford" || !got.RequireTwoStep || !got.UpdatedAt.Equal(e.clock.Now()) || !got.CreatedAt.Equal(o.CreatedAt) {
				t.Errorf("updated organisation = %+v", got)
			}
			again, err := e.orgs.FindOrganisationByID(ctx, system, o.ID)
			mustOK(t, err)
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("stored organisation differs from the returned one (-returned +stored):\n%s", diff)
			}
			var found *waymark.AuditEntry
			for _, x := range e.auditEntries(t, waymark.AuditFilter{OrgID: o.ID}) {
				if x.Action == waymark.AuditOrgUpdated {
					found = x
				}
			}
			want := &waymark.AuditEntry{At: e.clock.Now(), ActorLabel: "command line", OrgID: o.ID, Action: waymark.AuditOrgUpdated,
				ObjectType: "organisation", ObjectID: o.ID, Addr: "local", Detail: "area; two-step required: false -> true"}
			if diff := cmp.Diff(want, found, cmpopts.IgnoreFields(waymark.AuditEntry{}, "Seq", "PrevHash", "Hash")); diff != "" {
				t.Errorf("audit entry for the update (-want +got):\n%s", diff)
			}
		})
		t.Run("an update with an invalid field is refused and changes nothing", func(t *testing.T) {
			o := e.org(t, "Keep My Type", false)
			_, err := e.orgs.UpdateOrganisation(ctx, system, o.ID, waymark.OrganisationUpdate{Type: ptr(waymark.OrgType("bogus")), Area: ptr("Hull")})
			wantCode(t, err, waymark.EINVALID)
			got, err := e.orgs.FindOrganisationByID(ctx, system, o.ID)
			mustOK(t, err)
			if got.Type != waymark.OrgHomelessOutreach || got.Area != "Leeds" {
				t.Errorf("organisation changed by a refused update: %+v", got)
			}
		})
		t.Run("updating an unknown organisation is not found", func(t *testing.T) {
			_, err := e.orgs.UpdateOrganisation(ctx, system, "no-such-organisation", waymark.OrganisationUpdate{Area: ptr("x")})
			wantCode(t, err, waymark.ENOTFOUND)
		})
		t.Run("the list is paged in name order with the total", func(t *testing.T) {
			all, total, err := e.orgs.FindOrganisations(ctx, system, waymark.Page{Limit: waymark.MaxPageSize})
			mustOK(t, err)
			if total != len(all) {
				t.Fatalf("total %d but %d organisations listed", total, len(all))
			}
			for i := range 7 {
				e.org(t, fmt.Sprintf("zz Paged Org %02d", i), false)
			}
			var names []string
			for off := 0; ; off += 3 {
				page, n, err := e.orgs.FindOrganisations(ctx, system, waymark.Page{Offset: off, Limit: 3})
				mustOK(t, err)
				if n != total+7 {
					t.Errorf("total = %d, want %d", n, total+7)
				}
				if len(page) > 3 {
					t.Fatalf("page of %d, limit was 3", len(page))
				}
				if len(page) == 0 {
					break
				}
				for _, o := range page {
					names = append(names, o.Name)
				}
			}
			want := []string{}
			for i := range 7 {
				want = append(want, fmt.Sprintf("zz Paged Org %02d", i))
			}
			if diff := cmp.Diff(want, names[len(names)-7:]); diff != "" {
				t.Errorf("last names across pages (-want +got):\n%s", diff)
			}
			if len(names) != total+7 {
				t.Errorf("paging listed %d organisations, want %d", len(names), total+7)
			}
		})
	})
}

// keys returns the sorted keys of m.
func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestOrganisationDirectory(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		own := e.org(t, "Wharf Lane Hostel", false)
		partner := e.org(t, "Abbey Freedom Trust", false)
		closed := e.org(t, "Closed Day Centre", false)
		_, err := e.orgs.UpdateOrganisation(ctx, system, closed.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
		mustOK(t, err)
		_, frontline := e.user(t, own, waymark.RoleFrontline)

		t.Run("staff of any organisation list the region's open organisations by name", func(t *testing.T) {
			got, err := e.orgs.FindDirectory(ctx, frontline)
			mustOK(t, err)
			var names []string
			for _, o := range got {
				names = append(names, o.Name)
			}
			if diff := cmp.Diff([]string{partner.Name, own.Name}, names); diff != "" {
				t.Errorf("FindDirectory (-want +got):\n%s", diff)
			}
		})
		t.Run("nobody signed in is refused", func(t *testing.T) {
			_, err := e.orgs.FindDirectory(ctx, waymark.Actor{})
			wantCode(t, err, waymark.EFORBIDDEN)
		})
	})
}
