package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"waymark"
)

// ClientService implements waymark.ClientService.
type ClientService struct{ db *DB }

// NewClientService returns the client service.
func NewClientService(db *DB) *ClientService { return &ClientService{db: db} }

// clientColumns are every column of a client; contact_details and notes are sealed.
const clientColumns = `id, org_id, version, reference, given_name, family_name, known_as, date_of_birth, estimated_age, age_disputed,
	gender, nationalities, nationality_answer, languages, interpreter_needed, communication_aid_needed, immigration_status, nrpf,
	dependent_children, situation, support_needs, concern_status, assigned_worker_id, contact_details, notes, created_by, created_at, updated_at`

// clientListColumns are read for lists: the sealed contact details and notes stay in the database
// until someone opens a record, whose read is audited by its ID.
var clientListColumns = strings.Replace(clientColumns, "contact_details, notes", "NULL, NULL", 1)

// scanClient reads a client row and opens its sealed columns.
func (tx *Tx) scanClient(ctx context.Context, s interface{ Scan(...any) error }) (*waymark.Client, error) {
	var c waymark.Client
	var knownAs, nats, langs, needs string
	var contacts, notes []byte
	var created, updated nullTime
	if err := s.Scan(&c.ID, &c.OrgID, &c.Version, &c.Reference, &c.GivenName, &c.FamilyName, &knownAs, &c.DateOfBirth, &c.EstimatedAge, &c.AgeDisputed,
		&c.Gender, &nats, &c.NationalityAnswer, &langs, &c.InterpreterNeeded, &c.CommunicationAidNeeded, &c.ImmigrationStatus, &c.NoRecourseToPublicFunds,
		&c.DependentChildren, &c.Situation, &needs, &c.ConcernStatus, &c.AssignedWorkerID, &contacts, &notes, &c.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	c.KnownAs, c.Nationalities, c.Languages = splitList(knownAs), splitList(nats), splitList(langs)
	for _, n := range splitList(needs) {
		c.SupportNeeds = append(c.SupportNeeds, waymark.SupportNeed(n))
	}
	c.CreatedAt, c.UpdatedAt = created.t, updated.t
	plain, err := tx.open(ctx, c.OrgID, "clients", "contact_details", c.ID, contacts)
	if err != nil {
		return nil, err
	}
	if plain != "" {
		if err := json.Unmarshal([]byte(plain), &c.Contacts); err != nil {
			return nil, fmt.Errorf("client contacts: %w", err)
		}
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

func joinList[T ~string](l []T) string {
	s := make([]string, len(l))
	for i, v := range l {
		s[i] = string(v)
	}
	return strings.Join(s, "\n")
}

// clientValues are the stored values of c's columns after id, org_id and version, sealing as needed.
func (tx *Tx) clientValues(ctx context.Context, c *waymark.Client) ([]any, error) {
	var contacts string
	if len(c.Contacts) > 0 {
		b, err := json.Marshal(c.Contacts)
		if err != nil {
			return nil, err
		}
		contacts = string(b)
	}
	sealedContacts, err := tx.seal(ctx, c.OrgID, "clients", "contact_details", c.ID, contacts)
	if err != nil {
		return nil, err
	}
	notes, err := tx.seal(ctx, c.OrgID, "clients", "notes", c.ID, c.Notes)
	if err != nil {
		return nil, err
	}
	return []any{c.Reference, c.GivenName, c.FamilyName, joinList(c.KnownAs), c.DateOfBirth, c.EstimatedAge, c.AgeDisputed,
		c.Gender, joinList(c.Nationalities), c.NationalityAnswer, joinList(c.Languages), c.InterpreterNeeded, c.CommunicationAidNeeded,
		c.ImmigrationStatus, c.NoRecourseToPublicFunds, c.DependentChildren, c.Situation, joinList(c.SupportNeeds), c.ConcernStatus,
		c.AssignedWorkerID, sealedContacts, notes}, nil
}

// clientNames lists every name a client is known by.
func clientNames(c *waymark.Client) []string {
	return append([]string{c.GivenName + " " + c.FamilyName}, c.KnownAs...)
}

// writeNameKeys replaces a client's search keys, its searchable names and its person key.
func (tx *Tx) writeNameKeys(ctx context.Context, c *waymark.Client) error {
	m := tx.db.matcher
	if _, err := tx.ExecContext(ctx, `DELETE FROM client_name_keys WHERE client_id = $1`, c.ID); err != nil {
		return err
	}
	seen := map[string]bool{}
	var normalized []string
	for _, name := range clientNames(c) {
		normalized = append(normalized, m.Normalize(name))
		for _, k := range m.Keys(name) {
			if seen[k] || len(k) > 100 {
				continue
			}
			seen[k] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO client_name_keys (client_id, org_id, key) VALUES ($1, $2, $3)`, c.ID, c.OrgID, k); err != nil {
				return err
			}
		}
	}
	// The person key rides with the names it is made of, so it is never stale.
	_, err := tx.ExecContext(ctx, `UPDATE clients SET search_names = $1, person_key = $2 WHERE id = $3`, strings.Join(normalized, " | "),
		personKey(m, c.ID, c.GivenName, c.FamilyName, c.DateOfBirth), c.ID)
	return err
}

// FindClientByID returns a client and audits the read; see waymark.ClientService.
func (s *ClientService) FindClientByID(ctx context.Context, actor waymark.Actor, id string) (*waymark.Client, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, notFound("client")
	}
	var c *waymark.Client
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var err error
		c, err = tx.findClient(ctx, actor, id)
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

// clientName is a client's name as lists show it, from the two name columns.
func clientName(given, family string) string {
	return (&waymark.Client{GivenName: given, FamilyName: family}).DisplayName()
}

// findClient reads one of the actor's organisation's clients. The organisation is part of the
// lookup, so another organisation's client is simply not found.
func (tx *Tx) findClient(ctx context.Context, actor waymark.Actor, id string) (*waymark.Client, error) {
	c, err := tx.scanClient(ctx, tx.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = $1 AND org_id = $2`, id, actor.OrgID))
	if errNoRows(err) {
		return nil, notFound("client")
	}
	return c, err
}

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
		add := func(cond string, v any) {
			args = append(args, v)
			where += ` AND ` + strings.ReplaceAll(cond, "?", "$"+itoa(len(args)))
		}
		var searched []string
		words := strings.Fields(s.db.matcher.Normalize(f.Name))
		if len(words) > 10 {
			words = words[:10]
		}
		var matching []string
		for _, word := range words {
			// Every word of the search must match one of the client's names: by a search key (any
			// spelling variant of a whole word) or as the start of a word (a name partly typed).
			// Both are lookups in the (org_id, key) index, never a scan of the organisation.
			// Two index lookups joined by UNION: an OR of the two would make the engines scan.
			args = append(args, word, word+"\uffff")
			lo, hi := len(args)-1, len(args)
			key := s.db.engine.bytewise("key")
			sub := `SELECT client_id FROM client_name_keys WHERE org_id = $1 AND ` + key + ` >= $` + itoa(lo) + ` AND ` + key + ` < $` + itoa(hi)
			var ph []string
			for _, k := range s.db.matcher.Keys(word) {
				// A key inside the prefix range (compared byte by byte, as there) is found by it already.
				if k >= word && k < word+"\uffff" {
					continue
				}
				args = append(args, k)
				ph = append(ph, "$"+itoa(len(args)))
			}
			if len(ph) > 0 {
				sub += ` UNION SELECT client_id FROM client_name_keys WHERE org_id = $1 AND key IN (` + strings.Join(ph, ", ") + `)`
			}
			matching = append(matching, `SELECT client_id FROM (`+sub+`) w`+itoa(len(matching)+1))
		}
		if len(words) > 0 {
			searched = append(searched, "name")
			// The clients matching every word are the INTERSECT of each word's key lookups, found in
			// the key index alone; only they are then read from clients, by primary key. (An "id IN
			// (...) AND id IN (...)" per word let PostgreSQL guess each IN's selectivity in turn, down
			// to one row, and rescan a word's whole match list once per candidate: seconds for the
			// commonest names.) "org_id || ''" keeps the (always true) organisation check off the
			// index, so that neither engine walks the organisation's clients instead.
			where = `WHERE org_id || '' = $1 AND id IN (` + strings.Join(matching, ` INTERSECT `) + `)`
		}
		if f.ConcernStatus != "" {
			add(`concern_status = ?`, f.ConcernStatus)
			searched = append(searched, "concern status")
		}
		if f.Situation != "" {
			add(`situation = ?`, f.Situation)
			searched = append(searched, "situation")
		}
		if f.AssignedWorkerID != "" {
			add(`assigned_worker_id = ?`, f.AssignedWorkerID)
			searched = append(searched, "assigned worker")
		}
		if f.NotRecorded {
			add(`concern_status = ?`, waymark.ConcernNotYetAsked)
			searched = append(searched, "not recorded")
		}
		const order = ` ORDER BY lower(family_name), lower(given_name), id`
		n := len(args)
		limit := ` LIMIT $` + itoa(n+1) + ` OFFSET $` + itoa(n+2)
		var (
			rows *sql.Rows
			err  error
		)
		counted := len(words) == 0
		if counted {
			// The whole organisation, or a filter of it: the count and the page are separate reads.
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients `+where, args...).Scan(&total); err != nil {
				return nil, err
			}
			rows, err = tx.QueryContext(ctx, `SELECT `+clientListColumns+` FROM clients `+where+order+limit, append(args, f.Page.Limit, f.Page.Offset)...)
		} else {
			if s.db.engine.name() == "postgres" {
				// A statement prepared five times may be given a generic plan, which guesses thousands
				// of matches for any one word and so scans every client of the organisation; planned
				// for the words searched, a rare word's few matches are read by primary key instead.
				if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
					return nil, err
				}
			}
			// A name search finds its matches once: the page's IDs, in order, with the count of all
			// matches, from the matches' sort keys alone; then those few rows are read whole.
			rows, err = tx.QueryContext(ctx, `SELECT `+clientListColumns+`, page.total FROM (
				SELECT id AS page_id, lower(family_name) AS page_family, lower(given_name) AS page_given, count(*) OVER () AS total
				FROM clients `+where+order+limit+`) page JOIN clients ON clients.id = page.page_id
				ORDER BY page.page_family, page.page_given, page.page_id`, append(args, f.Page.Limit, f.Page.Offset)...)
		}
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var row interface{ Scan(...any) error } = rows
		if !counted {
			row = withExtra{rows, &total}
		}
		ids := make([]string, 0, f.Page.Limit)
		for rows.Next() {
			c, err := tx.scanClient(ctx, row)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
			ids = append(ids, c.ID)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if !counted && len(out) == 0 && f.Page.Offset > 0 {
			// A page past the last match carries no count: count the matches on their own.
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients `+where, args...).Scan(&total); err != nil {
				return nil, err
			}
		}
		// The entry names every record shown (opaque IDs, no names or search terms), so "who has
		// seen this record" includes appearing in a list.
		detail := "shown: " + strings.Join(ids, " ")
		if len(searched) > 0 {
			detail = "filtered by " + strings.Join(searched, ", ") + "; " + detail
		}
		return &waymark.AuditEntry{Action: waymark.AuditClientListViewed, ObjectType: "client", Detail: detail}, nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// withExtra scans a row of client columns followed by one more column, into extra.
type withExtra struct {
	rows  *sql.Rows
	extra any
}

func (w withExtra) Scan(dest ...any) error { return w.rows.Scan(append(dest, w.extra)...) }

// maxMatches bounds the possible matches shown before adding a client.
const maxMatches = 20

// FindPossibleMatches searches before a client is added; see waymark.ClientService.
func (s *ClientService) FindPossibleMatches(ctx context.Context, actor waymark.Actor, probe waymark.Client) ([]waymark.PossibleMatch, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	m := s.db.matcher
	keySet := map[string]bool{}
	for _, name := range clientNames(&probe) {
		for _, k := range m.Keys(name) {
			keySet[k] = true
		}
	}
	if len(keySet) == 0 {
		return nil, waymark.Invalid(map[string]string{"given_name": "Enter a name the person uses, to search for them"})
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 50 {
		keys = keys[:50]
	}
	var out []waymark.PossibleMatch
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		args := []any{actor.OrgID}
		var ph []string
		for _, k := range keys {
			args = append(args, k)
			ph = append(ph, "$"+itoa(len(args)))
		}
		// Candidates share at least one search key, those sharing most first; each is then scored on
		// all its names and its date of birth. The cap keeps a very common name from loading a whole
		// organisation: the few hundred closest by keys are the ones worth scoring.
		rows, err := tx.QueryContext(ctx, `SELECT `+clientListColumns+` FROM clients WHERE id IN (
			SELECT client_id FROM client_name_keys WHERE org_id = $1 AND key IN (`+strings.Join(ph, ", ")+`)
			GROUP BY client_id ORDER BY count(*) DESC, client_id LIMIT 300) AND org_id || '' = $1`, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		now := tx.now
		for rows.Next() {
			c, err := tx.scanClient(ctx, rows)
			if err != nil {
				return nil, err
			}
			if score := m.Score(&probe, c, now); score >= m.Threshold() {
				out = append(out, waymark.PossibleMatch{Client: c, Score: score})
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		slices.SortStableFunc(out, func(a, b waymark.PossibleMatch) int {
			switch {
			case a.Score > b.Score:
				return -1
			case a.Score < b.Score:
				return 1
			}
			return strings.Compare(a.Client.ID, b.Client.ID)
		})
		if len(out) > maxMatches {
			out = out[:maxMatches]
		}
		ids := make([]string, len(out))
		for i, pm := range out {
			ids[i] = pm.Client.ID
		}
		return &waymark.AuditEntry{Action: waymark.AuditClientMatchSearch, ObjectType: "client", Detail: "possible matches shown: " + strings.Join(ids, " ")}, nil
	})
	return out, err
}

// CreateClient adds a client; see waymark.ClientService.
func (s *ClientService) CreateClient(ctx context.Context, actor waymark.Actor, c *waymark.Client, matchesShown []string) error {
	if !actor.Can(waymark.PermEditClients) {
		return forbidden()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.insertClient(ctx, actor, c); err != nil {
			return err
		}
		// Only IDs of the organisation's own clients are recorded: the list comes from the browser.
		var shown []string
		for _, id := range matchesShown[:min(len(matchesShown), maxMatches)] {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE id = $1 AND org_id = $2`, id, c.OrgID).Scan(&n); err != nil {
				return err
			}
			if n == 1 {
				shown = append(shown, id)
			}
		}
		detail := ""
		if len(shown) > 0 {
			detail = "added anyway after possible matches were shown: " + strings.Join(shown, " ")
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditClientCreated, ObjectType: "client", ObjectID: c.ID, Detail: detail})
	})
}

// insertClient stores a new, validated client of the actor's organisation with its search keys and
// the first entry of its concern history.
func (tx *Tx) insertClient(ctx context.Context, actor waymark.Actor, c *waymark.Client) error {
	c.ID, c.OrgID, c.CreatedBy, c.Version = newID(), actor.OrgID, actor.UserID, 1
	c.CreatedAt, c.UpdatedAt = tx.now, tx.now
	if err := tx.checkWorker(ctx, actor, c.AssignedWorkerID); err != nil {
		return err
	}
	vals, err := tx.clientValues(ctx, c)
	if err != nil {
		return err
	}
	args := append([]any{c.ID, c.OrgID, c.Version}, vals...)
	args = append(args, c.CreatedBy, c.CreatedAt, c.UpdatedAt)
	ph := make([]string, len(args))
	for i := range ph {
		ph[i] = "$" + itoa(i+1)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO clients (`+clientColumns+`) VALUES (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
		return err
	}
	if err := tx.writeNameKeys(ctx, c); err != nil {
		return err
	}
	return tx.recordConcern(ctx, actor, c, "recorded when the client was added")
}

// checkWorker refuses an assigned worker who is not active staff of the actor's organisation in a
// role that sees client records.
func (tx *Tx) checkWorker(ctx context.Context, actor waymark.Actor, userID string) error {
	if userID == "" {
		return nil
	}
	var role waymark.Role
	err := tx.QueryRowContext(ctx, `SELECT role FROM users WHERE id = $1 AND org_id = $2 AND disabled = $3`, userID, actor.OrgID, false).Scan(&role)
	if errNoRows(err) || (err == nil && !role.Can(waymark.PermViewClients)) {
		return waymark.Invalid(map[string]string{"assigned_worker_id": "Choose a member of your organisation's staff who works with clients"})
	}
	return err
}

// recordConcern adds the client's current concern status to its history.
func (tx *Tx) recordConcern(ctx context.Context, actor waymark.Actor, c *waymark.Client, reason string) error {
	id := newID()
	sealed, err := tx.seal(ctx, c.OrgID, "client_concern_changes", "reason", id, reason)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO client_concern_changes (id, client_id, org_id, at, status, by_user_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, c.ID, c.OrgID, tx.now, c.ConcernStatus, actor.UserID, sealed)
	return err
}

// UpdateClient replaces a client's details; see waymark.ClientService.
func (s *ClientService) UpdateClient(ctx context.Context, actor waymark.Actor, id string, u waymark.ClientUpdate) (*waymark.Client, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, notFound("client")
	}
	next := u.Client
	if err := next.Validate(); err != nil {
		return nil, err
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "clients", id); err != nil {
			return err
		}
		cur, err := tx.findClient(ctx, actor, id)
		if err != nil {
			return err
		}
		if cur.Version != u.Version {
			return &waymark.Error{Code: waymark.ECONFLICT, Message: fmt.Sprintf(
				"Someone else saved changes to this record while you were editing it. The record as saved now differs from yours in: %s. Your changes have not been saved: check those parts, then save again.",
				strings.Join(changedFields(cur, &next), ", "))}
		}
		if next.AssignedWorkerID != cur.AssignedWorkerID {
			if err := tx.checkWorker(ctx, actor, next.AssignedWorkerID); err != nil {
				return err
			}
		}
		changed := changedFields(cur, &next)
		next.ID, next.OrgID, next.CreatedBy, next.CreatedAt = cur.ID, cur.OrgID, cur.CreatedBy, cur.CreatedAt
		next.Version, next.UpdatedAt = cur.Version+1, tx.now
		// The concern status changes only through SetConcernStatus, which records why.
		next.ConcernStatus = cur.ConcernStatus
		vals, err := tx.clientValues(ctx, &next)
		if err != nil {
			return err
		}
		args := append([]any{next.Version}, vals...)
		args = append(args, next.UpdatedAt, next.ID)
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET version = $1, reference = $2, given_name = $3, family_name = $4, known_as = $5,
			date_of_birth = $6, estimated_age = $7, age_disputed = $8, gender = $9, nationalities = $10, nationality_answer = $11, languages = $12,
			interpreter_needed = $13, communication_aid_needed = $14, immigration_status = $15, nrpf = $16, dependent_children = $17,
			situation = $18, support_needs = $19, concern_status = $20, assigned_worker_id = $21, contact_details = $22, notes = $23,
			updated_at = $24 WHERE id = $25`, args...); err != nil {
			return err
		}
		if err := tx.writeNameKeys(ctx, &next); err != nil {
			return err
		}
		u.Client = next
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditClientUpdated, ObjectType: "client", ObjectID: id,
			Detail: "changed: " + strings.Join(changed, ", ")})
	})
	if err != nil {
		return nil, err
	}
	return &u.Client, nil
}

// changedFields names, in words, the parts of a record that differ (never their values).
func changedFields(a, b *waymark.Client) []string {
	var out []string
	add := func(name string, differs bool) {
		if differs {
			out = append(out, name)
		}
	}
	add("reference", a.Reference != b.Reference)
	add("name", a.GivenName != b.GivenName || a.FamilyName != b.FamilyName)
	add("other names", !slices.Equal(a.KnownAs, b.KnownAs))
	add("date of birth or age", a.DateOfBirth != b.DateOfBirth || a.EstimatedAge != b.EstimatedAge || a.AgeDisputed != b.AgeDisputed)
	add("gender", a.Gender != b.Gender)
	add("nationality", !slices.Equal(a.Nationalities, b.Nationalities) || a.NationalityAnswer != b.NationalityAnswer)
	add("languages and communication", !slices.Equal(a.Languages, b.Languages) || a.InterpreterNeeded != b.InterpreterNeeded || a.CommunicationAidNeeded != b.CommunicationAidNeeded)
	add("immigration status", a.ImmigrationStatus != b.ImmigrationStatus || a.NoRecourseToPublicFunds != b.NoRecourseToPublicFunds)
	add("dependent children", a.DependentChildren != b.DependentChildren)
	add("contact details", !slices.Equal(a.Contacts, b.Contacts))
	add("where they are living", a.Situation != b.Situation)
	add("support needs", !slices.Equal(a.SupportNeeds, b.SupportNeeds))
	add("assigned worker", a.AssignedWorkerID != b.AssignedWorkerID)
	add("notes", a.Notes != b.Notes)
	if len(out) == 0 {
		out = []string{"no details changed"}
	}
	return out
}

// SetConcernStatus records a new concern status; see waymark.ClientService.
func (s *ClientService) SetConcernStatus(ctx context.Context, actor waymark.Actor, id string, status waymark.ConcernStatus, reason string) (*waymark.Client, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, notFound("client")
	}
	reason = strings.TrimSpace(reason)
	f := map[string]string{}
	if !status.Valid() {
		f["concern_status"] = "Choose a concern status"
	}
	if len(reason) > 2000 {
		f["reason"] = "The reason must be 2,000 characters or fewer"
	}
	if len(f) > 0 {
		return nil, waymark.Invalid(f)
	}
	var c *waymark.Client
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "clients", id); err != nil {
			return err
		}
		var err error
		if c, err = tx.findClient(ctx, actor, id); err != nil {
			return err
		}
		before := c.ConcernStatus
		c.ConcernStatus, c.Version, c.UpdatedAt = status, c.Version+1, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET concern_status = $1, version = $2, updated_at = $3 WHERE id = $4`, c.ConcernStatus, c.Version, c.UpdatedAt, c.ID); err != nil {
			return err
		}
		if err := tx.recordConcern(ctx, actor, c, reason); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditConcernChanged, ObjectType: "client", ObjectID: c.ID,
			Detail: fmt.Sprintf("concern: %s -> %s", before, status)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// FindConcernHistory returns the concern changes, newest first; see waymark.ClientService.
func (s *ClientService) FindConcernHistory(ctx context.Context, actor waymark.Actor, id string) ([]waymark.ConcernChange, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, notFound("client")
	}
	var out []waymark.ConcernChange
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		if _, err := tx.findClient(ctx, actor, id); err != nil {
			return nil, err
		}
		var err error
		if out, err = tx.concernHistory(ctx, actor, id); err != nil {
			return nil, err
		}
		return &waymark.AuditEntry{Action: waymark.AuditConcernHistoryViewed, ObjectType: "client", ObjectID: id}, nil
	})
	return out, err
}

// concernHistory reads a client's concern changes, newest first.
func (tx *Tx) concernHistory(ctx context.Context, actor waymark.Actor, id string) ([]waymark.ConcernChange, error) {
	rows, err := tx.QueryContext(ctx, `SELECT h.id, h.at, h.status, h.by_user_id, COALESCE(u.name, ''), h.reason FROM client_concern_changes h
		LEFT JOIN users u ON u.id = h.by_user_id WHERE h.client_id = $1 AND h.org_id = $2 ORDER BY h.at DESC, h.id LIMIT 500`, id, actor.OrgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []waymark.ConcernChange
	for rows.Next() {
		var ch waymark.ConcernChange
		var rowID string
		var at nullTime
		var reason []byte
		if err := rows.Scan(&rowID, &at, &ch.Status, &ch.ByUserID, &ch.ByName, &reason); err != nil {
			return nil, err
		}
		ch.At = at.t
		if ch.Reason, err = tx.open(ctx, actor.OrgID, "client_concern_changes", "reason", rowID, reason); err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
	return out, rows.Err()
}

// FindClientRecord returns a client with its history and notes; see waymark.ClientService.
func (s *ClientService) FindClientRecord(ctx context.Context, actor waymark.Actor, id string) (*waymark.ClientRecord, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, notFound("client")
	}
	rec := &waymark.ClientRecord{}
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var err error
		if rec.Client, err = tx.findClient(ctx, actor, id); err != nil {
			return nil, err
		}
		if rec.History, err = tx.concernHistory(ctx, actor, id); err != nil {
			return nil, err
		}
		var shown []string
		if rec.Notes, shown, err = tx.notesFor(ctx, actor, id); err != nil {
			return nil, err
		}
		if rec.Timeline, err = tx.timeline(ctx, actor, rec.Client); err != nil {
			return nil, err
		}
		if rec.Consent, err = tx.consentPosition(ctx, rec.Client); err != nil {
			return nil, err
		}
		detail := ""
		if len(shown) > 0 {
			detail = "notes shown: " + strings.Join(shown, " ")
		}
		// One page, one entry: the record, its concern history and the notes shown.
		return &waymark.AuditEntry{Action: waymark.AuditClientViewed, ObjectType: "client", ObjectID: id, Detail: detail}, nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// CountRecorded counts clients and recorded fields; see waymark.ClientService.
func (s *ClientService) CountRecorded(ctx context.Context, actor waymark.Actor) (waymark.Completeness, error) {
	var c waymark.Completeness
	if !actor.Can(waymark.PermViewClients) {
		return c, forbidden()
	}
	err := s.db.view(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN concern_status <> $1 THEN 1 END) FROM clients WHERE org_id = $2`,
			waymark.ConcernNotYetAsked, actor.OrgID).Scan(&c.Clients, &c.ConcernRecorded); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*),
			count(CASE WHEN EXISTS (SELECT 1 FROM exploitation_episodes e WHERE e.client_id = c.id AND (e.start_date <> '' OR e.recency <> '')) THEN 1 END),
			count(CASE WHEN EXISTS (SELECT 1 FROM support_actions a WHERE a.client_id = c.id) THEN 1 END)
			FROM clients c WHERE c.org_id = $1 AND c.concern_status IN ($2, $3, $4)`,
			actor.OrgID, waymark.ConcernSuspected, waymark.ConcernDisclosed, waymark.ConcernConfirmed).Scan(&c.WithConcern, &c.WhenRecorded, &c.SupportRecorded)
	})
	return c, err
}

// importBatch is how many clients ImportClients writes in one transaction.
const importBatch = 500

// ImportClients adds many clients to the actor's organisation, importBatch to a transaction, with
// one audit entry per batch. It serves bulk loads (benchmarks, and imports to come); each client
// is validated as CreateClient validates it, and nothing of a batch is stored if one fails.
func (s *ClientService) ImportClients(ctx context.Context, actor waymark.Actor, clients []*waymark.Client) error {
	if !actor.Can(waymark.PermEditClients) {
		return forbidden()
	}
	for start := 0; start < len(clients); start += importBatch {
		batch := clients[start:min(start+importBatch, len(clients))]
		for _, c := range batch {
			if err := c.Validate(); err != nil {
				return err
			}
		}
		err := s.db.update(ctx, func(tx *Tx) error {
			for _, c := range batch {
				if err := tx.insertClient(ctx, actor, c); err != nil {
					return err
				}
			}
			return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditClientsImported, ObjectType: "client", Detail: "imported " + itoa(len(batch))})
		})
		if err != nil {
			return err
		}
	}
	if len(clients) >= 10*importBatch {
		// A large load changes the tables' shape: refresh the planner's statistics so that searches
		// keep using the key index rather than guessing from stale counts.
		if _, err := s.db.wdb.ExecContext(ctx, `ANALYZE`); err != nil {
			return s.db.mapError(err)
		}
	}
	return nil
}
