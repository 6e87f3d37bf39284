package web

import (
	"net/http"
	"time"

	"waymark"
)

// The JSON shapes of case conferences. The input shapes are also the parts of the output a
// program sends back to change one.
type (
	apiConferenceIn struct {
		Title   string `json:"title"`
		HeldOn  string `json:"held_on"`
		Status  string `json:"status"`
		Version int    `json:"version"`
		// OrganisationIDs are the attendees; the caller's organisation chairs and is added when missing.
		OrganisationIDs []string `json:"organisation_ids"`
	}
	apiConference struct {
		ID string `json:"id"`
		apiConferenceIn
		OrganisationNames     []string  `json:"organisation_names"`
		ChairOrganisationID   string    `json:"chair_organisation_id"`
		ChairOrganisationName string    `json:"chair_organisation_name"`
		CreatedAt             time.Time `json:"created_at"`
	}
	// apiConferenceCase is a case on the agenda as the caller's organisation may see it: the
	// client's ID, name, sections and reason only where it may.
	apiConferenceCase struct {
		ClientID              string   `json:"client_id,omitempty"`
		OwnerOrganisationID   string   `json:"owner_organisation_id"`
		OwnerOrganisationName string   `json:"owner_organisation_name"`
		Label                 string   `json:"label"`
		Visibility            string   `json:"visibility"`
		ClientName            string   `json:"client_name,omitempty"`
		Sections              []string `json:"sections"`
		WithoutSharing        bool     `json:"without_sharing"`
		Reason                string   `json:"reason,omitempty"`
	}
	apiActionIn struct {
		ClientID            string `json:"client_id,omitempty"`
		Text                string `json:"text"`
		OwnerOrganisationID string `json:"owner_organisation_id"`
		Owner               string `json:"owner"`
		DueOn               string `json:"due_on"`
	}
	apiConferenceAction struct {
		ID string `json:"id"`
		apiActionIn
		OwnerOrganisationName string    `json:"owner_organisation_name"`
		Status                string    `json:"status"`
		Version               int       `json:"version"`
		UpdatedAt             time.Time `json:"updated_at"`
	}
	apiConferenceDetail struct {
		Conference apiConference         `json:"conference"`
		Cases      []apiConferenceCase   `json:"cases"`
		Actions    []apiConferenceAction `json:"actions"`
	}
	apiMinutes struct {
		Text          string     `json:"text"`
		Version       int        `json:"version"`
		UpdatedByName string     `json:"updated_by_name,omitempty"`
		UpdatedAt     *time.Time `json:"updated_at,omitempty"`
	}
	apiConferenceCaseDetail struct {
		Conference apiConference         `json:"conference"`
		Case       apiConferenceCase     `json:"case"`
		Minutes    apiMinutes            `json:"minutes"`
		Actions    []apiConferenceAction `json:"actions"`
	}
	apiClientConferences struct {
		On        []apiConference `json:"on"`
		Available []apiConference `json:"available"`
	}
)

func toAPIConference(c *waymark.Conference) apiConference {
	return apiConference{ID: c.ID, apiConferenceIn: apiConferenceIn{Title: c.Title, HeldOn: c.HeldOn, Status: string(c.Status), Version: c.Version,
		OrganisationIDs: nonNil(c.AttendingOrgIDs)}, OrganisationNames: nonNil(c.AttendingOrgNames), ChairOrganisationID: c.ChairOrgID,
		ChairOrganisationName: c.ChairOrgName, CreatedAt: c.CreatedAt}
}

func toAPIConferences(list []*waymark.Conference) []apiConference {
	out := []apiConference{}
	for _, c := range list {
		out = append(out, toAPIConference(c))
	}
	return out
}

func toAPIConferenceCase(c *waymark.ConferenceCase) apiConferenceCase {
	out := apiConferenceCase{ClientID: c.ClientID, OwnerOrganisationID: c.OwnerOrgID, OwnerOrganisationName: c.OwnerOrgName, Label: c.Label(),
		Visibility: string(c.Visibility), ClientName: c.ClientName, Sections: []string{}, WithoutSharing: c.WithoutSharing, Reason: c.Reason}
	for _, s := range c.Sections {
		out.Sections = append(out.Sections, string(s))
	}
	return out
}

func toAPIActions(list []*waymark.ConferenceAction) []apiConferenceAction {
	out := []apiConferenceAction{}
	for _, a := range list {
		out = append(out, apiConferenceAction{ID: a.ID, apiActionIn: apiActionIn{ClientID: a.ClientID, Text: a.Text, OwnerOrganisationID: a.OwnerOrgID,
			Owner: a.Owner, DueOn: a.DueOn}, OwnerOrganisationName: a.OwnerOrgName, Status: string(a.Status), Version: a.Version, UpdatedAt: a.UpdatedAt})
	}
	return out
}

