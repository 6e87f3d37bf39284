package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"waymark"
)

type ctxKey int

const (
	nonceKey ctxKey = iota
	identityKey
	addrKey
)

// sessionCookie is the session cookie's name. The __Host- prefix makes the browser refuse it unless
// it is Secure, has Path=/ and no Domain, so no other host or path can set or read it.
const sessionCookie = "__Host-waymark_session"

// flashCookie carries a one-line confirmation across a redirect. It never holds personal data.
const flashCookie = "__Host-waymark_flash"

// nonce returns the request's CSP nonce.
func nonce(r *http.Request) string {
	n, _ := r.Context().Value(nonceKey).(string)
	return n
}

// identity returns whoever is signed in, or nil.
func identity(r *http.Request) *waymark.Identity {
	id, _ := r.Context().Value(identityKey).(*waymark.Identity)
	return id
}

// clientAddr is the client's network address, for throttling and the audit trail, as found by
// findClientAddr.
func clientAddr(r *http.Request) string {
	if a, ok := r.Context().Value(addrKey).(string); ok {
		return a
	}
	return peerAddr(r)
}

// peerAddr is the address of the connection's other end, without the port.
func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// findClientAddr works out who the client is. A request straight from a client is that client.
// Behind reverse proxies listed in Config.TrustedProxies, the client is the nearest address in
// X-Forwarded-For that is not one of them: anything further left could be forged by the client.
// Without this, every user behind a load balancer would share its address, and one attacker's
// failed sign-ins would pause sign-in for everyone.
func (s *Server) findClientAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := peerAddr(r)
		if s.trusted(addr) {
			hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
			for i := len(hops) - 1; i >= 0; i-- {
				hop := strings.TrimSpace(hops[i])
				if _, err := netip.ParseAddr(hop); err != nil {
					break
				}
				addr = hop
				if !s.trusted(hop) {
					break
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), addrKey, addr)))
	})
}

func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// securityHeaders sets the browser protections on every response (ASVS 3.4).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		rand.Read(b)
		n := base64.StdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+n+"'; style-src 'self'; img-src 'self' data:; font-src 'self'; "+
			"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil || strings.HasPrefix(s.cfg.BaseURL, "https://") {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") && !strings.HasPrefix(r.URL.Path, "/assets/") {
			// Pages may show personal data: never store them in any cache (ASVS 14.3).
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey, n)))
	})
}

// cacheStatic lets browsers keep static files for a day.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		next.ServeHTTP(w, r)
	})
}

// maxBody bounds request bodies; no form or API call in Waymark needs more.
const maxBody = 1 << 20

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a 500 page and a log line, so one bad request cannot stop the server.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving request", "method", r.Method, "route", s.route(r), "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, waymark.Internal(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request by its route pattern, never its path: paths hold record IDs and
// tokens, and the log must hold no personal data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.log.Debug("request", "method", r.Method, "route", s.route(r), "status", sw.status, "duration", time.Since(start))
	})
}

// route is the pattern that serves r, such as "GET /clients/{id}": logged instead of the path,
// which holds record IDs and tokens. (r.Pattern is set only on the mux's own copy of the request.)
func (s *Server) route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	return pattern
}

// pageHandler is a page handler that may fail; page renders its error as an HTML page.
type pageHandler func(w http.ResponseWriter, r *http.Request) error

// page adapts a pageHandler, loading the session's identity (if any) first.
func (s *Server) page(h pageHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			id, err := s.svc.Auth.Authenticate(r.Context(), c.Value)
			switch {
			case err == nil:
				r = r.WithContext(context.WithValue(r.Context(), identityKey, id))
			case waymark.ErrorCode(err) == waymark.EUNAUTHORIZED:
				clearCookie(w, sessionCookie)
				if msg := waymark.ErrorMessage(err); strings.Contains(msg, "30 minutes") {
					setFlash(w, msg)
				}
			default:
				s.renderError(w, r, err)
				return
			}
		}
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// stageSetup marks pages that a user who must still set up two-step sign-in may reach.
const stageSetup = true

// signedIn requires a fully signed-in user; a user part way through sign-in is sent to the step
// they still need. Pages passed allowSetup=true are reachable while setting up two-step sign-in.
func (s *Server) signedIn(h pageHandler, allowSetup ...bool) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := identity(r)
		switch {
		case id == nil:
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
			return nil
		case id.Stage == waymark.StageTwoStep:
			http.Redirect(w, r, "/sign-in/two-step", http.StatusSeeOther)
			return nil
		case id.Stage == waymark.StageTwoStepSetup && len(allowSetup) == 0:
			http.Redirect(w, r, "/account/two-step", http.StatusSeeOther)
			return nil
		}
		return h(w, r)
	}
}

// require refuses roles without the permission. The page answers 404, not 403, so that a page's
// existence tells nothing to those who may not use it.
func (s *Server) require(p waymark.Permission, h pageHandler) pageHandler {
	return s.requireAny([]waymark.Permission{p}, h)
}

func (s *Server) requireAny(ps []waymark.Permission, h pageHandler) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id := identity(r)
		if !slices.ContainsFunc(ps, id.User.Role.Can) {
			return waymark.Errorf(waymark.ENOTFOUND, "Page not found")
		}
		return h(w, r)
	}
}

// sessionToken returns the request's session token, or "".
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// actor returns the signed-in user as an actor for service calls.
func actor(r *http.Request) waymark.Actor {
	return identity(r).Actor(clientAddr(r), "web")
}

func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearCookie(w http.ResponseWriter, name string) { setCookie(w, name, "", -1) }

// setFlash shows msg on the next page.
func setFlash(w http.ResponseWriter, msg string) {
	setCookie(w, flashCookie, url.QueryEscape(msg), 60)
}

// takeFlash returns and clears the flash message.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	clearCookie(w, flashCookie)
	msg, _ := url.QueryUnescape(c.Value)
	if len(msg) > 300 {
		return ""
	}
	return msg
}

// redirect answers a successful form post with 303 and a confirmation on the next page.
func redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		setFlash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
