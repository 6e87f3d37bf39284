package mail_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark/mail"
	"waymark/mail/mailtest"
)

// password is in every URL that has one, so tests can check it never leaks.
const password = "hunter2-Secret"

func TestOpen(t *testing.T) {
	for _, tc := range []struct {
		name, url, want string
	}{
		{"smtp defaults to port 587 and starttls", "smtp://mail.example.org?from=waymark@example.org", "smtp://mail.example.org:587 (starttls)"},
		{"smtps defaults to port 465", "smtps://mail.example.org?from=waymark@example.org", "smtps://mail.example.org:465 (implicit tls)"},
		{"explicit port", "smtp://mail.example.org:2525?from=waymark@example.org", "smtp://mail.example.org:2525 (starttls)"},
		{"explicit smtps port", "smtps://mail.example.org:4650/?from=waymark@example.org", "smtps://mail.example.org:4650 (implicit tls)"},
		{"explicit starttls", "smtp://mail.example.org?from=waymark@example.org&tls=starttls", "smtp://mail.example.org:587 (starttls)"},
		{"user and password, password hidden", "smtp://alerts:" + password + "@mail.example.org?from=waymark@example.org", "smtp://alerts@mail.example.org:587 (starttls)"},
		{"user without password", "smtps://alerts@mail.example.org?from=waymark@example.org", "smtps://alerts@mail.example.org:465 (implicit tls)"},
		{"escaped user name stays escaped", "smtp://alerts%40example.org:" + password + "@mail.example.org?from=waymark@example.org", "smtp://alerts%40example.org@mail.example.org:587 (starttls)"},
		{"tls=none on 127.0.0.1", "smtp://127.0.0.1:2525?from=waymark@example.org&tls=none", "smtp://127.0.0.1:2525 (no tls)"},
		{"tls=none on localhost, any case", "smtp://u:" + password + "@LocalHost:25?from=waymark@example.org&tls=none", "smtp://u@localhost:25 (no tls)"},
		{"tls=none on ::1", "smtp://[::1]:25?tls=none&from=waymark@example.org", "smtp://[::1]:25 (no tls)"},
		{"tls=none on another loopback address", "smtp://127.0.0.2?from=waymark@example.org&tls=none", "smtp://127.0.0.2:587 (no tls)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := mail.Open(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	const from = "from=waymark@example.org"
	cred := "alerts:" + password + "@"
	for _, tc := range []struct {
		name, url, want string
	}{
		{"bad scheme", "https://" + cred + "mail.example.org?" + from, "smtp:// or smtps://"},
		{"no scheme", cred + "mail.example.org:587?" + from, "smtp:// or smtps://"},
		{"empty", "", "smtp:// or smtps://"},
		{"no host", "smtp://" + cred + "?" + from, "host is missing"},
		{"only a port", "smtp://:587?" + from, "host is missing"},
		{"opaque", "smtp:mail.example.org?" + from, "host is missing"},
		{"missing from", "smtp://" + cred + "mail.example.org", `"from" is missing: add ?from=waymark@your-domain`},
		{"empty from", "smtp://" + cred + "mail.example.org?from=", `"from" is missing`},
		{"from not an address", "smtp://" + cred + "mail.example.org?from=waymark", "one plain address"},
		{"from with a display name", "smtp://" + cred + "mail.example.org?from=Waymark%20%3Cw@example.org%3E", "one plain address"},
		{"two froms in one", "smtp://" + cred + "mail.example.org?from=a@example.org,b@example.org", "one plain address"},
		{"from given twice", "smtp://" + cred + "mail.example.org?" + from + "&from=b@example.org", "only once"},
		{"from with a line break", "smtp://" + cred + "mail.example.org?from=a@example.org%0D%0ABcc:x@example.org", "one plain address"},
		{"tls=none on a remote host", "smtp://" + cred + "mail.example.org?" + from + "&tls=none", "only allowed for localhost or a loopback address"},
		{"credentials in clear to another loopback address", "smtp://" + cred + "127.0.0.2?" + from + "&tls=none", "a user name is only allowed for localhost"},
		{"unknown tls value", "smtp://" + cred + "mail.example.org?" + from + "&tls=ssl", "tls must be starttls or none"},
		{"tls with smtps", "smtps://" + cred + "mail.example.org?" + from + "&tls=starttls", "remove tls="},
		{"unknown parameter", "smtp://" + cred + "mail.example.org?" + from + "&tsl=none", "unknown parameter"},
		{"port zero", "smtp://" + cred + "mail.example.org:0?" + from, "port must be a number from 1 to 65535"},
		{"port too big", "smtp://" + cred + "mail.example.org:65536?" + from, "port must be a number from 1 to 65535"},
		{"port not a number", "smtp://" + cred + "mail.example.org:smtp?" + from, "check the port is a number"},
		{"path", "smtp://" + cred + "mail.example.org/inbox?" + from, "unexpected path"},
		{"fragment", "smtp://" + cred + "mail.example.org?" + from + "#x", "unexpected #"},
		{"password without user", "smtp://:" + password + "@mail.example.org?" + from, "a password needs a user name"},
		{"unescaped slash in password", "smtp://alerts:" + password + "/x@mail.example.org?" + from, "check the port is a number"},
		{"unescaped question mark in password", "smtp://alerts:" + password + "?x@mail.example.org&" + from, "check the port is a number"},
		{"bad escape in password", "smtp://alerts:" + password + "%zz@mail.example.org?" + from, "%-encode"},
		{"malformed query", "smtp://" + cred + "mail.example.org?" + from + "&tls=%zz", "part after ? is malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := mail.Open(tc.url)
			if err == nil {
				t.Fatalf("Open succeeded: %v", s)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error %q carries the password", msg)
			}
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("error %q is not one line", msg)
			}
		})
	}
}

