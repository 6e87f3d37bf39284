package waymark

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Referrals between organisations (issue 4, item 7; DOMAIN.md §4 and §6): one organisation asks a
// partner organisation of the region to help a client, and sends with the request only what the
// referrer explicitly chose to share. The recipient never reads the client's record: it reads the
// copy of the chosen values taken when the referral was sent (the snapshot), and nothing else. The
// referral is the recipient's to accept, decline (with a reason) and complete, and the sender's to
// withdraw (with a reason) while it is still open.

// ReferralStatus is where a referral is in its life.
type ReferralStatus string

// The statuses of a referral.
const (
	ReferralSent      ReferralStatus = "sent"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralDeclined  ReferralStatus = "declined"
	ReferralCompleted ReferralStatus = "completed"
	ReferralWithdrawn ReferralStatus = "withdrawn"
)

var referralStatuses = optionSet{
	{"sent", "New"}, {"accepted", "Accepted"}, {"declined", "Declined"}, {"completed", "Completed"}, {"withdrawn", "Withdrawn"},
}

// Valid reports whether s is one of the statuses.
func (s ReferralStatus) Valid() bool { return referralStatuses.valid(string(s)) }

// Label is the status as people read it.
func (s ReferralStatus) Label() string { return referralStatuses.label(string(s)) }

// Open reports whether the referral still waits for someone: sent or accepted.
func (s ReferralStatus) Open() bool { return s == ReferralSent || s == ReferralAccepted }

// ReferralAction is a change of a referral's status.
type ReferralAction string

// The actions on a referral: the recipient accepts, declines and completes; the sender withdraws.
const (
	ReferralAccept   ReferralAction = "accept"
	ReferralDecline  ReferralAction = "decline"
	ReferralComplete ReferralAction = "complete"
	ReferralWithdraw ReferralAction = "withdraw"
)

// ReferralActions lists every action, in the order a referral meets them.
var ReferralActions = []ReferralAction{ReferralAccept, ReferralDecline, ReferralComplete, ReferralWithdraw}

// ReferralParty is the side of a referral the actor is on.
type ReferralParty string

// The parties to a referral.
const (
	PartySender    ReferralParty = "sender"
	PartyRecipient ReferralParty = "recipient"
)

// referralRules are every allowed change: from which status, by which party, to which status.
// Anything not listed is refused.
var referralRules = map[ReferralAction]struct {
	party ReferralParty
	from  []ReferralStatus
	to    ReferralStatus
}{
	ReferralAccept:   {PartyRecipient, []ReferralStatus{ReferralSent}, ReferralAccepted},
	ReferralDecline:  {PartyRecipient, []ReferralStatus{ReferralSent}, ReferralDeclined},
	ReferralComplete: {PartyRecipient, []ReferralStatus{ReferralAccepted}, ReferralCompleted},
	ReferralWithdraw: {PartySender, []ReferralStatus{ReferralSent, ReferralAccepted}, ReferralWithdrawn},
}

// NeedsReason reports whether the action must say why: a decline and a withdrawal must.
func (a ReferralAction) NeedsReason() bool { return a == ReferralDecline || a == ReferralWithdraw }

// Allowed reports whether party may take the action on a referral in status from.
func (a ReferralAction) Allowed(party ReferralParty, from ReferralStatus) bool {
	rule, ok := referralRules[a]
	return ok && rule.party == party && slices.Contains(rule.from, from)
}

// Transition checks a change of status and returns the new status. Errors: EINVALID for an unknown
// action or a missing or over-long reason (field "reason"); EFORBIDDEN when the other party takes
// the action; ECONFLICT when the referral's status no longer allows it (someone acted first).
func Transition(from ReferralStatus, a ReferralAction, party ReferralParty, reason string) (ReferralStatus, error) {
	rule, ok := referralRules[a]
	switch {
	case !ok:
		return from, Errorf(EINVALID, "Choose accept, decline, complete or withdraw.")
	case rule.party != party:
		if party == PartySender {
			return from, Errorf(EFORBIDDEN, "Only the organisation the referral was sent to can do that.")
		}
		return from, Errorf(EFORBIDDEN, "Only the organisation that sent the referral can withdraw it.")
	case !slices.Contains(rule.from, from):
		return from, Errorf(ECONFLICT, "This referral is now %s, so it cannot be changed that way. Read it as it is now.", strings.ToLower(from.Label()))
	}
	reason = strings.TrimSpace(reason)
	if a.NeedsReason() && reason == "" {
		if a == ReferralDecline {
			return from, Invalid(map[string]string{"reason": "Say why you are declining the referral, so the referrer can find other help"})
		}
		return from, Invalid(map[string]string{"reason": "Say why you are withdrawing the referral"})
	}
	if len(reason) > MaxReferralReason {
		return from, Invalid(map[string]string{"reason": "This must be 5,000 characters or fewer"})
	}
	return rule.to, nil
}

