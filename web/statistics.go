package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"waymark"
	"waymark/stats"
)

// Regional statistics: the dashboard, the contract monitoring return and their downloads, for
// those with PermViewRegionalStats (analysts and managers). Every figure shown is a stats.Cell
// read from the protected report, and the only numbers worked out here are a cell's share of
// another and the medians the report gives: a sum, difference or year-to-date made from cells
// would be a new figure the protection never saw, and could give a suppressed count away. For
// the same reason reports cover fixed periods only, a financial year and its quarters, never a
// range of dates chosen by the reader.

// statisticsQuery is what a statistics page or API call asks for.
type statisticsQuery struct {
	Year waymark.ReportingYear
	// Quarter is 1 to 4, or 0 when none is asked for.
	Quarter int
	// Area is a local authority area's key, or "" for none (on the dashboard, the whole region).
	Area string
}

// statisticsFields are the query's fields in the order the forms show them.
var statisticsFields = []string{"year", "quarter", "area"}

// maxAreaQuery bounds the area read from a query; no area name is longer.
const maxAreaQuery = 100

// parseStatisticsYear reads the year: the current one when none is given, and also when the one
// given is invalid, with the problem.
func parseStatisticsYear(v url.Values, current waymark.ReportingYear) (waymark.ReportingYear, string) {
	s := strings.TrimSpace(v.Get("year"))
	if s == "" {
		return current, ""
	}
	y, err := waymark.ParseReportingYear(s)
	if err != nil {
		return current, waymark.ErrorFields(err)["year"]
	}
	return y, ""
}

// parseStatisticsQuery reads year, quarter and area. A missing year is the current one; an
// invalid one leaves the current year in q, with the problem in fields. Quarter and area must be
// given when required, and must be valid when given. Whether the area is one of the region's is
// checked against the report, by checkArea.
func parseStatisticsQuery(v url.Values, current waymark.ReportingYear, required bool) (q statisticsQuery, fields map[string]string) {
	fields = map[string]string{}
	var problem string
	if q.Year, problem = parseStatisticsYear(v, current); problem != "" {
		fields["year"] = problem
	}
	switch s := strings.TrimSpace(v.Get("quarter")); {
	case s == "" && required:
		fields["quarter"] = "Choose the quarter the return is for"
	case s == "":
	default:
		n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(s), "Q"))
		if err != nil || n < 1 || n > waymark.Quarters {
			fields["quarter"] = "Choose a quarter from 1 (April to June) to 4 (January to March)"
		} else {
			q.Quarter = n
		}
	}
	q.Area = strings.TrimSpace(v.Get("area"))
	switch {
	case q.Area == "" && required:
		fields["area"] = "Choose the local authority area the return is for"
	case len(q.Area) > maxAreaQuery:
		fields["area"] = "There is no local authority area of that name in the region: choose one from the list"
		q.Area = ""
	}
	return q, fields
}

// checkArea adds a problem to fields when the query names an area that is not one of the report's.
func checkArea(rep *stats.Report, q statisticsQuery, fields map[string]string) {
	if q.Area != "" && rep.AreaIndex(q.Area) == stats.Region {
		fields["area"] = "There is no local authority area of that name in the region: choose one from the list"
	}
}

// areaChoices are the areas a reader may choose: the local authority areas, leaving out the
// organisations with none recorded, whose people count in the region's figures only.
func areaChoices(rep *stats.Report) []waymark.Option {
	var out []waymark.Option
	for _, a := range rep.Areas {
		if a.Value != "" {
			out = append(out, a)
		}
	}
	return out
}

// quarterChoices are a year's quarters, for the return's form.
func quarterChoices(y waymark.ReportingYear) []waymark.Option {
	out := make([]waymark.Option, waymark.Quarters)
	for q := 1; q <= waymark.Quarters; q++ {
		out[q-1] = waymark.Option{Value: strconv.Itoa(q), Label: "Quarter " + strconv.Itoa(q) + ": " + y.QuarterLabel(q)}
	}
	return out
}

// auditDetail says what a read was for, for the audit trail: the area and quarter asked for.
func auditDetail(q statisticsQuery, withQuarter bool) string {
	area := "whole region"
	if q.Area != "" {
		area = q.Area
	}
	if !withQuarter {
		return "area: " + area
	}
	quarter := "not chosen"
	if q.Quarter > 0 {
		quarter = strconv.Itoa(q.Quarter)
	}
	if q.Area == "" {
		area = "not chosen"
	}
	return "area: " + area + "; quarter: " + quarter
}

