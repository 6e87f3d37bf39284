package waymark_test

import (
	"encoding/base32"
	"testing"
	"time"

	"waymark"
)

// TestTOTPCode checks the RFC 6238 appendix B vectors for SHA-1 (truncated to 6 digits as apps use them).
func TestTOTPCode(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	} {
		got, err := waymark.TOTPCode(secret, time.Unix(tc.unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("TOTPCode at %d = %s, want %s", tc.unix, got, tc.want)
		}
	}
}

func TestTOTPMatch(t *testing.T) {
	secret := waymark.EncodeTOTPSecret([]byte("0123456789abcdefghij"))
	now := time.Unix(1_800_000_000, 0)
	code, _ := waymark.TOTPCode(secret, now.Add(-30*time.Second))
	t.Run("accepts the previous step", func(t *testing.T) {
		if _, ok := waymark.TOTPMatch(secret, code, now); !ok {
			t.Error("code from 30 s ago refused")
		}
	})
	t.Run("accepts spaces inside the code", func(t *testing.T) {
		if _, ok := waymark.TOTPMatch(secret, code[:3]+" "+code[3:], now); !ok {
			t.Error("spaced code refused")
		}
	})
	t.Run("refuses a code two steps old", func(t *testing.T) {
		if _, ok := waymark.TOTPMatch(secret, code, now.Add(60*time.Second)); ok {
			t.Error("stale code accepted")
		}
	})
	t.Run("refuses junk", func(t *testing.T) {
		for _, c := range []string{"", "12345", "abcdef", "1234567"} {
			if _, ok := waymark.TOTPMatch(secret, c, now); ok {
				t.Errorf("%q accepted", c)
			}
		}
	})
}
