package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"waymark"
)

// Training records: the organisation's coverage, the region's course catalogue, volunteers,
// completions and the CSV import. Frontline workers, safeguarding leads, managers and admins read
// their own organisation's pages (PermViewTraining); managers and admins change them
// (PermManageTraining) and only they see the forms.

// TrainingPage is the organisation's training coverage.
type TrainingPage struct {
	Layout
	Coverage  *waymark.TrainingCoverage
	CanManage bool
}

// CoursesPage is the catalogue, with the form to add a course for those who manage training.
type CoursesPage struct {
	Layout
	Courses   []*waymark.Course
	OrgID     string
	CanManage bool
	Form      Form
	Levels    []waymark.Option
}

// CourseFormPage changes a course the organisation keeps.
type CourseFormPage struct {
	Layout
	Course *waymark.Course
	Form   Form
	Levels []waymark.Option
	// Conflict is set when someone else changed the course first.
	Conflict bool
}

// VolunteersPage lists the organisation's volunteers.
type VolunteersPage struct {
	Layout
	Volunteers []*waymark.Volunteer
	CanManage  bool
	Form       Form
}

// CompletionFormPage records a completion.
type CompletionFormPage struct {
	Layout
	Form    Form
	People  []waymark.Option
	Courses []waymark.Option
}

// TrainingImportPage takes a CSV file, checks it and imports it.
type TrainingImportPage struct {
	Layout
	Form Form
	// CSV is the checked file's text, posted again with "Import".
	CSV    string
	Report *waymark.TrainingImportReport
}

var courseFields = []string{"name", "provider", "level", "validity_months"}

var completionFields = []string{"person", "course", "completed_on"}

func (s *Server) handleTraining(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	cov, err := s.svc.Training.Coverage(r.Context(), a)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training", TrainingPage{Layout: s.layout(w, r, "Training"), Coverage: cov, CanManage: a.Can(waymark.PermManageTraining)})
}

func (s *Server) coursesPage(w http.ResponseWriter, r *http.Request, f Form) (CoursesPage, error) {
	a := actor(r)
	list, err := s.svc.Training.FindCourses(r.Context(), a)
	return CoursesPage{Layout: s.layout(w, r, "Training courses"), Courses: list, OrgID: a.OrgID, CanManage: a.Can(waymark.PermManageTraining),
		Form: f, Levels: waymark.CourseLevelOptions()}, err
}

func (s *Server) handleCourses(w http.ResponseWriter, r *http.Request) error {
	page, err := s.coursesPage(w, r, Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training-courses", page)
}

// courseFromForm reads a course, and what is wrong with its validity.
func courseFromForm(v url.Values) (waymark.Course, map[string]string) {
	fields := map[string]string{}
	c := waymark.Course{Name: v.Get("name"), Provider: v.Get("provider"), Level: waymark.CourseLevel(v.Get("level"))}
	c.ValidityMonths = wholeField(fields, v.Get("validity_months"), "validity_months",
		"Enter how many months the training stays valid as a whole number from 1 to 120, for example 24, or 0 if it does not expire", waymark.MaxValidityMonths)
	if strings.TrimSpace(v.Get("validity_months")) == "" {
		fields["validity_months"] = "Enter how many months the training stays valid, for example 24, or 0 if it does not expire"
	}
	return c, fields
}

func (s *Server) handleCourseCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	c, fields := courseFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate())
	} else {
		err = s.svc.Training.CreateCourse(r.Context(), actor(r), &c)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		f, errs := formFromError(r.PostForm, err, courseFields...)
		page, perr := s.coursesPage(w, r, f)
		if perr != nil {
			return perr
		}
		page.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "training-courses", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/training/courses", "Course added to the catalogue: "+c.Name+".")
}

func courseValues(c *waymark.Course) url.Values {
	return url.Values{"name": {c.Name}, "provider": {c.Provider}, "level": {string(c.Level)}, "validity_months": {strconv.Itoa(c.ValidityMonths)},
		"version": {strconv.Itoa(c.Version)}}
}

// ownCourse reads a course for a change: another organisation's course is read by everyone, but
// only its keeper changes it, as the page says.
func (s *Server) ownCourse(r *http.Request) (*waymark.Course, error) {
	a := actor(r)
	c, err := s.svc.Training.FindCourse(r.Context(), a, r.PathValue("course"))
	if err != nil {
		return nil, err
	}
	if c.OrgID != a.OrgID {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "Only %s, which keeps this course, can change it.", c.OrgName)
	}
	return c, nil
}

