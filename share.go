package waymark

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Case sharing (DOMAIN.md §6): a safeguarding lead shares a client's record, whole or by sections,
// with a partner organisation, only where a data sharing agreement in force covers both
// organisations for the purpose and the client's consent (or another lawful basis) covers sharing
// with that organisation. Partner staff see exactly the shared sections. A share stops the moment
// it is revoked, the consent is withdrawn or lapses, or the agreement ends: each is checked on every
// request.

// ShareSection is a part of a client's record that may be shared.
type ShareSection string

// The sections.
const (
	SectionIdentity ShareSection = "identity"
	SectionHistory  ShareSection = "history"
	SectionPathway  ShareSection = "pathway"
	SectionSupport  ShareSection = "support"
	SectionMoveOn   ShareSection = "move_on"
)

var shareSections = optionSet{
	{"identity", "Who they are: names, age, gender, nationality, languages, immigration status"},
	{"history", "Modern slavery history: exploitation episodes and the risk of it happening again"},
	{"pathway", "Pathway and NRM: the route, the referral and the decisions"},
	{"support", "Support and where they have lived"},
	{"move_on", "Life after support: the move-on plan and the follow-ups"},
}

// Label is the section as people read it.
func (s ShareSection) Label() string { return shareSections.label(string(s)) }

// ShareSectionOptions lists the sections for forms.
func ShareSectionOptions() []Option { return shareSections.options() }

// AllShareSections lists every section: a share of the whole record.
func AllShareSections() []ShareSection {
	out := make([]ShareSection, len(shareSections))
	for i, o := range shareSections {
		out[i] = ShareSection(o.value)
	}
	return out
}

// CaseShare is one client's record shared with one partner organisation.
type CaseShare struct {
	ID       string
	ClientID string
	// OwnerOrgID keeps the record; PartnerOrgID sees the sections shared.
	OwnerOrgID, PartnerOrgID     string
	OwnerOrgName, PartnerOrgName string
	Purpose                      SharingPurpose
	Sections                     []ShareSection
	// AllowContributions lets the partner add notes and the support it gives (see
	// ShareContribution); otherwise the share is read-only.
	AllowContributions     bool
	SharedBy, SharedByName string
	SharedAt               time.Time
	// RevokedAt is set once the owner revoked it, with who and why.
	RevokedAt    *time.Time
	RevokedBy    string
	RevokeReason string
}

// Shows reports whether the share includes the section.
func (s *CaseShare) Shows(section ShareSection) bool { return slices.Contains(s.Sections, section) }

// Validate checks the share's own fields (the store checks the agreement and the consent) and says
// how to fix each problem. Field keys: partner_org_id, purpose, sections.
func (s *CaseShare) Validate() error {
	s.PartnerOrgID = strings.TrimSpace(s.PartnerOrgID)
	f := map[string]string{}
	if s.PartnerOrgID == "" {
		f["partner_org_id"] = "Choose the organisation to share with"
	}
	if !sharingPurposes.valid(string(s.Purpose)) || s.Purpose == "statistics" {
		f["purpose"] = "Choose what the sharing is for from the list"
	}
	var sections []ShareSection
	for _, x := range s.Sections {
		if !shareSections.valid(string(x)) {
			f["sections"] = "Choose the parts of the record from the list"
		} else if !slices.Contains(sections, x) {
			sections = append(sections, x)
		}
	}
	s.Sections = sections
	if len(s.Sections) == 0 && f["sections"] == "" {
		f["sections"] = "Choose at least one part of the record to share"
	}
	return invalid(f)
}

// ShareState is whether a share lets the partner see the record today, or why not.
type ShareState string

// The states.
const (
	ShareActive          ShareState = "active"
	ShareRevoked         ShareState = "revoked"
	ShareNoAgreement     ShareState = "no_agreement"
	ShareConsentEnded    ShareState = "consent_ended"
	ShareOrganisationOff ShareState = "organisation_disabled"
)

