package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"waymark"
)

// The pages of case conferences. Safeguarding leads, managers and partner staff of the attending
// organisations read a conference (PermViewConferences); staff of the chair change it, and any
// attendee's staff write minutes and actions (PermManageConferences). A case's minutes and actions
// are shown only to organisations that may see the case: the store checks that on every request.

// ConferencesPage lists the conferences the user's organisation attends: upcoming first, then past.
type ConferencesPage struct {
	Layout
	Upcoming, Past []*waymark.Conference
	Pager          Pager
	CanManage      bool
}

// ConferencePage shows a conference: its details, attendees, agenda and conference-wide actions.
type ConferencePage struct {
	Layout
	Detail *waymark.ConferenceDetail
	// IsChair offers the change link to staff of the chair; CanManage the action forms.
	IsChair, CanManage bool
	ActionForm         Form
	Options            ConferenceOptions
}

// ConferenceOptions are the closed lists the conference pages offer.
type ConferenceOptions struct {
	// Organisations are the region's other organisations (for the conference form) or the
	// attendees (for the action forms).
	Organisations            []waymark.Option
	Statuses, ActionStatuses []waymark.Option
}

// ConferenceFormPage records a conference or changes one.
type ConferenceFormPage struct {
	Layout
	// Conference is nil when recording a new one.
	Conference *waymark.Conference
	Form       Form
	Options    ConferenceOptions
	Conflict   bool
}

// ConferenceCasePage shows one case of a conference: its minutes and actions.
type ConferenceCasePage struct {
	Layout
	Detail                  *waymark.ConferenceCaseDetail
	MinutesForm, ActionForm Form
	Options                 ConferenceOptions
	// CanManage offers the forms; CanRemove the owner's button to take the case off the agenda.
	CanManage, CanRemove bool
	Conflict             bool
}

// ActionList is the data of the "conference-actions" partial.
type ActionList struct {
	Actions                []*waymark.ConferenceAction
	CanManage              bool
	ConferenceID, ClientID string
	Statuses               []waymark.Option
}

func newActionList(actions []*waymark.ConferenceAction, canManage bool, conferenceID, clientID string, statuses []waymark.Option) ActionList {
	return ActionList{Actions: actions, CanManage: canManage, ConferenceID: conferenceID, ClientID: clientID, Statuses: statuses}
}

// ActionForm is the data of the "action-fields" partial: the form and the attending organisations.
type ActionForm struct {
	F             Form
	Organisations []waymark.Option
}

// conferenceFields and actionFields are the forms' fields in the order they appear.
var (
	conferenceFields = []string{"title", "held_on", "org_ids", "status"}
	actionFields     = []string{"text", "owner_org_id", "owner", "due_on", "status"}
)

// conferenceFromForm reads the conference form, and what is wrong with its date; Validate checks
// every value. The attendees are the other organisations chosen: the store adds the chair.
func conferenceFromForm(v url.Values) (waymark.Conference, map[string]string) {
	fields := joinDates(v, dateInput{"held_on", "The date of the conference", false})
	return waymark.Conference{Title: v.Get("title"), HeldOn: v.Get("held_on"), AttendingOrgIDs: slices.Clone(v["org_ids"]),
		Status: waymark.ConferenceStatus(v.Get("status"))}, fields
}

// actionFromForm reads an action form, and what is wrong with its date.
func actionFromForm(v url.Values) (waymark.ConferenceAction, map[string]string) {
	fields := joinDates(v, dateInput{"due_on", "The due date", false})
	return waymark.ConferenceAction{Text: v.Get("text"), OwnerOrgID: v.Get("owner_org_id"), Owner: v.Get("owner"), DueOn: v.Get("due_on")}, fields
}

// conferenceFormErrors is what is wrong with a form whose date could not be read, with every other
// field validated as the store would.
func conferenceFormErrors(c waymark.Conference, orgID string, fields map[string]string) error {
	c.ChairOrgID = orgID
	return withFormErrors(fields, c.Validate())
}

// attendeeOptions lists a conference's attendees for the action forms.
func attendeeOptions(c *waymark.Conference) []waymark.Option {
	out := make([]waymark.Option, len(c.AttendingOrgIDs))
	for i, id := range c.AttendingOrgIDs {
		out[i] = waymark.Option{Value: id, Label: c.AttendingOrgNames[i]}
	}
	return out
}

func (s *Server) handleConferenceIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := s.svc.Conferences.FindConferences(r.Context(), a)
	if err != nil {
		return err
	}
	page := ConferencesPage{Layout: s.layout(w, r, "Case conferences"), CanManage: a.Can(waymark.PermManageConferences)}
	p, n := pageFrom(r)
	today := s.today()
	// Upcoming first, soonest first; then the past, latest first.
	slices.SortStableFunc(list, func(x, y *waymark.Conference) int {
		switch ux, uy := x.Upcoming(today), y.Upcoming(today); {
		case ux && !uy:
			return -1
		case uy && !ux:
			return 1
		case ux:
			return compareStrings(x.HeldOn, y.HeldOn)
		}
		return 0
	})
	for _, c := range pageOf(list, p) {
		if c.Upcoming(today) {
			page.Upcoming = append(page.Upcoming, c)
		} else {
			page.Past = append(page.Past, c)
		}
	}
	page.Pager = pager(r, n, len(list))
	return s.render(w, r, http.StatusOK, "conferences", page)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// renderConference shows a conference with the action form as given.
