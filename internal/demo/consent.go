package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"waymark"
)

// consentExplanations are how demo workers explained what the person agreed to.
var consentExplanations = []string{
	"Explained in English with the easy-read leaflet; he repeated it back in his own words.",
	"Explained through a Romanian interpreter on the phone.",
	"Explained with a Polish-speaking volunteer and the translated leaflet.",
	"Talked it through at the day centre; she asked questions about the police.",
}

// recordConsents records consent for the clients with a concern: most agree to support and to
// being counted, some refuse statistics; many agree to sharing with the police and the council,
// some withdraw it for the police later; and in some organisations a safeguarding lead records
// sharing with the police on the basis of safeguarding instead.
func recordConsents(ctx context.Context, s Services, r *Region, o Options, rnd *rand.Rand, concerned []journeyClient) error {
	g := &clientGen{r: rnd}
	y, m, d := o.Today.In(waymark.London()).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	var police, council string
	for _, org := range r.Organisations {
		switch org.Type {
		case waymark.OrgPolice:
			police = org.ID
		case waymark.OrgLAHousing:
			council = org.ID
		}
	}
	staff := map[string][2]waymark.Actor{} // each organisation's frontline worker and safeguarding lead
	for _, u := range r.Users {
		a := staff[u.OrgID]
		switch u.Role {
		case waymark.RoleFrontline:
			a[0] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
		case waymark.RoleSafeguardingLead:
			a[1] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
		}
		staff[u.OrgID] = a
	}
	overridden := map[string]bool{}
	for _, jc := range concerned {
		orgID := r.Organisations[jc.org].ID
		worker, lead := staff[orgID][0], staff[orgID][1]
		if worker.UserID == "" || !g.chance(85) {
			continue
		}
		on := date(today.AddDate(0, 0, -g.r.IntN(120)))
		record := func(a waymark.Actor, c *waymark.ConsentRecord) error {
			if err := s.Consents.RecordConsent(ctx, a, jc.c.ID, c); err != nil {
				return fmt.Errorf("demo: record consent for a client of %s: %w", orgSpecs[jc.org].name, err)
			}
			return nil
		}
		given := func(p waymark.ConsentPurpose, orgs ...string) *waymark.ConsentRecord {
			return &waymark.ConsentRecord{Purpose: p, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionGiven, OrgIDs: orgs, On: on,
				HowExplained: g.pick(consentExplanations)}
		}
		if err := record(worker, given(waymark.ConsentForSupport)); err != nil {
			return err
		}
		stats := given(waymark.ConsentForStatistics)
		if g.chance(10) {
			stats = &waymark.ConsentRecord{Purpose: waymark.ConsentForStatistics, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionRefused, On: on}
		}
		if err := record(worker, stats); err != nil {
			return err
		}
		var partners []string
		for _, p := range []string{police, council} {
			if p != "" && p != orgID {
				partners = append(partners, p)
			}
		}
		switch n := g.r.IntN(100); {
		case len(partners) == 0:
		case lead.UserID != "" && police != "" && police != orgID && !overridden[orgID]:
			// One person per organisation is shared with the police on the basis of safeguarding.
			overridden[orgID] = true
			if err := record(lead, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisSafeguarding, OrgIDs: []string{police}, On: on,
				Justification: "He is at immediate risk from the people who exploited him, who know where he sleeps; asking him now would put him at more risk.",
				DecidedBy:     "The designated safeguarding lead"}); err != nil {
				return err
			}
			// The police may add to these records: the officer notes what they did.
			if err := shareWithPolice(ctx, s, lead, jc, police, r); err != nil {
				return err
			}
		case n < 55:
			if err := record(worker, given(waymark.ConsentForSharing, partners...)); err != nil {
				return err
			}
			if lead.UserID != "" && police != "" && police != orgID && g.chance(40) {
				if err := shareWithPolice(ctx, s, lead, jc, police, nil); err != nil {
					return err
				}
			}
			if g.chance(15) && police != "" && police != orgID {
				withdrawn := &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionWithdrawn,
					OrgIDs: []string{police}, On: date(today)}
				if err := record(worker, withdrawn); err != nil {
					return err
				}
			}
		case n < 70:
			if err := record(worker, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent, Decision: waymark.ConsentDecisionRefused,
				OrgIDs: partners, On: on}); err != nil {
				return err
			}
		}
	}
	return nil
}

// shareWithPolice shares who the client is and their modern slavery history with the police, for
// safeguarding, when the demo has the service; the region's partnership agreement covers it. With
// the region, the share lets the police add to the record, and the police's partner user adds a
// note of what they did.
func shareWithPolice(ctx context.Context, s Services, lead waymark.Actor, jc journeyClient, police string, r *Region) error {
	if s.Shares == nil {
		return nil
	}
	sh := &waymark.CaseShare{PartnerOrgID: police, Purpose: "safeguarding", Sections: []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory},
		AllowContributions: r != nil}
	if err := s.Shares.ShareCase(ctx, lead, jc.c.ID, sh); err != nil {
		return fmt.Errorf("demo: share a client of %s with the police: %w", orgSpecs[jc.org].name, err)
	}
	if r == nil {
		return nil
	}
	officer, ok := r.userOf(waymark.RolePartner, "police")
	if !ok {
		return nil
	}
	note := &waymark.ShareContribution{Kind: waymark.ContributionNote,
		Text: "Visited with the outreach team. A safeguarding plan is agreed; no further contact from the suspected exploiters reported."}
	if err := s.Shares.AddContribution(ctx, officer, sh.ID, note); err != nil {
		return fmt.Errorf("demo: the police add a note to a shared record: %w", err)
	}
	return nil
}
