package waymark

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Client is a person a service supports: who they are, where they are living, and whether, when
// and how they were exploited and supported (DOMAIN.md §3). Fields left empty are "not recorded",
// which is different from an answer of "not known" or "prefers not to say".
type Client struct {
	ID    string
	OrgID string
	// Version increases with every change; an update based on an older version is refused, so
	// concurrent edits are never silently lost.
	Version int
	// Reference is the organisation's own reference for the person (a case number).
	Reference  string
	GivenName  string
	FamilyName string
	// KnownAs holds other names: nicknames, other spellings and names used during exploitation.
	KnownAs []string
	// DateOfBirth is "YYYY-MM-DD", "YYYY-MM" or "YYYY", as precise as is known, or empty.
	DateOfBirth string
	// EstimatedAge is the person's age in years as estimated, when the date of birth is not known.
	EstimatedAge int
	// AgeDisputed is set when the person's age is in doubt: the pathway then treats them as a child.
	AgeDisputed bool
	Gender      Gender
	// Nationalities are ISO 3166-1 alpha-2 codes; NationalityAnswer records "not known" or
	// "prefers not to say" when there is no code.
	Nationalities     []string
	NationalityAnswer Answer
	// Languages are ISO 639 codes (two letters, or three where there is no two-letter code).
	Languages              []string
	InterpreterNeeded      Answer
	CommunicationAidNeeded Answer
	ImmigrationStatus      ImmigrationStatus
	// NoRecourseToPublicFunds records whether the person has no recourse to public funds (NRPF).
	NoRecourseToPublicFunds Answer
	DependentChildren       Answer
	// Contacts are sealed at rest, like Notes: stored encrypted with the organisation's key.
	Contacts     []Contact
	Situation    Situation
	SupportNeeds []SupportNeed
	// ConcernStatus is the current modern slavery concern; its changes are kept in ConcernChange rows.
	ConcernStatus ConcernStatus
	// AssignedWorkerID is the member of staff responsible, or empty.
	AssignedWorkerID string
	Notes            string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	CreatedBy        string
}

// DisplayName is how the client is shown in lists.
func (c *Client) DisplayName() string {
	if n := strings.TrimSpace(c.GivenName + " " + c.FamilyName); n != "" {
		return n
	}
	if len(c.KnownAs) > 0 {
		return c.KnownAs[0]
	}
	return ""
}

// DateOfBirthPrecision says how precisely the date of birth is known.
func (c *Client) DateOfBirthPrecision() string {
	switch {
	case len(c.DateOfBirth) == 10:
		return "exact"
	case len(c.DateOfBirth) == 7:
		return "month"
	case len(c.DateOfBirth) == 4:
		return "year"
	case c.EstimatedAge > 0:
		return "estimated_age"
	}
	return "unknown"
}

// Contact is one way to reach the person, with whether it is safe to use: traffickers may read
// post or phones.
type Contact struct {
	Kind          ContactKind
	Value         string
	SafeToContact Answer
}

// ContactKind is the kind of a contact detail.
type ContactKind string

var contactKinds = optionSet{{"phone", "Phone"}, {"email", "Email"}, {"address", "Address"}, {"other", "Other"}}

// Valid reports whether k is a known kind.
func (k ContactKind) Valid() bool { return contactKinds.valid(string(k)) }

// Label is the kind as people read it.
func (k ContactKind) Label() string { return contactKinds.label(string(k)) }

// ContactKindOptions lists the contact kinds for forms.
func ContactKindOptions() []Option { return contactKinds.options() }

// Gender uses the NRM form's options, plus "not known" (DOMAIN.md §3).
type Gender string

// The genders.
const (
	GenderNotRecorded Gender = ""
	GenderFemale      Gender = "female"
	GenderMale        Gender = "male"
	GenderOther       Gender = "other"
	GenderNotKnown    Gender = "not_known"
)

var genders = optionSet{{"female", "Female"}, {"male", "Male"}, {"other", "They do not identify as male or female"}, {"not_known", "Not known"}}

// Valid reports whether g is one of the genders, or not recorded.
func (g Gender) Valid() bool { return g == "" || genders.valid(string(g)) }

// Label is the gender as people read it.
func (g Gender) Label() string { return genders.label(string(g)) }

// GenderOptions lists the genders for forms.
func GenderOptions() []Option { return genders.options() }

// ImmigrationStatus is the person's immigration status, as far as is known.
type ImmigrationStatus string

