package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark/sqldb/sqldbtest"
)

// syncBuffer collects output written from another goroutine.
type lineWatcher struct {
	lines chan string
	w     *io.PipeWriter
}

func newLineWatcher() *lineWatcher {
	r, w := io.Pipe()
	lw := &lineWatcher{lines: make(chan string, 100), w: w}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case lw.lines <- sc.Text():
			default:
			}
		}
	}()
	return lw
}

// waitFor returns the first line with the prefix.
func (lw *lineWatcher) waitFor(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-lw.lines:
			if strings.HasPrefix(l, prefix) {
				return l
			}
		case <-timeout:
			t.Fatalf("no line starting %q within 30 s", prefix)
		}
	}
}

func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// TestMain_EndToEnd starts the real program on port 0, as an operator would: make a key, add the
// first system admin, serve, sign in through the form, then stop it with its context (as SIGTERM does).
func TestMain_EndToEnd(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dir := t.TempDir()
			key := filepath.Join(dir, "master.key")
			cfg := sqldbtest.Config(t, engine, sqldbtest.Options{})
			dbArgs := []string{"--key-file", key}
			if cfg.URL != "" {
				dbArgs = append(dbArgs, "--database-url", cfg.URL)
			} else {
				dbArgs = append(dbArgs, "--data-dir", filepath.Join(dir, "data"))
			}
			if _, _, err := runCmd(t, "", "key", "generate", "--out", key); err != nil {
				t.Fatal(err)
			}
			out, _, err := runCmd(t, "a long enough password\n", append([]string{"user", "add", "--email", "Admin@Example.org", "--name", "First Admin",
				"--role", "system_admin", "--org", "Region Host", "--password-stdin"}, dbArgs...)...)
			if err != nil {
				t.Fatalf("user add: %v", err)
			}
			if !strings.Contains(out, "admin@example.org") {
				t.Errorf("user add output %q does not name the user", out)
			}

			ctx, cancel := context.WithCancel(context.Background())
			lw := newLineWatcher()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, dbArgs...), func(string) string { return "" }, strings.NewReader(""), lw.w, io.Discard)
			}()
			line := lw.waitFor(t, "Waymark is running at ")
			base := strings.TrimPrefix(line, "Waymark is running at ")

			for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != want {
					t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode, b, want)
				}
			}
			// The organisation made by `user add` requires two-step sign-in, so signing in leads to its setup.
			c := &httpClient{t: t, base: base, c: (&testRegion{srv: nil}).plainClient()}
			r := c.post("/sign-in", url.Values{"email": {"admin@example.org"}, "password": {"a long enough password"}})
			if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/two-step" {
				t.Errorf("sign in: status %d, location %q; want 303 to /account/two-step", r.status, r.header.Get("Location"))
			}
			if r := c.get("/home"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/two-step" {
				t.Errorf("home before two-step setup: status %d, location %q; want 303 to /account/two-step", r.status, r.header.Get("Location"))
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v after shutdown, want nil", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop within 30 s of its context ending")
			}

			out, _, err = runCmd(t, "", append([]string{"audit", "verify"}, dbArgs...)...)
			if err != nil || !strings.Contains(out, "intact") {
				t.Errorf("audit verify = %q, %v", out, err)
			}
		})
	}
}

