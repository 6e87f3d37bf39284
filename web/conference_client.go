package web

import (
	"net/http"
	"net/url"

	"waymark"
)

// A safeguarding lead puts a case on a conference's agenda from the client's consent and sharing
// page, where they already decide what is shared with whom: putting a case before a panel is a
// sharing decision.

// ClientConferencesSection is the "Case conferences" section of the consent and sharing page.
type ClientConferencesSection struct {
	ClientID string
	*waymark.ClientConferences
	// Options are the upcoming conferences the organisation attends that the case is not on.
	Options []waymark.Option
	Form    Form
	// CanAdd offers the form to safeguarding leads.
	CanAdd bool
}

// clientConferenceFields are the section's form fields, for the error summary.
var clientConferenceFields = []string{"conference_id", "without_sharing", "reason"}

// withConferences adds the section to the page, for those who see conferences, with the form as given.
func (s *Server) withConferences(r *http.Request, page *ConsentPage, clientID string, f Form) error {
	a := actor(r)
	if !a.Can(waymark.PermViewConferences) || s.svc.Conferences == nil {
		return nil
	}
	cc, err := s.svc.Conferences.FindClientConferences(r.Context(), a, clientID)
	if err != nil {
		return err
	}
	sec := &ClientConferencesSection{ClientID: clientID, ClientConferences: cc, Form: f, CanAdd: a.Can(waymark.PermShareCases)}
	for _, c := range cc.Available {
		sec.Options = append(sec.Options, waymark.Option{Value: c.ID, Label: c.Title + ", " + waymark.FormatDay(c.HeldOn) + " (chaired by " + c.ChairOrgName + ")"})
	}
	page.Conferences = sec
	return nil
}

func (s *Server) handleClientConferenceAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	without := r.PostForm.Get("without_sharing") == "yes"
	err := s.svc.Conferences.AddCase(r.Context(), actor(r), r.PostForm.Get("conference_id"), id, without, r.PostForm.Get("reason"))
	switch code := waymark.ErrorCode(err); code {
	case "":
		return redirect(w, r, "/clients/"+id+"/sharing#conferences", "Put on the agenda of the conference.")
	case waymark.EINVALID, waymark.ECONFLICT:
		if code == waymark.ECONFLICT {
			err = waymark.Invalid(map[string]string{"conference_id": waymark.ErrorMessage(err)})
		}
		h, ferr := s.svc.Consents.FindConsents(r.Context(), actor(r), id)
		if ferr != nil {
			return ferr
		}
		page, ferr := s.sharingConsentPage(w, r, h, Form{Values: url.Values{"basis": {string(waymark.BasisConsent)}}})
		if ferr != nil {
			return ferr
		}
		if ferr := s.withShares(r, &page, id, Form{Values: url.Values{}}); ferr != nil {
			return ferr
		}
		f, errs := formFromError(r.PostForm, err, clientConferenceFields...)
		if ferr := s.withConferences(r, &page, id, f); ferr != nil {
			return ferr
		}
		page.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "consent", page)
	}
	return err
}
