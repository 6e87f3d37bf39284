package sqldb

import (
	"context"
	"strings"

	"waymark"
)

// ClientService implements waymark.ClientService.
type ClientService struct{ db *DB }

// NewClientService returns the client service.
func NewClientService(db *DB) *ClientService { return &ClientService{db: db} }

const clientColumns = `id, org_id, reference, given_name, family_name, known_as, date_of_birth, gender, nationalities, contact_details, notes, created_by, created_at, updated_at`

// scanClient reads a client row and opens its sealed columns.
func (tx *Tx) scanClient(ctx context.Context, s interface{ Scan(...any) error }) (*waymark.Client, error) {
	var c waymark.Client
	var knownAs, nats string
	var contact, notes []byte
	var created, updated nullTime
	if err := s.Scan(&c.ID, &c.OrgID, &c.Reference, &c.GivenName, &c.FamilyName, &knownAs, &c.DateOfBirth, &c.Gender, &nats, &contact, &notes, &c.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	c.KnownAs, c.Nationalities = splitList(knownAs), splitList(nats)
	c.CreatedAt, c.UpdatedAt = created.t, updated.t
	var err error
	if c.ContactDetails, err = tx.open(ctx, c.OrgID, "clients", "contact_details", c.ID, contact); err != nil {
		return nil, err
	}
	if c.Notes, err = tx.open(ctx, c.OrgID, "clients", "notes", c.ID, notes); err != nil {
		return nil, err
	}
	return &c, nil
}

// Lists are stored one item a line: names and codes never hold a newline (Validate refuses control characters).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func joinList(l []string) string { return strings.Join(l, "\n") }

// FindClientByID returns a client and audits the read; see waymark.ClientService.
func (s *ClientService) FindClientByID(ctx context.Context, actor waymark.Actor, id string) (*waymark.Client, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, notFound("client")
	}
	var c *waymark.Client
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var err error
		// The organisation is part of the lookup, so another organisation's client is simply not found.
		c, err = tx.scanClient(ctx, tx.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = $1 AND org_id = $2`, id, actor.OrgID))
		if errNoRows(err) {
			return nil, notFound("client")
		}
		if err != nil {
			return nil, err
		}
		return &waymark.AuditEntry{Action: waymark.AuditClientViewed, ObjectType: "client", ObjectID: c.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// clientListColumns are read for lists: the sealed free text and contact details stay in the
// database until someone opens a record, whose read is audited by its ID.
const clientListColumns = `id, org_id, reference, given_name, family_name, known_as, date_of_birth, gender, nationalities, NULL, NULL, created_by, created_at, updated_at`

// FindClients lists the actor's organisation's clients, without their sealed fields, and audits
// which records the page showed; see waymark.ClientService.
func (s *ClientService) FindClients(ctx context.Context, actor waymark.Actor, f waymark.ClientFilter) ([]*waymark.Client, int, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, 0, forbidden()
	}
	f.Page = f.Page.Normalize()
	var out []*waymark.Client
	var total int
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		where := `WHERE org_id = $1`
		args := []any{actor.OrgID}
		searched := ""
		if name := strings.TrimSpace(f.Name); name != "" {
			where += ` AND search_names LIKE $2 ESCAPE '\'`
			args = append(args, likePattern(name))
			searched = "name search; "
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients `+where, args...).Scan(&total); err != nil {
			return nil, err
		}
		n := len(args)
		rows, err := tx.QueryContext(ctx, `SELECT `+clientListColumns+` FROM clients `+where+` ORDER BY lower(family_name), lower(given_name), id LIMIT $`+itoa(n+1)+` OFFSET $`+itoa(n+2),
			append(args, f.Page.Limit, f.Page.Offset)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		ids := make([]string, 0, f.Page.Limit)
		for rows.Next() {
			c, err := tx.scanClient(ctx, rows)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
			ids = append(ids, c.ID)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		// The entry names every record shown (opaque IDs, no names), so "who has seen this record"
		// includes appearing in a list.
		return &waymark.AuditEntry{Action: waymark.AuditClientListViewed, ObjectType: "client",
			Detail: searched + "shown: " + strings.Join(ids, " ")}, nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreateClient adds a client; see waymark.ClientService.
func (s *ClientService) CreateClient(ctx context.Context, actor waymark.Actor, c *waymark.Client) error {
	if !actor.Can(waymark.PermEditClients) {
		return forbidden()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c.ID, c.OrgID, c.CreatedBy = newID(), actor.OrgID, actor.UserID
		c.CreatedAt, c.UpdatedAt = tx.now, tx.now
		contact, err := tx.seal(ctx, c.OrgID, "clients", "contact_details", c.ID, c.ContactDetails)
		if err != nil {
			return err
		}
		notes, err := tx.seal(ctx, c.OrgID, "clients", "notes", c.ID, c.Notes)
		if err != nil {
			return err
		}
		search := strings.ToLower(strings.Join(append([]string{c.GivenName, c.FamilyName}, c.KnownAs...), " | "))
		if _, err := tx.ExecContext(ctx, `INSERT INTO clients (`+clientColumns+`, search_names) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			c.ID, c.OrgID, c.Reference, c.GivenName, c.FamilyName, joinList(c.KnownAs), c.DateOfBirth, c.Gender, joinList(c.Nationalities),
			contact, notes, c.CreatedBy, c.CreatedAt, c.UpdatedAt, search); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditClientCreated, ObjectType: "client", ObjectID: c.ID})
	})
}