// ShareField is one item of what a referrer may choose to share, from a closed list: only what a
// recipient may need to decide and to make contact, never case notes or accounts of exploitation.
type ShareField string

// The items a referral may share.
const (
	ShareName              ShareField = "name"
	ShareKnownAs           ShareField = "known_as"
	ShareDateOfBirth       ShareField = "date_of_birth"
	ShareGender            ShareField = "gender"
	ShareNationalities     ShareField = "nationalities"
	ShareLanguages         ShareField = "languages"
	ShareSafeContacts      ShareField = "safe_contacts"
	ShareConcernStatus     ShareField = "concern_status"
	ShareExploitationTypes ShareField = "exploitation_types"
	ShareSituation         ShareField = "situation"
	ShareSupportNeeds      ShareField = "support_needs"
	ShareRiskLevel         ShareField = "risk_level"
)

var shareFields = optionSet{
	{"name", "Name"},
	{"known_as", "Other names they are known by"},
	{"date_of_birth", "Date of birth or age"},
	{"gender", "Gender"},
	{"nationalities", "Nationalities"},
	{"languages", "Languages, and whether they need an interpreter"},
	{"safe_contacts", "Contact details marked safe to use"},
	{"concern_status", "Modern slavery concern"},
	{"exploitation_types", "Types of exploitation"},
	{"situation", "Where they are living now"},
	{"support_needs", "Support needs"},
	{"risk_level", "Risk of being exploited again"},
}

// Valid reports whether f is one of the items.
func (f ShareField) Valid() bool { return shareFields.valid(string(f)) }

// Label is the item as people read it.
func (f ShareField) Label() string { return shareFields.label(string(f)) }

// ShareFieldOptions lists the items for forms, in the order the referral shows them.
func ShareFieldOptions() []Option { return shareFields.options() }

// NormalizeShared returns the chosen items once each, in the list's order, and whether all were valid.
func NormalizeShared(in []ShareField) ([]ShareField, bool) {
	ok := true
	for _, f := range in {
		ok = ok && f.Valid()
	}
	var out []ShareField
	for _, o := range shareFields {
		if slices.Contains(in, ShareField(o.value)) {
			out = append(out, ShareField(o.value))
		}
	}
	return out, ok
}

// ReferralSnapshot is the copy of the client's details a referral carries: only the items the
// referrer chose, as they were when it was sent. Items not chosen are empty and are left out of
// its JSON.
type ReferralSnapshot struct {
	GivenName         string          `json:"given_name,omitempty"`
	FamilyName        string          `json:"family_name,omitempty"`
	KnownAs           []string        `json:"known_as,omitempty"`
	DateOfBirth       string          `json:"date_of_birth,omitempty"`
	EstimatedAge      int             `json:"estimated_age,omitempty"`
	AgeDisputed       bool            `json:"age_disputed,omitempty"`
	Gender            Gender          `json:"gender,omitempty"`
	Nationalities     []string        `json:"nationalities,omitempty"`
	NationalityAnswer Answer          `json:"nationality_answer,omitempty"`
	Languages         []string        `json:"languages,omitempty"`
	InterpreterNeeded Answer          `json:"interpreter_needed,omitempty"`
	SafeContacts      []SharedContact `json:"safe_contacts,omitempty"`
	ConcernStatus     ConcernStatus   `json:"concern_status,omitempty"`
	ExploitationTypes []string        `json:"exploitation_types,omitempty"`
	Situation         Situation       `json:"situation,omitempty"`
	SupportNeeds      []SupportNeed   `json:"support_needs,omitempty"`
	RiskLevel         string          `json:"risk_level,omitempty"`
}