// TestMain_StartupErrors checks that each way of starting wrongly gives one line that says what to do.
func TestMain_StartupErrors(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "master.key")
	if _, _, err := runCmd(t, "", "key", "generate", "--out", key); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.key")
	if _, _, err := runCmd(t, "", "key", "generate", "--out", other); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "", "migrate", "--data-dir", filepath.Join(dir, "data"), "--key-file", key); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"invalid database URL", []string{"serve", "--database-url", "postgres://%zz", "--key-file", key}, "not valid"},
		{"unreachable database", []string{"serve", "--database-url", "postgres://postgres@127.0.0.1:1/x?connect_timeout=2", "--key-file", key}, "cannot reach the database"},
		{"unwritable data directory", []string{"serve", "--data-dir", filepath.Join(file, "sub"), "--key-file", key}, "--data-dir"},
		{"port in use", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--addr", busy.Addr().String()}, "already in use"},
		{"no key file", []string{"serve", "--data-dir", filepath.Join(dir, "data")}, "--key-file"},
		{"wrong key", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", other}, "does not match"},
		{"key file that is not a key", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", file}, "not a Waymark key"},
		{"no database", []string{"serve", "--key-file", key}, "--data-dir"},
		{"bad log format", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--log-format", "xml"}, "json or text"},
		{"unknown command", []string{"frobnicate"}, "waymark help"},
		{"key file exists", []string{"key", "generate", "--out", key}, "already exists"},
		{"bad trusted proxy", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--trusted-proxies", "10.0.0.0/8, nonsense"}, "not an address"},
		{"bad task threshold", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--decision-overdue-days", "0"}, "--decision-overdue-days: \"0\" is not a number of days from 1 to 365"},
		{"statistics threshold too small", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--statistics-threshold", "1"}, "--statistics-threshold 1: The smallest count shown must be between 2 and 100"},
		{"statistics threshold not a number", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--statistics-threshold", "five"}, "--statistics-threshold: \"five\" is not a whole number"},
		{"statistics rounding out of range", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--statistics-round-to", "-5"}, "--statistics-round-to -5: Rounding must be"},
		{"statistics rounding that would read 0", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--statistics-threshold", "3", "--statistics-round-to", "10"},
			"--statistics-round-to 10: Rounding must be to a multiple no more than twice the smallest count shown (6)"},
		{"SMTP server without a base URL", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--smtp-url", "smtp://mail.example.org?from=w@example.org"}, "--smtp-url needs --base-url"},
		{"SMTP URL that is not one", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--base-url", "https://w.example.org", "--smtp-url", "<script>:secret@x"}, "--smtp-url:"},
		{"SMTP URL with no sender", []string{"serve", "--data-dir", filepath.Join(dir, "data"), "--key-file", key, "--base-url", "https://w.example.org", "--smtp-url", "smtp://u:secret@mail.example.org"}, "from"},
	} {
		t.Run(tc.name+" is a one-line error", func(t *testing.T) {
			_, _, err := runCmd(t, "", tc.args...)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line containing %q", msg, tc.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	out, _, err := runCmd(t, "", "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %s", c.name)
		}
		t.Run(c.name+" -h explains its flags", func(t *testing.T) {
			_, errOut, _ := runCmd(t, "", c.name, "-h")
			help, _, _ := runCmd(t, "", "help", c.name)
			if !strings.Contains(errOut+help, "Usage: waymark "+c.name) {
				t.Errorf("waymark %s -h printed %q", c.name, errOut)
			}
		})
	}
}

func TestDisplayAddr(t *testing.T) {
	for _, tc := range []struct{ asked, listening, want string }{
		{"localhost:8080", "127.0.0.1:8080", "localhost:8080"},
		{":8080", "[::]:8080", "localhost:8080"},
		{"127.0.0.1:0", "127.0.0.1:41234", "127.0.0.1:41234"},
		{"[::1]:0", "[::1]:5000", "[::1]:5000"},
	} {
		if got := displayAddr(tc.asked, tc.listening); got != tc.want {
			t.Errorf("displayAddr(%q, %q) = %q, want %q", tc.asked, tc.listening, got, tc.want)
		}
	}
}

func TestStatisticsKey(t *testing.T) {
	a, b := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	got := map[string]bool{
		"the same on every start":        statisticsKey(a) == statisticsKey(bytes.Clone(a)),
		"another for another master key": statisticsKey(a) != statisticsKey(b),
		"not the master key's own bytes": statisticsKey(a) != 0x0101010101010101,
	}
	want := map[string]bool{"the same on every start": true, "another for another master key": true, "not the master key's own bytes": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
