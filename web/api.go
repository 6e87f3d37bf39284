package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"waymark"
)

// apiHandler is an API handler for a caller holding a valid bearer token.
type apiHandler func(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error

// api authenticates the bearer token and renders any error as JSON. The API takes no cookies, so a
// browser session cannot be used against it from another site.
func (s *Server) api(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		secret, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			s.writeAPIError(w, r, waymark.Errorf(waymark.EUNAUTHORIZED, "Send an API token in the Authorization header: Authorization: Bearer TOKEN."))
			return
		}
		id, err := s.svc.Tokens.AuthenticateToken(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.writeAPIError(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), identityKey, id))
		if err := h(w, r, id); err != nil {
			s.writeAPIError(w, r, err)
		}
	})
}

func apiActor(r *http.Request, id *waymark.Identity) waymark.Actor {
	return id.Actor(clientAddr(r), "api")
}

// The JSON shapes: explicit structs, so that no field reaches the API by accident.
type (
	apiOrganisation struct {
		ID                       string    `json:"id"`
		Name                     string    `json:"name"`
		Type                     string    `json:"type"`
		Area                     string    `json:"area"`
		FirstResponder           bool      `json:"first_responder"`
		SpecifiedPublicAuthority bool      `json:"specified_public_authority"`
		RequireTwoStep           bool      `json:"require_two_step"`
		Disabled                 bool      `json:"disabled"`
		CreatedAt                time.Time `json:"created_at"`
	}
	apiUser struct {
		ID             string     `json:"id"`
		OrganisationID string     `json:"organisation_id"`
		Email          string     `json:"email"`
		Name           string     `json:"name"`
		Role           string     `json:"role"`
		Disabled       bool       `json:"disabled"`
		TwoStep        bool       `json:"two_step"`
		LastSignIn     *time.Time `json:"last_sign_in,omitempty"`
	}
	apiToken struct {
		ID         string     `json:"id"`
		Name       string     `json:"name"`
		CreatedAt  time.Time  `json:"created_at"`
		ExpiresAt  time.Time  `json:"expires_at"`
		LastUsedAt *time.Time `json:"last_used_at,omitempty"`
		RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	}
	apiAuditEntry struct {
		Seq            int64     `json:"seq"`
		At             time.Time `json:"at"`
		ActorUserID    string    `json:"actor_user_id,omitempty"`
		ActorLabel     string    `json:"actor_label,omitempty"`
		OrganisationID string    `json:"organisation_id,omitempty"`
		Action         string    `json:"action"`
		ObjectType     string    `json:"object_type,omitempty"`
		ObjectID       string    `json:"object_id,omitempty"`
		Addr           string    `json:"addr,omitempty"`
		Detail         string    `json:"detail,omitempty"`
		Hash           string    `json:"hash"`
	}
	apiContact struct {
		Kind          string `json:"kind"`
		Value         string `json:"value"`
		SafeToContact string `json:"safe_to_contact"`
	}
	apiClient struct {
		ID                      string       `json:"id"`
		OrganisationID          string       `json:"organisation_id"`
		Version                 int          `json:"version"`
		Reference               string       `json:"reference"`
		GivenName               string       `json:"given_name"`
		FamilyName              string       `json:"family_name"`
		KnownAs                 []string     `json:"known_as"`
		DateOfBirth             string       `json:"date_of_birth"`
		EstimatedAge            int          `json:"estimated_age"`
		AgeDisputed             bool         `json:"age_disputed"`
		Gender                  string       `json:"gender"`
		Nationalities           []string     `json:"nationalities"`
		NationalityAnswer       string       `json:"nationality_answer"`
		Languages               []string     `json:"languages"`
		InterpreterNeeded       string       `json:"interpreter_needed"`
		CommunicationAidNeeded  string       `json:"communication_aid_needed"`
		ImmigrationStatus       string       `json:"immigration_status"`
		NoRecourseToPublicFunds string       `json:"nrpf"`
		DependentChildren       string       `json:"dependent_children"`
		Contacts                []apiContact `json:"contacts"`
		Situation               string       `json:"situation"`
		SupportNeeds            []string     `json:"support_needs"`
		ConcernStatus           string       `json:"concern_status"`
		AssignedWorkerID        string       `json:"assigned_worker_id"`
		Notes                   string       `json:"notes"`
		CreatedAt               time.Time    `json:"created_at"`
		UpdatedAt               time.Time    `json:"updated_at"`
	}
	apiList[T any] struct {
		Items  []T `json:"items"`
		Total  int `json:"total"`
		Offset int `json:"offset"`
		Limit  int `json:"limit"`
	}
)

