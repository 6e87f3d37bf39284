package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"waymark"
	"waymark/internal/demo"
	"waymark/linkage"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
	"waymark/stats"
)

// loadClients is how many clients request at once in the load benchmarks.
const loadClients = 50

// BenchmarkSignedInHome measures the signed-in home page under 50 concurrent clients over real
// HTTP on each engine, beside a trivial handler measured in the same run, and reports requests per
// second and p50/p99 latency. Run it with:
//
//	go test -run '^$' -bench SignedInHome -benchtime 5000x ./cmd/waymark
func BenchmarkSignedInHome(b *testing.B) {
	b.Run("trivial-handler", func(b *testing.B) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
		defer ts.Close()
		load(b, ts.URL+"/", nil)
	})
	for _, engine := range sqldbtest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			tr := newTestRegion(b, engine, 45)
			c := tr.newClient(b)
			c.signIn(tr.user(b, waymark.RoleFrontline, waymark.OrgHomelessOutreach).Email)
			load(b, tr.srv.URL+"/home", c.c.Jar.Cookies(mustURL(tr.srv.URL)))
		})
	}
}

// BenchmarkClientPage measures a client's record page, which writes an audit entry on every view,
// under 50 concurrent clients on each engine, beside the trivial handler in the same run:
//
//	go test -run '^$' -bench ClientPage -benchtime 3000x ./cmd/waymark
func BenchmarkClientPage(b *testing.B) {
	b.Run("trivial-handler", func(b *testing.B) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
		defer ts.Close()
		load(b, ts.URL+"/", nil)
	})
	for _, engine := range sqldbtest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			tr := newTestRegion(b, engine, 45)
			u := tr.user(b, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
			c := tr.newClient(b)
			c.signIn(u.Email)
			load(b, tr.srv.URL+"/clients/"+tr.clients[u.OrgID][0], c.c.Jar.Cookies(mustURL(tr.srv.URL)))
		})
	}
}

