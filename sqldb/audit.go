package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"waymark"
)

// AuditService implements waymark.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// audit appends an entry to the chain inside tx. Taking the head row with an UPDATE ... RETURNING
// locks it (PostgreSQL) or runs inside the single writer (SQLite), so appends are serialised and
// the chain has no forks.
func (tx *Tx) audit(ctx context.Context, actor waymark.Actor, e *waymark.AuditEntry) error {
	e.At = tx.now
	if e.ActorUserID == "" && !actor.System {
		e.ActorUserID = actor.UserID
	}
	if e.ActorLabel == "" {
		switch {
		case actor.System:
			e.ActorLabel = "command line"
		case actor.Via != "":
			e.ActorLabel = actor.Via
		}
	}
	if e.OrgID == "" && !actor.System {
		e.OrgID = actor.OrgID
	}
	if e.Addr == "" {
		e.Addr = actor.Addr
	}
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e.Seq = seq
	e.PrevHash = prev
	e.Hash = e.ComputeHash(prev)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(seq, at, actor_user_id, actor_label, org_id, action, object_type, object_id, addr, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.Seq, e.At, e.ActorUserID, e.ActorLabel, e.OrgID, e.Action, e.ObjectType, e.ObjectID, e.Addr, e.Detail, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, e.Hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

const auditColumns = `seq, at, actor_user_id, actor_label, org_id, action, object_type, object_id, addr, detail, prev_hash, hash`

func scanAudit(s interface{ Scan(...any) error }) (*waymark.AuditEntry, error) {
	var e waymark.AuditEntry
	var at nullTime
	if err := s.Scan(&e.Seq, &at, &e.ActorUserID, &e.ActorLabel, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Addr, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = at.t
	return &e, nil
}

// FindAuditEntries lists entries newest first; see waymark.AuditService.
func (s *AuditService) FindAuditEntries(ctx context.Context, actor waymark.Actor, f waymark.AuditFilter) ([]*waymark.AuditEntry, int, error) {
	switch {
	case actor.Can(waymark.PermViewAllAudit):
	case actor.Can(waymark.PermViewOrgAudit):
		f.OrgID = actor.OrgID
	default:
		return nil, 0, forbidden()
	}
	f.Page = f.Page.Normalize()
	var out []*waymark.AuditEntry
	var total int
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		where, args := `WHERE 1 = 1`, []any{}
		count := `SELECT seq FROM audit_head WHERE id = 1` // entries are never deleted, so the head's number is the count
		if f.OrgID != "" {
			where, args = `WHERE org_id = $1`, []any{f.OrgID}
			count = `SELECT count(*) FROM audit_log ` + where
		}
		if err := tx.QueryRowContext(ctx, count, args...).Scan(&total); err != nil {
			return nil, err
		}
		n := len(args)
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM audit_log %s ORDER BY seq DESC LIMIT $%d OFFSET $%d`, auditColumns, where, n+1, n+2),
			append(args, f.Page.Limit, f.Page.Offset)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return &waymark.AuditEntry{Action: waymark.AuditAuditViewed, ObjectType: "organisation", ObjectID: f.OrgID}, nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// VerifyAudit walks the chain in sequence order, streaming, and reports the first broken link.
func (s *AuditService) VerifyAudit(ctx context.Context) (*waymark.AuditVerification, error) {
	res := &waymark.AuditVerification{OK: true}
	// One snapshot for the head and the whole walk, so entries appended meanwhile by a running
	// server are not mistaken for tampering.
	err := s.db.viewSnapshot(ctx, func(tx *Tx) error {
		var headSeq int64
		var headHash string
		if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		prev := ""
		var want int64 = 1
		fail := func(seq int64, problem string) {
			if res.OK {
				res.OK, res.FirstBad, res.Problem = false, seq, problem
			}
		}
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			res.Entries++
			if !res.OK {
				continue
			}
			switch {
			case e.Seq != want:
				fail(want, fmt.Sprintf("entry %d is missing: the next entry found is %d (deleted or reordered)", want, e.Seq))
			case e.PrevHash != prev:
				fail(e.Seq, fmt.Sprintf("entry %d does not follow entry %d (deleted, inserted or reordered)", e.Seq, e.Seq-1))
			case e.ComputeHash(prev) != e.Hash:
				fail(e.Seq, fmt.Sprintf("entry %d was altered: its contents do not match its hash", e.Seq))
			}
			prev = e.Hash
			want = e.Seq + 1
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// The head names the last entry written: the chain must end exactly there.
		if res.OK {
			switch last := want - 1; {
			case last < headSeq:
				fail(want, fmt.Sprintf("the chain ends at entry %d but %d entries were written (entries cut from the end)", last, headSeq))
			case last > headSeq:
				fail(headSeq+1, fmt.Sprintf("entry %d was never written: the last entry written is %d (entries added at the end)", headSeq+1, headSeq))
			case prev != headHash:
				fail(last, fmt.Sprintf("entry %d was altered or replaced: it is not the last entry written", last))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// errNoRows reports whether err is the driver's "no rows".
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
