package sqldb

import (
	"context"
	"strings"

	"waymark"
)

// NoteService implements waymark.NoteService.
type NoteService struct{ db *DB }

// NewNoteService returns the case note service.
func NewNoteService(db *DB) *NoteService { return &NoteService{db: db} }

// AddNote adds a note; see waymark.NoteService.
func (s *NoteService) AddNote(ctx context.Context, actor waymark.Actor, clientID, text string, restricted bool) (*waymark.CaseNote, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, notFound("client")
	}
	if err := waymark.ValidateNote(text); err != nil {
		return nil, err
	}
	var n *waymark.CaseNote
	err := s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.findClient(ctx, actor, clientID); err != nil {
			return err
		}
		n = &waymark.CaseNote{ID: newID(), ClientID: clientID, OrgID: actor.OrgID, AuthorID: actor.UserID, CreatedAt: tx.now, UpdatedAt: tx.now,
			Text: strings.TrimSpace(text), Restricted: restricted, Version: 1}
		body, err := tx.seal(ctx, n.OrgID, "case_notes", "body", n.ID, n.Text)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_notes (id, client_id, org_id, author_id, created_at, updated_at, restricted, version, body)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, n.ID, n.ClientID, n.OrgID, n.AuthorID, n.CreatedAt, n.UpdatedAt, n.Restricted, n.Version, body); err != nil {
			return err
		}
		detail := ""
		if restricted {
			detail = "restricted to safeguarding leads"
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditNoteAdded, ObjectType: "client", ObjectID: clientID, Detail: "note " + n.ID + " " + detail})
	})
	return n, err
}

const noteSelect = `SELECT n.id, n.client_id, n.org_id, n.author_id, COALESCE(u.name, ''), n.created_at, n.updated_at, n.restricted, n.version, n.body
	FROM case_notes n LEFT JOIN users u ON u.id = n.author_id `

// scanNote reads a note row and opens its text, only when the actor may see the note: ok is false
// for a restricted note that is not for them.
func (tx *Tx) scanNote(ctx context.Context, actor waymark.Actor, s interface{ Scan(...any) error }) (n *waymark.CaseNote, ok bool, err error) {
	n = &waymark.CaseNote{}
	var created, updated nullTime
	var body []byte
	if err := s.Scan(&n.ID, &n.ClientID, &n.OrgID, &n.AuthorID, &n.AuthorName, &created, &updated, &n.Restricted, &n.Version, &body); err != nil {
		return nil, false, err
	}
	n.CreatedAt, n.UpdatedAt = created.t, updated.t
	if !actor.MaySeeNote(n) {
		return nil, false, nil
	}
	n.Text, err = tx.open(ctx, n.OrgID, "case_notes", "body", n.ID, body)
	return n, err == nil, err
}

// findNote reads a note of a client of the actor's organisation that the actor may see.
func (tx *Tx) findNote(ctx context.Context, actor waymark.Actor, clientID, noteID string) (*waymark.CaseNote, error) {
	n, ok, err := tx.scanNote(ctx, actor, tx.QueryRowContext(ctx, noteSelect+`WHERE n.id = $1 AND n.client_id = $2 AND n.org_id = $3`, noteID, clientID, actor.OrgID))
	if errNoRows(err) || (err == nil && !ok) {
		return nil, notFound("note")
	}
	return n, err
}

// UpdateNote replaces a note's text, keeping the old; see waymark.NoteService.
func (s *NoteService) UpdateNote(ctx context.Context, actor waymark.Actor, clientID, noteID string, version int, text string) (*waymark.CaseNote, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, notFound("note")
	}
	if err := waymark.ValidateNote(text); err != nil {
		return nil, err
	}
	var n *waymark.CaseNote
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "case_notes", noteID); err != nil {
			return err
		}
		var err error
		if n, err = tx.findNote(ctx, actor, clientID, noteID); err != nil {
			return err
		}
		if n.AuthorID != actor.UserID && actor.Role != waymark.RoleSafeguardingLead {
			return waymark.Errorf(waymark.EFORBIDDEN, "Only the note's author or a safeguarding lead can change a note. Add a new note instead.")
		}
		if n.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this note while you were editing it. Your change has not been saved: read the note as it is now, then make your change again.")
		}
		old, err := tx.seal(ctx, n.OrgID, "case_note_versions", "body", noteID+"/"+itoa(n.Version), n.Text)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_note_versions (id, note_id, org_id, version, body, edited_by, edited_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			noteID+"/"+itoa(n.Version), noteID, n.OrgID, n.Version, old, actor.UserID, tx.now); err != nil {
			return err
		}
		n.Text, n.Version, n.UpdatedAt = strings.TrimSpace(text), n.Version+1, tx.now
		body, err := tx.seal(ctx, n.OrgID, "case_notes", "body", n.ID, n.Text)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_notes SET body = $1, version = $2, updated_at = $3 WHERE id = $4`, body, n.Version, n.UpdatedAt, n.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditNoteEdited, ObjectType: "client", ObjectID: clientID, Detail: "note " + noteID})
	})
	return n, err
}

// FindNotes lists the notes the actor may see, with their history; see waymark.NoteService.
func (s *NoteService) FindNotes(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.CaseNote, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, notFound("client")
	}
	var out []*waymark.CaseNote
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		if _, err := tx.findClient(ctx, actor, clientID); err != nil {
			return nil, err
		}
		var shown []string
		var err error
		if out, shown, err = tx.notesFor(ctx, actor, clientID); err != nil {
			return nil, err
		}
		return &waymark.AuditEntry{Action: waymark.AuditNotesViewed, ObjectType: "client", ObjectID: clientID, Detail: "notes shown: " + strings.Join(shown, " ")}, nil
	})
	return out, err
}

// notesFor reads the notes of a client the actor may see, newest first, with their histories,
// and their IDs: two queries however many notes there are.
func (tx *Tx) notesFor(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.CaseNote, []string, error) {
	rows, err := tx.QueryContext(ctx, noteSelect+`WHERE n.client_id = $1 AND n.org_id = $2 ORDER BY n.created_at DESC, n.id LIMIT 500`, clientID, actor.OrgID)
	if err != nil {
		return nil, nil, err
	}
	var out []*waymark.CaseNote
	var shown []string
	byID := map[string]*waymark.CaseNote{}
	for rows.Next() {
		n, ok, err := tx.scanNote(ctx, actor, rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		if ok {
			out = append(out, n)
			shown = append(shown, n.ID)
			byID[n.ID] = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) == 0 {
		return nil, nil, nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT v.id, v.note_id, v.version, v.body, v.edited_by, COALESCE(u.name, ''), v.edited_at FROM case_note_versions v
		LEFT JOIN users u ON u.id = v.edited_by WHERE v.note_id IN (SELECT id FROM case_notes WHERE client_id = $1 AND org_id = $2)
		ORDER BY v.note_id, v.version DESC`, clientID, actor.OrgID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v waymark.NoteVersion
		var id, noteID string
		var body []byte
		var at nullTime
		if err := rows.Scan(&id, &noteID, &v.Version, &body, &v.EditedByID, &v.EditedBy, &at); err != nil {
			return nil, nil, err
		}
		n := byID[noteID]
		if n == nil {
			continue // a note the actor may not see
		}
		v.EditedAt = at.t
		if v.Text, err = tx.open(ctx, n.OrgID, "case_note_versions", "body", id, body); err != nil {
			return nil, nil, err
		}
		n.History = append(n.History, v)
	}
	return out, shown, rows.Err()
}