var shareStates = optionSet{
	{"active", "Shared"},
	{"revoked", "Revoked"},
	{"no_agreement", "Stopped: no data sharing agreement in force covers it"},
	{"consent_ended", "Stopped: consent withdrawn, refused or lapsed"},
	{"organisation_disabled", "Stopped: the partner organisation no longer uses Waymark"},
}

// Label is the state as people read it.
func (s ShareState) Label() string { return shareStates.label(string(s)) }

// ShareStateFor works out a share's state from its own revocation, whether the partner
// organisation is still enabled, whether an agreement in force covers the two organisations for the
// share's purpose (see DataSharingAgreement.Covers) and the client's consent position.
func ShareStateFor(s *CaseShare, partnerDisabled, agreementCovers bool, consent ConsentPosition) ShareState {
	switch {
	case s.RevokedAt != nil:
		return ShareRevoked
	case partnerDisabled:
		return ShareOrganisationOff
	case !agreementCovers:
		return ShareNoAgreement
	case !consent.SharingWith(s.PartnerOrgID).State.Allows():
		return ShareConsentEnded
	}
	return ShareActive
}

// SharedRecord is what a partner sees of a shared client: the sections shared and, within each,
// only the fields listed here, built once by the store for the page and the API alike. Free text
// and reference numbers, which may name the person, are left out unless who they are is shared;
// staff names and the owner's record IDs never leave the owner.
type SharedRecord struct {
	Share *CaseShare
	// Client holds only what IdentityOnly keeps; nil when who they are is not shared.
	Client  *Client
	History *SharedHistory
	Pathway *SharedPathway
	Support *SharedSupport
	MoveOn  *SharedMoveOn
	// Contributions are what the reader's own organisation added to the record, newest first.
	Contributions []*ShareContribution
}

// SharedHistory is the modern slavery history section.
type SharedHistory struct {
	Episodes []SharedEpisode `json:"episodes"`
	// RiskLevel is the latest re-exploitation risk level ("" when not assessed), and RiskOn the
	// date it was assessed.
	RiskLevel string `json:"risk_level"`
	RiskOn    string `json:"risk_on"`
}

