// Package mailtest runs a small in-process SMTP server for tests. It speaks enough of RFC 5321
// for net/smtp clients (EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, AUTH PLAIN and, when
// asked, STARTTLS) and keeps every message it accepts. It accepts any credentials.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"fmt"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Received is one message the server accepted.
type Received struct {
	From string   // envelope sender, from MAIL FROM
	To   []string // envelope recipients, from RCPT TO
	User string   // the AUTH PLAIN user name, or "" when the client did not authenticate
	Data string   // the raw DATA, dot-unstuffed, every line ending in CRLF
}

// Server is an SMTP server on a loopback port that keeps every message it receives.
type Server struct {
	ln        net.Listener
	url       string
	serverTLS *tls.Config // nil unless the server offers STARTTLS or speaks smtps
	clientTLS *tls.Config // trusts the server's certificate
	implicit  bool        // TLS from the first byte (smtps)

	mu       sync.Mutex
	msgs     []Received
	failNext int
	arrived  chan struct{} // closed and replaced whenever a message is stored, to wake Wait
	conns    map[net.Conn]struct{}
	closed   bool
	wg       sync.WaitGroup
}

// Start listens on 127.0.0.1:0 without TLS and serves until t's cleanup closes it.
func Start(t testing.TB) *Server {
	s := start(t, nil, false)
	s.url = fmt.Sprintf("smtp://%s?from=waymark@example.org&tls=none", s.ln.Addr())
	return s
}

// StartTLS is like Start but offers STARTTLS with a fresh self-signed certificate for
// 127.0.0.1, ::1 and localhost; TLSConfig returns a client configuration that trusts it.
// The server does not insist on STARTTLS, so clients that skip it are served in clear.
func StartTLS(t testing.TB) *Server {
	s := start(t, selfSigned(t), false)
	s.url = fmt.Sprintf("smtp://%s?from=waymark@example.org", s.ln.Addr())
	return s
}

// StartSMTPS is like StartTLS but speaks TLS from the first byte, as on port 465.
func StartSMTPS(t testing.TB) *Server {
	s := start(t, selfSigned(t), true)
	s.url = fmt.Sprintf("smtps://%s?from=waymark@example.org", s.ln.Addr())
	return s
}

func start(t testing.TB, cert *tls.Certificate, implicit bool) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{ln: ln, implicit: implicit, arrived: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	if cert != nil {
		s.serverTLS = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		roots := x509.NewCertPool()
		roots.AddCert(cert.Leaf)
		s.clientTLS = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(s.close)
	return s
}

// URL is the smtp URL to reach the server, with from=waymark@example.org: tls=none for
// Start, STARTTLS (the default) for StartTLS and smtps:// for StartSMTPS.
func (s *Server) URL() string { return s.url }

// TLSConfig returns a client TLS configuration that trusts the server's certificate, or nil
// for a server started with Start.
func (s *Server) TLSConfig() *tls.Config { return s.clientTLS.Clone() }

// Messages returns the messages received so far (copies).
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyMessages()
}

// Wait waits until at least n messages have arrived or the timeout passes, and returns the
// messages received by then, so the test can report what it got.
func (s *Server) Wait(n int, timeout time.Duration) []Received {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		msgs, arrived := s.copyMessages(), s.arrived
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-arrived:
		case <-timer.C:
			return s.Messages()
		}
	}
}

// FailNext makes the next n transactions answer 451 (a temporary failure) at the end of
// DATA and drop the message, to test retries.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

func (s *Server) copyMessages() []Received {
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		out[i] = m
	}
	return out
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // the listener is closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			conn.Close()
			return
		}
		s.conns[conn] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serve(conn)
			s.mu.Lock()
			delete(s.conns, conn)
			s.mu.Unlock()
			conn.Close()
		}()
	}
}

// close stops the listener, cuts every open connection and waits for their goroutines, so
// none outlives the test.
func (s *Server) close() {
	s.ln.Close()
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// session is the state of one connection.
type session struct {
	s      *Server
	conn   net.Conn
	text   *textproto.Conn
	isTLS  bool
	helo   bool
	user   string
	inMail bool
	msg    Received
}

func (s *Server) serve(conn net.Conn) {
	ss := &session{s: s, conn: conn}
	if s.implicit {
		ss.conn = tls.Server(conn, s.serverTLS)
		ss.isTLS = true
	}
	ss.text = textproto.NewConn(ss.conn)
	ss.reply(220, "mailtest ESMTP ready")
	for {
		line, err := ss.text.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			ss.ehlo(arg)
		case "HELO":
			ss.helo = true
			ss.reset()
			ss.reply(250, "mailtest")
		case "STARTTLS":
			if !ss.startTLS() {
				return
			}
		case "AUTH":
			ss.auth(arg)
		case "MAIL":
			ss.mail(arg)
		case "RCPT":
			ss.rcpt(arg)
		case "DATA":
			if !ss.data() {
				return
			}
		case "RSET":
			ss.reset()
			ss.reply(250, "2.0.0 OK")
		case "NOOP":
			ss.reply(250, "2.0.0 OK")
		case "QUIT":
			ss.reply(221, "2.0.0 Bye")
			return
		default:
			ss.reply(502, "5.5.2 Command not recognised")
		}
	}
}