func toAPIOrg(o *waymark.Organisation) apiOrganisation {
	return apiOrganisation{ID: o.ID, Name: o.Name, Type: string(o.Type), Area: o.Area, FirstResponder: o.FirstResponder,
		SpecifiedPublicAuthority: o.SpecifiedPublicAuthority, RequireTwoStep: o.RequireTwoStep, Disabled: o.Disabled, CreatedAt: o.CreatedAt}
}

func toAPIUser(u *waymark.User) apiUser {
	return apiUser{ID: u.ID, OrganisationID: u.OrgID, Email: u.Email, Name: u.Name, Role: string(u.Role), Disabled: u.Disabled, TwoStep: u.TwoStep, LastSignIn: u.LastSignIn}
}

func toAPIClient(c *waymark.Client) apiClient {
	out := apiClient{ID: c.ID, OrganisationID: c.OrgID, Version: c.Version, Reference: c.Reference, GivenName: c.GivenName, FamilyName: c.FamilyName,
		KnownAs: nonNil(c.KnownAs), DateOfBirth: c.DateOfBirth, EstimatedAge: c.EstimatedAge, AgeDisputed: c.AgeDisputed, Gender: string(c.Gender),
		Nationalities: nonNil(c.Nationalities), NationalityAnswer: string(c.NationalityAnswer), Languages: nonNil(c.Languages),
		InterpreterNeeded: string(c.InterpreterNeeded), CommunicationAidNeeded: string(c.CommunicationAidNeeded), ImmigrationStatus: string(c.ImmigrationStatus),
		NoRecourseToPublicFunds: string(c.NoRecourseToPublicFunds), DependentChildren: string(c.DependentChildren), Contacts: []apiContact{},
		Situation: string(c.Situation), SupportNeeds: []string{}, ConcernStatus: string(c.ConcernStatus), AssignedWorkerID: c.AssignedWorkerID,
		Notes: c.Notes, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	for _, ct := range c.Contacts {
		out.Contacts = append(out.Contacts, apiContact{Kind: string(ct.Kind), Value: ct.Value, SafeToContact: string(ct.SafeToContact)})
	}
	for _, n := range c.SupportNeeds {
		out.SupportNeeds = append(out.SupportNeeds, string(n))
	}
	return out
}

// fromAPIClient reads a client sent to the API; the store validates every field.
func fromAPIClient(in apiClient) waymark.Client {
	c := waymark.Client{Reference: in.Reference, GivenName: in.GivenName, FamilyName: in.FamilyName, KnownAs: in.KnownAs,
		DateOfBirth: in.DateOfBirth, EstimatedAge: in.EstimatedAge, AgeDisputed: in.AgeDisputed, Gender: waymark.Gender(in.Gender),
		Nationalities: in.Nationalities, NationalityAnswer: waymark.Answer(in.NationalityAnswer), Languages: in.Languages,
		InterpreterNeeded: waymark.Answer(in.InterpreterNeeded), CommunicationAidNeeded: waymark.Answer(in.CommunicationAidNeeded),
		ImmigrationStatus: waymark.ImmigrationStatus(in.ImmigrationStatus), NoRecourseToPublicFunds: waymark.Answer(in.NoRecourseToPublicFunds),
		DependentChildren: waymark.Answer(in.DependentChildren), Situation: waymark.Situation(in.Situation),
		ConcernStatus: waymark.ConcernStatus(in.ConcernStatus), AssignedWorkerID: in.AssignedWorkerID, Notes: in.Notes}
	for _, ct := range in.Contacts {
		c.Contacts = append(c.Contacts, waymark.Contact{Kind: waymark.ContactKind(ct.Kind), Value: ct.Value, SafeToContact: waymark.Answer(ct.SafeToContact)})
	}
	for _, n := range in.SupportNeeds {
		c.SupportNeeds = append(c.SupportNeeds, waymark.SupportNeed(n))
	}
	return c
}

func (s *Server) apiClientCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		apiClient
		MatchesShown []string `json:"matches_shown"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := fromAPIClient(in.apiClient)
	if err := s.svc.Clients.CreateClient(r.Context(), apiActor(r, id), &c, in.MatchesShown); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIClient(&c))
	return nil
}

func (s *Server) apiClientUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiClient
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.svc.Clients.UpdateClient(r.Context(), apiActor(r, id), r.PathValue("id"), waymark.ClientUpdate{Version: in.Version, Client: fromAPIClient(in)})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIClient(c))
	return nil
}

func (s *Server) apiClientMatches(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiClient
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	matches, err := s.svc.Clients.FindPossibleMatches(r.Context(), apiActor(r, id), fromAPIClient(in))
	if err != nil {
		return err
	}
	type match struct {
		Client apiClient `json:"client"`
		Score  float64   `json:"score"`
	}
	out := struct {
		Items []match `json:"items"`
	}{Items: []match{}}
	for _, m := range matches {
		out.Items = append(out.Items, match{toAPIClient(m.Client), m.Score})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiConcernSet(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		ConcernStatus string `json:"concern_status"`
		Reason        string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.svc.Clients.SetConcernStatus(r.Context(), apiActor(r, id), r.PathValue("id"), waymark.ConcernStatus(in.ConcernStatus), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIClient(c))
	return nil
}

func (s *Server) apiConcernHistory(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	hist, err := s.svc.Clients.FindConcernHistory(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	type change struct {
		At            time.Time `json:"at"`
		ConcernStatus string    `json:"concern_status"`
		ByUserID      string    `json:"by_user_id"`
		Reason        string    `json:"reason"`
	}
	out := struct {
		Items []change `json:"items"`
	}{Items: []change{}}
	for _, h := range hist {
		out.Items = append(out.Items, change{h.At, string(h.Status), h.ByUserID, h.Reason})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func mapList[T, U any](items []T, total int, p waymark.Page, f func(T) U) apiList[U] {
	out := apiList[U]{Items: make([]U, 0, len(items)), Total: total, Offset: p.Offset, Limit: p.Limit}
	for _, it := range items {
		out.Items = append(out.Items, f(it))
	}
	return out
}

// apiPage reads ?offset= and ?limit=.
func apiPage(r *http.Request) (waymark.Page, error) {
	var p waymark.Page
	q := r.URL.Query()
	fields := map[string]string{}
	for name, dst := range map[string]*int{"offset": &p.Offset, "limit": &p.Limit} {
		if v := q.Get(name); v != "" {
			n, err := parseNonNegative(v)
			if err != nil {
				fields[name] = name + " must be a whole number, 0 or more"
			}
			*dst = n
		}
	}
	if len(fields) > 0 {
		return p, waymark.Invalid(fields)
	}
	return p.Normalize(), nil
}

func parseNonNegative(s string) (int, error) {
	n := 0
	if len(s) > 9 {
		return 0, waymark.Errorf(waymark.EINVALID, "number too large")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, waymark.Errorf(waymark.EINVALID, "not a number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	writeJSON(w, http.StatusOK, struct {
		User         apiUser         `json:"user"`
		Organisation apiOrganisation `json:"organisation"`
		Role         string          `json:"role"`
	}{toAPIUser(id.User), toAPIOrg(id.Organisation), string(id.User.Role)})
	return nil
}

func (s *Server) apiOrganisationIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	orgs, total, err := s.svc.Organisations.FindOrganisations(r.Context(), apiActor(r, id), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(orgs, total, p, toAPIOrg))
	return nil
}

func (s *Server) apiOrganisationView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIOrg(o))
	return nil
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data are errors.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The request body is not valid JSON for this call: %s.", jsonProblem(err))
	}
	if dec.More() {
		return waymark.Errorf(waymark.EINVALID, "The request body must hold one JSON object.")
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the input.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case asErr(err, &te):
		return "field " + te.Field + " has the wrong type"
	case asErr(err, &se):
		return "syntax error"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "it could not be read"
}

func (s *Server) apiOrganisationCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Name                     string `json:"name"`
		Type                     string `json:"type"`
		Area                     string `json:"area"`
		FirstResponder           bool   `json:"first_responder"`
		SpecifiedPublicAuthority bool   `json:"specified_public_authority"`
		RequireTwoStep           *bool  `json:"require_two_step"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	o := &waymark.Organisation{Name: in.Name, Type: waymark.OrgType(in.Type), Area: in.Area, FirstResponder: in.FirstResponder,
		SpecifiedPublicAuthority: in.SpecifiedPublicAuthority, RequireTwoStep: in.RequireTwoStep == nil || *in.RequireTwoStep}
	if err := s.svc.Organisations.CreateOrganisation(r.Context(), apiActor(r, id), o); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIOrg(o))
	return nil
}

