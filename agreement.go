package waymark

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Sharing special category data between agencies is only right under an agreement, for stated
// purposes, on a recorded lawful basis (DOMAIN.md §6). A data sharing agreement records which
// organisations share, why, on what basis, from when until when, and when it is next reviewed.

// LawfulBasis is the ground in data protection law on which personal data is shared: the UK GDPR
// Article 6 basis, with the Article 9 condition (or Data Protection Act 2018 Schedule 1 condition)
// that special category data also needs.
type LawfulBasis string

// The lawful bases.
const (
	BasisConsent      LawfulBasis = "consent"
	BasisSafeguarding LawfulBasis = "safeguarding"
)

var lawfulBases = optionSet{
	{"consent", "Consent (UK GDPR Articles 6(1)(a) and 9(2)(a))"},
	{"safeguarding", "Safeguarding of children and individuals at risk (Article 6(1)(e); DPA 2018 Schedule 1 paragraph 18)"},
	{"vital_interests", "Vital interests: to protect someone's life (Articles 6(1)(d) and 9(2)(c))"},
	{"legal_obligation", "Legal obligation (Article 6(1)(c); DPA 2018 Schedule 1 paragraph 6)"},
	{"public_task", "Public task (Article 6(1)(e); DPA 2018 Schedule 1 paragraph 6)"},
	{"crime_prevention", "Preventing or detecting crime (Article 6(1)(e); DPA 2018 Schedule 1 paragraph 10)"},
}

// Valid reports whether b is one of the lawful bases.
func (b LawfulBasis) Valid() bool { return lawfulBases.valid(string(b)) }

// Label is the basis as people read it.
func (b LawfulBasis) Label() string { return lawfulBases.label(string(b)) }

// LawfulBasisOptions lists the lawful bases for forms.
func LawfulBasisOptions() []Option { return lawfulBases.options() }

// SharingPurpose is what shared data is for.
type SharingPurpose string

var sharingPurposes = optionSet{
	{"support", "Supporting the person"},
	{"referral", "Referrals between services"},
	{"safeguarding", "Safeguarding"},
	{"case_conference", "Multi-agency case conferences"},
	{"investigation", "Police investigation of modern slavery offences"},
	{"statistics", "Statistics and contract monitoring, without names"},
}

// Label is the purpose as people read it.
func (p SharingPurpose) Label() string { return sharingPurposes.label(string(p)) }

// SharingPurposeOptions lists the purposes for forms.
func SharingPurposeOptions() []Option { return sharingPurposes.options() }

// AgreementStatus is where an agreement stands as its parties recorded it; whether it is in force
// on a day also depends on its dates (see InForce).
type AgreementStatus string

// The statuses.
const (
	AgreementDraft      AgreementStatus = "draft"
	AgreementActive     AgreementStatus = "active"
	AgreementSuspended  AgreementStatus = "suspended"
	AgreementTerminated AgreementStatus = "terminated"
)

var agreementStatuses = optionSet{
	{"draft", "Draft: not yet signed"},
	{"active", "Signed and active"},
	{"suspended", "Suspended"},
	{"terminated", "Terminated"},
}

// Label is the status as people read it.
func (s AgreementStatus) Label() string { return agreementStatuses.label(string(s)) }

// AgreementStatusOptions lists the statuses for forms.
func AgreementStatusOptions() []Option { return agreementStatuses.options() }

// DataSharingAgreement is an agreement between two or more organisations to share personal data.
type DataSharingAgreement struct {
	ID    string
	Title string
	// Reference is the agreement's own reference, for example the signed document's number.
	Reference string
	// OrgIDs are the parties, in the order given; OrgNames their names when read back. The
	// organisation that records the agreement is always a party.
	OrgIDs      []string
	OrgNames    []string
	Purposes    []SharingPurpose
	LawfulBasis LawfulBasis
	// StartOn, EndOn and ReviewOn are dates, "YYYY-MM-DD"; EndOn is empty for an agreement with
	// no end date.
	StartOn, EndOn, ReviewOn string
	Status                   AgreementStatus
	// RecordedByOrgID is the organisation that recorded it: its admins keep it up to date.
	RecordedByOrgID string
	// ConfirmedOrgIDs are the parties whose admins confirmed the agreement as recorded (the
	// recording organisation's confirmation goes with recording it). An agreement binds a party
	// only once it has confirmed: one organisation cannot sign for another.
	ConfirmedOrgIDs []string
	Version         int
	UpdatedBy       string
	UpdatedAt       time.Time
}

