package sqldb

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (t=2, m=19 MiB, p=1), ASVS 6.x appendix C.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

var b64 = base64.RawStdEncoding

// HashPassword returns a PHC-format Argon2id hash with a random salt.
func HashPassword(pw string) string {
	salt := randomBytes(16)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// dummyHash is checked against when an account does not exist, so that answering takes as long
// as for a real account and timing does not reveal which emails are registered.
var dummyHash = HashPassword("waymark timing equaliser")

// passwordChecks bounds how many Argon2id checks run at once (each takes 19 MiB): a flood of
// sign-in attempts from many addresses queues instead of exhausting memory.
const passwordChecks = 4

// checkPassword checks a password, waiting for one of the slots.
func (db *DB) checkPassword(hash, pw string) bool {
	db.hashSlots <- struct{}{}
	defer func() { <-db.hashSlots }()
	return checkPassword(hash, pw)
}

// checkPassword reports whether pw matches the PHC hash, in constant time. Parameters come from the
// hash itself, so older hashes keep working if the defaults are raised.
func checkPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 64*1024 || t > 10 {
		return false
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// hashToken hashes a high-entropy secret for storage: sessions, API tokens and invitations carry
// 256 random bits, recovery codes 80 and are throttled like sign-in. A fast hash suffices: with that
// much entropy there is nothing to guess offline.
func hashToken(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newSecret returns a random 256-bit secret with a readable prefix that says what it is.
func newSecret(prefix string) string {
	return prefix + b64url.EncodeToString(randomBytes(32))
}

var b64url = base64.RawURLEncoding
