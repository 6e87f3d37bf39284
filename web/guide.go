package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"waymark"
	"waymark/guidance"
)

// The resource library: guidance pages in Markdown, the region's for everyone and each
// organisation's for its own staff. Pages show the Markdown rendered and sanitised by the guidance
// package; the form previews it before saving.

// GuidesPage lists the guidance a user can read.
type GuidesPage struct {
	Layout
	Region, Own []*waymark.GuidePage
	// CanWriteRegion and CanWriteOwn say which "Add a page" links to offer.
	CanWriteRegion, CanWriteOwn bool
}

// GuidePageView shows one page of guidance, or one of its versions.
type GuidePageView struct {
	Layout
	Page *waymark.GuidePage
	Body template.HTML
	// RegionalToo is set when the user's organisation's page stands in for the region's page of
	// the same name, which the page links to.
	RegionalToo bool
	// OldVersion is set when Body is an earlier version's, not the page as it now stands.
	OldVersion *waymark.GuideVersion
	CanEdit    bool
}

// GuideFormPage adds or changes a page of guidance, with a preview.
type GuideFormPage struct {
	Layout
	Scope waymark.GuideScope
	// Page is nil when adding one.
	Page     *waymark.GuidePage
	Form     Form
	Preview  template.HTML
	Conflict bool
}

// GuideVersionsPage lists a page's versions.
type GuideVersionsPage struct {
	Layout
	Page     *waymark.GuidePage
	Versions []waymark.GuideVersion
}

var guideFields = []string{"scope", "slug", "title", "body"}

// mayWriteGuide reports whether the user may write the scope's pages.
func mayWriteGuide(a waymark.Actor, scope waymark.GuideScope) bool {
	return scope == waymark.GuideRegion && a.Can(waymark.PermManageRegionalGuide) || scope == waymark.GuideOrganisation && a.Can(waymark.PermManageGuidance)
}

// guideScope reads the scope from the path; anything else is a page that does not exist.
func guideScope(r *http.Request) (waymark.GuideScope, error) {
	scope := waymark.GuideScope(r.PathValue("scope"))
	if !scope.Valid() {
		return "", waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}
	return scope, nil
}

func guideURL(p *waymark.GuidePage) string {
	return "/guidance/" + string(p.Scope) + "/" + url.PathEscape(p.Slug)
}

func (s *Server) handleGuideIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := s.svc.Guidance.FindGuides(r.Context(), a)
	if err != nil {
		return err
	}
	page := GuidesPage{Layout: s.layout(w, r, "Guidance"), CanWriteRegion: mayWriteGuide(a, waymark.GuideRegion), CanWriteOwn: mayWriteGuide(a, waymark.GuideOrganisation)}
	for _, p := range list {
		if p.Scope == waymark.GuideRegion {
			page.Region = append(page.Region, p)
		} else {
			page.Own = append(page.Own, p)
		}
	}
	return s.render(w, r, http.StatusOK, "guides", page)
}

// handleGuideResolve shows the page of a name that other pages link to: the user's
// organisation's, if it wrote one, else the region's.
func (s *Server) handleGuideResolve(w http.ResponseWriter, r *http.Request) error {
	a, slug := actor(r), r.PathValue("slug")
	if a.OrgID != "" {
		p, err := s.svc.Guidance.FindGuide(r.Context(), a, waymark.GuideOrganisation, slug)
		if err == nil {
			_, regional := s.svc.Guidance.FindGuide(r.Context(), a, waymark.GuideRegion, slug)
			return s.showGuide(w, r, p, regional == nil)
		}
		if waymark.ErrorCode(err) != waymark.ENOTFOUND {
			return err
		}
	}
	p, err := s.svc.Guidance.FindGuide(r.Context(), a, waymark.GuideRegion, slug)
	if err != nil {
		return err
	}
	return s.showGuide(w, r, p, false)
}

func (s *Server) showGuide(w http.ResponseWriter, r *http.Request, p *waymark.GuidePage, regionalToo bool) error {
	return s.render(w, r, http.StatusOK, "guide", GuidePageView{Layout: s.layout(w, r, p.Title), Page: p, Body: guidance.Render(p.Body),
		RegionalToo: regionalToo, CanEdit: mayWriteGuide(actor(r), p.Scope)})
}

