package waymark

import (
	"context"
	"strings"
	"time"
)

// Client is a person a service supports. This is the core of the record; the modern slavery
// history, screening and support log hang off it.
type Client struct {
	ID    string
	OrgID string
	// Reference is the organisation's own reference for the person (a case number).
	Reference  string
	GivenName  string
	FamilyName string
	// KnownAs holds other names: nicknames and names used during exploitation.
	KnownAs []string
	// DateOfBirth is "YYYY-MM-DD", "YYYY-MM" or "YYYY" as precise as is known, or empty when unknown.
	DateOfBirth string
	Gender      Gender
	// Nationalities are ISO 3166-1 alpha-2 codes.
	Nationalities []string
	// ContactDetails and Notes are sealed at rest: they are stored encrypted with the organisation's key.
	ContactDetails string
	Notes          string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	CreatedBy      string
}

// DisplayName is how the client is shown in lists.
func (c *Client) DisplayName() string {
	return strings.TrimSpace(c.GivenName + " " + c.FamilyName)
}

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

var genderLabels = map[Gender]string{
	GenderNotRecorded: "Not recorded",
	GenderFemale:      "Female",
	GenderMale:        "Male",
	GenderOther:       "They do not identify as male or female",
	GenderNotKnown:    "Not known",
}

// Valid reports whether g is one of the genders.
func (g Gender) Valid() bool { _, ok := genderLabels[g]; return ok }

// Label is the gender as people read it.
func (g Gender) Label() string { return genderLabels[g] }

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
	for i, name := range c.KnownAs {
		c.KnownAs[i] = strings.TrimSpace(name)
		checkText(f, "known_as", c.KnownAs[i], "Remove the empty other name", 200)
	}
	for _, code := range c.Nationalities {
		if len(code) != 2 || strings.ToUpper(code) != code || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			f["nationalities"] = "Choose nationalities from the list"
		}
	}
	if !c.Gender.Valid() {
		f["gender"] = "Select a gender from the list"
	}
	if msg := validateDateOfBirth(c.DateOfBirth); msg != "" {
		f["date_of_birth"] = msg
	}
	if len(c.ContactDetails) > 2000 {
		f["contact_details"] = "Contact details must be 2,000 characters or fewer"
	}
	if len(c.Notes) > 20000 {
		f["notes"] = "Notes must be 20,000 characters or fewer"
	}
	if len(f) > 0 {
		return Invalid(f)
	}
	return nil
}

// ClientFilter selects clients.
type ClientFilter struct {
	// Name matches given, family and known-as names, ignoring case.
	Name string
	Page Page
}

// ClientService stores client records. Only roles with PermViewClients see their own
// organisation's clients; records of other organisations answer ENOTFOUND.
type ClientService interface {
	// FindClientByID returns a client and audits the read. ENOTFOUND for another organisation's client.
	FindClientByID(ctx context.Context, actor Actor, id string) (*Client, error)
	// FindClients lists the actor's organisation's clients by name. EFORBIDDEN for roles without
	// PermViewClients.
	FindClients(ctx context.Context, actor Actor, f ClientFilter) ([]*Client, int, error)
	// CreateClient adds a client to the actor's organisation. EINVALID, EFORBIDDEN.
	CreateClient(ctx context.Context, actor Actor, c *Client) error
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
