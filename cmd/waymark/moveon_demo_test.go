package main

import (
	"context"
	"strings"
	"testing"

	"waymark"
	"waymark/internal/demo"
	"waymark/linkage"
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

// TestDemoRegionSharing generates the default demo region with every part, once, and checks its
// sharing as the police meet it: consent in every state and records shared with the police that
// the police see (checkDemoConsentAndSharing), and case conferences in every state
// (checkDemoConferences).
func TestDemoRegionSharing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqldbtest.Open(t, sqldbtest.Engines(t)[0], sqldbtest.Options{Matcher: linkage.Matcher{}})
	region, err := demo.Generate(ctx, demoServices(db), demo.Options{Seed: 1, PasswordHash: passwordHash()})
	if err != nil {
		t.Fatal(err)
	}
	var officer waymark.Actor
	for _, u := range region.Users {
		if u.Role == waymark.RolePartner && strings.Contains(u.Email, ".police@") {
			officer = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
		}
	}
	t.Run("consent in every state, and records shared with the police that they see", func(t *testing.T) {
		checkDemoConsentAndSharing(t, db, region, officer)
	})
	t.Run("case conferences in every state", func(t *testing.T) {
		checkDemoConferences(t, db, officer)
	})
}

// checkDemoConsentAndSharing checks the demo has consent in every state and records shared with
// the police that the police see.
func checkDemoConsentAndSharing(t *testing.T, db *sqldb.DB, region *demo.Region, officer waymark.Actor) {
	ctx := context.Background()
	shares, _, _, err := sqldb.NewShareService(db).FindSharedWithMe(ctx, officer, waymark.Page{Limit: waymark.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	// The police have added notes to the records they may add to.
	var notes int
	for _, sh := range shares {
		if !sh.AllowContributions {
			continue
		}
		rec, err := sqldb.NewShareService(db).FindSharedRecord(ctx, officer, sh.ID)
		if err != nil {
			t.Fatal(err)
		}
		notes += len(rec.Contributions)
	}
	var excluded, overrides int
	for _, u := range region.Users {
		if u.Role != waymark.RoleManager {
			continue
		}
		list, err := sqldb.NewConsentService(db).FindOverrides(ctx, waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role})
		if err != nil {
			t.Fatal(err)
		}
		overrides += len(list)
	}
	// Clients who refused to be counted, among the first page of each organisation's list.
	for _, u := range region.Users {
		if u.Role != waymark.RoleFrontline {
			continue
		}
		a := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
		list, _, err := sqldb.NewClientService(db).FindClients(ctx, a, waymark.ClientFilter{Page: waymark.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			h, err := sqldb.NewConsentService(db).FindConsents(ctx, a, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if h.Position.ExcludedFromStatistics() {
				excluded++
			}
		}
	}
	t.Logf("demo: %d records shared with the police, %d notes added by the police, %d overrides, %d clients left out of statistics", len(shares), notes, overrides, excluded)
	if len(shares) == 0 || notes == 0 || overrides == 0 || excluded == 0 {
		t.Errorf("the demo lacks sharing states: %d shared with the police, %d notes added by the police, %d overrides, %d left out of statistics",
			len(shares), notes, overrides, excluded)
	}
}
