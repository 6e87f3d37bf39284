package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/guidance"
	"waymark/sqldb"
)

// TestGuidance keeps the resource library: the region's pages written by a system admin and read
// by everyone, an organisation's written by its leads and read only by its staff, every version
// kept, stale saves refused.
func TestGuidance(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewGuidanceService(e.db)
		hostel := e.org(t, "Guide Hostel", false)
		other := e.org(t, "Guide Other", false)
		_, adminActor := e.user(t, e.org(t, "Guide Region Office", false), waymark.RoleSystemAdmin)
		lead, leadActor := e.user(t, hostel, waymark.RoleSafeguardingLead)
		_, worker := e.user(t, hostel, waymark.RoleFrontline)
		_, outsider := e.user(t, other, waymark.RoleManager)
		_, analyst := e.user(t, other, waymark.RoleAnalyst)

		t.Run("a region starts with the default pages, and seeding again changes nothing", func(t *testing.T) {
			pages := guidance.Defaults()
			mustOK(t, svc.SeedGuides(ctx, pages))
			mustOK(t, svc.SeedGuides(ctx, pages))
			for _, a := range []waymark.Actor{worker, outsider, analyst, adminActor} {
				got, err := svc.FindGuide(ctx, a, waymark.GuideRegion, guidance.Indicators)
				mustOK(t, err)
				if got.Version != 1 || !strings.Contains(got.Body, "eleven indicators") {
					t.Errorf("%s reads the indicators page as version %d: %.60q", a.Role, got.Version, got.Body)
				}
			}
		})

		t.Run("only a system admin writes the region's pages; only an organisation's leads its own", func(t *testing.T) {
			p := &waymark.GuidePage{Slug: "referral-routes", Title: "Referral routes", Body: "Call the hub."}
			for _, a := range []waymark.Actor{leadActor, worker, analyst} {
				wantCode(t, svc.SaveGuide(ctx, a, waymark.GuideRegion, 1, p), waymark.EFORBIDDEN)
			}
			mustOK(t, svc.SaveGuide(ctx, adminActor, waymark.GuideRegion, 1, p))
			if p.Version != 2 {
				t.Errorf("the region's referral routes saved as version %d; want 2, after the starting page", p.Version)
			}
			wantCode(t, svc.SaveGuide(ctx, worker, waymark.GuideOrganisation, 0, &waymark.GuidePage{Slug: "ours", Title: "Ours", Body: "x"}), waymark.EFORBIDDEN)
			wantCode(t, svc.SaveGuide(ctx, adminActor, waymark.GuideOrganisation, 0, &waymark.GuidePage{Slug: "ours", Title: "Ours", Body: "x"}), waymark.EFORBIDDEN)
		})

		ours := &waymark.GuidePage{Slug: " Referral-Routes ", Title: " Our referral routes ", Body: "Ring the duty lead first.\r\n"}
		t.Run("an organisation's page is its staff's alone", func(t *testing.T) {
			e.clock.Advance(time.Hour)
			mustOK(t, svc.SaveGuide(ctx, leadActor, waymark.GuideOrganisation, 0, ours))
			want := &waymark.GuidePage{ID: ours.ID, Scope: waymark.GuideOrganisation, OrgID: hostel.ID, Slug: "referral-routes", Title: "Our referral routes",
				Body: "Ring the duty lead first.", Version: 1, UpdatedBy: lead.ID, UpdatedByName: lead.Name, UpdatedAt: e.clock.Now()}
			got, err := svc.FindGuide(ctx, worker, waymark.GuideOrganisation, "referral-routes")
			mustOK(t, err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
			_, err = svc.FindGuide(ctx, outsider, waymark.GuideOrganisation, "referral-routes")
			wantCode(t, err, waymark.ENOTFOUND)
			_, err = svc.FindGuide(ctx, adminActor, waymark.GuideOrganisation, "referral-routes")
			wantCode(t, err, waymark.ENOTFOUND)
			list, err := svc.FindGuides(ctx, outsider)
			mustOK(t, err)
			for _, p := range list {
				if p.OrgID != "" {
					t.Errorf("another organisation lists %q", p.Title)
				}
			}
			list, err = svc.FindGuides(ctx, worker)
			mustOK(t, err)
			if len(list) != 4 {
				t.Errorf("the hostel lists %d pages; want the region's 3 and its own", len(list))
			}
		})

		t.Run("each save is a new version; a stale one is refused and the versions are kept", func(t *testing.T) {
			next := *ours
			next.Body = "Ring the duty lead first, then the police."
			mustOK(t, svc.SaveGuide(ctx, leadActor, waymark.GuideOrganisation, 1, &next))
			stale := *ours
			stale.Body = "Stale."
			err := svc.SaveGuide(ctx, leadActor, waymark.GuideOrganisation, 1, &stale)
			wantCode(t, err, waymark.ECONFLICT)
			versions, err := svc.FindGuideVersions(ctx, worker, waymark.GuideOrganisation, "referral-routes")
			mustOK(t, err)
			var got []string
			for _, v := range versions {
				got = append(got, v.Body)
			}
			if diff := cmp.Diff([]string{"Ring the duty lead first, then the police.", "Ring the duty lead first."}, got); diff != "" {
				t.Errorf("versions (-want +got):\n%s", diff)
			}
			if n := len(e.entriesFor(t, hostel.ID, waymark.AuditGuideSaved)); n != 2 {
				t.Errorf("%d saves audited; want 2", n)
			}
		})

		t.Run("bad input is refused with a message for each field, and a taken name too", func(t *testing.T) {
			err := svc.SaveGuide(ctx, leadActor, waymark.GuideOrganisation, 0, &waymark.GuidePage{Slug: "Bad slug!", Title: strings.Repeat("x", 121), Body: " "})
			wantCode(t, err, waymark.EINVALID)
			if f := waymark.ErrorFields(err); f["slug"] == "" || f["title"] == "" || f["body"] == "" {
				t.Errorf("fields %v", f)
			}
			err = svc.SaveGuide(ctx, leadActor, waymark.GuideOrganisation, 0, &waymark.GuidePage{Slug: "referral-routes", Title: "Again", Body: "x"})
			if !strings.Contains(waymark.ErrorFields(err)["slug"], "already a page") {
				t.Errorf("a taken name: %v", err)
			}
			wantCode(t, svc.SaveGuide(ctx, leadActor, waymark.GuideOrganisation, 3, &waymark.GuidePage{Slug: "no-such-page", Title: "X", Body: "x"}), waymark.ENOTFOUND)
		})
	})
}
