package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"waymark"
	"waymark/internal/demo"
	"waymark/linkage"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
	"waymark/web"
)

// testRegion is a demo region on a real database, served over real HTTP, for end-to-end,
// permission and browser tests.
type testRegion struct {
	engine string
	db     *sqldb.DB
	region *demo.Region
	srv    *httptest.Server
	web    *web.Server
	// clients maps each organisation's ID to the IDs of some of its clients.
	clients map[string][]string
	// notes maps each organisation's ID to a restricted case note on its first client, written by
	// its safeguarding lead, whose text holds the marker restrictedMarker(orgID).
	notes map[string]string
	// episodes maps each organisation's ID to an exploitation episode on its first client, whose
	// account holds the organisation's marker.
	episodes map[string]string
	// support maps each organisation's ID to a support action on its first client.
	support map[string]string
	// referrals are the referrals the permission test sends between organisations.
	referrals []markedReferral
	// shares are the records the permission test shares between organisations, in each state.
	shares []markedShare
	// conferences are the case conferences the permission test holds about the marked shares.
	conferences []markedConference
	// guides are the organisations that wrote a marked page of guidance of their own.
	guides []string
	// ago, when the region was made with the default clock, sets that clock back from the real
	// time: a test records something "in the past" and then lets the calendar catch up.
	ago *atomic.Int64
}

// inThePast runs f with the database's clock set back by d, for a test that records what was true
// then and is no longer (an agreement that has since ended, a consent that has since lapsed).
func (tr *testRegion) inThePast(t testing.TB, d time.Duration, f func()) {
	t.Helper()
	if tr.ago == nil {
		t.Fatal("the region was made with its own clock")
	}
	tr.ago.Store(int64(d))
	defer tr.ago.Store(0)
	f()
}

// now is the database's time.
func (tr *testRegion) now() time.Time {
	if tr.ago == nil {
		return time.Now()
	}
	return time.Now().Add(-time.Duration(tr.ago.Load()))
}

// restrictedMarker is the text of an organisation's restricted note: only its safeguarding leads
// may see it.
func restrictedMarker(orgID string) string { return "RESTRICTEDNOTE" + strings.ToUpper(orgID) }

// passwordHash is the demo password's hash, made once per test binary: Argon2id is slow on purpose.
var passwordHash = sync.OnceValue(func() string { return sqldb.HashPassword(demo.Password) })

// newTestRegion generates a demo region with n clients on a fresh database of the engine and
// serves it.
func newTestRegion(t testing.TB, engine string, n int) *testRegion {
	t.Helper()
	return newTestRegionAt(t, engine, n, nil)
}

