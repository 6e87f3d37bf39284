package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"waymark"
)

// FollowUpFormPage records, or corrects, the follow-up at some months after support ended: the
// four answers when the person was reached, or the attempts made when they were not.
type FollowUpFormPage struct {
	Layout
	MoveOn   *waymark.MoveOn
	FollowUp waymark.ScheduledFollowUp
	Form     Form
	// Attempts are the rows of the attempts to contact the person, blank ones included.
	Attempts []AttemptRow
}

// AttemptRow is the data of the "attempt-row" partial: one attempt to contact the person, its
// date in three boxes and how it was made, with the row's error.
type AttemptRow struct {
	Number  int
	Date    DateInput
	Method  string
	Err     string
	Methods []waymark.Option
}

// newFollowUpAttempts is how many attempt rows a new follow-up offers: three blank ones.
const newFollowUpAttempts = 3

// attemptName names the date input of row n (from 1); its method is attemptName(n)+"_method".
// The domain names the error of its n-th attempt the same way, and the page shows it on the row.
func attemptName(n int) string { return "attempt_" + strconv.Itoa(n) }

// attemptRows builds the form's attempt rows: as many as were posted or prefilled, and at least min.
func attemptRows(f Form, least int) []AttemptRow {
	n := least
	for i := waymark.MaxContactAttempts; i > n; i-- {
		name := attemptName(i)
		if f.Values.Has(name) || f.Values.Has(name+"-day") || f.Values.Has(name+"_method") {
			n = i
			break
		}
	}
	n = max(1, min(n, waymark.MaxContactAttempts))
	methods := waymark.ContactMethodOptions()
	out := make([]AttemptRow, n)
	for i := range out {
		name := attemptName(i + 1)
		out[i] = AttemptRow{Number: i + 1, Date: newDateInput(f, name, "Date", ""), Method: f.Get(name + "_method"), Err: f.Err(name), Methods: methods}
	}
	return out
}

// followUpFromForm reads the follow-up form: the answers when the person was contacted, otherwise
// the attempt rows that are not blank, with rows holding the row number of each attempt. The section
// the other answer reveals is ignored, so that what the page hid is never saved. fields says what
// is wrong with the form itself: the contacted question unanswered, or a date typed wrongly.
func followUpFromForm(v url.Values) (u waymark.FollowUp, rows []int, fields map[string]string) {
	fields = map[string]string{}
	u.Notes = textareaValue(v, "notes")
	switch v.Get("contacted") {
	case "yes":
		u.Contacted = true
		u.StableAccommodation, u.RoughSleeping = waymark.Answer(v.Get("stable_accommodation")), waymark.Answer(v.Get("rough_sleeping"))
		u.ReExploited, u.InContact = waymark.Answer(v.Get("re_exploited")), waymark.Answer(v.Get("in_contact"))
		return u, nil, fields
	case "no":
	default:
		fields["contacted"] = "Choose whether you were able to contact them"
		return u, nil, fields
	}
	for n := 1; n <= waymark.MaxContactAttempts; n++ {
		name := attemptName(n)
		method := strings.TrimSpace(v.Get(name + "_method"))
		if strings.TrimSpace(v.Get(name)+v.Get(name+"-day")+v.Get(name+"-month")+v.Get(name+"-year")) == "" && method == "" {
			continue
		}
		for k, msg := range joinDates(v, dateInput{name, "The date of attempt " + strconv.Itoa(n), false}) {
			fields[k] = msg
		}
		u.Attempts = append(u.Attempts, waymark.ContactAttempt{On: strings.TrimSpace(v.Get(name)), Method: waymark.ContactMethod(method)})
		rows = append(rows, n)
	}
	return u, rows, fields
}

// followUpErrors is everything wrong with a follow-up read from the form: the form's own problems
// first, then the domain's, each on the row of the page it belongs to.
func followUpErrors(u *waymark.FollowUp, rows []int, fields map[string]string, now time.Time) error {
	err := u.Validate(now)
	if _, ok := fields["contacted"]; ok {
		// Until they say whether the person was reached, neither section's rules apply.
		f := map[string]string{}
		if msg, ok := waymark.ErrorFields(err)["notes"]; ok {
			f["notes"] = msg
		}
		err = waymark.Invalid(f)
	}
	return withFormErrors(fields, attemptsOnRows(err, rows))
}

// attemptsOnRows moves the domain's errors about the n-th attempt (attempt_n, from 1) to the row of
// the page it came from, as blank rows are skipped; the error about the attempts as a whole goes to
// the first row, where the error summary can take the user.
func attemptsOnRows(err error, rows []int) error {
	in := waymark.ErrorFields(err)
	if len(in) == 0 {
		return err
	}
	out := map[string]string{}
	for k, msg := range in {
		if n, ok := strings.CutPrefix(k, "attempt_"); ok {
			if i, aerr := strconv.Atoi(n); aerr == nil && i >= 1 && i <= len(rows) {
				k = attemptName(rows[i-1])
			}
		}
		out[k] = msg
	}
	if msg, ok := out["attempts"]; ok {
		if _, taken := out[attemptName(1)]; !taken {
			delete(out, "attempts")
			out[attemptName(1)] = msg
		}
	}
	return waymark.Invalid(out)
}