func (s *Server) handleGuideView(w http.ResponseWriter, r *http.Request) error {
	scope, err := guideScope(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Guidance.FindGuide(r.Context(), actor(r), scope, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.showGuide(w, r, p, false)
}

func (s *Server) handleGuideVersions(w http.ResponseWriter, r *http.Request) error {
	scope, err := guideScope(r)
	if err != nil {
		return err
	}
	a, slug := actor(r), r.PathValue("slug")
	p, err := s.svc.Guidance.FindGuide(r.Context(), a, scope, slug)
	if err != nil {
		return err
	}
	versions, err := s.svc.Guidance.FindGuideVersions(r.Context(), a, scope, slug)
	if err != nil {
		return err
	}
	if n := r.PathValue("version"); n != "" {
		for _, v := range versions {
			if strconv.Itoa(v.Version) == n {
				return s.render(w, r, http.StatusOK, "guide", GuidePageView{Layout: s.layout(w, r, v.Title), Page: p, Body: guidance.Render(v.Body), OldVersion: &v})
			}
		}
		return waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}
	return s.render(w, r, http.StatusOK, "guide-versions", GuideVersionsPage{Layout: s.layout(w, r, "Versions of "+p.Title), Page: p, Versions: versions})
}

func (s *Server) handleGuideNew(w http.ResponseWriter, r *http.Request) error {
	scope := waymark.GuideScope(r.URL.Query().Get("scope"))
	if !scope.Valid() {
		scope = waymark.GuideOrganisation
	}
	if !mayWriteGuide(actor(r), scope) {
		return waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}
	return s.renderGuideForm(w, r, http.StatusOK, GuideFormPage{Scope: scope, Form: Form{Values: url.Values{}}})
}

func (s *Server) handleGuideEdit(w http.ResponseWriter, r *http.Request) error {
	scope, err := guideScope(r)
	if err != nil {
		return err
	}
	if !mayWriteGuide(actor(r), scope) {
		return waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}
	p, err := s.svc.Guidance.FindGuide(r.Context(), actor(r), scope, r.PathValue("slug"))
	if err != nil {
		return err
	}
	v := url.Values{"slug": {p.Slug}, "title": {p.Title}, "body": {p.Body}, "version": {strconv.Itoa(p.Version)}}
	return s.renderGuideForm(w, r, http.StatusOK, GuideFormPage{Scope: scope, Page: p, Form: Form{Values: v}})
}

// handleGuideSave adds a page (POST /guidance, the scope in the form) or saves a new version of
// one (POST /guidance/{scope}/{slug}); the "preview" button shows the page as it would look,
// saving nothing.
func (s *Server) handleGuideSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	a := actor(r)
	page := GuideFormPage{Scope: waymark.GuideScope(r.PostForm.Get("scope"))}
	version := 0
	if r.PathValue("slug") != "" {
		scope, err := guideScope(r)
		if err != nil {
			return err
		}
		if page.Page, err = s.svc.Guidance.FindGuide(r.Context(), a, scope, r.PathValue("slug")); err != nil {
			return err
		}
		page.Scope = scope
		if version, _ = strconv.Atoi(r.PostForm.Get("version")); version < 1 {
			return waymark.Errorf(waymark.EINVALID, "The form could not be read: open the page's Change link again.")
		}
		// The address stays: a new version keeps the page's name.
		r.PostForm.Set("slug", page.Page.Slug)
	}
	if !page.Scope.Valid() {
		page.Scope = waymark.GuideOrganisation
	}
	if !mayWriteGuide(a, page.Scope) {
		return waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}
	p := waymark.GuidePage{Slug: r.PostForm.Get("slug"), Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body")}
	var err error
	if r.PostForm.Get("action") == "preview" {
		err = p.Validate()
		page.Form, page.Errors = formFromError(r.PostForm, err, guideFields...)
		if err != nil {
			return s.renderGuideForm(w, r, errorStatus(err), page)
		}
		page.Preview = guidance.Render(p.Body)
		return s.renderGuideForm(w, r, http.StatusOK, page)
	}
	err = s.svc.Guidance.SaveGuide(r.Context(), a, page.Scope, version, &p)
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, guideURL(&p), "Guidance saved.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page.Form, page.Errors = formFromError(r.PostForm, err, guideFields...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT && page.Page != nil {
			page.Conflict = true
			page.Form.Values.Set("version", strconv.Itoa(page.Page.Version))
		}
		return s.renderGuideForm(w, r, errorStatus(err), page)
	}
	return err
}

func (s *Server) renderGuideForm(w http.ResponseWriter, r *http.Request, status int, page GuideFormPage) error {
	title := "Add a page of guidance"
	if page.Page != nil {
		title = "Change " + page.Page.Title
	}
	errs := page.Errors
	page.Layout = s.layout(w, r, title)
	page.Errors = errs
	return s.render(w, r, status, "guide-form", page)
}