func (s *Server) handleCourseEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.ownCourse(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training-course-form", CourseFormPage{Layout: s.layout(w, r, "Change "+c.Name), Course: c,
		Form: Form{Values: courseValues(c)}, Levels: waymark.CourseLevelOptions()})
}

func (s *Server) handleCourseUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.ownCourse(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	c, fields := courseFromForm(r.PostForm)
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate())
	} else {
		_, err = s.svc.Training.UpdateCourse(r.Context(), actor(r), cur.ID, version, c)
	}
	page := CourseFormPage{Layout: s.layout(w, r, "Change "+cur.Name), Course: cur, Levels: waymark.CourseLevelOptions()}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/training/courses", "Course updated: "+c.Name+".")
	case waymark.EINVALID:
		page.Form, page.Errors = formFromError(r.PostForm, err, courseFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "training-course-form", page)
	case waymark.ECONFLICT:
		// Keep what was typed, with the version now stored: saving again overwrites knowingly.
		v := r.PostForm
		v.Set("version", strconv.Itoa(cur.Version))
		page.Form, page.Conflict = Form{Values: v}, true
		page.Errors = []FieldError{{Message: waymark.ErrorMessage(err)}}
		return s.render(w, r, http.StatusConflict, "training-course-form", page)
	}
	return err
}

func (s *Server) volunteersPage(w http.ResponseWriter, r *http.Request, f Form) (VolunteersPage, error) {
	a := actor(r)
	list, err := s.svc.Training.FindVolunteers(r.Context(), a, true)
	return VolunteersPage{Layout: s.layout(w, r, "Volunteers"), Volunteers: list, CanManage: a.Can(waymark.PermManageTraining), Form: f}, err
}

func (s *Server) handleVolunteers(w http.ResponseWriter, r *http.Request) error {
	page, err := s.volunteersPage(w, r, Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training-volunteers", page)
}

func (s *Server) handleVolunteerAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	v := waymark.Volunteer{Name: r.PostForm.Get("name")}
	err := s.svc.Training.AddVolunteer(r.Context(), actor(r), &v)
	if waymark.ErrorCode(err) == waymark.EINVALID {
		f, errs := formFromError(r.PostForm, err, "name")
		page, perr := s.volunteersPage(w, r, f)
		if perr != nil {
			return perr
		}
		page.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "training-volunteers", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/training/volunteers", "Volunteer added: "+v.Name+".")
}

func (s *Server) handleVolunteerEnd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	v, err := s.svc.Training.EndVolunteer(r.Context(), actor(r), r.PathValue("volunteer"), version)
	if waymark.ErrorCode(err) == waymark.ECONFLICT {
		page, perr := s.volunteersPage(w, r, Form{Values: url.Values{}})
		if perr != nil {
			return perr
		}
		page.Errors = []FieldError{{Message: waymark.ErrorMessage(err)}}
		return s.render(w, r, http.StatusConflict, "training-volunteers", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/training/volunteers", v.Name+" is recorded as no longer volunteering. Their training records are kept.")
}

// personValue is how the completion form names a person: "u:" or "v:" and the ID.
func personValue(p waymark.TrainingPerson) string { return p.Key() }

func (s *Server) completionPage(w http.ResponseWriter, r *http.Request, f Form) (CompletionFormPage, error) {
	a := actor(r)
	page := CompletionFormPage{Layout: s.layout(w, r, "Record training"), Form: f}
	people, err := s.svc.Training.TrainingPeople(r.Context(), a)
	if err != nil {
		return page, err
	}
	for _, p := range people {
		page.People = append(page.People, waymark.Option{Value: personValue(p), Label: p.Name + " (" + p.Kind() + ")"})
	}
	courses, err := s.svc.Training.FindCourses(r.Context(), a)
	if err != nil {
		return page, err
	}
	for _, c := range courses {
		label := c.Name + " (" + c.Level.Label() + ", " + strings.ToLower(c.ValidityText()) + ")"
		if c.OrgID != a.OrgID {
			label += " – kept by " + c.OrgName
		}
		page.Courses = append(page.Courses, waymark.Option{Value: c.ID, Label: label})
	}
	return page, nil
}

func (s *Server) handleCompletionNew(w http.ResponseWriter, r *http.Request) error {
	v := url.Values{}
	if p := r.URL.Query().Get("person"); p != "" {
		v.Set("person", p)
	}
	page, err := s.completionPage(w, r, Form{Values: v})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "training-completion", page)
}

// completionFromForm reads a completion, and what is wrong with the date's boxes.
func completionFromForm(v url.Values) (waymark.TrainingCompletion, map[string]string) {
	fields := joinDates(v, dateInput{name: "completed_on", label: "The date they completed the course"})
	c := waymark.TrainingCompletion{CourseID: v.Get("course"), CompletedOn: v.Get("completed_on")}
	kind, id, _ := strings.Cut(v.Get("person"), ":")
	switch kind {
	case "u":
		c.UserID = id
	case "v":
		c.VolunteerID = id
	}
	return c, fields
}

func (s *Server) handleCompletionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	c, fields := completionFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate(s.today()))
	} else {
		err = s.svc.Training.RecordCompletion(r.Context(), actor(r), &c)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		f, errs := formFromError(r.PostForm, err, completionFields...)
		page, perr := s.completionPage(w, r, f)
		if perr != nil {
			return perr
		}
		page.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "training-completion", page)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Recorded: %s completed %s on %s.", c.PersonName, c.CourseName, waymark.FormatDay(c.CompletedOn))
	if c.ExpiresOn != "" {
		msg += " It stays in date until the day before " + waymark.FormatDay(c.ExpiresOn) + "."
	}
	return redirect(w, r, "/training", msg)
}

