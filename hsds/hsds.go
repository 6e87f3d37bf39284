// Package hsds reads and writes the referral routes directory as Open Referral HSDS 3 JSON: a page
// of services (HSDS's paginated "contents"), each with its organization, languages, service areas,
// phones, capacities and service_at_locations. It models a clean subset of HSDS and keeps what HSDS
// lacks (the needs a service meets, the genders it accepts, children, NRPF, a confidential
// location) in one extension object, "x_waymark", on each service. Fields it does not model are
// ignored on import, so files from other HSDS systems can be read.
package hsds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"waymark"
)

// The JSON shapes, with HSDS field names.
type (
	page struct {
		TotalItems int       `json:"total_items"`
		TotalPages int       `json:"total_pages"`
		PageNumber int       `json:"page_number"`
		Size       int       `json:"size"`
		FirstPage  bool      `json:"first_page"`
		LastPage   bool      `json:"last_page"`
		Empty      bool      `json:"empty"`
		Contents   []service `json:"contents"`
	}
	service struct {
		ID                     string              `json:"id"`
		Name                   string              `json:"name"`
		Description            string              `json:"description,omitempty"`
		URL                    string              `json:"url,omitempty"`
		Email                  string              `json:"email,omitempty"`
		Status                 string              `json:"status"`
		EligibilityDescription string              `json:"eligibility_description,omitempty"`
		MinimumAge             json.RawMessage     `json:"minimum_age,omitempty"`
		MaximumAge             json.RawMessage     `json:"maximum_age,omitempty"`
		Organization           *organization       `json:"organization,omitempty"`
		Phones                 []phone             `json:"phones,omitempty"`
		Contacts               []contact           `json:"contacts,omitempty"`
		Languages              []language          `json:"languages,omitempty"`
		ServiceAreas           []serviceArea       `json:"service_areas,omitempty"`
		ServiceAtLocations     []serviceAtLocation `json:"service_at_locations,omitempty"`
		Capacities             []capacity          `json:"capacities,omitempty"`
		Waymark                *extension          `json:"x_waymark,omitempty"`
	}
	organization struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	phone struct {
		ID     string `json:"id"`
		Number string `json:"number"`
	}
	contact struct {
		ID     string  `json:"id,omitempty"`
		Name   string  `json:"name,omitempty"`
		Email  string  `json:"email,omitempty"`
		Phones []phone `json:"phones,omitempty"`
	}
	language struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
		Code string `json:"code"`
	}
	serviceArea struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	serviceAtLocation struct {
		ID       string    `json:"id"`
		Location *location `json:"location,omitempty"`
	}
	location struct {
		ID           string    `json:"id"`
		LocationType string    `json:"location_type"`
		Name         string    `json:"name,omitempty"`
		Addresses    []address `json:"addresses,omitempty"`
	}
	address struct {
		ID            string `json:"id"`
		Address1      string `json:"address_1"`
		Address2      string `json:"address_2,omitempty"`
		City          string `json:"city"`
		StateProvince string `json:"state_province"`
		PostalCode    string `json:"postal_code"`
		Country       string `json:"country"`
		AddressType   string `json:"address_type"`
	}
	capacity struct {
		ID          string          `json:"id"`
		Available   json.RawMessage `json:"available"`
		Description string          `json:"description,omitempty"`
		Updated     string          `json:"updated,omitempty"`
		Unit        *unit           `json:"unit,omitempty"`
	}
	unit struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	// extension holds what HSDS lacks. Absent booleans are false; absent lists are empty.
	extension struct {
		Needs                []string `json:"needs"`
		Genders              []string `json:"genders"`
		AcceptsChildren      bool     `json:"accepts_children"`
		AcceptsNRPF          bool     `json:"accepts_nrpf"`
		ConfidentialLocation bool     `json:"confidential_location"`
	}
)

