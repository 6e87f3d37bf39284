package sqldb

import (
	"context"
	"fmt"

	"waymark"
)

// AwarenessService implements waymark.AwarenessService.
type AwarenessService struct{ db *DB }

// NewAwarenessService returns the awareness activities.
func NewAwarenessService(db *DB) *AwarenessService { return &AwarenessService{db: db} }

const awarenessColumns = `id, org_id, held_on, audience, attending, topic, delivered_by, notes, version, recorded_by, updated_at FROM awareness_activities`

func scanAwareness(row interface{ Scan(...any) error }) (*waymark.AwarenessActivity, error) {
	var a waymark.AwarenessActivity
	var at nullTime
	if err := row.Scan(&a.ID, &a.OrgID, &a.On, &a.Audience, &a.Attending, &a.Topic, &a.DeliveredBy, &a.Notes, &a.Version, &a.RecordedBy, &at); err != nil {
		return nil, err
	}
	a.UpdatedAt = at.t
	return &a, nil
}

func (tx *Tx) awarenessList(ctx context.Context, query string, args ...any) ([]*waymark.AwarenessActivity, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*waymark.AwarenessActivity
	for rows.Next() {
		a, err := scanAwareness(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindAwareness lists the organisation's activities; see waymark.AwarenessService.
func (s *AwarenessService) FindAwareness(ctx context.Context, actor waymark.Actor, page waymark.Page) ([]*waymark.AwarenessActivity, int, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, 0, err
	}
	page = page.Normalize()
	var out []*waymark.AwarenessActivity
	var total int
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM awareness_activities WHERE org_id = $1`, actor.OrgID).Scan(&total); err != nil {
			return err
		}
		out, err = tx.awarenessList(ctx, `SELECT `+awarenessColumns+` WHERE org_id = $1 ORDER BY held_on DESC, created_at DESC, id LIMIT $2 OFFSET $3`,
			actor.OrgID, page.Limit, page.Offset)
		return err
	})
	return out, total, err
}

// AwarenessYear lists the activities of a calendar year; see waymark.AwarenessService.
func (s *AwarenessService) AwarenessYear(ctx context.Context, actor waymark.Actor, year string) ([]*waymark.AwarenessActivity, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var out []*waymark.AwarenessActivity
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.awarenessList(ctx, `SELECT `+awarenessColumns+` WHERE org_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on DESC, id`,
			actor.OrgID, year+"-01-01", year+"-12-31")
		return err
	})
	return out, err
}

func (tx *Tx) findAwareness(ctx context.Context, actor waymark.Actor, id string) (*waymark.AwarenessActivity, error) {
	a, err := scanAwareness(tx.QueryRowContext(ctx, `SELECT `+awarenessColumns+` WHERE id = $1 AND org_id = $2`, id, actor.OrgID))
	if errNoRows(err) {
		return nil, notFound("awareness activity")
	}
	return a, err
}

// FindAwarenessActivity reads one activity; see waymark.AwarenessService.
func (s *AwarenessService) FindAwarenessActivity(ctx context.Context, actor waymark.Actor, id string) (*waymark.AwarenessActivity, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var out *waymark.AwarenessActivity
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.findAwareness(ctx, actor, id)
		return err
	})
	return out, err
}

func awarenessDetail(a *waymark.AwarenessActivity) string {
	return fmt.Sprintf("held %s, audience %s, %d attending", a.On, a.Audience, a.Attending)
}

// CreateAwareness records an activity; see waymark.AwarenessService.
func (s *AwarenessService) CreateAwareness(ctx context.Context, actor waymark.Actor, a *waymark.AwarenessActivity) error {
	if err := mayManageTraining(actor); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := a.Validate(waymark.Today(tx.now)); err != nil {
			return err
		}
		a.ID, a.OrgID, a.Version, a.RecordedBy, a.UpdatedAt = newID(), actor.OrgID, 1, actor.UserID, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO awareness_activities (id, org_id, held_on, audience, attending, topic, delivered_by, notes, version,
			recorded_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			a.ID, a.OrgID, a.On, a.Audience, a.Attending, a.Topic, a.DeliveredBy, a.Notes, a.Version, a.RecordedBy, tx.now, tx.now); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditAwarenessRecorded, ObjectType: "awareness_activity", ObjectID: a.ID, Detail: awarenessDetail(a)})
	})
}

// UpdateAwareness changes an activity; see waymark.AwarenessService.
func (s *AwarenessService) UpdateAwareness(ctx context.Context, actor waymark.Actor, id string, version int, a waymark.AwarenessActivity) (*waymark.AwarenessActivity, error) {
	if err := mayManageTraining(actor); err != nil {
		return nil, err
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "awareness_activities", id); err != nil {
			return err
		}
		cur, err := tx.findAwareness(ctx, actor, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this activity while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
		}
		if err := a.Validate(waymark.Today(tx.now)); err != nil {
			return err
		}
		a.ID, a.OrgID, a.Version, a.RecordedBy, a.UpdatedAt = cur.ID, cur.OrgID, cur.Version+1, cur.RecordedBy, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE awareness_activities SET held_on = $1, audience = $2, attending = $3, topic = $4, delivered_by = $5,
			notes = $6, version = $7, updated_at = $8 WHERE id = $9`, a.On, a.Audience, a.Attending, a.Topic, a.DeliveredBy, a.Notes, a.Version, tx.now, a.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditAwarenessUpdated, ObjectType: "awareness_activity", ObjectID: a.ID,
			Detail: fmt.Sprintf("version %d, %s", a.Version, awarenessDetail(&a))})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}
