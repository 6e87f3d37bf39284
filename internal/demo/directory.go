package demo

import (
	"context"
	"fmt"

	"waymark"
)

// DirectoryInfo describes a demo directory service.
type DirectoryInfo struct {
	ID, OrgID, Name string
	// Confidential is set for a safe house: its address holds the keeping organisation's
	// LocationMarker, which nobody outside that organisation may ever see.
	Confidential bool
}

// LocationMarker is the string in the address of an organisation's confidential directory
// services. It is not the organisation's Marker, which marks client records: an organisation's
// admins may see its safe house's address but not its clients, and the permission test tells the two
// apart. "" if the organisation is not one of the region's.
func (r *Region) LocationMarker(orgID string) string {
	if m := r.Marker(orgID); m != "" {
		return "SAFEHOUSE" + m[len("MKR"):]
	}
	return ""
}

// directorySpec is a demo directory service of the organisation with the slug.
type directorySpec struct {
	slug string
	s    waymark.DirectoryService
}

func needs(n ...waymark.ServiceNeed) []waymark.ServiceNeed { return n }

// directorySpecs are the region's referral routes: two confidential safe houses, and services
// for every kind of need.
var directorySpecs = []directorySpec{
	{"freedom", waymark.DirectoryService{Name: "Freedom Trust Safe House", Status: waymark.ServiceActive,
		Description: "Safe accommodation and specialist support for women who have been trafficked or exploited, with their children. Refer by phone; we arrange collection.",
		Needs:       needs("safe_accommodation", "modern_slavery_support"), MinAge: 18, Genders: []waymark.Gender{"female"}, AcceptsChildren: true, AcceptsNRPF: true,
		Languages: []string{"ro", "pl", "sq"}, Area: "Northmoor region", Phone: "0113 496 0100", Email: "safehouse@freedomtrust.example",
		Town: "Northmoor", Postcode: "NM4 9QQ", ConfidentialLocation: true, Capacity: 2, CapacityKnown: true}},
	{"freedom", waymark.DirectoryService{Name: "Freedom Trust Advocacy Service", Status: waymark.ServiceActive,
		Description: "Independent advocacy for adult survivors of modern slavery: NRM support, legal and immigration advice referrals, move-on planning.",
		Needs:       needs("modern_slavery_support", "legal_advice", "immigration_advice"), MinAge: 18, AcceptsNRPF: true, Languages: []string{"ro", "pl", "vi"},
		Area: "Northmoor region", Phone: "0113 496 0101", Email: "advocacy@freedomtrust.example", URL: "https://freedomtrust.example/advocacy",
		Address: "14 Mill Lane", Town: "Northmoor", Postcode: "NM1 4LT"}},
	{"lantern", waymark.DirectoryService{Name: "Lantern House Emergency Beds", Status: waymark.ServiceActive,
		Description: "Direct-access emergency beds for single adults, open to self-referral and to referrals from outreach teams every evening.",
		Needs:       needs("emergency_accommodation", "food_essentials"), MinAge: 18, Genders: []waymark.Gender{"male", "female"}, AcceptsNRPF: true,
		Languages: []string{"pl"}, Area: "Northmoor City", Phone: "0113 496 0200", Address: "2 Lantern Yard", Town: "Northmoor", Postcode: "NM2 1LH",
		Capacity: 4, CapacityKnown: true}},
	{"lantern", waymark.DirectoryService{Name: "Lantern House Women's Refuge", Status: waymark.ServiceActive,
		Description: "A small refuge for women at risk of exploitation or abuse. Referrals from professionals only.",
		Needs:       needs("safe_accommodation", "children_families"), MinAge: 16, Genders: []waymark.Gender{"female"}, AcceptsChildren: true,
		Area: "Northmoor City", Phone: "0113 496 0201", Town: "Northmoor", ConfidentialLocation: true, Capacity: 1, CapacityKnown: true}},
	{"harbour", waymark.DirectoryService{Name: "Harbour Street Outreach Drop-in", Status: waymark.ServiceActive,
		Description: "Morning drop-in for people sleeping rough: breakfast, showers, a GP nurse on Tuesdays and help to find somewhere to stay.",
		Needs:       needs("food_essentials", "healthcare", "emergency_accommodation"), MinAge: 16, AcceptsNRPF: true, Languages: []string{"ro", "ti"},
		Area: "Northmoor City", Phone: "0113 496 0300", Address: "40 Harbour Street", Town: "Northmoor", Postcode: "NM1 2HS"}},
	{"kestrel", waymark.DirectoryService{Name: "Kestrel Lane Work and Money Clinic", Status: waymark.ServiceTemporarilyClosed,
		Description: "Benefits checks, bank accounts, CVs and routes into training. Closed for refurbishment until the new year.",
		Needs:       needs("finance_benefits", "employment_training"), MinAge: 18, Area: "Harrowdale", Email: "clinic@kestrellane.example",
		Address: "9 Kestrel Lane", Town: "Harrowdale", Postcode: "HD3 7KL"}},
	{"nhs", waymark.DirectoryService{Name: "Eastfell Inclusion Health Team", Status: waymark.ServiceActive,
		Description: "Nurses and a psychiatrist for people who find it hard to use a GP: health checks, mental health, drug and alcohol support. Interpreters booked for every appointment.",
		Needs:       needs("healthcare", "mental_health", "substance_use", "interpreting"), MinAge: 16, AcceptsNRPF: true, Area: "Eastfell and Northmoor",
		Phone: "0113 496 0400", URL: "https://nhs-trust.example/inclusion", Address: "Eastfell Health Centre, Station Road", Town: "Eastfell", Postcode: "EF1 1SR"}},
	{"housing", waymark.DirectoryService{Name: "Northmoor Housing Options", Status: waymark.ServiceActive,
		Description: "Homelessness applications and advice (Housing Act 1996 Part 7). Duty to refer: use the council's online form.",
		Needs:       needs("emergency_accommodation", "finance_benefits", "children_families"), MinAge: 16, AcceptsChildren: true, Area: "Northmoor City",
		Phone: "0113 496 0500", URL: "https://northmoor.example/housing", Address: "Civic Centre", Town: "Northmoor", Postcode: "NM1 1CC"}},
	{"adultcare", waymark.DirectoryService{Name: "Harrowdale Adult Safeguarding Team", Status: waymark.ServiceActive,
		Description: "Care Act section 42 safeguarding enquiries for adults with care and support needs.",
		Needs:       needs("modern_slavery_support", "mental_health"), MinAge: 18, AcceptsNRPF: true, Area: "Harrowdale", Phone: "0113 496 0600",
		Email: "safeguarding@harrowdale.example", Address: "Harrowdale Town Hall", Town: "Harrowdale", Postcode: "HD1 1TH"}},
	{"police", waymark.DirectoryService{Name: "Northmoor Modern Slavery Unit", Status: waymark.ServiceActive,
		Description: "Specialist officers for reports of modern slavery and trafficking. In an emergency call 999.",
		Needs:       needs("modern_slavery_support"), AcceptsChildren: true, AcceptsNRPF: true, Area: "Northmoor region", Phone: "101"}},
	{"partnership", waymark.DirectoryService{Name: "Northmoor Interpreting Line", Status: waymark.ServiceActive,
		Description: "Telephone interpreting for partnership members, booked in advance or on demand.",
		Needs:       needs("interpreting"), AcceptsChildren: true, AcceptsNRPF: true, Languages: []string{"ro", "pl", "sq", "vi", "ti", "ar", "ur"},
		Area: "Northmoor region", Phone: "0113 496 0700"}},
}

