package web

import (
	"net/http"

	"waymark"
)

// HomePage is each role's start page.
type HomePage struct {
	Layout
	Role waymark.Role
	// Staff and Organisations are counts shown to admins.
	Staff         int
	Organisations int
	// Recorded is how complete the organisation's client records are, for roles that see clients.
	Recorded waymark.Completeness
	// Tasks counts the user's open tasks, and Overdue those past their date.
	Tasks, Overdue int
	// NewReferrals counts the referrals from other organisations nobody has answered yet.
	NewReferrals int
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	id := identity(r)
	page := HomePage{Layout: s.layout(w, r, "Home"), Role: id.User.Role}
	a := actor(r)
	if a.Can(waymark.PermViewClients) {
		rec, err := s.svc.Clients.CountRecorded(r.Context(), a)
		if err != nil {
			return err
		}
		page.Recorded = rec
		if page.Tasks, page.Overdue, err = s.svc.Tasks.CountMyTasks(r.Context(), a); err != nil {
			return err
		}
		if page.NewReferrals, err = s.svc.Referrals.CountNewInbound(r.Context(), a); err != nil {
			return err
		}
	}
	if a.Can(waymark.PermManageOrgUsers) {
		_, n, err := s.svc.Users.FindUsers(r.Context(), a, id.User.OrgID, waymark.Page{Limit: 1})
		if err != nil {
			return err
		}
		page.Staff = n
	}
	if a.Can(waymark.PermManageOrganisations) {
		_, n, err := s.svc.Organisations.FindOrganisations(r.Context(), a, waymark.Page{Limit: 1})
		if err != nil {
			return err
		}
		page.Organisations = n
	}
	return s.render(w, r, http.StatusOK, "home", page)
}

// AccountPage shows the user's own account.
type AccountPage struct {
	Layout
	User *waymark.User
	Form Form
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "account", AccountPage{Layout: s.layout(w, r, "Your account"), User: identity(r).User})
}

func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	current, next, confirm := r.PostForm.Get("current"), r.PostForm.Get("password"), r.PostForm.Get("confirm")
	var err error
	switch {
	case current == "":
		err = waymark.Invalid(map[string]string{"current": "Enter your current password"})
	case next != confirm:
		err = waymark.Invalid(map[string]string{"confirm": "The new passwords do not match. Enter the same password twice"})
	default:
		err = s.svc.Auth.ChangePassword(r.Context(), actor(r), sessionToken(r), current, next)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page := AccountPage{Layout: s.layout(w, r, "Your account"), User: identity(r).User}
		page.Form, page.Errors = formFromError(nil, err, "current", "password", "confirm")
		return s.render(w, r, http.StatusUnprocessableEntity, "account", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/account", "Your password has been changed.")
}
