package waymark

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Regional statistics (DOMAIN.md §7) count people, never records: a person known to several
// services, or screened three times, is one person. Reports cover fixed periods only, the quarters
// of a financial year (April to June is quarter 1) and the year itself, so no two reports can be
// set one day apart and subtracted. Within a year each person of a population is counted once:
// in the quarter of their first qualifying event that year, under the organisation that recorded
// it, with that organisation's local authority area and type. Quarters, areas and categories then
// add up exactly to the year, the region and the whole, and package stats protects every figure
// of those sums together.

// ReportingYear is a financial year, named by the calendar year in which it starts: 2026 is
// 1 April 2026 to 31 March 2027.
type ReportingYear int

// The years a report may cover.
const (
	FirstReportingYear ReportingYear = 2000
	LastReportingYear  ReportingYear = 2100
)

// ReportingYearOf is the financial year a date falls in.
func ReportingYearOf(t time.Time) ReportingYear {
	if t.Month() < time.April {
		return ReportingYear(t.Year() - 1)
	}
	return ReportingYear(t.Year())
}

// ParseReportingYear reads a year as "2026" or "2026-27".
func ParseReportingYear(s string) (ReportingYear, error) {
	s = strings.TrimSpace(s)
	first, second, hasSecond := strings.Cut(s, "-")
	n, err := strconv.Atoi(first)
	if err != nil || len(first) != 4 || ReportingYear(n) < FirstReportingYear || ReportingYear(n) > LastReportingYear {
		return 0, Invalid(map[string]string{"year": "Enter a financial year as four digits, such as 2026 for April 2026 to March 2027"})
	}
	y := ReportingYear(n)
	if hasSecond && second != fmt.Sprintf("%02d", (n+1)%100) {
		return 0, Invalid(map[string]string{"year": "Enter a financial year such as 2026-27: the second year follows the first"})
	}
	return y, nil
}

// Start is the first day of the year; End the day after its last.
func (y ReportingYear) Start() time.Time {
	return time.Date(int(y), time.April, 1, 0, 0, 0, 0, time.UTC)
}

// End is the first day after the year.
func (y ReportingYear) End() time.Time { return y.Start().AddDate(1, 0, 0) }

// String is the year as "2026-27".
func (y ReportingYear) String() string { return fmt.Sprintf("%d-%02d", int(y), (int(y)+1)%100) }

// Label is the year as people read it: "April 2026 to March 2027".
func (y ReportingYear) Label() string {
	return fmt.Sprintf("April %d to March %d", int(y), int(y)+1)
}

// Quarters is how many quarters a year has.
const Quarters = 4

// QuarterOf is the quarter of y (1 to 4) that t falls in, or 0 when t is outside y.
func (y ReportingYear) QuarterOf(t time.Time) int {
	if t.Before(y.Start()) || !t.Before(y.End()) {
		return 0
	}
	months := (t.Year()-int(y))*12 + int(t.Month()) - int(time.April)
	return months/3 + 1
}

// QuartersBegun is how many of y's quarters had begun at t: 0 before the year, 4 after it.
func (y ReportingYear) QuartersBegun(t time.Time) int {
	switch {
	case t.Before(y.Start()):
		return 0
	case !t.Before(y.End()):
		return Quarters
	}
	return y.QuarterOf(t)
}

// QuarterLabel names quarter q (1 to 4) of y, for example "April to June 2026".
func (y ReportingYear) QuarterLabel(q int) string {
	start := y.Start().AddDate(0, 3*(q-1), 0)
	end := start.AddDate(0, 2, 0)
	return fmt.Sprintf("%s to %s %d", start.Month(), end.Month(), end.Year())
}

// Population is a group of people a regional report counts.
type Population string

// The populations. Each person is counted once a year in each.
const (
	// PopScreened: screened for signs of modern slavery (the first screening in the year).
	PopScreened Population = "screened"
	// PopConcerns: a concern recorded (suspected, disclosed or confirmed; the first such change in the year).
	PopConcerns Population = "concerns"
	// PopReferred: referred into the NRM or reported under the Duty to Notify (the first in the year).
	PopReferred Population = "referred"
	// PopReasonableGrounds and PopConclusiveGrounds: an NRM decision of that stage made in the year
	// (the first such decision in the year, with its outcome).
	PopReasonableGrounds Population = "reasonable_grounds"
	PopConclusiveGrounds Population = "conclusive_grounds"
	// PopFollowedUp: a follow-up 6 months after support ended recorded in the year.
	PopFollowedUp Population = "followed_up"
)

