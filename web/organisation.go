package web

import (
	"net/http"
	"net/url"

	"waymark"
)

// OrganisationIndexPage lists organisations for system admins.
type OrganisationIndexPage struct {
	Layout
	Organisations []*waymark.Organisation
	Pager         Pager
}

// OrganisationFormPage creates or edits an organisation.
type OrganisationFormPage struct {
	Layout
	Form         Form
	Organisation *waymark.Organisation // nil when creating
	Types        []waymark.OrgType
	Users        []*waymark.User
}

func (s *Server) handleOrganisationIndex(w http.ResponseWriter, r *http.Request) error {
	p, n := pageFrom(r)
	orgs, total, err := s.svc.Organisations.FindOrganisations(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "organisations", OrganisationIndexPage{Layout: s.layout(w, r, "Organisations"), Organisations: orgs, Pager: pager(r, n, total)})
}

func (s *Server) handleOrganisationNew(w http.ResponseWriter, r *http.Request) error {
	// Organisations made outside the demo require two-step sign-in unless an admin turns it off.
	f := Form{Values: url.Values{"require_two_step": {"yes"}}}
	return s.render(w, r, http.StatusOK, "organisation", OrganisationFormPage{Layout: s.layout(w, r, "Add an organisation"), Form: f, Types: waymark.OrgTypes})
}

// organisationFromForm reads the organisation form.
func organisationFromForm(v url.Values) waymark.OrganisationUpdate {
	name, area := v.Get("name"), v.Get("area")
	typ := waymark.OrgType(v.Get("type"))
	yes := func(k string) *bool { b := v.Get(k) == "yes"; return &b }
	return waymark.OrganisationUpdate{Name: &name, Type: &typ, Area: &area, FirstResponder: yes("first_responder"),
		SpecifiedPublicAuthority: yes("specified_public_authority"), RequireTwoStep: yes("require_two_step"), Disabled: yes("disabled")}
}

var orgFieldOrder = []string{"name", "type", "area"}

func (s *Server) handleOrganisationCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	var o waymark.Organisation
	organisationFromForm(r.PostForm).Apply(&o)
	err := s.svc.Organisations.CreateOrganisation(r.Context(), actor(r), &o)
	if code := waymark.ErrorCode(err); code == waymark.EINVALID || code == waymark.ECONFLICT {
		page := OrganisationFormPage{Layout: s.layout(w, r, "Add an organisation"), Types: waymark.OrgTypes}
		page.Form, page.Errors = formFromError(r.PostForm, err, orgFieldOrder...)
		return s.render(w, r, errorStatus(err), "organisation", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/organisations/"+o.ID, "Organisation added. Now invite its organisation admin.")
}

func orgFormValues(o *waymark.Organisation) url.Values {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return ""
	}
	return url.Values{"name": {o.Name}, "type": {string(o.Type)}, "area": {o.Area}, "first_responder": {yes(o.FirstResponder)},
		"specified_public_authority": {yes(o.SpecifiedPublicAuthority)}, "require_two_step": {yes(o.RequireTwoStep)}, "disabled": {yes(o.Disabled)}}
}

func (s *Server) handleOrganisationView(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	users, _, err := s.svc.Users.FindUsers(r.Context(), a, o.ID, waymark.Page{Limit: waymark.MaxPageSize})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "organisation", OrganisationFormPage{Layout: s.layout(w, r, o.Name), Organisation: o,
		Form: Form{Values: orgFormValues(o)}, Types: waymark.OrgTypes, Users: users})
}

func (s *Server) handleOrganisationUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	_, err = s.svc.Organisations.UpdateOrganisation(r.Context(), a, o.ID, organisationFromForm(r.PostForm))
	if code := waymark.ErrorCode(err); code == waymark.EINVALID || code == waymark.ECONFLICT {
		users, _, uerr := s.svc.Users.FindUsers(r.Context(), a, o.ID, waymark.Page{Limit: waymark.MaxPageSize})
		if uerr != nil {
			return uerr
		}
		page := OrganisationFormPage{Layout: s.layout(w, r, o.Name), Organisation: o, Types: waymark.OrgTypes, Users: users}
		page.Form, page.Errors = formFromError(r.PostForm, err, orgFieldOrder...)
		return s.render(w, r, errorStatus(err), "organisation", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/organisations/"+o.ID, "Organisation details saved.")
}
