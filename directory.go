package waymark

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"sort"
	"strings"
	"time"
)

// The referral routes directory (DOMAIN.md §4): services a worker can refer someone to, described
// with the Open Referral HSDS vocabulary (service, organisation, location, eligibility, languages,
// service area, contacts, status, capacity) plus what HSDS lacks and practitioners ask for: a
// confidential location, gender, children and NRPF eligibility, and the needs a service meets.
// A directory entry holds no personal data: it describes a service, never a person.

// ServiceStatus is a directory service's status, with HSDS 3's values.
type ServiceStatus string

// The statuses, as HSDS spells them.
const (
	ServiceActive            ServiceStatus = "active"
	ServiceInactive          ServiceStatus = "inactive"
	ServiceDefunct           ServiceStatus = "defunct"
	ServiceTemporarilyClosed ServiceStatus = "temporarily closed"
)

var serviceStatuses = optionSet{
	{"active", "Open"},
	{"temporarily closed", "Temporarily closed"},
	{"inactive", "Not taking referrals"},
	{"defunct", "Closed for good"},
}

// Valid reports whether s is one of the statuses.
func (s ServiceStatus) Valid() bool { return serviceStatuses.valid(string(s)) }

// Label is the status as people read it.
func (s ServiceStatus) Label() string { return serviceStatuses.label(string(s)) }

// ServiceStatusOptions lists the statuses for forms.
func ServiceStatusOptions() []Option { return serviceStatuses.options() }

// ServiceNeed is a need a directory service meets: what a worker searches by.
type ServiceNeed string

var serviceNeeds = optionSet{
	{"modern_slavery_support", "Modern slavery specialist support"},
	{"safe_accommodation", "Safe accommodation"},
	{"emergency_accommodation", "Emergency accommodation"},
	{"legal_advice", "Legal advice"},
	{"immigration_advice", "Immigration advice"},
	{"healthcare", "Healthcare and GP registration"},
	{"mental_health", "Mental health"},
	{"counselling", "Counselling and therapy"},
	{"substance_use", "Drug and alcohol support"},
	{"interpreting", "Interpreting"},
	{"finance_benefits", "Finance and benefits"},
	{"employment_training", "Employment and training"},
	{"children_families", "Children and families"},
	{"food_essentials", "Food, clothing and essentials"},
	{"reconnection", "Reconnection and voluntary return"},
}

// Valid reports whether n is one of the needs.
func (n ServiceNeed) Valid() bool { return serviceNeeds.valid(string(n)) }

// Label is the need as people read it.
func (n ServiceNeed) Label() string { return serviceNeeds.label(string(n)) }

// ServiceNeedOptions lists the needs for forms.
func ServiceNeedOptions() []Option { return serviceNeeds.options() }

// serviceGenders are the genders a service may limit itself to. A service listing none accepts anyone.
var serviceGenders = optionSet{{"female", "Women"}, {"male", "Men"}, {"other", "People who do not identify as male or female"}}

// ServiceGenderOptions lists the genders a service may accept, for forms.
func ServiceGenderOptions() []Option { return serviceGenders.options() }

// ServiceGenderLabel is how the directory names a gender a service accepts.
func ServiceGenderLabel(g Gender) string { return serviceGenders.label(string(g)) }

// MaxServiceAge is the highest age a service's eligibility may name.
const MaxServiceAge = 120

// MaxCapacity is the most places a service may report.
const MaxCapacity = 10000

// ConfidentialLocationText is shown in place of a confidential location to everyone outside the
// organisation that keeps the entry.
const ConfidentialLocationText = "Confidential location: contact the service"

// DirectoryService is one service in the referral routes directory, kept by the organisation that
// runs it (or maintains the entry for it). Field keys in validation errors are HSDS field names.
type DirectoryService struct {
	ID string
	// OrgID is the organisation that keeps the entry: only its managers and admins change it, and
	// only its staff see a confidential location.
	OrgID   string
	OrgName string
	Name    string
	// Description says what the service does and how to refer to it.
	Description string
	Status      ServiceStatus
	Needs       []ServiceNeed
	// MinAge and MaxAge bound the ages the service takes, in whole years; 0 means no bound.
	MinAge int
	MaxAge int
	// Genders are the genders the service accepts; none means anyone.
	Genders []Gender
	// AcceptsChildren is set when someone may bring dependent children.
	AcceptsChildren bool
	// AcceptsNRPF is set when people with no recourse to public funds are accepted.
	AcceptsNRPF bool
	// Languages spoken by staff, ISO 639 codes.
	Languages []string
	// Area is the service area: where people must be (or come from) to use the service.
	Area string
	// Public contacts for referrers.
	Email, Phone, URL string
	// Address, Town and Postcode locate the service. Stored sealed with the keeping organisation's key.
	Address, Town, Postcode string
	// ConfidentialLocation marks a safe house: its location is shown only to the keeping
	// organisation's staff, and never searched, exported or shown to anyone else.
	ConfidentialLocation bool
	// LocationWithheld is set on a read when the location is confidential and the reader is
	// outside the keeping organisation: Address, Town and Postcode are then empty.
	LocationWithheld bool
	// Capacity is the number of places available now when CapacityKnown, and "not known" otherwise.
	Capacity      int
	CapacityKnown bool
	// CapacityUpdatedAt is when the capacity was last changed; zero if never.
	CapacityUpdatedAt time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	// Version increases with each change; a change based on an older version is refused.
	Version int
}