// SharedContact is a contact detail shared with a referral: only those marked safe to use are.
type SharedContact struct {
	Kind  ContactKind `json:"kind"`
	Value string      `json:"value"`
}

// Name is the shared name as lists show it, or "" when no name was shared.
func (s ReferralSnapshot) Name() string {
	if n := strings.TrimSpace(s.GivenName + " " + s.FamilyName); n != "" {
		return n
	}
	if len(s.KnownAs) > 0 {
		return s.KnownAs[0]
	}
	return ""
}

// TakeSnapshot copies from the client only the chosen items: the live record is read once, here,
// when the referral is sent. episodes give the types of exploitation and risk is the latest
// re-exploitation risk level. Only contact details marked safe to use are ever copied.
func TakeSnapshot(c *Client, episodes []*ExploitationEpisode, risk string, fields []ShareField) ReferralSnapshot {
	var s ReferralSnapshot
	for _, f := range fields {
		switch f {
		case ShareName:
			s.GivenName, s.FamilyName = c.GivenName, c.FamilyName
		case ShareKnownAs:
			s.KnownAs = slices.Clone(c.KnownAs)
		case ShareDateOfBirth:
			s.DateOfBirth, s.EstimatedAge, s.AgeDisputed = c.DateOfBirth, c.EstimatedAge, c.AgeDisputed
		case ShareGender:
			s.Gender = c.Gender
		case ShareNationalities:
			s.Nationalities, s.NationalityAnswer = slices.Clone(c.Nationalities), c.NationalityAnswer
		case ShareLanguages:
			s.Languages, s.InterpreterNeeded = slices.Clone(c.Languages), c.InterpreterNeeded
		case ShareSafeContacts:
			for _, ct := range c.Contacts {
				if ct.SafeToContact == AnswerYes {
					s.SafeContacts = append(s.SafeContacts, SharedContact{Kind: ct.Kind, Value: ct.Value})
				}
			}
		case ShareConcernStatus:
			s.ConcernStatus = c.ConcernStatus
		case ShareExploitationTypes:
			for _, e := range episodes {
				for _, t := range e.Types {
					if !slices.Contains(s.ExploitationTypes, t) {
						s.ExploitationTypes = append(s.ExploitationTypes, t)
					}
				}
			}
		case ShareSituation:
			s.Situation = c.Situation
		case ShareSupportNeeds:
			s.SupportNeeds = slices.Clone(c.SupportNeeds)
		case ShareRiskLevel:
			s.RiskLevel = risk
		}
	}
	return s
}

// SharedItem is one shared item as the referral page shows it: its label and its values in words.
type SharedItem struct {
	Field  ShareField
	Label  string
	Values []string
}

// Items lists the snapshot's values for the fields, in words, one entry per field; an item shared
// but not recorded says so.
func (s ReferralSnapshot) Items(fields []ShareField) []SharedItem {
	var out []SharedItem
	for _, f := range fields {
		var v []string
		add := func(x string) {
			if x != "" {
				v = append(v, x)
			}
		}
		switch f {
		case ShareName:
			add(strings.TrimSpace(s.GivenName + " " + s.FamilyName))
		case ShareKnownAs:
			v = append(v, s.KnownAs...)
		case ShareDateOfBirth:
			if s.DateOfBirth != "" {
				add("Born " + s.DateOfBirth)
			} else if s.EstimatedAge > 0 {
				add("About " + strconv.Itoa(s.EstimatedAge) + " years old")
			}
			if s.AgeDisputed {
				add("Age disputed")
			}
		case ShareGender:
			add(s.Gender.Label())
		case ShareNationalities:
			for _, c := range s.Nationalities {
				add(CountryName(c))
			}
			if s.NationalityAnswer != AnswerNotRecorded {
				add(s.NationalityAnswer.Label())
			}
		case ShareLanguages:
			for _, l := range s.Languages {
				add(LanguageName(l))
			}
			if s.InterpreterNeeded != AnswerNotRecorded {
				add("Interpreter needed: " + s.InterpreterNeeded.Label())
			}
		case ShareSafeContacts:
			for _, c := range s.SafeContacts {
				add(c.Kind.Label() + ": " + c.Value)
			}
		case ShareConcernStatus:
			if s.ConcernStatus != "" {
				add(s.ConcernStatus.Label())
			}
		case ShareExploitationTypes:
			for _, t := range s.ExploitationTypes {
				add(ExploitationLabel("types", t))
			}
		case ShareSituation:
			add(s.Situation.Label())
		case ShareSupportNeeds:
			for _, n := range s.SupportNeeds {
				add(n.Label())
			}
		case ShareRiskLevel:
			if s.RiskLevel != "" {
				add(ExploitationLabel("risk", s.RiskLevel))
			}
		}
		out = append(out, SharedItem{Field: f, Label: f.Label(), Values: v})
	}
	return out
}

