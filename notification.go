package waymark

import (
	"context"
	"time"
)

// Notifications tell staff that a task has come to them. The tasks job makes one for the client's
// assigned worker when it opens a task, or for each of the organisation's safeguarding leads when
// nobody is assigned. They are read in the application; when the operator configures an SMTP
// server, a short email says how many there are, with a link and nothing else: an email never
// carries personal data.

// Notification is one task that came to one member of staff.
type Notification struct {
	ID     string
	UserID string
	TaskID string
	// The task's kind, client and date, read with the notification.
	Kind            TaskKind
	ClientID        string
	ClientName      string
	ClientReference string
	DueOn           string
	// Done is set once the task has been closed.
	Done      bool
	CreatedAt time.Time
	// ReadAt is when the user marked it read, or nil.
	ReadAt *time.Time
}

// EmailNotice is one email to send: how many unread notifications a member of staff has that no
// email has told them about yet. It names nobody but its recipient. Staff who said they want no
// email get none.
type EmailNotice struct {
	UserID string
	Email  string
	// NotificationIDs are the notifications the email tells of.
	NotificationIDs []string
}

// MaxEmailAttempts is how many times sending an email notice is tried before it is given up.
const MaxEmailAttempts = 6

// emailRetryAfter are the waits after each failed attempt, so that an outage of the mail server of
// up to about eight hours loses nothing.
var emailRetryAfter = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// EmailRetryAfter is how long to wait before trying again after the failed attempt number
// attempt (from 1).
func EmailRetryAfter(attempt int) time.Duration {
	return emailRetryAfter[min(max(attempt, 1), len(emailRetryAfter))-1]
}

// NotificationService reads and marks notifications and hands the email job its work.
type NotificationService interface {
	// FindNotifications lists the actor's notifications, newest first (the latest 100), with the
	// tasks' clients still visible to them. Audited as a list view naming the clients shown.
	FindNotifications(ctx context.Context, actor Actor) ([]*Notification, error)
	// CountUnread counts the actor's unread notifications; a count names nobody, so it is not audited.
	CountUnread(ctx context.Context, actor Actor) (int, error)
	// MarkRead marks the actor's notifications read: the one with id, or all when id is empty.
	// ENOTFOUND for someone else's.
	MarkRead(ctx context.Context, actor Actor, id string) error
	// PendingEmails lists the email notices to send: active users with unread notifications no
	// email has told of, tried fewer than MaxEmailAttempts times and not waiting to be tried again
	// (EmailRetryAfter). The system actor only.
	PendingEmails(ctx context.Context, actor Actor) ([]EmailNotice, error)
	// EmailSent records the outcome of sending n: sent (sendErr nil), or one more failed attempt.
	// The system actor only.
	EmailSent(ctx context.Context, actor Actor, n EmailNotice, sendErr error) error
	// WantsEmail reports whether the actor wants email notices (yes, until they say no).
	WantsEmail(ctx context.Context, actor Actor) (bool, error)
	// SetWantsEmail records whether the actor wants email notices. Audited.
	SetWantsEmail(ctx context.Context, actor Actor, on bool) error
}
