package mail_test

import (
	"net/url"
	"strings"
	"testing"

	"waymark/mail"
)

// FuzzOpen checks that Open never panics, that its errors are one line, and that neither
// its errors nor String depend on the password: the same URL with another password must
// give exactly the same text. A plain "does not contain" check would be fooled by short
// passwords such as "s" that occur in "smtp" anyway.
func FuzzOpen(f *testing.F) {
	for _, seed := range []string{
		"smtp://mail.example.org?from=waymark@example.org",
		"smtps://alerts:" + password + "@mail.example.org:465?from=waymark@example.org",
		"smtp://alerts%40example.org:p%40ss@mail.example.org?from=waymark@example.org&tls=starttls",
		"smtp://u:p@127.0.0.1:2525?from=waymark@example.org&tls=none",
		"smtp://[::1]:25?from=waymark@example.org&tls=none",
		"smtp://u:p@mail.example.org?from=waymark@example.org&tls=none",
		"smtp://:p@mail.example.org?from=waymark@example.org",
		"smtp://u:p/x@mail.example.org?from=waymark@example.org",
		"smtp://u:p?x@mail.example.org&from=waymark@example.org",
		"smtp://u:p%zz@mail.example.org?from=waymark@example.org",
		"smtp://u:p@mail.example.org:99999?from=waymark@example.org",
		"smtp://u:p@mail.example.org?from=Waymark%20%3Cw@example.org%3E",
		"smtp://u:p@mail.example.org#frag",
		"smtp:opaque",
		"http://u:p@example.org",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s, err := mail.Open(raw)
		if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("error %q is not one line", err)
		}
		if err == nil && strings.ContainsAny(s.String(), "\r\n") {
			t.Errorf("String() %q is not one line", s)
		}
		u, perr := url.Parse(raw)
		if perr != nil || u.User == nil {
			return
		}
		pw, ok := u.User.Password()
		if !ok || pw == "" {
			return
		}
		other := "Zq9-other"
		if pw == other {
			other = "Yx8-other"
		}
		if a, b := outcome(u, pw), outcome(u, other); a != b {
			t.Errorf("Open depends on the password %q:\n%s\nwith another password:\n%s", pw, a, b)
		}
	})
}

// outcome opens u with password pw and describes the result as text.
func outcome(u *url.URL, pw string) string {
	v := *u
	v.User = url.UserPassword(u.User.Username(), pw)
	s, err := mail.Open(v.String())
	if err != nil {
		return "error: " + err.Error()
	}
	return "ok: " + s.String()
}
