package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"waymark"
)

// AuthService implements waymark.AuthService.
type AuthService struct{ db *DB }

// NewAuthService returns the sign-in service.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

// errSignIn is the one answer to every failed password sign-in, so that it never tells an unknown
// account from a wrong password (ASVS 6.3.8).
func errSignIn() error {
	return &waymark.Error{Code: waymark.EUNAUTHORIZED, Message: "Enter a correct email address and password. Both are case sensitive in the password."}
}

// errThrottled says when to try again, in London time as people read it.
func errThrottled(until time.Time) error {
	return &waymark.Error{Code: waymark.ETHROTTLED, Message: fmt.Sprintf(
		"There have been too many failed attempts to sign in, so sign-in is paused for your security. Try again after %s, or ask your organisation admin for help.",
		waymark.FormatTime(until))}
}

func accountKey(email string) string { return "acct:" + hashToken(waymark.NormalizeEmail(email)) }
func addressKey(addr string) string  { return "addr:" + addr }
func twoStepKey(userID string) string {
	return "2fa:" + userID
}

// throttledUntil returns when key may try again, or the zero time if it may now: a key is paused
// while it has limit or more failures within the window, until the limit-th newest is a window old.
func (tx *Tx) throttledUntil(ctx context.Context, key string, limit int) (time.Time, error) {
	var at nullTime
	err := tx.QueryRowContext(ctx, `SELECT at FROM signin_failures WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $3`,
		key, tx.now.Add(-waymark.ThrottleWindow), limit-1).Scan(&at)
	if errNoRows(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return at.t.Add(waymark.ThrottleWindow), nil
}

// recordFailure records a failure for each key and returns the rows' IDs.
func (tx *Tx) recordFailure(ctx context.Context, keys ...string) ([]int64, error) {
	var ids []int64
	for _, k := range keys {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO signin_failures (key, at) VALUES ($1, $2) RETURNING id`, k, tx.now).Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	// Old failures are of no further use; clear them as we go.
	_, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE at < $1`, tx.now.Add(-2*waymark.ThrottleWindow))
	return ids, err
}

// forgetFailures removes failures recorded in advance for an attempt that turned out not to fail.
func (tx *Tx) forgetFailures(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE id = $1`, id); err != nil {
			return err
		}
	}
	return nil
}

type credentials struct {
	user    *waymark.User
	org     *waymark.Organisation
	hash    string
	hasHash bool
}

// SignIn checks an email and password; see waymark.AuthService.
func (s *AuthService) SignIn(ctx context.Context, email, password, addr string) (*waymark.SignedIn, error) {
	email = waymark.NormalizeEmail(email)
	actor := waymark.Actor{Addr: addr, Via: "web"}
	// Count this attempt as a failure before anything is checked, and only then count the failures:
	// attempts arriving at the same moment each see the others, so no more than the limit reach the
	// password check however many come at once. An attempt that does not fail removes its rows again.
	var attempt []int64
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		attempt, err = tx.recordFailure(ctx, accountKey(email), addressKey(addr))
		return err
	})
	if err != nil {
		return nil, err
	}
	// Look up the account and throttling state, then check the password (deliberately slow)
	// without holding the writer.
	var cred credentials
	var until time.Time
	err = s.db.view(ctx, func(tx *Tx) error {
		var err error
		for _, kl := range []struct {
			key   string
			limit int
		}{{accountKey(email), waymark.AccountFailureLimit}, {addressKey(addr), waymark.AddressFailureLimit}} {
			// This attempt is already counted: it is paused if the limit was reached before it.
			u, err := tx.throttledUntil(ctx, kl.key, kl.limit+1)
			if err != nil {
				return err
			}
			if u.After(until) {
				until = u
			}
		}
		var hash *string
		row := tx.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash`+userFrom+`WHERE u.email = $1`, email)
		var u waymark.User
		var created, updated, last nullTime
		err = row.Scan(&u.ID, &u.OrgID, &u.OrgName, &u.Email, &u.Name, &u.Role, &u.Disabled, &u.HasPassword, &u.TwoStep, &created, &updated, &last, &hash)
		if errNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		u.CreatedAt, u.UpdatedAt, u.LastSignIn = created.t, updated.t, last.ptr()
		cred.user = &u
		if hash != nil {
			cred.hash, cred.hasHash = *hash, true
		}
		cred.org, err = tx.findOrg(ctx, u.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	orgID, userID := "", ""
	if cred.user != nil {
		orgID, userID = cred.user.OrgID, cred.user.ID
	}
	if !until.IsZero() {
		err := s.db.update(ctx, func(tx *Tx) error {
			// A paused attempt checked nothing, so it is not a failure: retrying does not prolong the pause.
			if err := tx.forgetFailures(ctx, attempt); err != nil {
				return err
			}
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditSignInThrottled, OrgID: orgID, ObjectType: "user", ObjectID: userID, ActorLabel: "sign-in"})
		})
		if err != nil {
			return nil, err
		}
		return nil, errThrottled(until)
	}

	hash := dummyHash
	if cred.hasHash {
		hash = cred.hash
	}
	// A password longer than any that can be set is wrong without hashing it.
	ok := len(password) <= 4*waymark.MaxPasswordLength && s.db.checkPassword(hash, password) && cred.hasHash
	usable := ok && cred.user != nil && !cred.user.Disabled && !cred.org.Disabled
	var out *waymark.SignedIn
	err = s.db.update(ctx, func(tx *Tx) error {
		if !usable {
			// The failure was recorded before the check.
			detail := "wrong password"
			switch {
			case cred.user == nil:
				detail = "unknown account"
			case ok:
				detail = "account or organisation disabled"
			case !cred.hasHash:
				detail = "no password set"
			}
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditSignInFailed, OrgID: orgID, ObjectType: "user", ObjectID: userID, ActorLabel: "sign-in", Detail: detail})
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE key = $1`, accountKey(email)); err != nil {
			return err
		}
		if err := tx.forgetFailures(ctx, attempt); err != nil {
			return err
		}
		id := &waymark.Identity{User: cred.user, Organisation: cred.org}
		switch {
		case cred.user.TwoStep:
			id.Stage = waymark.StageTwoStep
		case cred.org.RequireTwoStep:
			id.Stage = waymark.StageTwoStepSetup
		}
		token, sess, err := tx.newSession(ctx, cred.user.ID, id.Stage == waymark.StageDone)
		if err != nil {
			return err
		}
		id.Session = sess
		out = &waymark.SignedIn{Token: token, Identity: id}
		if err := tx.touchSignIn(ctx, cred.user.ID, tx.now); err != nil {
			return err
		}
		actor.UserID, actor.OrgID = cred.user.ID, cred.user.OrgID
		detail := "password"
		if id.Stage == waymark.StageTwoStep {
			detail = "password; second step pending"
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditSignIn, ObjectType: "user", ObjectID: cred.user.ID, ActorLabel: cred.user.Email, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	if !usable {
		return nil, errSignIn()
	}
	return out, nil
}

// newSession stores a session with a fresh token and returns the token (given to the browser once).
func (tx *Tx) newSession(ctx context.Context, userID string, twoStepDone bool) (string, *waymark.Session, error) {
	token := newSecret("wms_")
	sess := &waymark.Session{ID: newID(), UserID: userID, CreatedAt: tx.now, LastSeenAt: tx.now, TwoStepDone: twoStepDone}
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, two_step_done) VALUES ($1, $2, $3, $4, $5, $6)`,
		sess.ID, hashToken(token), userID, sess.CreatedAt, sess.LastSeenAt, twoStepDone)
	return token, sess, err
}