func (s *Server) renderConference(w http.ResponseWriter, r *http.Request, status int, f Form, errs []FieldError) error {
	a := actor(r)
	d, err := s.svc.Conferences.FindConference(r.Context(), a, r.PathValue("conference"))
	if err != nil {
		return err
	}
	page := ConferencePage{Layout: s.layout(w, r, d.Conference.Title), Detail: d, IsChair: d.Conference.ChairOrgID == a.OrgID && a.Can(waymark.PermManageConferences),
		CanManage: a.Can(waymark.PermManageConferences), ActionForm: f,
		Options: ConferenceOptions{Organisations: attendeeOptions(d.Conference), ActionStatuses: waymark.ActionStatusOptions()}}
	page.Errors = errs
	return s.render(w, r, status, "conference", page)
}

func (s *Server) handleConferenceView(w http.ResponseWriter, r *http.Request) error {
	return s.renderConference(w, r, http.StatusOK, Form{Values: url.Values{}}, nil)
}

// renderConferenceForm shows the conference form with the page's input and errors.
func (s *Server) renderConferenceForm(w http.ResponseWriter, r *http.Request, status int, page ConferenceFormPage) error {
	var ids, names []string
	if page.Conference != nil {
		ids, names = page.Conference.AttendingOrgIDs, page.Conference.AttendingOrgNames
	}
	orgs, err := s.otherOrgOptions(r, ids, names)
	if err != nil {
		return err
	}
	page.Options = ConferenceOptions{Organisations: orgs, Statuses: waymark.ConferenceStatusOptions()}
	title := "Arrange a case conference"
	if page.Conference != nil {
		title = "Change " + page.Conference.Title
	}
	errs := page.Errors
	page.Layout = s.layout(w, r, title)
	page.Errors = errs
	return s.render(w, r, status, "conference-form", page)
}

func (s *Server) handleConferenceNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderConferenceForm(w, r, http.StatusOK, ConferenceFormPage{Form: Form{Values: url.Values{}}})
}

func (s *Server) handleConferenceCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	a := actor(r)
	c, fields := conferenceFromForm(r.PostForm)
	c.Status = waymark.ConferenceScheduled
	var err error
	if len(fields) > 0 {
		err = conferenceFormErrors(c, a.OrgID, fields)
	} else {
		err = s.svc.Conferences.CreateConference(r.Context(), a, &c)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		var page ConferenceFormPage
		page.Form, page.Errors = formFromError(r.PostForm, err, conferenceFields...)
		return s.renderConferenceForm(w, r, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/conferences/"+c.ID, "Conference arranged.")
}

// chairedConference reads a conference for a change: only staff of the chair change it, as the
// store says; other attendees are told so.
func (s *Server) chairedConference(r *http.Request) (*waymark.Conference, error) {
	a := actor(r)
	// From the list, without the agenda: changing the conference shows no one's name, so it must
	// not record in other organisations' logs that a name was seen.
	list, err := s.svc.Conferences.FindConferences(r.Context(), a)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(list, func(c *waymark.Conference) bool { return c.ID == r.PathValue("conference") })
	if i < 0 {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}
	if list[i].ChairOrgID != a.OrgID {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "Only the organisation that chairs this conference can change it. Ask its staff to make the change.")
	}
	return list[i], nil
}

// conferenceFormValues is the form filled from a stored conference: the attendees but the chair.
func conferenceFormValues(c *waymark.Conference) url.Values {
	v := url.Values{"title": {c.Title}, "held_on": {c.HeldOn}, "status": {string(c.Status)}, "version": {strconv.Itoa(c.Version)}}
	for _, id := range c.AttendingOrgIDs {
		if id != c.ChairOrgID {
			v.Add("org_ids", id)
		}
	}
	return v
}

func (s *Server) handleConferenceEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.chairedConference(r)
	if err != nil {
		return err
	}
	return s.renderConferenceForm(w, r, http.StatusOK, ConferenceFormPage{Conference: c, Form: Form{Values: conferenceFormValues(c)}})
}

func (s *Server) handleConferenceUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.chairedConference(r)
	if err != nil {
		return err
	}
	a := actor(r)
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	c, fields := conferenceFromForm(r.PostForm)
	if len(fields) > 0 {
		err = conferenceFormErrors(c, a.OrgID, fields)
	} else {
		err = s.svc.Conferences.UpdateConference(r.Context(), a, cur.ID, version, &c)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/conferences/"+cur.ID, "Conference saved.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page := ConferenceFormPage{Conference: cur}
		page.Form, page.Errors = formFromError(r.PostForm, err, conferenceFields...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			page.Conflict = true
			page.Form.Values.Set("version", strconv.Itoa(cur.Version))
		}
		return s.renderConferenceForm(w, r, errorStatus(err), page)
	}
	return err
}

