package web

import (
	"html/template"
	"net/http"
	"strings"

	"waymark"
)

// SignInPage is the sign-in form.
type SignInPage struct {
	Layout
	Form Form
}

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) error {
	if id := identity(r); id != nil {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) error {
	if id := identity(r); id != nil && id.Stage == waymark.StageDone {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "sign-in", SignInPage{Layout: s.layout(w, r, "Sign in"), Form: Form{}})
}

func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	email, password := strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("password")
	fields := map[string]string{}
	if email == "" {
		fields["email"] = "Enter your email address"
	}
	if password == "" {
		fields["password"] = "Enter your password"
	}
	var err error
	var signed *waymark.SignedIn
	if len(fields) > 0 {
		err = waymark.Invalid(fields)
	} else {
		// Over-long input goes to the service too, to be refused, counted and audited like any failure.
		signed, err = s.svc.Auth.SignIn(r.Context(), email, password, clientAddr(r))
	}
	if err != nil {
		code := waymark.ErrorCode(err)
		if code != waymark.EINVALID && code != waymark.EUNAUTHORIZED && code != waymark.ETHROTTLED {
			return err
		}
		// The password is never sent back to the browser.
		values := r.PostForm
		values.Del("password")
		page := SignInPage{Layout: s.layout(w, r, "Sign in")}
		page.Form, page.Errors = formFromError(values, err, "email", "password")
		if code != waymark.EINVALID {
			// The same answer for an unknown account and a wrong password, shown at the email field.
			page.Form.Errs = map[string]string{"email": waymark.ErrorMessage(err)}
			page.Errors = []FieldError{{Field: "email", Message: waymark.ErrorMessage(err)}}
		}
		return s.render(w, r, errorStatus(err), "sign-in", page)
	}
	// Signing in again ends the session the browser had: the new one has a new token (ASVS 7.2.4).
	if old := sessionToken(r); old != "" {
		if err := s.svc.Auth.SignOut(r.Context(), old, clientAddr(r)); err != nil {
			return err
		}
	}
	setCookie(w, sessionCookie, signed.Token, 0)
	switch signed.Identity.Stage {
	case waymark.StageTwoStep:
		return redirect(w, r, "/sign-in/two-step", "")
	case waymark.StageTwoStepSetup:
		return redirect(w, r, "/account/two-step", "")
	}
	return redirect(w, r, "/home", "")
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.svc.Auth.SignOut(r.Context(), c.Value, clientAddr(r)); err != nil {
			return err
		}
	}
	clearCookie(w, sessionCookie)
	return redirect(w, r, "/sign-in", "You have signed out.")
}

// TwoStepPage asks for the second step of sign-in.
type TwoStepPage struct {
	Layout
	Form Form
}

func (s *Server) handleTwoStepForm(w http.ResponseWriter, r *http.Request) error {
	id := identity(r)
	if id == nil {
		return redirect(w, r, "/sign-in", "")
	}
	if id.Stage != waymark.StageTwoStep {
		return redirect(w, r, "/home", "")
	}
	return s.render(w, r, http.StatusOK, "two-step", TwoStepPage{Layout: s.layout(w, r, "Enter your security code")})
}

