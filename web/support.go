package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"waymark"
)

// SupportPage shows a client's support log and housing history, each with a form to add to it.
type SupportPage struct {
	Layout
	Client      *waymark.Client
	Actions     []*waymark.SupportAction
	Episodes    []*waymark.HomelessnessEpisode
	SupportForm Form
	EpisodeForm Form
	Types       []waymark.Option
	Outcomes    []waymark.Option
	Situations  []waymark.Option
	Providers   []waymark.Option
	// CanEdit shows the forms to roles that may add to the record.
	CanEdit bool
}

// SupportEditPage changes one support action.
type SupportEditPage struct {
	Layout
	ClientID  string
	Action    *waymark.SupportAction
	Form      Form
	Types     []waymark.Option
	Outcomes  []waymark.Option
	Providers []waymark.Option
}

// supportFields are the support form's fields in the order they appear.
var supportFields = []string{"type", "provider_org_id", "provider_name", "start", "end", "outcome", "notes"}

// supportPage reads the client, its support log and its housing history.
func (s *Server) supportPage(w http.ResponseWriter, r *http.Request, clientID string) (SupportPage, error) {
	a := actor(r)
	c, err := s.svc.Clients.FindClientByID(r.Context(), a, clientID)
	if err != nil {
		return SupportPage{}, err
	}
	actions, err := s.svc.Support.FindSupport(r.Context(), a, clientID)
	if err != nil {
		return SupportPage{}, err
	}
	episodes, err := s.svc.Homelessness.FindEpisodes(r.Context(), a, clientID)
	if err != nil {
		return SupportPage{}, err
	}
	providers, err := s.providerOptions(r)
	if err != nil {
		return SupportPage{}, err
	}
	return SupportPage{Layout: s.layout(w, r, "Support and housing history"), Client: c, Actions: actions, Episodes: episodes,
		SupportForm: Form{Values: url.Values{}}, EpisodeForm: Form{Values: url.Values{}},
		Types: waymark.SupportTypeOptions(), Outcomes: waymark.SupportOutcomeOptions(), Situations: waymark.SituationOptions(),
		Providers: providers, CanEdit: a.Can(waymark.PermEditClients)}, nil
}

// orgOptions lists the region's organisations that keep accepts, as choices labelled by label:
// providers of support, partner First Responders, recipients of a referral.
func (s *Server) orgOptions(r *http.Request, keep func(*waymark.Organisation) bool, label func(*waymark.Organisation) string) ([]waymark.Option, error) {
	orgs, err := s.svc.Organisations.FindDirectory(r.Context(), actor(r))
	if err != nil {
		return nil, err
	}
	var out []waymark.Option
	for _, o := range orgs {
		if keep(o) {
			out = append(out, waymark.Option{Value: o.ID, Label: label(o)})
		}
	}
	return out, nil
}

func orgName(o *waymark.Organisation) string { return o.Name }

// providerOptions lists the region's organisations as the providers of support a worker can choose.
func (s *Server) providerOptions(r *http.Request) ([]waymark.Option, error) {
	return s.orgOptions(r, func(*waymark.Organisation) bool { return true }, orgName)
}

// supportFromForm reads a support action from a submitted form, and what is wrong with its dates.
func supportFromForm(v url.Values) (waymark.SupportAction, map[string]string) {
	fields := joinDates(v, dateInput{"start", "The start date", false}, dateInput{"end", "The end date", false})
	return waymark.SupportAction{Type: waymark.SupportType(v.Get("type")), ProviderOrgID: v.Get("provider_org_id"), ProviderName: v.Get("provider_name"),
		Start: v.Get("start"), End: v.Get("end"), Outcome: waymark.SupportOutcome(v.Get("outcome")), Notes: v.Get("notes")}, fields
}

func (s *Server) handleSupportIndex(w http.ResponseWriter, r *http.Request) error {
	page, err := s.supportPage(w, r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "support", page)
}

