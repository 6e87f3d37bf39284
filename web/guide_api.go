package web

import (
	"net/http"
	"time"

	"waymark"
	"waymark/guidance"
)

// The JSON shapes of the resource library.
type (
	apiGuideIn struct {
		Title string `json:"title"`
		// Body is the page's Markdown.
		Body string `json:"body"`
		// Version is the version the change was made from; 0 adds the page.
		Version int `json:"version"`
	}
	apiGuide struct {
		Scope string `json:"scope"`
		Slug  string `json:"slug"`
		apiGuideIn
		// HTML is the body as pages show it: rendered and sanitised.
		HTML          string    `json:"html,omitempty"`
		UpdatedByName string    `json:"updated_by_name"`
		UpdatedAt     time.Time `json:"updated_at"`
	}
	apiGuideVersion struct {
		Version       int       `json:"version"`
		Title         string    `json:"title"`
		Body          string    `json:"body"`
		UpdatedByName string    `json:"updated_by_name"`
		UpdatedAt     time.Time `json:"updated_at"`
	}
)

// toAPIGuide writes a page, with its body and rendering when withBody.
func toAPIGuide(p *waymark.GuidePage, withBody bool) apiGuide {
	out := apiGuide{Scope: string(p.Scope), Slug: p.Slug, apiGuideIn: apiGuideIn{Title: p.Title, Version: p.Version}, UpdatedByName: p.UpdatedByName, UpdatedAt: p.UpdatedAt}
	if withBody {
		out.Body, out.HTML = p.Body, string(guidance.Render(p.Body))
	}
	return out
}

func (s *Server) apiGuideIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Guidance.FindGuides(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	out := []apiGuide{}
	for _, p := range list {
		out = append(out, toAPIGuide(p, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"pages": out})
	return nil
}

// apiGuideScope reads the scope from the path; anything else is not a route.
func apiGuideScope(r *http.Request) (waymark.GuideScope, error) {
	scope := waymark.GuideScope(r.PathValue("scope"))
	if !scope.Valid() {
		return "", waymark.Errorf(waymark.ENOTFOUND, "There is no such API route. The scope is region or organisation.")
	}
	return scope, nil
}

func (s *Server) apiGuideView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	scope, err := apiGuideScope(r)
	if err != nil {
		return err
	}
	p, err := s.svc.Guidance.FindGuide(r.Context(), apiActor(r, id), scope, r.PathValue("slug"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIGuide(p, true))
	return nil
}

// apiGuideSave adds a page (version 0, 201) or saves a new version of one (200); a version other
// than the stored one is refused with 409.
func (s *Server) apiGuideSave(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	scope, err := apiGuideScope(r)
	if err != nil {
		return err
	}
	var in apiGuideIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := waymark.GuidePage{Slug: r.PathValue("slug"), Title: in.Title, Body: in.Body}
	if err := s.svc.Guidance.SaveGuide(r.Context(), apiActor(r, id), scope, in.Version, &p); err != nil {
		return err
	}
	status := http.StatusOK
	if p.Version == 1 {
		status = http.StatusCreated
	}
	writeJSON(w, status, toAPIGuide(&p, true))
	return nil
}

func (s *Server) apiGuideVersions(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	scope, err := apiGuideScope(r)
	if err != nil {
		return err
	}
	list, err := s.svc.Guidance.FindGuideVersions(r.Context(), apiActor(r, id), scope, r.PathValue("slug"))
	if err != nil {
		return err
	}
	out := []apiGuideVersion{}
	for _, v := range list {
		out = append(out, apiGuideVersion{Version: v.Version, Title: v.Title, Body: v.Body, UpdatedByName: v.UpdatedByName, UpdatedAt: v.UpdatedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": out})
	return nil
}