// Populations lists the populations in report order.
var Populations = []Population{PopScreened, PopConcerns, PopReferred, PopReasonableGrounds, PopConclusiveGrounds, PopFollowedUp}

var populationLabels = map[Population]string{
	PopScreened:          "People screened",
	PopConcerns:          "People with concerns recorded",
	PopReferred:          "People referred (NRM or Duty to Notify)",
	PopReasonableGrounds: "People with a reasonable grounds decision",
	PopConclusiveGrounds: "People with a conclusive grounds decision",
	PopFollowedUp:        "People followed up 6 months after support ended",
}

// Label is the population as people read it.
func (p Population) Label() string { return populationLabels[p] }

// Breakdown is one way of dividing a population into categories; every person falls in exactly one.
type Breakdown string

// The breakdowns, in the Home Office's NRM statistics terms where it has them.
const (
	ByOrgType          Breakdown = "organisation_type"
	ByExploitationType Breakdown = "exploitation_type"
	ByAgeGroup         Breakdown = "age_at_exploitation"
	ByAgeBand          Breakdown = "age_band"
	ByGender           Breakdown = "gender"
	ByNationality      Breakdown = "nationality"
	ByLocation         Breakdown = "location"
	ByRoute            Breakdown = "route"
	ByDecision         Breakdown = "decision"
	ByOutcome          Breakdown = "outcome"
)

var breakdownLabels = map[Breakdown]string{
	ByOrgType:          "Type of organisation",
	ByExploitationType: "Exploitation type",
	ByAgeGroup:         "Age at exploitation",
	ByAgeBand:          "Age at exploitation (IOM bands)",
	ByGender:           "Gender",
	ByNationality:      "Nationality",
	ByLocation:         "Location of exploitation",
	ByRoute:            "Route",
	ByDecision:         "Decision",
	ByOutcome:          "Outcome 6 months after support ended",
}

// Label is the breakdown as people read it.
func (b Breakdown) Label() string { return breakdownLabels[b] }

// Breakdowns lists the breakdowns reported for each population.
func (p Population) Breakdowns() []Breakdown {
	switch p {
	case PopConcerns, PopReferred:
		return []Breakdown{ByExploitationType, ByAgeGroup, ByAgeBand, ByGender, ByNationality, ByLocation, ByRoute, ByOrgType}
	case PopReasonableGrounds, PopConclusiveGrounds:
		return []Breakdown{ByDecision, ByOrgType}
	case PopFollowedUp:
		return []Breakdown{ByOutcome, ByOrgType}
	}
	return []Breakdown{ByOrgType}
}

// Decided reports whether p is of people with an NRM decision, for whom the days from referral
// to decision are counted.
func (p Population) Decided() bool { return p == PopReasonableGrounds || p == PopConclusiveGrounds }

// Impossible lists the categories of breakdown b that nobody in p can fall in, which any reader
// knows: everyone referred was referred by some route.
func (p Population) Impossible(b Breakdown) []string {
	if p == PopReferred && b == ByRoute {
		return []string{"none"}
	}
	return nil
}

// Category keys shared by several breakdowns.
const (
	CategoryNotKnown    = "not_known"
	CategoryNotRecorded = "not_recorded"
	CategoryMultiple    = "more_than_one"
)

