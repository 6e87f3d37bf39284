package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"waymark"
)

// fakeGuidance keeps pages in memory by org_id and slug, with the store's rules on scope and
// versions.
type fakeGuidance struct {
	pages map[string]*waymark.GuidePage
	saved int
}

func (f *fakeGuidance) key(a waymark.Actor, scope waymark.GuideScope, slug string) string {
	if scope == waymark.GuideRegion {
		return "/" + slug
	}
	return a.OrgID + "/" + slug
}

func (f *fakeGuidance) FindGuides(_ context.Context, a waymark.Actor) ([]*waymark.GuidePage, error) {
	var out []*waymark.GuidePage
	for _, p := range f.pages {
		if p.OrgID == "" || p.OrgID == a.OrgID {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeGuidance) FindGuide(_ context.Context, a waymark.Actor, scope waymark.GuideScope, slug string) (*waymark.GuidePage, error) {
	if p, ok := f.pages[f.key(a, scope, slug)]; ok {
		c := *p
		return &c, nil
	}
	return nil, waymark.Errorf(waymark.ENOTFOUND, "not found")
}

func (f *fakeGuidance) FindGuideVersions(ctx context.Context, a waymark.Actor, scope waymark.GuideScope, slug string) ([]waymark.GuideVersion, error) {
	p, err := f.FindGuide(ctx, a, scope, slug)
	if err != nil {
		return nil, err
	}
	return []waymark.GuideVersion{{Version: p.Version, Title: p.Title, Body: p.Body}, {Version: 1, Title: "First", Body: "The FIRST version."}}, nil
}

func (f *fakeGuidance) SaveGuide(_ context.Context, a waymark.Actor, scope waymark.GuideScope, version int, p *waymark.GuidePage) error {
	if err := p.Validate(); err != nil {
		return err
	}
	k := f.key(a, scope, p.Slug)
	cur, ok := f.pages[k]
	switch {
	case version == 0 && ok:
		return waymark.Invalid(map[string]string{"slug": "There is already a page called " + p.Slug})
	case version > 0 && !ok:
		return waymark.Errorf(waymark.ENOTFOUND, "not found")
	case ok && cur.Version != version:
		return waymark.Errorf(waymark.ECONFLICT, "Someone else saved this page.")
	}
	p.Scope, p.Version = scope, version+1
	if scope == waymark.GuideOrganisation {
		p.OrgID = a.OrgID
	}
	c := *p
	f.pages[k], f.saved = &c, f.saved+1
	return nil
}

func (f *fakeGuidance) SeedGuides(context.Context, []waymark.GuidePage) error { return nil }

func guideServer(t *testing.T, role waymark.Role) (*Server, *fakeGuidance) {
	t.Helper()
	g := &fakeGuidance{pages: map[string]*waymark.GuidePage{
		"/pathways":            {Scope: waymark.GuideRegion, Slug: "pathways", Title: "Pathways", Body: "## Danger\n\nCall 999. <script>alert(1)</script> [x](javascript:alert(2))", Version: 1},
		"/referral-routes":     {Scope: waymark.GuideRegion, Slug: "referral-routes", Title: "Region routes", Body: "REGIONROUTES", Version: 1},
		"org1/referral-routes": {Scope: waymark.GuideOrganisation, OrgID: "org1", Slug: "referral-routes", Title: "Our routes", Body: "OURROUTES", Version: 3},
	}}
	auth := signedInAs{role: role}
	return moveOnServer(t, Services{Auth: auth, Tokens: auth, Guidance: g, Notifications: &fakeNotifications{}}), g
}

func TestGuidancePages(t *testing.T) {
	t.Run("a page shows its Markdown rendered, with scripts and script links gone", func(t *testing.T) {
		s, _ := guideServer(t, waymark.RoleFrontline)
		w := serve(s, "GET", "/guidance/pathways", "")
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `<h2 class="govuk-heading-m">Danger</h2>`) {
			t.Fatalf("status %d:\n%s", w.Code, body)
		}
		if strings.Contains(body, "alert(1)</script>") || strings.Contains(body, "javascript:") {
			t.Error("the page let a script through")
		}
		if strings.Contains(body, "/edit") {
			t.Error("a frontline worker is offered to change the region's page")
		}
	})
	t.Run("the organisation's page of a name comes first, linking to the region's", func(t *testing.T) {
		s, _ := guideServer(t, waymark.RoleFrontline)
		body := serve(s, "GET", "/guidance/referral-routes", "").Body.String()
		if !strings.Contains(body, "OURROUTES") || !strings.Contains(body, `href="/guidance/region/referral-routes"`) || strings.Contains(body, "REGIONROUTES") {
			t.Errorf("resolved page:\n%s", body)
		}
		if body := serve(s, "GET", "/guidance/region/referral-routes", "").Body.String(); !strings.Contains(body, "REGIONROUTES") {
			t.Error("the region's page cannot be read by its own address")
		}
	})
	t.Run("a page that does not exist, or a scope that does not, is not found", func(t *testing.T) {
		s, _ := guideServer(t, waymark.RoleManager)
		for _, p := range []string{"/guidance/nothing", "/guidance/region/nothing", "/guidance/elsewhere/pathways", "/guidance/region/pathways/versions/9"} {
			if w := serve(s, "GET", p, ""); w.Code != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, w.Code)
			}
		}
	})
	t.Run("the list offers each writer only the pages they may write", func(t *testing.T) {
		cases := map[waymark.Role][2]bool{waymark.RoleFrontline: {false, false}, waymark.RoleManager: {true, false}, waymark.RoleSystemAdmin: {false, true}}
		for role, may := range cases {
			s, _ := guideServer(t, role)
			body := serve(s, "GET", "/guidance", "").Body.String()
			if strings.Contains(body, "scope=organisation") != may[0] || strings.Contains(body, "scope=region") != may[1] {
				t.Errorf("%s: offered own %v, region %v; want %v", role, strings.Contains(body, "scope=organisation"), strings.Contains(body, "scope=region"), may)
			}
			if w := serve(s, "GET", "/guidance/new?scope=organisation", ""); (w.Code == http.StatusOK) != may[0] {
				t.Errorf("%s: the form for a new page of its own: status %d", role, w.Code)
			}
		}
	})
	t.Run("preview shows the page and saves nothing", func(t *testing.T) {
		s, g := guideServer(t, waymark.RoleSafeguardingLead)
		form := url.Values{"scope": {"organisation"}, "slug": {"procedures"}, "title": {"Our procedures"}, "body": {"## Steps\n\n1. Ring the lead"}, "action": {"preview"}}
		w := serve(s, "POST", "/guidance", form.Encode())
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `id="preview"`) || !strings.Contains(body, `<ol class="govuk-list govuk-list--number">`) || g.saved != 0 {
			t.Errorf("preview: status %d, saved %d:\n%s", w.Code, g.saved, body)
		}
		if !strings.Contains(body, "1. Ring the lead</textarea>") {
			t.Error("the preview did not keep the text in the form")
		}
	})
	t.Run("bad input is shown against each field with what was typed kept", func(t *testing.T) {
		s, g := guideServer(t, waymark.RoleManager)
		form := url.Values{"scope": {"organisation"}, "slug": {"Our Page!"}, "title": {""}, "body": {"Kept <text>"}, "action": {"save"}}
		w := serve(s, "POST", "/guidance", form.Encode())
		body := w.Body.String()
		if w.Code != http.StatusUnprocessableEntity || g.saved != 0 {
			t.Fatalf("status %d, saved %d", w.Code, g.saved)
		}
		for _, want := range []string{"Use only lower-case letters", "Enter a title", "govuk-error-summary", `value="Our Page!"`, "Kept &lt;text&gt;</textarea>"} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lacks %q", want)
			}
		}
	})
	t.Run("a change from a stale version is refused with the text kept", func(t *testing.T) {
		s, g := guideServer(t, waymark.RoleManager)
		form := url.Values{"version": {"2"}, "title": {"Our routes"}, "body": {"MYCHANGE"}, "action": {"save"}}
		w := serve(s, "POST", "/guidance/organisation/referral-routes", form.Encode())
		body := w.Body.String()
		if w.Code != http.StatusConflict || !strings.Contains(body, `id="conflict"`) || !strings.Contains(body, "MYCHANGE") || !strings.Contains(body, `name="version" value="3"`) || g.saved != 0 {
			t.Errorf("stale save: status %d, saved %d", w.Code, g.saved)
		}
		form.Set("version", "3")
		if w := serve(s, "POST", "/guidance/organisation/referral-routes", form.Encode()); w.Code != http.StatusSeeOther || g.pages["org1/referral-routes"].Body != "MYCHANGE" {
			t.Errorf("save from the current version: status %d", w.Code)
		}
	})
	t.Run("a frontline worker cannot save a page", func(t *testing.T) {
		s, g := guideServer(t, waymark.RoleFrontline)
		form := url.Values{"scope": {"organisation"}, "slug": {"x"}, "title": {"X"}, "body": {"x"}}
		if w := serve(s, "POST", "/guidance", form.Encode()); w.Code != http.StatusNotFound || g.saved != 0 {
			t.Errorf("status %d, saved %d", w.Code, g.saved)
		}
	})
	t.Run("the API reads a page with its rendering and saves versions", func(t *testing.T) {
		s, _ := guideServer(t, waymark.RoleManager)
		w := serve(s, "GET", "/api/v1/guidance/region/pathways", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"html": "\u003ch2 class=\"govuk-heading-m\"\u003eDanger`) ||
			!strings.Contains(w.Body.String(), `Call 999. alert(1) \u003ca class=\"govuk-link\"\u003ex\u003c/a\u003e`) {
			t.Errorf("read: status %d %s", w.Code, w.Body.String())
		}
		if w := serve(s, "PUT", "/api/v1/guidance/organisation/new-page", `{"title": "New", "body": "Text", "version": 0}`); w.Code != http.StatusCreated {
			t.Errorf("add: status %d %s", w.Code, w.Body.String())
		}
		if w := serve(s, "PUT", "/api/v1/guidance/organisation/new-page", `{"title": "New", "body": "Text", "version": 0}`); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("add again: status %d", w.Code)
		}
		if w := serve(s, "PUT", "/api/v1/guidance/organisation/new-page", `{"title": "New", "body": "More", "version": 1}`); w.Code != http.StatusOK {
			t.Errorf("change: status %d", w.Code)
		}
		if w := serve(s, "GET", "/api/v1/guidance/elsewhere/new-page", ""); w.Code != http.StatusNotFound {
			t.Errorf("unknown scope: status %d", w.Code)
		}
	})
}

// TestGuidanceLinkedFromTheForms: the screening form links to the signs of modern slavery, the
// pathway assistant to the pathways and the region's referral routes (issue 7, item 3).
func TestGuidanceLinkedFromTheForms(t *testing.T) {
	s := moveOnServer(t, Services{})
	l := Layout{Title: "Title", Nonce: "n0nce"}
	f := Form{Values: url.Values{}}
	for page, links := range map[string][]string{
		"screening": {`href="/guidance/indicators"`},
		"pathway":   {`href="/guidance/pathways"`, `href="/guidance/referral-routes"`},
	} {
		var data any = screeningPageData(l, f)
		if page == "pathway" {
			data = pathwayPageData(l, f)
		}
		body := renderPage(t, s, page, data)
		for _, want := range links {
			if !strings.Contains(body, want) {
				t.Errorf("the %s page lacks a link %s", page, want)
			}
		}
	}
}
