package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"waymark"
)

// ClientIndexPage lists the organisation's clients, or those matching a search or filters.
type ClientIndexPage struct {
	Layout
	// Name is the name searched for; its paging links are forms that post it again.
	Name    string
	Filter  waymark.ClientFilter
	Clients []*waymark.Client
	Pager   Pager
	Options ClientOptions
}

// ClientOptions are the closed lists the client pages offer.
type ClientOptions struct {
	Genders             []waymark.Option
	Answers             []waymark.Answer
	ImmigrationStatuses []waymark.Option
	Situations          []waymark.Option
	SupportNeeds        []waymark.Option
	ConcernStatuses     []waymark.Option
	ContactKinds        []waymark.Option
	ContactRows         []int
	Staff               []*waymark.User
}

func clientOptions() ClientOptions {
	rows := make([]int, maxContactRows)
	for i := range rows {
		rows[i] = i
	}
	return ClientOptions{Genders: waymark.GenderOptions(), Answers: waymark.Answers, ImmigrationStatuses: waymark.ImmigrationStatusOptions(),
		Situations: waymark.SituationOptions(), SupportNeeds: waymark.SupportNeedOptions(), ConcernStatuses: waymark.ConcernStatusOptions(),
		ContactKinds: waymark.ContactKindOptions(), ContactRows: rows}
}

// ClientPage shows one client.
type ClientPage struct {
	Layout
	Client  *waymark.Client
	History []waymark.ConcernChange
	// Missing names the key modern slavery fields not yet recorded.
	Missing []string
	Form    Form
	Options ClientOptions
	// Notes are the case notes the user may see, newest first; NoteForm adds one.
	Notes    []*waymark.CaseNote
	NoteForm Form
	Timeline []waymark.TimelineEvent
	// Consent is the client's consent position at a glance.
	Consent waymark.ConsentPosition
	CanEdit bool
}

// ClientFormPage adds or edits a client. Adding starts with a search (Searched false), then shows
// possible matches above the form.
type ClientFormPage struct {
	Layout
	Client   *waymark.Client // nil when adding
	Searched bool
	Matches  []waymark.PossibleMatch
	Form     Form
	Options  ClientOptions
	// Conflict explains that someone else saved the record first.
	Conflict string
}

func (s *Server) handleClientIndex(w http.ResponseWriter, r *http.Request) error {
	p, n := pageFrom(r)
	q := r.URL.Query()
	f := waymark.ClientFilter{ConcernStatus: waymark.ConcernStatus(q.Get("concern_status")), Situation: waymark.Situation(q.Get("situation")),
		NotRecorded: q.Get("not_recorded") == "yes", Page: p}
	if q.Get("assigned") == "me" {
		f.AssignedWorkerID = identity(r).User.ID
	}
	if !f.ConcernStatus.Valid() {
		f.ConcernStatus = ""
	}
	if !f.Situation.Valid() {
		f.Situation = ""
	}
	return s.clientList(w, r, f, n)
}

// handleClientSearch searches by name. The name comes in a POST body, never the URL, so it stays
// out of browser history and proxy logs; paging re-posts it.
func (s *Server) handleClientSearch(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	if len(name) > 200 {
		name = name[:200]
	}
	n, err := strconv.Atoi(r.PostForm.Get("page"))
	if err != nil || n < 1 || n > 100000 {
		n = 1
	}
	return s.clientList(w, r, waymark.ClientFilter{Name: name, Page: waymark.Page{Offset: (n - 1) * waymark.DefaultPageSize, Limit: waymark.DefaultPageSize}}, n)
}

func (s *Server) clientList(w http.ResponseWriter, r *http.Request, f waymark.ClientFilter, n int) error {
	clients, total, err := s.svc.Clients.FindClients(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "clients", ClientIndexPage{Layout: s.layout(w, r, "Clients"), Name: f.Name, Filter: f,
		Clients: clients, Pager: pager(r, n, total), Options: clientOptions()})
}

// missingFields names the key modern slavery fields of a client not yet recorded.
func missingFields(c *waymark.Client) []string {
	var out []string
	if c.ConcernStatus == waymark.ConcernNotYetAsked || c.ConcernStatus == "" {
		out = append(out, "whether there is a modern slavery concern")
	}
	if c.DateOfBirth == "" && c.EstimatedAge == 0 {
		out = append(out, "date of birth or age")
	}
	if c.Gender == "" {
		out = append(out, "gender")
	}
	if len(c.Nationalities) == 0 && c.NationalityAnswer == "" {
		out = append(out, "nationality")
	}
	if c.Situation == "" {
		out = append(out, "where they are living")
	}
	if c.ImmigrationStatus == "" {
		out = append(out, "immigration status")
	}
	return out
}

