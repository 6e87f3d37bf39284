package web

import (
	"net/http"
	"net/url"

	"waymark"
)

// UserIndexPage lists an organisation's staff.
type UserIndexPage struct {
	Layout
	Organisation *waymark.Organisation
	Users        []*waymark.User
	Pager        Pager
}

// UserFormPage invites someone.
type UserFormPage struct {
	Layout
	Form         Form
	Organisation *waymark.Organisation
	Roles        []waymark.Role
}

// InvitationPage shows a new set-password link once.
type InvitationPage struct {
	Layout
	User *waymark.User
	Link string
}

// UserPage shows one member of staff and changes their role or status.
type UserPage struct {
	Layout
	User  *waymark.User
	Form  Form
	Roles []waymark.Role
	Self  bool
}

// targetOrg is the organisation a user page works on: an organisation admin's own, or for system
// admins the one named by ?org= (their own by default).
func (s *Server) targetOrg(r *http.Request, orgID string) (*waymark.Organisation, error) {
	a := actor(r)
	if orgID == "" || !a.Can(waymark.PermManageOrganisations) {
		orgID = a.OrgID
	}
	return s.svc.Organisations.FindOrganisationByID(r.Context(), a, orgID)
}

// grantableRoles are the roles the actor may give.
func grantableRoles(a waymark.Actor) []waymark.Role {
	var out []waymark.Role
	for _, role := range waymark.Roles {
		if a.MayGrant(role) {
			out = append(out, role)
		}
	}
	return out
}

func (s *Server) handleUserIndex(w http.ResponseWriter, r *http.Request) error {
	org, err := s.targetOrg(r, r.URL.Query().Get("org"))
	if err != nil {
		return err
	}
	p, n := pageFrom(r)
	users, total, err := s.svc.Users.FindUsers(r.Context(), actor(r), org.ID, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "users", UserIndexPage{Layout: s.layout(w, r, "Staff"), Organisation: org, Users: users, Pager: pager(r, n, total)})
}

func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) error {
	org, err := s.targetOrg(r, r.URL.Query().Get("org"))
	if err != nil {
		return err
	}
	f := Form{Values: url.Values{"role": {string(waymark.RoleFrontline)}}}
	return s.render(w, r, http.StatusOK, "user-new", UserFormPage{Layout: s.layout(w, r, "Invite someone"), Form: f, Organisation: org, Roles: grantableRoles(actor(r))})
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	org, err := s.targetOrg(r, r.PostForm.Get("org"))
	if err != nil {
		return err
	}
	a := actor(r)
	u := &waymark.User{OrgID: org.ID, Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Role: waymark.Role(r.PostForm.Get("role"))}
	inv, err := s.svc.Users.InviteUser(r.Context(), a, u)
	if code := waymark.ErrorCode(err); code == waymark.EINVALID || code == waymark.ECONFLICT || (code == waymark.EFORBIDDEN && waymark.ErrorFields(err) != nil) {
		page := UserFormPage{Layout: s.layout(w, r, "Invite someone"), Organisation: org, Roles: grantableRoles(a)}
		page.Form, page.Errors = formFromError(r.PostForm, err, "name", "email", "role")
		return s.render(w, r, errorStatus(err), "user-new", page)
	}
	if err != nil {
		return err
	}
	return s.showInvitation(w, r, inv, "Invitation made")
}

// showInvitation shows the set-password link on the response to the post that made it, and
// nowhere else: it is stored hashed and cannot be shown again.
func (s *Server) showInvitation(w http.ResponseWriter, r *http.Request, inv *waymark.Invitation, title string) error {
	page := InvitationPage{Layout: s.layout(w, r, title), User: inv.User, Link: s.cfg.BaseURL + "/set-password/" + inv.Token}
	return s.render(w, r, http.StatusOK, "invitation", page)
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, u *waymark.User) UserPage {
	a := actor(r)
	return UserPage{Layout: s.layout(w, r, u.Name), User: u, Roles: grantableRoles(a), Self: u.ID == a.UserID,
		Form: Form{Values: url.Values{"role": {string(u.Role)}}}}
}

func (s *Server) handleUserView(w http.ResponseWriter, r *http.Request) error {
	u, err := s.svc.Users.FindUserByID(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user", s.userPage(w, r, u))
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	u, err := s.svc.Users.FindUserByID(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	var upd waymark.UserUpdate
	flash := "Changes saved."
	switch r.PostForm.Get("action") {
	case "role":
		role := waymark.Role(r.PostForm.Get("role"))
		upd.Role = &role
		flash = "Role changed to " + role.Label() + "."
	case "disable":
		t := true
		upd.Disabled = &t
		flash = "Account disabled. They have been signed out and their API tokens revoked."
	case "enable":
		f := false
		upd.Disabled = &f
		flash = "Account enabled."
	default:
		return waymark.Errorf(waymark.EINVALID, "Choose what to change.")
	}
	_, err = s.svc.Users.UpdateUser(r.Context(), a, u.ID, upd)
	if code := waymark.ErrorCode(err); code == waymark.EINVALID || code == waymark.EFORBIDDEN {
		page := s.userPage(w, r, u)
		page.Form, page.Errors = formFromError(r.PostForm, err, "role")
		return s.render(w, r, errorStatus(err), "user", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/users/"+u.ID, flash)
}

func (s *Server) handleUserReinvite(w http.ResponseWriter, r *http.Request) error {
	inv, err := s.svc.Users.ReissueInvitation(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showInvitation(w, r, inv, "New set-password link")
}