func (s *Server) handleSupportAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	a, fields := supportFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, a.Validate(s.cfg.Now()))
	} else {
		_, err = s.svc.Support.AddSupport(r.Context(), actor(r), id, a)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.supportPage(w, r, id)
		if perr != nil {
			return perr
		}
		page.SupportForm, page.Errors = formFromError(r.PostForm, err, supportFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "support", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"/support", "Support recorded.")
}

func (s *Server) handleHousingAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	fields := joinDates(r.PostForm, dateInput{"from", "The date they moved in", false}, dateInput{"to", "The date they moved out", false})
	e := waymark.HomelessnessEpisode{Situation: waymark.Situation(r.PostForm.Get("situation")),
		From: r.PostForm.Get("from"), To: r.PostForm.Get("to"), Notes: r.PostForm.Get("episode_notes")}
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, e.Validate(s.cfg.Now()))
	} else {
		_, err = s.svc.Homelessness.AddEpisode(r.Context(), actor(r), id, e)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.supportPage(w, r, id)
		if perr != nil {
			return perr
		}
		// The support form has a "notes" field too: the episode's is named apart on the page.
		fields := waymark.ErrorFields(err)
		if msg, ok := fields["notes"]; ok {
			delete(fields, "notes")
			fields["episode_notes"] = msg
		}
		page.EpisodeForm, page.Errors = formFromError(r.PostForm, waymark.Invalid(fields), "situation", "from", "to", "episode_notes")
		return s.render(w, r, http.StatusUnprocessableEntity, "support", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"/support#housing-history", "Housing history recorded.")
}

// findSupport finds one support action among a client's.
func (s *Server) findSupport(r *http.Request, clientID, supportID string) (*waymark.SupportAction, error) {
	list, err := s.svc.Support.FindSupport(r.Context(), actor(r), clientID)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if a.ID == supportID {
			return a, nil
		}
	}
	return nil, waymark.Errorf(waymark.ENOTFOUND, "The support could not be found.")
}

func (s *Server) supportEditPage(w http.ResponseWriter, r *http.Request, a *waymark.SupportAction) (SupportEditPage, error) {
	providers, err := s.providerOptions(r)
	return SupportEditPage{Layout: s.layout(w, r, "Change support"), ClientID: a.ClientID, Action: a,
		Types: waymark.SupportTypeOptions(), Outcomes: waymark.SupportOutcomeOptions(), Providers: providers}, err
}

func (s *Server) handleSupportEdit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.findSupport(r, r.PathValue("id"), r.PathValue("support"))
	if err != nil {
		return err
	}
	page, err := s.supportEditPage(w, r, a)
	if err != nil {
		return err
	}
	page.Form = Form{Values: url.Values{"type": {string(a.Type)}, "provider_org_id": {a.ProviderOrgID}, "provider_name": {a.ProviderName}, "start": {a.Start}, "end": {a.End},
		"outcome": {string(a.Outcome)}, "notes": {a.Notes}, "version": {strconv.Itoa(a.Version)}}}
	return s.render(w, r, http.StatusOK, "support-edit", page)
}

