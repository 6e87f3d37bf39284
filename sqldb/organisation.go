package sqldb

import (
	"context"
	"fmt"
	"strings"

	"waymark"
)

// OrganisationService implements waymark.OrganisationService.
type OrganisationService struct{ db *DB }

// NewOrganisationService returns the organisation service.
func NewOrganisationService(db *DB) *OrganisationService { return &OrganisationService{db: db} }

const orgColumns = `id, name, type, area, first_responder, specified_public_authority, require_two_step, disabled, created_at, updated_at`

func scanOrg(s interface{ Scan(...any) error }) (*waymark.Organisation, error) {
	var o waymark.Organisation
	var created, updated nullTime
	if err := s.Scan(&o.ID, &o.Name, &o.Type, &o.Area, &o.FirstResponder, &o.SpecifiedPublicAuthority, &o.RequireTwoStep, &o.Disabled, &created, &updated); err != nil {
		return nil, err
	}
	o.CreatedAt, o.UpdatedAt = created.t, updated.t
	return &o, nil
}

func (tx *Tx) findOrg(ctx context.Context, id string) (*waymark.Organisation, error) {
	o, err := scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = $1`, id))
	if errNoRows(err) {
		return nil, notFound("organisation")
	}
	return o, err
}

// FindOrganisationByID returns an organisation; see waymark.OrganisationService.
func (s *OrganisationService) FindOrganisationByID(ctx context.Context, actor waymark.Actor, id string) (*waymark.Organisation, error) {
	if !actor.Can(waymark.PermManageOrganisations) && actor.OrgID != id {
		return nil, notFound("organisation")
	}
	var o *waymark.Organisation
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		o, err = tx.findOrg(ctx, id)
		return err
	})
	return o, err
}

// FindOrganisations lists organisations by name; see waymark.OrganisationService.
func (s *OrganisationService) FindOrganisations(ctx context.Context, actor waymark.Actor, page waymark.Page) ([]*waymark.Organisation, int, error) {
	if !actor.Can(waymark.PermManageOrganisations) {
		return nil, 0, forbidden()
	}
	page = page.Normalize()
	var out []*waymark.Organisation
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM organisations`).Scan(&total); err != nil {
			return err
		}
		var err error
		out, err = tx.queryOrgs(ctx, `SELECT `+orgColumns+` FROM organisations ORDER BY name_key LIMIT $1 OFFSET $2`, page.Limit, page.Offset)
		return err
	})
	return out, total, err
}

// FindDirectory lists the region's organisations; see waymark.OrganisationService.
func (s *OrganisationService) FindDirectory(ctx context.Context, actor waymark.Actor) ([]*waymark.Organisation, error) {
	if actor.UserID == "" {
		return nil, forbidden()
	}
	var out []*waymark.Organisation
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.queryOrgs(ctx, `SELECT `+orgColumns+` FROM organisations WHERE NOT disabled ORDER BY name_key`)
		return err
	})
	return out, err
}

func (tx *Tx) queryOrgs(ctx context.Context, query string, args ...any) ([]*waymark.Organisation, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*waymark.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FindOrganisationByName finds an organisation by name, ignoring case, for the command line.
func (s *OrganisationService) FindOrganisationByName(ctx context.Context, name string) (*waymark.Organisation, error) {
	var o *waymark.Organisation
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		o, err = scanOrg(tx.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organisations WHERE name_key = $1`, nameKey(name)))
		if errNoRows(err) {
			return notFound("organisation")
		}
		return err
	})
	return o, err
}

func nameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// CreateOrganisation creates an organisation with its first data key; see waymark.OrganisationService.
func (s *OrganisationService) CreateOrganisation(ctx context.Context, actor waymark.Actor, o *waymark.Organisation) error {
	if !actor.Can(waymark.PermManageOrganisations) {
		return forbidden()
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		o.ID = newID()
		o.CreatedAt, o.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO organisations (`+orgColumns+`, name_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			o.ID, o.Name, o.Type, o.Area, o.FirstResponder, o.SpecifiedPublicAuthority, o.RequireTwoStep, o.Disabled, o.CreatedAt, o.UpdatedAt, nameKey(o.Name)); err != nil {
			if tx.db.engine.classify(err) == errUnique {
				return &waymark.Error{Code: waymark.ECONFLICT, Message: "An organisation with that name already exists.", Fields: map[string]string{"name": "An organisation with that name already exists"}}
			}
			return err
		}
		if err := tx.db.keys.createOrgKey(ctx, tx, o.ID, 1); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditOrgCreated, OrgID: o.ID, ObjectType: "organisation", ObjectID: o.ID,
			Detail: fmt.Sprintf("type %s, first responder %t, specified public authority %t, two-step required %t", o.Type, o.FirstResponder, o.SpecifiedPublicAuthority, o.RequireTwoStep)})
	})
}

// UpdateOrganisation changes an organisation; see waymark.OrganisationService.
func (s *OrganisationService) UpdateOrganisation(ctx context.Context, actor waymark.Actor, id string, u waymark.OrganisationUpdate) (*waymark.Organisation, error) {
	if !actor.Can(waymark.PermManageOrganisations) {
		return nil, forbidden()
	}
	var o *waymark.Organisation
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "organisations", id); err != nil {
			return err
		}
		var err error
		if o, err = tx.findOrg(ctx, id); err != nil {
			return err
		}
		before := *o
		u.Apply(o)
		if err := o.Validate(); err != nil {
			return err
		}
		o.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE organisations SET name = $1, name_key = $2, type = $3, area = $4, first_responder = $5,
			specified_public_authority = $6, require_two_step = $7, disabled = $8, updated_at = $9 WHERE id = $10`,
			o.Name, nameKey(o.Name), o.Type, o.Area, o.FirstResponder, o.SpecifiedPublicAuthority, o.RequireTwoStep, o.Disabled, o.UpdatedAt, o.ID); err != nil {
			if tx.db.engine.classify(err) == errUnique {
				return &waymark.Error{Code: waymark.ECONFLICT, Message: "An organisation with that name already exists.", Fields: map[string]string{"name": "An organisation with that name already exists"}}
			}
			return err
		}
		if o.Disabled && !before.Disabled {
			// A disabled organisation's people are signed out at once.
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = $1)`, o.ID); err != nil {
				return err
			}
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditOrgUpdated, OrgID: o.ID, ObjectType: "organisation", ObjectID: o.ID, Detail: orgChanges(&before, o)})
	})
	return o, err
}

// orgChanges describes what changed, without personal data.
func orgChanges(a, b *waymark.Organisation) string {
	var c []string
	if a.Name != b.Name {
		c = append(c, "name")
	}
	if a.Type != b.Type {
		c = append(c, fmt.Sprintf("type: %s -> %s", a.Type, b.Type))
	}
	if a.Area != b.Area {
		c = append(c, "area")
	}
	for _, f := range []struct {
		name string
		x, y bool
	}{
		{"first responder", a.FirstResponder, b.FirstResponder},
		{"specified public authority", a.SpecifiedPublicAuthority, b.SpecifiedPublicAuthority},
		{"two-step required", a.RequireTwoStep, b.RequireTwoStep},
		{"disabled", a.Disabled, b.Disabled},
	} {
		if f.x != f.y {
			c = append(c, fmt.Sprintf("%s: %t -> %t", f.name, f.x, f.y))
		}
	}
	if len(c) == 0 {
		return "no change"
	}
	return strings.Join(c, "; ")
}