// CapacityText says how many places there are, as people read it.
func (s *DirectoryService) CapacityText() string {
	switch {
	case !s.CapacityKnown:
		return "Not known"
	case s.Capacity == 0:
		return "No places available"
	case s.Capacity == 1:
		return "1 place available"
	}
	return fmt.Sprintf("%d places available", s.Capacity)
}

// AgeText describes the ages the service takes.
func (s *DirectoryService) AgeText() string {
	switch {
	case s.MinAge > 0 && s.MaxAge > 0:
		return fmt.Sprintf("%d to %d", s.MinAge, s.MaxAge)
	case s.MinAge > 0:
		return fmt.Sprintf("%d or over", s.MinAge)
	case s.MaxAge > 0:
		return fmt.Sprintf("Up to %d", s.MaxAge)
	}
	return "Any age"
}

// GenderText describes who the service accepts by gender.
func (s *DirectoryService) GenderText() string {
	if len(s.Genders) == 0 {
		return "Anyone"
	}
	var l []string
	for _, g := range s.Genders {
		l = append(l, ServiceGenderLabel(g))
	}
	return strings.Join(l, ", ")
}

// LocationText is the location as the reader may see it.
func (s *DirectoryService) LocationText() string {
	if s.LocationWithheld {
		return ConfidentialLocationText
	}
	var parts []string
	for _, p := range []string{s.Address, s.Town, s.Postcode} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "Not recorded"
	}
	return strings.Join(parts, ", ")
}

// EligibilityText summarises who is eligible, for HSDS's eligibility_description.
func (s *DirectoryService) EligibilityText() string {
	parts := []string{"Ages: " + strings.ToLower(s.AgeText()), "gender: " + strings.ToLower(s.GenderText())}
	if s.AcceptsChildren {
		parts = append(parts, "children welcome")
	} else {
		parts = append(parts, "no children")
	}
	if s.AcceptsNRPF {
		parts = append(parts, "people with no recourse to public funds accepted")
	}
	return strings.Join(parts, "; ")
}

// WithholdLocation empties a confidential location for a reader outside the keeping organisation.
// Stores call it on every read; it is exported so that other views of the same record can too.
func (s *DirectoryService) WithholdLocation(readerOrgID string) {
	if s.ConfidentialLocation && s.OrgID != readerOrgID {
		s.Address, s.Town, s.Postcode, s.LocationWithheld = "", "", "", true
	}
}

// MaxServiceDescription is the longest a service's description may be, in bytes.
const MaxServiceDescription = 5000