// MaxReferralReason bounds the reason for a referral.
const MaxReferralReason = 5000

// Referral is one organisation's request to another for help with a client, with the explicitly
// chosen minimum of the client's details.
type Referral struct {
	ID string
	// ClientID is the sender's client. The recipient is never shown it: it cannot use it, and the
	// client's record stays the sender's.
	ClientID  string
	FromOrgID string
	// FromOrgName and ToOrgName are the organisations' names, read back.
	FromOrgName string
	ToOrgID     string
	ToOrgName   string
	// DirectoryServiceID and DirectoryServiceName name a service of the referral routes directory
	// the referral is for, when it is for one: plain text until the directory is built, when the
	// recipient organisation will be named from it. Empty for a referral to an organisation.
	DirectoryServiceID   string
	DirectoryServiceName string
	// Reason is why the client is referred and what is asked of the recipient. Sealed at rest.
	Reason string
	// Shared lists what the referrer chose to share; Snapshot holds exactly those values, copied
	// when the referral was sent. Sealed at rest.
	Shared   []ShareField
	Snapshot ReferralSnapshot
	Status   ReferralStatus
	// Who made each change, and when; the reasons for a decline or a withdrawal are sealed at rest.
	SentBy, SentByName           string
	SentAt                       time.Time
	AcceptedBy, AcceptedByName   string
	AcceptedAt                   *time.Time
	DeclinedBy, DeclinedByName   string
	DeclinedAt                   *time.Time
	DeclineReason                string
	CompletedBy, CompletedByName string
	CompletedAt                  *time.Time
	WithdrawnBy, WithdrawnByName string
	WithdrawnAt                  *time.Time
	WithdrawReason               string
	// ShareSections and SharePurpose are the parts of the client's record a safeguarding lead
	// chose to share with the recipient when it accepts (issue 6, item 6); none for most referrals.
	// On acceptance ShareID names the share made, or ShareRefusal says why none was ("Not
	// shared: ..."). ShareActive is set, on a read by the recipient, while that share lets it see
	// the record.
	ShareSections []ShareSection
	SharePurpose  SharingPurpose
	ShareID       string
	ShareRefusal  string
	ShareActive   bool
	// Version counts changes, so that a change based on an old version is refused.
	Version int
}

// SharesOnAcceptance reports whether the referral asks for parts of the record to be shared when
// the recipient accepts.
func (r *Referral) SharesOnAcceptance() bool { return len(r.ShareSections) > 0 || r.SharePurpose != "" }

// ShareOnAcceptance is the share the referral asks for when the recipient accepts.
func (r *Referral) ShareOnAcceptance() *CaseShare {
	return &CaseShare{PartnerOrgID: r.ToOrgID, Purpose: r.SharePurpose, Sections: slices.Clone(r.ShareSections)}
}

// PartyOf says which side of the referral an organisation is on, or "" for neither.
func (r *Referral) PartyOf(orgID string) ReferralParty {
	switch orgID {
	case r.FromOrgID:
		return PartySender
	case r.ToOrgID:
		return PartyRecipient
	}
	return ""
}

// Items are the shared values, in words.
func (r *Referral) Items() []SharedItem { return r.Snapshot.Items(r.Shared) }

// ClosedAt is when the referral was declined, completed or withdrawn, or nil while it is open.
func (r *Referral) ClosedAt() *time.Time {
	switch r.Status {
	case ReferralDeclined:
		return r.DeclinedAt
	case ReferralCompleted:
		return r.CompletedAt
	case ReferralWithdrawn:
		return r.WithdrawnAt
	}
	return nil
}

