package main

import (
	"context"
	"fmt"
	"io"
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
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("WAYMARK_BENCH_CLIENTS")); err == nil && v > 0 {
		n = v
	}
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
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("WAYMARK_BENCH_CLIENTS")); err == nil && v > 0 {
		n = v
	}
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