// The categories of the breakdowns with a fixed list. Nationality's are the ISO codes found.
var (
	exploitationCategories = optionSet{{"labour", "Labour"}, {"sexual", "Sexual"}, {"criminal", "Criminal"}, {"domestic_servitude", "Domestic servitude"},
		{"organ_harvesting", "Organ harvesting"}, {"other", "Other or not known"}, {CategoryMultiple, "More than one type"}, {CategoryNotRecorded, "Not recorded"}}
	ageGroupCategories = optionSet{{"adult", "Adult (18 or over)"}, {"child", "Child (under 18)"}, {CategoryNotKnown, "Not known"}}
	// AgeBands are IOM's public trafficking data bands.
	ageBandCategories = optionSet{{"0-8", "0 to 8"}, {"9-17", "9 to 17"}, {"18-20", "18 to 20"}, {"21-23", "21 to 23"}, {"24-26", "24 to 26"},
		{"27-29", "27 to 29"}, {"30-38", "30 to 38"}, {"39-47", "39 to 47"}, {"48+", "48 or over"},
		{bandChildAgeNotKnown, "Under 18, exact age not known"}, {bandAdultAgeNotKnown, "18 or over, exact age not known"}, {CategoryNotKnown, "Not known"}}
	genderCategories   = optionSet{{"female", "Female"}, {"male", "Male"}, {"other", "Other"}, {CategoryNotKnown, "Not known or not recorded"}}
	locationCategories = optionSet{{"uk", "UK"}, {"overseas", "Overseas"}, {"both", "UK and overseas"}, {CategoryNotKnown, "Not known or not recorded"}}
	routeCategories    = optionSet{{"nrm", "National Referral Mechanism"}, {"duty_to_notify", "Duty to Notify"}, {"none", "Neither"}}
	decisionCategories = optionSet{{"positive", "Positive"}, {"negative", "Negative"}, {"other", "Suspended, withdrawn or no decision"}}
	outcomeCategories  = optionSet{{"stable", "In stable accommodation"}, {"homeless", "Homeless again"}, {"re_exploited", "Exploited again"},
		{"lost_contact", "Not reached or lost contact"}, {CategoryNotRecorded, "Follow-up not recorded"}}
)

// Categories lists the breakdown's categories in report order, as key and label. For nationality
// it lists the codes given (in order) and then not known; for organisation type, every type.
func (b Breakdown) Categories(nationalities []string) []Option {
	switch b {
	case ByOrgType:
		out := make([]Option, len(OrgTypes))
		for i, t := range OrgTypes {
			out[i] = Option{Value: string(t), Label: t.Label()}
		}
		return out
	case ByExploitationType:
		return exploitationCategories.options()
	case ByAgeGroup:
		return ageGroupCategories.options()
	case ByAgeBand:
		return ageBandCategories.options()
	case ByGender:
		return genderCategories.options()
	case ByLocation:
		return locationCategories.options()
	case ByRoute:
		return routeCategories.options()
	case ByDecision:
		return decisionCategories.options()
	case ByOutcome:
		return outcomeCategories.options()
	case ByNationality:
		out := make([]Option, 0, len(nationalities)+1)
		for _, c := range nationalities {
			out = append(out, Option{Value: c, Label: CountryName(c)})
		}
		return append(out, Option{Value: CategoryNotKnown, Label: "Not known or not recorded"})
	}
	return nil
}

// PersonFact is one person counted in one population of a year, with the category they fall in
// under each of the population's breakdowns. It holds no identity.
type PersonFact struct {
	Population Population
	// Quarter is 1 to 4: the quarter of the person's first qualifying event in the year.
	Quarter int
	// Area is the local authority area of the organisation that recorded that event ("" if none).
	Area string
	// Org is that organisation's ID, and KnownTo the other organisations that know of the person
	// (a record of theirs, or one shared with them). They are never shown: the protection allows
	// for each organisation knowing the people it knows of, wherever they are counted.
	Org     string
	KnownTo []string
	// Categories maps each of the population's breakdowns to the person's category key.
	Categories map[Breakdown]string
	// Days is, for a decision, the days from the NRM referral before it to the decision; -1 when
	// no referral was recorded.
	Days int
}

// RegionalFacts are the facts a year's regional reports are made from.
type RegionalFacts struct {
	Year ReportingYear
	// Areas are the local authority areas of the region's organisations, sorted; an organisation
	// without one counts under "" (shown as "Area not recorded").
	Areas []string
	// Nationalities are the nationality codes found, sorted.
	Nationalities []string
	People        []PersonFact
	// Begun is how many of the year's quarters had begun when the facts were read: 4 for a year
	// gone, 0 for one to come. A reader knows nobody is counted in a quarter not begun.
	Begun int
	// Organisations are the region's organisations, as the directory shows them to any reader: so
	// a reader knows nobody is counted under a type of organisation an area does not have, and an
	// organisation alone of its type in an area, or alone in an area, knows those counts exactly.
	Organisations []RegionalOrganisation
}

// RegionalOrganisation is an organisation as the regional statistics know it.
type RegionalOrganisation struct {
	ID   string
	Type OrgType
	Area string
}

// RegionalView says what a statistics read is for, for the audit trail.
type RegionalView string

