package waymark

import (
	"context"
	"strings"
	"time"
)

// Case conferences (issue 6, item 5): organisations meet to discuss people at risk, as a
// multi-agency panel. A conference has a chair organisation and attending organisations; its
// agenda holds cases put there by the organisation that keeps each record, only when every other
// attendee may see the record or when the owner marks it for discussion without sharing, with a
// reason. Minutes and actions of a case are shown only to organisations that may see the case,
// checked on every request, so that a revoked share or withdrawn consent hides them at once.

// ConferenceStatus is where a conference stands.
type ConferenceStatus string

// The statuses.
const (
	ConferenceScheduled ConferenceStatus = "scheduled"
	ConferenceHeld      ConferenceStatus = "held"
	ConferenceCancelled ConferenceStatus = "cancelled"
)

var conferenceStatuses = optionSet{
	{"scheduled", "Scheduled"},
	{"held", "Held"},
	{"cancelled", "Cancelled"},
}

// Label is the status as people read it.
func (s ConferenceStatus) Label() string { return conferenceStatuses.label(string(s)) }

// ConferenceStatusOptions lists the statuses for forms.
func ConferenceStatusOptions() []Option { return conferenceStatuses.options() }

// MaxConferenceOrgs is the most organisations one conference may have attending.
const MaxConferenceOrgs = 20

// Conference is one meeting of a multi-agency panel.
type Conference struct {
	ID           string
	ChairOrgID   string
	ChairOrgName string
	Title        string
	// HeldOn is the London date of the meeting, "YYYY-MM-DD".
	HeldOn string
	// AttendingOrgIDs are the organisations attending, the chair first; AttendingOrgNames their
	// names when read back. The chair always attends.
	AttendingOrgIDs   []string
	AttendingOrgNames []string
	Status            ConferenceStatus
	CreatedBy         string
	CreatedAt         time.Time
	Version           int
}

// Upcoming reports whether the conference is still to be held on the London date today.
func (c *Conference) Upcoming(today string) bool {
	return c.Status == ConferenceScheduled && c.HeldOn >= today
}

// Attends reports whether the organisation attends the conference.
func (c *Conference) Attends(orgID string) bool {
	for _, id := range c.AttendingOrgIDs {
		if id == orgID {
			return true
		}
	}
	return false
}

// Validate checks the conference and says how to fix each problem; the chair is put first among
// the attendees when missing. Field keys: title, held_on, org_ids, status.
func (c *Conference) Validate() error {
	c.Title, c.HeldOn = strings.TrimSpace(c.Title), strings.TrimSpace(c.HeldOn)
	f := map[string]string{}
	checkText(f, "title", c.Title, "Enter a title for the conference, for example Leeds MARAC-style modern slavery panel", 200)
	if !isDate(c.HeldOn) {
		f["held_on"] = "Enter the date of the conference as day, month and year, for example 27 11 2026"
	}
	orgs := uniqueNonEmpty(append([]string{c.ChairOrgID}, c.AttendingOrgIDs...))
	switch {
	case len(orgs) < 2:
		f["org_ids"] = "Choose at least one other organisation that attends"
	case len(orgs) > MaxConferenceOrgs:
		f["org_ids"] = "A conference may have 20 organisations attending at most"
	default:
		c.AttendingOrgIDs = orgs
	}
	if c.Status == "" {
		c.Status = ConferenceScheduled
	}
	if !conferenceStatuses.valid(string(c.Status)) {
		f["status"] = "Choose the conference's status from the list"
	}
	return invalid(f)
}

// CaseVisibility is how much of a case on the agenda the viewer's organisation may see.
type CaseVisibility string

// The visibilities.
const (
	// CaseOwned: the viewer's organisation keeps the record.
	CaseOwned CaseVisibility = "owner"
	// CaseSharedNamed: an active share with the viewer's organisation includes who they are.
	CaseSharedNamed CaseVisibility = "shared_identity"
	// CaseShared: an active share without who they are.
	CaseShared CaseVisibility = "shared"
	// CaseNotShared: the viewer's organisation may not see the case: no minutes, no actions.
	CaseNotShared CaseVisibility = "not_shared"
)

// MaySee reports whether the viewer's organisation may see the case's minutes and actions.
func (v CaseVisibility) MaySee() bool {
	return v == CaseOwned || v == CaseSharedNamed || v == CaseShared
}

