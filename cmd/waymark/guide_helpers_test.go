package main

import (
	"context"
	"strings"
	"testing"

	"waymark"
	"waymark/guidance"
	"waymark/sqldb"
)

// guideMarker is the text of an organisation's own page of guidance: only its staff may see it.
func guideMarker(orgID string) string { return "GUIDEPAGE" + strings.ToUpper(orgID) }

// guideSlug is the name of the page each organisation writes for itself.
const guideSlug = "procedures"

// addMarkedGuides has each organisation's safeguarding lead write a page of its own, under one name
// for all, holding the organisation's guide marker.
func (tr *testRegion) addMarkedGuides(t testing.TB) {
	t.Helper()
	svc := sqldb.NewGuidanceService(tr.db)
	for _, u := range tr.region.Users {
		if u.Role != waymark.RoleSafeguardingLead {
			continue
		}
		p := &waymark.GuidePage{Slug: guideSlug, Title: "Our procedures", Body: "Ring the duty lead. " + guideMarker(u.OrgID)}
		if err := svc.SaveGuide(context.Background(), waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, waymark.GuideOrganisation, 0, p); err != nil {
			t.Fatal(err)
		}
		tr.guides = append(tr.guides, u.OrgID)
	}
}

// guidePaths fills a guidance route with both scopes, the organisations' page and a region's page.
func guidePaths(path string) []string {
	var out []string
	for _, scope := range []waymark.GuideScope{waymark.GuideRegion, waymark.GuideOrganisation} {
		for _, slug := range []string{guideSlug, guidance.Indicators} {
			out = append(out, strings.NewReplacer("{scope}", string(scope), "{slug}", slug, "{version}", "1").Replace(path))
		}
	}
	return out
}
