package main

import (
	"context"
	"testing"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// TestDemoLifeAfterSupport checks that the demo region (its default size) has people at every
// stage after support: on the cliff edge, with follow-ups overdue, and with outcomes to count.
func TestDemoLifeAfterSupport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], 300)
	moveOn := sqldb.NewMoveOnService(tr.db)
	var ending, overdue, atThree, atTwelve, shown int
	for _, u := range tr.region.Users {
		if u.Role != waymark.RoleManager {
			continue
		}
		manager := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
		edge, err := moveOn.FindCliffEdge(ctx, manager, waymark.CliffEdgeOrganisation)
		if err != nil {
			t.Fatal(err)
		}
		ending += len(edge.Ending)
		overdue += len(edge.Overdue)
		out, err := moveOn.FindOutcomes(ctx, manager)
		if err != nil {
			t.Fatal(err)
		}
		atThree += int(out.Rows[0].People)
		atTwelve += int(out.Rows[2].People)
		for _, row := range out.Rows {
			if row.People >= waymark.SuppressBelow && row.StableAccommodation >= waymark.SuppressBelow {
				shown++
			}
		}
	}
	t.Logf("cliff edge %d, follow-ups overdue %d, outcomes at 3 months %d people, at 12 months %d", ending, overdue, atThree, atTwelve)
	if ending == 0 || overdue == 0 || atThree == 0 || atTwelve == 0 {
		t.Errorf("the demo lacks a stage after support: cliff edge %d, overdue %d, at 3 months %d, at 12 months %d", ending, overdue, atThree, atTwelve)
	}
	if shown == 0 {
		t.Error("no organisation has an outcome count large enough to show: the demo shows only suppressed counts")
	}
}