// ConferenceCase is a client's case on a conference's agenda, as one viewer's organisation may see it.
type ConferenceCase struct {
	ConferenceID string
	// ClientID is empty when the viewer's organisation may not see the case.
	ClientID                 string
	OwnerOrgID, OwnerOrgName string
	AddedAt                  time.Time
	// WithoutSharing is set when the owner put the case on the agenda though not every attendee
	// may see it; Reason says why (shown only to organisations that may see the case).
	WithoutSharing bool
	Reason         string
	// Visibility is what the viewer's organisation may see; ClientName is set only when it may
	// see who they are, and Sections lists what an active share with it includes.
	Visibility CaseVisibility
	ClientName string
	Sections   []ShareSection
}

// Label names the case for the viewer: by name only where who they are may be seen.
func (c *ConferenceCase) Label() string {
	switch {
	case c.ClientName != "":
		return c.ClientName
	case c.Visibility.MaySee():
		labels := make([]string, len(c.Sections))
		for i, s := range c.Sections {
			labels[i] = strings.ToLower(s.Label()[:1]) + s.Label()[1:]
			if j := strings.Index(labels[i], ":"); j > 0 {
				labels[i] = labels[i][:j]
			}
		}
		return "A case from " + c.OwnerOrgName + " (shared with you: " + strings.Join(labels, "; ") + ")"
	}
	return "A case from " + c.OwnerOrgName + ", not shared with your organisation"
}

// ActionStatus is where an action of a conference stands.
type ActionStatus string

// The statuses.
const (
	ActionOpen      ActionStatus = "open"
	ActionDone      ActionStatus = "done"
	ActionCancelled ActionStatus = "cancelled"
)

var actionStatuses = optionSet{
	{"open", "Open"},
	{"done", "Done"},
	{"cancelled", "Cancelled"},
}

// Label is the status as people read it.
func (s ActionStatus) Label() string { return actionStatuses.label(string(s)) }

// Valid reports whether s is one of the statuses.
func (s ActionStatus) Valid() bool { return actionStatuses.valid(string(s)) }

// ActionStatusOptions lists the statuses for forms.
func ActionStatusOptions() []Option { return actionStatuses.options() }

// ConferenceAction is something a conference agreed someone will do, about one case or (ClientID
// "") about the conference's work as a whole.
type ConferenceAction struct {
	ID           string
	ConferenceID string
	ClientID     string
	Text         string
	// OwnerOrgID is the attending organisation responsible; Owner the person there, in words.
	OwnerOrgID, OwnerOrgName string
	Owner                    string
	DueOn                    string
	Status                   ActionStatus
	Version                  int
	UpdatedAt                time.Time
}

// Validate checks the action and says how to fix each problem. Field keys: text, owner_org_id,
// owner, due_on, status.
func (a *ConferenceAction) Validate() error {
	a.Text, a.Owner, a.DueOn, a.OwnerOrgID = strings.TrimSpace(a.Text), strings.TrimSpace(a.Owner), strings.TrimSpace(a.DueOn), strings.TrimSpace(a.OwnerOrgID)
	f := map[string]string{}
	checkText(f, "text", a.Text, "Say what is to be done", 2000)
	if a.OwnerOrgID == "" {
		f["owner_org_id"] = "Choose the organisation responsible for the action"
	}
	checkText(f, "owner", a.Owner, "Enter the name of the person responsible, for example Sam Patel", 200)
	if !isDate(a.DueOn) {
		f["due_on"] = "Enter the date the action is due as day, month and year, for example 11 12 2026"
	}
	if a.Status == "" {
		a.Status = ActionOpen
	}
	if !a.Status.Valid() {
		f["status"] = "Choose the action's status from the list"
	}
	return invalid(f)
}

// CaseMinutes are the minutes of one case's discussion at a conference.
type CaseMinutes struct {
	Text          string
	Version       int
	UpdatedByName string
	UpdatedAt     time.Time
}

// MaxMinutes is the longest minutes of one case may be, in characters.
const MaxMinutes = 20000

// ConferenceDetail is a conference as one viewer sees it: its agenda, each case labelled for the
// viewer, and its conference-wide actions.
type ConferenceDetail struct {
	Conference *Conference
	Cases      []*ConferenceCase
	Actions    []*ConferenceAction
}