// open opens rawURL, failing the test on error.
func open(t *testing.T, rawURL string) *mail.Sender {
	t.Helper()
	s, err := mail.Open(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withUser adds credentials to rawURL.
func withUser(t *testing.T, rawURL, user, pass string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(user, pass)
	return u.String()
}

func send(s *mail.Sender, msg mail.Message) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Send(ctx, msg)
}

// receiveOne waits for the server's single message and parses it.
func receiveOne(t *testing.T, srv *mailtest.Server) (mailtest.Received, *netmail.Message) {
	t.Helper()
	got := srv.Wait(1, 5*time.Second)
	if len(got) != 1 {
		t.Fatalf("server has %d messages, want 1", len(got))
	}
	m, err := netmail.ReadMessage(strings.NewReader(got[0].Data))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, got[0].Data)
	}
	return got[0], m
}

var notice = mail.Message{
	To:      "duty@example.org",
	Subject: "New notifications in Waymark",
	Body:    "You have 3 new notifications in Waymark: https://waymark.example.org/notifications\n",
}

func TestSendDelivers(t *testing.T) {
	srv := mailtest.Start(t)
	if err := send(open(t, srv.URL()), notice); err != nil {
		t.Fatal(err)
	}
	r, m := receiveOne(t, srv)
	if diff := cmp.Diff(mailtest.Received{From: "waymark@example.org", To: []string{"duty@example.org"}}, r,
		cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Data" }, cmp.Ignore())); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}

	got := map[string]string{}
	for k, v := range m.Header {
		got[k] = strings.Join(v, " | ")
	}
	date, err := netmail.ParseDate(got["Date"])
	if err != nil || time.Since(date).Abs() > time.Minute {
		t.Errorf("Date %q is not now (%v)", got["Date"], err)
	}
	if !regexp.MustCompile(`^<[A-Z2-7]{20,}@example\.org>$`).MatchString(got["Message-Id"]) {
		t.Errorf("Message-ID %q is not random @ the from domain", got["Message-Id"])
	}
	delete(got, "Date")
	delete(got, "Message-Id")
	want := map[string]string{
		"From":                      "waymark@example.org",
		"To":                        "duty@example.org",
		"Subject":                   "New notifications in Waymark",
		"Mime-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}

	t.Run("message ids differ", func(t *testing.T) {
		if err := send(open(t, srv.URL()), notice); err != nil {
			t.Fatal(err)
		}
		msgs := srv.Wait(2, 5*time.Second)
		if len(msgs) != 2 {
			t.Fatalf("server has %d messages, want 2", len(msgs))
		}
		id := func(data string) string {
			m, err := netmail.ReadMessage(strings.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			return m.Header.Get("Message-ID")
		}
		if a, b := id(msgs[0].Data), id(msgs[1].Data); a == b {
			t.Errorf("both messages have Message-ID %s", a)
		}
	})
}

func TestSendBody(t *testing.T) {
	long := strings.Repeat("Waymark notices are short but this one is not. ", 8)
	for _, tc := range []struct {
		name, body string
	}{
		{"ascii round-trips", "You have 1 new notification.\n"},
		{"non-ascii round-trips", "Café – £5 owed to the support worker.\n"},
		{"long line round-trips", long + "\n"},
		{"long line without spaces round-trips", strings.Repeat("x", 300) + "é\n"},
		{"lf, cr and crlf become crlf", "one\ntwo\r\nthree\rfour\n"},
		{"leading dots survive dot-stuffing", ".\n..\n.hidden\n"},
		{"trailing spaces survive", "space at the end   \ntab at the end\t\n"},
		{"equals signs survive", "a=b =3D =\n"},
		{"no final line break gets one", "last line"},
		{"empty body", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t)
			msg := notice
			msg.Body = tc.body
			if err := send(open(t, srv.URL()), msg); err != nil {
				t.Fatal(err)
			}
			r, m := receiveOne(t, srv)
			for i, line := range strings.Split(strings.TrimSuffix(r.Data, "\r\n"), "\r\n") {
				if strings.ContainsAny(line, "\r\n") || len(line) > 78 {
					t.Errorf("line %d is %d bytes or has a bare CR or LF: %q", i, len(line), line)
				}
				for _, c := range []byte(line) {
					if c > '~' {
						t.Errorf("line %d is not 7-bit: %q", i, line)
						break
					}
				}
			}
			got, err := io.ReadAll(quotedprintable.NewReader(m.Body))
			if err != nil {
				t.Fatal(err)
			}
			want := strings.NewReplacer("\r\n", "\r\n", "\r", "\r\n", "\n", "\r\n").Replace(tc.body)
			// SMTP ends DATA with CRLF, so a body without a final line break gains one.
			if want != "" && !strings.HasSuffix(want, "\r\n") {
				want += "\r\n"
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSendSubject(t *testing.T) {
	for _, tc := range []struct {
		name, subject string
		encoded       bool
	}{
		{"ascii is sent as is", "New notifications in Waymark", false},
		{"empty is sent as is", "", false},
		{"non-ascii is q-encoded", "Café – £5", true},
		{"long non-ascii is q-encoded and folded", strings.TrimSpace(strings.Repeat("Déjà vu ", 20)), true},
		{"long ascii is folded", strings.TrimSpace(strings.Repeat("notice ", 30)), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t)
			msg := notice
			msg.Subject = tc.subject
			if err := send(open(t, srv.URL()), msg); err != nil {
				t.Fatal(err)
			}
			r, m := receiveOne(t, srv)
			raw := m.Header.Get("Subject")
			if got := strings.HasPrefix(raw, "=?utf-8?q?"); got != tc.encoded {
				t.Errorf("Subject %q: encoded = %v, want %v", raw, got, tc.encoded)
			}
			for _, line := range strings.Split(r.Data, "\r\n") {
				if len(line) > 78 {
					t.Errorf("header line is %d bytes: %q", len(line), line)
				}
			}
			got, err := new(mime.WordDecoder).DecodeHeader(raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.subject {
				t.Errorf("Subject decodes to %q, want %q", got, tc.subject)
			}
		})
	}
}

func TestSendRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*mail.Message)
		want string
	}{
		{"to with an injected bcc", func(m *mail.Message) { m.To = "a@b.org\r\nBcc: x@y.org" }, "To must be one plain address"},
		{"to with a bare lf", func(m *mail.Message) { m.To = "a@b.org\nBcc: x@y.org" }, "To must be one plain address"},
		{"to with two addresses", func(m *mail.Message) { m.To = "a@b.org, x@y.org" }, "To must be one plain address"},
		{"to with a display name", func(m *mail.Message) { m.To = "Duty <a@b.org>" }, "To must be one plain address"},
		{"to in angle brackets", func(m *mail.Message) { m.To = "<a@b.org>" }, "To must be one plain address"},
		{"to with a comment", func(m *mail.Message) { m.To = "a@b.org(x@y.org)" }, "To must be one plain address"},
		{"to not an address", func(m *mail.Message) { m.To = "duty" }, "To must be one plain address"},
		{"to empty", func(m *mail.Message) { m.To = "" }, "To must be one plain address"},
		{"to non-ascii", func(m *mail.Message) { m.To = "café@b.org" }, "To must be one plain address"},
		{"subject with lf", func(m *mail.Message) { m.Subject = "Hello\nBcc: x@y.org" }, "line break"},
		{"subject with crlf", func(m *mail.Message) { m.Subject = "Hello\r\nBcc: x@y.org" }, "line break"},
		{"subject with cr", func(m *mail.Message) { m.Subject = "Hello\rthere" }, "line break"},
		{"subject with a control character", func(m *mail.Message) { m.Subject = "Bell\x07" }, "non-printable"},
		{"subject with a unicode line separator", func(m *mail.Message) { m.Subject = "one\u2028two" }, "non-printable"},
		{"subject with a tab", func(m *mail.Message) { m.Subject = "a\tb" }, "non-printable"},
		{"subject not utf-8", func(m *mail.Message) { m.Subject = "caf\xe9" }, "not valid UTF-8"},
		{"subject too long", func(m *mail.Message) { m.Subject = strings.Repeat("a", 251) }, "longer than 250 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t)
			msg := notice
			tc.edit(&msg)
			err := send(open(t, srv.URL()), msg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Send error = %v, want one saying %q", err, tc.want)
			}
			if got := srv.Messages(); len(got) != 0 {
				t.Errorf("server received %d messages", len(got))
			}
		})
	}
}

func TestSendTemporaryFailure(t *testing.T) {
	srv := mailtest.Start(t)
	s := open(t, srv.URL())
	srv.FailNext(1)
	err := send(s, notice)
	if err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("Send error = %v, want the 451", err)
	}
	if got := srv.Messages(); len(got) != 0 {
		t.Fatalf("server kept %d messages after failing", len(got))
	}
	t.Run("retry succeeds", func(t *testing.T) {
		if err := send(s, notice); err != nil {
			t.Fatal(err)
		}
		if got := srv.Wait(1, 5*time.Second); len(got) != 1 {
			t.Errorf("server has %d messages, want 1", len(got))
		}
	})
}