// SharedEpisode is an exploitation episode as shared: its account only with identity.
type SharedEpisode struct {
	Types     []string `json:"types"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	Recency   string   `json:"recency"`
	Ongoing   Answer   `json:"ongoing"`
	Under18   Answer   `json:"under_18"`
	Location  string   `json:"location"`
	Narrative string   `json:"narrative,omitempty"`
}

// SharedPathway is the pathway and NRM section: dates and outcomes, no notes or references.
type SharedPathway struct {
	ReferredOn   []string          `json:"referred_on"`
	Decisions    []SharedDecision  `json:"decisions"`
	Milestones   []SharedMilestone `json:"milestones"`
	DutyToNotify []string          `json:"duty_to_notify"`
}

// SharedDecision is an NRM decision as shared.
type SharedDecision struct {
	Stage     DecisionStage   `json:"stage"`
	Outcome   DecisionOutcome `json:"outcome"`
	DecidedOn string          `json:"decided_on"`
}

// SharedMilestone is an NRM milestone as shared.
type SharedMilestone struct {
	Kind MilestoneKind `json:"kind"`
	On   string        `json:"on"`
}

// SharedSupport is the support and housing section.
type SharedSupport struct {
	Actions []SharedSupportAction `json:"actions"`
	Housing []SharedHousing       `json:"housing"`
}

// SharedSupportAction is a support action as shared: what, by which provider, when, how it went.
type SharedSupportAction struct {
	Type     SupportType    `json:"type"`
	Provider string         `json:"provider"`
	Start    string         `json:"start"`
	End      string         `json:"end"`
	Outcome  SupportOutcome `json:"outcome"`
}

// SharedHousing is a period of the housing history as shared.
type SharedHousing struct {
	Situation Situation `json:"situation"`
	From      string    `json:"from"`
	To        string    `json:"to"`
}

// SharedMoveOn is the life after support section: what is in place and how the follow-ups went.
type SharedMoveOn struct {
	SupportEndsOn       string              `json:"support_ends_on"`
	AccommodationType   AccommodationType   `json:"accommodation_type"`
	AccommodationStatus AccommodationStatus `json:"accommodation_status"`
	HousingDuty         HousingDuty         `json:"housing_duty"`
	Benefits            []BenefitClaim      `json:"benefits"`
	GPRegistered        Answer              `json:"gp_registered"`
	Employment          Employment          `json:"employment"`
	FollowUps           []SharedFollowUp    `json:"follow_ups"`
}

// SharedFollowUp is a recorded follow-up as shared: the answers, not the notes or attempts.
type SharedFollowUp struct {
	Months              int    `json:"months"`
	DueOn               string `json:"due_on"`
	Contacted           bool   `json:"contacted"`
	StableAccommodation Answer `json:"stable_accommodation"`
	RoughSleeping       Answer `json:"rough_sleeping"`
	ReExploited         Answer `json:"re_exploited"`
	InContact           Answer `json:"in_contact"`
}

// IdentityOnly returns a copy of the client with only what the identity section shares: names,
// date of birth or age, gender, nationalities, languages, interpreter needs and immigration
// status. Contact details, notes, address and references stay with the owner.
func IdentityOnly(c *Client) *Client {
	return &Client{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName, KnownAs: slices.Clone(c.KnownAs), DateOfBirth: c.DateOfBirth,
		EstimatedAge: c.EstimatedAge, AgeDisputed: c.AgeDisputed, Gender: c.Gender, Nationalities: slices.Clone(c.Nationalities),
		NationalityAnswer: c.NationalityAnswer, Languages: slices.Clone(c.Languages), InterpreterNeeded: c.InterpreterNeeded,
		ImmigrationStatus: c.ImmigrationStatus, ConcernStatus: c.ConcernStatus}
}

// ShareService shares clients' records with partner organisations and shows partners what was
// shared. Every change is audited against the client in the owner's log; every partner read is
// audited there too, so the owner sees who has seen the record.
type ShareService interface {
	// ShareCase shares a client of the actor's organisation. Needs PermShareCases (safeguarding
	// leads; EFORBIDDEN). EINVALID when no agreement in force covers both organisations for the
	// purpose, or the client's consent (or another lawful basis) does not cover sharing with the
	// partner, or the partner is the actor's own or not an organisation of the region. ENOTFOUND.
	ShareCase(ctx context.Context, actor Actor, clientID string, s *CaseShare) error
	// RevokeShare revokes a share of a client of the actor's organisation, with a reason.
	// PermShareCases; ENOTFOUND; EINVALID without a reason; ECONFLICT when already revoked.
	RevokeShare(ctx context.Context, actor Actor, clientID, shareID, reason string) error
	// FindShares lists a client's shares with each one's state today. Needs PermViewClients;
	// ENOTFOUND for another organisation's client.
	FindShares(ctx context.Context, actor Actor, clientID string) ([]*CaseShare, []ShareState, error)
	// FindSharedWithMe lists a page of the active shares with the actor's organisation
	// (PermViewSharedClients), newest first, with each client's name when identity is shared, and
	// how many active shares there are. Audited as a list view.
	FindSharedWithMe(ctx context.Context, actor Actor, p Page) ([]*CaseShare, []string, int, error)
	// FindSharedRecord reads what an active share shows; ENOTFOUND for a share that is not with the
	// actor's organisation or not active today. Audited against the client in the owner's log.
	FindSharedRecord(ctx context.Context, actor Actor, shareID string) (*SharedRecord, error)
	// FindRecordViews lists, newest first, who in partner organisations has read a client's shared
	// record, from the owner's audit log. Needs PermViewClients; ENOTFOUND for another
	// organisation's client.
	FindRecordViews(ctx context.Context, actor Actor, clientID string) ([]RecordView, error)
	// ContributionService: what partners add to shared records where the share allows it.
	ContributionService
}

// RecordView is one read of a shared record by a partner organisation's member of staff, or (Listed)
// one sight of the person's name in the list of records shared with it.
type RecordView struct {
	At                time.Time
	UserName, OrgName string
	Listed            bool
	// Conference is set for a sight at a case conference: the person named on its agenda, or
	// the case's minutes and actions read.
	Conference bool
}
