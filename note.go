package waymark

import (
	"context"
	"strings"
	"time"
)

// CaseNote is a dated note about a client, by a member of staff. Its text is sealed at rest, every
// edit keeps the earlier text, and a restricted note is seen only by the organisation's
// safeguarding leads and its author.
type CaseNote struct {
	ID         string
	ClientID   string
	OrgID      string
	AuthorID   string
	AuthorName string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Text       string
	Restricted bool
	// Version increases with each edit; an edit based on an older version is refused.
	Version int
	// History holds earlier versions, newest first, when the note was read with its history.
	History []NoteVersion
}

// NoteVersion is an earlier text of a case note.
type NoteVersion struct {
	Version    int
	Text       string
	EditedAt   time.Time
	EditedByID string
	EditedBy   string
}

// MaxNoteLength bounds a case note.
const MaxNoteLength = 10000

// ValidateNote checks a note's text.
func ValidateNote(text string) error {
	switch t := strings.TrimSpace(text); {
	case t == "":
		return Invalid(map[string]string{"text": "Enter the note"})
	case len(t) > MaxNoteLength:
		return Invalid(map[string]string{"text": "A note must be 10,000 characters or fewer. Split it into two notes"})
	}
	return nil
}

// MaySeeNote reports whether the actor may read a note of their own organisation's client.
func (a Actor) MaySeeNote(n *CaseNote) bool {
	return !n.Restricted || a.Role == RoleSafeguardingLead || a.UserID == n.AuthorID
}

// NoteService stores case notes. Every read and change is audited; notes of another
// organisation's client answer ENOTFOUND, and restricted notes are invisible to those who may not
// see them.
type NoteService interface {
	// AddNote adds a note to a client of the actor's organisation. EINVALID, ENOTFOUND.
	AddNote(ctx context.Context, actor Actor, clientID, text string, restricted bool) (*CaseNote, error)
	// UpdateNote replaces a note's text, keeping the old one. Only its author or a safeguarding
	// lead may; ECONFLICT when the note changed since version.
	UpdateNote(ctx context.Context, actor Actor, clientID, noteID string, version int, text string) (*CaseNote, error)
	// FindNotes lists the notes the actor may see, newest first, with their history.
	FindNotes(ctx context.Context, actor Actor, clientID string) ([]*CaseNote, error)
}
