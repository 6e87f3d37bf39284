package web

import (
	"io"
	"net/http"
	"time"

	"waymark"
)

// The training records and awareness activities in the API: the same service calls as the pages.

type apiCourse struct {
	ID               string    `json:"id"`
	OrganisationID   string    `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name"`
	Name             string    `json:"name"`
	Provider         string    `json:"provider"`
	Level            string    `json:"level"`
	ValidityMonths   int       `json:"validity_months"`
	Version          int       `json:"version"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func toAPICourse(c *waymark.Course) apiCourse {
	return apiCourse{ID: c.ID, OrganisationID: c.OrgID, OrganisationName: c.OrgName, Name: c.Name, Provider: c.Provider, Level: string(c.Level),
		ValidityMonths: c.ValidityMonths, Version: c.Version, UpdatedAt: c.UpdatedAt}
}

type apiCourseIn struct {
	Name           string `json:"name"`
	Provider       string `json:"provider"`
	Level          string `json:"level"`
	ValidityMonths int    `json:"validity_months"`
	Version        int    `json:"version"`
}

func (in apiCourseIn) course() waymark.Course {
	return waymark.Course{Name: in.Name, Provider: in.Provider, Level: waymark.CourseLevel(in.Level), ValidityMonths: in.ValidityMonths}
}

type apiVolunteer struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Active  bool   `json:"active"`
	AddedOn string `json:"added_on"`
	EndedOn string `json:"ended_on,omitempty"`
	Version int    `json:"version"`
}

func toAPIVolunteer(v *waymark.Volunteer) apiVolunteer {
	return apiVolunteer{ID: v.ID, Name: v.Name, Active: v.Active, AddedOn: v.AddedOn, EndedOn: v.EndedOn, Version: v.Version}
}

type apiCompletion struct {
	ID          string `json:"id"`
	CourseID    string `json:"course_id"`
	CourseName  string `json:"course_name,omitempty"`
	Level       string `json:"level,omitempty"`
	UserID      string `json:"user_id,omitempty"`
	VolunteerID string `json:"volunteer_id,omitempty"`
	PersonName  string `json:"person_name,omitempty"`
	CompletedOn string `json:"completed_on"`
	// ExpiresOn is the first day the training is out of date; empty when it does not expire.
	ExpiresOn string `json:"expires_on,omitempty"`
}

func toAPICompletion(c *waymark.TrainingCompletion) apiCompletion {
	return apiCompletion{ID: c.ID, CourseID: c.CourseID, CourseName: c.CourseName, Level: string(c.Level), UserID: c.UserID, VolunteerID: c.VolunteerID,
		PersonName: c.PersonName, CompletedOn: c.CompletedOn, ExpiresOn: c.ExpiresOn}
}

type apiPersonTraining struct {
	UserID      string          `json:"user_id,omitempty"`
	VolunteerID string          `json:"volunteer_id,omitempty"`
	Name        string          `json:"name"`
	Role        string          `json:"role,omitempty"`
	Counted     bool            `json:"counted"`
	Status      string          `json:"status"`
	Level       string          `json:"level,omitempty"`
	LastExpiry  string          `json:"last_expiry,omitempty"`
	InDate      []apiCompletion `json:"in_date"`
}

type apiCoverage struct {
	On             string              `json:"on"`
	People         int                 `json:"people"`
	InDate         int                 `json:"in_date"`
	Awareness      int                 `json:"awareness"`
	FirstResponder int                 `json:"first_responder"`
	Specialist     int                 `json:"specialist"`
	Expiring       int                 `json:"expiring_soon"`
	OutOfDate      int                 `json:"out_of_date"`
	Untrained      int                 `json:"untrained"`
	Rows           []apiPersonTraining `json:"people_training"`
}

func toAPICoverage(c *waymark.TrainingCoverage) apiCoverage {
	out := apiCoverage{On: c.On, People: c.People, InDate: c.InDate, Awareness: c.Awareness, FirstResponder: c.FirstResponder, Specialist: c.Specialist,
		Expiring: c.Expiring, OutOfDate: c.OutOfDate, Untrained: c.Untrained, Rows: []apiPersonTraining{}}
	for _, r := range c.Rows {
		p := apiPersonTraining{UserID: r.Person.UserID, VolunteerID: r.Person.VolunteerID, Name: r.Person.Name, Role: string(r.Person.Role),
			Counted: r.Person.Counted, Status: r.Status, Level: string(r.Level), LastExpiry: r.LastExpiry, InDate: []apiCompletion{}}
		for _, t := range r.InDate {
			p.InDate = append(p.InDate, toAPICompletion(t))
		}
		out.Rows = append(out.Rows, p)
	}
	return out
}

type apiAwareness struct {
	ID          string    `json:"id"`
	On          string    `json:"on"`
	Audience    string    `json:"audience"`
	Attending   int       `json:"attending"`
	Topic       string    `json:"topic"`
	DeliveredBy string    `json:"delivered_by"`
	Notes       string    `json:"notes"`
	Version     int       `json:"version"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
}

