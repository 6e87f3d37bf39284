package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"waymark"
)

// DirectoryService implements waymark.DirectoryServiceStore.
type DirectoryService struct{ db *DB }

// NewDirectoryService returns the referral routes directory.
func NewDirectoryService(db *DB) *DirectoryService { return &DirectoryService{db: db} }

// maxExport bounds an export; a region's directory is a few hundred services.
const maxExport = 5000

const directoryColumns = `d.id, d.org_id, o.name, d.hsds_id, d.name, d.description, d.status, d.needs, d.min_age, d.max_age, d.genders,
	d.accepts_children, d.accepts_nrpf, d.languages, d.area, d.email, d.phone, d.url, d.confidential_location, d.location,
	d.capacity, d.capacity_updated_at, d.created_at, d.updated_at, d.version
	FROM directory_services d JOIN organisations o ON o.id = d.org_id`

// storedLocation is the sealed location's plain text.
type storedLocation struct {
	Address  string `json:"address,omitempty"`
	Town     string `json:"town,omitempty"`
	Postcode string `json:"postcode,omitempty"`
}

// bounded stores a list of codes as ",a,b," so that `LIKE '%,a,%'` finds an item; "" when empty.
func bounded[T ~string](l []T) string {
	if len(l) == 0 {
		return ""
	}
	s := make([]string, len(l))
	for i, v := range l {
		s[i] = string(v)
	}
	return "," + strings.Join(s, ",") + ","
}

func unbounded[T ~string](s string) []T {
	var out []T
	for _, v := range strings.Split(strings.Trim(s, ","), ",") {
		if v != "" {
			out = append(out, T(v))
		}
	}
	return out
}

// scanDirectory reads a row and opens its location, unless it is confidential and the reader is
// outside the keeping organisation: then it is never even decrypted.
func (tx *Tx) scanDirectory(ctx context.Context, actor waymark.Actor, row interface{ Scan(...any) error }) (*waymark.DirectoryService, string, error) {
	var s waymark.DirectoryService
	var hsdsID, needs, genders, langs string
	var location []byte
	var capacity sql.NullInt64
	var capAt, created, updated nullTime
	if err := row.Scan(&s.ID, &s.OrgID, &s.OrgName, &hsdsID, &s.Name, &s.Description, &s.Status, &needs, &s.MinAge, &s.MaxAge, &genders,
		&s.AcceptsChildren, &s.AcceptsNRPF, &langs, &s.Area, &s.Email, &s.Phone, &s.URL, &s.ConfidentialLocation, &location,
		&capacity, &capAt, &created, &updated, &s.Version); err != nil {
		return nil, "", err
	}
	s.Needs, s.Genders, s.Languages = unbounded[waymark.ServiceNeed](needs), unbounded[waymark.Gender](genders), unbounded[string](langs)
	s.Capacity, s.CapacityKnown = int(capacity.Int64), capacity.Valid
	s.CapacityUpdatedAt, s.CreatedAt, s.UpdatedAt = capAt.t, created.t, updated.t
	if s.ConfidentialLocation && s.OrgID != actor.OrgID {
		s.WithholdLocation(actor.OrgID)
		return &s, hsdsID, nil
	}
	plain, err := tx.open(ctx, s.OrgID, "directory_services", "location", s.ID, location)
	if err != nil {
		return nil, "", err
	}
	if plain != "" {
		var l storedLocation
		if err := json.Unmarshal([]byte(plain), &l); err != nil {
			return nil, "", fmt.Errorf("directory location: %w", err)
		}
		s.Address, s.Town, s.Postcode = l.Address, l.Town, l.Postcode
	}
	return &s, hsdsID, nil
}

func (tx *Tx) findDirectoryService(ctx context.Context, actor waymark.Actor, id string) (*waymark.DirectoryService, error) {
	s, _, err := tx.scanDirectory(ctx, actor, tx.QueryRowContext(ctx, `SELECT `+directoryColumns+` WHERE d.id = $1`, id))
	if errNoRows(err) {
		return nil, notFound("service")
	}
	return s, err
}

// signedIn refuses an actor that is neither a user nor the command line.
func signedIn(actor waymark.Actor) error {
	if actor.UserID == "" && !actor.System {
		return waymark.Errorf(waymark.EUNAUTHORIZED, "Sign in to use the directory.")
	}
	return nil
}

// FindDirectoryService reads one service; see waymark.DirectoryServiceStore.
func (s *DirectoryService) FindDirectoryService(ctx context.Context, actor waymark.Actor, id string) (*waymark.DirectoryService, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	var out *waymark.DirectoryService
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.findDirectoryService(ctx, actor, id)
		return err
	})
	return out, err
}

