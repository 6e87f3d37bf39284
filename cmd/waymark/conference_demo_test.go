package main

import (
	"context"
	"testing"

	"waymark"
	"waymark/sqldb"
)

// checkDemoConferences checks the default demo region's case conferences as the police see them:
// the police's panel, held, with cases shared with every attendee, one discussed without sharing,
// minutes and actions in every status; and the council's, still to come.
func checkDemoConferences(t *testing.T, db *sqldb.DB, officer waymark.Actor) {
	ctx := context.Background()
	confs := sqldb.NewConferenceService(db)
	list, err := confs.FindConferences(ctx, officer)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Status != waymark.ConferenceScheduled || list[1].Status != waymark.ConferenceHeld {
		t.Fatalf("the police see %d conferences: %+v", len(list), list)
	}
	d, err := confs.FindConference(ctx, officer, list[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[waymark.ActionStatus]int{}
	var shared, without, minuted int
	for _, c := range d.Cases {
		if c.WithoutSharing {
			without++
			continue
		}
		if c.Visibility.MaySee() {
			shared++
			cd, err := confs.FindConferenceCase(ctx, officer, d.Conference.ID, c.ClientID)
			if err != nil {
				t.Fatal(err)
			}
			if cd.Minutes.Text != "" {
				minuted++
			}
			for _, a := range cd.Actions {
				statuses[a.Status]++
			}
		}
	}
	for _, a := range d.Actions {
		statuses[a.Status]++
	}
	if shared < 2 || without != 1 || minuted < 2 || statuses[waymark.ActionOpen] == 0 || statuses[waymark.ActionDone] == 0 || statuses[waymark.ActionCancelled] == 0 {
		t.Errorf("the police's panel: %d cases shared and %d minuted, %d without sharing, actions %v", shared, minuted, without, statuses)
	}
	next, err := confs.FindConference(ctx, officer, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Cases) == 0 || next.Conference.ChairOrgName != "Northmoor City Council Housing Options" {
		t.Errorf("the council's conference: %+v with %d cases", next.Conference, len(next.Cases))
	}
}