// Write writes the services as one HSDS 3 page of services. Locations withheld from the reader
// (LocationWithheld) are written with no service_at_locations at all: an export never holds a
// location its reader may not see.
func Write(w io.Writer, list []*waymark.DirectoryService) error {
	p := page{TotalItems: len(list), TotalPages: 1, PageNumber: 1, Size: len(list), FirstPage: true, LastPage: true, Empty: len(list) == 0,
		Contents: make([]service, 0, len(list))}
	for _, d := range list {
		p.Contents = append(p.Contents, toHSDS(d))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

func toHSDS(d *waymark.DirectoryService) service {
	s := service{ID: d.ID, Name: d.Name, Description: d.Description, URL: d.URL, Email: d.Email, Status: string(d.Status),
		EligibilityDescription: d.EligibilityText(),
		Waymark: &extension{Needs: codes(d.Needs), Genders: codes(d.Genders), AcceptsChildren: d.AcceptsChildren, AcceptsNRPF: d.AcceptsNRPF,
			ConfidentialLocation: d.ConfidentialLocation}}
	if d.MinAge > 0 {
		s.MinimumAge = json.RawMessage(fmt.Sprint(d.MinAge))
	}
	if d.MaxAge > 0 {
		s.MaximumAge = json.RawMessage(fmt.Sprint(d.MaxAge))
	}
	if d.OrgID != "" {
		s.Organization = &organization{ID: d.OrgID, Name: d.OrgName}
	}
	if d.Phone != "" {
		s.Phones = []phone{{ID: d.ID + "-phone", Number: d.Phone}}
	}
	for _, code := range d.Languages {
		s.Languages = append(s.Languages, language{ID: d.ID + "-language-" + code, Name: waymark.LanguageName(code), Code: code})
	}
	if d.Area != "" {
		s.ServiceAreas = []serviceArea{{ID: d.ID + "-area", Name: d.Area}}
	}
	if !d.LocationWithheld && (d.Address != "" || d.Town != "" || d.Postcode != "") {
		s.ServiceAtLocations = []serviceAtLocation{{ID: d.ID + "-at-location", Location: &location{ID: d.ID + "-location", LocationType: "physical", Name: d.Name,
			Addresses: []address{{ID: d.ID + "-address", Address1: d.Address, City: d.Town, PostalCode: d.Postcode, Country: "GB", AddressType: "physical"}}}}}
	}
	if d.CapacityKnown {
		c := capacity{ID: d.ID + "-capacity", Available: json.RawMessage(fmt.Sprint(d.Capacity)), Description: "Places available",
			Unit: &unit{ID: "places", Name: "places"}}
		if !d.CapacityUpdatedAt.IsZero() {
			c.Updated = d.CapacityUpdatedAt.UTC().Format(time.RFC3339Nano)
		}
		s.Capacities = []capacity{c}
	}
	return s
}

func codes[T ~string](l []T) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i] = string(v)
	}
	return out
}

// Parse reads an HSDS 3 document: a page of services ({"contents": [...]}) or a bare array of
// services. It checks every service against now and returns them all, or an EINVALID error with
// a message per problem naming the service by its place, id and name (see
// waymark.ValidateDirectoryImport); a file that is not an HSDS document at all is one problem,
// under the field "file".
func Parse(data []byte, now time.Time) ([]waymark.DirectoryService, error) {
	raws, err := records(data)
	if err != nil {
		return nil, err
	}
	list := make([]waymark.DirectoryService, len(raws))
	problems := map[int]map[string]string{}
	for i, raw := range raws {
		f := map[string]string{}
		list[i] = fromHSDS(raw, f)
		if len(f) > 0 {
			problems[i] = f
		}
	}
	if err := waymark.ValidateDirectoryImport(list, now, problems); err != nil {
		return nil, err
	}
	return list, nil
}

// fileProblem is the error for a file that cannot be read as HSDS at all.
func fileProblem(msg string) error {
	return waymark.Invalid(map[string]string{"file": msg})
}

// records splits the document into its services' JSON.
func records(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, fileProblem("The file is empty: choose an HSDS JSON file exported from Waymark or another directory")
	}
	var raws []json.RawMessage
	var err error
	switch data[0] {
	case '[':
		err = json.Unmarshal(data, &raws)
	case '{':
		var doc struct {
			Contents *[]json.RawMessage `json:"contents"`
		}
		if err = json.Unmarshal(data, &doc); err == nil {
			if doc.Contents == nil {
				return nil, fileProblem(`The file is not an HSDS list of services: it must hold "contents", a list of services, or be a list of services`)
			}
			raws = *doc.Contents
		}
	default:
		return nil, fileProblem("The file is not JSON: choose an HSDS JSON file exported from Waymark or another directory")
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return nil, fileProblem(fmt.Sprintf("The file is not valid JSON (a syntax error at character %d): check it was saved as JSON", se.Offset))
	case err != nil:
		return nil, fileProblem(`The file is not an HSDS list of services: it must hold "contents", a list of services, or be a list of services`)
	}
	if len(raws) == 0 {
		return nil, fileProblem("The file holds no services")
	}
	if len(raws) > waymark.MaxImportServices {
		return nil, fileProblem(fmt.Sprintf("The file holds %d services: import at most %d at a time", len(raws), waymark.MaxImportServices))
	}
	return raws, nil
}

