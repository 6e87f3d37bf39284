package sqldb

import (
	"context"
	"fmt"
	"time"

	"waymark"
)

// UserService implements waymark.UserService.
type UserService struct{ db *DB }

// NewUserService returns the user service.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

const userColumns = `u.id, u.org_id, o.name, u.email, u.name, u.role, u.disabled, u.password_hash IS NOT NULL, u.totp_secret IS NOT NULL, u.created_at, u.updated_at, u.last_sign_in_at`

const userFrom = ` FROM users u JOIN organisations o ON o.id = u.org_id `

func scanUser(s interface{ Scan(...any) error }) (*waymark.User, error) {
	var u waymark.User
	var created, updated, last nullTime
	if err := s.Scan(&u.ID, &u.OrgID, &u.OrgName, &u.Email, &u.Name, &u.Role, &u.Disabled, &u.HasPassword, &u.TwoStep, &created, &updated, &last); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.LastSignIn = created.t, updated.t, last.ptr()
	return &u, nil
}

func (tx *Tx) findUser(ctx context.Context, id string) (*waymark.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = $1`, id))
	if errNoRows(err) {
		return nil, notFound("user")
	}
	return u, err
}

// mayManageUser reports whether actor may manage users of orgID.
func mayManageUser(actor waymark.Actor, orgID string) bool {
	if actor.Can(waymark.PermManageOrganisations) {
		return true
	}
	return actor.Can(waymark.PermManageOrgUsers) && actor.OrgID == orgID
}

// mayChangeSystemAdmin refuses changes to a system admin by anyone but a system admin: otherwise an
// organisation admin who shares the system admin's organisation could reissue their set-password link
// and take the account over, or demote or disable them.
func mayChangeSystemAdmin(actor waymark.Actor, u *waymark.User) error {
	if u.Role == waymark.RoleSystemAdmin && !actor.Can(waymark.PermManageOrganisations) {
		return waymark.Errorf(waymark.EFORBIDDEN, "Only a system admin can change a system admin's account.")
	}
	return nil
}

// FindUserByID returns a user; see waymark.UserService.
func (s *UserService) FindUserByID(ctx context.Context, actor waymark.Actor, id string) (*waymark.User, error) {
	var u *waymark.User
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		u, err = tx.findUser(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if u.ID != actor.UserID && !mayManageUser(actor, u.OrgID) {
		return nil, notFound("user")
	}
	return u, nil
}

// FindUsers lists an organisation's users; see waymark.UserService.
func (s *UserService) FindUsers(ctx context.Context, actor waymark.Actor, orgID string, page waymark.Page) ([]*waymark.User, int, error) {
	if !mayManageUser(actor, orgID) {
		return nil, 0, forbidden()
	}
	page = page.Normalize()
	var out []*waymark.User
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE org_id = $1`, orgID).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.org_id = $1 ORDER BY u.disabled, lower(u.name), u.id LIMIT $2 OFFSET $3`, orgID, page.Limit, page.Offset)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, total, err
}

// checkGrant refuses role grants beyond the actor's authority.
func checkGrant(actor waymark.Actor, role waymark.Role) error {
	switch {
	case !role.Valid() || actor.MayGrant(role):
		return nil // an invalid role is reported by validation
	case role == waymark.RoleSystemAdmin:
		return &waymark.Error{Code: waymark.EFORBIDDEN, Message: "Only a system admin can make someone a system admin.", Fields: map[string]string{"role": "Only a system admin can make someone a system admin"}}
	}
	return &waymark.Error{Code: waymark.EFORBIDDEN, Message: "System admins add organisation admins; the organisation's admin adds its staff.",
		Fields: map[string]string{"role": "Choose organisation admin: the organisation's admin adds its other staff"}}
}

// insertUser stores a new user and audits it.
func (tx *Tx) insertUser(ctx context.Context, actor waymark.Actor, u *waymark.User, passwordHash any, action string) error {
	org, err := tx.findOrg(ctx, u.OrgID)
	if err != nil {
		return &waymark.Error{Code: waymark.EINVALID, Message: "Select an organisation.", Fields: map[string]string{"org": "Select an organisation that exists"}}
	}
	u.ID = newID()
	u.OrgName = org.Name
	u.CreatedAt, u.UpdatedAt = tx.now, tx.now
	u.HasPassword = passwordHash != nil
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, org_id, email, name, role, disabled, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, u.ID, u.OrgID, u.Email, u.Name, u.Role, u.Disabled, passwordHash, u.CreatedAt, u.UpdatedAt); err != nil {
		if tx.db.engine.classify(err) == errUnique {
			return &waymark.Error{Code: waymark.ECONFLICT, Message: "Someone already uses that email address.", Fields: map[string]string{"email": "Someone already uses that email address"}}
		}
		return err
	}
	return tx.audit(ctx, actor, &waymark.AuditEntry{Action: action, OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID, Detail: "role " + string(u.Role)})
}

// newInvitation replaces the user's set-password link with a new one.
func (tx *Tx) newInvitation(ctx context.Context, u *waymark.User) (*waymark.Invitation, error) {
	inv := &waymark.Invitation{User: u, Token: newSecret("wmi_"), ExpiresAt: tx.now.Add(waymark.InvitationLifetime)}
	if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE user_id = $1`, u.ID); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)`,
		hashToken(inv.Token), u.ID, inv.ExpiresAt, tx.now); err != nil {
		return nil, err
	}
	return inv, nil
}

// InviteUser creates a user and a set-password link; see waymark.UserService.
func (s *UserService) InviteUser(ctx context.Context, actor waymark.Actor, u *waymark.User) (*waymark.Invitation, error) {
	if !mayManageUser(actor, u.OrgID) {
		return nil, forbidden()
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := checkGrant(actor, u.Role); err != nil {
		return nil, err
	}
	var inv *waymark.Invitation
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		if err := tx.insertUser(ctx, actor, u, nil, waymark.AuditUserInvited); err != nil {
			return err
		}
		inv, err = tx.newInvitation(ctx, u)
		return err
	})
	return inv, err
}

// CreateUser creates a user with a password hash already made (see HashPassword). It serves the
// command line's bootstrap of the first system admin and the demo generator, acting as actor.
func (s *UserService) CreateUser(ctx context.Context, actor waymark.Actor, u *waymark.User, passwordHash string) error {
	if !mayManageUser(actor, u.OrgID) {
		return forbidden()
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := checkGrant(actor, u.Role); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.insertUser(ctx, actor, u, passwordHash, waymark.AuditUserCreated)
	})
}

// FindUserByEmail finds a user by email, for the command line acting as the system actor.
func (s *UserService) FindUserByEmail(ctx context.Context, actor waymark.Actor, email string) (*waymark.User, error) {
	if !actor.System {
		return nil, forbidden()
	}
	var u *waymark.User
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.email = $1`, waymark.NormalizeEmail(email)))
		if errNoRows(err) {
			return notFound("user")
		}
		return err
	})
	return u, err
}