// Validate checks a referral about to be sent. Field keys: to_org_id, reason, shared,
// directory_service_id, share_sections, share_purpose. The store checks the recipient is another active organisation.
func (r *Referral) Validate() error {
	r.Reason, r.ToOrgID = strings.TrimSpace(r.Reason), strings.TrimSpace(r.ToOrgID)
	r.DirectoryServiceID, r.DirectoryServiceName = strings.TrimSpace(r.DirectoryServiceID), strings.TrimSpace(r.DirectoryServiceName)
	f := map[string]string{}
	if r.ToOrgID == "" {
		f["to_org_id"] = "Choose the organisation to refer to"
	}
	checkText(f, "reason", r.Reason, "Say why you are referring the person and what you are asking for", MaxReferralReason)
	var ok bool
	r.Shared, ok = NormalizeShared(r.Shared)
	switch {
	case !ok:
		f["shared"] = "Choose what to share from the list"
	case len(r.Shared) == 0:
		f["shared"] = "Choose at least one thing to share, so the organisation knows who the referral is about"
	}
	checkText(f, "directory_service_id", r.DirectoryServiceID, "", 100)
	checkText(f, "directory_service_name", r.DirectoryServiceName, "", 200)
	if r.SharesOnAcceptance() {
		// The share's own checks, named after the referral's fields.
		sh := r.ShareOnAcceptance()
		sh.PartnerOrgID = "-" // the recipient is checked above
		for k, v := range ErrorFields(sh.Validate()) {
			f["share_"+k] = v
		}
		r.ShareSections = sh.Sections
	}
	return invalid(f)
}

// ReferralFilter selects an organisation's inbound referrals.
type ReferralFilter struct {
	// Status is "new" (sent), "accepted" or "closed" (declined, completed or withdrawn); empty for all.
	Status string
	Page   Page
}

// ReferralFilterOptions are the inbound queue's status filters.
func ReferralFilterOptions() []Option {
	return []Option{{"new", "New"}, {"accepted", "Accepted"}, {"closed", "Closed"}, {"", "All"}}
}

// ValidReferralFilter reports whether status is one of the filters.
func ValidReferralFilter(status string) bool {
	return slices.ContainsFunc(ReferralFilterOptions(), func(o Option) bool { return o.Value == status })
}

// ClientReferrals is what the sender sees on a client: the referrals sent, newest first, and the
// values each item would share if sent now, for the form's preview.
type ClientReferrals struct {
	Client    *Client
	Referrals []*Referral
	Preview   ReferralSnapshot
}

// ReferralService sends and answers referrals between organisations. Only frontline workers,
// safeguarding leads and managers send and receive them (EFORBIDDEN for other roles). Every read is
// audited as a view of the client it is about; every change is audited in its own transaction.
// A referral is visible to its two organisations only: to anyone else it is ENOTFOUND.
type ReferralService interface {
	// SendReferral sends a referral about one of the actor's organisation's clients to another
	// active organisation. EINVALID, ENOTFOUND (client).
	SendReferral(ctx context.Context, actor Actor, clientID string, r *Referral) error
	// FindClientReferrals lists the referrals sent about a client, with the preview. ENOTFOUND for
	// another organisation's client.
	FindClientReferrals(ctx context.Context, actor Actor, clientID string) (*ClientReferrals, error)
	// FindInbound lists the referrals sent to the actor's organisation, newest first, with their
	// snapshots opened. EINVALID for an unknown filter.
	FindInbound(ctx context.Context, actor Actor, f ReferralFilter) ([]*Referral, int, error)
	// CountNewInbound counts the referrals sent to the actor's organisation that nobody there has
	// answered yet, for the home page. A count names nobody, so it is not audited.
	CountNewInbound(ctx context.Context, actor Actor) (int, error)
	// FindReferral reads one referral as either of its organisations sees it. ENOTFOUND otherwise.
	FindReferral(ctx context.Context, actor Actor, id string) (*Referral, error)
	// ActOnReferral changes the referral's status (see Transition). version must be the version the
	// change is based on; ECONFLICT otherwise.
	ActOnReferral(ctx context.Context, actor Actor, id string, version int, a ReferralAction, reason string) (*Referral, error)
}