func TestSendServerGone(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := open(t, "smtp://"+addr+"?from=waymark@example.org&tls=none")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := s.Send(ctx, notice); err == nil {
		t.Fatal("Send to a closed port succeeded")
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("Send took %v to fail", d)
	}
}

// silentServer accepts connections and never says a word, like a hung server.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func TestSendHungServer(t *testing.T) {
	s := open(t, "smtp://"+silentServer(t)+"?from=waymark@example.org&tls=none")
	t.Run("deadline ends the exchange", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := s.Send(ctx, notice)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Send error = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Errorf("Send returned after %v, want about 500ms", d)
		}
	})
	t.Run("cancellation ends the exchange", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		start := time.Now()
		err := s.Send(ctx, notice)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Send error = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d > 1200*time.Millisecond {
			t.Errorf("Send returned after %v, want about 200ms", d)
		}
	})
}

func TestSendStartTLS(t *testing.T) {
	t.Run("delivers over starttls with auth", func(t *testing.T) {
		srv := mailtest.StartTLS(t)
		s := open(t, withUser(t, srv.URL(), "alerts", password)).WithTLSConfig(srv.TLSConfig())
		if err := send(s, notice); err != nil {
			t.Fatal(err)
		}
		if r, _ := receiveOne(t, srv); r.User != "alerts" {
			t.Errorf("server saw user %q, want alerts", r.User)
		}
	})
	t.Run("refuses an untrusted certificate", func(t *testing.T) {
		srv := mailtest.StartTLS(t)
		err := send(open(t, srv.URL()), notice)
		if err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("Send error = %v, want a certificate error", err)
		}
		if got := srv.Messages(); len(got) != 0 {
			t.Errorf("server received %d messages", len(got))
		}
	})
	t.Run("refuses a server without starttls", func(t *testing.T) {
		srv := mailtest.Start(t)
		rawURL := withUser(t, strings.Replace(srv.URL(), "&tls=none", "", 1), "alerts", password)
		err := send(open(t, rawURL), notice)
		if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
			t.Errorf("Send error = %v, want a refusal for lack of STARTTLS", err)
		}
		if got := srv.Messages(); len(got) != 0 {
			t.Errorf("server received %d messages", len(got))
		}
	})
}

