package guidance

import (
	"embed"
	"strings"

	"waymark"
)

//go:embed defaults/*.md
var defaults embed.FS

// Well-known pages: the screening form links to Indicators, the pathway assistant to Pathways and
// ReferralRoutes (which each region rewrites for itself; the demo region has its own).
const (
	Indicators     = "indicators"
	Pathways       = "pathways"
	ReferralRoutes = "referral-routes"
)

// Defaults lists the pages a region starts with, written from DOMAIN.md: the signs of modern
// slavery, the pathways after a concern, and where to refer until the region names its own routes.
func Defaults() []waymark.GuidePage {
	pages := []waymark.GuidePage{
		{Slug: Indicators, Title: "Spotting the signs of modern slavery"},
		{Slug: Pathways, Title: "What to do after a concern: pathways and referrals"},
		{Slug: ReferralRoutes, Title: "Referral routes"},
	}
	for i, p := range pages {
		b, err := defaults.ReadFile("defaults/" + p.Slug + ".md")
		if err != nil {
			panic("guidance: a default page is missing: " + err.Error())
		}
		pages[i].Body = strings.TrimSpace(string(b))
	}
	return pages
}