// sessionTouchInterval bounds how often a session's idle timer is written: a request within a
// minute of the last one does not write, so browsing costs reads, not writes.
const sessionTouchInterval = time.Minute

// identityColumns are the session, user and organisation columns read in one query on every
// request: each statement costs a parse in SQLite, so the hot path is a single statement, outside
// any explicit transaction.
const identityColumns = `s.id, s.user_id, s.created_at, s.last_seen_at, s.two_step_done, ` + userColumns + `, ` +
	`o.id, o.name, o.type, o.area, o.first_responder, o.specified_public_authority, o.require_two_step, o.disabled, o.created_at, o.updated_at`

// Authenticate returns the identity behind a session token; see waymark.AuthService.
func (s *AuthService) Authenticate(ctx context.Context, token string) (*waymark.Identity, error) {
	if token == "" {
		return nil, errUnauthenticated()
	}
	var sess waymark.Session
	var created, seen nullTime
	var u waymark.User
	var uCreated, uUpdated, uLast nullTime
	row := s.db.rdb.QueryRowContext(ctx, `SELECT `+identityColumns+` FROM sessions s JOIN users u ON u.id = s.user_id
		JOIN organisations o ON o.id = u.org_id WHERE s.token_hash = $1`, hashToken(token))
	org, err := scanOrg(scanPrefix(row, &sess.ID, &sess.UserID, &created, &seen, &sess.TwoStepDone,
		&u.ID, &u.OrgID, &u.OrgName, &u.Email, &u.Name, &u.Role, &u.Disabled, &u.HasPassword, &u.TwoStep, &uCreated, &uUpdated, &uLast))
	if errNoRows(err) {
		return nil, errUnauthenticated()
	}
	if err != nil {
		return nil, s.db.mapError(err)
	}
	sess.CreatedAt, sess.LastSeenAt = created.t, seen.t
	u.CreatedAt, u.UpdatedAt, u.LastSignIn = uCreated.t, uUpdated.t, uLast.ptr()
	if u.Disabled || org.Disabled {
		return nil, errUnauthenticated()
	}
	id := &waymark.Identity{Session: &sess, User: &u, Organisation: org}
	now := s.db.now()
	if id.Session.Expired(now) {
		s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id.Session.ID)
			return err
		})
		return nil, &waymark.Error{Code: waymark.EUNAUTHORIZED, Message: "You have been signed out because you did not do anything for 30 minutes, or because you signed in more than 12 hours ago. Sign in again."}
	}
	if !id.Session.TwoStepDone {
		if id.User.TwoStep {
			id.Stage = waymark.StageTwoStep
		} else if id.Organisation.RequireTwoStep {
			id.Stage = waymark.StageTwoStepSetup
		}
	}
	if now.Sub(id.Session.LastSeenAt) >= sessionTouchInterval {
		err := s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, tx.now, id.Session.ID)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return id, nil
}