var immigrationStatuses = optionSet{
	{"british_irish", "British or Irish citizen"},
	{"settled", "Settled status or indefinite leave to remain"},
	{"pre_settled", "Pre-settled status"},
	{"leave_to_remain", "Limited leave to remain"},
	{"asylum_seeker", "Asylum seeker (claim pending)"},
	{"refugee", "Refugee or humanitarian protection"},
	{"no_leave", "No leave to remain"},
	{"other", "Other"},
	{"not_known", "Not known"},
	{"prefers_not_to_say", "Prefers not to say"},
}

// Valid reports whether s is one of the statuses, or not recorded.
func (s ImmigrationStatus) Valid() bool { return s == "" || immigrationStatuses.valid(string(s)) }

// Label is the status as people read it.
func (s ImmigrationStatus) Label() string { return immigrationStatuses.label(string(s)) }

// ImmigrationStatusOptions lists the statuses for forms.
func ImmigrationStatusOptions() []Option { return immigrationStatuses.options() }

// Situation is where the person is living now (DOMAIN.md §3).
type Situation string

var situations = optionSet{
	{"rough_sleeping", "Rough sleeping"},
	{"hostel", "Hostel"},
	{"emergency_accommodation", "Emergency accommodation"},
	{"sofa_surfing", "Sofa surfing"},
	{"supported_housing", "Supported housing"},
	{"own_tenancy", "Own tenancy"},
	{"other", "Other"},
	{"not_known", "Not known"},
}

// Valid reports whether s is one of the situations, or not recorded.
func (s Situation) Valid() bool { return s == "" || situations.valid(string(s)) }

// Label is the situation as people read it.
func (s Situation) Label() string { return situations.label(string(s)) }

// SituationOptions lists the situations for forms.
func SituationOptions() []Option { return situations.options() }

// SupportNeed is a need the person has (DOMAIN.md §3).
type SupportNeed string

var supportNeeds = optionSet{
	{"mental_health", "Mental health"},
	{"drugs", "Drugs"},
	{"alcohol", "Alcohol"},
	{"physical_health", "Physical health"},
	{"learning_disability", "Learning disability"},
	{"other", "Other"},
}

// Valid reports whether n is one of the needs.
func (n SupportNeed) Valid() bool { return supportNeeds.valid(string(n)) }

// Label is the need as people read it.
func (n SupportNeed) Label() string { return supportNeeds.label(string(n)) }

// SupportNeedOptions lists the needs for forms.
func SupportNeedOptions() []Option { return supportNeeds.options() }

// ConcernStatus is whether there is a modern slavery concern about the person (DOMAIN.md §3).
type ConcernStatus string

// The concern statuses.
const (
	ConcernNotYetAsked ConcernStatus = "not_yet_asked"
	ConcernNone        ConcernStatus = "no_concerns"
	ConcernSuspected   ConcernStatus = "suspected"
	ConcernDisclosed   ConcernStatus = "disclosed"
	ConcernConfirmed   ConcernStatus = "confirmed"
)

var concernStatuses = optionSet{
	{"not_yet_asked", "Not yet asked"},
	{"no_concerns", "No concerns"},
	{"suspected", "Suspected"},
	{"disclosed", "Disclosed by the person"},
	{"confirmed", "Confirmed by positive conclusive grounds decision"},
}

// Valid reports whether s is one of the statuses.
func (s ConcernStatus) Valid() bool { return concernStatuses.valid(string(s)) }

// Label is the status as people read it.
func (s ConcernStatus) Label() string { return concernStatuses.label(string(s)) }

// HasConcern reports whether the status is a concern (suspected, disclosed or confirmed).
func (s ConcernStatus) HasConcern() bool {
	return s == ConcernSuspected || s == ConcernDisclosed || s == ConcernConfirmed
}

// ConcernStatusOptions lists the statuses for forms.
func ConcernStatusOptions() []Option { return concernStatuses.options() }

// ConcernChange is one dated, attributed change of a client's concern status.
type ConcernChange struct {
	At       time.Time
	Status   ConcernStatus
	ByUserID string
	ByName   string
	// Reason says why, in the worker's words. Sealed at rest.
	Reason string
}