func (s *Server) handleTwoStep(w http.ResponseWriter, r *http.Request) error {
	id := identity(r)
	c, cerr := r.Cookie(sessionCookie)
	if id == nil || cerr != nil {
		return redirect(w, r, "/sign-in", "")
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	code := r.PostForm.Get("code")
	var err error
	var token string
	if strings.TrimSpace(code) == "" {
		err = waymark.Invalid(map[string]string{"code": "Enter the 6-digit code from your authenticator app, or a recovery code"})
	} else if len(code) > 64 {
		err = waymark.Invalid(map[string]string{"code": "Enter the 6-digit code from your authenticator app, or a recovery code"})
	} else {
		token, err = s.svc.Auth.CompleteTwoStep(r.Context(), c.Value, code, clientAddr(r))
	}
	if err != nil {
		switch waymark.ErrorCode(err) {
		case waymark.EINVALID, waymark.EUNAUTHORIZED, waymark.ETHROTTLED:
		default:
			return err
		}
		page := TwoStepPage{Layout: s.layout(w, r, "Enter your security code")}
		page.Form, page.Errors = formFromError(nil, err, "code")
		if waymark.ErrorFields(err) == nil {
			page.Errors = []FieldError{{Field: "code", Message: waymark.ErrorMessage(err)}}
		}
		return s.render(w, r, errorStatus(err), "two-step", page)
	}
	setCookie(w, sessionCookie, token, 0)
	return redirect(w, r, "/home", "")
}

// TwoStepSetupPage offers a new secret to add to an authenticator app.
type TwoStepSetupPage struct {
	Layout
	Form   Form
	Secret string
	// URI is the otpauth: link, built here from the secret; html/template would otherwise refuse
	// the scheme.
	URI      template.URL
	Required bool
}

// RecoveryCodesPage shows the recovery codes once.
type RecoveryCodesPage struct {
	Layout
	Codes []string
}

func (s *Server) handleTwoStepSetupForm(w http.ResponseWriter, r *http.Request) error {
	enrol, err := s.svc.Auth.BeginTwoStepSetup(r.Context(), actor(r))
	if err != nil {
		return err
	}
	id := identity(r)
	return s.render(w, r, http.StatusOK, "two-step-setup", TwoStepSetupPage{Layout: s.layout(w, r, "Set up two-step sign-in"),
		Secret: enrol.Secret, URI: template.URL(enrol.URI), Required: id.Organisation.RequireTwoStep})
}

func (s *Server) handleTwoStepSetup(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	secret, code := r.PostForm.Get("secret"), r.PostForm.Get("code")
	token := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		token = c.Value
	}
	codes, err := s.svc.Auth.ConfirmTwoStepSetup(r.Context(), actor(r), token, secret, code)
	if waymark.ErrorCode(err) == waymark.EINVALID {
		id := identity(r)
		page := TwoStepSetupPage{Layout: s.layout(w, r, "Set up two-step sign-in"), Secret: secret,
			Required: id.Organisation.RequireTwoStep}
		if waymark.ValidTOTPSecret(secret) {
			page.URI = template.URL(waymark.TOTPURI(secret, id.User.Email))
		}
		page.Form, page.Errors = formFromError(nil, err, "code")
		return s.render(w, r, http.StatusUnprocessableEntity, "two-step-setup", page)
	}
	if err != nil {
		return err
	}
	page := RecoveryCodesPage{Layout: s.layout(w, r, "Two-step sign-in is on"), Codes: codes}
	page.Nav = navFor(identity(r).User.Role, "")
	return s.render(w, r, http.StatusOK, "recovery-codes", page)
}

// SetPasswordPage sets a password from an invitation link.
type SetPasswordPage struct {
	Layout
	Form  Form
	Token string
	Email string
}

func (s *Server) handleSetPasswordForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	u, err := s.svc.Auth.CheckInvitation(r.Context(), token)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "set-password", SetPasswordPage{Layout: s.layout(w, r, "Set your password"), Token: token, Email: u.Email})
}

func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	u, err := s.svc.Auth.CheckInvitation(r.Context(), token)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	pw, confirm := r.PostForm.Get("password"), r.PostForm.Get("confirm")
	if pw != confirm {
		err = waymark.Invalid(map[string]string{"confirm": "The passwords do not match. Enter the same password twice"})
	} else {
		err = s.svc.Auth.SetPassword(r.Context(), token, pw, clientAddr(r))
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page := SetPasswordPage{Layout: s.layout(w, r, "Set your password"), Token: token, Email: u.Email}
		page.Form, page.Errors = formFromError(nil, err, "password", "confirm")
		return s.render(w, r, http.StatusUnprocessableEntity, "set-password", page)
	}
	if err != nil {
		return err
	}
	clearCookie(w, sessionCookie)
	return redirect(w, r, "/sign-in", "Your password is set. Sign in with your email address and new password.")
}