func toAPIAwareness(a *waymark.AwarenessActivity) apiAwareness {
	return apiAwareness{ID: a.ID, On: a.On, Audience: string(a.Audience), Attending: a.Attending, Topic: a.Topic, DeliveredBy: a.DeliveredBy, Notes: a.Notes,
		Version: a.Version, UpdatedAt: a.UpdatedAt}
}

func (in apiAwareness) activity() waymark.AwarenessActivity {
	return waymark.AwarenessActivity{On: in.On, Audience: waymark.AwarenessAudience(in.Audience), Attending: in.Attending, Topic: in.Topic,
		DeliveredBy: in.DeliveredBy, Notes: in.Notes}
}

type apiImportLine struct {
	Row          int    `json:"row"`
	PersonName   string `json:"person_name"`
	UserID       string `json:"user_id,omitempty"`
	VolunteerID  string `json:"volunteer_id,omitempty"`
	NewVolunteer bool   `json:"new_volunteer"`
	CourseID     string `json:"course_id"`
	CourseName   string `json:"course_name"`
	CompletedOn  string `json:"completed_on"`
	ExpiresOn    string `json:"expires_on,omitempty"`
}

type apiImportReport struct {
	Rows          int             `json:"rows"`
	DryRun        bool            `json:"dry_run"`
	Stored        bool            `json:"stored"`
	Add           []apiImportLine `json:"add"`
	Duplicates    []apiImportLine `json:"already_recorded"`
	NewVolunteers []string        `json:"new_volunteers"`
	BadRows       int             `json:"bad_rows"`
	Errors        []string        `json:"errors"`
}

func toAPIReport(r *waymark.TrainingImportReport) apiImportReport {
	line := func(l waymark.TrainingImportLine) apiImportLine {
		return apiImportLine{Row: l.Row, PersonName: l.PersonName, UserID: l.UserID, VolunteerID: l.VolunteerID, NewVolunteer: l.NewVolunteer,
			CourseID: l.CourseID, CourseName: l.CourseName, CompletedOn: l.CompletedOn, ExpiresOn: l.ExpiresOn}
	}
	out := apiImportReport{Rows: r.Rows, DryRun: r.DryRun, Stored: r.Stored, Add: []apiImportLine{}, Duplicates: []apiImportLine{},
		NewVolunteers: nonNil(r.NewVolunteers), BadRows: r.BadRows, Errors: nonNil(r.Errors)}
	for _, l := range r.Add {
		out.Add = append(out.Add, line(l))
	}
	for _, l := range r.Duplicates {
		out.Duplicates = append(out.Duplicates, line(l))
	}
	return out
}

func (s *Server) apiTraining(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	cov, err := s.svc.Training.Coverage(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPICoverage(cov))
	return nil
}

func (s *Server) apiCourseIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Training.FindCourses(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, len(list), waymark.Page{Limit: len(list)}, toAPICourse))
	return nil
}