// currentYear is the financial year today falls in, in London.
func (s *Server) currentYear() waymark.ReportingYear {
	return waymark.ReportingYearOf(s.cfg.Now().In(waymark.London()))
}

// statisticsReport reads the year's facts once, audited as the view, and protects every figure.
func (s *Server) statisticsReport(r *http.Request, a waymark.Actor, year waymark.ReportingYear, view waymark.RegionalView, detail string) (*stats.Report, error) {
	facts, err := s.svc.Statistics.RegionalFacts(r.Context(), a, year, view, detail)
	if err != nil {
		return nil, err
	}
	return stats.Build(facts, s.cfg.StatisticsRule)
}

// statisticsForm is the form as the reader sent it, with the year filled in when not given.
func statisticsForm(v url.Values, q statisticsQuery) url.Values {
	out := url.Values{}
	for _, k := range statisticsFields {
		out.Set(k, v.Get(k))
	}
	if strings.TrimSpace(v.Get("year")) == "" {
		out.Set("year", q.Year.String())
	}
	return out
}

// reportColumns are the periods every figure is given for, in order: the quarters, then the year.
var reportColumns = []int{1, 2, 3, 4, stats.Year}

// byQuarter is a figure in each quarter and then the whole year.
func byQuarter(f func(q int) stats.Cell) []stats.Cell {
	out := make([]stats.Cell, len(reportColumns))
	for i, q := range reportColumns {
		out[i] = f(q)
	}
	return out
}

// StatisticsPage is the regional dashboard for a year, over the region or one area.
type StatisticsPage struct {
	Layout
	Form  Form
	Areas []waymark.Option
	Rule  stats.Rule
	// Shown is set when the query was valid and the figures follow.
	Shown bool
	Year  waymark.ReportingYear
	// AreaLabel is the area shown, or "" for the whole region.
	AreaLabel string
	// Quarters are the labels of quarters 1 to 4.
	Quarters []string
	// Summary is each population's total by quarter and for the year.
	Summary []StatRow
	// ByArea is each area's year total of each population; nil when one area is shown.
	ByArea     *AreaTable
	Sections   []PopulationSection
	ReturnLink string
}

// StatRow is a labelled row of protected figures: by quarter then the year, or by population.
type StatRow struct {
	Label string
	Cells []stats.Cell
	// Share is the row's share of the year's total, for a category.
	Share string
}

// AreaTable is each population's year total by local authority area, and the region's.
type AreaTable struct {
	Populations []string
	Rows        []StatRow
	Region      StatRow
}

// PopulationSection is one population's figures on the dashboard.
type PopulationSection struct {
	ID, Label string
	Total     stats.Cell
	// Decisions is set for the NRM decisions' populations.
	Decisions  *DecisionFigures
	Breakdowns []BreakdownSection
}

// DecisionFigures are an NRM decision population's positive decisions, their share of all
// decisions and the median days from referral to decision, by quarter and for the year.
type DecisionFigures struct {
	Positive []stats.Cell
	Shares   []string
	Medians  []string
}

// BreakdownSection is one breakdown of a population: its chart of the year, and its table.
type BreakdownSection struct {
	ID, Label string
	Chart     *BarChart
	Rows      []StatRow
	Total     StatRow
}

func (s *Server) handleStatistics(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q, fields := parseStatisticsQuery(v, s.currentYear(), false)
	rep, err := s.statisticsReport(r, actor(r), q.Year, waymark.ViewDashboard, auditDetail(q, false))
	if err != nil {
		return err
	}
	checkArea(rep, q, fields)
	page := StatisticsPage{Layout: s.layout(w, r, "Regional statistics"), Form: Form{Values: statisticsForm(v, q)}, Areas: areaChoices(rep), Rule: rep.Rule}
	if len(fields) > 0 {
		page.Form, page.Errors = formFromError(page.Form.Values, waymark.Invalid(fields), statisticsFields...)
		return s.render(w, r, http.StatusBadRequest, "statistics", page)
	}
	page.fill(rep, q)
	return s.render(w, r, http.StatusOK, "statistics", page)
}