// likeEscape escapes LIKE's wildcards in s, for a pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FindDirectoryServices searches the directory; see waymark.DirectoryServiceStore.
func (s *DirectoryService) FindDirectoryServices(ctx context.Context, actor waymark.Actor, f waymark.DirectoryFilter) ([]*waymark.DirectoryService, int, error) {
	if err := signedIn(actor); err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	where := `WHERE 1 = 1`
	var args []any
	add := func(cond string, v ...any) {
		for _, x := range v {
			args = append(args, x)
			cond = strings.Replace(cond, "?", "$"+itoa(len(args)), 1)
		}
		where += ` AND ` + cond
	}
	if f.Need != "" {
		add(`d.needs LIKE ?`, "%,"+string(f.Need)+",%")
	}
	if f.Age > 0 {
		add(`d.min_age <= ? AND (d.max_age = 0 OR d.max_age >= ?)`, f.Age, f.Age)
	}
	if f.Gender != "" {
		add(`(d.genders = '' OR d.genders LIKE ?)`, "%,"+string(f.Gender)+",%")
	}
	if f.WithChildren {
		add(`d.accepts_children`)
	}
	if f.NRPF {
		add(`d.accepts_nrpf`)
	}
	if f.Language != "" {
		add(`d.languages LIKE ?`, "%,"+f.Language+",%")
	}
	if f.OrgID != "" {
		add(`d.org_id = ?`, f.OrgID)
	}
	words := strings.Fields(strings.ToLower(f.Text))
	if len(words) > 10 {
		words = words[:10]
	}
	for _, w := range words {
		add(`d.search_text LIKE ? ESCAPE '\'`, "%"+likeEscape(w)+"%")
	}
	var out []*waymark.DirectoryService
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM directory_services d `+where, args...).Scan(&total); err != nil {
			return err
		}
		n := len(args)
		// Open services first: a worker refers to those.
		rows, err := tx.QueryContext(ctx, `SELECT `+directoryColumns+` `+where+`
			ORDER BY CASE WHEN d.status = 'active' THEN 0 ELSE 1 END, d.name_key, d.id LIMIT $`+itoa(n+1)+` OFFSET $`+itoa(n+2),
			append(args, f.Page.Limit, f.Page.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, _, err := tx.scanDirectory(ctx, actor, rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// directoryValues are the stored values of d's columns from name to search_text, sealing its location.
func (tx *Tx) directoryValues(ctx context.Context, d *waymark.DirectoryService) ([]any, error) {
	var loc string
	if d.Address != "" || d.Town != "" || d.Postcode != "" {
		b, err := json.Marshal(storedLocation{d.Address, d.Town, d.Postcode})
		if err != nil {
			return nil, err
		}
		loc = string(b)
	}
	sealed, err := tx.seal(ctx, d.OrgID, "directory_services", "location", d.ID, loc)
	if err != nil {
		return nil, err
	}
	var capacity, capAt any
	if d.CapacityKnown {
		capacity = d.Capacity
	}
	if !d.CapacityUpdatedAt.IsZero() {
		capAt = d.CapacityUpdatedAt
	}
	search := strings.ToLower(strings.Join([]string{d.Name, d.Description, d.Area}, " "))
	return []any{d.Name, nameKey(d.Name), d.Description, d.Status, bounded(d.Needs), d.MinAge, d.MaxAge, bounded(d.Genders),
		d.AcceptsChildren, d.AcceptsNRPF, bounded(d.Languages), d.Area, d.Email, d.Phone, d.URL, d.ConfidentialLocation, sealed,
		capacity, capAt, search}, nil
}

// insertDirectory writes a new service kept by the actor's organisation.
func (tx *Tx) insertDirectory(ctx context.Context, actor waymark.Actor, d *waymark.DirectoryService, hsdsID string) error {
	d.ID, d.OrgID, d.CreatedAt, d.UpdatedAt, d.Version = newID(), actor.OrgID, tx.now, tx.now, 1
	d.CapacityUpdatedAt = timeIf(d.CapacityKnown, tx.now)
	vals, err := tx.directoryValues(ctx, d)
	if err != nil {
		return err
	}
	args := append([]any{d.ID, d.OrgID, hsdsID}, vals...)
	args = append(args, actor.UserID, d.CreatedAt, d.UpdatedAt, d.Version)
	ph := make([]string, len(args))
	for i := range ph {
		ph[i] = "$" + itoa(i+1)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO directory_services (id, org_id, hsds_id, name, name_key, description, status, needs, min_age, max_age,
		genders, accepts_children, accepts_nrpf, languages, area, email, phone, url, confidential_location, location, capacity,
		capacity_updated_at, search_text, created_by, created_at, updated_at, version) VALUES (`+strings.Join(ph, ", ")+`)`, args...)
	return err
}

