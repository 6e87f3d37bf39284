package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"waymark"
	"waymark/hsds"
)

// The referral routes directory's pages. Searching and reading are open to every signed-in user:
// entries describe services, never people, so the search is a GET form whose results can be linked.
// Changes are for the keeping organisation's managers and admins (PermManageDirectory).

// DirectoryOptions are the closed lists the directory's forms offer.
type DirectoryOptions struct {
	Needs, Statuses, Genders, Languages []waymark.Option
}

func directoryOptions() DirectoryOptions {
	return DirectoryOptions{Needs: waymark.ServiceNeedOptions(), Statuses: waymark.ServiceStatusOptions(), Genders: waymark.ServiceGenderOptions(),
		Languages: waymark.LanguageOptions()}
}

// DirectoryIndexPage is the directory search.
type DirectoryIndexPage struct {
	Layout
	Form     Form
	Services []*waymark.DirectoryService
	Pager    Pager
	Options  DirectoryOptions
	// CanManage shows the links to add, import and export the organisation's entries.
	CanManage bool
	OrgID     string
}

// DirectoryServicePage shows one service.
type DirectoryServicePage struct {
	Layout
	Service *waymark.DirectoryService
	// CanManage is set for the keeping organisation's managers and admins.
	CanManage    bool
	CapacityForm Form
}

// DirectoryFormPage adds or changes a service.
type DirectoryFormPage struct {
	Layout
	// Service is nil when adding.
	Service *waymark.DirectoryService
	Form    Form
	Options DirectoryOptions
}

// DirectoryImportPage takes an HSDS file.
type DirectoryImportPage struct {
	Layout
	Form Form
}

// directoryFields are the service form's fields in the order they appear.
var directoryFields = []string{"name", "description", "status", "needs", "minimum_age", "maximum_age", "genders", "accepts_children", "accepts_nrpf",
	"languages", "service_area", "email", "phone", "url", "address_1", "city", "postal_code", "confidential_location", "capacity"}

// searchFields are the search form's fields in the order they appear.
var searchFields = []string{"need", "age", "gender", "children", "nrpf", "language", "q"}

// wholeField reads a whole number typed into a form: "" is 0 (blank), and anything else that is
// not a whole number from 0 to limit is an error for the field.
func wholeField(fields map[string]string, v, field, msg string, limit int) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > limit {
		fields[field] = msg
		return 0
	}
	return n
}

// directoryFilterFrom reads a search from a query string, and what is wrong with it.
func directoryFilterFrom(q url.Values) (waymark.DirectoryFilter, map[string]string) {
	fields := map[string]string{}
	f := waymark.DirectoryFilter{Need: waymark.ServiceNeed(q.Get("need")), Gender: waymark.Gender(q.Get("gender")),
		WithChildren: q.Get("children") == "yes", NRPF: q.Get("nrpf") == "yes", Language: q.Get("language"), Text: q.Get("q"), OrgID: q.Get("org")}
	f.Age = wholeField(fields, q.Get("age"), "age", "Enter the person's age as a whole number of years, for example 34", waymark.MaxServiceAge)
	if err := f.Validate(); err != nil {
		for k, v := range waymark.ErrorFields(err) {
			if k == "text" {
				k = "q" // the words' field is named q on the page, as searches usually are
			}
			if _, ok := fields[k]; !ok {
				fields[k] = v
			}
		}
	}
	return f, fields
}

func (s *Server) handleDirectoryIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	if q.Get("org") == "mine" {
		q.Set("org", a.OrgID)
	}
	f, fields := directoryFilterFrom(q)
	pg, n := pageFrom(r)
	f.Page = pg
	page := DirectoryIndexPage{Layout: s.layout(w, r, "Referral routes directory"), Form: Form{Values: q}, Options: directoryOptions(),
		CanManage: a.Can(waymark.PermManageDirectory), OrgID: a.OrgID}
	if len(fields) > 0 {
		page.Form, page.Errors = formFromError(q, waymark.Invalid(fields), searchFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory", page)
	}
	list, total, err := s.svc.Directory.FindDirectoryServices(r.Context(), a, f)
	if err != nil {
		return err
	}
	page.Services, page.Pager = list, pager(r, n, total)
	return s.render(w, r, http.StatusOK, "directory", page)
}

