package sqldb_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/linkage"
	"waymark/sqldb"
)

// TestFindClientsNameSearchPages specifies a name search shared by more clients than a page: the
// order (family name, then given name, ignoring case, then ID), the pages, the total on every page
// (even one past the end), filters combined with the name, and the audit entry of a page.
func TestFindClientsNameSearchPages(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		// The same database through linkage's matcher, so that searches also go by sound keys.
		cfg := e.cfg
		cfg.Matcher = linkage.Matcher{}
		db, err := sqldb.Open(ctx, cfg)
		mustOK(t, err)
		t.Cleanup(func() { db.Close() })
		svc := sqldb.NewClientService(db)

		mine := e.org(t, "Search Outreach", false)
		_, worker := e.user(t, mine, waymark.RoleFrontline)
		_, stranger := e.frontline(t, "Search Hostel")
		mustOK(t, svc.CreateClient(ctx, stranger, &waymark.Client{GivenName: "Mohammed", FamilyName: "Ali"}, nil))

		// "mohammed" finds its own spelling and, by sound key, the other two; "ali" finds "ALI" and
		// "Alibek" by the start of the word and "Aly" by sound key.
		givens := []string{"Mohammed", "Muhammad", "Mohamed", "Mo", "Sara"}
		families := []string{"Ali", "ALI", "Aly", "Alibek", "Hassan", "Abdi"}
		isMohammed := func(c *waymark.Client) bool { return c.GivenName != "Mo" && c.GivenName != "Sara" }
		isAli := func(c *waymark.Client) bool { return strings.HasPrefix(strings.ToLower(c.FamilyName), "al") }
		var all []*waymark.Client
		for i := range 2 * len(givens) * len(families) {
			c := &waymark.Client{GivenName: givens[i%len(givens)], FamilyName: families[i/len(givens)%len(families)]}
			if i%2 == 0 {
				c.Situation = "hostel"
			}
			mustOK(t, svc.CreateClient(ctx, worker, c, nil))
			if i%3 == 0 {
				c, err = svc.SetConcernStatus(ctx, worker, c.ID, waymark.ConcernSuspected, "")
				mustOK(t, err)
			}
			all = append(all, c)
		}
		want := func(keep func(*waymark.Client) bool) []string {
			var l []*waymark.Client
			for _, c := range all {
				if keep(c) {
					l = append(l, c)
				}
			}
			slices.SortFunc(l, func(a, b *waymark.Client) int {
				if d := strings.Compare(strings.ToLower(a.FamilyName), strings.ToLower(b.FamilyName)); d != 0 {
					return d
				}
				if d := strings.Compare(strings.ToLower(a.GivenName), strings.ToLower(b.GivenName)); d != 0 {
					return d
				}
				return strings.Compare(a.ID, b.ID)
			})
			return clientIDs(l)
		}

		for _, tc := range []struct {
			name   string
			filter waymark.ClientFilter
			keep   func(*waymark.Client) bool
		}{
			{"one word", waymark.ClientFilter{Name: "MOHAMMED"}, isMohammed},
			{"two words", waymark.ClientFilter{Name: "mohammed ali"}, func(c *waymark.Client) bool { return isMohammed(c) && isAli(c) }},
			{"two words and a situation", waymark.ClientFilter{Name: "Ali Mohammed", Situation: "hostel"},
				func(c *waymark.Client) bool { return isMohammed(c) && isAli(c) && c.Situation == "hostel" }},
			{"a word, a concern status and a situation", waymark.ClientFilter{Name: "mohammed", ConcernStatus: waymark.ConcernSuspected, Situation: "hostel"},
				func(c *waymark.Client) bool {
					return isMohammed(c) && c.ConcernStatus == waymark.ConcernSuspected && c.Situation == "hostel"
				}},
			{"a word and not recorded", waymark.ClientFilter{Name: "ali", NotRecorded: true},
				func(c *waymark.Client) bool { return isAli(c) && c.ConcernStatus == waymark.ConcernNotYetAsked }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantIDs := want(tc.keep)
				const limit = 5
				if len(wantIDs) <= limit {
					t.Fatalf("only %d clients match: the search must span pages", len(wantIDs))
				}
				var got []string
				for off := 0; off <= len(wantIDs)+limit; off += limit {
					f := tc.filter
					f.Page = waymark.Page{Offset: off, Limit: limit}
					list, total, err := svc.FindClients(ctx, worker, f)
					mustOK(t, err)
					if total != len(wantIDs) {
						t.Errorf("offset %d: total %d, want %d", off, total, len(wantIDs))
					}
					if n := min(limit, max(0, len(wantIDs)-off)); len(list) != n {
						t.Errorf("offset %d: %d clients, want %d", off, len(list), n)
					}
					got = append(got, clientIDs(list)...)
				}
				if diff := cmp.Diff(wantIDs, got); diff != "" {
					t.Errorf("clients across pages (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("a page of a search is audited with the IDs shown, in order", func(t *testing.T) {
			f := waymark.ClientFilter{Name: "mohammed", ConcernStatus: waymark.ConcernSuspected, Situation: "hostel", Page: waymark.Page{Offset: 1, Limit: 2}}
			list, _, err := svc.FindClients(ctx, worker, f)
			mustOK(t, err)
			wantIDs := want(func(c *waymark.Client) bool {
				return isMohammed(c) && c.ConcernStatus == waymark.ConcernSuspected && c.Situation == "hostel"
			})[1:3]
			if diff := cmp.Diff(wantIDs, clientIDs(list)); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
			entries := e.entriesFor(t, mine.ID, waymark.AuditClientListViewed)
			wantDetail := "filtered by name, concern status, situation; shown: " + strings.Join(wantIDs, " ")
			if last := entries[len(entries)-1]; last.Detail != wantDetail || last.ObjectType != "client" || last.ActorUserID != worker.UserID {
				t.Errorf("entry = %+v, want detail %q", last, wantDetail)
			}
		})
	})
}