func (s *Server) handleSupportUpdate(w http.ResponseWriter, r *http.Request) error {
	clientID := r.PathValue("id")
	cur, err := s.findSupport(r, clientID, r.PathValue("support"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	next, fields := supportFromForm(r.PostForm)
	if len(fields) > 0 {
		err = withFormErrors(fields, next.Validate(s.cfg.Now()))
	} else {
		_, err = s.svc.Support.UpdateSupport(r.Context(), actor(r), clientID, cur.ID, version, next)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+clientID+"/support", "Support changed.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page, perr := s.supportEditPage(w, r, cur)
		if perr != nil {
			return perr
		}
		page.Form, page.Errors = formFromError(r.PostForm, err, supportFields...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			// Show the version now saved, so that saving again is a deliberate choice.
			page.Form.Values.Set("version", strconv.Itoa(cur.Version))
		}
		return s.render(w, r, errorStatus(err), "support-edit", page)
	}
	return err
}

// The JSON shapes of the support log and the housing history.
type (
	apiSupport struct {
		ID              string    `json:"id"`
		Type            string    `json:"type"`
		ProviderOrgID   string    `json:"provider_org_id"`
		ProviderOrgName string    `json:"provider_org_name"`
		ProviderName    string    `json:"provider_name"`
		Start           string    `json:"start"`
		End             string    `json:"end"`
		Outcome         string    `json:"outcome"`
		Notes           string    `json:"notes"`
		RecordedBy      string    `json:"recorded_by"`
		RecordedAt      time.Time `json:"recorded_at"`
		Version         int       `json:"version"`
	}
	apiSupportIn struct {
		Type          string `json:"type"`
		ProviderOrgID string `json:"provider_org_id"`
		ProviderName  string `json:"provider_name"`
		Start         string `json:"start"`
		End           string `json:"end"`
		Outcome       string `json:"outcome"`
		Notes         string `json:"notes"`
		Version       int    `json:"version"`
	}
	apiHousing struct {
		ID         string    `json:"id"`
		Situation  string    `json:"situation"`
		From       string    `json:"from"`
		To         string    `json:"to"`
		Notes      string    `json:"notes"`
		RecordedBy string    `json:"recorded_by"`
		RecordedAt time.Time `json:"recorded_at"`
	}
)

func toAPISupport(a *waymark.SupportAction) apiSupport {
	return apiSupport{ID: a.ID, Type: string(a.Type), ProviderOrgID: a.ProviderOrgID, ProviderOrgName: a.ProviderOrgName, ProviderName: a.ProviderName,
		Start: a.Start, End: a.End, Outcome: string(a.Outcome), Notes: a.Notes, RecordedBy: a.RecordedBy, RecordedAt: a.RecordedAt, Version: a.Version}
}

func (in apiSupportIn) action() waymark.SupportAction {
	return waymark.SupportAction{Type: waymark.SupportType(in.Type), ProviderOrgID: in.ProviderOrgID, ProviderName: in.ProviderName,
		Start: in.Start, End: in.End, Outcome: waymark.SupportOutcome(in.Outcome), Notes: in.Notes}
}

func toAPIHousing(e *waymark.HomelessnessEpisode) apiHousing {
	return apiHousing{ID: e.ID, Situation: string(e.Situation), From: e.From, To: e.To, Notes: e.Notes, RecordedBy: e.RecordedBy, RecordedAt: e.RecordedAt}
}

func (s *Server) apiSupportIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Support.FindSupport(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, len(list), waymark.Page{Limit: len(list)}, toAPISupport))
	return nil
}

func (s *Server) apiSupportCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiSupportIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.svc.Support.AddSupport(r.Context(), apiActor(r, id), r.PathValue("id"), in.action())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPISupport(a))
	return nil
}

func (s *Server) apiSupportUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiSupportIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.svc.Support.UpdateSupport(r.Context(), apiActor(r, id), r.PathValue("id"), r.PathValue("support"), in.Version, in.action())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPISupport(a))
	return nil
}

func (s *Server) apiHousingIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Homelessness.FindEpisodes(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, len(list), waymark.Page{Limit: len(list)}, toAPIHousing))
	return nil
}

func (s *Server) apiHousingCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Situation string `json:"situation"`
		From      string `json:"from"`
		To        string `json:"to"`
		Notes     string `json:"notes"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.svc.Homelessness.AddEpisode(r.Context(), apiActor(r, id), r.PathValue("id"),
		waymark.HomelessnessEpisode{Situation: waymark.Situation(in.Situation), From: in.From, To: in.To, Notes: in.Notes})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIHousing(e))
	return nil
}
