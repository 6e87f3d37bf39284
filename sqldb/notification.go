package sqldb

import (
	"context"
	"slices"
	"strings"
	"time"

	"waymark"
)

// NotificationService implements waymark.NotificationService.
type NotificationService struct{ db *DB }

// NewNotificationService returns the notification service.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

var _ waymark.NotificationService = (*NotificationService)(nil)

// emailWithin is how old an unread notification may be and still be told of by email: an
// operator who configures email later does not send everyone their whole backlog.
const emailWithin = 7 * 24 * time.Hour

// notify tells the staff a new task is for: the client's assigned worker, or when nobody is
// assigned (or they can no longer act), each of the organisation's safeguarding leads.
func (tx *Tx) notify(ctx context.Context, taskID, orgID, clientID string) error {
	var users []string
	collect := func(row interface{ Scan(...any) error }) error {
		var id string
		err := row.Scan(&id)
		users = append(users, id)
		return err
	}
	if err := tx.eachRow(ctx, `SELECT u.id FROM clients c JOIN users u ON u.id = c.assigned_worker_id AND u.org_id = c.org_id
		WHERE c.id = $1 AND u.disabled = FALSE AND u.role IN ('frontline', 'safeguarding_lead', 'manager')`, []any{clientID}, collect); err != nil {
		return err
	}
	if len(users) == 0 {
		if err := tx.eachRow(ctx, `SELECT id FROM users WHERE org_id = $1 AND role = 'safeguarding_lead' AND disabled = FALSE`, []any{orgID}, collect); err != nil {
			return err
		}
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, user_id, task_id, created_at) VALUES ($1, $2, $3, $4)`, newID(), u, taskID, tx.now); err != nil {
			return err
		}
	}
	return nil
}

// FindNotifications lists the actor's notifications; see waymark.NotificationService.
func (s *NotificationService) FindNotifications(ctx context.Context, actor waymark.Actor) ([]*waymark.Notification, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []*waymark.Notification
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var shown []string
		err := tx.eachRow(ctx, `SELECT n.id, n.task_id, t.kind, t.client_id, c.given_name, c.family_name, c.reference, t.due_on, t.closed_at, n.created_at, n.read_at
			FROM notifications n JOIN tasks t ON t.id = n.task_id JOIN clients c ON c.id = t.client_id
			WHERE n.user_id = $1 AND c.org_id = $2 ORDER BY n.created_at DESC, n.id LIMIT 100`, []any{actor.UserID, actor.OrgID},
			func(row interface{ Scan(...any) error }) error {
				n := waymark.Notification{UserID: actor.UserID}
				var given, family string
				var closed, created, read nullTime
				if err := row.Scan(&n.ID, &n.TaskID, &n.Kind, &n.ClientID, &given, &family, &n.ClientReference, &n.DueOn, &closed, &created, &read); err != nil {
					return err
				}
				n.ClientName = clientName(given, family)
				n.Done, n.CreatedAt, n.ReadAt = closed.valid, created.t, read.ptr()
				if !slices.Contains(shown, n.ClientID) {
					shown = append(shown, n.ClientID)
				}
				out = append(out, &n)
				return nil
			})
		return &waymark.AuditEntry{Action: waymark.AuditNotificationsViewed, ObjectType: "notification", Detail: "clients shown: " + strings.Join(shown, " ")}, err
	})
	return out, err
}

// CountUnread counts the actor's unread notifications; see waymark.NotificationService.
func (s *NotificationService) CountUnread(ctx context.Context, actor waymark.Actor) (int, error) {
	if !actor.Can(waymark.PermViewClients) {
		return 0, forbidden()
	}
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, actor.UserID).Scan(&n)
	})
	return n, err
}

// MarkRead marks one or all of the actor's notifications read; see waymark.NotificationService.
func (s *NotificationService) MarkRead(ctx context.Context, actor waymark.Actor, id string) error {
	if !actor.Can(waymark.PermViewClients) {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if id == "" {
			_, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, tx.now, actor.UserID)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3`, tx.now, id, actor.UserID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFound("notification")
		}
		return nil
	})
}

// PendingEmails lists the email notices to send; see waymark.NotificationService.
func (s *NotificationService) PendingEmails(ctx context.Context, actor waymark.Actor) ([]waymark.EmailNotice, error) {
	if !actor.System {
		return nil, forbidden()
	}
	var out []waymark.EmailNotice
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT n.user_id, u.email, n.id FROM notifications n JOIN users u ON u.id = n.user_id
			WHERE n.emailed_at IS NULL AND n.read_at IS NULL AND n.email_attempts < $1 AND n.created_at > $2 AND (n.email_retry_at IS NULL OR n.email_retry_at <= $3)
			AND u.disabled = FALSE
			AND NOT EXISTS (SELECT 1 FROM notification_settings s WHERE s.user_id = n.user_id AND s.email = FALSE)
			ORDER BY n.user_id, n.created_at, n.id`, []any{waymark.MaxEmailAttempts, tx.now.Add(-emailWithin), tx.now},
			func(row interface{ Scan(...any) error }) error {
				var user, email, id string
				if err := row.Scan(&user, &email, &id); err != nil {
					return err
				}
				if len(out) == 0 || out[len(out)-1].UserID != user {
					out = append(out, waymark.EmailNotice{UserID: user, Email: email})
				}
				last := &out[len(out)-1]
				last.NotificationIDs = append(last.NotificationIDs, id)
				return nil
			})
	})
	return out, err
}

// EmailSent records the outcome of sending an email notice; see waymark.NotificationService.
func (s *NotificationService) EmailSent(ctx context.Context, actor waymark.Actor, n waymark.EmailNotice, sendErr error) error {
	if !actor.System {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		for _, id := range n.NotificationIDs {
			if sendErr == nil {
				if _, err := tx.ExecContext(ctx, `UPDATE notifications SET emailed_at = $1 WHERE id = $2 AND user_id = $3`, tx.now, id, n.UserID); err != nil {
					return err
				}
				continue
			}
			var attempts int
			if err := tx.QueryRowContext(ctx, `SELECT email_attempts FROM notifications WHERE id = $1 AND user_id = $2`, id, n.UserID).Scan(&attempts); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE notifications SET email_attempts = $1, email_retry_at = $2 WHERE id = $3`,
				attempts+1, tx.now.Add(waymark.EmailRetryAfter(attempts+1)), id); err != nil {
				return err
			}
		}
		return nil
	})
}

// WantsEmail reports whether the actor wants email notices; see waymark.NotificationService.
func (s *NotificationService) WantsEmail(ctx context.Context, actor waymark.Actor) (bool, error) {
	if actor.UserID == "" {
		return false, forbidden()
	}
	on := true
	err := s.db.view(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT email FROM notification_settings WHERE user_id = $1`, actor.UserID).Scan(&on)
		if errNoRows(err) {
			return nil
		}
		return err
	})
	return on, err
}

// SetWantsEmail records whether the actor wants email notices; see waymark.NotificationService.
func (s *NotificationService) SetWantsEmail(ctx context.Context, actor waymark.Actor, on bool) error {
	if actor.UserID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notification_settings (user_id, email, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at`, actor.UserID, on, tx.now); err != nil {
			return err
		}
		detail := "email notices on"
		if !on {
			detail = "email notices off"
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditEmailNoticesSet, ObjectType: "user", ObjectID: actor.UserID, Detail: detail})
	})
}
