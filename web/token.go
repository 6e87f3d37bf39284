package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"waymark"
)

// TokenIndexPage lists the user's API tokens and makes new ones.
type TokenIndexPage struct {
	Layout
	Tokens []*waymark.APIToken
	Form   Form
	Now    time.Time
	// NewSecret is the secret of a token just made, shown once.
	NewSecret string
}

// tokenTTLs are the lifetimes offered in the form, in days.
var tokenTTLs = []int{1, 7, 30, 90, 365}

func (s *Server) tokenPage(w http.ResponseWriter, r *http.Request) (TokenIndexPage, error) {
	toks, err := s.svc.Tokens.FindTokens(r.Context(), actor(r), identity(r).User.ID)
	return TokenIndexPage{Layout: s.layout(w, r, "API tokens"), Tokens: toks, Now: s.cfg.Now(), Form: Form{Values: map[string][]string{"days": {"1"}}}}, err
}

func (s *Server) handleTokenIndex(w http.ResponseWriter, r *http.Request) error {
	page, err := s.tokenPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tokens", page)
}

func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	days, _ := strconv.Atoi(r.PostForm.Get("days"))
	var err error
	var tok *waymark.NewToken
	if days < 1 || days > 365 {
		err = waymark.Invalid(map[string]string{"days": "Choose how long the token should work"})
	} else {
		tok, err = s.svc.Tokens.CreateToken(r.Context(), actor(r), identity(r).User.ID, name, time.Duration(days)*24*time.Hour)
	}
	if err != nil && waymark.ErrorCode(err) != waymark.EINVALID {
		return err
	}
	page, lerr := s.tokenPage(w, r)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		page.Form, page.Errors = formFromError(r.PostForm, err, "name", "days")
		return s.render(w, r, http.StatusUnprocessableEntity, "tokens", page)
	}
	// The secret is shown on this response only; it is stored hashed and cannot be shown again.
	page.NewSecret = tok.Secret
	page.Flash = "Token made. Copy it now: you will not see it again."
	return s.render(w, r, http.StatusOK, "tokens", page)
}

func (s *Server) handleTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Tokens.RevokeToken(r.Context(), actor(r), r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/account/tokens", "The token has been revoked. Programs using it can no longer sign in.")
}
