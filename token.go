package waymark

import (
	"context"
	"strings"
	"time"
)

// APIToken lets a program call the JSON API with exactly the permissions of the user it belongs to.
// The token itself is shown once when made and stored only as a hash.
type APIToken struct {
	ID         string
	UserID     string
	UserEmail  string
	Name       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Active reports whether the token can be used at now.
func (t *APIToken) Active(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// Token lifetimes.
const (
	DefaultTokenTTL = 24 * time.Hour
	MaxTokenTTL     = 365 * 24 * time.Hour
)

// ValidateTokenRequest checks a name and lifetime for a new token.
func ValidateTokenRequest(name string, ttl time.Duration) error {
	name = strings.TrimSpace(name)
	f := map[string]string{}
	checkText(f, "name", name, "Enter a name that says what the token is for", 100)
	if ttl < time.Minute || ttl > MaxTokenTTL {
		f["ttl"] = "The lifetime must be between 1 minute and 365 days"
	}
	return invalid(f)
}

// NewToken is a freshly made API token: the secret, shown once, and its record.
type NewToken struct {
	Secret string
	Token  *APIToken
}

// TokenService manages API tokens.
type TokenService interface {
	// CreateToken makes a token for userID. Users may make their own; the system actor (command line)
	// may make one for anyone. EINVALID, ENOTFOUND, EFORBIDDEN.
	CreateToken(ctx context.Context, actor Actor, userID, name string, ttl time.Duration) (*NewToken, error)
	// FindTokens lists a user's tokens, newest first. Users see their own; the system actor anyone's.
	FindTokens(ctx context.Context, actor Actor, userID string) ([]*APIToken, error)
	// RevokeToken ends a token at once. Its owner or the system actor; ENOTFOUND otherwise.
	RevokeToken(ctx context.Context, actor Actor, id string) error
	// AuthenticateToken returns the identity behind a token secret. EUNAUTHORIZED if it is unknown,
	// revoked, expired, or its user or organisation is disabled.
	AuthenticateToken(ctx context.Context, secret string) (*Identity, error)
}