// Validate normalises the service and checks it against now, saying how to fix each field. Keys
// are HSDS field names: name, description, status, needs, minimum_age, maximum_age, genders,
// languages, service_area, email, phone, url, address_1, city, postal_code, capacity.
func (s *DirectoryService) Validate(now time.Time) error {
	for _, p := range []*string{&s.Name, &s.Area, &s.Email, &s.Phone, &s.URL, &s.Address, &s.Town} {
		*p = strings.TrimSpace(*p)
	}
	s.Description = strings.TrimSpace(s.Description)
	s.Postcode = strings.ToUpper(strings.Join(strings.Fields(s.Postcode), " "))
	s.Languages = normalizeCodes(s.Languages, false)
	s.Needs = dedupe(s.Needs)
	s.Genders = dedupe(s.Genders)
	f := map[string]string{}
	checkText(f, "name", s.Name, "Enter the name of the service", 200)
	if len(s.Description) > MaxServiceDescription {
		f["description"] = "The description must be 5,000 characters or fewer"
	}
	if !s.Status.Valid() {
		f["status"] = `Choose the status: "active", "temporarily closed", "inactive" or "defunct"`
	}
	if len(s.Needs) == 0 {
		f["needs"] = "Choose at least one need the service meets"
	}
	for _, n := range s.Needs {
		if !n.Valid() {
			f["needs"] = "Choose the needs the service meets from the list"
		}
	}
	for _, g := range s.Genders {
		if !serviceGenders.valid(string(g)) {
			f["genders"] = `Choose the genders the service accepts from the list ("female", "male", "other"), or none if it accepts anyone`
		}
	}
	switch {
	case s.MinAge < 0 || s.MinAge > MaxServiceAge:
		f["minimum_age"] = "The minimum age must be a whole number of years from 0 to 120, for example 18; use 0 for no minimum"
	case s.MaxAge < 0 || s.MaxAge > MaxServiceAge:
		f["maximum_age"] = "The maximum age must be a whole number of years from 0 to 120, for example 25; use 0 for no maximum"
	case s.MaxAge > 0 && s.MaxAge < s.MinAge:
		f["maximum_age"] = "The maximum age must be the same as or more than the minimum age"
	}
	checkCodes(f, "languages", s.Languages, languages, "Choose each language from the list (ISO 639 codes, for example pl for Polish)")
	checkText(f, "service_area", s.Area, "", 200)
	checkText(f, "email", s.Email, "", 200)
	if _, ok := f["email"]; !ok && s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			f["email"] = "Enter the email address in the right format, like referrals@example.org"
		}
	}
	checkText(f, "phone", s.Phone, "", 40)
	if _, ok := f["phone"]; !ok && s.Phone != "" && strings.Trim(s.Phone, "0123456789 +()-") != "" {
		f["phone"] = "Enter the phone number with digits, spaces and + ( ) - only, like 0113 496 0000"
	}
	checkText(f, "url", s.URL, "", 500)
	if _, ok := f["url"]; !ok && s.URL != "" {
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			f["url"] = "Enter the website address in full, starting https://, like https://example.org/refer"
		}
	}
	checkText(f, "address_1", s.Address, "", 200)
	checkText(f, "city", s.Town, "", 100)
	checkText(f, "postal_code", s.Postcode, "", 10)
	if s.CapacityKnown && (s.Capacity < 0 || s.Capacity > MaxCapacity) {
		f["capacity"] = "The places available must be a whole number from 0 to 10,000, or not known"
	}
	if !s.CapacityKnown {
		s.Capacity = 0
	}
	if s.CapacityUpdatedAt.After(now.Add(24 * time.Hour)) {
		f["capacity"] = "The date the capacity was updated must not be in the future"
	}
	return invalid(f)
}

