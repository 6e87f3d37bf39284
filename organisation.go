package waymark

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgType is the kind of organisation, from the sector's own vocabulary (DOMAIN.md §2).
type OrgType string

// The organisation types.
const (
	OrgHomelessOutreach       OrgType = "homelessness_outreach"
	OrgHomelessHostel         OrgType = "homelessness_hostel"
	OrgHomelessDayCentre      OrgType = "homelessness_day_centre"
	OrgHomelessSupportedHouse OrgType = "homelessness_supported_housing"
	OrgLAHousing              OrgType = "la_housing"
	OrgLAAdultSocialCare      OrgType = "la_adult_social_care"
	OrgLAChildrensServices    OrgType = "la_childrens_services"
	OrgPolice                 OrgType = "police"
	OrgHealth                 OrgType = "health"
	OrgAntiSlaveryCharity     OrgType = "anti_slavery_charity"
	OrgVictimCareProvider     OrgType = "victim_care_provider"
	OrgLegalAdvice            OrgType = "legal_immigration_advice"
	OrgOther                  OrgType = "other"
)

// OrgTypes lists every organisation type in display order.
var OrgTypes = []OrgType{
	OrgHomelessOutreach, OrgHomelessHostel, OrgHomelessDayCentre, OrgHomelessSupportedHouse,
	OrgLAHousing, OrgLAAdultSocialCare, OrgLAChildrensServices, OrgPolice, OrgHealth,
	OrgAntiSlaveryCharity, OrgVictimCareProvider, OrgLegalAdvice, OrgOther,
}

var orgTypeLabels = map[OrgType]string{
	OrgHomelessOutreach:       "Homelessness service: outreach",
	OrgHomelessHostel:         "Homelessness service: hostel",
	OrgHomelessDayCentre:      "Homelessness service: day centre",
	OrgHomelessSupportedHouse: "Homelessness service: supported housing",
	OrgLAHousing:              "Local authority housing",
	OrgLAAdultSocialCare:      "Local authority adult social care",
	OrgLAChildrensServices:    "Local authority children's services",
	OrgPolice:                 "Police force",
	OrgHealth:                 "Health (NHS)",
	OrgAntiSlaveryCharity:     "Anti-slavery charity",
	OrgVictimCareProvider:     "Victim care contract provider",
	OrgLegalAdvice:            "Legal or immigration advice",
	OrgOther:                  "Other",
}

// Valid reports whether t is one of the types.
func (t OrgType) Valid() bool { _, ok := orgTypeLabels[t]; return ok }

// Label is the type's name as people read it.
func (t OrgType) Label() string {
	if l, ok := orgTypeLabels[t]; ok {
		return l
	}
	return string(t)
}

// IsHomelessnessService reports whether t is one of the homelessness service types.
func (t OrgType) IsHomelessnessService() bool { return strings.HasPrefix(string(t), "homelessness_") }

// Organisation is an agency that uses Waymark.
type Organisation struct {
	ID   string
	Name string
	Type OrgType
	// Area is the local authority area the organisation mainly works in, used by contract monitoring.
	Area string
	// FirstResponder is set for First Responder Organisations, the only ones that may submit NRM referrals.
	FirstResponder bool
	// SpecifiedPublicAuthority is set for authorities under the Duty to Notify (local authorities, police).
	SpecifiedPublicAuthority bool
	// RequireTwoStep makes two-step sign-in compulsory for every user of the organisation.
	RequireTwoStep bool
	Disabled       bool
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Validate checks the organisation's fields and says how to fix each one that is wrong.
func (o *Organisation) Validate() error {
	o.Name = strings.TrimSpace(o.Name)
	o.Area = strings.TrimSpace(o.Area)
	f := map[string]string{}
	checkText(f, "name", o.Name, "Enter the organisation's name", 200)
	if !o.Type.Valid() {
		f["type"] = "Select the type of organisation"
	}
	checkText(f, "area", o.Area, "", 100)
	return invalid(f)
}

// OrganisationUpdate holds the changes to an organisation; nil fields stay as they are.
type OrganisationUpdate struct {
	Name                     *string
	Type                     *OrgType
	Area                     *string
	FirstResponder           *bool
	SpecifiedPublicAuthority *bool
	RequireTwoStep           *bool
	Disabled                 *bool
}

// Apply writes the update's fields into o.
func (u OrganisationUpdate) Apply(o *Organisation) {
	if u.Name != nil {
		o.Name = *u.Name
	}
	if u.Type != nil {
		o.Type = *u.Type
	}
	if u.Area != nil {
		o.Area = *u.Area
	}
	if u.FirstResponder != nil {
		o.FirstResponder = *u.FirstResponder
	}
	if u.SpecifiedPublicAuthority != nil {
		o.SpecifiedPublicAuthority = *u.SpecifiedPublicAuthority
	}
	if u.RequireTwoStep != nil {
		o.RequireTwoStep = *u.RequireTwoStep
	}
	if u.Disabled != nil {
		o.Disabled = *u.Disabled
	}
}

// OrganisationService manages organisations. Every change is audited in its own transaction.
type OrganisationService interface {
	// FindOrganisationByID returns the organisation. System admins may read any; other users only
	// their own (ENOTFOUND otherwise, so that others' existence does not leak).
	FindOrganisationByID(ctx context.Context, actor Actor, id string) (*Organisation, error)
	// FindOrganisations lists organisations by name. System admins only (EFORBIDDEN).
	FindOrganisations(ctx context.Context, actor Actor, page Page) ([]*Organisation, int, error)
	// FindDirectory lists the region's organisations that are not disabled, by name, so that staff
	// can name a partner (a support provider, a First Responder to refer through). Any signed-in
	// user may read it: it holds what organisations are, never anything about clients.
	FindDirectory(ctx context.Context, actor Actor) ([]*Organisation, error)
	// CreateOrganisation creates an organisation and its data key. System admins only; EINVALID, ECONFLICT.
	CreateOrganisation(ctx context.Context, actor Actor, o *Organisation) error
	// UpdateOrganisation changes an organisation. System admins only; EINVALID, ENOTFOUND.
	UpdateOrganisation(ctx context.Context, actor Actor, id string, u OrganisationUpdate) (*Organisation, error)
}

// checkText records in f what is wrong with a single-line text field: empty when required (missing
// says how to fill it; "" when optional), longer than max bytes, or holding control characters.
func checkText(f map[string]string, field, value, missing string, max int) {
	switch {
	case value == "" && missing != "":
		f[field] = missing
	case len(value) > max:
		f[field] = fmt.Sprintf("This must be %d characters or fewer", max)
	case hasControl(value):
		f[field] = "This must not contain control characters such as tabs or line breaks"
	}
}

// checkLongText records in f what is wrong with a text field of several lines, such as an
// explanation: longer than max characters, or holding control characters other than tabs and line
// breaks.
func checkLongText(f map[string]string, field, value string, max int) {
	switch {
	case utf8.RuneCountInString(value) > max:
		f[field] = "This must be " + thousands(max) + " characters or fewer"
	case hasControl(strings.NewReplacer("\r", "", "\n", "", "\t", "").Replace(value)):
		f[field] = "This must not contain control characters: type or paste it again as plain text"
	}
}

// thousands writes a whole number as people read it, with commas: 5,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// hasControl reports whether s holds control characters, line breaks included: single-line fields
// are shown in tables and stored in newline-separated lists.
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}
