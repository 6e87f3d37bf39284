package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"waymark"
)

// failingClients injects a fault with internal detail that must never reach a response.
type failingClients struct{ waymark.ClientService }

func (failingClients) FindClients(context.Context, waymark.Actor, waymark.ClientFilter) ([]*waymark.Client, int, error) {
	return nil, 0, waymark.Internal(errors.New("SECRET: SELECT * FROM clients failed at /var/lib/waymark"))
}

func (failingClients) FindClientByID(context.Context, waymark.Actor, string) (*waymark.Client, error) {
	panic("SECRET panic detail")
}

// anyone authenticates every session and token as a frontline worker.
type anyone struct {
	waymark.AuthService
	waymark.TokenService
}

func (anyone) identity() *waymark.Identity {
	return &waymark.Identity{User: &waymark.User{ID: "u", OrgID: "o", Name: "Test", Role: waymark.RoleFrontline},
		Organisation: &waymark.Organisation{ID: "o", Name: "Org"}, Session: &waymark.Session{}}
}
func (a anyone) Authenticate(context.Context, string) (*waymark.Identity, error) {
	return a.identity(), nil
}
func (a anyone) AuthenticateToken(context.Context, string) (*waymark.Identity, error) {
	return a.identity(), nil
}

func TestFaultsShowNoInternals(t *testing.T) {
	s, err := New(Services{Auth: anyone{}, Tokens: anyone{}, Clients: failingClients{}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	for _, tc := range []struct {
		name, path string
		api        bool
	}{
		{"a failing page", "/clients", false},
		{"a panicking page", "/clients/x", false},
		{"a failing API call", "/api/v1/clients", true},
	} {
		t.Run(tc.name+" answers 500 without internals", func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.path, nil)
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: "s"})
			r.Header.Set("Authorization", "Bearer t")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			body := w.Body.String()
			if w.Code != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", w.Code)
			}
			if strings.Contains(body, "SECRET") || strings.Contains(body, "SELECT") {
				t.Errorf("response shows internal detail: %s", body)
			}
			if tc.api != strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", w.Header().Get("Content-Type"))
			}
			if !tc.api && !strings.Contains(body, "Sorry, there is a problem with the service") {
				t.Errorf("the error page does not say what happened")
			}
		})
	}
	t.Run("an unknown page answers 404 with the error page", func(t *testing.T) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/nothing/here", nil))
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "Page not found") {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("readyz answers 503 when the database fails", func(t *testing.T) {
		s, _ := New(Services{Ping: func(context.Context) error { return errors.New("down") }}, Config{})
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", w.Code)
		}
	})
}