// ReissueInvitation replaces a user's set-password link; see waymark.UserService.
func (s *UserService) ReissueInvitation(ctx context.Context, actor waymark.Actor, id string) (*waymark.Invitation, error) {
	var inv *waymark.Invitation
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.findUser(ctx, id)
		if err != nil || !mayManageUser(actor, u.OrgID) {
			return notFound("user")
		}
		if err := mayChangeSystemAdmin(actor, u); err != nil {
			return err
		}
		// A set-password link lets whoever holds it sign in as the user: a system admin, who sees no
		// client records, may make one only for an admin.
		if !actor.MayGrant(u.Role) {
			return waymark.Errorf(waymark.EFORBIDDEN, "Ask the organisation's admin to make a new link for them.")
		}
		if inv, err = tx.newInvitation(ctx, u); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditUserReinvited, OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID})
	})
	return inv, err
}

// UpdateUser changes a user; see waymark.UserService.
func (s *UserService) UpdateUser(ctx context.Context, actor waymark.Actor, id string, upd waymark.UserUpdate) (*waymark.User, error) {
	var u *waymark.User
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "users", id); err != nil {
			return err
		}
		var err error
		u, err = tx.findUser(ctx, id)
		if err != nil || !mayManageUser(actor, u.OrgID) {
			return notFound("user")
		}
		if err := mayChangeSystemAdmin(actor, u); err != nil {
			return err
		}
		before := *u
		if upd.Name != nil {
			u.Name = *upd.Name
		}
		if upd.Role != nil {
			if u.ID == actor.UserID && *upd.Role != u.Role {
				return &waymark.Error{Code: waymark.EFORBIDDEN, Message: "You cannot change your own role. Ask another admin.", Fields: map[string]string{"role": "You cannot change your own role"}}
			}
			if err := checkGrant(actor, *upd.Role); err != nil {
				return err
			}
			u.Role = *upd.Role
		}
		if upd.Disabled != nil {
			if u.ID == actor.UserID && *upd.Disabled {
				return waymark.Errorf(waymark.EFORBIDDEN, "You cannot disable your own account. Ask another admin.")
			}
			u.Disabled = *upd.Disabled
		}
		if err := u.Validate(); err != nil {
			return err
		}
		u.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1, role = $2, disabled = $3, updated_at = $4 WHERE id = $5`,
			u.Name, u.Role, u.Disabled, u.UpdatedAt, u.ID); err != nil {
			return err
		}
		entry := func(action, detail string) error {
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: action, OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID, Detail: detail})
		}
		if before.Role != u.Role {
			if err := entry(waymark.AuditUserRoleChanged, fmt.Sprintf("role: %s -> %s", before.Role, u.Role)); err != nil {
				return err
			}
		}
		if before.Name != u.Name {
			if err := entry(waymark.AuditUserUpdated, "name changed"); err != nil {
				return err
			}
		}
		if before.Disabled != u.Disabled {
			if !u.Disabled {
				return entry(waymark.AuditUserEnabled, "")
			}
			// Disabling ends every session and token of the user in the same transaction.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL`, tx.now, u.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE user_id = $1`, u.ID); err != nil {
				return err
			}
			return entry(waymark.AuditUserDisabled, "sessions ended, tokens revoked")
		}
		return nil
	})
	return u, err
}

// lastSignIn records a successful sign-in time.
func (tx *Tx) touchSignIn(ctx context.Context, userID string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET last_sign_in_at = $1 WHERE id = $2`, at, userID)
	return err
}
