package sqldb

import (
	"context"
	"encoding/json"
	"fmt"

	"waymark"
)

// ScreeningService implements waymark.ScreeningService.
type ScreeningService struct{ db *DB }

// NewScreeningService returns the screening service.
func NewScreeningService(db *DB) *ScreeningService { return &ScreeningService{db: db} }

// scanQuestionSet reads a question set row and decodes its questions.
func scanQuestionSet(s interface{ Scan(...any) error }) (*waymark.QuestionSet, error) {
	var set waymark.QuestionSet
	var questions string
	if err := s.Scan(&set.ID, &set.Key, &set.Version, &set.Name, &questions); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(questions), &set.Questions); err != nil {
		return nil, fmt.Errorf("question set %s: %w", set.ID, err)
	}
	return &set, nil
}

// FindQuestionSets returns the newest version of each set; see waymark.ScreeningService.
func (s *ScreeningService) FindQuestionSets(ctx context.Context, actor waymark.Actor) ([]*waymark.QuestionSet, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []*waymark.QuestionSet
	err := s.db.view(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, key, version, name, questions FROM question_sets q
			WHERE version = (SELECT max(version) FROM question_sets WHERE key = q.key) ORDER BY key`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			set, err := scanQuestionSet(rows)
			if err != nil {
				return err
			}
			out = append(out, set)
		}
		return rows.Err()
	})
	return out, err
}

// findQuestionSet reads one version of a set by its ID; an unknown set is a validation error,
// since the ID comes from the form.
func (tx *Tx) findQuestionSet(ctx context.Context, id string) (*waymark.QuestionSet, error) {
	set, err := scanQuestionSet(tx.QueryRowContext(ctx, `SELECT id, key, version, name, questions FROM question_sets WHERE id = $1`, id))
	if errNoRows(err) {
		return nil, waymark.Invalid(map[string]string{"set_id": "Choose one of the question sets offered"})
	}
	return set, err
}

// RecordScreening records a screening and its proposed status; see waymark.ScreeningService.
func (s *ScreeningService) RecordScreening(ctx context.Context, actor waymark.Actor, clientID, setID string, answers map[string]string, notes string) (*waymark.Screening, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, forbidden()
	}
	var sc *waymark.Screening
	err := s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return err
		}
		set, err := tx.findQuestionSet(ctx, setID)
		if err != nil {
			return err
		}
		if err := waymark.ValidateScreening(set, answers, notes); err != nil {
			return err
		}
		// Unanswered questions are left out, so the stored answers are exactly those given.
		kept := map[string]string{}
		for k, v := range answers {
			if v != "" {
				kept[k] = v
			}
		}
		sc = &waymark.Screening{ID: newID(), ClientID: c.ID, OrgID: c.OrgID, SetID: set.ID, SetKey: set.Key, SetName: set.Name,
			SetVersion: set.Version, AskedBy: actor.UserID, AskedAt: tx.now, Answers: kept, Notes: notes,
			ProposedStatus: waymark.ProposeConcern(set, kept)}
		body, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		sealed, err := tx.seal(ctx, sc.OrgID, "screenings", "notes", sc.ID, notes)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO screenings (id, client_id, org_id, set_id, asked_by, asked_at, answers, notes, proposed_status)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sc.ID, sc.ClientID, sc.OrgID, sc.SetID, sc.AskedBy, sc.AskedAt, string(body), sealed, sc.ProposedStatus); err != nil {
			return err
		}
		// The detail names the set and the proposal, never an answer or the notes.
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditScreeningRecorded, ObjectType: "client", ObjectID: c.ID,
			Detail: fmt.Sprintf("screening %s: %s v%d, proposed %s", sc.ID, set.Key, set.Version, sc.ProposedStatus)})
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// FindScreenings lists a client's screenings, newest first; see waymark.ScreeningService.
func (s *ScreeningService) FindScreenings(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.Screening, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []*waymark.Screening
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		if _, err := tx.findClient(ctx, actor, clientID); err != nil {
			return nil, err
		}
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.client_id, s.org_id, s.set_id, q.key, q.name, q.version, s.asked_by, COALESCE(u.name, ''),
			s.asked_at, s.answers, s.notes, s.proposed_status
			FROM screenings s JOIN question_sets q ON q.id = s.set_id LEFT JOIN users u ON u.id = s.asked_by
			WHERE s.client_id = $1 AND s.org_id = $2 ORDER BY s.asked_at DESC, s.id LIMIT 500`, clientID, actor.OrgID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var sc waymark.Screening
			var at nullTime
			var answers string
			var notes []byte
			if err := rows.Scan(&sc.ID, &sc.ClientID, &sc.OrgID, &sc.SetID, &sc.SetKey, &sc.SetName, &sc.SetVersion, &sc.AskedBy, &sc.AskedByName,
				&at, &answers, &notes, &sc.ProposedStatus); err != nil {
				return nil, err
			}
			sc.AskedAt = at.t
			if err := json.Unmarshal([]byte(answers), &sc.Answers); err != nil {
				return nil, fmt.Errorf("screening answers: %w", err)
			}
			if sc.Notes, err = tx.open(ctx, sc.OrgID, "screenings", "notes", sc.ID, notes); err != nil {
				return nil, err
			}
			out = append(out, &sc)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return &waymark.AuditEntry{Action: waymark.AuditScreeningsViewed, ObjectType: "client", ObjectID: clientID}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