// MaxAgreementParties is the most organisations one agreement may name.
const MaxAgreementParties = 20

// Validate checks the agreement and says how to fix each problem. Field keys: title, reference,
// org_ids, purposes, lawful_basis, start_on, end_on, review_on, status.
func (a *DataSharingAgreement) Validate() error {
	a.Title, a.Reference = strings.TrimSpace(a.Title), strings.TrimSpace(a.Reference)
	a.StartOn, a.EndOn, a.ReviewOn = strings.TrimSpace(a.StartOn), strings.TrimSpace(a.EndOn), strings.TrimSpace(a.ReviewOn)
	f := map[string]string{}
	checkText(f, "title", a.Title, "Enter a title for the agreement, for example Leeds modern slavery partnership", 200)
	checkText(f, "reference", a.Reference, "", 100)
	switch parties := uniqueNonEmpty(a.OrgIDs); {
	case len(parties) < 2:
		f["org_ids"] = "Choose at least one other organisation that is a party to the agreement"
	case len(parties) > MaxAgreementParties:
		f["org_ids"] = "An agreement may name 20 organisations at most"
	default:
		a.OrgIDs = parties
	}
	var purposes []SharingPurpose
	for _, p := range a.Purposes {
		if !slices.Contains(purposes, p) {
			purposes = append(purposes, p)
		}
	}
	a.Purposes = purposes
	if len(a.Purposes) == 0 {
		f["purposes"] = "Choose what the shared data is for"
	}
	for _, p := range a.Purposes {
		if !sharingPurposes.valid(string(p)) {
			f["purposes"] = "Choose the purposes from the list"
		}
	}
	if !a.LawfulBasis.Valid() {
		f["lawful_basis"] = "Choose the lawful basis for sharing from the list"
	}
	if !isDate(a.StartOn) {
		f["start_on"] = "Enter the date the agreement starts as day, month and year"
	}
	switch {
	case a.EndOn == "":
	case !isDate(a.EndOn):
		f["end_on"] = "Enter the date the agreement ends as day, month and year, or leave it blank if it has no end date"
	case isDate(a.StartOn) && a.EndOn < a.StartOn:
		f["end_on"] = "The end date must be on or after the start date"
	}
	switch {
	case !isDate(a.ReviewOn):
		f["review_on"] = "Enter the date the agreement is next reviewed as day, month and year"
	case isDate(a.StartOn) && a.ReviewOn < a.StartOn:
		f["review_on"] = "The review date must be on or after the start date"
	}
	if !agreementStatuses.valid(string(a.Status)) {
		f["status"] = "Choose the agreement's status from the list"
	}
	return invalid(f)
}