// load sends b.N GET requests from loadClients goroutines and reports throughput and latency.
func load(b *testing.B, url string, cookies []*http.Cookie) {
	tr := &http.Transport{MaxIdleConns: loadClients, MaxIdleConnsPerHost: loadClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	latencies := make([]time.Duration, b.N)
	var next int64
	var mu sync.Mutex
	var failed error
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range loadClients {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= int64(b.N) {
					return
				}
				req, _ := http.NewRequest("GET", url, nil)
				for _, c := range cookies {
					req.AddCookie(c)
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				latencies[i] = time.Since(t0)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed != nil {
		b.Fatalf("request failed: %v", failed)
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[b.N/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[b.N*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkSearch measures searching one organisation of many clients (100,000 unless
// WAYMARK_BENCH_CLIENTS says otherwise) on each engine: a name search of the client list, and the
// search for possible matches before adding someone, each over names taken from the loaded clients.
//
//	go test -run '^$' -bench Search -benchtime 200x -timeout 60m ./cmd/waymark
func BenchmarkSearch(b *testing.B) {
	n := benchClients()
	ctx := context.Background()
	for _, engine := range sqldbtest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := sqldbtest.Open(b, engine, sqldbtest.Options{Matcher: linkage.Matcher{}})
			org := &waymark.Organisation{Name: "Large Outreach", Type: waymark.OrgHomelessOutreach}
			if err := sqldb.NewOrganisationService(db).CreateOrganisation(ctx, waymark.SystemActor(), org); err != nil {
				b.Fatal(err)
			}
			u := &waymark.User{OrgID: org.ID, Email: "worker@example.org", Name: "Worker", Role: waymark.RoleFrontline}
			if err := sqldb.NewUserService(db).CreateUser(ctx, waymark.SystemActor(), u, passwordHash()); err != nil {
				b.Fatal(err)
			}
			actor := waymark.Actor{UserID: u.ID, OrgID: org.ID, Role: u.Role}
			clients := demo.SyntheticClients(7, n, time.Now(), "LRG")
			start := time.Now()
			if err := sqldb.NewClientService(db).ImportClients(ctx, actor, clients); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: loaded %d clients in %.1fs", engine, n, time.Since(start).Seconds())
			svc := sqldb.NewClientService(db)
			probes := clients[:min(len(clients), 500)]
			b.Run("list-by-name", func(b *testing.B) {
				timed(b, func(i int) error {
					p := probes[i%len(probes)]
					_, _, err := svc.FindClients(ctx, actor, waymark.ClientFilter{Name: p.GivenName + " " + p.FamilyName})
					return err
				})
			})
			b.Run("possible-matches", func(b *testing.B) {
				timed(b, func(i int) error {
					p := *probes[i%len(probes)]
					p.GivenName = strings.ToLower(p.GivenName) // as typed in a hurry
					_, err := svc.FindPossibleMatches(ctx, actor, p)
					return err
				})
			})
		})
	}
}

// timed runs fn b.N times in sequence and reports p50 and p99 latency.
func timed(b *testing.B, fn func(i int) error) {
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		if err := fn(i); err != nil {
			b.Fatal(err)
		}
		lat[i] = time.Since(t0)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[b.N*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkLifeAfterSupport measures the work that reads a whole organisation's life after support:
// the tasks job (across the region), the cliff-edge view (the organisation's and a worker's) and
// the outcomes, on one organisation of 100,000 clients (or WAYMARK_BENCH_CLIENTS) of whom a quarter
// have a move-on plan with support ending from 600 days ago to 60 days ahead, and a third of those
// whose support has ended have their first follow-up recorded.
//
//	go test -run '^$' -bench LifeAfterSupport -benchtime 20x -timeout 60m ./cmd/waymark
func BenchmarkLifeAfterSupport(b *testing.B) {
	n := benchClients()
	ctx := context.Background()
	for _, engine := range sqldbtest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := sqldbtest.Open(b, engine, sqldbtest.Options{Matcher: linkage.Matcher{}})
			org := &waymark.Organisation{Name: "Large Outreach", Type: waymark.OrgHomelessOutreach}
			if err := sqldb.NewOrganisationService(db).CreateOrganisation(ctx, waymark.SystemActor(), org); err != nil {
				b.Fatal(err)
			}
			actors := map[waymark.Role]waymark.Actor{}
			for _, role := range []waymark.Role{waymark.RoleFrontline, waymark.RoleManager} {
				u := &waymark.User{OrgID: org.ID, Email: string(role) + "@example.org", Name: string(role), Role: role}
				if err := sqldb.NewUserService(db).CreateUser(ctx, waymark.SystemActor(), u, passwordHash()); err != nil {
					b.Fatal(err)
				}
				actors[role] = waymark.Actor{UserID: u.ID, OrgID: org.ID, Role: role}
			}
			worker, manager := actors[waymark.RoleFrontline], actors[waymark.RoleManager]
			clients := demo.SyntheticClients(7, n, time.Now(), "LRG")
			for i, c := range clients {
				if i%2 == 0 {
					c.AssignedWorkerID = worker.UserID
				}
			}
			start := time.Now()
			if err := sqldb.NewClientService(db).ImportClients(ctx, worker, clients); err != nil {
				b.Fatal(err)
			}
			moveOn := sqldb.NewMoveOnService(db)
			today := time.Now()
			plans, followUps := 0, 0
			for i, c := range clients {
				if i%4 != 0 {
					continue
				}
				end := today.AddDate(0, 0, 60-(i*7919)%660)
				p := &waymark.MoveOnPlan{SupportEndsOn: end.Format(time.DateOnly), AccommodationType: "social_tenancy", AccommodationStatus: "looking"}
				if i%8 == 0 {
					p.AccommodationStatus, p.Employment = "moved_in", "employed"
				}
				if err := moveOn.SavePlan(ctx, worker, c.ID, 0, p); err != nil {
					b.Fatal(err)
				}
				plans++
				if waymark.AddMonths(p.SupportEndsOn, 1) <= waymark.Today(today) && i%3 == 0 {
					if err := moveOn.RecordFollowUp(ctx, worker, c.ID, 0, &waymark.FollowUp{Months: 1, Contacted: true, StableAccommodation: waymark.AnswerYes,
						RoughSleeping: waymark.AnswerNo, ReExploited: waymark.AnswerNo, InContact: waymark.AnswerYes}); err != nil {
						b.Fatal(err)
					}
					followUps++
				}
			}
			tasks := sqldb.NewTaskService(db)
			opened, _, err := tasks.RefreshTasks(ctx, waymark.Actor{System: true, Via: "bench"}, waymark.DefaultTaskSettings)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d clients, %d plans, %d follow-ups loaded in %.1fs; the first tasks run opened %d", engine, n, plans, followUps, time.Since(start).Seconds(), opened)
			for _, run := range []struct {
				name string
				fn   func() error
			}{
				{"refresh-tasks", func() error {
					_, _, err := tasks.RefreshTasks(ctx, waymark.Actor{System: true, Via: "bench"}, waymark.DefaultTaskSettings)
					return err
				}},
				{"cliff-edge-organisation", func() error {
					_, err := moveOn.FindCliffEdge(ctx, manager, waymark.CliffEdgeOrganisation)
					return err
				}},
				{"cliff-edge-mine", func() error {
					_, err := moveOn.FindCliffEdge(ctx, worker, waymark.CliffEdgeMine)
					return err
				}},
				{"outcomes", func() error {
					_, err := moveOn.FindOutcomes(ctx, manager)
					return err
				}},
			} {
				b.Run(run.name, func(b *testing.B) { timed(b, func(int) error { return run.fn() }) })
			}
		})
	}
}

// BenchmarkRegionalStatistics measures the regional statistics over a region of 100,000 clients
// (or WAYMARK_BENCH_CLIENTS) in 12 organisations across 4 areas, with about 10 recorded events per
// client over five financial years (1,000,000 at the default size: screenings, concern changes,
// exploitation episodes, NRM referrals, Duty to Notify reports, NRM decisions and follow-ups) and
// one person in twenty recorded by a second organisation. The rows are loaded with raw multi-row
// inserts behind the store's back, without person keys, and the store is then reopened, so the
// start-up backfill of person keys is timed too. "dashboard" is one year's facts counted and
// protected; "return" adds reading one area's quarter from every table.
//
//	go test -run '^$' -bench RegionalStatistics -benchtime 10x -timeout 60m ./cmd/waymark
func BenchmarkRegionalStatistics(b *testing.B) {
	n := benchClients()
	ctx := context.Background()
	for _, engine := range sqldbtest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			cfg := sqldbtest.Config(b, engine, sqldbtest.Options{Matcher: linkage.Matcher{}})
			db, err := sqldb.Open(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			areas := []string{"Harrowdale", "Kirkby", "Mossley", "Thornbury"}
			types := []waymark.OrgType{waymark.OrgHomelessOutreach, waymark.OrgHomelessHostel, waymark.OrgHomelessDayCentre,
				waymark.OrgLAHousing, waymark.OrgPolice, waymark.OrgAntiSlaveryCharity}
			var orgs []*waymark.Organisation
			for i := range 12 {
				o := &waymark.Organisation{Name: fmt.Sprintf("Organisation %d", i+1), Type: types[i%len(types)], Area: areas[i%len(areas)]}
				if err := sqldb.NewOrganisationService(db).CreateOrganisation(ctx, waymark.SystemActor(), o); err != nil {
					b.Fatal(err)
				}
				orgs = append(orgs, o)
			}
			u := &waymark.User{OrgID: orgs[0].ID, Email: "analyst@example.org", Name: "Analyst", Role: waymark.RoleAnalyst}
			if err := sqldb.NewUserService(db).CreateUser(ctx, waymark.SystemActor(), u, passwordHash()); err != nil {
				b.Fatal(err)
			}
			analyst := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
			db.Close()

			start := time.Now()
			rows := loadRegion(b, cfg, orgs, n)
			loaded := time.Since(start)
			start = time.Now()
			db, err = sqldb.Open(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			b.Logf("%s: %d clients and %d events loaded in %.1fs; person keys filled at start-up in %.1fs", engine, n, rows, loaded.Seconds(), time.Since(start).Seconds())

			svc := sqldb.NewStatisticsService(db)
			year := waymark.ReportingYear(2025)
			dashboard := func() (*stats.Report, error) {
				f, err := svc.RegionalFacts(ctx, analyst, year, waymark.ViewDashboard, "area: all")
				if err != nil {
					return nil, err
				}
				return stats.Build(f, stats.DefaultRule)
			}
			if f, err := svc.RegionalFacts(ctx, analyst, year, waymark.ViewDashboard, ""); err != nil {
				b.Fatal(err)
			} else {
				t0 := time.Now()
				if _, err := stats.Build(f, stats.DefaultRule); err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: %d person facts in %d nationalities; stats.Build alone took %.0f ms", engine, len(f.People), len(f.Nationalities), time.Since(t0).Seconds()*1000)
			}
			b.Run("facts", func(b *testing.B) {
				timed(b, func(int) error {
					_, err := svc.RegionalFacts(ctx, analyst, year, waymark.ViewDashboard, "")
					return err
				})
			})
			b.Run("dashboard", func(b *testing.B) {
				timed(b, func(int) error { _, err := dashboard(); return err })
			})
			b.Run("return", func(b *testing.B) {
				timed(b, func(int) error {
					r, err := dashboard()
					if err != nil {
						return err
					}
					a := r.AreaIndex("Kirkby")
					for _, p := range r.Populations {
						p.Total(2, a)
						p.Median(2, a)
						for _, t := range p.Tables {
							for c := range t.Categories {
								t.Cell(c, 2, a)
							}
						}
					}
					return nil
				})
			})
		})
	}
}

// benchClients is how many clients the large benchmarks load: 100,000 unless
// WAYMARK_BENCH_CLIENTS says otherwise.
func benchClients() int {
	if v, err := strconv.Atoi(os.Getenv("WAYMARK_BENCH_CLIENTS")); err == nil && v > 0 {
		return v
	}
	return 100_000
}

// loadRegion writes n clients of the organisations and their events straight into the tables, in
// multi-row inserts, and returns how many events it wrote. The rows have no person keys: the
// store fills them when it next opens.
func loadRegion(b *testing.B, cfg sqldb.Config, orgs []*waymark.Organisation, n int) int {
	b.Helper()
	raw := sqldbtest.Raw(b, cfg, "_pragma=synchronous(OFF)", "_time_format=sqlite")
	raw.SetMaxOpenConns(1)
	rng := rand.New(rand.NewPCG(2025, 27))
	first := time.Date(2021, time.April, 1, 0, 0, 0, 0, time.UTC)
	span := int(time.Date(2026, time.April, 1, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24)
	day := func() time.Time {
		return first.AddDate(0, 0, rng.IntN(span)).Add(time.Duration(rng.IntN(86400)) * time.Second)
	}
	date := func() string { return day().Format(time.DateOnly) }
	given := []string{"Adam", "Agnieszka", "Ali", "Ana", "Andrei", "Bashir", "Chen", "Daniel", "Elena", "Fatima", "Grace", "Hassan", "Ioana",
		"James", "Jan", "Kofi", "Lina", "Mariam", "Mohammed", "Nguyen", "Olena", "Pawel", "Rui", "Sara", "Tomas", "Yusuf"}
	family := []string{"Ahmed", "Balogun", "Chowdhury", "Dumitru", "Evans", "Fernandes", "Gashi", "Hussain", "Ionescu", "Jones", "Kowalski",
		"Le", "Mensah", "Novak", "Okafor", "Popescu", "Qureshi", "Rossi", "Smith", "Tran", "Usman", "Vasile", "Wang", "Yilmaz", "Zaman"}
	nats := []string{"GB", "RO", "PL", "AL", "VN", "ER", "SD", "IN", "NG", "CN", "LT", "UA", "IR", "AF", "SY"}
	genders := []string{"female", "male", "male", "other", "not_known", ""}
	type client struct{ id, org string }
	clients := make([]client, n)
	var prev [3]string
	bulk(b, raw, cfg.URL != "", "clients", []string{"id", "org_id", "given_name", "family_name", "date_of_birth", "estimated_age", "gender", "nationalities",
		"excluded_from_statistics", "created_at", "updated_at"}, n, func(i int) []any {
		c := client{id: fmt.Sprintf("c%07d", i), org: orgs[rng.IntN(len(orgs))].ID}
		g, f := given[rng.IntN(len(given))], family[rng.IntN(len(family))]+fmt.Sprint(rng.IntN(50))
		dob, est := fmt.Sprintf("%d-%02d-%02d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28)), 0
		switch rng.IntN(20) {
		case 0, 1, 2:
			dob = dob[:4]
		case 3, 4:
			dob, est = "", 18+rng.IntN(50)
		}
		nat := nats[rng.IntN(len(nats))]
		switch rng.IntN(10) {
		case 0:
			nat = ""
		case 1:
			nat += "\n" + nats[rng.IntN(len(nats))]
		}
		created := day()
		if i%20 == 19 {
			// One person in twenty is also known to another organisation: the same names and date of birth.
			g, f, dob = prev[0], prev[1], prev[2]
		}
		prev = [3]string{g, f, dob}
		clients[i] = c
		return []any{c.id, c.org, g, f, dob, est, genders[rng.IntN(len(genders))], nat, rng.IntN(50) == 0, created, created}
	})
	// The events, about 10 per client: pick returns a client and its organisation.
	pick := func() client { return clients[rng.IntN(n)] }
	events := 0
	scale := func(per100k int) int { return per100k * n / 100_000 }
	count := func(k int) int { events += k; return k }
	bulk(b, raw, cfg.URL != "", "screenings", []string{"id", "client_id", "org_id", "set_id", "asked_at", "answers", "proposed_status"}, count(scale(400_000)), func(i int) []any {
		c := pick()
		return []any{fmt.Sprintf("s%07d", i), c.id, c.org, "hmis-trafficking-v1", day(), "{}", "no_concerns"}
	})
	statuses := []string{"suspected", "suspected", "disclosed", "confirmed", "no_concerns", "not_yet_asked"}
	bulk(b, raw, cfg.URL != "", "client_concern_changes", []string{"id", "client_id", "org_id", "at", "status"}, count(scale(200_000)), func(i int) []any {
		c := pick()
		return []any{fmt.Sprintf("k%07d", i), c.id, c.org, day(), statuses[rng.IntN(len(statuses))]}
	})
	exTypes := []string{"labour", "sexual", "criminal", "domestic_servitude", "other", "labour\ncriminal"}
	answers := []string{"yes", "no", "no", "not_known", ""}
	locations := []string{"uk", "uk", "overseas", "both", "not_known", ""}
	bulk(b, raw, cfg.URL != "", "exploitation_episodes", []string{"id", "client_id", "org_id", "types", "start_date", "under_18", "location", "recorded_by", "recorded_at"},
		count(scale(120_000)), func(i int) []any {
			c := pick()
			start := fmt.Sprint(2000 + rng.IntN(26))
			if rng.IntN(2) == 0 {
				start += fmt.Sprintf("-%02d", 1+rng.IntN(12))
			}
			return []any{fmt.Sprintf("e%07d", i), c.id, c.org, exTypes[rng.IntN(len(exTypes))], start, answers[rng.IntN(len(answers))],
				locations[rng.IntN(len(locations))], "bench", day()}
		})
	bulk(b, raw, cfg.URL != "", "nrm_referrals", []string{"id", "client_id", "org_id", "submitted_on", "first_responder_org_id", "recorded_by", "recorded_at"},
		count(scale(60_000)), func(i int) []any {
			c := pick()
			return []any{fmt.Sprintf("r%07d", i), c.id, c.org, date(), c.org, "bench", day()}
		})
	bulk(b, raw, cfg.URL != "", "duty_to_notify_reports", []string{"id", "client_id", "org_id", "agrees_to_cooperate", "submitted_on", "recorded_by", "recorded_at"},
		count(scale(40_000)), func(i int) []any {
			c := pick()
			return []any{fmt.Sprintf("d%07d", i), c.id, c.org, rng.IntN(2) == 0, date(), "bench", day()}
		})
	outcomes := []string{"positive", "positive", "negative", "suspended", "withdrawn"}
	bulk(b, raw, cfg.URL != "", "nrm_decisions", []string{"id", "client_id", "org_id", "stage", "outcome", "authority", "decided_on", "recorded_by", "recorded_at"},
		count(scale(100_000)), func(i int) []any {
			c := pick()
			stage := "reasonable_grounds"
			if i%5 >= 3 {
				stage = "conclusive_grounds"
			}
			return []any{fmt.Sprintf("n%07d", i), c.id, c.org, stage, outcomes[rng.IntN(len(outcomes))], "sca", date(), "bench", day()}
		})
	// Follow-ups: 1, 3, 6 and 12 months after support for 18% of clients, one in nine saved twice.
	months := []int{1, 3, 6, 12}
	followed := scale(18_000)
	bulk(b, raw, cfg.URL != "", "follow_ups", []string{"id", "client_id", "org_id", "months", "due_on", "contacted", "stable_accommodation", "rough_sleeping",
		"re_exploited", "in_contact", "attempts", "version", "recorded_by", "recorded_at"}, count(scale(80_000)), func(i int) []any {
		k, version := i, 1
		if i >= 4*followed {
			k, version = (i-4*followed)*9%(4*followed), 2
		}
		c := clients[k/4*n/followed%n]
		return []any{fmt.Sprintf("f%07d", i), c.id, c.org, months[k%4], date(), rng.IntN(5) > 0, answers[rng.IntN(len(answers))],
			answers[rng.IntN(len(answers))], answers[rng.IntN(len(answers))], answers[rng.IntN(len(answers))], "", version, "bench", day()}
	})
	if cfg.URL != "" {
		// What autovacuum would have done by the time a region had built up this much.
		if _, err := raw.Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	return events
}

// bulk inserts n rows into table, 500 to a statement, in one transaction.
func bulk(b *testing.B, raw *sql.DB, pg bool, table string, cols []string, n int, row func(i int) []any) {
	b.Helper()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	const per = 500
	for lo := 0; lo < n; lo += per {
		hi := min(n, lo+per)
		var sb strings.Builder
		args := make([]any, 0, (hi-lo)*len(cols))
		sb.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		for i := lo; i < hi; i++ {
			if i > lo {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for j := range cols {
				if j > 0 {
					sb.WriteString(", ")
				}
				if pg {
					sb.WriteString("$" + strconv.Itoa(len(args)+j+1))
				} else {
					// SQLite looks each named parameter up in a list: thousands of "$n" in one statement
					// parse in quadratic time, plain "?" in linear.
					sb.WriteString("?")
				}
			}
			sb.WriteString(")")
			args = append(args, row(i)...)
		}
		if _, err := tx.Exec(sb.String(), args...); err != nil {
			b.Fatalf("%s: %v", table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