// Validate checks the client's fields and says how to fix each one that is wrong.
func (c *Client) Validate() error {
	c.GivenName = strings.TrimSpace(c.GivenName)
	c.FamilyName = strings.TrimSpace(c.FamilyName)
	c.Reference = strings.TrimSpace(c.Reference)
	f := map[string]string{}
	if c.GivenName == "" && c.FamilyName == "" && len(c.KnownAs) == 0 {
		f["given_name"] = "Enter a name, or a name the person is known by"
	}
	for k, v := range map[string]string{"given_name": c.GivenName, "family_name": c.FamilyName, "reference": c.Reference} {
		if _, done := f[k]; !done {
			checkText(f, k, v, "", 200)
		}
	}
	if len(c.KnownAs) > 20 {
		f["known_as"] = "Record at most 20 other names"
	}
	for i, name := range c.KnownAs {
		c.KnownAs[i] = strings.TrimSpace(name)
		checkText(f, "known_as", c.KnownAs[i], "Remove the empty other name", 200)
	}
	if msg := validateDateOfBirth(c.DateOfBirth); msg != "" {
		f["date_of_birth"] = msg
	}
	switch {
	case c.EstimatedAge < 0 || c.EstimatedAge > 120:
		f["estimated_age"] = "Enter an estimated age between 1 and 120, or leave it blank"
	case c.EstimatedAge > 0 && c.DateOfBirth != "":
		f["estimated_age"] = "Give either a date of birth or an estimated age, not both"
	}
	if !c.Gender.Valid() {
		f["gender"] = "Select a gender from the list"
	}
	c.Nationalities = normalizeCodes(c.Nationalities, true)
	checkCodes(f, "nationalities", c.Nationalities, countries, "Choose each nationality from the list of countries (ISO 3166-1 two-letter codes, such as RO)")
	if c.NationalityAnswer != AnswerNotRecorded && c.NationalityAnswer != AnswerNotKnown && c.NationalityAnswer != AnswerPrefersNotToSay {
		f["nationality_answer"] = "Choose not known or prefers not to say, or choose nationalities"
	} else if c.NationalityAnswer != AnswerNotRecorded && len(c.Nationalities) > 0 {
		f["nationality_answer"] = "Choose nationalities, or say they are not known, not both"
	}
	c.Languages = normalizeCodes(c.Languages, false)
	checkCodes(f, "languages", c.Languages, languages, "Choose each language from the list (ISO 639 codes, such as ro or ckb)")
	for field, a := range map[string]Answer{"interpreter_needed": c.InterpreterNeeded, "communication_aid_needed": c.CommunicationAidNeeded,
		"nrpf": c.NoRecourseToPublicFunds, "dependent_children": c.DependentChildren} {
		if !a.Valid() {
			f[field] = "Choose an answer from the list"
		}
	}
	if !c.ImmigrationStatus.Valid() {
		f["immigration_status"] = "Choose an immigration status from the list"
	}
	if !c.Situation.Valid() {
		f["situation"] = "Choose where the person is living from the list"
	}
	for _, n := range c.SupportNeeds {
		if !n.Valid() {
			f["support_needs"] = "Choose support needs from the list"
		}
	}
	if c.ConcernStatus == "" {
		c.ConcernStatus = ConcernNotYetAsked
	}
	if !c.ConcernStatus.Valid() {
		f["concern_status"] = "Choose a concern status from the list"
	}
	if len(c.Contacts) > 10 {
		f["contacts"] = "Record at most 10 contact details"
	}
	for i := range c.Contacts {
		ct := &c.Contacts[i]
		ct.Value = strings.TrimSpace(ct.Value)
		field := fmt.Sprintf("contacts.%d", i)
		switch {
		case !ct.Kind.Valid():
			f[field] = "Choose what kind of contact detail this is"
		case ct.Value == "":
			f[field] = "Enter the contact detail, or remove it"
		case len(ct.Value) > 500:
			f[field] = "A contact detail must be 500 characters or fewer"
		case !ct.SafeToContact.Valid():
			f[field] = "Say whether it is safe to contact the person here"
		}
	}
	if len(c.Notes) > 20000 {
		f["notes"] = "Notes must be 20,000 characters or fewer"
	}
	return invalid(f)
}