func uniqueNonEmpty(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// InForce reports whether the agreement is active on the London date today: signed, started and
// not ended.
func (a *DataSharingAgreement) InForce(today string) bool {
	return a.Status == AgreementActive && a.StartOn <= today && (a.EndOn == "" || today <= a.EndOn)
}

// Covers reports whether the agreement, in force on today, lets the two organisations share for
// the purpose: both are parties and both have confirmed it.
func (a *DataSharingAgreement) Covers(orgA, orgB string, purpose SharingPurpose, today string) bool {
	return a.InForce(today) && a.Confirmed(orgA) && a.Confirmed(orgB) && slices.Contains(a.Purposes, purpose)
}

// Confirmed reports whether the organisation is a party that has confirmed the agreement.
func (a *DataSharingAgreement) Confirmed(orgID string) bool {
	return slices.Contains(a.OrgIDs, orgID) && slices.Contains(a.ConfirmedOrgIDs, orgID)
}

// Unconfirmed names the parties that have not yet confirmed the agreement.
func (a *DataSharingAgreement) Unconfirmed() []string {
	var out []string
	for i, id := range a.OrgIDs {
		if !slices.Contains(a.ConfirmedOrgIDs, id) && i < len(a.OrgNames) {
			out = append(out, a.OrgNames[i])
		}
	}
	return out
}

// SameTerms reports whether b has the terms the parties confirmed in a: the parties, purposes,
// lawful basis and dates in force. A change to any of them must be confirmed again; a change of
// title, reference, review date or status need not be.
func (a *DataSharingAgreement) SameTerms(b *DataSharingAgreement) bool {
	same := func(x, y []string) bool {
		x, y = slices.Clone(x), slices.Clone(y)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	}
	purposes := func(p []SharingPurpose) []string {
		out := make([]string, len(p))
		for i, x := range p {
			out[i] = string(x)
		}
		return out
	}
	return same(a.OrgIDs, b.OrgIDs) && same(purposes(a.Purposes), purposes(b.Purposes)) && a.LawfulBasis == b.LawfulBasis &&
		a.StartOn == b.StartOn && a.EndOn == b.EndOn
}

// AgreementWarningDays is how far ahead the list warns of an agreement's end or review.
const AgreementWarningDays = 60

// Warnings says, in words, what needs attention on the London date today: an end or review date
// within AgreementWarningDays or past.
func (a *DataSharingAgreement) Warnings(today string) []string {
	var out []string
	soon := AddDays(today, AgreementWarningDays)
	switch {
	case a.Status != AgreementActive:
	case a.EndOn != "" && a.EndOn < today:
		out = append(out, "Ended on "+FormatDay(a.EndOn)+": sharing under it has stopped")
	case a.EndOn != "" && a.EndOn <= soon:
		out = append(out, "Ends on "+FormatDay(a.EndOn)+": renew it or sharing under it stops")
	}
	switch {
	case a.Status == AgreementTerminated, a.EndOn != "" && a.EndOn < today:
		// An agreement that has ended needs renewing, not reviewing.
		return out
	case a.ReviewOn < today:
		out = append(out, "Review overdue since "+FormatDay(a.ReviewOn))
	case a.ReviewOn <= soon:
		out = append(out, "Review due on "+FormatDay(a.ReviewOn))
	}
	if waiting := a.Unconfirmed(); len(waiting) > 0 && a.Status != AgreementTerminated {
		out = append(out, "Not yet confirmed by "+strings.Join(waiting, ", ")+": nothing is shared with them under it")
	}
	return out
}

// AgreementService keeps the data sharing agreements. Each organisation sees the agreements it is
// a party to; another organisation's agreement answers ENOTFOUND. Changes are audited.
type AgreementService interface {
	// CreateAgreement records an agreement the actor's organisation is a party to (added when
	// missing). Needs PermManageAgreements (EFORBIDDEN); EINVALID, also for a party that is not an
	// organisation of the region.
	CreateAgreement(ctx context.Context, actor Actor, a *DataSharingAgreement) error
	// UpdateAgreement replaces an agreement recorded by the actor's organisation; version is the
	// current one (ECONFLICT otherwise). A party that did not record it gets EFORBIDDEN, any other
	// organisation ENOTFOUND. EINVALID as CreateAgreement.
	UpdateAgreement(ctx context.Context, actor Actor, id string, version int, a *DataSharingAgreement) error
	// FindAgreement reads one agreement the actor's organisation is a party to. Needs
	// PermViewAgreements (EFORBIDDEN); ENOTFOUND.
	FindAgreement(ctx context.Context, actor Actor, id string) (*DataSharingAgreement, error)
	// FindAgreements lists the agreements the actor's organisation is a party to, soonest end or
	// review first. Needs PermViewAgreements (EFORBIDDEN).
	FindAgreements(ctx context.Context, actor Actor) ([]*DataSharingAgreement, error)
	// ConfirmAgreement records that the actor's organisation, a party, confirms the agreement at
	// version (ECONFLICT if it changed since). Needs PermManageAgreements (EFORBIDDEN); ENOTFOUND
	// for an agreement the organisation is not a party to. Audited.
	ConfirmAgreement(ctx context.Context, actor Actor, id string, version int) error
	// WithdrawConfirmation records that the actor's organisation no longer holds to the agreement:
	// it covers no sharing with that party from then on, whoever recorded it, until the party
	// confirms it again. As ConfirmAgreement for permissions and errors; ECONFLICT also when the
	// organisation had not confirmed it. Audited.
	WithdrawConfirmation(ctx context.Context, actor Actor, id string, version int) error
}
