package sqldb

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"waymark"
)

// GuidanceService implements waymark.GuidanceService.
type GuidanceService struct{ db *DB }

// NewGuidanceService returns the resource library.
func NewGuidanceService(db *DB) *GuidanceService { return &GuidanceService{db: db} }

var _ waymark.GuidanceService = (*GuidanceService)(nil)

const guideColumns = `g.id, g.org_id, g.slug, g.title, g.body, g.version, g.updated_by, COALESCE(u.name, ''), g.updated_at
	FROM guide_pages g LEFT JOIN users u ON u.id = g.updated_by`

func scanGuide(row interface{ Scan(...any) error }) (*waymark.GuidePage, error) {
	var p waymark.GuidePage
	var at nullTime
	if err := row.Scan(&p.ID, &p.OrgID, &p.Slug, &p.Title, &p.Body, &p.Version, &p.UpdatedBy, &p.UpdatedByName, &at); err != nil {
		return nil, err
	}
	p.UpdatedAt, p.Scope = at.t, waymark.GuideRegion
	if p.OrgID != "" {
		p.Scope = waymark.GuideOrganisation
	}
	return &p, nil
}

// guideOwner is the org_id of the scope's pages for the actor: "" for the region's, the actor's
// organisation for its own. ENOTFOUND for an unknown scope, or an organisation's pages asked for
// by someone of none.
func guideOwner(actor waymark.Actor, scope waymark.GuideScope) (string, error) {
	switch {
	case scope == waymark.GuideRegion:
		return "", nil
	case scope == waymark.GuideOrganisation && actor.OrgID != "":
		return actor.OrgID, nil
	}
	return "", notFound("guidance page")
}

func (tx *Tx) findGuide(ctx context.Context, orgID, slug string) (*waymark.GuidePage, error) {
	p, err := scanGuide(tx.QueryRowContext(ctx, `SELECT `+guideColumns+` WHERE g.org_id = $1 AND g.slug = $2`, orgID, slug))
	if errNoRows(err) {
		return nil, notFound("guidance page")
	}
	return p, err
}

// FindGuides lists the region's pages and the actor's organisation's; see waymark.GuidanceService.
func (s *GuidanceService) FindGuides(ctx context.Context, actor waymark.Actor) ([]*waymark.GuidePage, error) {
	var out []*waymark.GuidePage
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.eachRow(ctx, `SELECT `+guideColumns+` WHERE g.org_id = '' OR g.org_id = $1`, []any{actor.OrgID}, func(row interface{ Scan(...any) error }) error {
			p, err := scanGuide(row)
			if err == nil {
				p.Body = ""
				out = append(out, p)
			}
			return err
		})
	})
	// Sorted here: the engines order text by different collations.
	slices.SortFunc(out, func(a, b *waymark.GuidePage) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.ID, b.ID))
	})
	return out, err
}

// FindGuide reads a page; see waymark.GuidanceService.
func (s *GuidanceService) FindGuide(ctx context.Context, actor waymark.Actor, scope waymark.GuideScope, slug string) (*waymark.GuidePage, error) {
	orgID, err := guideOwner(actor, scope)
	if err != nil {
		return nil, err
	}
	var out *waymark.GuidePage
	err = s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.findGuide(ctx, orgID, slug)
		return err
	})
	return out, err
}