// ConferenceCaseDetail is one case of a conference with its minutes and actions, for an
// organisation that may see the case.
type ConferenceCaseDetail struct {
	Conference *Conference
	Case       *ConferenceCase
	Minutes    CaseMinutes
	Actions    []*ConferenceAction
}

// ClientConferences is, for a client's sharing page, the upcoming conferences the client is on
// and those the actor's organisation attends to which the client may be added.
type ClientConferences struct {
	On        []*Conference
	Available []*Conference
}

// ConferenceService keeps case conferences. A conference exists only for staff of its attending
// organisations (the chair among them) with PermViewConferences: anyone else gets ENOTFOUND.
// Every read and change is audited; a read or change of a case's minutes or actions by another
// organisation is also audited in the owner's log against the client.
type ConferenceService interface {
	// CreateConference records a conference chaired by the actor's organisation. Needs
	// PermManageConferences (EFORBIDDEN); EINVALID, also for an attendee that is not an
	// organisation of the region.
	CreateConference(ctx context.Context, actor Actor, c *Conference) error
	// UpdateConference changes the title, date, status and attendees of a conference the actor's
	// organisation chairs; version is the current one (ECONFLICT otherwise). PermManageConferences;
	// an attendee that does not chair gets EFORBIDDEN, anyone else ENOTFOUND; EINVALID, also when
	// an organisation whose cases are on the agenda would stop attending.
	UpdateConference(ctx context.Context, actor Actor, id string, version int, c *Conference) error
	// FindConferences lists the conferences the actor's organisation attends, latest first.
	// PermViewConferences (EFORBIDDEN). Audited.
	FindConferences(ctx context.Context, actor Actor) ([]*Conference, error)
	// FindConference reads a conference with its agenda labelled for the actor's organisation and
	// its conference-wide actions. PermViewConferences; ENOTFOUND. Audited.
	FindConference(ctx context.Context, actor Actor, id string) (*ConferenceDetail, error)
	// AddCase puts a client of the actor's organisation on the agenda of a conference it
	// attends. Needs PermShareCases (EFORBIDDEN). EINVALID unless every other attending
	// organisation has an active share of the client, or withoutSharing is set with a reason.
	// ENOTFOUND for a conference or client the actor may not see; ECONFLICT when already on it.
	AddCase(ctx context.Context, actor Actor, conferenceID, clientID string, withoutSharing bool, reason string) error
	// RemoveCase takes the owner's case off the agenda. PermShareCases; ENOTFOUND; EINVALID once
	// minutes or actions are recorded for it.
	RemoveCase(ctx context.Context, actor Actor, conferenceID, clientID string) error
	// FindConferenceCase reads a case's minutes and actions. PermViewConferences; ENOTFOUND
	// unless the actor's organisation attends and may see the case today. Audited.
	FindConferenceCase(ctx context.Context, actor Actor, conferenceID, clientID string) (*ConferenceCaseDetail, error)
	// SaveMinutes replaces a case's minutes at version (0 for none yet; ECONFLICT otherwise).
	// PermManageConferences; ENOTFOUND as FindConferenceCase; EINVALID when too long.
	SaveMinutes(ctx context.Context, actor Actor, conferenceID, clientID string, version int, text string) error
	// AddAction records an action of a case (a.ClientID set; ENOTFOUND as FindConferenceCase,
	// and its owner organisation must be one that may see the case) or of the whole conference.
	// PermManageConferences; EINVALID.
	AddAction(ctx context.Context, actor Actor, conferenceID string, a *ConferenceAction) error
	// SetActionStatus changes an action's status at version (ECONFLICT otherwise).
	// PermManageConferences; ENOTFOUND for an action the actor may not see; EINVALID.
	SetActionStatus(ctx context.Context, actor Actor, conferenceID, actionID string, version int, status ActionStatus) error
	// FindClientConferences lists, for a client of the actor's organisation, the upcoming
	// conferences it is on and those its organisation attends. PermViewClients; ENOTFOUND.
	FindClientConferences(ctx context.Context, actor Actor, clientID string) (*ClientConferences, error)
}

// ConferencePurposes are the purposes of a share that let a case conference show the partner the
// case: a share for multi-agency case conferences, or for safeguarding the person, which is what a
// panel is for. A share for police investigation, support or referrals alone shows a panel nothing.
var ConferencePurposes = []SharingPurpose{"case_conference", "safeguarding"}
