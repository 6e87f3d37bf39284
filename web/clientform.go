package web

import (
	"net/url"
	"strconv"
	"strings"

	"waymark"
)

// maxContactRows is how many contact details the client form offers at once.
const maxContactRows = 3

// clientFromForm reads the client form. Values that cannot be read at all (an age that is not a
// number) are reported in fields; everything else is left to Client.Validate, so each rule lives
// in one place.
func clientFromForm(v url.Values) (waymark.Client, map[string]string) {
	fields := joinDates(v, dateInput{"date_of_birth", "Date of birth", true})
	c := waymark.Client{
		Reference:               v.Get("reference"),
		GivenName:               v.Get("given_name"),
		FamilyName:              v.Get("family_name"),
		KnownAs:                 lines(v.Get("known_as")),
		DateOfBirth:             strings.TrimSpace(v.Get("date_of_birth")),
		AgeDisputed:             v.Get("age_disputed") == "yes",
		Gender:                  waymark.Gender(v.Get("gender")),
		Nationalities:           v["nationalities"],
		NationalityAnswer:       waymark.Answer(v.Get("nationality_answer")),
		Languages:               v["languages"],
		InterpreterNeeded:       waymark.Answer(v.Get("interpreter_needed")),
		CommunicationAidNeeded:  waymark.Answer(v.Get("communication_aid_needed")),
		ImmigrationStatus:       waymark.ImmigrationStatus(v.Get("immigration_status")),
		NoRecourseToPublicFunds: waymark.Answer(v.Get("nrpf")),
		DependentChildren:       waymark.Answer(v.Get("dependent_children")),
		Situation:               waymark.Situation(v.Get("situation")),
		ConcernStatus:           waymark.ConcernStatus(v.Get("concern_status")),
		AssignedWorkerID:        v.Get("assigned_worker_id"),
		Notes:                   strings.ReplaceAll(v.Get("notes"), "\r\n", "\n"),
	}
	if age := strings.TrimSpace(v.Get("estimated_age")); age != "" {
		n, err := strconv.Atoi(age)
		if err != nil {
			fields["estimated_age"] = "Enter the estimated age as a number of years, like 25"
		} else {
			c.EstimatedAge = n
		}
	}
	for _, n := range v["support_needs"] {
		c.SupportNeeds = append(c.SupportNeeds, waymark.SupportNeed(n))
	}
	for i := range maxContactRows {
		k := strconv.Itoa(i)
		value := strings.TrimSpace(v.Get("contact_value_" + k))
		if value == "" {
			continue
		}
		c.Contacts = append(c.Contacts, waymark.Contact{Kind: waymark.ContactKind(v.Get("contact_kind_" + k)), Value: value,
			SafeToContact: waymark.Answer(v.Get("contact_safe_" + k))})
	}
	return c, fields
}

// clientFormValues turns a client back into form values, for editing.
func clientFormValues(c *waymark.Client) url.Values {
	v := url.Values{
		"reference": {c.Reference}, "given_name": {c.GivenName}, "family_name": {c.FamilyName},
		"known_as": {strings.Join(c.KnownAs, "\n")}, "date_of_birth": {c.DateOfBirth},
		"gender": {string(c.Gender)}, "nationalities": c.Nationalities, "nationality_answer": {string(c.NationalityAnswer)},
		"languages": c.Languages, "interpreter_needed": {string(c.InterpreterNeeded)},
		"communication_aid_needed": {string(c.CommunicationAidNeeded)}, "immigration_status": {string(c.ImmigrationStatus)},
		"nrpf": {string(c.NoRecourseToPublicFunds)}, "dependent_children": {string(c.DependentChildren)}, "situation": {string(c.Situation)},
		"concern_status": {string(c.ConcernStatus)}, "assigned_worker_id": {c.AssignedWorkerID}, "notes": {c.Notes},
		"version": {strconv.Itoa(c.Version)},
	}
	if c.EstimatedAge > 0 {
		v.Set("estimated_age", strconv.Itoa(c.EstimatedAge))
	}
	if c.AgeDisputed {
		v.Set("age_disputed", "yes")
	}
	for _, n := range c.SupportNeeds {
		v.Add("support_needs", string(n))
	}
	for i, ct := range c.Contacts {
		if i >= maxContactRows {
			break
		}
		k := strconv.Itoa(i)
		v.Set("contact_kind_"+k, string(ct.Kind))
		v.Set("contact_value_"+k, ct.Value)
		v.Set("contact_safe_"+k, string(ct.SafeToContact))
	}
	return v
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
