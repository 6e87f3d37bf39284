package sqldb

import (
	"context"
	"time"

	"waymark"
)

// TokenService implements waymark.TokenService.
type TokenService struct{ db *DB }

// NewTokenService returns the API token service.
func NewTokenService(db *DB) *TokenService { return &TokenService{db: db} }

const tokenColumns = `t.id, t.user_id, u.email, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at`

func scanToken(s interface{ Scan(...any) error }) (*waymark.APIToken, error) {
	var t waymark.APIToken
	var created, expires, used, revoked nullTime
	if err := s.Scan(&t.ID, &t.UserID, &t.UserEmail, &t.Name, &created, &expires, &used, &revoked); err != nil {
		return nil, err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = created.t, expires.t, used.ptr(), revoked.ptr()
	return &t, nil
}

// CreateToken makes an API token; see waymark.TokenService.
func (s *TokenService) CreateToken(ctx context.Context, actor waymark.Actor, userID, name string, ttl time.Duration) (*waymark.NewToken, error) {
	if !actor.System && (actor.UserID != userID || !actor.Can(waymark.PermManageOwnTokens)) {
		return nil, forbidden()
	}
	if err := waymark.ValidateTokenRequest(name, ttl); err != nil {
		return nil, err
	}
	var out *waymark.NewToken
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return waymark.Errorf(waymark.EINVALID, "That user is disabled, so a token for them would not work.")
		}
		t := &waymark.APIToken{ID: newID(), UserID: u.ID, UserEmail: u.Email, Name: name, CreatedAt: tx.now, ExpiresAt: tx.now.Add(ttl)}
		secret := newSecret("wmt_")
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, hashToken(secret), t.UserID, t.Name, t.CreatedAt, t.ExpiresAt); err != nil {
			return err
		}
		out = &waymark.NewToken{Secret: secret, Token: t}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditTokenCreated, OrgID: u.OrgID, ObjectType: "token", ObjectID: t.ID,
			Detail: "for user " + u.ID + ", expires " + t.ExpiresAt.Format(time.RFC3339)})
	})
	return out, err
}

// FindTokens lists a user's tokens; see waymark.TokenService.
func (s *TokenService) FindTokens(ctx context.Context, actor waymark.Actor, userID string) ([]*waymark.APIToken, error) {
	if !actor.System && actor.UserID != userID {
		return nil, forbidden()
	}
	var out []*waymark.APIToken
	err := s.db.view(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.user_id = $1 ORDER BY t.created_at DESC, t.id LIMIT 200`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanToken(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeToken ends a token; see waymark.TokenService.
func (s *TokenService) RevokeToken(ctx context.Context, actor waymark.Actor, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1`, id))
		if errNoRows(err) || (err == nil && !actor.System && t.UserID != actor.UserID) {
			return notFound("token")
		}
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return err
		}
		var orgID string
		if err := tx.QueryRowContext(ctx, `SELECT org_id FROM users WHERE id = $1`, t.UserID).Scan(&orgID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditTokenRevoked, OrgID: orgID, ObjectType: "token", ObjectID: id})
	})
}

// AuthenticateToken returns the identity behind a token secret; see waymark.TokenService.
func (s *TokenService) AuthenticateToken(ctx context.Context, secret string) (*waymark.Identity, error) {
	var id *waymark.Identity
	var t *waymark.APIToken
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		t, err = scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, hashToken(secret)))
		if errNoRows(err) {
			return errBadToken()
		}
		if err != nil {
			return err
		}
		if !t.Active(tx.now) {
			return errBadToken()
		}
		if id, err = tx.identity(ctx, t.UserID); err != nil {
			return errBadToken()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Record use at most once a minute, so that API reads stay reads.
	if t.LastUsedAt == nil || s.db.now().Sub(*t.LastUsedAt) >= time.Minute {
		if err := s.db.update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.now, t.ID)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return id, nil
}

func errBadToken() error {
	return waymark.Errorf(waymark.EUNAUTHORIZED, "The API token is missing, unknown, expired or revoked.")
}