func (s *Server) apiCourseView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	c, err := s.svc.Training.FindCourse(r.Context(), apiActor(r, id), r.PathValue("course"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPICourse(c))
	return nil
}

func (s *Server) apiCourseCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiCourseIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := in.course()
	if err := s.svc.Training.CreateCourse(r.Context(), apiActor(r, id), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPICourse(&c))
	return nil
}

func (s *Server) apiCourseUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiCourseIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.svc.Training.UpdateCourse(r.Context(), apiActor(r, id), r.PathValue("course"), in.Version, in.course())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPICourse(c))
	return nil
}

func (s *Server) apiVolunteerIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Training.FindVolunteers(r.Context(), apiActor(r, id), r.URL.Query().Get("all") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, len(list), waymark.Page{Limit: len(list)}, toAPIVolunteer))
	return nil
}

func (s *Server) apiVolunteerCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v := waymark.Volunteer{Name: in.Name}
	if err := s.svc.Training.AddVolunteer(r.Context(), apiActor(r, id), &v); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIVolunteer(&v))
	return nil
}

func (s *Server) apiVolunteerEnd(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Version int `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := s.svc.Training.EndVolunteer(r.Context(), apiActor(r, id), r.PathValue("volunteer"), in.Version)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIVolunteer(v))
	return nil
}

func (s *Server) apiCompletionIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Training.FindCompletions(r.Context(), apiActor(r, id), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, total, p.Normalize(), toAPICompletion))
	return nil
}

func (s *Server) apiCompletionCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		CourseID    string `json:"course_id"`
		UserID      string `json:"user_id"`
		VolunteerID string `json:"volunteer_id"`
		CompletedOn string `json:"completed_on"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := waymark.TrainingCompletion{CourseID: in.CourseID, UserID: in.UserID, VolunteerID: in.VolunteerID, CompletedOn: in.CompletedOn}
	if err := s.svc.Training.RecordCompletion(r.Context(), apiActor(r, id), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPICompletion(&c))
	return nil
}

// apiTrainingImport takes a CSV file as the body. With ?dry_run=true it only checks; otherwise it
// stores everything or, when any row is bad, nothing, and answers 422 with the report.
func (s *Server) apiTrainingImport(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	a := apiActor(r, id)
	if !a.Can(waymark.PermManageTraining) {
		return waymark.Errorf(waymark.EFORBIDDEN, "You do not have permission to do that.")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return waymark.Errorf(waymark.EINVALID, "The body could not be read: send one CSV file of at most 1 MB.")
	}
	rows, err := waymark.ParseTrainingCSV(body, s.today())
	if err != nil {
		return err
	}
	dry := r.URL.Query().Get("dry_run")
	if dry != "" && dry != "true" && dry != "false" {
		return waymark.Invalid(map[string]string{"dry_run": "Set dry_run to true to check the file without storing it, or leave it out"})
	}
	rep, err := s.svc.Training.ImportTraining(r.Context(), a, rows, dry == "true")
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(rep.Errors) > 0 && !rep.DryRun {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, toAPIReport(rep))
	return nil
}

func (s *Server) apiAwarenessIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	list, total, err := s.svc.Awareness.FindAwareness(r.Context(), apiActor(r, id), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, total, p.Normalize(), toAPIAwareness))
	return nil
}

func (s *Server) apiAwarenessView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	a, err := s.svc.Awareness.FindAwarenessActivity(r.Context(), apiActor(r, id), r.PathValue("activity"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAwareness(a))
	return nil
}

func (s *Server) apiAwarenessCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiAwareness
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := in.activity()
	if err := s.svc.Awareness.CreateAwareness(r.Context(), apiActor(r, id), &a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIAwareness(&a))
	return nil
}

func (s *Server) apiAwarenessUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiAwareness
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.svc.Awareness.UpdateAwareness(r.Context(), apiActor(r, id), r.PathValue("activity"), in.Version, in.activity())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAwareness(a))
	return nil
}