func (s *Server) handleDirectoryView(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	d, err := s.svc.Directory.FindDirectoryService(r.Context(), a, r.PathValue("service"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-service", s.servicePage(w, r, d))
}

func (s *Server) servicePage(w http.ResponseWriter, r *http.Request, d *waymark.DirectoryService) DirectoryServicePage {
	a := actor(r)
	cf := Form{Values: url.Values{"version": {strconv.Itoa(d.Version)}}}
	if d.CapacityKnown {
		cf.Values.Set("capacity", strconv.Itoa(d.Capacity))
	}
	return DirectoryServicePage{Layout: s.layout(w, r, d.Name), Service: d, CanManage: a.Can(waymark.PermManageDirectory) && d.OrgID == a.OrgID,
		CapacityForm: cf}
}

// serviceFromForm reads a service from a submitted form, and what is wrong with its numbers.
func serviceFromForm(v url.Values) (waymark.DirectoryService, map[string]string) {
	fields := map[string]string{}
	d := waymark.DirectoryService{Name: v.Get("name"), Description: v.Get("description"), Status: waymark.ServiceStatus(v.Get("status")),
		AcceptsChildren: v.Get("accepts_children") == "yes", AcceptsNRPF: v.Get("accepts_nrpf") == "yes", Area: v.Get("service_area"),
		Email: v.Get("email"), Phone: v.Get("phone"), URL: v.Get("url"), Address: v.Get("address_1"), Town: v.Get("city"), Postcode: v.Get("postal_code"),
		ConfidentialLocation: v.Get("confidential_location") == "yes", Languages: v["languages"]}
	for _, n := range v["needs"] {
		d.Needs = append(d.Needs, waymark.ServiceNeed(n))
	}
	for _, g := range v["genders"] {
		d.Genders = append(d.Genders, waymark.Gender(g))
	}
	d.MinAge = wholeField(fields, v.Get("minimum_age"), "minimum_age", "Enter the minimum age as a whole number of years from 0 to 120, for example 18, or leave it blank", waymark.MaxServiceAge)
	d.MaxAge = wholeField(fields, v.Get("maximum_age"), "maximum_age", "Enter the maximum age as a whole number of years from 0 to 120, for example 25, or leave it blank", waymark.MaxServiceAge)
	d.Capacity, d.CapacityKnown = capacityField(fields, v.Get("capacity"))
	return d, fields
}

// capacityField reads the places available: blank is "not known".
func capacityField(fields map[string]string, v string) (int, bool) {
	if strings.TrimSpace(v) == "" {
		return 0, false
	}
	n := wholeField(fields, v, "capacity", "Enter the places available as a whole number, for example 3, or leave it blank if not known", waymark.MaxCapacity)
	return n, true
}

// serviceValues fills the form with a stored service.
func serviceValues(d *waymark.DirectoryService) url.Values {
	v := url.Values{"name": {d.Name}, "description": {d.Description}, "status": {string(d.Status)}, "service_area": {d.Area}, "email": {d.Email},
		"phone": {d.Phone}, "url": {d.URL}, "address_1": {d.Address}, "city": {d.Town}, "postal_code": {d.Postcode}, "languages": d.Languages,
		"version": {strconv.Itoa(d.Version)}}
	for _, n := range d.Needs {
		v.Add("needs", string(n))
	}
	for _, g := range d.Genders {
		v.Add("genders", string(g))
	}
	if d.MinAge > 0 {
		v.Set("minimum_age", strconv.Itoa(d.MinAge))
	}
	if d.MaxAge > 0 {
		v.Set("maximum_age", strconv.Itoa(d.MaxAge))
	}
	if d.CapacityKnown {
		v.Set("capacity", strconv.Itoa(d.Capacity))
	}
	for name, on := range map[string]bool{"accepts_children": d.AcceptsChildren, "accepts_nrpf": d.AcceptsNRPF, "confidential_location": d.ConfidentialLocation} {
		if on {
			v.Set(name, "yes")
		}
	}
	return v
}

func (s *Server) handleDirectoryNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "directory-form", DirectoryFormPage{Layout: s.layout(w, r, "Add a service to the directory"),
		Form: Form{Values: url.Values{"status": {string(waymark.ServiceActive)}}}, Options: directoryOptions()})
}

func (s *Server) handleDirectoryCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	d, fields := serviceFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, d.Validate(s.cfg.Now()))
	} else {
		err = s.svc.Directory.CreateDirectoryService(r.Context(), actor(r), &d)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page := DirectoryFormPage{Layout: s.layout(w, r, "Add a service to the directory"), Options: directoryOptions()}
		page.Form, page.Errors = formFromError(r.PostForm, err, directoryFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-form", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/directory/"+d.ID, "Service added to the directory.")
}

// ownService reads a service the actor's organisation keeps; any other is not found here, so that
// its edit page shows nothing, confidential or not.
func (s *Server) ownService(r *http.Request) (*waymark.DirectoryService, error) {
	a := actor(r)
	d, err := s.svc.Directory.FindDirectoryService(r.Context(), a, r.PathValue("service"))
	if err != nil {
		return nil, err
	}
	if d.OrgID != a.OrgID {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "The service could not be found.")
	}
	return d, nil
}

