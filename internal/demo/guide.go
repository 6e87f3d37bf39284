package demo

import (
	"context"
	"fmt"
	"strings"

	"waymark"
	"waymark/guidance"
)

// guides gives the region the guidance every region starts with, then writes the demo region's
// own referral routes over the starting page, as the region's system admin, from its directory; and
// the outreach team's own page on whom it calls first, as its safeguarding lead.
func guides(ctx context.Context, s Services, r *Region) error {
	if err := s.Guidance.SeedGuides(ctx, guidance.Defaults()); err != nil {
		return fmt.Errorf("demo: add the starting guidance: %w", err)
	}
	admin, ok := r.userOf(waymark.RoleSystemAdmin, "")
	if !ok {
		return fmt.Errorf("demo: no system admin to write the region's guidance")
	}
	routes := &waymark.GuidePage{Slug: guidance.ReferralRoutes, Title: "Referral routes in the Northmoor region", Body: regionRoutes()}
	if err := s.Guidance.SaveGuide(ctx, admin, waymark.GuideRegion, 1, routes); err != nil {
		return fmt.Errorf("demo: write the region's referral routes: %w", err)
	}
	lead, ok := r.userOf(waymark.RoleSafeguardingLead, "harbour")
	if !ok {
		return fmt.Errorf("demo: no safeguarding lead at the outreach team to write its guidance")
	}
	own := &waymark.GuidePage{Slug: guidance.ReferralRoutes, Title: "Harbour Street Outreach: who we call first", Body: harbourRoutes}
	if err := s.Guidance.SaveGuide(ctx, lead, waymark.GuideOrganisation, 0, own); err != nil {
		return fmt.Errorf("demo: write the outreach team's referral routes: %w", err)
	}
	return nil
}

// userOf finds the demo user with the role, in the organisation with the slug ("" for any).
func (r *Region) userOf(role waymark.Role, slug string) (waymark.Actor, bool) {
	for _, u := range r.Users {
		if u.Role != role {
			continue
		}
		for i, spec := range orgSpecs {
			if (slug == "" || spec.slug == slug) && r.Organisations[i].ID == u.OrgID {
				return waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}, true
			}
		}
	}
	return waymark.Actor{}, false
}

// regionRoutes is the region's page of referral routes: its directory's services by what they are
// for, safe houses named but never placed.
func regionRoutes() string {
	var b strings.Builder
	b.WriteString("Who to contact in the Northmoor region, in the order most workers need them. In an emergency, call 999 first.\n\n")
	b.WriteString("## Services\n\n| Service | What for | Phone | Area |\n|---|---|---|---|\n")
	for _, spec := range directorySpecs {
		d := spec.s
		var needs []string
		for _, n := range d.Needs {
			needs = append(needs, n.Label())
		}
		phone := d.Phone
		if phone == "" {
			phone = "By email: " + d.Email
		}
		name := d.Name
		if d.Status != waymark.ServiceActive {
			name += " (" + strings.ToLower(d.Status.Label()) + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", name, strings.Join(needs, ", "), phone, d.Area)
	}
	b.WriteString("\n## Safe houses\n\nThe safe houses' addresses are never written down here or anywhere in Waymark outside their own organisation. " +
		"Phone the service and it arranges collection from a safe place.\n\n" +
		"## The full directory\n\nThe [referral routes directory](/directory) says who each service takes, the languages spoken and whether it has space today.\n")
	return b.String()
}

const harbourRoutes = `Our own order of calls, agreed with the partnership. The [region's referral routes](/guidance/region/referral-routes) list every service.

1. **In danger now**: 999, then ring the duty safeguarding lead.
2. **Any concern of modern slavery**: the duty safeguarding lead the same day. Do not wait for the next shift.
3. **An adult who consents to an NRM referral**: we are a First Responder, so the safeguarding lead makes the referral from Waymark's referral pack.
4. **Needs a bed tonight**: Lantern House Emergency Beds from 6pm.

> Never promise a bed or a safe house before the service has said yes.`
