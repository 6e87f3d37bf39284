package waymark

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// User is a member of staff or a volunteer who signs in to Waymark. Each belongs to one organisation
// with one role.
type User struct {
	ID    string
	OrgID string
	// OrgName is filled in on reads for display; it is not stored with the user.
	OrgName     string
	Email       string
	Name        string
	Role        Role
	Disabled    bool
	HasPassword bool
	TwoStep     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
	LastSignIn  *time.Time
}

// NormalizeEmail returns the form of an email address that is stored and compared.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the user's fields and says how to fix each one that is wrong.
func (u *User) Validate() error {
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	f := map[string]string{}
	if msg := validateEmail(u.Email); msg != "" {
		f["email"] = msg
	}
	checkText(f, "name", u.Name, "Enter the person's full name", 200)
	if !u.Role.Valid() {
		f["role"] = "Select a role"
	}
	if u.OrgID == "" {
		f["org"] = "Select an organisation"
	}
	return invalid(f)
}

func validateEmail(s string) string {
	switch {
	case s == "":
		return "Enter an email address"
	case len(s) > 254:
		return "The email address must be 254 characters or fewer"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "Enter an email address in the correct format, like name@example.org"
	}
	return ""
}

// MinPasswordLength and MaxPasswordLength bound passwords (ASVS 6.2.1 and 6.2.9).
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

// ValidatePassword says what is wrong with a new password, or "" if it is acceptable.
// Length is the rule that matters; no composition rules (ASVS 6.2.5).
func ValidatePassword(pw, email string) string {
	n := len([]rune(pw))
	switch {
	case pw == "":
		return "Enter a password"
	case n < MinPasswordLength:
		return "Your password must be at least 12 characters long. A few unrelated words make a good one"
	case n > MaxPasswordLength:
		return "Your password must be 128 characters or fewer"
	case email != "" && strings.EqualFold(strings.TrimSpace(pw), email):
		return "Your password must not be your email address"
	case isCommonPassword(pw):
		return "That password is too easy to guess. Choose a different one"
	}
	return ""
}

// commonPasswords holds long passwords that appear in every breach list; shorter ones are already
// refused by the length rule.
var commonPasswords = map[string]bool{
	"password1234": true, "password12345": true, "password123456": true, "123456789012": true,
	"qwertyuiopas": true, "qwerty123456": true, "iloveyou1234": true, "changeme1234": true,
	"welcome12345": true, "letmein12345": true, "administrator": true, "passwordpassword": true,
	"1234567890123": true, "abcdefghijkl": true, "aaaaaaaaaaaa": true, "111111111111": true,
}

func isCommonPassword(pw string) bool { return commonPasswords[strings.ToLower(pw)] }

// UserUpdate holds changes to a user; nil fields stay as they are.
type UserUpdate struct {
	Name     *string
	Role     *Role
	Disabled *bool
}

// Invitation is a new or reissued one-time link to set a password. Token is shown once and stored hashed.
type Invitation struct {
	User      *User
	Token     string
	ExpiresAt time.Time
}

// InvitationLifetime is how long a set-password link works.
const InvitationLifetime = 7 * 24 * time.Hour

// UserService manages staff accounts.
type UserService interface {
	// FindUserByID returns a user. System admins may read anyone; organisation admins their own
	// organisation's users; anyone else only themselves. ENOTFOUND otherwise.
	FindUserByID(ctx context.Context, actor Actor, id string) (*User, error)
	// FindUsers lists an organisation's users, by name. Organisation admins their own organisation;
	// system admins any. EFORBIDDEN otherwise.
	FindUsers(ctx context.Context, actor Actor, orgID string, page Page) ([]*User, int, error)
	// InviteUser creates a user without a password and returns a one-time set-password link token.
	// Organisation admins in their own organisation (not as system admin); system admins anywhere.
	// EINVALID, ECONFLICT (email already used), EFORBIDDEN.
	InviteUser(ctx context.Context, actor Actor, u *User) (*Invitation, error)
	// ReissueInvitation replaces any earlier link with a new one, for a forgotten password.
	// Same permissions as InviteUser; ENOTFOUND.
	ReissueInvitation(ctx context.Context, actor Actor, id string) (*Invitation, error)
	// UpdateUser changes a user's name, role or disabled flag. Disabling ends their sessions and
	// API tokens at once. Nobody may change their own role or disable themselves (EFORBIDDEN), and an
	// organisation admin may not grant system admin.
	UpdateUser(ctx context.Context, actor Actor, id string, u UserUpdate) (*User, error)
}