func (s *Server) handleClientView(w http.ResponseWriter, r *http.Request) error {
	page, err := s.clientPage(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client", page)
}

func (s *Server) clientPage(w http.ResponseWriter, r *http.Request, id string) (ClientPage, error) {
	rec, err := s.svc.Clients.FindClientRecord(r.Context(), actor(r), id)
	if err != nil {
		return ClientPage{}, err
	}
	return ClientPage{Layout: s.layout(w, r, "Client record"), Client: rec.Client, History: rec.History, Missing: missingFields(rec.Client),
		Notes: rec.Notes, Timeline: rec.Timeline, Form: Form{Values: url.Values{"concern_status": {string(rec.Client.ConcernStatus)}}}, Options: clientOptions(),
		Consent: rec.Consent, CanEdit: actor(r).Can(waymark.PermEditClients)}, nil
}

func (s *Server) handleConcernUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	_, err := s.svc.Clients.SetConcernStatus(r.Context(), actor(r), id, waymark.ConcernStatus(r.PostForm.Get("concern_status")), r.PostForm.Get("reason"))
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.clientPage(w, r, id)
		if perr != nil {
			return perr
		}
		page.Form, page.Errors = formFromError(r.PostForm, err, "concern_status", "reason")
		return s.render(w, r, http.StatusUnprocessableEntity, "client", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id, "Concern status recorded.")
}

// staff lists the organisation's staff for the assigned-worker choice. Only organisation admins may
// list staff, so other roles are offered themselves.
func (s *Server) staffChoice(r *http.Request) []*waymark.User {
	return []*waymark.User{identity(r).User}
}

func (s *Server) clientFormPage(w http.ResponseWriter, r *http.Request, title string) ClientFormPage {
	o := clientOptions()
	o.Staff = s.staffChoice(r)
	return ClientFormPage{Layout: s.layout(w, r, title), Options: o}
}

// handleClientNew starts adding a client with a search, so the same person is not added twice.
func (s *Server) handleClientNew(w http.ResponseWriter, r *http.Request) error {
	page := s.clientFormPage(w, r, "Add a client")
	page.Form = Form{Values: url.Values{}}
	return s.render(w, r, http.StatusOK, "client-form", page)
}

var clientFieldOrder = []string{"given_name", "family_name", "known_as", "date_of_birth", "estimated_age", "gender", "nationalities",
	"nationality_answer", "languages", "interpreter_needed", "communication_aid_needed", "immigration_status", "nrpf", "dependent_children",
	"contacts.0", "contacts.1", "contacts.2", "situation", "support_needs", "concern_status", "assigned_worker_id", "reference", "notes"}

// handleClientCreate searches for possible matches (action=search), or adds the client.
func (s *Server) handleClientCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	a := actor(r)
	c, fields := clientFromForm(r.PostForm)
	page := s.clientFormPage(w, r, "Add a client")
	page.Form = Form{Values: r.PostForm}
	if r.PostForm.Get("action") == "search" {
		var matches []waymark.PossibleMatch
		var err error = waymark.Invalid(fields)
		if len(fields) == 0 {
			matches, err = s.svc.Clients.FindPossibleMatches(r.Context(), a, c)
		}
		if waymark.ErrorCode(err) == waymark.EINVALID {
			page.Form, page.Errors = formFromError(r.PostForm, err, clientFieldOrder...)
			return s.render(w, r, http.StatusUnprocessableEntity, "client-form", page)
		}
		if err != nil {
			return err
		}
		page.Searched, page.Matches = true, matches
		page.Form.Values.Del("shown")
		for _, m := range matches {
			page.Form.Values.Add("shown", m.Client.ID)
		}
		return s.render(w, r, http.StatusOK, "client-form", page)
	}
	page.Searched = true
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate())
	} else {
		err = s.svc.Clients.CreateClient(r.Context(), a, &c, r.PostForm["shown"])
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page.Form, page.Errors = formFromError(r.PostForm, err, clientFieldOrder...)
		return s.render(w, r, http.StatusUnprocessableEntity, "client-form", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+c.ID, "Client added.")
}

func (s *Server) handleClientEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Clients.FindClientByID(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	page := s.clientFormPage(w, r, "Change client details")
	page.Client, page.Searched, page.Form = c, true, Form{Values: clientFormValues(c)}
	return s.render(w, r, http.StatusOK, "client-form", page)
}

func (s *Server) handleClientUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	cur, err := s.svc.Clients.FindClientByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	c, fields := clientFromForm(r.PostForm)
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate())
	} else {
		_, err = s.svc.Clients.UpdateClient(r.Context(), a, cur.ID, waymark.ClientUpdate{Version: version, Client: c})
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+cur.ID, "Client details saved.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page := s.clientFormPage(w, r, "Change client details")
		page.Client, page.Searched = cur, true
		page.Form, page.Errors = formFromError(r.PostForm, err, clientFieldOrder...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			// What the user typed stays in the form; the version moves on, so saving again
			// deliberately replaces the other change.
			page.Conflict = waymark.ErrorMessage(err)
			page.Form.Values.Set("version", strconv.Itoa(cur.Version))
		}
		return s.render(w, r, errorStatus(err), "client-form", page)
	}
	return err
}