// directory adds the region's directory services, each as the admin of the organisation that keeps it.
func directory(ctx context.Context, s Services, r *Region) error {
	for _, spec := range directorySpecs {
		var org *OrgInfo
		for i, o := range orgSpecs {
			if o.slug == spec.slug {
				org = &r.Organisations[i]
			}
		}
		var admin string
		for _, u := range r.Users {
			if org != nil && u.OrgID == org.ID && u.Role == waymark.RoleOrgAdmin {
				admin = u.ID
			}
		}
		if admin == "" {
			return fmt.Errorf("demo: no admin to keep the directory service %q", spec.s.Name)
		}
		d := spec.s
		d.Needs = append([]waymark.ServiceNeed(nil), d.Needs...)
		if d.ConfidentialLocation {
			d.Address = "Flat 3, " + r.LocationMarker(org.ID) + " House"
		}
		actor := waymark.Actor{UserID: admin, OrgID: org.ID, Role: waymark.RoleOrgAdmin, Via: "demo"}
		if err := s.Directory.CreateDirectoryService(ctx, actor, &d); err != nil {
			return fmt.Errorf("demo: add the directory service %q: %w", d.Name, err)
		}
		r.Directory = append(r.Directory, DirectoryInfo{ID: d.ID, OrgID: org.ID, Name: d.Name, Confidential: d.ConfidentialLocation})
	}
	return nil
}