// fromHSDS reads one service, recording in f what cannot be read, by HSDS field name.
func fromHSDS(raw json.RawMessage, f map[string]string) waymark.DirectoryService {
	var s service
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		f["service"] = "Each service must be a JSON object, {...}"
		return waymark.DirectoryService{}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		// Unmarshal reads what it can and reports the first field of the wrong type.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			f[te.Field] = "This has the wrong type: it must be " + jsonKind(te.Type.Kind().String())
		} else {
			f["service"] = "The service could not be read"
		}
	}
	d := waymark.DirectoryService{ID: strings.TrimSpace(s.ID), Name: s.Name, Description: s.Description, URL: s.URL, Email: s.Email,
		Status: waymark.ServiceStatus(strings.ToLower(strings.TrimSpace(s.Status)))}
	d.MinAge = wholeNumber(f, "minimum_age", s.MinimumAge, "The minimum age must be a whole number of years, for example 18")
	d.MaxAge = wholeNumber(f, "maximum_age", s.MaximumAge, "The maximum age must be a whole number of years, for example 25")
	if len(s.Phones) > 0 {
		d.Phone = s.Phones[0].Number
	}
	for _, c := range s.Contacts {
		if d.Email == "" {
			d.Email = c.Email
		}
		if d.Phone == "" && len(c.Phones) > 0 {
			d.Phone = c.Phones[0].Number
		}
	}
	for _, l := range s.Languages {
		d.Languages = append(d.Languages, l.Code)
	}
	var areas []string
	for _, a := range s.ServiceAreas {
		if n := strings.TrimSpace(a.Name); n != "" {
			areas = append(areas, n)
		}
	}
	d.Area = strings.Join(areas, ", ")
	for _, sl := range s.ServiceAtLocations {
		if sl.Location == nil || len(sl.Location.Addresses) == 0 {
			continue
		}
		a := sl.Location.Addresses[0]
		d.Address = a.Address1
		if strings.TrimSpace(a.Address2) != "" {
			d.Address = strings.TrimSpace(a.Address1) + ", " + strings.TrimSpace(a.Address2)
		}
		d.Town, d.Postcode = a.City, a.PostalCode
		break
	}
	if len(s.Capacities) > 0 {
		c := s.Capacities[0]
		if len(c.Available) > 0 && string(c.Available) != "null" {
			d.Capacity = wholeNumber(f, "capacities", c.Available, "The places available must be a whole number, for example 3")
			d.CapacityKnown = true
			if c.Updated != "" {
				t, err := time.Parse(time.RFC3339Nano, c.Updated)
				if err != nil {
					f["capacities.updated"] = "The date the capacity was updated must be a date and time, for example 2026-11-27T09:00:00Z"
				} else {
					d.CapacityUpdatedAt = t.UTC()
				}
			}
		}
	}
	if x := s.Waymark; x != nil {
		for _, n := range x.Needs {
			d.Needs = append(d.Needs, waymark.ServiceNeed(n))
		}
		for _, g := range x.Genders {
			d.Genders = append(d.Genders, waymark.Gender(g))
		}
		d.AcceptsChildren, d.AcceptsNRPF, d.ConfidentialLocation = x.AcceptsChildren, x.AcceptsNRPF, x.ConfidentialLocation
	}
	return d
}

// wholeNumber reads a JSON number that must be a whole number; absent or null is 0.
func wholeNumber(f map[string]string, field string, raw json.RawMessage, msg string) int {
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	var x float64
	if err := json.Unmarshal(raw, &x); err != nil || x != math.Trunc(x) || x < -1e6 || x > 1e6 {
		f[field] = msg
		return 0
	}
	return int(x)
}

// jsonKind names a Go kind as JSON calls it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "text in quotes"
	case "bool":
		return "true or false"
	case "slice":
		return "a list, [...]"
	case "struct", "ptr":
		return "an object, {...}"
	}
	return "a number"
}