func dedupe[T comparable](l []T) []T {
	var out []T
	seen := map[T]bool{}
	for _, v := range l {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// DirectoryFilter selects directory services. Zero values do not filter.
type DirectoryFilter struct {
	Need ServiceNeed
	// Age keeps services whose age range includes it; 0 does not filter.
	Age int
	// Gender keeps services that accept it (those listing no genders accept anyone).
	Gender Gender
	// WithChildren keeps services that accept dependent children.
	WithChildren bool
	// NRPF keeps services that accept people with no recourse to public funds.
	NRPF bool
	// Language keeps services whose staff speak it (an ISO 639 code).
	Language string
	// Text matches words of the name, description and service area (never a location).
	Text string
	// OrgID keeps one organisation's entries.
	OrgID string
	Page  Page
}

// Validate checks the filter's values, which come from a URL, and says how to fix each.
func (f *DirectoryFilter) Validate() error {
	f.Text = strings.Join(strings.Fields(f.Text), " ")
	f.Language = strings.ToLower(strings.TrimSpace(f.Language))
	e := map[string]string{}
	if f.Need != "" && !f.Need.Valid() {
		e["need"] = "Choose a need from the list"
	}
	if f.Age < 0 || f.Age > MaxServiceAge {
		e["age"] = "Enter the person's age as a whole number of years from 0 to 120, for example 34"
	}
	if f.Gender != "" && !serviceGenders.valid(string(f.Gender)) {
		e["gender"] = "Choose a gender from the list"
	}
	if f.Language != "" && !languages.valid(f.Language) {
		e["language"] = "Choose a language from the list"
	}
	if len(f.Text) > 200 {
		e["text"] = "The search words must be 200 characters or fewer"
	} else if hasControl(f.Text) {
		e["text"] = "The search words must not contain control characters"
	}
	return invalid(e)
}

// ImportResult says what an import did.
type ImportResult struct {
	Created, Updated int
}

// ValidateDirectoryImport validates every record of an import and returns one error for all of them:
// EINVALID with a message per problem, keyed "services.NNNN.field" so that they sort by record, each
// naming the record by its place in the file (from 1), its id and its name. Nothing is saved when
// any record is wrong. problems holds what a parser already found, by record index, and may be nil.
func ValidateDirectoryImport(list []DirectoryService, now time.Time, problems map[int]map[string]string) error {
	out := map[string]string{}
	first := map[string]int{}
	for i := range list {
		fields := map[string]string{}
		for k, v := range problems[i] {
			fields[k] = v
		}
		if id := strings.TrimSpace(list[i].ID); id != "" {
			if j, ok := first[id]; ok {
				fields["id"] = fmt.Sprintf("The id is the same as service %d's: give each service its own id", j+1)
			} else {
				first[id] = i
			}
		}
		if err := list[i].Validate(now); err != nil {
			for k, v := range ErrorFields(err) {
				if _, ok := fields[k]; !ok {
					fields[k] = v
				}
			}
		}
		for k, v := range fields {
			out[ImportErrorKey(i, k)] = RecordLabel(i, list[i].ID, list[i].Name) + ": " + k + ": " + v
		}
	}
	if len(out) == 0 {
		return nil
	}
	if len(out) > MaxImportProblems {
		keys := make([]string, 0, len(out))
		for k := range out {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys[MaxImportProblems:] {
			delete(out, k)
		}
		out["services.9999.more"] = fmt.Sprintf("There are %d more problems: correct those listed, then import the file again to see the rest.", len(keys)-MaxImportProblems)
	}
	return &Error{Code: EINVALID, Message: "Nothing was imported: correct the services listed and import the file again.", Fields: out}
}

// MaxImportServices is the most services one import may hold, so that one file cannot hold the
// database's writer for long.
const MaxImportServices = 1000

// MaxImportProblems is the most problems an import error lists.
const MaxImportProblems = 50

// ImportErrorKey is the key of a problem with field of record i (from 0) in an import error.
func ImportErrorKey(i int, field string) string { return fmt.Sprintf("services.%04d.%s", i+1, field) }

// RecordLabel names record i (from 0) of an import for people: its place, id and name.
func RecordLabel(i int, id, name string) string {
	label := fmt.Sprintf("service %d", i+1)
	var parts []string
	if id != "" {
		parts = append(parts, fmt.Sprintf("id %q", clip(id, 60)))
	}
	if name != "" {
		parts = append(parts, fmt.Sprintf("name %q", clip(name, 60)))
	}
	if len(parts) > 0 {
		label += " (" + strings.Join(parts, ", ") + ")"
	}
	return label
}

// clip shortens s to at most n runes, for naming a record in a message.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// SortedProblems lists an import error's messages in record order.
func SortedProblems(err error) []string {
	f := ErrorFields(err)
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = f[k]
	}
	return out
}

// DirectoryService is kept by the store behind this interface. Searching and reading need only a
// signed-in user of any organisation: entries describe services, not people, so reads are not
// audited; every change, import and export is. A confidential location is withheld, by the store,
// from every reader outside the keeping organisation, in reads, searches and exports alike.
type DirectoryServiceStore interface {
	// FindDirectoryServices searches the directory by need and eligibility, open services first,
	// then by name. EUNAUTHORIZED without a user; EINVALID for a bad filter.
	FindDirectoryServices(ctx context.Context, actor Actor, f DirectoryFilter) ([]*DirectoryService, int, error)
	// FindDirectoryService reads one service. ENOTFOUND.
	FindDirectoryService(ctx context.Context, actor Actor, id string) (*DirectoryService, error)
	// CreateDirectoryService adds a service kept by the actor's organisation. Needs
	// PermManageDirectory (EFORBIDDEN); EINVALID.
	CreateDirectoryService(ctx context.Context, actor Actor, s *DirectoryService) error
	// UpdateDirectoryService replaces a service's details. Needs PermManageDirectory (EFORBIDDEN);
	// another organisation's service is ENOTFOUND; ECONFLICT when it changed since version; EINVALID.
	UpdateDirectoryService(ctx context.Context, actor Actor, id string, version int, s DirectoryService) (*DirectoryService, error)
	// UpdateDirectoryCapacity records the places available now (known false: not known), with the
	// same rules as UpdateDirectoryService.
	UpdateDirectoryCapacity(ctx context.Context, actor Actor, id string, version, capacity int, known bool) (*DirectoryService, error)
	// ImportDirectory creates or updates the actor's organisation's services from list, matching
	// each by its ID (the service's own, or the HSDS id it was imported with), all or nothing.
	// Needs PermManageDirectory (EFORBIDDEN); EINVALID with a message per record problem (see
	// ValidateDirectoryImport), in which case nothing is changed.
	ImportDirectory(ctx context.Context, actor Actor, list []DirectoryService) (ImportResult, error)
	// ExportDirectory lists every service (or one organisation's, when orgID is set) for an HSDS
	// export, with confidential locations withheld as on any read. Audited.
	ExportDirectory(ctx context.Context, actor Actor, orgID string) ([]*DirectoryService, error)
}

// Audit actions of the directory. Searches and reads are not audited: entries hold no personal data.
const (
	AuditDirectoryCreated  = "directory.created"
	AuditDirectoryUpdated  = "directory.updated"
	AuditDirectoryImported = "directory.imported"
	AuditDirectoryExported = "directory.exported"
)
