package waymark

import (
	"context"
	"time"
)

// Session timeouts (ASVS 7.3): a session ends after 30 minutes without a request, and 12 hours after
// sign-in whatever happens.
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
)

// Sign-in throttling: while one email address has AccountFailureLimit or more failed attempts
// within the last ThrottleWindow, or one network address has AddressFailureLimit, sign-in for that
// account or from that address is paused (a sliding window: it reopens as the oldest of those
// failures passes out of the window). The message says when.
const (
	AccountFailureLimit = 5
	AddressFailureLimit = 30
	ThrottleWindow      = 15 * time.Minute
)

// Session is a signed-in browser. Its token is given to the browser once and stored only as a hash.
type Session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	// TwoStepDone is false while the user has given a password but not yet the second step.
	TwoStepDone bool
}

// Expired reports whether the session has timed out at now.
func (s *Session) Expired(now time.Time) bool {
	return now.Sub(s.LastSeenAt) >= SessionIdleTimeout || now.Sub(s.CreatedAt) >= SessionAbsoluteTimeout
}

// SignInStage says what a session still needs before the user may work.
type SignInStage int

const (
	// StageDone means the user is fully signed in.
	StageDone SignInStage = iota
	// StageTwoStep means the user must give a code from their authenticator app or a recovery code.
	StageTwoStep
	// StageTwoStepSetup means the organisation requires two-step sign-in and the user must set it up.
	StageTwoStepSetup
)

// Identity is everything the web layer knows about whoever made a request.
type Identity struct {
	Session      *Session // nil for API tokens
	User         *User
	Organisation *Organisation
	Stage        SignInStage
}

// Actor returns the identity as an actor for service calls.
func (id *Identity) Actor(addr, via string) Actor {
	return Actor{UserID: id.User.ID, OrgID: id.User.OrgID, Role: id.User.Role, Addr: addr, Via: via}
}

// SignedIn is the result of a successful password check: the new session's token and what is still needed.
type SignedIn struct {
	Token    string
	Identity *Identity
}

// TwoStepEnrolment is a secret offered to a user setting up two-step sign-in. It is not stored until
// the user proves their app holds it by entering a code.
type TwoStepEnrolment struct {
	Secret string // base32, as authenticator apps take it
	URI    string // otpauth:// URI for apps that read it
}

// AuthService signs people in and out. Failed attempts are throttled per account and per network
// address, and every outcome is audited; messages never reveal whether an account exists.
type AuthService interface {
	// SignIn checks an email and password. It returns EUNAUTHORIZED with the same message for an
	// unknown email, a wrong password, a disabled account or one without a password, and ETHROTTLED
	// when too many attempts have failed.
	SignIn(ctx context.Context, email, password, addr string) (*SignedIn, error)
	// Authenticate returns the identity behind a session token, refreshing its idle timer.
	// EUNAUTHORIZED if the token is unknown, expired, or its user or organisation is disabled.
	Authenticate(ctx context.Context, token string) (*Identity, error)
	// CompleteTwoStep checks a code from the user's app or a recovery code for a session at StageTwoStep,
	// and replaces the session token with a new one (returned). EUNAUTHORIZED or ETHROTTLED.
	CompleteTwoStep(ctx context.Context, token, code, addr string) (string, error)
	// SignOut ends the session at once.
	SignOut(ctx context.Context, token, addr string) error
	// BeginTwoStepSetup makes a new secret for the actor to add to an authenticator app.
	BeginTwoStepSetup(ctx context.Context, actor Actor) (*TwoStepEnrolment, error)
	// ConfirmTwoStepSetup turns on two-step sign-in for the actor if code matches secret, and returns
	// the one-time recovery codes, shown once. The session with token (if any) counts as having passed
	// the second step. EINVALID if the code does not match.
	ConfirmTwoStepSetup(ctx context.Context, actor Actor, token, secret, code string) ([]string, error)
	// SetPassword sets a password with a one-time invitation token. EINVALID for a weak password;
	// ENOTFOUND for an unknown, used or expired token.
	SetPassword(ctx context.Context, inviteToken, password, addr string) error
	// CheckInvitation reports whether an invitation token is usable, and for whom (name and email).
	CheckInvitation(ctx context.Context, inviteToken string) (*User, error)
	// ChangePassword changes the actor's own password after checking the current one, and ends
	// the actor's other sessions (token names the session to keep). Wrong current passwords are
	// throttled and audited like failed sign-ins: EINVALID, ETHROTTLED.
	ChangePassword(ctx context.Context, actor Actor, token, current, next string) error
}
