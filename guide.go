package waymark

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// The resource library (issue 7; DOMAIN.md §1, R1 and R7): guidance pages written in Markdown, for
// the whole region or for one organisation, kept in every version. The screening form links to the
// page on indicators and the pathway assistant to the pages on pathways and referral routes. An
// organisation's page with the same name as a regional one is what its own staff see first, with a
// link to the region's.

// GuideScope is whose guidance a page is: the region's, or the reader's organisation's.
type GuideScope string

// The scopes.
const (
	GuideRegion       GuideScope = "region"
	GuideOrganisation GuideScope = "organisation"
)

// Valid reports whether s is a scope.
func (s GuideScope) Valid() bool { return s == GuideRegion || s == GuideOrganisation }

// Limits of a guidance page.
const (
	MaxGuideTitle = 120
	MaxGuideBody  = 100_000
)

// GuidePage is a page of guidance as it now stands.
type GuidePage struct {
	ID    string
	Scope GuideScope
	// OrgID is the organisation whose page it is; "" for the region's.
	OrgID string
	// Slug names the page in its address: lower-case letters, digits and hyphens.
	Slug  string
	Title string
	// Body is the Markdown; pages show it rendered and sanitised.
	Body                     string
	Version                  int
	UpdatedBy, UpdatedByName string
	UpdatedAt                time.Time
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate tidies the page and says how to fix each problem. Field keys: slug, title, body.
func (p *GuidePage) Validate() error {
	p.Slug, p.Title = strings.TrimSpace(strings.ToLower(p.Slug)), strings.TrimSpace(p.Title)
	p.Body = strings.TrimSpace(strings.ReplaceAll(p.Body, "\r\n", "\n"))
	f := map[string]string{}
	switch {
	case p.Slug == "":
		f["slug"] = "Enter a short name for the page's address, for example referral-routes"
	case len(p.Slug) > 60:
		f["slug"] = "The short name must be 60 characters or fewer"
	case !slugPattern.MatchString(p.Slug):
		f["slug"] = "Use only lower-case letters, numbers and single hyphens between words, for example referral-routes"
	case p.Slug == "new":
		f["slug"] = "Choose another short name: new is kept for the form that adds a page"
	}
	switch {
	case p.Title == "":
		f["title"] = "Enter a title"
	case utf8.RuneCountInString(p.Title) > MaxGuideTitle:
		f["title"] = "The title must be 120 characters or fewer"
	}
	switch {
	case p.Body == "":
		f["body"] = "Write the guidance"
	case len(p.Body) > MaxGuideBody:
		f["body"] = "The guidance must be 100,000 characters or fewer: split it into two pages"
	case !utf8.ValidString(p.Body):
		f["body"] = "The guidance holds characters that are not text: paste it again as plain text"
	}
	return invalid(f)
}

// GuideVersion is one saved version of a page.
type GuideVersion struct {
	Version       int
	Title, Body   string
	UpdatedByName string
	UpdatedAt     time.Time
}

// GuidanceService keeps the resource library. Pages hold no personal data, so reading them is not
// audited; every change is.
type GuidanceService interface {
	// FindGuides lists the region's pages and the actor's organisation's, by title. Every
	// signed-in user reads the region's.
	FindGuides(ctx context.Context, actor Actor) ([]*GuidePage, error)
	// FindGuide reads a page of the scope; ENOTFOUND when there is none (an organisation's pages
	// are only ever found by its own staff).
	FindGuide(ctx context.Context, actor Actor, scope GuideScope, slug string) (*GuidePage, error)
	// FindGuideVersions lists a page's versions, newest first; ENOTFOUND as FindGuide.
	FindGuideVersions(ctx context.Context, actor Actor, scope GuideScope, slug string) ([]GuideVersion, error)
	// SaveGuide adds a page (version 0) or saves a new version of one (the version it was read
	// at). The region's pages need PermManageRegionalGuide, an organisation's
	// PermManageGuidance (EFORBIDDEN). EINVALID with fields, also when a new page's name is taken;
	// ECONFLICT when someone else saved a version since; ENOTFOUND for a page that is not there.
	SaveGuide(ctx context.Context, actor Actor, scope GuideScope, version int, p *GuidePage) error
	// SeedGuides adds each of the region's pages given whose name is not yet taken, as the
	// system: the pages every region starts with.
	SeedGuides(ctx context.Context, pages []GuidePage) error
}