// handleActionCreate records an action: for the whole conference, or (with a client in the path)
// for one case on its agenda.
func (s *Server) handleActionCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id, client := r.PathValue("conference"), r.PathValue("client")
	act, fields := actionFromForm(r.PostForm)
	act.ClientID = client
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, act.Validate())
	} else {
		err = s.svc.Conferences.AddAction(r.Context(), actor(r), id, &act)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		f, errs := formFromError(r.PostForm, err, actionFields...)
		if client == "" {
			return s.renderConference(w, r, http.StatusUnprocessableEntity, f, errs)
		}
		return s.renderConferenceCase(w, r, http.StatusUnprocessableEntity, Form{}, f, errs, false)
	}
	if err != nil {
		return err
	}
	to := "/conferences/" + id
	if client != "" {
		to += "/cases/" + url.PathEscape(client)
	}
	return redirect(w, r, to+"#actions", "Action added.")
}

// handleActionStatus changes an action's status, and returns to the page it was changed from.
func (s *Server) handleActionStatus(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("conference")
	back := "/conferences/" + id
	if c := r.PostForm.Get("client"); c != "" {
		back += "/cases/" + url.PathEscape(c)
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	err := s.svc.Conferences.SetActionStatus(r.Context(), actor(r), id, r.PathValue("action"), version, waymark.ActionStatus(r.PostForm.Get("status")))
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, back+"#actions", "Action status changed.")
	case waymark.ECONFLICT:
		return redirect(w, r, back+"#actions", "Not changed: someone else changed the action first. Check it and try again.")
	case waymark.EINVALID:
		return redirect(w, r, back+"#actions", "Not changed: choose the action's status from the list.")
	}
	return err
}

// renderConferenceCase shows a case of a conference with the forms as given.
func (s *Server) renderConferenceCase(w http.ResponseWriter, r *http.Request, status int, minutes, action Form, errs []FieldError, conflict bool) error {
	a := actor(r)
	d, err := s.svc.Conferences.FindConferenceCase(r.Context(), a, r.PathValue("conference"), r.PathValue("client"))
	if err != nil {
		return err
	}
	if minutes.Values == nil {
		minutes = Form{Values: url.Values{"minutes": {d.Minutes.Text}, "version": {strconv.Itoa(d.Minutes.Version)}}}
	}
	// The title names no one: titles stay in browser history and tab lists.
	page := ConferenceCasePage{Layout: s.layout(w, r, "Case at a conference"), Detail: d, MinutesForm: minutes, ActionForm: action,
		Options:   ConferenceOptions{Organisations: attendeeOptions(d.Conference), ActionStatuses: waymark.ActionStatusOptions()},
		CanManage: a.Can(waymark.PermManageConferences), Conflict: conflict,
		// A case minuted or with actions stays on the agenda as the record of the meeting (the store refuses too).
		CanRemove: d.Case.Visibility == waymark.CaseOwned && a.Can(waymark.PermShareCases) && d.Minutes.Version == 0 && len(d.Actions) == 0}
	page.Errors = errs
	return s.render(w, r, status, "conference-case", page)
}

func (s *Server) handleConferenceCase(w http.ResponseWriter, r *http.Request) error {
	return s.renderConferenceCase(w, r, http.StatusOK, Form{}, Form{Values: url.Values{}}, nil, false)
}

func (s *Server) handleMinutesSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id, client := r.PathValue("conference"), r.PathValue("client")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	err := s.svc.Conferences.SaveMinutes(r.Context(), actor(r), id, client, version, r.PostForm.Get("minutes"))
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/conferences/"+id+"/cases/"+url.PathEscape(client), "Minutes saved.")
	case waymark.EINVALID, waymark.ECONFLICT:
		f, errs := formFromError(r.PostForm, err, "minutes")
		conflict := waymark.ErrorCode(err) == waymark.ECONFLICT
		if conflict {
			// The user's text stays; saving again is a deliberate choice over what is saved now.
			d, ferr := s.svc.Conferences.FindConferenceCase(r.Context(), actor(r), id, client)
			if ferr != nil {
				return ferr
			}
			f.Values.Set("version", strconv.Itoa(d.Minutes.Version))
			f.Errs["minutes"] = "Someone else changed these minutes while you were writing. Your text is below, not saved: compare it with the saved minutes above, then save again."
			errs = []FieldError{{Field: "minutes", Message: f.Errs["minutes"]}}
		}
		return s.renderConferenceCase(w, r, errorStatus(err), f, Form{Values: url.Values{}}, errs, conflict)
	}
	return err
}

func (s *Server) handleCaseRemove(w http.ResponseWriter, r *http.Request) error {
	id, client := r.PathValue("conference"), r.PathValue("client")
	err := s.svc.Conferences.RemoveCase(r.Context(), actor(r), id, client)
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/conferences/"+id, "Taken off the agenda.")
	case waymark.EINVALID:
		return redirect(w, r, "/conferences/"+id+"/cases/"+url.PathEscape(client), "Not taken off: minutes or actions are recorded for this case, so it stays on the agenda as the record of the meeting.")
	}
	return err
}
