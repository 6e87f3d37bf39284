package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"waymark"
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