// reply writes one response; multi-line responses pass several lines.
func (ss *session) reply(code int, lines ...string) {
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		ss.text.PrintfLine("%d%s%s", code, sep, l)
	}
}

func (ss *session) reset() {
	ss.inMail = false
	ss.msg = Received{}
}

func (ss *session) ehlo(name string) {
	ss.helo = true
	ss.reset()
	lines := []string{"mailtest greets " + name, "8BITMIME", "AUTH PLAIN"}
	if ss.s.serverTLS != nil && !ss.isTLS {
		lines = append(lines, "STARTTLS")
	}
	ss.reply(250, lines...)
}

// startTLS upgrades the connection; it reports false when the connection cannot go on.
func (ss *session) startTLS() bool {
	if ss.s.serverTLS == nil || ss.isTLS {
		ss.reply(502, "5.5.1 STARTTLS not offered")
		return true
	}
	ss.reply(220, "2.0.0 Ready to start TLS")
	tc := tls.Server(ss.conn, ss.s.serverTLS)
	if err := tc.Handshake(); err != nil {
		return false
	}
	// RFC 3207: the client must start again with EHLO and forget what it knew.
	*ss = session{s: ss.s, conn: tc, text: textproto.NewConn(tc), isTLS: true}
	return true
}

func (ss *session) auth(arg string) {
	mech, initial, _ := strings.Cut(arg, " ")
	switch {
	case !ss.helo || ss.user != "" || ss.inMail:
		ss.reply(503, "5.5.1 Bad sequence of commands")
		return
	case !strings.EqualFold(mech, "PLAIN"):
		ss.reply(504, "5.5.4 Only PLAIN is supported")
		return
	}
	if initial == "" {
		ss.reply(334, "")
		line, err := ss.text.ReadLine()
		if err != nil {
			return
		}
		initial = line
	}
	// PLAIN is authzid NUL authcid NUL password (RFC 4616).
	raw, err := base64.StdEncoding.DecodeString(initial)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 || parts[1] == "" {
		ss.reply(501, "5.5.2 Malformed AUTH PLAIN")
		return
	}
	ss.user = parts[1]
	ss.reply(235, "2.7.0 Authentication successful")
}

func (ss *session) mail(arg string) {
	from, ok := pathArg(arg, "FROM:")
	switch {
	case !ss.helo || ss.inMail:
		ss.reply(503, "5.5.1 Bad sequence of commands")
	case !ok:
		ss.reply(501, "5.5.4 Syntax: MAIL FROM:<address>")
	default:
		ss.inMail = true
		ss.msg = Received{From: from, User: ss.user}
		ss.reply(250, "2.1.0 OK")
	}
}

func (ss *session) rcpt(arg string) {
	to, ok := pathArg(arg, "TO:")
	switch {
	case !ss.inMail:
		ss.reply(503, "5.5.1 Bad sequence of commands")
	case !ok || to == "":
		ss.reply(501, "5.5.4 Syntax: RCPT TO:<address>")
	default:
		ss.msg.To = append(ss.msg.To, to)
		ss.reply(250, "2.1.5 OK")
	}
}

// data reads the message up to the lone dot; it reports false when the connection broke.
func (ss *session) data() bool {
	if len(ss.msg.To) == 0 {
		ss.reply(503, "5.5.1 Bad sequence of commands")
		return true
	}
	ss.reply(354, "End data with <CR><LF>.<CR><LF>")
	var b strings.Builder
	for {
		line, err := ss.text.ReadLine()
		if err != nil {
			return false
		}
		if line == "." {
			break
		}
		b.WriteString(strings.TrimPrefix(line, "."))
		b.WriteString("\r\n")
	}
	ss.msg.Data = b.String()
	msg := ss.msg
	ss.reset()

	s := ss.s
	s.mu.Lock()
	fail := s.failNext > 0
	if fail {
		s.failNext--
	} else {
		s.msgs = append(s.msgs, msg)
		close(s.arrived)
		s.arrived = make(chan struct{})
	}
	s.mu.Unlock()
	if fail {
		ss.reply(451, "4.3.0 Temporary failure, try again later")
	} else {
		ss.reply(250, "2.0.0 OK queued")
	}
	return true
}

// pathArg parses "FROM:<a@b> PARAMS" (keyword case-insensitive) and returns the address;
// parameters such as BODY=8BITMIME are ignored.
func pathArg(arg, keyword string) (string, bool) {
	if len(arg) < len(keyword) || !strings.EqualFold(arg[:len(keyword)], keyword) {
		return "", false
	}
	rest := strings.TrimLeft(arg[len(keyword):], " ")
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	addr, _, ok := strings.Cut(rest[1:], ">")
	return addr, ok
}

// selfSigned makes an ECDSA certificate for the loopback names, valid for a day.
func selfSigned(t testing.TB) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("mailtest: generate key: %v", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		t.Fatalf("mailtest: serial number: %v", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "mailtest"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("mailtest: create certificate: %v", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("mailtest: parse certificate: %v", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}