// rewriteDirectory replaces a stored service's details with d's, keeping what the keeper does not
// change (its ID, organisation, creation) and stamping the capacity's date when the capacity changed.
func (tx *Tx) rewriteDirectory(ctx context.Context, cur *waymark.DirectoryService, d *waymark.DirectoryService) error {
	d.ID, d.OrgID, d.OrgName, d.CreatedAt, d.UpdatedAt, d.Version = cur.ID, cur.OrgID, cur.OrgName, cur.CreatedAt, tx.now, cur.Version+1
	d.LocationWithheld = false
	if d.CapacityKnown != cur.CapacityKnown || d.Capacity != cur.Capacity {
		d.CapacityUpdatedAt = tx.now
	} else {
		d.CapacityUpdatedAt = cur.CapacityUpdatedAt
	}
	vals, err := tx.directoryValues(ctx, d)
	if err != nil {
		return err
	}
	args := append(vals, d.UpdatedAt, d.Version, d.ID)
	_, err = tx.ExecContext(ctx, `UPDATE directory_services SET name = $1, name_key = $2, description = $3, status = $4, needs = $5, min_age = $6,
		max_age = $7, genders = $8, accepts_children = $9, accepts_nrpf = $10, languages = $11, area = $12, email = $13, phone = $14, url = $15,
		confidential_location = $16, location = $17, capacity = $18, capacity_updated_at = $19, search_text = $20, updated_at = $21, version = $22
		WHERE id = $23`, args...)
	return err
}

func timeIf[T any](ok bool, v T) T {
	var zero T
	if ok {
		return v
	}
	return zero
}

// CreateDirectoryService adds a service; see waymark.DirectoryServiceStore.
func (s *DirectoryService) CreateDirectoryService(ctx context.Context, actor waymark.Actor, d *waymark.DirectoryService) error {
	if !actor.Can(waymark.PermManageDirectory) || actor.OrgID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := d.Validate(tx.now); err != nil {
			return err
		}
		if err := tx.insertDirectory(ctx, actor, d, ""); err != nil {
			return err
		}
		o, err := tx.findOrg(ctx, d.OrgID)
		if err != nil {
			return err
		}
		d.OrgName = o.Name
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditDirectoryCreated, ObjectType: "directory_service", ObjectID: d.ID,
			Detail: fmt.Sprintf("status %s, confidential location %t", d.Status, d.ConfidentialLocation)})
	})
}

// ownService reads a service of the actor's organisation for a change, locked; another
// organisation's is not found, so that nobody learns which IDs exist by trying to change them.
func (tx *Tx) ownService(ctx context.Context, actor waymark.Actor, id string, version int) (*waymark.DirectoryService, error) {
	if err := tx.lockRow(ctx, "directory_services", id); err != nil {
		return nil, err
	}
	cur, err := tx.findDirectoryService(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if cur.OrgID != actor.OrgID {
		return nil, notFound("service")
	}
	if cur.Version != version {
		return nil, waymark.Errorf(waymark.ECONFLICT, "Someone else changed this service while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
	}
	return cur, nil
}

// UpdateDirectoryService replaces a service's details; see waymark.DirectoryServiceStore.
func (s *DirectoryService) UpdateDirectoryService(ctx context.Context, actor waymark.Actor, id string, version int, d waymark.DirectoryService) (*waymark.DirectoryService, error) {
	if !actor.Can(waymark.PermManageDirectory) {
		return nil, forbidden()
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.ownService(ctx, actor, id, version)
		if err != nil {
			return err
		}
		if err := d.Validate(tx.now); err != nil {
			return err
		}
		if err := tx.rewriteDirectory(ctx, cur, &d); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditDirectoryUpdated, ObjectType: "directory_service", ObjectID: d.ID,
			Detail: fmt.Sprintf("version %d, status %s, confidential location %t", d.Version, d.Status, d.ConfidentialLocation)})
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// UpdateDirectoryCapacity records the places available; see waymark.DirectoryServiceStore.
func (s *DirectoryService) UpdateDirectoryCapacity(ctx context.Context, actor waymark.Actor, id string, version, capacity int, known bool) (*waymark.DirectoryService, error) {
	if !actor.Can(waymark.PermManageDirectory) {
		return nil, forbidden()
	}
	var d *waymark.DirectoryService
	err := s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.ownService(ctx, actor, id, version)
		if err != nil {
			return err
		}
		next := *cur
		next.Capacity, next.CapacityKnown = capacity, known
		if err := next.Validate(tx.now); err != nil {
			return err
		}
		if err := tx.rewriteDirectory(ctx, cur, &next); err != nil {
			return err
		}
		d = &next
		detail := "capacity not known"
		if known {
			detail = "capacity " + itoa(capacity)
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditDirectoryUpdated, ObjectType: "directory_service", ObjectID: id, Detail: detail})
	})
	return d, err
}

