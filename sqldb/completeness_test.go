package sqldb_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestCountRecorded(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		org := e.org(t, "Counting Hostel", false)
		other := e.org(t, "Other Hostel", false)
		_, worker := e.user(t, org, waymark.RoleFrontline)
		_, elsewhere := e.user(t, other, waymark.RoleFrontline)
		_, analyst := e.user(t, org, waymark.RoleAnalyst)
		add := func(a waymark.Actor, status waymark.ConcernStatus) string {
			c := &waymark.Client{GivenName: "A", ConcernStatus: status}
			mustOK(t, e.clients.CreateClient(ctx, a, c, nil))
			return c.ID
		}
		add(worker, waymark.ConcernNotYetAsked)
		add(worker, waymark.ConcernNone)
		suspected := add(worker, waymark.ConcernSuspected)
		disclosed := add(worker, waymark.ConcernDisclosed)
		add(elsewhere, waymark.ConcernDisclosed)
		mustOK(t, sqldb.NewExploitationService(e.db).AddEpisode(ctx, worker, suspected, &waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months"}))
		// An episode without dates or recency does not record when.
		mustOK(t, sqldb.NewExploitationService(e.db).AddEpisode(ctx, worker, disclosed, &waymark.ExploitationEpisode{Types: []string{"labour"}}))
		_, err := sqldb.NewSupportService(e.db).AddSupport(ctx, worker, disclosed, waymark.SupportAction{Type: "interpreter", Start: "2026-01-05"})
		mustOK(t, err)

		t.Run("counts only the organisation's clients", func(t *testing.T) {
			got, err := e.clients.CountRecorded(ctx, worker)
			mustOK(t, err)
			want := waymark.Completeness{Clients: 4, ConcernRecorded: 3, WithConcern: 2, WhenRecorded: 1, SupportRecorded: 1}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("completeness (-want +got):\n%s", diff)
			}
			if got.Percent(got.ConcernRecorded) != 75 || got.PercentOfConcerns(got.WhenRecorded) != 50 {
				t.Errorf("percentages %d, %d; want 75, 50", got.Percent(got.ConcernRecorded), got.PercentOfConcerns(got.WhenRecorded))
			}
		})
		t.Run("roles that see no clients get nothing", func(t *testing.T) {
			_, err := e.clients.CountRecorded(ctx, analyst)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
	})
}
