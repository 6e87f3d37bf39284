// Package mail sends short plain-text notices to staff through an SMTP server, such as
// "You have 3 new notifications in Waymark" with a link. Callers must keep personal data out
// of every message; this package makes sure a message cannot smuggle in extra headers or
// recipients, and never sends credentials or mail in clear except to a loopback relay.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// sendTimeout bounds a whole exchange when the caller's context has no deadline, so a stuck
// server cannot hold a notification worker for ever.
const sendTimeout = 30 * time.Second

// maxSubject keeps the Subject header well inside the 998-byte line limit of RFC 5322 even
// before folding; notices need far less.
const maxSubject = 250

// Transport security modes.
const (
	modeStartTLS = "starttls"
	modeImplicit = "implicit tls"
	modeNone     = "no tls"
)

// Sender sends plain-text messages through one SMTP server. It is safe for concurrent use:
// each Send opens its own connection.
type Sender struct {
	scheme   string
	host     string // without brackets, as TLS and PLAIN auth compare it
	port     string
	mode     string
	user     string
	password string
	from     string
	domain   string // of from, for Message-IDs
	tls      *tls.Config
}

// Open parses an SMTP URL and returns a Sender. It does not connect.
//
//	smtp://[user[:password]@]host[:port]?from=waymark@example.org[&tls=starttls|none]
//	smtps://[user[:password]@]host[:port]?from=waymark@example.org
//
// smtp defaults to port 587 and requires STARTTLS: Send refuses to go on if the server does
// not offer it. tls=none sends in clear and is allowed only for "localhost" or a loopback
// address, for local relays and tests. smtps uses TLS from the first byte and defaults to
// port 465. from is required and must be one plain address. A user name, if given, is sent
// with PLAIN auth, which by the rules above only ever travels over TLS or loopback; special
// characters in the user name or password must be %-encoded.
//
// Each error says in one line what to fix. None repeats any part of the URL, since the
// URL may hold a password and a malformed one cannot be reliably told apart from it.
func Open(rawURL string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("smtp url: cannot parse it: check the port is a number and %-encode / ? # @ % in the user name or password")
	}
	s := &Sender{scheme: u.Scheme}
	switch {
	case u.Scheme != "smtp" && u.Scheme != "smtps":
		return nil, errors.New("smtp url: must start with smtp:// or smtps://")
	case u.Opaque != "" || u.Hostname() == "":
		return nil, errors.New("smtp url: the host is missing: use smtp://smtp.your-domain:587?from=waymark@your-domain")
	case u.Path != "" && u.Path != "/":
		return nil, errors.New("smtp url: unexpected path after the host: remove it, or %-encode / in the user name or password")
	case u.Fragment != "":
		return nil, errors.New("smtp url: unexpected # part: remove it, or %-encode # in the user name or password")
	}
	if err := s.setQuery(u.RawQuery); err != nil {
		return nil, err
	}
	// Host names are case-insensitive; lower case lets PLAIN auth recognise "localhost".
	s.host = strings.ToLower(u.Hostname())
	s.port = u.Port()
	if s.port == "" {
		s.port = "587"
		if s.scheme == "smtps" {
			s.port = "465"
		}
	}
	if n, err := strconv.Atoi(s.port); err != nil || n < 1 || n > 65535 {
		return nil, errors.New("smtp url: the port must be a number from 1 to 65535")
	}
	if s.mode == modeNone && !isLoopback(s.host) {
		return nil, errors.New("smtp url: tls=none sends in clear and is only allowed for localhost or a loopback address: remove it to use STARTTLS")
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
		if s.user == "" && s.password != "" {
			return nil, errors.New("smtp url: a password needs a user name: use smtp://user:password@host")
		}
		// net/smtp sends PLAIN credentials in clear only to these names; say so now rather
		// than fail at the first notice.
		if s.user != "" && s.mode == modeNone && s.host != "localhost" && s.host != "127.0.0.1" && s.host != "::1" {
			return nil, errors.New("smtp url: with tls=none a user name is only allowed for localhost, 127.0.0.1 or ::1: remove it or use one of those")
		}
	}
	return s, nil
}

// setQuery reads from and tls. Unknown parameters are refused rather than ignored, because a
// misspelt tls=none must not silently become something else.
func (s *Sender) setQuery(rawQuery string) error {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return errors.New("smtp url: the part after ? is malformed: %-encode special characters in from")
	}
	for k := range q {
		if k != "from" && k != "tls" {
			return errors.New("smtp url: unknown parameter after ?: only from and tls are allowed")
		}
	}
	if len(q["from"]) > 1 || len(q["tls"]) > 1 {
		return errors.New("smtp url: from and tls may each be given only once")
	}
	from := q.Get("from")
	switch {
	case from == "":
		return errors.New(`smtp url: "from" is missing: add ?from=waymark@your-domain`)
	case !plainAddress(from):
		return errors.New(`smtp url: "from" must be one plain address such as waymark@your-domain`)
	}
	s.from = from
	s.domain = from[strings.LastIndexByte(from, '@')+1:]

	s.mode = modeImplicit
	if s.scheme == "smtps" {
		if q.Has("tls") {
			return errors.New("smtp url: smtps:// always uses TLS: remove tls=")
		}
		return nil
	}
	switch q.Get("tls") {
	case "", "starttls":
		s.mode = modeStartTLS
	case "none":
		s.mode = modeNone
	default:
		return errors.New("smtp url: tls must be starttls or none (use smtps:// for implicit TLS)")
	}
	return nil
}