// ImportDirectory creates or updates the organisation's services, all or nothing; see
// waymark.DirectoryServiceStore.
func (s *DirectoryService) ImportDirectory(ctx context.Context, actor waymark.Actor, list []waymark.DirectoryService) (waymark.ImportResult, error) {
	var res waymark.ImportResult
	if !actor.Can(waymark.PermManageDirectory) || actor.OrgID == "" {
		return res, forbidden()
	}
	if len(list) == 0 {
		return res, waymark.Invalid(map[string]string{"file": "The file holds no services: export the directory to see the format"})
	}
	if len(list) > waymark.MaxImportServices {
		return res, waymark.Invalid(map[string]string{"file": fmt.Sprintf("The file holds %d services: import at most %d at a time", len(list), waymark.MaxImportServices)})
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := waymark.ValidateDirectoryImport(list, tx.now, nil); err != nil {
			return err
		}
		var ids []string
		for i := range list {
			d := list[i]
			hsdsID := d.ID
			cur, err := tx.importTarget(ctx, actor, hsdsID)
			if err != nil {
				return err
			}
			if cur == nil {
				if err := tx.insertDirectory(ctx, actor, &d, hsdsIDFor(hsdsID)); err != nil {
					return err
				}
				res.Created++
			} else {
				keepLocation(cur, &d)
				if err := tx.rewriteDirectory(ctx, cur, &d); err != nil {
					return err
				}
				res.Updated++
			}
			ids = append(ids, d.ID)
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditDirectoryImported, ObjectType: "directory_service",
			Detail: fmt.Sprintf("HSDS import: %d created, %d updated: %s", res.Created, res.Updated, strings.Join(ids, " "))})
	})
	if err != nil {
		return waymark.ImportResult{}, err
	}
	return res, nil
}

// keepLocation keeps what an imported update must not take away: a file (perhaps from a system that
// knows nothing of safe houses) never makes a confidential location public, and a file that gives
// no address leaves the stored one. Only an edit in Waymark makes a location public.
func keepLocation(cur, d *waymark.DirectoryService) {
	if cur.ConfidentialLocation {
		d.ConfidentialLocation = true
	}
	if d.Address == "" && d.Town == "" && d.Postcode == "" {
		d.Address, d.Town, d.Postcode = cur.Address, cur.Town, cur.Postcode
	}
}

// hsdsIDFor is the HSDS id kept for a new service: none when the file gave none.
func hsdsIDFor(id string) string { return strings.TrimSpace(id) }

// importTarget finds the actor's organisation's service that an imported record with the HSDS id
// updates: the one with that ID, or the one first imported with it. nil when there is none, and
// always nil for another organisation's service, which an import never touches.
func (tx *Tx) importTarget(ctx context.Context, actor waymark.Actor, hsdsID string) (*waymark.DirectoryService, error) {
	hsdsID = strings.TrimSpace(hsdsID)
	if hsdsID == "" {
		return nil, nil
	}
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM directory_services WHERE org_id = $1 AND (id = $2 OR hsds_id = $2) ORDER BY CASE WHEN id = $2 THEN 0 ELSE 1 END LIMIT 1`,
		actor.OrgID, hsdsID).Scan(&id)
	if errNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := tx.lockRow(ctx, "directory_services", id); err != nil {
		return nil, err
	}
	return tx.findDirectoryService(ctx, actor, id)
}

// ExportDirectory lists services for an HSDS export; see waymark.DirectoryServiceStore.
func (s *DirectoryService) ExportDirectory(ctx context.Context, actor waymark.Actor, orgID string) ([]*waymark.DirectoryService, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	var out []*waymark.DirectoryService
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		query := `SELECT ` + directoryColumns + ` WHERE (d.org_id = $1 OR $1 = '') ORDER BY d.name_key, d.id LIMIT ` + itoa(maxExport)
		rows, err := tx.QueryContext(ctx, query, orgID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		withheld := 0
		for rows.Next() {
			d, _, err := tx.scanDirectory(ctx, actor, rows)
			if err != nil {
				return nil, err
			}
			if d.LocationWithheld {
				withheld++
			}
			out = append(out, d)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		scope := "the whole directory"
		if orgID != "" {
			scope = "organisation " + orgID
		}
		return &waymark.AuditEntry{Action: waymark.AuditDirectoryExported, ObjectType: "directory_service",
			Detail: fmt.Sprintf("HSDS export of %s: %d services, %d confidential locations withheld", scope, len(out), withheld)}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