// prefixScanner scans the leading columns of a row into dst and hands the rest to the next scanner,
// so one query can fill several structs with their own scan functions.
type prefixScanner struct {
	row interface{ Scan(...any) error }
	dst []any
}

func scanPrefix(row interface{ Scan(...any) error }, dst ...any) prefixScanner {
	return prefixScanner{row: row, dst: dst}
}

func (p prefixScanner) Scan(rest ...any) error { return p.row.Scan(append(p.dst, rest...)...) }

func errUnauthenticated() error {
	return waymark.Errorf(waymark.EUNAUTHORIZED, "Sign in to continue.")
}

// identity loads a user and organisation and refuses disabled ones.
func (tx *Tx) identity(ctx context.Context, userID string) (*waymark.Identity, error) {
	u, err := tx.findUser(ctx, userID)
	if err != nil {
		return nil, errUnauthenticated()
	}
	org, err := tx.findOrg(ctx, u.OrgID)
	if err != nil {
		return nil, err
	}
	if u.Disabled || org.Disabled {
		return nil, errUnauthenticated()
	}
	return &waymark.Identity{User: u, Organisation: org}, nil
}

// CompleteTwoStep checks the second step and rotates the session token; see waymark.AuthService.
func (s *AuthService) CompleteTwoStep(ctx context.Context, token, code, addr string) (string, error) {
	id, err := s.Authenticate(ctx, token)
	if err != nil {
		return "", err
	}
	if id.Stage != waymark.StageTwoStep {
		return "", waymark.Errorf(waymark.EINVALID, "Two-step sign-in is not waiting for a code.")
	}
	actor := id.Actor(addr, "web")
	var newToken string
	var failed, throttled bool
	var until time.Time
	err = s.db.update(ctx, func(tx *Tx) error {
		// Lock the user's row first, so that one user's second steps run one at a time: otherwise, on
		// PostgreSQL, codes sent at the same moment all pass the throttle check, and one code sent
		// twice passes the replay check twice. (SQLite's single writer already runs them one at a time.)
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = totp_last_step WHERE id = $1`, id.User.ID); err != nil {
			return err
		}
		var err error
		if until, err = tx.throttledUntil(ctx, twoStepKey(id.User.ID), waymark.AccountFailureLimit); err != nil {
			return err
		}
		if !until.IsZero() {
			throttled = true
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditSignInThrottled, ObjectType: "user", ObjectID: id.User.ID, Detail: "second step"})
		}
		var sealed []byte
		var lastStep int64
		if err := tx.QueryRowContext(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1`, id.User.ID).Scan(&sealed, &lastStep); err != nil {
			return err
		}
		secret, err := tx.open(ctx, id.User.OrgID, "users", "totp_secret", id.User.ID, sealed)
		if err != nil {
			return err
		}
		how := ""
		if step, ok := waymark.TOTPMatch(secret, code, tx.now); ok && step > lastStep {
			// A code is accepted once: the step is remembered so that a code seen over a shoulder cannot be replayed.
			if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2`, step, id.User.ID); err != nil {
				return err
			}
			how = "authenticator app"
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
				tx.now, id.User.ID, hashToken(waymark.NormalizeRecoveryCode(code)))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				how = "recovery code"
			}
		}
		if how == "" {
			failed = true
			if _, err := tx.recordFailure(ctx, twoStepKey(id.User.ID)); err != nil {
				return err
			}
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditTwoStepFailed, ObjectType: "user", ObjectID: id.User.ID})
		}
		// A right code clears earlier wrong ones, as a right password does.
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_failures WHERE key = $1`, twoStepKey(id.User.ID)); err != nil {
			return err
		}
		newToken = newSecret("wms_")
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET token_hash = $1, two_step_done = $2, last_seen_at = $3 WHERE id = $4`,
			hashToken(newToken), true, tx.now, id.Session.ID); err != nil {
			return err
		}
		action := waymark.AuditTwoStepPassed
		if how == "recovery code" {
			action = waymark.AuditRecoveryCodeUsed
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: action, ObjectType: "user", ObjectID: id.User.ID, Detail: how})
	})
	switch {
	case err != nil:
		return "", err
	case throttled:
		return "", errThrottled(until)
	case failed:
		return "", &waymark.Error{Code: waymark.EUNAUTHORIZED, Message: "That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes.",
			Fields: map[string]string{"code": "Enter the 6-digit code your app shows now, or a recovery code"}}
	}
	return newToken, nil
}

// SignOut ends a session; see waymark.AuthService.
func (s *AuthService) SignOut(ctx context.Context, token, addr string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var sessID, userID, orgID string
		err := tx.QueryRowContext(ctx, `SELECT s.id, u.id, u.org_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hashToken(token)).Scan(&sessID, &userID, &orgID)
		if errNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, sessID); err != nil {
			return err
		}
		return tx.audit(ctx, waymark.Actor{UserID: userID, OrgID: orgID, Addr: addr, Via: "web"}, &waymark.AuditEntry{Action: waymark.AuditSignOut, ObjectType: "user", ObjectID: userID})
	})
}