func TestSendSMTPS(t *testing.T) {
	srv := mailtest.StartSMTPS(t)
	s := open(t, withUser(t, srv.URL(), "alerts", password)).WithTLSConfig(srv.TLSConfig())
	if err := send(s, notice); err != nil {
		t.Fatal(err)
	}
	if r, _ := receiveOne(t, srv); r.User != "alerts" {
		t.Errorf("server saw user %q, want alerts", r.User)
	}
}

func TestSendLoopbackAuth(t *testing.T) {
	srv := mailtest.Start(t)
	if err := send(open(t, withUser(t, srv.URL(), "relay", password)), notice); err != nil {
		t.Fatal(err)
	}
	if r, _ := receiveOne(t, srv); r.User != "relay" {
		t.Errorf("server saw user %q, want relay", r.User)
	}
}

func TestSendConcurrent(t *testing.T) {
	srv := mailtest.Start(t)
	s := open(t, srv.URL())
	const n = 10
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			msg := notice
			msg.To = fmt.Sprintf("duty%d@example.org", i)
			if err := send(s, msg); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got := map[string]bool{}
	for _, r := range srv.Wait(n, 5*time.Second) {
		got[strings.Join(r.To, ",")] = true
	}
	if len(got) != n {
		t.Errorf("server has %d distinct recipients, want %d: %v", len(got), n, got)
	}
}

