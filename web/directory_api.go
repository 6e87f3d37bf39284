package web

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"waymark"
	"waymark/hsds"
)

// apiDirectoryService is a directory service in the API, with HSDS field names where HSDS has one.
// Capacity null means "not known". A confidential location withheld from the caller has
// location_withheld set and no address.
type apiDirectoryService struct {
	ID                   string     `json:"id"`
	OrganisationID       string     `json:"organisation_id"`
	OrganisationName     string     `json:"organisation_name"`
	Version              int        `json:"version"`
	Name                 string     `json:"name"`
	Description          string     `json:"description"`
	Status               string     `json:"status"`
	Needs                []string   `json:"needs"`
	MinimumAge           int        `json:"minimum_age"`
	MaximumAge           int        `json:"maximum_age"`
	Genders              []string   `json:"genders"`
	AcceptsChildren      bool       `json:"accepts_children"`
	AcceptsNRPF          bool       `json:"accepts_nrpf"`
	Languages            []string   `json:"languages"`
	ServiceArea          string     `json:"service_area"`
	Email                string     `json:"email"`
	Phone                string     `json:"phone"`
	URL                  string     `json:"url"`
	Address              string     `json:"address_1"`
	City                 string     `json:"city"`
	PostalCode           string     `json:"postal_code"`
	ConfidentialLocation bool       `json:"confidential_location"`
	LocationWithheld     bool       `json:"location_withheld"`
	Capacity             *int       `json:"capacity"`
	CapacityUpdatedAt    *time.Time `json:"capacity_updated_at,omitempty"`
	UpdatedAt            time.Time  `json:"updated_at"`
}

func toAPIDirectory(d *waymark.DirectoryService) apiDirectoryService {
	out := apiDirectoryService{ID: d.ID, OrganisationID: d.OrgID, OrganisationName: d.OrgName, Version: d.Version, Name: d.Name,
		Description: d.Description, Status: string(d.Status), Needs: []string{}, MinimumAge: d.MinAge, MaximumAge: d.MaxAge, Genders: []string{},
		AcceptsChildren: d.AcceptsChildren, AcceptsNRPF: d.AcceptsNRPF, Languages: nonNil(d.Languages), ServiceArea: d.Area, Email: d.Email,
		Phone: d.Phone, URL: d.URL, Address: d.Address, City: d.Town, PostalCode: d.Postcode, ConfidentialLocation: d.ConfidentialLocation,
		LocationWithheld: d.LocationWithheld, UpdatedAt: d.UpdatedAt}
	for _, n := range d.Needs {
		out.Needs = append(out.Needs, string(n))
	}
	for _, g := range d.Genders {
		out.Genders = append(out.Genders, string(g))
	}
	if d.CapacityKnown {
		c := d.Capacity
		out.Capacity = &c
	}
	if !d.CapacityUpdatedAt.IsZero() {
		t := d.CapacityUpdatedAt
		out.CapacityUpdatedAt = &t
	}
	return out
}

// fromAPIDirectory reads a service sent to the API; the store validates every field.
func fromAPIDirectory(in apiDirectoryService) waymark.DirectoryService {
	d := waymark.DirectoryService{Name: in.Name, Description: in.Description, Status: waymark.ServiceStatus(in.Status), MinAge: in.MinimumAge,
		MaxAge: in.MaximumAge, AcceptsChildren: in.AcceptsChildren, AcceptsNRPF: in.AcceptsNRPF, Languages: in.Languages, Area: in.ServiceArea,
		Email: in.Email, Phone: in.Phone, URL: in.URL, Address: in.Address, Town: in.City, Postcode: in.PostalCode,
		ConfidentialLocation: in.ConfidentialLocation}
	for _, n := range in.Needs {
		d.Needs = append(d.Needs, waymark.ServiceNeed(n))
	}
	for _, g := range in.Genders {
		d.Genders = append(d.Genders, waymark.Gender(g))
	}
	if in.Capacity != nil {
		d.Capacity, d.CapacityKnown = *in.Capacity, true
	}
	return d
}

func (s *Server) apiDirectoryIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	q.Set("org", q.Get("organisation_id"))
	f, fields := directoryFilterFrom(q)
	if len(fields) > 0 {
		return waymark.Invalid(fields)
	}
	f.Page = p
	list, total, err := s.svc.Directory.FindDirectoryServices(r.Context(), apiActor(r, id), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, total, p, toAPIDirectory))
	return nil
}

func (s *Server) apiDirectoryView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	d, err := s.svc.Directory.FindDirectoryService(r.Context(), apiActor(r, id), r.PathValue("service"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIDirectory(d))
	return nil
}

func (s *Server) apiDirectoryCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiDirectoryService
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d := fromAPIDirectory(in)
	if err := s.svc.Directory.CreateDirectoryService(r.Context(), apiActor(r, id), &d); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIDirectory(&d))
	return nil
}

func (s *Server) apiDirectoryUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiDirectoryService
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.svc.Directory.UpdateDirectoryService(r.Context(), apiActor(r, id), r.PathValue("service"), in.Version, fromAPIDirectory(in))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIDirectory(d))
	return nil
}

// apiDirectoryImport takes an HSDS 3 document as the body.
func (s *Server) apiDirectoryImport(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	a := apiActor(r, id)
	if !a.Can(waymark.PermManageDirectory) {
		return waymark.Errorf(waymark.EFORBIDDEN, "You do not have permission to do that.")
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r.Body); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The body could not be read: send one HSDS JSON document of at most 1 MB.")
	}
	list, err := hsds.Parse(buf.Bytes(), s.cfg.Now())
	if err != nil {
		return err
	}
	res, err := s.svc.Directory.ImportDirectory(r.Context(), a, list)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Created int `json:"created"`
		Updated int `json:"updated"`
	}{res.Created, res.Updated})
	return nil
}

func (s *Server) apiDirectoryExport(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	return s.writeExport(w, r, apiActor(r, id), r.URL.Query().Get("organisation_id"))
}