// validateDateOfBirth checks a date of birth given as precisely as it is known: "YYYY-MM-DD",
// "YYYY-MM", "YYYY", or empty when unknown. It returns what is wrong, or "".
func validateDateOfBirth(s string) string {
	if s == "" {
		return ""
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
	t, err := time.Parse(layout, s)
	if layout == "" || err != nil {
		return "Enter the date of birth as a year (1990), a month (1990-04) or a full date (1990-04-23), or leave it blank if it is not known"
	}
	if t.Year() < 1900 || t.After(time.Now()) {
		return "The date of birth must be after 1900 and not in the future"
	}
	return ""
}

// ClientFilter selects clients.
type ClientFilter struct {
	// Name matches given, family and known-as names, ignoring case, accents and spelling variants.
	Name string
	// ConcernStatus, Situation and AssignedWorkerID narrow the list when set.
	ConcernStatus    ConcernStatus
	Situation        Situation
	AssignedWorkerID string
	// NotRecorded keeps clients whose concern status has never been asked about.
	NotRecorded bool
	Page        Page
}

// ClientUpdate replaces a client's recorded details. Version must be the version the change was
// based on; ECONFLICT if the record changed since.
type ClientUpdate struct {
	Version int
	Client  Client
}

// PossibleMatch is a client who may be the person being added.
type PossibleMatch struct {
	Client *Client
	// Score is how alike they are, from 0 to 1.
	Score float64
}

// NameMatcher compares people as frontline workers record them: names in any common spelling,
// transliteration, case or accent, and dates of birth or ages. Package linkage implements it.
type NameMatcher interface {
	// Normalize folds a name for comparison (case, accents, hyphens, spacing).
	Normalize(name string) string
	// Keys returns the search keys of a name: its tokens and their sound keys.
	Keys(name string) []string
	// Score says how likely two records are the same person, from 0 to 1.
	Score(a, b *Client, now time.Time) float64
	// Threshold is the score from which a record is shown as a possible match.
	Threshold() float64
}

// ClientService stores client records. Only roles with PermViewClients see their own
// organisation's clients; records of other organisations answer ENOTFOUND.
type ClientService interface {
	// FindClientByID returns a client and audits the read. ENOTFOUND for another organisation's client.
	FindClientByID(ctx context.Context, actor Actor, id string) (*Client, error)
	// FindClients lists the actor's organisation's clients. EFORBIDDEN for roles without PermViewClients.
	FindClients(ctx context.Context, actor Actor, f ClientFilter) ([]*Client, int, error)
	// FindPossibleMatches searches the actor's organisation before a client is added: by any name
	// (aliases included, in any common spelling) and the date of birth or age. The search is audited.
	FindPossibleMatches(ctx context.Context, actor Actor, probe Client) ([]PossibleMatch, error)
	// CreateClient adds a client to the actor's organisation. matchesShown lists the possible
	// matches the worker was shown before choosing to add the person anyway; the audit entry
	// records them. EINVALID, EFORBIDDEN.
	CreateClient(ctx context.Context, actor Actor, c *Client, matchesShown []string) error
	// UpdateClient replaces a client's details. ECONFLICT (with the changed fields named) when
	// the record changed since u.Version; EINVALID; ENOTFOUND.
	UpdateClient(ctx context.Context, actor Actor, id string, u ClientUpdate) (*Client, error)
	// SetConcernStatus records a new concern status with a reason, dated and attributed.
	SetConcernStatus(ctx context.Context, actor Actor, id string, status ConcernStatus, reason string) (*Client, error)
	// FindConcernHistory returns the client's concern changes, newest first. Audited as a read.
	FindConcernHistory(ctx context.Context, actor Actor, id string) ([]ConcernChange, error)
	// FindClientRecord returns the client with its concern history and the case notes the actor
	// may see, audited as one read. ENOTFOUND for another organisation's client.
	FindClientRecord(ctx context.Context, actor Actor, id string) (*ClientRecord, error)
	// CountRecorded counts the actor's organisation's clients and how many have each key modern
	// slavery field recorded. Counts only: no record is read. EFORBIDDEN without PermViewClients.
	CountRecorded(ctx context.Context, actor Actor) (Completeness, error)
}

// ClientRecord is everything the client page shows.
type ClientRecord struct {
	Client  *Client
	History []ConcernChange
	Notes   []*CaseNote
	// Timeline is everything recorded about the client, newest first.
	Timeline []TimelineEvent
	// Consent is the client's consent to the use and sharing of their record, at a glance.
	Consent ConsentPosition
}

// Completeness counts how many of an organisation's clients have the key modern slavery fields recorded.
type Completeness struct {
	Clients int
	// ConcernRecorded counts clients whose concern status is anything but "not yet asked".
	ConcernRecorded int
	// WithConcern counts clients with a concern (suspected, disclosed or confirmed); of them,
	// WhenRecorded have an exploitation episode with dates or a recency, and SupportRecorded have
	// at least one entry in the support log.
	WithConcern     int
	WhenRecorded    int
	SupportRecorded int
}

// Percent returns n as a whole percentage of the clients, or 0 when there are none.
func (c Completeness) Percent(n int) int { return percent(n, c.Clients) }

// PercentOfConcerns returns n as a whole percentage of the clients with a concern.
func (c Completeness) PercentOfConcerns(n int) int { return percent(n, c.WithConcern) }

func percent(n, of int) int {
	if of == 0 {
		return 0
	}
	return (n*100 + of/2) / of
}