// newTestRegionAt is newTestRegion with the database's clock, for tests that move time on.
func newTestRegionAt(t testing.TB, engine string, n int, now func() time.Time) *testRegion {
	t.Helper()
	ctx := context.Background()
	var ago *atomic.Int64
	if now == nil {
		ago = new(atomic.Int64)
		now = func() time.Time { return time.Now().Add(-time.Duration(ago.Load())) }
	}
	db := sqldbtest.Open(t, engine, sqldbtest.Options{Matcher: linkage.Matcher{}, Now: now})
	// The demo without its exploitation episodes and support log, which the region adds below
	// with the markers, and without its shares: the permission test makes its own, marked, in
	// every state.
	services := demoServices(db)
	services.Exploitation, services.Support, services.Shares = nil, nil, nil
	region, err := demo.Generate(ctx, services, demo.Options{Seed: 1, Clients: n, PasswordHash: passwordHash()})
	if err != nil {
		t.Fatalf("generate demo region: %v", err)
	}
	srv, err := newServer(db, web.Config{BaseURL: "http://example.test"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	tr := &testRegion{engine: engine, db: db, region: region, srv: ts, web: srv, clients: map[string][]string{}, notes: map[string]string{}, episodes: map[string]string{}, support: map[string]string{},
		ago: ago}
	cs := sqldb.NewClientService(db)
	for _, u := range region.Users {
		if u.Role != waymark.RoleFrontline {
			continue
		}
		list, _, err := cs.FindClients(ctx, waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, waymark.ClientFilter{Page: waymark.Page{Limit: 3}})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			tr.clients[u.OrgID] = append(tr.clients[u.OrgID], c.ID)
		}
	}
	for _, u := range region.Users {
		if u.Role != waymark.RoleSafeguardingLead || len(tr.clients[u.OrgID]) == 0 {
			continue
		}
		n, err := sqldb.NewNoteService(db).AddNote(ctx, waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, tr.clients[u.OrgID][0], restrictedMarker(u.OrgID), true)
		if err != nil {
			t.Fatal(err)
		}
		tr.notes[u.OrgID] = n.ID
		e := &waymark.ExploitationEpisode{Types: []string{"labour"}, Recency: "past_3_months", Narrative: "Car wash, no pay. " + region.Marker(u.OrgID)}
		if err := sqldb.NewExploitationService(db).AddEpisode(ctx, waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, tr.clients[u.OrgID][0], e); err != nil {
			t.Fatal(err)
		}
		tr.episodes[u.OrgID] = e.ID
		sa, err := sqldb.NewSupportService(db).AddSupport(ctx, waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, tr.clients[u.OrgID][0],
			waymark.SupportAction{Type: "safe_house", ProviderName: "Safe house " + region.Marker(u.OrgID), Start: "2026-01-05"})
		if err != nil {
			t.Fatal(err)
		}
		tr.support[u.OrgID] = sa.ID
		// The journey's pages show the marker: a step taken, and what followed the decisions.
		js := sqldb.NewJourneyService(db)
		lead := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
		if err := js.RecordStep(ctx, lead, tr.clients[u.OrgID][0], &waymark.StepRecord{Kind: waymark.StepPoliceReport, Outcome: waymark.StepDone,
			On: "2026-01-06", Reference: "CR/1", Note: "Reported. " + region.Marker(u.OrgID)}); err != nil {
			t.Fatal(err)
		}
		if err := js.RecordMilestone(ctx, lead, tr.clients[u.OrgID][0], &waymark.NRMMilestone{Kind: "recovery_needs_assessment",
			On: "2026-01-07", Note: "Assessed. " + region.Marker(u.OrgID)}); err != nil {
			t.Fatal(err)
		}
		// Life after support: a plan and a follow-up, each with the marker in its sealed text. The
		// demo may already have given the client a plan; this one is the next version.
		mo := sqldb.NewMoveOnService(db)
		m, err := mo.FindMoveOn(ctx, lead, tr.clients[u.OrgID][0])
		if err != nil {
			t.Fatal(err)
		}
		version := 0
		if m.Plan != nil {
			version = m.Plan.Version
		}
		if err := mo.SavePlan(ctx, lead, tr.clients[u.OrgID][0], version, &waymark.MoveOnPlan{SupportEndsOn: "2026-01-10", AccommodationType: "hostel",
			SupportServices: "Drop-in " + region.Marker(u.OrgID), Notes: "Plan. " + region.Marker(u.OrgID)}); err != nil {
			t.Fatal(err)
		}
		followUp := &waymark.FollowUp{Months: 1, Contacted: true, StableAccommodation: waymark.AnswerYes, RoughSleeping: waymark.AnswerNo,
			ReExploited: waymark.AnswerNo, InContact: waymark.AnswerYes, Notes: "Doing well. " + region.Marker(u.OrgID)}
		if err := mo.RecordFollowUp(ctx, lead, tr.clients[u.OrgID][0], 0, followUp); err != nil && waymark.ErrorCode(err) != waymark.ECONFLICT {
			t.Fatal(err)
		}
		// Consent, explained and justified in words that hold the marker.
		cs := sqldb.NewConsentService(db)
		if err := cs.RecordConsent(ctx, lead, tr.clients[u.OrgID][0], &waymark.ConsentRecord{Purpose: waymark.ConsentForSupport, Basis: waymark.BasisConsent,
			Decision: waymark.ConsentDecisionGiven, On: "2026-01-05", HowExplained: "Explained. " + region.Marker(u.OrgID)}); err != nil {
			t.Fatal(err)
		}
		if err := cs.RecordConsent(ctx, lead, tr.clients[u.OrgID][0], &waymark.ConsentRecord{Purpose: waymark.ConsentForReferral, Basis: waymark.BasisSafeguarding,
			On: "2026-01-05", Justification: "At risk, cannot be asked safely. " + region.Marker(u.OrgID), DecidedBy: "The safeguarding lead"}); err != nil {
			t.Fatal(err)
		}
	}
	// The tasks job runs, so that task pages list the region's clients.
	if _, _, err := sqldb.NewTaskService(db).RefreshTasks(ctx, waymark.Actor{System: true, Via: "test"}, waymark.DefaultTaskSettings); err != nil {
		t.Fatal(err)
	}
	return tr
}

// user returns the demo user of the role in the organisation of the given type.
func (tr *testRegion) user(t testing.TB, role waymark.Role, orgType waymark.OrgType) demo.UserInfo {
	t.Helper()
	for _, o := range tr.region.Organisations {
		if o.Type != orgType {
			continue
		}
		for _, u := range tr.region.Users {
			if u.OrgID == o.ID && u.Role == role {
				return u
			}
		}
	}
	t.Fatalf("no demo %s in a %s organisation", role, orgType)
	return demo.UserInfo{}
}

// httpClient is a cookie-keeping client that does not follow redirects, so tests see each response.
type httpClient struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (tr *testRegion) newClient(t testing.TB) *httpClient {
	return &httpClient{t: t, base: tr.srv.URL, c: tr.plainClient()}
}

// plainClient keeps cookies and does not follow redirects.
func (tr *testRegion) plainClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// response is a read response.
type response struct {
	status int
	header http.Header
	body   string
}

func (c *httpClient) do(req *http.Request) response {
	c.t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		c.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b.String()}
}

func (c *httpClient) get(path string) response {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.base+path, nil)
	return c.do(req)
}

// post sends a form as a same-origin browser would.
func (c *httpClient) post(path string, form url.Values) response {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// signIn signs in with the demo password and fails the test unless it works.
func (c *httpClient) signIn(email string) {
	c.t.Helper()
	r := c.post("/sign-in", url.Values{"email": {email}, "password": {demo.Password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/home" {
		c.t.Fatalf("sign in as %s: status %d, location %q", email, r.status, r.header.Get("Location"))
	}
}

// api calls the JSON API with a bearer token.
func (c *httpClient) api(method, path, token string, body string) response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.do(req)
}

// token makes an API token for a demo user.
func (tr *testRegion) token(t testing.TB, u demo.UserInfo) string {
	t.Helper()
	tok, err := sqldb.NewTokenService(tr.db).CreateToken(context.Background(), waymark.SystemActor(), u.ID, "test", waymark.DefaultTokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Secret
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRequest(method, path string) *http.Request { return httptest.NewRequest(method, path, nil) }
