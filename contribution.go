package waymark

import (
	"context"
	"strings"
	"time"
)

// Contributions (issue 6, item 3): a share may let the partner organisation add to the owner's
// record the notes it makes and the support it gives. What a partner adds stays part of the
// owner's record of the client (sealed with the owner's key): the owner sees every partner's
// contributions, a partner sees its own organisation's, and no third organisation sees any.

// ContributionKind is what a partner adds: a note or support given.
type ContributionKind string

// The kinds of contribution.
const (
	ContributionNote    ContributionKind = "note"
	ContributionSupport ContributionKind = "support"
)

// Label is the kind as people read it.
func (k ContributionKind) Label() string {
	if k == ContributionSupport {
		return "Support given"
	}
	return "Note"
}

// MaxContributionText bounds a contribution's text, in bytes.
const MaxContributionText = 5000

// Audit actions of contributions. (Kept here, beside the noun, rather than in audit.go.)
const (
	AuditContributionAdded   = "share.contribution_added"
	AuditContributionsViewed = "share.contributions_viewed"
)

// ShareContribution is a note or support a partner organisation added to a shared record.
type ShareContribution struct {
	ID, ShareID, ClientID string
	OwnerOrgID            string
	// PartnerOrgID added it; PartnerOrgName is its name, read back.
	PartnerOrgID, PartnerOrgName string
	Kind                         ContributionKind
	// For support: the type, the dates ("YYYY-MM-DD"; End empty while it goes on) and the
	// outcome, as a support action has them.
	SupportType SupportType
	Start, End  string
	Outcome     SupportOutcome
	// Text is the note, or what the support was. Sealed at rest with the owner's key.
	Text                 string
	AddedBy, AddedByName string
	AddedAt              time.Time
}

// Summary is the contribution in labels only, for the owner's timeline: never its text.
func (c *ShareContribution) Summary() string {
	if c.Kind == ContributionSupport {
		return "Support given by " + c.PartnerOrgName + ": " + strings.ToLower(c.SupportType.Label())
	}
	return "Note added by " + c.PartnerOrgName
}

// Validate checks a contribution against today's date in now and says how to fix each problem.
// Field keys: kind, text, support_type, start, end, outcome.
func (c *ShareContribution) Validate(now time.Time) error {
	c.Text = strings.TrimSpace(c.Text)
	c.Start, c.End = strings.TrimSpace(c.Start), strings.TrimSpace(c.End)
	f := map[string]string{}
	switch c.Kind {
	case ContributionNote:
		c.SupportType, c.Start, c.End, c.Outcome = "", "", "", ""
		if c.Text == "" {
			f["text"] = "Write the note"
		}
	case ContributionSupport:
		if !c.SupportType.Valid() {
			f["support_type"] = "Choose the type of support from the list"
		}
		checkPeriod(f, now, "start", c.Start, "end", c.End, "the support started", "the support ended")
		if !c.Outcome.Valid() {
			f["outcome"] = "Choose an outcome from the list"
		}
	default:
		f["kind"] = "Choose a note or support given"
	}
	// Notes run over several lines: their length is bounded, and other control characters refused.
	checkLongText(f, "text", c.Text, MaxContributionText)
	return invalid(f)
}

// ContributionService lets partners add to the records shared with them, where the share allows,
// and lets owners read what partners added.
type ContributionService interface {
	// AddContribution adds a note or support to a record shared with the actor's organisation.
	// Needs PermViewSharedClients and a share active today (ENOTFOUND otherwise); EFORBIDDEN when
	// the share is read-only; EINVALID. Audited in the partner's log against the share and in the
	// owner's against the client.
	AddContribution(ctx context.Context, actor Actor, shareID string, c *ShareContribution) error
	// FindContributions lists, newest first, what every partner added to a client of the actor's
	// organisation. Needs PermViewClients; ENOTFOUND for another organisation's client. Audited.
	FindContributions(ctx context.Context, actor Actor, clientID string) ([]*ShareContribution, error)
}