// BeginTwoStepSetup makes a new secret; see waymark.AuthService.
func (s *AuthService) BeginTwoStepSetup(ctx context.Context, actor waymark.Actor) (*waymark.TwoStepEnrolment, error) {
	u, err := NewUserService(s.db).FindUserByID(ctx, actor, actor.UserID)
	if err != nil {
		return nil, err
	}
	secret := waymark.EncodeTOTPSecret(randomBytes(20))
	return &waymark.TwoStepEnrolment{Secret: secret, URI: waymark.TOTPURI(secret, u.Email)}, nil
}

// recoveryCodeCount is how many one-time recovery codes a user gets.
const recoveryCodeCount = 10

// ConfirmTwoStepSetup turns on two-step sign-in; see waymark.AuthService. When token names the
// actor's session, that session counts as having passed the second step.
func (s *AuthService) ConfirmTwoStepSetup(ctx context.Context, actor waymark.Actor, token, secret, code string) ([]string, error) {
	step, ok := waymark.TOTPMatch(secret, code, s.db.now())
	if !ok {
		return nil, &waymark.Error{Code: waymark.EINVALID, Message: "That code is not right.",
			Fields: map[string]string{"code": "Enter the 6-digit code your authenticator app shows now"}}
	}
	if !waymark.ValidTOTPSecret(secret) {
		return nil, waymark.Errorf(waymark.EINVALID, "The setup key was changed. Start again from the two-step sign-in page.")
	}
	// Each code carries 80 random bits: 16 base32 characters, in groups of four.
	codes := make([]string, recoveryCodeCount)
	for i := range codes {
		raw := strings.ToUpper(idEncoding.EncodeToString(randomBytes(10)))
		codes[i] = raw[:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:]
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		// Replacing an authenticator needs a session that has passed the current one: a password
		// alone must never be enough to move someone's second step to another phone.
		var hasSecret bool
		if err := tx.QueryRowContext(ctx, `SELECT totp_secret IS NOT NULL FROM users WHERE id = $1`, actor.UserID).Scan(&hasSecret); err != nil {
			return err
		}
		if hasSecret {
			var done bool
			err := tx.QueryRowContext(ctx, `SELECT two_step_done FROM sessions WHERE token_hash = $1 AND user_id = $2`, hashToken(token), actor.UserID).Scan(&done)
			if errNoRows(err) || (err == nil && !done) {
				return waymark.Errorf(waymark.EFORBIDDEN, "Sign in with your current authenticator app before setting up a new one.")
			}
			if err != nil {
				return err
			}
		}
		sealed, err := tx.seal(ctx, actor.OrgID, "users", "totp_secret", actor.UserID, secret)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_last_step = $2, updated_at = $3 WHERE id = $4`, sealed, step, tx.now, actor.UserID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, actor.UserID); err != nil {
			return err
		}
		for _, c := range codes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, actor.UserID, hashToken(waymark.NormalizeRecoveryCode(c))); err != nil {
				return err
			}
		}
		if token != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE sessions SET two_step_done = $1 WHERE token_hash = $2 AND user_id = $3`, true, hashToken(token), actor.UserID); err != nil {
				return err
			}
		}
		// Sessions elsewhere passed only the password, or an authenticator now replaced: they end.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, actor.UserID, hashToken(token)); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditTwoStepEnabled, ObjectType: "user", ObjectID: actor.UserID})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// CheckInvitation reports whose an invitation is; see waymark.AuthService.
