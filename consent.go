package waymark

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Consent to use and share a person's record (DOMAIN.md §6). For each purpose the person gives,
// refuses or withdraws consent, or a safeguarding lead records another lawful basis with the
// justification and who decided. The latest record for a purpose (for sharing: for each named
// organisation) is the position; withdrawing takes effect at once. This is not the consent to an
// NRM referral, which the pathway records (NRMConsent).

// ConsentPurpose is what a consent record is about.
type ConsentPurpose string

// The purposes.
const (
	ConsentForSupport    ConsentPurpose = "support"
	ConsentForReferral   ConsentPurpose = "referral"
	ConsentForSharing    ConsentPurpose = "sharing"
	ConsentForStatistics ConsentPurpose = "statistics"
)

var consentPurposes = optionSet{
	{"support", "Support from this organisation, and keeping their record"},
	{"referral", "Referrals to other services"},
	{"sharing", "Sharing their record with named organisations"},
	{"statistics", "Use in statistics: counted, never named"},
}

// Label is the purpose as people read it.
func (p ConsentPurpose) Label() string { return consentPurposes.label(string(p)) }

// ConsentPurposes lists the purposes in the order the client page shows them.
func ConsentPurposes() []ConsentPurpose {
	out := make([]ConsentPurpose, len(consentPurposes))
	for i, o := range consentPurposes {
		out[i] = ConsentPurpose(o.value)
	}
	return out
}

// ConsentPurposeOptions lists the purposes for forms.
func ConsentPurposeOptions() []Option { return consentPurposes.options() }

// ConsentDecision is the person's answer.
type ConsentDecision string

// The decisions.
const (
	ConsentDecisionGiven     ConsentDecision = "given"
	ConsentDecisionRefused   ConsentDecision = "refused"
	ConsentDecisionWithdrawn ConsentDecision = "withdrawn"
)

var consentDecisions = optionSet{
	{"given", "Given"},
	{"refused", "Refused"},
	{"withdrawn", "Withdrawn"},
}

// Label is the decision as people read it.
func (d ConsentDecision) Label() string { return consentDecisions.label(string(d)) }

// ConsentDecisionOptions lists the decisions for forms.
func ConsentDecisionOptions() []Option { return consentDecisions.options() }

// ConsentRecord is one consent given, refused or withdrawn, or another lawful basis recorded.
type ConsentRecord struct {
	ID       string
	ClientID string
	OrgID    string
	Purpose  ConsentPurpose
	// Basis is BasisConsent for the person's own answer (Decision); any other basis is recorded by
	// a safeguarding lead, with Justification and DecidedBy, and has no Decision.
	Basis    LawfulBasis
	Decision ConsentDecision
	// OrgIDs are the organisations a sharing record names (OrgNames when read back).
	OrgIDs   []string
	OrgNames []string
	// On is the date of the answer or decision, "YYYY-MM-DD"; ExpiresOn, if set, when it lapses.
	On        string
	ExpiresOn string
	// HowExplained says how the person was told what they were agreeing to (an interpreter, an
	// easy-read leaflet); Justification why another basis applies. Both are sealed at rest.
	HowExplained  string
	Justification string
	// DecidedBy names who decided on another basis, for example "Sam Okafor, designated
	// safeguarding lead".
	DecidedBy      string
	RecordedBy     string
	RecordedByName string
	RecordedAt     time.Time
}