// FindGuideVersions lists a page's versions; see waymark.GuidanceService.
func (s *GuidanceService) FindGuideVersions(ctx context.Context, actor waymark.Actor, scope waymark.GuideScope, slug string) ([]waymark.GuideVersion, error) {
	orgID, err := guideOwner(actor, scope)
	if err != nil {
		return nil, err
	}
	var out []waymark.GuideVersion
	err = s.db.view(ctx, func(tx *Tx) error {
		p, err := tx.findGuide(ctx, orgID, slug)
		if err != nil {
			return err
		}
		return tx.eachRow(ctx, `SELECT v.version, v.title, v.body, COALESCE(u.name, ''), v.updated_at FROM guide_page_versions v
			LEFT JOIN users u ON u.id = v.updated_by WHERE v.page_id = $1 ORDER BY v.version DESC`, []any{p.ID},
			func(row interface{ Scan(...any) error }) error {
				var v waymark.GuideVersion
				var at nullTime
				err := row.Scan(&v.Version, &v.Title, &v.Body, &v.UpdatedByName, &at)
				v.UpdatedAt = at.t
				out = append(out, v)
				return err
			})
	})
	return out, err
}

// SaveGuide adds or changes a page; see waymark.GuidanceService.
func (s *GuidanceService) SaveGuide(ctx context.Context, actor waymark.Actor, scope waymark.GuideScope, version int, p *waymark.GuidePage) error {
	switch {
	case scope == waymark.GuideRegion && !actor.Can(waymark.PermManageRegionalGuide),
		scope == waymark.GuideOrganisation && !actor.Can(waymark.PermManageGuidance):
		return forbidden()
	}
	orgID, err := guideOwner(actor, scope)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.saveGuide(ctx, actor, orgID, version, p)
	})
}

// saveGuide writes a new page (version 0) or the next version of one, and its audit entry.
func (tx *Tx) saveGuide(ctx context.Context, actor waymark.Actor, orgID string, version int, p *waymark.GuidePage) error {
	p.OrgID, p.UpdatedBy, p.UpdatedAt = orgID, actor.UserID, tx.now
	p.Scope = waymark.GuideRegion
	if orgID != "" {
		p.Scope = waymark.GuideOrganisation
	}
	if version == 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM guide_pages WHERE org_id = $1 AND slug = $2`, orgID, p.Slug).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return waymark.Invalid(map[string]string{"slug": "There is already a page called " + p.Slug + ": choose another short name, or change that page"})
		}
		p.ID, p.Version = newID(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO guide_pages (id, org_id, slug, title, body, version, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, orgID, p.Slug, p.Title, p.Body, p.Version, p.UpdatedBy, p.UpdatedAt); err != nil {
			return err
		}
	} else {
		// The page's name is its address: a new version keeps it.
		cur, err := tx.findGuide(ctx, orgID, p.Slug)
		if err != nil {
			return err
		}
		if err := tx.lockRow(ctx, "guide_pages", cur.ID); err != nil {
			return err
		}
		var now int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM guide_pages WHERE id = $1`, cur.ID).Scan(&now); err != nil {
			return err
		}
		if now != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else saved this page while you were changing it. Your change has not been saved: read the page as it is now, then make your change again.")
		}
		p.ID, p.Version = cur.ID, now+1
		if _, err := tx.ExecContext(ctx, `UPDATE guide_pages SET title = $1, body = $2, version = $3, updated_by = $4, updated_at = $5 WHERE id = $6`,
			p.Title, p.Body, p.Version, p.UpdatedBy, p.UpdatedAt, p.ID); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO guide_page_versions (page_id, version, title, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		p.ID, p.Version, p.Title, p.Body, p.UpdatedBy, p.UpdatedAt); err != nil {
		return err
	}
	return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditGuideSaved, ObjectType: "guide_page", ObjectID: p.ID, OrgID: orgID,
		Detail: "page " + p.Slug + " version " + strconv.Itoa(p.Version)})
}

// SeedGuides adds the region's pages not yet there; see waymark.GuidanceService.
func (s *GuidanceService) SeedGuides(ctx context.Context, pages []waymark.GuidePage) error {
	return s.db.update(ctx, func(tx *Tx) error {
		for _, p := range pages {
			if err := p.Validate(); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM guide_pages WHERE org_id = '' AND slug = $1`, p.Slug).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				if err := tx.saveGuide(ctx, waymark.SystemActor(), "", 0, &p); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
