package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"waymark"
)

// Awareness activities: sessions an organisation ran for clients, staff, the public or partners.
// Read with PermViewTraining, recorded and changed with PermManageTraining.

// AwarenessPage lists the organisation's activities, newest first, with this year's totals.
type AwarenessPage struct {
	Layout
	Activities []*waymark.AwarenessActivity
	Pager      Pager
	Year       string
	Totals     []waymark.AudienceTotal
	CanManage  bool
}

// AwarenessFormPage records or changes an activity.
type AwarenessFormPage struct {
	Layout
	// Activity is nil when recording a new one.
	Activity  *waymark.AwarenessActivity
	Form      Form
	Audiences []waymark.Option
	Conflict  bool
}

var awarenessFields = []string{"on", "audience", "attending", "topic", "delivered_by", "notes"}

func (s *Server) handleAwareness(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	pg, n := pageFrom(r)
	list, total, err := s.svc.Awareness.FindAwareness(r.Context(), a, pg)
	if err != nil {
		return err
	}
	year := s.today()[:4]
	all, err := s.svc.Awareness.AwarenessYear(r.Context(), a, year)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "awareness", AwarenessPage{Layout: s.layout(w, r, "Awareness activities"), Activities: list, Pager: pager(r, n, total),
		Year: year, Totals: waymark.AwarenessTotals(all, year), CanManage: a.Can(waymark.PermManageTraining)})
}

// awarenessFromForm reads an activity, and what is wrong with its date and number.
func awarenessFromForm(v url.Values) (waymark.AwarenessActivity, map[string]string) {
	fields := joinDates(v, dateInput{name: "on", label: "The date of the session"})
	a := waymark.AwarenessActivity{On: v.Get("on"), Audience: waymark.AwarenessAudience(v.Get("audience")), Topic: v.Get("topic"),
		DeliveredBy: v.Get("delivered_by"), Notes: v.Get("notes")}
	raw := strings.ReplaceAll(strings.TrimSpace(v.Get("attending")), ",", "")
	if n, err := strconv.Atoi(raw); err == nil {
		a.Attending = n
	} else if raw != "" {
		fields["attending"] = "Enter how many people attended as a whole number, for example 12"
	}
	return a, fields
}

func awarenessValues(a *waymark.AwarenessActivity) url.Values {
	return url.Values{"on": {a.On}, "audience": {string(a.Audience)}, "attending": {strconv.Itoa(a.Attending)}, "topic": {a.Topic},
		"delivered_by": {a.DeliveredBy}, "notes": {a.Notes}, "version": {strconv.Itoa(a.Version)}}
}

func (s *Server) awarenessForm(w http.ResponseWriter, r *http.Request, status int, page AwarenessFormPage) error {
	title := "Record an awareness session"
	if page.Activity != nil {
		title = "Change an awareness session"
	}
	errs := page.Errors
	page.Layout = s.layout(w, r, title)
	page.Errors = errs
	page.Audiences = waymark.AwarenessAudienceOptions()
	return s.render(w, r, status, "awareness-form", page)
}

func (s *Server) handleAwarenessNew(w http.ResponseWriter, r *http.Request) error {
	return s.awarenessForm(w, r, http.StatusOK, AwarenessFormPage{Form: Form{Values: url.Values{}}})
}

func (s *Server) handleAwarenessCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	a, fields := awarenessFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, a.Validate(s.today()))
	} else {
		err = s.svc.Awareness.CreateAwareness(r.Context(), actor(r), &a)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		var page AwarenessFormPage
		page.Form, page.Errors = formFromError(r.PostForm, err, awarenessFields...)
		return s.awarenessForm(w, r, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/awareness", "Awareness session recorded.")
}

func (s *Server) handleAwarenessEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.svc.Awareness.FindAwarenessActivity(r.Context(), actor(r), r.PathValue("activity"))
	if err != nil {
		return err
	}
	return s.awarenessForm(w, r, http.StatusOK, AwarenessFormPage{Activity: a, Form: Form{Values: awarenessValues(a)}})
}

func (s *Server) handleAwarenessUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.svc.Awareness.FindAwarenessActivity(r.Context(), actor(r), r.PathValue("activity"))
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	a, fields := awarenessFromForm(r.PostForm)
	if len(fields) > 0 {
		err = withFormErrors(fields, a.Validate(s.today()))
	} else {
		_, err = s.svc.Awareness.UpdateAwareness(r.Context(), actor(r), cur.ID, version, a)
	}
	page := AwarenessFormPage{Activity: cur}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/awareness", "Awareness session updated.")
	case waymark.EINVALID:
		page.Form, page.Errors = formFromError(r.PostForm, err, awarenessFields...)
		return s.awarenessForm(w, r, http.StatusUnprocessableEntity, page)
	case waymark.ECONFLICT:
		v := r.PostForm
		v.Set("version", strconv.Itoa(cur.Version))
		page.Form, page.Conflict = Form{Values: v}, true
		page.Errors = []FieldError{{Message: waymark.ErrorMessage(err)}}
		return s.awarenessForm(w, r, http.StatusConflict, page)
	}
	return err
}
