package waymark_test

import (
	"strings"
	"testing"
	"time"

	"waymark"
)

// FuzzTOTPMatch feeds codes and secrets as typed or stored: nothing panics, and only six digits match.
func FuzzTOTPMatch(f *testing.F) {
	f.Add("JBSWY3DPEHPK3PXP", "123456", int64(1_800_000_000))
	f.Add("", "", int64(0))
	f.Add("not base32!", " 1 2 3 4 5 6 ", int64(-5))
	f.Fuzz(func(t *testing.T, secret, code string, unix int64) {
		if _, ok := waymark.TOTPMatch(secret, code, time.Unix(unix, 0)); ok {
			digits := strings.Join(strings.Fields(code), "")
			if len(digits) != 6 || strings.Trim(digits, "0123456789") != "" {
				t.Errorf("code %q matched but is not six digits", code)
			}
		}
		waymark.NormalizeRecoveryCode(code)
	})
}

// FuzzUserValidate checks that validation never panics and that what it accepts is normalised.
func FuzzUserValidate(f *testing.F) {
	f.Add("ada@example.org", "Ada Lovelace", "frontline", "pw")
	f.Add(" ADA@Example.ORG ", "<script>alert(1)</script>", "system_admin", "=cmd|' /C calc'!A0")
	f.Add("a@b", "\x00", "nope", "")
	f.Fuzz(func(t *testing.T, email, name, role, pw string) {
		u := &waymark.User{OrgID: "o", Email: email, Name: name, Role: waymark.Role(role)}
		if err := u.Validate(); err == nil {
			if u.Email != strings.ToLower(u.Email) || !strings.Contains(u.Email, "@") || u.Name == "" || !u.Role.Valid() {
				t.Errorf("accepted %+v", u)
			}
		} else if waymark.ErrorCode(err) != waymark.EINVALID || len(waymark.ErrorFields(err)) == 0 {
			t.Errorf("validation error without fields: %v", err)
		}
		if msg := waymark.ValidatePassword(pw, email); msg == "" && len([]rune(pw)) < waymark.MinPasswordLength {
			t.Errorf("short password %q accepted", pw)
		}
		o := &waymark.Organisation{Name: name, Type: waymark.OrgType(role), Area: pw}
		if err := o.Validate(); err == nil && (o.Name == "" || !o.Type.Valid()) {
			t.Errorf("accepted organisation %+v", o)
		}
	})
}
