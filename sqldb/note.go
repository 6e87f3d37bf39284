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

// findNote reads a note of a client of the actor's organisation.
func (tx *Tx) findNote(ctx context.Context, actor waymark.Actor, clientID, noteID string) (*waymark.CaseNote, error) {
	var n waymark.CaseNote
	var created, updated nullTime
	var body []byte
	err := tx.QueryRowContext(ctx, `SELECT n.id, n.client_id, n.org_id, n.author_id, COALESCE(u.name, ''), n.created_at, n.updated_at, n.restricted, n.version, n.body
		FROM case_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.id = $1 AND n.client_id = $2 AND n.org_id = $3`, noteID, clientID, actor.OrgID).
		Scan(&n.ID, &n.ClientID, &n.OrgID, &n.AuthorID, &n.AuthorName, &created, &updated, &n.Restricted, &n.Version, &body)
	if errNoRows(err) {
		return nil, notFound("note")
	}
	if err != nil {
		return nil, err
	}
	n.CreatedAt, n.UpdatedAt = created.t, updated.t
	if n.Text, err = tx.open(ctx, n.OrgID, "case_notes", "body", n.ID, body); err != nil {
		return nil, err
	}
	if !actor.MaySeeNote(&n) {
		return nil, notFound("note")
	}
	return &n, nil
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

// notesFor reads the notes of a client the actor may see, newest first, and their IDs.
func (tx *Tx) notesFor(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.CaseNote, []string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM case_notes WHERE client_id = $1 AND org_id = $2 ORDER BY created_at DESC, id LIMIT 500`, clientID, actor.OrgID)
	if err != nil {
		return nil, nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var out []*waymark.CaseNote
	var shown []string
	for _, id := range ids {
		n, err := tx.findNote(ctx, actor, clientID, id)
		if waymark.ErrorCode(err) == waymark.ENOTFOUND {
			continue // restricted, and not for this actor
		}
		if err != nil {
			return nil, nil, err
		}
		if n.History, err = tx.noteHistory(ctx, n); err != nil {
			return nil, nil, err
		}
		out = append(out, n)
		shown = append(shown, n.ID)
	}
	return out, shown, nil
}

func (tx *Tx) noteHistory(ctx context.Context, n *waymark.CaseNote) ([]waymark.NoteVersion, error) {
	rows, err := tx.QueryContext(ctx, `SELECT v.id, v.version, v.body, v.edited_by, COALESCE(u.name, ''), v.edited_at FROM case_note_versions v
		LEFT JOIN users u ON u.id = v.edited_by WHERE v.note_id = $1 ORDER BY v.version DESC`, n.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []waymark.NoteVersion
	for rows.Next() {
		var v waymark.NoteVersion
		var id string
		var body []byte
		var at nullTime
		if err := rows.Scan(&id, &v.Version, &body, &v.EditedByID, &v.EditedBy, &at); err != nil {
			return nil, err
		}
		v.EditedAt = at.t
		if v.Text, err = tx.open(ctx, n.OrgID, "case_note_versions", "body", id, body); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