// WithTLSConfig returns a copy of s that uses c for TLS, for tests and private certificate
// authorities. ServerName defaults to the URL's host and TLS 1.2 stays the minimum.
func (s *Sender) WithTLSConfig(c *tls.Config) *Sender {
	t := *s
	t.tls = c.Clone()
	return &t
}

// String describes the server without the password, for logs: "smtp://user@host:587 (starttls)".
func (s *Sender) String() string {
	userinfo := ""
	if s.user != "" {
		userinfo = url.User(s.user).String() + "@"
	}
	return fmt.Sprintf("%s://%s%s (%s)", s.scheme, userinfo, net.JoinHostPort(s.host, s.port), s.mode)
}

// Message is one email. To must be one plain address and Subject one line of printable text;
// Body is plain text whose line breaks (LF, CR or CRLF) are sent as CRLF.
type Message struct {
	To, Subject, Body string
}

// Send delivers msg. It refuses, before connecting, a To that is not one plain address and a
// Subject with line breaks, control characters or invalid UTF-8, so no caller can add headers
// or recipients. The exchange ends by ctx's deadline, or after 30 seconds if ctx has none.
// An error after the server has accepted the message (during QUIT) is ignored, so a retry
// never sends it twice.
func (s *Sender) Send(ctx context.Context, msg Message) error {
	data, err := s.compose(msg)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, sendTimeout)
		defer cancel()
	}
	if err := s.transmit(ctx, msg.To, data); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// The connection's only deadlines come from ctx, whose own timer may fire a moment
			// after the connection's; wait so the caller sees context.DeadlineExceeded.
			<-ctx.Done()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			// The network error is only the symptom of the deadline or cancellation.
			return fmt.Errorf("send mail via %s: %w", s, ctxErr)
		}
		return fmt.Errorf("send mail via %s: %w", s, err)
	}
	return nil
}

// compose checks msg and renders it as an RFC 5322 message with a quoted-printable body.
func (s *Sender) compose(msg Message) ([]byte, error) {
	if !plainAddress(msg.To) {
		return nil, errors.New("mail: To must be one plain address such as name@example.org")
	}
	if err := checkSubject(msg.Subject); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(fold(name + ": " + value))
		b.WriteString("\r\n")
	}
	header("From", s.from)
	header("To", msg.To)
	header("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	header("Date", time.Now().Format(time.RFC1123Z))
	header("Message-ID", "<"+rand.Text()+"@"+s.domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// Asks autoresponders not to reply to a machine (RFC 3834).
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	// Quoted-printable keeps every line short and 7-bit, and turns LF and CR into CRLF.
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(msg.Body)) // writes to a bytes.Buffer cannot fail
	qp.Close()
	return b.Bytes(), nil
}

// transmit runs one SMTP exchange, giving up when ctx is done.
func (s *Sender) transmit(ctx context.Context, to string, data []byte) error {
	addr := net.JoinHostPort(s.host, s.port)
	var conn net.Conn
	var err error
	if s.mode == modeImplicit {
		d := tls.Dialer{Config: s.tlsConfig()}
		conn, err = d.DialContext(ctx, "tcp", addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// A cancelled ctx must also stop a read in progress, not only the deadline.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	if s.mode == modeStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("the server does not offer STARTTLS: use smtps:// if it takes TLS from the start, or a server that supports STARTTLS")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if s.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the server does not offer AUTH: remove the user name from the URL or use a server that takes it")
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.password, s.host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(s.from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end of data: %w", err)
	}
	// The message is accepted; a failed QUIT must not make the caller send it again.
	c.Quit()
	return nil
}

func (s *Sender) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if s.tls != nil {
		c = s.tls.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.host
	}
	c.MinVersion = max(c.MinVersion, tls.VersionTLS12)
	return c
}

// plainAddress reports whether a is exactly one bare ASCII address, with no display name,
// comment, angle brackets or whitespace that could be read as more than one recipient.
func plainAddress(a string) bool {
	for i := 0; i < len(a); i++ {
		if a[i] <= ' ' || a[i] > '~' {
			return false
		}
	}
	p, err := netmail.ParseAddress(a)
	return err == nil && p.Name == "" && p.Address == a
}

func checkSubject(subject string) error {
	if len(subject) > maxSubject {
		return fmt.Errorf("mail: the subject is longer than %d bytes: shorten it", maxSubject)
	}
	if !utf8.ValidString(subject) {
		return errors.New("mail: the subject is not valid UTF-8")
	}
	for _, r := range subject {
		if !unicode.IsPrint(r) {
			return errors.New("mail: the subject contains a line break or other non-printable character: make it one line of text")
		}
	}
	return nil
}

// fold breaks a header line before spaces so that lines stay within 78 characters where it
// can (RFC 5322 section 2.2.3); encoded subjects would otherwise run past the hard limit.
// It never folds before an empty word, which would leave a line of only white space.
func fold(line string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Split(line, " ") {
		if i > 0 {
			if word != "" && n+1+len(word) > 78 {
				b.WriteString("\r\n")
				n = 0
			}
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
