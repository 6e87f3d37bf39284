package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"waymark"
)

// AgreementInfo describes a demo data sharing agreement.
type AgreementInfo struct {
	ID, Title string
	// OrgIDs are the parties, the recording organisation among them; RecordedByOrgID is the one
	// whose admins change it.
	OrgIDs          []string
	RecordedByOrgID string
}

// agreementSpec is a demo agreement recorded by the admin of the organisation with the slug
// recorder; parties are the other parties' slugs, and every service organisation when all is set.
// Its dates are days from today: end 0 is no end date.
type agreementSpec struct {
	recorder, title, reference string
	parties                    []string
	all                        bool
	purposes                   []waymark.SharingPurpose
	basis                      waymark.LawfulBasis
	status                     waymark.AgreementStatus
	start, end, review         int
}

// agreementSpecs are the region's agreements, at every stage a list must show: the partnership's,
// in force with its review due within the warning days; the police's, ending within them; one that
// ended last month; and one still a draft. The days are drawn between the bounds given.
func agreementSpecs(r *rand.Rand) []agreementSpec {
	soon := func(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
	// The police's agreement is reviewed when it ends, to renew it.
	policeEnd := soon(10, 45)
	return []agreementSpec{
		{recorder: "partnership", title: "Northmoor Anti-Slavery Partnership information sharing agreement", reference: "NASP/ISA/2025", all: true,
			purposes: []waymark.SharingPurpose{"support", "referral", "safeguarding", "case_conference"}, basis: waymark.BasisSafeguarding,
			status: waymark.AgreementActive, start: -400, review: soon(14, 50)},
		{recorder: "police", title: "Modern slavery investigations: outreach and police", reference: "NMP/MSU/ISA-12", parties: []string{"harbour"},
			purposes: []waymark.SharingPurpose{"investigation", "case_conference"}, basis: "crime_prevention", status: waymark.AgreementActive,
			start: -330, end: policeEnd, review: policeEnd},
		{recorder: "lantern", title: "Hostel and day centre referrals", reference: "LHH-KDC-2023", parties: []string{"kestrel"},
			purposes: []waymark.SharingPurpose{"referral", "support"}, basis: waymark.BasisConsent, status: waymark.AgreementActive,
			start: -800, end: -soon(20, 40), review: -soon(60, 90)},
		{recorder: "freedom", title: "Health and advocacy information sharing (draft)", parties: []string{"nhs"},
			purposes: []waymark.SharingPurpose{"support", "referral"}, basis: waymark.BasisConsent, status: waymark.AgreementDraft,
			start: soon(20, 40), review: 400},
	}
}

// recordAgreements records the region's data sharing agreements, each as the admin of the
// organisation that keeps it, dated from the London date of o.Today.
func recordAgreements(ctx context.Context, s Services, r *Region, o Options, rnd *rand.Rand) error {
	today := waymark.Today(o.Today)
	org := map[string]int{}
	for i, spec := range orgSpecs {
		org[spec.slug] = i
	}
	day := func(n int) string { return waymark.AddDays(today, n) }
	for _, spec := range agreementSpecs(rnd) {
		a := &waymark.DataSharingAgreement{Title: spec.title, Reference: spec.reference, Purposes: spec.purposes, LawfulBasis: spec.basis,
			StartOn: day(spec.start), ReviewOn: day(spec.review), Status: spec.status}
		if spec.end != 0 {
			a.EndOn = day(spec.end)
		}
		for i, each := range orgSpecs {
			if spec.all && each.prefix != "" || slices.Contains(spec.parties, each.slug) {
				a.OrgIDs = append(a.OrgIDs, r.Organisations[i].ID)
			}
		}
		recorder := r.Organisations[org[spec.recorder]].ID
		admins := map[string]waymark.Actor{}
		for _, u := range r.Users {
			if u.Role == waymark.RoleOrgAdmin {
				admins[u.OrgID] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: waymark.RoleOrgAdmin, Via: "demo"}
			}
		}
		if err := s.Agreements.CreateAgreement(ctx, admins[recorder], a); err != nil {
			return fmt.Errorf("demo: record the agreement %q: %w", a.Title, err)
		}
		// Every party confirms a signed agreement; a draft waits for its parties.
		if spec.status != waymark.AgreementDraft {
			for _, party := range a.OrgIDs {
				if party == recorder {
					continue
				}
				if err := s.Agreements.ConfirmAgreement(ctx, admins[party], a.ID, a.Version); err != nil {
					return fmt.Errorf("demo: confirm the agreement %q: %w", a.Title, err)
				}
			}
		}
		r.Agreements = append(r.Agreements, AgreementInfo{ID: a.ID, Title: a.Title, OrgIDs: a.OrgIDs, RecordedByOrgID: recorder})
	}
	return nil
}