// Validate checks the record against the London date of now and says how to fix each problem.
// Field keys: purpose, basis, decision, org_ids, on, expires_on, how_explained, justification,
// decided_by.
func (r *ConsentRecord) Validate(now time.Time) error {
	r.On, r.ExpiresOn = strings.TrimSpace(r.On), strings.TrimSpace(r.ExpiresOn)
	r.HowExplained, r.Justification, r.DecidedBy = strings.TrimSpace(r.HowExplained), strings.TrimSpace(r.Justification), strings.TrimSpace(r.DecidedBy)
	r.OrgIDs = uniqueNonEmpty(r.OrgIDs)
	today := Today(now)
	f := map[string]string{}
	if !consentPurposes.valid(string(r.Purpose)) {
		f["purpose"] = "Choose what the consent is for from the list"
	}
	if !r.Basis.Valid() {
		f["basis"] = "Choose consent or another lawful basis from the list"
	}
	if r.Purpose == ConsentForSharing && len(r.OrgIDs) == 0 {
		f["org_ids"] = "Choose the organisations their record may or may not be shared with"
	}
	if r.Purpose != ConsentForSharing && len(r.OrgIDs) > 0 {
		f["org_ids"] = "Name organisations only for sharing"
	}
	checkPastDate(f, today, "on", r.On, "of the answer or decision")
	switch {
	case r.ExpiresOn == "":
	case r.Basis == BasisConsent && r.Decision != ConsentDecisionGiven:
		f["expires_on"] = "Leave the lapse date blank: a refusal or withdrawal stands until the person changes their mind"
	case !isDate(r.ExpiresOn):
		f["expires_on"] = "Enter the date it lapses as day, month and year, or leave it blank"
	case r.ExpiresOn <= today:
		f["expires_on"] = "The date it lapses must be in the future"
	}
	checkLongText(f, "how_explained", r.HowExplained, 1000)
	checkLongText(f, "justification", r.Justification, 5000)
	checkText(f, "decided_by", r.DecidedBy, "", 200)
	if r.Basis == BasisConsent {
		if !consentDecisions.valid(string(r.Decision)) {
			f["decision"] = "Choose whether consent was given, refused or withdrawn"
		}
		if r.Decision == ConsentDecisionGiven && r.HowExplained == "" {
			f["how_explained"] = "Say how it was explained to them: consent is only informed if they understood what they agreed to"
		}
		if r.Justification != "" || r.DecidedBy != "" {
			f["justification"] = "Leave the justification blank: it is for another lawful basis, not consent"
		}
	} else if r.Basis.Valid() {
		if r.Decision != "" {
			f["decision"] = "Leave the person's answer blank for another lawful basis"
		}
		if len(r.Justification) < 20 {
			f["justification"] = "Explain why this lawful basis applies, in a sentence or more"
		}
		if r.DecidedBy == "" {
			f["decided_by"] = "Enter who decided, with their role"
		}
	}
	return invalid(f)
}

// ConsentState is where one purpose (for sharing: one organisation) stands.
type ConsentState string

// The states.
const (
	StateNotAsked   ConsentState = "not_asked"
	StateGiven      ConsentState = "given"
	StateRefused    ConsentState = "refused"
	StateWithdrawn  ConsentState = "withdrawn"
	StateLapsed     ConsentState = "lapsed"
	StateOtherBasis ConsentState = "other_basis"
)

var consentStates = optionSet{
	{"not_asked", "Not asked"},
	{"given", "Consent given"},
	{"refused", "Consent refused"},
	{"withdrawn", "Consent withdrawn"},
	{"lapsed", "Lapsed"},
	{"other_basis", "Another lawful basis"},
}

// Label is the state as people read it.
func (s ConsentState) Label() string { return consentStates.label(string(s)) }

// Allows reports whether the state lets the purpose go ahead.
func (s ConsentState) Allows() bool { return s == StateGiven || s == StateOtherBasis }

// ConsentStanding is one purpose's (or sharing organisation's) position and the record behind it.
type ConsentStanding struct {
	Purpose ConsentPurpose
	// OrgID and OrgName are the organisation, for sharing.
	OrgID, OrgName string
	State          ConsentState
	Record         *ConsentRecord
}

// ConsentPosition is a client's consent at a glance, on a date: each purpose, and sharing with
// each organisation ever named.
type ConsentPosition struct {
	Purposes []ConsentStanding
	Sharing  []ConsentStanding
}

