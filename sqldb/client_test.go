package sqldb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"waymark"
)

// names lists the clients' given names in order.
func names(list []*waymark.Client) []string {
	out := []string{}
	for _, c := range list {
		out = append(out, c.GivenName)
	}
	return out
}

func TestClients(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		mine, theirs := e.org(t, "Client Outreach", false), e.org(t, "Client Hostel", false)
		_, worker := e.user(t, mine, waymark.RoleFrontline)
		_, lead := e.user(t, mine, waymark.RoleSafeguardingLead)
		_, stranger := e.user(t, theirs, waymark.RoleFrontline)

		c := &waymark.Client{Reference: " CASE-001 ", GivenName: " Marta ", FamilyName: "Kowalczyk", KnownAs: []string{"Little Bird", "Emma"},
			DateOfBirth: "1990-04", Gender: waymark.GenderFemale, Nationalities: []string{"PL", "UA"}, Notes: "met at the day centre",
			Contacts: []waymark.Contact{{Kind: "other", Value: "via keyworker"}}}
		mustOK(t, e.clients.CreateClient(ctx, worker, c, nil))

		t.Run("a created client reads back as stored", func(t *testing.T) {
			got, err := e.clients.FindClientByID(ctx, lead, c.ID)
			mustOK(t, err)
			now := e.clock.Now()
			want := &waymark.Client{ID: c.ID, OrgID: mine.ID, Version: 1, Reference: "CASE-001", GivenName: "Marta", FamilyName: "Kowalczyk",
				KnownAs: []string{"Little Bird", "Emma"}, DateOfBirth: "1990-04", Gender: waymark.GenderFemale, Nationalities: []string{"PL", "UA"},
				ConcernStatus: waymark.ConcernNotYetAsked, Notes: "met at the day centre",
				Contacts: []waymark.Contact{{Kind: "other", Value: "via keyworker"}}, CreatedAt: now, UpdatedAt: now, CreatedBy: worker.UserID}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindClientByID (-want +got):\n%s", diff)
			}
		})
		t.Run("a client without any name is refused", func(t *testing.T) {
			err := e.clients.CreateClient(ctx, worker, &waymark.Client{Notes: "no name", Gender: "robot"}, nil)
			wantCode(t, err, waymark.EINVALID)
			if diff := cmp.Diff([]string{"gender", "given_name"}, keys(waymark.ErrorFields(err))); diff != "" {
				t.Errorf("fields with errors (-want +got):\n%s", diff)
			}
		})
		t.Run("another organisation's frontline worker does not find the client", func(t *testing.T) {
			_, err := e.clients.FindClientByID(ctx, stranger, c.ID)
			wantCode(t, err, waymark.ENOTFOUND)
			list, total, err := e.clients.FindClients(ctx, stranger, waymark.ClientFilter{})
			mustOK(t, err)
			if len(list) != 0 || total != 0 {
				t.Errorf("stranger lists %d clients (total %d): %v", len(list), total, names(list))
			}
			list, _, err = e.clients.FindClients(ctx, stranger, waymark.ClientFilter{Name: "marta"})
			mustOK(t, err)
			if len(list) != 0 {
				t.Errorf("stranger's search finds %v", names(list))
			}
		})
		t.Run("roles that see no client records are refused", func(t *testing.T) {
			actors := map[string]waymark.Actor{"system": system}
			for _, role := range []waymark.Role{waymark.RoleAnalyst, waymark.RoleOrgAdmin, waymark.RolePartner, waymark.RoleSystemAdmin} {
				_, actors[string(role)] = e.user(t, mine, role)
			}
			for name, a := range actors {
				got, err := e.clients.FindClientByID(ctx, a, c.ID)
				if code := waymark.ErrorCode(err); code != waymark.ENOTFOUND && code != waymark.EFORBIDDEN {
					t.Errorf("%s: FindClientByID = %v, %v; want not found or forbidden", name, got, err)
				}
				_, _, err = e.clients.FindClients(ctx, a, waymark.ClientFilter{})
				if code := waymark.ErrorCode(err); code != waymark.ENOTFOUND && code != waymark.EFORBIDDEN {
					t.Errorf("%s: FindClients error = %v; want not found or forbidden", name, err)
				}
				err = e.clients.CreateClient(ctx, a, &waymark.Client{GivenName: "Planted"}, nil)
				wantCode(t, err, waymark.EFORBIDDEN)
			}
		})
		t.Run("search matches part of any name, ignoring case", func(t *testing.T) {
			for _, q := range []string{"BIRD", "little b", "emm", "kowal", "MARTA", "  marta  "} {
				list, total, err := e.clients.FindClients(ctx, worker, waymark.ClientFilter{Name: q})
				mustOK(t, err)
				if diff := cmp.Diff([]string{"Marta"}, names(list)); diff != "" || total != 1 {
					t.Errorf("search %q: total %d (-want +got):\n%s", q, total, diff)
				}
			}
			list, _, err := e.clients.FindClients(ctx, worker, waymark.ClientFilter{Name: "nobody"})
			mustOK(t, err)
			if len(list) != 0 {
				t.Errorf("search for nobody found %v", names(list))
			}
		})
		t.Run("percent, underscore and backslash in a search are literal", func(t *testing.T) {
			for _, g := range []string{"Pc 100% Sure", "Us a_b", "Bs back\\slash", "Plain abcb"} {
				mustOK(t, e.clients.CreateClient(ctx, worker, &waymark.Client{GivenName: g, FamilyName: "Wild"}, nil))
			}
			// Searches match whole words or the start of words; wildcard characters match only themselves.
			for q, want := range map[string][]string{
				"%":       {},
				"_":       {},
				"100%":    {"Pc 100% Sure"},
				"100% s":  {"Pc 100% Sure"},
				"a_b":     {"Us a_b"},
				"a_":      {"Us a_b"},
				`back\`:   {`Bs back\slash`},
				`back\sl`: {`Bs back\slash`},
			} {
				list, _, err := e.clients.FindClients(ctx, worker, waymark.ClientFilter{Name: q})
				mustOK(t, err)
				if diff := cmp.Diff(want, names(list), cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
					t.Errorf("search %q (-want +got):\n%s", q, diff)
				}
			}
		})
		t.Run("lists are paged in name order with the total", func(t *testing.T) {
			_, pager := e.frontline(t, "Paging Trust")
			var want []string
			for i := range 7 {
				g := fmt.Sprintf("Given%d", i)
				mustOK(t, e.clients.CreateClient(ctx, pager, &waymark.Client{GivenName: g, FamilyName: fmt.Sprintf("family%02d", 6-i)}, nil))
				want = append([]string{g}, want...)
			}
			var got []string
			for off := 0; off < 9; off += 3 {
				list, total, err := e.clients.FindClients(ctx, pager, waymark.ClientFilter{Page: waymark.Page{Offset: off, Limit: 3}})
				mustOK(t, err)
				if total != 7 {
					t.Errorf("offset %d: total %d, want 7", off, total)
				}
				if wantLen := min(3, 7-off); len(list) != wantLen {
					t.Errorf("offset %d: %d clients, want %d", off, len(list), wantLen)
				}
				got = append(got, names(list)...)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("clients across pages (-want +got):\n%s", diff)
			}
			list, total, err := e.clients.FindClients(ctx, pager, waymark.ClientFilter{Name: "given", Page: waymark.Page{Limit: 2}})
			mustOK(t, err)
			if len(list) != 2 || total != 7 {
				t.Errorf("search page: %d clients of %d, want 2 of 7", len(list), total)
			}
		})
		t.Run("reads, lists and creations are audited without names", func(t *testing.T) {
			var viewed, listed, created int
			for _, x := range e.auditEntries(t, waymark.AuditFilter{OrgID: mine.ID}) {
				switch x.Action {
				case waymark.AuditClientViewed:
					viewed++
					if x.ObjectID != c.ID || x.ObjectType != "client" {
						t.Errorf("client.viewed entry = %+v", x)
					}
				case waymark.AuditClientListViewed:
					listed++
				case waymark.AuditClientCreated:
					created++
				}
				for _, name := range []string{"Marta", "Kowalczyk", "Bird"} {
					if strings.Contains(x.Detail, name) {
						t.Errorf("audit entry %d holds a client's name: %+v", x.Seq, x)
					}
				}
			}
			if viewed == 0 || listed == 0 || created != 5 {
				t.Errorf("viewed %d, listed %d, created %d; want some, some, 5", viewed, listed, created)
			}
		})
	})
}