// fill lays out the report's figures for the area asked for (or the region).
func (p *StatisticsPage) fill(rep *stats.Report, q statisticsQuery) {
	p.Shown, p.Year = true, rep.Year
	a := stats.Region
	if q.Area != "" {
		a = rep.AreaIndex(q.Area)
		p.AreaLabel = rep.Areas[a].Label
	}
	for i := 1; i <= waymark.Quarters; i++ {
		p.Quarters = append(p.Quarters, rep.Year.QuarterLabel(i))
	}
	link := url.Values{"year": {rep.Year.String()}}
	if q.Area != "" {
		link.Set("area", q.Area)
	}
	p.ReturnLink = "/statistics/return?" + link.Encode()
	if a == stats.Region {
		p.ByArea = &AreaTable{Region: StatRow{Label: "Whole region"}}
	}
	for _, pop := range rep.Populations {
		p.Summary = append(p.Summary, StatRow{Label: pop.Label, Cells: byQuarter(func(q int) stats.Cell { return pop.Total(q, a) })})
		if p.ByArea != nil {
			p.ByArea.Populations = append(p.ByArea.Populations, pop.Label)
			p.ByArea.Region.Cells = append(p.ByArea.Region.Cells, pop.Total(stats.Year, stats.Region))
		}
		p.Sections = append(p.Sections, populationSection(rep, pop, a))
	}
	if p.ByArea != nil {
		for i, area := range rep.Areas {
			row := StatRow{Label: area.Label}
			for _, pop := range rep.Populations {
				row.Cells = append(row.Cells, pop.Total(stats.Year, i))
			}
			p.ByArea.Rows = append(p.ByArea.Rows, row)
		}
	}
}

// populationSection is one population's total, decisions and breakdowns in area a.
func populationSection(rep *stats.Report, pop *stats.Population, a int) PopulationSection {
	sec := PopulationSection{ID: "population-" + string(pop.Population), Label: pop.Label, Total: pop.Total(stats.Year, a)}
	for _, t := range pop.Tables {
		b := BreakdownSection{ID: string(pop.Population) + "-" + string(t.Breakdown), Label: t.Label,
			Total: StatRow{Label: "Total", Cells: byQuarter(func(q int) stats.Cell { return t.Cell(stats.All, q, a) })}}
		yearTotal := t.Cell(stats.All, stats.Year, a)
		labels := make([]string, len(t.Categories))
		year := make([]stats.Cell, len(t.Categories))
		for c, cat := range t.Categories {
			row := StatRow{Label: cat.Label, Cells: byQuarter(func(q int) stats.Cell { return t.Cell(c, q, a) })}
			row.Share = row.Cells[waymark.Quarters].ShareOf(yearTotal)
			b.Rows = append(b.Rows, row)
			labels[c], year[c] = cat.Label, row.Cells[waymark.Quarters]
		}
		b.Chart = barChart(b.ID, pop.Label+" by "+lowerFirst(t.Label)+", "+rep.Year.Label(), labels, year)
		sec.Breakdowns = append(sec.Breakdowns, b)
		if t.Breakdown == waymark.ByDecision {
			sec.Decisions = positiveDecisions(pop, t, a, rep.Rule)
		}
	}
	return sec
}

// positiveDecisions are the positive decisions of a decision breakdown, their share and the medians.
func positiveDecisions(pop *stats.Population, t *stats.Table, a int, rule stats.Rule) *DecisionFigures {
	positive := -1
	for c, cat := range t.Categories {
		if cat.Value == "positive" {
			positive = c
		}
	}
	if positive < 0 {
		return nil
	}
	d := &DecisionFigures{}
	for _, q := range reportColumns {
		total, n := pop.Total(q, a), t.Cell(positive, q, a)
		d.Positive = append(d.Positive, n)
		d.Shares = append(d.Shares, n.ShareOf(total))
		d.Medians = append(d.Medians, medianText(pop, q, a, rule))
	}
	return d
}

// medianText is the median days from referral to decision, or why it is not shown.
func medianText(pop *stats.Population, q, a int, rule stats.Rule) string {
	days, ok := pop.Median(q, a)
	if !ok {
		return "fewer than " + strconv.Itoa(rule.Threshold) + " decisions"
	}
	if days == 1 {
		return "1 day"
	}
	return strconv.Itoa(days) + " days"
}

// lowerFirst puts the first letter of a label in lower case, for use inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
