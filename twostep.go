package waymark

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Two-step sign-in uses time-based one-time passwords (RFC 6238) with the parameters every
// authenticator app supports: HMAC-SHA1, 30-second steps, 6 digits.
const (
	totpStep   = 30 * time.Second
	totpDigits = 6
	// TOTPSkew is how many steps either side of now are accepted, for clocks that drift.
	TOTPSkew = 1
)

// TOTPCode returns the code for the base32 secret at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(t.Unix()/int64(totpStep/time.Second))), nil
}

// TOTPMatch reports the time step at which code matches the secret within TOTPSkew steps of now,
// so that callers can refuse a step that was already used. ok is false when nothing matches.
func TOTPMatch(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != totpDigits {
		return 0, false
	}
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return 0, false
	}
	cur := now.Unix() / int64(totpStep/time.Second)
	for d := int64(-TOTPSkew); d <= TOTPSkew; d++ {
		s := cur + d
		if subtle.ConstantTimeCompare([]byte(hotp(key, uint64(s))), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// TOTPURI returns the otpauth:// URI that authenticator apps read.
func TOTPURI(secret, account string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", "Waymark")
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(totpDigits))
	v.Set("period", "30")
	return "otpauth://totp/" + url.PathEscape("Waymark:"+account) + "?" + v.Encode()
}

var totpEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// MinTOTPSecretBytes is the shortest secret accepted when setting up an app (RFC 4226 recommends 160 bits).
const MinTOTPSecretBytes = 20

// ValidTOTPSecret reports whether s is a base32 secret of at least MinTOTPSecretBytes bytes.
func ValidTOTPSecret(s string) bool {
	b, err := decodeTOTPSecret(s)
	return err == nil && len(b) >= MinTOTPSecretBytes
}

// EncodeTOTPSecret turns random bytes into the base32 form apps take.
func EncodeTOTPSecret(b []byte) string { return totpEncoding.EncodeToString(b) }

func decodeTOTPSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	s = strings.TrimRight(s, "=")
	return totpEncoding.DecodeString(s)
}

// hotp is RFC 4226's HOTP with dynamic truncation.
func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1000000)
}

// NormalizeRecoveryCode strips spaces and dashes and upper-cases a recovery code as typed.
func NormalizeRecoveryCode(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
}