// followUpFields are the follow-up form's fields in the order they appear, for the error summary.
func followUpFields() []string {
	out := []string{"contacted", "stable_accommodation", "rough_sleeping", "re_exploited", "in_contact", "attempts"}
	for n := 1; n <= waymark.MaxContactAttempts; n++ {
		out = append(out, attemptName(n))
	}
	return append(out, "notes")
}

// followUpFormValues is the follow-up form filled from a record, to correct it.
func followUpFormValues(u *waymark.FollowUp) url.Values {
	v := url.Values{"notes": {u.Notes}, "version": {strconv.Itoa(u.Version)}, "contacted": {"no"}}
	if u.Contacted {
		v.Set("contacted", "yes")
		v.Set("stable_accommodation", string(u.StableAccommodation))
		v.Set("rough_sleeping", string(u.RoughSleeping))
		v.Set("re_exploited", string(u.ReExploited))
		v.Set("in_contact", string(u.InContact))
	}
	for i, a := range u.Attempts {
		v.Set(attemptName(i+1), a.On)
		v.Set(attemptName(i+1)+"_method", string(a.Method))
	}
	return v
}

// findFollowUp finds the follow-up at the months of the request's path among the client's, once
// support has ended.
func (s *Server) findFollowUp(r *http.Request) (*waymark.MoveOn, waymark.ScheduledFollowUp, error) {
	months, err := strconv.Atoi(r.PathValue("months"))
	if err != nil {
		return nil, waymark.ScheduledFollowUp{}, waymark.Errorf(waymark.ENOTFOUND, "There is no such follow-up.")
	}
	mo, err := s.svc.MoveOn.FindMoveOn(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return nil, waymark.ScheduledFollowUp{}, err
	}
	for _, f := range mo.FollowUps {
		if f.Months == months {
			if !mo.SupportEnd.Ended(s.today()) {
				return nil, f, waymark.Errorf(waymark.EINVALID, "Their support has not ended yet. Follow-ups are recorded after it ends.")
			}
			return mo, f, nil
		}
	}
	return nil, waymark.ScheduledFollowUp{}, waymark.Errorf(waymark.ENOTFOUND, "There is no such follow-up.")
}

func (s *Server) followUpFormPage(w http.ResponseWriter, r *http.Request, mo *waymark.MoveOn, f waymark.ScheduledFollowUp, form Form) FollowUpFormPage {
	verb, rows := "Record", newFollowUpAttempts
	if f.Record != nil {
		verb = "Correct"
		if len(f.Record.Attempts) > 0 {
			rows = len(f.Record.Attempts) + 1
		}
	}
	title := verb + " the follow-up at " + strconv.Itoa(f.Months) + " month"
	if f.Months != 1 {
		title += "s"
	}
	return FollowUpFormPage{Layout: s.layout(w, r, title), MoveOn: mo, FollowUp: f, Form: form, Attempts: attemptRows(form, rows)}
}

func (s *Server) handleFollowUpForm(w http.ResponseWriter, r *http.Request) error {
	mo, f, err := s.findFollowUp(r)
	if err != nil {
		return err
	}
	form := Form{Values: url.Values{"version": {"0"}}}
	if f.Record != nil {
		form.Values = followUpFormValues(f.Record)
	}
	return s.render(w, r, http.StatusOK, "follow-up", s.followUpFormPage(w, r, mo, f, form))
}

func (s *Server) handleFollowUpRecord(w http.ResponseWriter, r *http.Request) error {
	mo, f, err := s.findFollowUp(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	u, rows, fields := followUpFromForm(r.PostForm)
	u.Months = f.Months
	err = followUpErrors(&u, rows, fields, s.cfg.Now())
	if err == nil {
		err = attemptsOnRows(s.svc.MoveOn.RecordFollowUp(r.Context(), actor(r), id, version, &u), rows)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+id+"/move-on#follow-ups", "Follow-up recorded.")
	case waymark.EINVALID, waymark.ECONFLICT:
		form, summary := formFromError(r.PostForm, err, followUpFields()...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			// Show the version now saved, so that saving again is a deliberate choice.
			var ferr error
			if mo, f, ferr = s.findFollowUp(r); ferr != nil {
				return ferr
			}
			form.Values.Set("version", "0")
			if f.Record != nil {
				form.Values.Set("version", strconv.Itoa(f.Record.Version))
			}
		}
		page := s.followUpFormPage(w, r, mo, f, form)
		page.Errors = summary
		return s.render(w, r, errorStatus(err), "follow-up", page)
	}
	return err
}