// ConsentPositionOf works out the position on the London date today from a client's records in
// order (by their date, then as recorded): for each purpose (for sharing, each organisation) the
// latest record decides.
func ConsentPositionOf(records []*ConsentRecord, today string) ConsentPosition {
	state := func(r *ConsentRecord) ConsentState {
		switch {
		case r == nil:
			return StateNotAsked
		case r.ExpiresOn != "" && r.ExpiresOn <= today:
			return StateLapsed
		case r.Basis != BasisConsent:
			return StateOtherBasis
		case r.Decision == ConsentDecisionGiven:
			return StateGiven
		case r.Decision == ConsentDecisionRefused:
			return StateRefused
		}
		return StateWithdrawn
	}
	var p ConsentPosition
	for _, purpose := range ConsentPurposes() {
		if purpose == ConsentForSharing {
			continue
		}
		var latest *ConsentRecord
		for _, r := range records {
			if r.Purpose == purpose {
				latest = r
			}
		}
		p.Purposes = append(p.Purposes, ConsentStanding{Purpose: purpose, State: state(latest), Record: latest})
	}
	for _, r := range records {
		if r.Purpose != ConsentForSharing {
			continue
		}
		for i, org := range r.OrgIDs {
			name := ""
			if i < len(r.OrgNames) {
				name = r.OrgNames[i]
			}
			s := ConsentStanding{Purpose: ConsentForSharing, OrgID: org, OrgName: name, State: state(r), Record: r}
			if j := slices.IndexFunc(p.Sharing, func(x ConsentStanding) bool { return x.OrgID == org }); j >= 0 {
				p.Sharing[j] = s
			} else {
				p.Sharing = append(p.Sharing, s)
			}
		}
	}
	return p
}

// For returns the standing of a purpose other than sharing.
func (p ConsentPosition) For(purpose ConsentPurpose) ConsentStanding {
	for _, s := range p.Purposes {
		if s.Purpose == purpose {
			return s
		}
	}
	return ConsentStanding{Purpose: purpose, State: StateNotAsked}
}

// SharingWith returns the standing of sharing with the organisation.
func (p ConsentPosition) SharingWith(orgID string) ConsentStanding {
	for _, s := range p.Sharing {
		if s.OrgID == orgID {
			return s
		}
	}
	return ConsentStanding{Purpose: ConsentForSharing, OrgID: orgID, State: StateNotAsked}
}

// ExcludedFromStatistics reports whether the person refused or withdrew consent to being counted:
// every statistic leaves them out. Not asked, or lapsed, still counts them, as nobody is named.
func (p ConsentPosition) ExcludedFromStatistics() bool {
	s := p.For(ConsentForStatistics).State
	return s == StateRefused || s == StateWithdrawn
}

// Overrides lists the standings that rest on a lawful basis other than consent: managers see
// them in reports.
func (p ConsentPosition) Overrides() []ConsentStanding {
	var out []ConsentStanding
	for _, s := range append(slices.Clone(p.Purposes), p.Sharing...) {
		if s.State == StateOtherBasis {
			out = append(out, s)
		}
	}
	return out
}

// ConsentHistory is a client's consent records, oldest first (by date, then as recorded), and the
// position they give today.
type ConsentHistory struct {
	Client   *Client
	Records  []*ConsentRecord
	Position ConsentPosition
}

// ConsentService records and reads clients' consent. Another organisation's client answers
// ENOTFOUND; reads are audited views, records audited changes.
type ConsentService interface {
	// RecordConsent records consent given, refused or withdrawn (PermEditClients), or another
	// lawful basis (PermRecordLawfulBasis: safeguarding leads). EFORBIDDEN, EINVALID (also for a
	// named organisation that is not one of the region's), ENOTFOUND.
	RecordConsent(ctx context.Context, actor Actor, clientID string, r *ConsentRecord) error
	// FindConsents reads a client's consent records and position. Needs PermViewClients.
	FindConsents(ctx context.Context, actor Actor, clientID string) (*ConsentHistory, error)
	// FindOverrides lists, for the organisation's managers and safeguarding leads
	// (PermViewOrgTasks; EFORBIDDEN otherwise), every purpose of every client that rests today on a
	// lawful basis other than consent, newest first. Audited as a list view naming the clients.
	FindOverrides(ctx context.Context, actor Actor) ([]ConsentOverride, error)
}

// ConsentOverride is one purpose of one client that rests on a lawful basis other than consent.
type ConsentOverride struct {
	ClientID, ClientName, ClientReference string
	ConsentStanding
}
