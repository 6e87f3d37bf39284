package main

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"waymark"
	"waymark/internal/demo"
	"waymark/linkage"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
	"waymark/stats"
)

// rawDemo is the demo region's data read straight from its tables, to count people without the
// store's statistics code.
type rawDemo struct {
	orgs    map[string][2]string // id -> area, type
	clients map[string]rawClient
	events  map[waymark.Population][]rawEvent
	// episodes, referrals and reports by client.
	episodes  map[string][]rawEpisode
	referrals map[string][]string
	reports   map[string][]string
}

type rawClient struct {
	id, org, given, family, dob, gender, nationalities string
	estimatedAge                                       int
	created                                            time.Time
	excluded                                           bool
}

type rawEpisode struct{ types, under18, location, start string }

type rawEvent struct {
	client, id, date, detail string
	days                     int
}

func readRawDemo(t *testing.T, db *sql.DB) *rawDemo {
	t.Helper()
	ctx := context.Background()
	d := &rawDemo{orgs: map[string][2]string{}, clients: map[string]rawClient{}, events: map[waymark.Population][]rawEvent{},
		episodes: map[string][]rawEpisode{}, referrals: map[string][]string{}, reports: map[string][]string{}}
	each := func(query string, scan func(*sql.Rows) error) {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	each(`SELECT id, area, type FROM organisations`, func(r *sql.Rows) error {
		var id, area, typ string
		err := r.Scan(&id, &area, &typ)
		d.orgs[id] = [2]string{area, typ}
		return err
	})
	each(`SELECT id, org_id, given_name, family_name, date_of_birth, gender, nationalities, estimated_age, created_at, excluded_from_statistics FROM clients`, func(r *sql.Rows) error {
		var c rawClient
		err := r.Scan(&c.id, &c.org, &c.given, &c.family, &c.dob, &c.gender, &c.nationalities, &c.estimatedAge, &c.created, &c.excluded)
		d.clients[c.id] = c
		return err
	})
	each(`SELECT client_id, types, under_18, location, start_date FROM exploitation_episodes`, func(r *sql.Rows) error {
		var id string
		var e rawEpisode
		err := r.Scan(&id, &e.types, &e.under18, &e.location, &e.start)
		d.episodes[id] = append(d.episodes[id], e)
		return err
	})
	event := func(p waymark.Population, query string) {
		each(query, func(r *sql.Rows) error {
			var e rawEvent
			var at any
			err := r.Scan(&e.client, &e.id, &at, &e.detail)
			switch v := at.(type) {
			case time.Time:
				e.date = v.UTC().Format(time.DateOnly)
			case string:
				e.date = v[:min(10, len(v))]
			case []byte:
				e.date = string(v[:min(10, len(v))])
			}
			e.days = -1
			d.events[p] = append(d.events[p], e)
			return err
		})
	}
	event(waymark.PopScreened, `SELECT client_id, id, asked_at, '' FROM screenings`)
	event(waymark.PopConcerns, `SELECT client_id, id, at, status FROM client_concern_changes WHERE status IN ('suspected', 'disclosed', 'confirmed')`)
	event(waymark.PopReferred, `SELECT client_id, id, submitted_on, 'nrm' FROM nrm_referrals`)
	event(waymark.PopReferred, `SELECT client_id, id, submitted_on, 'dtn' FROM duty_to_notify_reports`)
	event(waymark.PopReasonableGrounds, `SELECT client_id, id, decided_on, outcome FROM nrm_decisions WHERE stage = 'reasonable_grounds'`)
	event(waymark.PopConclusiveGrounds, `SELECT client_id, id, decided_on, outcome FROM nrm_decisions WHERE stage = 'conclusive_grounds'`)
	for _, e := range d.events[waymark.PopReferred] {
		if e.detail == "nrm" {
			d.referrals[e.client] = append(d.referrals[e.client], e.date)
		} else {
			d.reports[e.client] = append(d.reports[e.client], e.date)
		}
	}
	return d
}

// count works out, from the raw data, how many people of population p in year y fall in each
// category of breakdown b, quarter and area: keyed "category|quarter|area", quarter 0 the year and
// area "*" the region.
func (d *rawDemo) count(y waymark.ReportingYear, p waymark.Population, b waymark.Breakdown) map[string]int {
	firsts := map[string]rawEvent{}
	norm := linkage.Matcher{}
	for _, e := range d.events[p] {
		c := d.clients[e.client]
		if c.excluded || e.date < y.Start().Format(time.DateOnly) || e.date >= y.End().Format(time.DateOnly) {
			continue
		}
		person := "c:" + c.id
		if c.given != "" && c.family != "" && len(c.dob) == 10 {
			person = norm.Normalize(c.given) + "|" + norm.Normalize(c.family) + "|" + c.dob
		}
		if f, ok := firsts[person]; !ok || e.date < f.date || (e.date == f.date && (e.client < f.client || e.client == f.client && e.id < f.id)) {
			firsts[person] = e
		}
	}
	out := map[string]int{}
	for _, e := range firsts {
		c := d.clients[e.client]
		day, _ := time.Parse(time.DateOnly, e.date)
		q := y.QuarterOf(day)
		cat := d.category(y, c, e, b)
		area := d.orgs[c.org][0]
		for _, qq := range []int{0, q} {
			for _, a := range []string{"*", area} {
				out[fmt.Sprintf("%s|%d|%s", cat, qq, a)]++
			}
		}
	}
	return out
}

// category is the person's category, or "" for the breakdowns this test leaves to the store's
// tests (the age at exploitation, worked out from partial dates).
func (d *rawDemo) category(y waymark.ReportingYear, c rawClient, e rawEvent, b waymark.Breakdown) string {
	eps := d.episodes[c.id]
	switch b {
	case waymark.ByOrgType:
		return d.orgs[c.org][1]
	case waymark.ByGender:
		if c.gender == "female" || c.gender == "male" || c.gender == "other" {
			return c.gender
		}
		return waymark.CategoryNotKnown
	case waymark.ByNationality:
		if c.nationalities == "" {
			return waymark.CategoryNotKnown
		}
		return strings.Split(c.nationalities, "\n")[0]
	case waymark.ByExploitationType:
		types := map[string]bool{}
		for _, ep := range eps {
			for _, ty := range strings.Split(ep.types, "\n") {
				if ty != "" {
					types[ty] = true
				}
			}
		}
		switch len(types) {
		case 0:
			return waymark.CategoryNotRecorded
		case 1:
			for ty := range types {
				return ty
			}
		}
		return waymark.CategoryMultiple
	case waymark.ByLocation:
		uk, overseas := false, false
		for _, ep := range eps {
			uk = uk || ep.location == "uk" || ep.location == "both"
			overseas = overseas || ep.location == "overseas" || ep.location == "both"
		}
		switch {
		case uk && overseas:
			return "both"
		case uk:
			return "uk"
		case overseas:
			return "overseas"
		}
		return waymark.CategoryNotKnown
	case waymark.ByRoute:
		end := y.End().Format(time.DateOnly)
		for _, r := range d.referrals[c.id] {
			if r < end {
				return "nrm"
			}
		}
		for _, r := range d.reports[c.id] {
			if r < end {
				return "duty_to_notify"
			}
		}
		return "none"
	case waymark.ByDecision:
		if e.detail == "positive" || e.detail == "negative" {
			return e.detail
		}
		return "other"
	}
	return ""
}

// TestContractReturnMatchesTheDemoData builds the demo region, reads its tables directly and
// counts people for every area and quarter of this year's returns independently of the store's
// statistics code; every figure the return shows must equal that count, and every count from 1
// to 4 must be hidden. Every breakdown is checked but the two ages at exploitation, which the
// store's tests check from dates of birth and estimated ages.
func TestContractReturnMatchesTheDemoData(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			cfg := sqldbtest.Config(t, engine, sqldbtest.Options{Matcher: linkage.Matcher{}})
			db, err := sqldb.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			today := time.Now().UTC()
			region, err := demo.Generate(ctx, demoServices(db), demo.Options{Seed: 1, Today: today, PasswordHash: passwordHash()})
			if err != nil {
				t.Fatal(err)
			}
			var analyst waymark.Actor
			for _, u := range region.Users {
				if u.Role == waymark.RoleAnalyst {
					analyst = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "api"}
				}
			}
			raw := readRawDemo(t, sqldbtest.Raw(t, cfg))
			year := waymark.ReportingYearOf(today)
			facts, err := sqldb.NewStatisticsService(db).RegionalFacts(ctx, analyst, year, waymark.ViewReturn, "test")
			if err != nil {
				t.Fatal(err)
			}
			report, err := stats.Build(facts, stats.DefaultRule)
			if err != nil {
				t.Fatal(err)
			}
			shown, hidden := 0, 0
			for _, p := range []waymark.Population{waymark.PopScreened, waymark.PopConcerns, waymark.PopReferred, waymark.PopReasonableGrounds, waymark.PopConclusiveGrounds} {
				pop := report.Find(p)
				for _, table := range pop.Tables {
					if table.Breakdown == waymark.ByAgeGroup || table.Breakdown == waymark.ByAgeBand {
						continue
					}
					want := raw.count(year, p, table.Breakdown)
					for a := stats.Region; a < len(report.Areas); a++ {
						area := "*"
						if a != stats.Region {
							area = report.Areas[a].Value
						}
						for q := stats.Year; q <= waymark.Quarters; q++ {
							for c, cat := range table.Categories {
								n := want[fmt.Sprintf("%s|%d|%s", cat.Value, q, area)]
								cell := table.Cell(c, q, a)
								if v, ok := cell.Value(); ok {
									shown++
									if v != n {
										t.Errorf("%s, %s %q, quarter %d, area %q: return shows %d, the raw data has %d", p, table.Breakdown, cat.Value, q, area, v, n)
									}
								} else {
									hidden++
								}
								if n > 0 && n < stats.DefaultRule.Threshold && !cell.Hidden() {
									t.Errorf("%s, %s %q, quarter %d, area %q: %d shown", p, table.Breakdown, cat.Value, q, area, n)
								}
							}
						}
					}
				}
			}
			areas := make([]string, len(report.Areas))
			for i, a := range report.Areas {
				areas[i] = a.Label
			}
			sort.Strings(areas)
			t.Logf("%s: %d figures shown and equal to the raw data's counts, %d hidden; areas %v", year, shown, hidden, areas)
			if shown < 50 {
				t.Errorf("only %d figures shown: the demo region gives the return too little to check", shown)
			}
		})
	}
}