// The views.
const (
	ViewDashboard     RegionalView = "dashboard"
	ViewReturnCSV     RegionalView = "return.csv"
	ViewReturnXLSX    RegionalView = "return.xlsx"
	ViewReturn        RegionalView = "return"
	ViewStatisticsAPI RegionalView = "api"
)

// Valid reports whether v is one of the views.
func (v RegionalView) Valid() bool {
	switch v {
	case ViewDashboard, ViewReturnCSV, ViewReturnXLSX, ViewReturn, ViewStatisticsAPI:
		return true
	}
	return false
}

// StatisticsService reads the facts behind the regional statistics.
type StatisticsService interface {
	// RegionalFacts gathers the year's facts over every organisation of the region, leaving out
	// people who refused consent to statistics. Needs PermViewRegionalStats (EFORBIDDEN). Audited
	// as the view given (the area and format in detail), never naming anyone.
	RegionalFacts(ctx context.Context, actor Actor, year ReportingYear, view RegionalView, detail string) (*RegionalFacts, error)
}

// The age bands of a person whose group is known but whose exact age is not, or disagrees with
// the group.
const (
	bandChildAgeNotKnown = "child_age_not_known"
	bandAdultAgeNotKnown = "adult_age_not_known"
)

// AgeAtExploitation is a person's age in whole years when their exploitation began (start is
// "YYYY", "YYYY-MM" or "YYYY-MM-DD"), from their date of birth as precisely as both are known, or
// else from an age estimated in the year estimatedIn; -1 when it cannot be told.
func AgeAtExploitation(dateOfBirth string, estimatedAge, estimatedIn int, start string) int {
	began, ok := parsePartialDate(start)
	if !ok || start == "" {
		return -1
	}
	if born, ok := parsePartialDate(dateOfBirth); ok && dateOfBirth != "" {
		age := began.Year() - born.Year()
		// The month counts only where both dates give it, and the day only where both give that.
		month := len(start) >= 7 && len(dateOfBirth) >= 7
		day := len(start) == 10 && len(dateOfBirth) == 10
		if month && (began.Month() < born.Month() || day && began.Month() == born.Month() && began.Day() < born.Day()) {
			age--
		}
		if age < 0 {
			return -1
		}
		return age
	}
	if estimatedAge > 0 && estimatedIn > 0 {
		if age := estimatedAge - (estimatedIn - began.Year()); age >= 0 {
			return age
		}
	}
	return -1
}

// AgeCategories puts a person in an age group (adult, child, not known) and an IOM age band from
// their age at exploitation (negative when not known) and the answer to "under 18 at the time"
// (empty when not given). The answer, when given, decides the group; otherwise the age does. The
// band always lies within the group (AgeGroupOfBand), so that the two tables nest as a reader
// would expect: when the age is not known, or says otherwise than the answer, the band is the
// group's "exact age not known".
func AgeCategories(age int, under18 Answer) (group, band string) {
	band = AgeBand(age)
	group = AgeGroupOfBand(band)
	switch under18 {
	case AnswerYes:
		group = "child"
	case AnswerNo:
		group = "adult"
	}
	if AgeGroupOfBand(band) != group {
		band = map[string]string{"child": bandChildAgeNotKnown, "adult": bandAdultAgeNotKnown}[group]
	}
	return group, band
}

// AgeGroupOfBand is the age group an age band lies within.
func AgeGroupOfBand(band string) string {
	switch band {
	case "0-8", "9-17", bandChildAgeNotKnown:
		return "child"
	case CategoryNotKnown:
		return CategoryNotKnown
	}
	return "adult"
}

// RollsUpInto says whether breakdown b's categories each lie within one category of another
// breakdown, and which: every age band lies within an age group.
func (b Breakdown) RollsUpInto() (parent Breakdown, parentOf func(category string) string) {
	if b == ByAgeBand {
		return ByAgeGroup, AgeGroupOfBand
	}
	return "", nil
}

// AgeBand is the IOM band of an age in years, or not known for a negative age.
func AgeBand(age int) string {
	bounds := []struct {
		max  int
		band string
	}{{8, "0-8"}, {17, "9-17"}, {20, "18-20"}, {23, "21-23"}, {26, "24-26"}, {29, "27-29"}, {38, "30-38"}, {47, "39-47"}}
	if age < 0 {
		return CategoryNotKnown
	}
	for _, b := range bounds {
		if age <= b.max {
			return b.band
		}
	}
	return "48+"
}