func (s *Server) apiUserIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	a := apiActor(r, id)
	users, total, err := s.svc.Users.FindUsers(r.Context(), a, r.PathValue("id"), p)
	if waymark.ErrorCode(err) == waymark.EFORBIDDEN {
		// Another organisation's staff list: answer as if it did not exist.
		return waymark.Errorf(waymark.ENOTFOUND, "The organisation could not be found.")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(users, total, p, toAPIUser))
	return nil
}

func (s *Server) apiUserView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	u, err := s.svc.Users.FindUserByID(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIUser(u))
	return nil
}

func (s *Server) apiTokenIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	toks, err := s.svc.Tokens.FindTokens(r.Context(), apiActor(r, id), id.User.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(toks, len(toks), waymark.Page{Limit: len(toks)}, func(t *waymark.APIToken) apiToken {
		return apiToken{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
	}))
	return nil
}

func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	if err := s.svc.Tokens.RevokeToken(r.Context(), apiActor(r, id), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAuditIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	entries, total, err := s.svc.Audit.FindAuditEntries(r.Context(), apiActor(r, id), waymark.AuditFilter{OrgID: r.URL.Query().Get("organisation_id"), Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(entries, total, p, func(e *waymark.AuditEntry) apiAuditEntry {
		return apiAuditEntry{Seq: e.Seq, At: e.At, ActorUserID: e.ActorUserID, ActorLabel: e.ActorLabel, OrganisationID: e.OrgID, Action: e.Action,
			ObjectType: e.ObjectType, ObjectID: e.ObjectID, Addr: e.Addr, Detail: e.Detail, Hash: e.Hash}
	}))
	return nil
}

func (s *Server) apiClientIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	return s.apiClientList(w, r, id, waymark.ClientFilter{Page: p})
}

// apiClientSearch takes the name in the body, never the URL, so it stays out of proxy logs.
func (s *Server) apiClientSearch(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Name   string `json:"name"`
		Offset int    `json:"offset"`
		Limit  int    `json:"limit"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	if len(in.Name) > 200 {
		fields["name"] = "The name must be 200 characters or fewer"
	}
	if in.Offset < 0 {
		fields["offset"] = "offset must be 0 or more"
	}
	if in.Limit < 0 {
		fields["limit"] = "limit must be 0 or more"
	}
	if len(fields) > 0 {
		return waymark.Invalid(fields)
	}
	return s.apiClientList(w, r, id, waymark.ClientFilter{Name: in.Name, Page: waymark.Page{Offset: in.Offset, Limit: in.Limit}.Normalize()})
}

func (s *Server) apiClientList(w http.ResponseWriter, r *http.Request, id *waymark.Identity, f waymark.ClientFilter) error {
	clients, total, err := s.svc.Clients.FindClients(r.Context(), apiActor(r, id), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(clients, total, f.Page, toAPIClient))
	return nil
}

func (s *Server) apiClientView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	c, err := s.svc.Clients.FindClientByID(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIClient(c))
	return nil
}