// conference reads a conference sent to the API; the store validates every field.
func (in apiConferenceIn) conference() waymark.Conference {
	return waymark.Conference{Title: in.Title, HeldOn: in.HeldOn, Status: waymark.ConferenceStatus(in.Status), AttendingOrgIDs: in.OrganisationIDs}
}

func (s *Server) apiConferenceIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	list, err := s.svc.Conferences.FindConferences(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(pageOf(list, p), len(list), p, toAPIConference))
	return nil
}

func (s *Server) apiConferenceCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiConferenceIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := in.conference()
	if err := s.svc.Conferences.CreateConference(r.Context(), apiActor(r, id), &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIConference(&c))
	return nil
}

// apiConferenceUpdate changes a conference; a version other than the stored one is refused with 409.
func (s *Server) apiConferenceUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiConferenceIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := in.conference()
	if err := s.svc.Conferences.UpdateConference(r.Context(), apiActor(r, id), r.PathValue("conference"), in.Version, &c); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIConference(&c))
	return nil
}

func (s *Server) apiConferenceView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	d, err := s.svc.Conferences.FindConference(r.Context(), apiActor(r, id), r.PathValue("conference"))
	if err != nil {
		return err
	}
	out := apiConferenceDetail{Conference: toAPIConference(d.Conference), Cases: []apiConferenceCase{}, Actions: toAPIActions(d.Actions)}
	for _, c := range d.Cases {
		out.Cases = append(out.Cases, toAPIConferenceCase(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// writeConferenceCase answers with a case's minutes and actions as they are now.
func (s *Server) writeConferenceCase(w http.ResponseWriter, r *http.Request, a waymark.Actor, status int) error {
	d, err := s.svc.Conferences.FindConferenceCase(r.Context(), a, r.PathValue("conference"), r.PathValue("client"))
	if err != nil {
		return err
	}
	out := apiConferenceCaseDetail{Conference: toAPIConference(d.Conference), Case: toAPIConferenceCase(d.Case),
		Minutes: apiMinutes{Text: d.Minutes.Text, Version: d.Minutes.Version, UpdatedByName: d.Minutes.UpdatedByName}, Actions: toAPIActions(d.Actions)}
	if !d.Minutes.UpdatedAt.IsZero() {
		out.Minutes.UpdatedAt = &d.Minutes.UpdatedAt
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) apiConferenceCase(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	return s.writeConferenceCase(w, r, apiActor(r, id), http.StatusOK)
}

// apiMinutesSave replaces a case's minutes at version (0 for none yet; 409 otherwise).
func (s *Server) apiMinutesSave(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Text    string `json:"text"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := apiActor(r, id)
	if err := s.svc.Conferences.SaveMinutes(r.Context(), a, r.PathValue("conference"), r.PathValue("client"), in.Version, in.Text); err != nil {
		return err
	}
	return s.writeConferenceCase(w, r, a, http.StatusOK)
}

func (s *Server) apiConferenceCaseRemove(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	if err := s.svc.Conferences.RemoveCase(r.Context(), apiActor(r, id), r.PathValue("conference"), r.PathValue("client")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiConferenceActionCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiActionIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := waymark.ConferenceAction{ClientID: in.ClientID, Text: in.Text, OwnerOrgID: in.OwnerOrganisationID, Owner: in.Owner, DueOn: in.DueOn}
	if err := s.svc.Conferences.AddAction(r.Context(), apiActor(r, id), r.PathValue("conference"), &a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIActions([]*waymark.ConferenceAction{&a})[0])
	return nil
}

// apiActionStatus changes an action's status at version (409 otherwise).
func (s *Server) apiActionStatus(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Status  string `json:"status"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.Conferences.SetActionStatus(r.Context(), apiActor(r, id), r.PathValue("conference"), r.PathValue("action"), in.Version,
		waymark.ActionStatus(in.Status)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiClientConferences(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	cc, err := s.svc.Conferences.FindClientConferences(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, apiClientConferences{On: toAPIConferences(cc.On), Available: toAPIConferences(cc.Available)})
	return nil
}

// apiClientConferenceAdd puts a client on a conference's agenda.
func (s *Server) apiClientConferenceAdd(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		ConferenceID   string `json:"conference_id"`
		WithoutSharing bool   `json:"without_sharing"`
		Reason         string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := apiActor(r, id)
	if err := s.svc.Conferences.AddCase(r.Context(), a, in.ConferenceID, r.PathValue("id"), in.WithoutSharing, in.Reason); err != nil {
		return err
	}
	cc, err := s.svc.Conferences.FindClientConferences(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiClientConferences{On: toAPIConferences(cc.On), Available: toAPIConferences(cc.Available)})
	return nil
}