func (s *AuthService) CheckInvitation(ctx context.Context, token string) (*waymark.User, error) {
	var u *waymark.User
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		u, err = tx.invitationUser(ctx, token)
		return err
	})
	return u, err
}

func errBadInvitation() error {
	return waymark.Errorf(waymark.ENOTFOUND, "This link has expired or has already been used. Ask your organisation admin to send you a new one.")
}

func (tx *Tx) invitationUser(ctx context.Context, token string) (*waymark.User, error) {
	var userID string
	var expires nullTime
	err := tx.QueryRowContext(ctx, `SELECT user_id, expires_at FROM invitations WHERE token_hash = $1`, hashToken(token)).Scan(&userID, &expires)
	if errNoRows(err) {
		return nil, errBadInvitation()
	}
	if err != nil {
		return nil, err
	}
	if !tx.now.Before(expires.t) {
		return nil, errBadInvitation()
	}
	u, err := tx.findUser(ctx, userID)
	if err != nil || u.Disabled {
		return nil, errBadInvitation()
	}
	return u, nil
}

// SetPassword sets a password with an invitation; see waymark.AuthService.
func (s *AuthService) SetPassword(ctx context.Context, token, password, addr string) error {
	u, err := s.CheckInvitation(ctx, token)
	if err != nil {
		return err
	}
	if msg := waymark.ValidatePassword(password, u.Email); msg != "" {
		return &waymark.Error{Code: waymark.EINVALID, Message: msg, Fields: map[string]string{"password": msg}}
	}
	hash := HashPassword(password)
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.invitationUser(ctx, token)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, tx.now, u.ID); err != nil {
			return err
		}
		// A new password ends every existing session and API token (a reset may follow a stolen password).
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, tx.now, u.ID); err != nil {
			return err
		}
		return tx.audit(ctx, waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Addr: addr, Via: "web"}, &waymark.AuditEntry{Action: waymark.AuditPasswordSet, ObjectType: "user", ObjectID: u.ID, ActorLabel: u.Email})
	})
}

// ChangePassword changes the actor's own password; see waymark.AuthService.
func (s *AuthService) ChangePassword(ctx context.Context, actor waymark.Actor, token, current, next string) error {
	var hash *string
	var email string
	var until time.Time
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		if err := tx.QueryRowContext(ctx, `SELECT password_hash, email FROM users WHERE id = $1`, actor.UserID).Scan(&hash, &email); err != nil {
			return err
		}
		// Guesses at the current password from a stolen session count against the account like
		// guesses at sign-in.
		until, err = tx.throttledUntil(ctx, accountKey(email), waymark.AccountFailureLimit)
		return err
	})
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return errThrottled(until)
	}
	if hash == nil || !s.db.checkPassword(*hash, current) {
		err := s.db.update(ctx, func(tx *Tx) error {
			if _, err := tx.recordFailure(ctx, accountKey(email)); err != nil {
				return err
			}
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditPasswordChangeFailed, ObjectType: "user", ObjectID: actor.UserID, Detail: "current password wrong"})
		})
		if err != nil {
			return err
		}
		return &waymark.Error{Code: waymark.EINVALID, Message: "Your current password is not right.", Fields: map[string]string{"current": "Enter your current password"}}
	}
	if msg := waymark.ValidatePassword(next, email); msg != "" {
		return &waymark.Error{Code: waymark.EINVALID, Message: msg, Fields: map[string]string{"password": msg}}
	}
	newHash := HashPassword(next)
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, newHash, tx.now, actor.UserID); err != nil {
			return err
		}
		// Other sessions end: whoever else knew the old password is signed out.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, actor.UserID, hashToken(token)); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditPasswordChanged, ObjectType: "user", ObjectID: actor.UserID, Detail: "other sessions ended"})
	})
}