// TestMailtestProtocol drives the test server by hand, to check the parts of SMTP that
// net/smtp does not exercise.
func TestMailtestProtocol(t *testing.T) {
	srv := mailtest.Start(t)
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	c, err := textproto.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	expect := func(code int) {
		t.Helper()
		if _, msg, err := c.ReadResponse(code); err != nil {
			t.Fatalf("want %d, got %v (%s)", code, err, msg)
		}
	}
	say := func(code int, format string, args ...any) {
		t.Helper()
		if err := c.PrintfLine(format, args...); err != nil {
			t.Fatal(err)
		}
		expect(code)
	}
	expect(220)
	say(503, "MAIL FROM:<a@example.org>") // before HELO
	say(250, "HELO client")
	say(502, "VRFY someone")
	say(250, "NOOP")
	say(503, "RCPT TO:<b@example.org>") // before MAIL
	say(250, "MAIL FROM:<discarded@example.org>")
	say(250, "RSET")
	say(503, "DATA") // RSET ended the transaction
	say(250, "mail from:<a@example.org> BODY=8BITMIME")
	say(250, "RCPT TO:<b@example.org>")
	say(250, "RCPT TO:<c@example.org>")
	say(354, "DATA")
	for _, line := range []string{"Subject: dots", "", "..leading dot", "plain"} {
		if err := c.PrintfLine("%s", line); err != nil {
			t.Fatal(err)
		}
	}
	say(250, ".")
	say(221, "QUIT")

	want := []mailtest.Received{{
		From: "a@example.org",
		To:   []string{"b@example.org", "c@example.org"},
		Data: "Subject: dots\r\n\r\n.leading dot\r\nplain\r\n",
	}}
	if diff := cmp.Diff(want, srv.Messages()); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}
