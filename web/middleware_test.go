package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestClientAddr(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	for _, tc := range []struct {
		name, remote, xff, want string
	}{
		{"a direct client is itself", "203.0.113.9:5000", "", "203.0.113.9"},
		{"a direct client cannot forge another address", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"behind a trusted proxy the forwarded client counts", "10.1.2.3:443", "198.51.100.7", "198.51.100.7"},
		{"a client's forged entry further left is ignored", "10.1.2.3:443", "192.0.2.66, 198.51.100.7", "198.51.100.7"},
		{"chains of trusted proxies are walked", "10.1.2.3:443", "198.51.100.7, 10.9.9.9", "198.51.100.7"},
		{"garbage in the header stops the walk", "10.1.2.3:443", "nonsense", "10.1.2.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			var got string
			s.findClientAddr(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = clientAddr(r) })).ServeHTTP(httptest.NewRecorder(), r)
			if got != tc.want {
				t.Errorf("client address = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLogsNameRoutesNotPaths checks that request logs carry the route pattern and never the path,
// which holds record IDs and tokens.
func TestLogsNameRoutesNotPaths(t *testing.T) {
	var buf bytes.Buffer
	s, err := New(Services{}, Config{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/set-password/wmi_secret-token-value", nil))
	out := buf.String()
	if strings.Contains(out, "secret-token-value") {
		t.Errorf("the log holds the path: %s", out)
	}
	if !strings.Contains(out, "/set-password/{token}") {
		t.Errorf("the log does not name the route: %s", out)
	}
}
