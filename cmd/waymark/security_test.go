package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb/sqldbtest"
	"waymark/web"
)

// TestSecurity checks the browser protections, sign-in behaviour and session handling of
// SECURITY.md over real HTTP, on every engine.
func TestSecurity(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			tr := newTestRegion(t, engine, 16)
			frontline := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessHostel)
			admin := tr.user(t, waymark.RoleOrgAdmin, waymark.OrgHomelessHostel)

			t.Run("every page carries the security headers", func(t *testing.T) {
				c := tr.newClient(t)
				c.signIn(frontline.Email)
				nonces := map[string]bool{}
				for _, p := range []string{"/sign-in", "/home", "/clients", "/account", "/no-such-page"} {
					r := c.get(p)
					csp := r.header.Get("Content-Security-Policy")
					for _, want := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'nonce-"} {
						if !strings.Contains(csp, want) {
							t.Errorf("%s: CSP %q lacks %q", p, csp, want)
						}
					}
					n := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
					if n == nil || nonces[n[1]] {
						t.Errorf("%s: nonce missing or reused", p)
					} else {
						nonces[n[1]] = true
					}
					for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
						if got := r.header.Get(h); got != want {
							t.Errorf("%s: %s = %q, want %q", p, h, got, want)
						}
					}
				}
			})

			t.Run("a cross-origin post is refused", func(t *testing.T) {
				c := tr.newClient(t)
				for _, hdr := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}} {
					req, _ := http.NewRequest("POST", c.base+"/sign-in", strings.NewReader(url.Values{"email": {frontline.Email}, "password": {demo.Password}}.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					for k, v := range hdr {
						req.Header.Set(k, v)
					}
					if r := c.do(req); r.status != http.StatusForbidden {
						t.Errorf("cross-origin sign-in with %v: status %d, want 403", hdr, r.status)
					}
				}
			})

			t.Run("the session cookie is host-only, secure, http-only and same-site", func(t *testing.T) {
				c := tr.newClient(t)
				r := c.post("/sign-in", url.Values{"email": {frontline.Email}, "password": {demo.Password}})
				sc := r.header.Get("Set-Cookie")
				for _, want := range []string{"__Host-waymark_session=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
					if !strings.Contains(sc, want) {
						t.Errorf("Set-Cookie %q lacks %s", sc, want)
					}
				}
				if strings.Contains(strings.ToLower(sc), "domain=") {
					t.Errorf("Set-Cookie %q has a Domain", sc)
				}
			})

			t.Run("an unknown email and a wrong password get the same answer", func(t *testing.T) {
				c := tr.newClient(t)
				nonce := regexp.MustCompile(`nonce="[^"]*"`)
				a := c.post("/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password 1"}})
				b := c.post("/sign-in", url.Values{"email": {admin.Email}, "password": {"wrong password 1"}})
				norm := func(s string) string {
					s = nonce.ReplaceAllString(s, "")
					s = strings.ReplaceAll(s, "nobody@example.org", "EMAIL")
					return strings.ReplaceAll(s, admin.Email, "EMAIL")
				}
				if a.status != b.status {
					t.Errorf("status: unknown email %d, wrong password %d", a.status, b.status)
				}
				if diff := cmp.Diff(norm(a.body), norm(b.body)); diff != "" {
					t.Errorf("pages differ (-unknown +wrong password):\n%s", diff)
				}
			})

			t.Run("after five failures the account is paused with a clear message", func(t *testing.T) {
				c := tr.newClient(t)
				u := tr.user(t, waymark.RoleManager, waymark.OrgHealth)
				for range waymark.AccountFailureLimit {
					c.post("/sign-in", url.Values{"email": {u.Email}, "password": {"not the password"}})
				}
				r := c.post("/sign-in", url.Values{"email": {u.Email}, "password": {demo.Password}})
				if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Try again after") {
					t.Errorf("sixth attempt: status %d; want 429 saying when to try again", r.status)
				}
			})

			t.Run("signing out ends the session at once", func(t *testing.T) {
				c := tr.newClient(t)
				c.signIn(frontline.Email)
				old := c.c.Jar.Cookies(mustURL(c.base))
				c.post("/sign-out", nil)
				c.c.Jar.SetCookies(mustURL(c.base), old)
				if r := c.get("/home"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in" {
					t.Errorf("old session after sign-out: status %d to %q, want 303 to /sign-in", r.status, r.header.Get("Location"))
				}
			})

			t.Run("disabling a user ends their session and tokens at once", func(t *testing.T) {
				victim := tr.user(t, waymark.RoleSafeguardingLead, waymark.OrgHomelessHostel)
				c := tr.newClient(t)
				c.signIn(victim.Email)
				tok := tr.token(t, victim)
				if r := c.api("GET", "/api/v1/me", tok, ""); r.status != 200 {
					t.Fatalf("token before disabling: %d", r.status)
				}
				ac := tr.newClient(t)
				ac.signIn(admin.Email)
				if r := ac.post("/users/"+victim.ID, url.Values{"action": {"disable"}}); r.status != http.StatusSeeOther {
					t.Fatalf("disable: status %d", r.status)
				}
				if r := c.get("/home"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/sign-in" {
					t.Errorf("disabled user's next page: status %d to %q, want 303 to /sign-in", r.status, r.header.Get("Location"))
				}
				if r := c.api("GET", "/api/v1/me", tok, ""); r.status != http.StatusUnauthorized {
					t.Errorf("disabled user's token: status %d, want 401", r.status)
				}
			})

			t.Run("an organisation admin invites someone who sets a password and signs in", func(t *testing.T) {
				ac := tr.newClient(t)
				ac.signIn(admin.Email)
				r := ac.post("/users", url.Values{"name": {"New Starter"}, "email": {"new.starter@example.org"}, "role": {"frontline"}})
				link := regexp.MustCompile(`/set-password/(wmi_[A-Za-z0-9_-]+)`).FindString(r.body)
				if link == "" {
					t.Fatalf("no set-password link on the invitation page (status %d)", r.status)
				}
				nc := tr.newClient(t)
				if r := nc.post(link, url.Values{"password": {"short"}, "confirm": {"short"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "at least 12 characters") {
					t.Errorf("weak password: status %d, want 422 saying how long", r.status)
				}
				if r := nc.post(link, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}}); r.status != http.StatusSeeOther {
					t.Fatalf("set password: status %d", r.status)
				}
				if r := nc.get(link); r.status != http.StatusNotFound {
					t.Errorf("used link: status %d, want 404", r.status)
				}
				if r := nc.post("/sign-in", url.Values{"email": {"new.starter@example.org"}, "password": {"correct horse battery"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/home" {
					t.Errorf("new user's sign-in: status %d to %q", r.status, r.header.Get("Location"))
				}
			})

			t.Run("the API answers with the token's user and JSON errors", func(t *testing.T) {
				c := tr.newClient(t)
				tok := tr.token(t, frontline)
				var me struct {
					User         struct{ Email string }
					Organisation struct{ ID string }
					Role         string
				}
				r := c.api("GET", "/api/v1/me", tok, "")
				if err := json.Unmarshal([]byte(r.body), &me); err != nil || r.status != 200 {
					t.Fatalf("me: %d %v", r.status, err)
				}
				if me.User.Email != frontline.Email || me.Organisation.ID != frontline.OrgID || me.Role != "frontline" {
					t.Errorf("me = %+v", me)
				}
				var apiErr struct {
					Error struct {
						Code    string
						Message string
						Fields  map[string]string
					}
				}
				for _, tc := range []struct {
					method, path, token, body, code string
					status                          int
				}{
					{"GET", "/api/v1/me", "", "", "unauthorized", 401},
					{"GET", "/api/v1/me", "wmt_bogus", "", "unauthorized", 401},
					{"GET", "/api/v1/organisations", tok, "", "forbidden", 403},
					{"GET", "/api/v1/nothing-here", tok, "", "not_found", 404},
					{"GET", "/api/v1/clients?limit=abc", tok, "", "invalid", 422},
				} {
					r := c.api(tc.method, tc.path, tc.token, tc.body)
					apiErr.Error.Code = ""
					if err := json.Unmarshal([]byte(r.body), &apiErr); err != nil || r.status != tc.status || apiErr.Error.Code != tc.code || apiErr.Error.Message == "" {
						t.Errorf("%s %s: %d %q, want %d with code %q and a message", tc.method, tc.path, r.status, r.body, tc.status, tc.code)
					}
				}
				sys := tr.token(t, tr.user(t, waymark.RoleSystemAdmin, waymark.OrgOther))
				r = c.api("POST", "/api/v1/organisations", sys, `{"name": "", "type": "nonsense"}`)
				if err := json.Unmarshal([]byte(r.body), &apiErr); err != nil || r.status != 422 || apiErr.Error.Fields["name"] == "" || apiErr.Error.Fields["type"] == "" {
					t.Errorf("invalid organisation: %d %s; want 422 with a message for name and type", r.status, r.body)
				}
				r = c.api("POST", "/api/v1/organisations", sys, `{"name": "Riverside Night Shelter", "type": "homelessness_hostel", "area": "Eastfell"}`)
				var org struct {
					ID             string
					RequireTwoStep bool `json:"require_two_step"`
				}
				if err := json.Unmarshal([]byte(r.body), &org); err != nil || r.status != 201 || !org.RequireTwoStep {
					t.Errorf("create organisation: %d %s; want 201 with two-step required by default", r.status, r.body)
				}
			})

			t.Run("readyz answers 503 when the database is gone", func(t *testing.T) {
				db := sqldbtest.Open(t, engine, sqldbtest.Options{})
				srv, err := newServer(db, web.Config{})
				if err != nil {
					t.Fatal(err)
				}
				db.Close()
				rec := newRecorder()
				srv.Handler().ServeHTTP(rec, mustRequest("GET", "/readyz"))
				if rec.Code != http.StatusServiceUnavailable {
					t.Errorf("readyz with the database closed: %d, want 503", rec.Code)
				}
				rec = newRecorder()
				srv.Handler().ServeHTTP(rec, mustRequest("GET", "/healthz"))
				if rec.Code != http.StatusOK {
					t.Errorf("healthz with the database closed: %d, want 200 (the process is up)", rec.Code)
				}
			})
		})
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