func (s *Server) handleDirectoryEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ownService(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-form", DirectoryFormPage{Layout: s.layout(w, r, "Change "+d.Name), Service: d,
		Form: Form{Values: serviceValues(d)}, Options: directoryOptions()})
}

func (s *Server) handleDirectoryUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.ownService(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	d, fields := serviceFromForm(r.PostForm)
	if len(fields) > 0 {
		err = withFormErrors(fields, d.Validate(s.cfg.Now()))
	} else {
		_, err = s.svc.Directory.UpdateDirectoryService(r.Context(), actor(r), cur.ID, version, d)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/directory/"+cur.ID, "Service updated.")
	case waymark.EINVALID:
		page := DirectoryFormPage{Layout: s.layout(w, r, "Change "+cur.Name), Service: cur, Options: directoryOptions()}
		page.Form, page.Errors = formFromError(r.PostForm, err, directoryFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-form", page)
	case waymark.ECONFLICT:
		// Show the service as it is now, with what happened: the change was not saved.
		page := DirectoryFormPage{Layout: s.layout(w, r, "Change "+cur.Name), Service: cur, Form: Form{Values: serviceValues(cur)}, Options: directoryOptions()}
		page.Errors = []FieldError{{Message: waymark.ErrorMessage(err)}}
		return s.render(w, r, http.StatusConflict, "directory-form", page)
	}
	return err
}

func (s *Server) handleDirectoryCapacity(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.ownService(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	fields := map[string]string{}
	n, known := capacityField(fields, r.PostForm.Get("capacity"))
	if len(fields) > 0 {
		err = waymark.Invalid(fields)
	} else {
		_, err = s.svc.Directory.UpdateDirectoryCapacity(r.Context(), actor(r), cur.ID, version, n, known)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/directory/"+cur.ID, "Capacity updated.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page := s.servicePage(w, r, cur)
		page.CapacityForm, page.Errors = formFromError(r.PostForm, err, "capacity")
		page.CapacityForm.Values.Set("version", strconv.Itoa(cur.Version))
		return s.render(w, r, errorStatus(err), "directory-service", page)
	}
	return err
}

func (s *Server) handleDirectoryImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "directory-import", DirectoryImportPage{Layout: s.layout(w, r, "Import services"), Form: Form{Values: url.Values{}}})
}

// importProblems turns an import's error into the page's error summary: one line per problem, each
// linking to the file input.
func importProblems(err error) ([]FieldError, string) {
	var out []FieldError
	for _, p := range waymark.SortedProblems(err) {
		out = append(out, FieldError{Field: "file", Message: p})
	}
	if len(out) == 0 {
		out = []FieldError{{Field: "file", Message: waymark.ErrorMessage(err)}}
	}
	msg := "Nothing was imported: correct the problems listed and choose the file again"
	if len(out) == 1 {
		msg = out[0].Message
	}
	return out, msg
}

func (s *Server) handleDirectoryImport(w http.ResponseWriter, r *http.Request) error {
	data, err := readUpload(r, "file")
	if err == nil {
		var list []waymark.DirectoryService
		if list, err = hsds.Parse(data, s.cfg.Now()); err == nil {
			var res waymark.ImportResult
			if res, err = s.svc.Directory.ImportDirectory(r.Context(), actor(r), list); err == nil {
				return redirect(w, r, "/directory?org=mine", fmt.Sprintf("Imported %d services: %d added, %d updated.", res.Created+res.Updated, res.Created, res.Updated))
			}
		}
	}
	if waymark.ErrorCode(err) != waymark.EINVALID {
		return err
	}
	page := DirectoryImportPage{Layout: s.layout(w, r, "Import services"), Form: Form{Values: url.Values{}, Errs: map[string]string{}}}
	page.Errors, page.Form.Errs["file"] = importProblems(err)
	return s.render(w, r, http.StatusUnprocessableEntity, "directory-import", page)
}

// readUpload reads an uploaded file from a multipart form; the body is already limited in size.
func readUpload(r *http.Request, name string) ([]byte, error) {
	file, _, err := r.FormFile(name)
	if err != nil {
		return nil, waymark.Invalid(map[string]string{name: "Choose an HSDS JSON file to import"})
	}
	defer file.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, file); err != nil {
		return nil, waymark.Invalid(map[string]string{name: "The file could not be read: try again"})
	}
	return buf.Bytes(), nil
}

func (s *Server) handleDirectoryExport(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	org := r.URL.Query().Get("org")
	if org == "mine" {
		org = a.OrgID
	}
	return s.writeExport(w, r, a, org)
}

// writeExport writes the directory (or one organisation's entries) as an HSDS 3 download.
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request, a waymark.Actor, org string) error {
	list, err := s.svc.Directory.ExportDirectory(r.Context(), a, org)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := hsds.Write(&buf, list); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="waymark-directory-%s.json"`, s.today()))
	_, err = buf.WriteTo(w)
	return err
}