func (s *Server) handleTrainingImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "training-import", TrainingImportPage{Layout: s.layout(w, r, "Import training records"), Form: Form{Values: url.Values{}}})
}

// importText reads the CSV to import: an uploaded file when one was chosen, else the text pasted
// (or posted again after a check).
func importText(r *http.Request) (string, error) {
	if err := r.ParseMultipartForm(maxBody); err != nil && err != http.ErrNotMultipart {
		return "", waymark.Invalid(map[string]string{"file": "The file could not be read: it may be bigger than 1 MB. Import at most 1 MB (about 10,000 rows) at a time"})
	}
	if file, hdr, err := r.FormFile("file"); err == nil {
		defer file.Close()
		if hdr.Size > 0 {
			b, err := io.ReadAll(io.LimitReader(file, waymark.MaxTrainingImportBytes+1))
			if err != nil {
				return "", waymark.Invalid(map[string]string{"file": "The file could not be read: try again"})
			}
			return string(b), nil
		}
	}
	return r.FormValue("csv"), nil
}

func (s *Server) handleTrainingImport(w http.ResponseWriter, r *http.Request) error {
	page := TrainingImportPage{Layout: s.layout(w, r, "Import training records"), Form: Form{Values: url.Values{}, Errs: map[string]string{}}}
	text, err := importText(r)
	if err == nil && strings.TrimSpace(text) == "" {
		err = waymark.Invalid(map[string]string{"file": "Choose a CSV file, or paste the rows into the box, with a header row first"})
	}
	dryRun := r.FormValue("action") != "import"
	var rep *waymark.TrainingImportReport
	if err == nil {
		var rows []waymark.TrainingImportRow
		if rows, err = waymark.ParseTrainingCSV([]byte(text), s.today()); err == nil {
			rep, err = s.svc.Training.ImportTraining(r.Context(), actor(r), rows, dryRun)
		}
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page.Form.Values.Set("csv", text)
		page.Form, page.Errors = formFromError(page.Form.Values, err, "file")
		return s.render(w, r, http.StatusUnprocessableEntity, "training-import", page)
	}
	if err != nil {
		return err
	}
	if rep.Stored {
		msg := fmt.Sprintf("Imported %d training records.", len(rep.Add))
		if n := len(rep.NewVolunteers); n > 0 {
			msg += fmt.Sprintf(" Added %d new %s.", n, plural(n, "volunteer", "volunteers"))
		}
		if n := len(rep.Duplicates); n > 0 {
			msg += fmt.Sprintf(" Skipped %d already recorded.", n)
		}
		return redirect(w, r, "/training", msg)
	}
	page.Report, page.CSV = rep, text
	page.Form.Values.Set("csv", text)
	status := http.StatusOK
	if len(rep.Errors) > 0 {
		status = http.StatusUnprocessableEntity
		page.Errors = []FieldError{{Field: "report", Message: fmt.Sprintf("%d %s of the file %s problems, listed below: correct them in the file, then check it again. Nothing has been imported.",
			rep.BadRows, plural(rep.BadRows, "row", "rows"), plural(rep.BadRows, "has", "have"))}}
	}
	return s.render(w, r, status, "training-import", page)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
