package web

import (
	"net/http"

	"waymark"
	"waymark/stats"
)

// Regional statistics in the API: the whole protected report of a year, and the contract
// monitoring return, from the same service call and protection as the pages. A hidden count is
// its words ("fewer than 5", "withheld") where a shown one is a number.

type (
	apiRule struct {
		Threshold int `json:"threshold"`
		RoundTo   int `json:"round_to"`
	}
	// apiPeriods are a figure in each quarter and the whole year: a count, or median days (null
	// where too few to show).
	apiPeriods[T any] struct {
		Q1   T `json:"q1"`
		Q2   T `json:"q2"`
		Q3   T `json:"q3"`
		Q4   T `json:"q4"`
		Year T `json:"year"`
	}
	apiAreaPeriods[T any] struct {
		Area string `json:"area"`
		apiPeriods[T]
	}
	// apiByArea are a figure for the region and for each area.
	apiByArea[T any] struct {
		Region apiPeriods[T]       `json:"region"`
		Areas  []apiAreaPeriods[T] `json:"areas"`
	}
	apiStatCategory struct {
		Category string `json:"category"`
		Label    string `json:"label"`
		apiByArea[stats.Cell]
	}
	apiStatTable struct {
		Breakdown  string            `json:"breakdown"`
		Label      string            `json:"label"`
		Categories []apiStatCategory `json:"categories"`
	}
	apiStatPopulation struct {
		Population string                `json:"population"`
		Label      string                `json:"label"`
		Totals     apiByArea[stats.Cell] `json:"totals"`
		MedianDays *apiByArea[*int]      `json:"median_days,omitempty"`
		Tables     []apiStatTable        `json:"tables"`
	}
	apiArea struct {
		Area  string `json:"area"`
		Label string `json:"label"`
	}
	apiQuarter struct {
		Quarter int    `json:"quarter"`
		Label   string `json:"label"`
	}
	apiStatistics struct {
		Year        string              `json:"year"`
		Label       string              `json:"label"`
		Rule        apiRule             `json:"rule"`
		Quarters    []apiQuarter        `json:"quarters"`
		Areas       []apiArea           `json:"areas"`
		Populations []apiStatPopulation `json:"populations"`
	}
	apiReturnRow struct {
		Category    string     `json:"category"`
		Label       string     `json:"label"`
		ThisQuarter stats.Cell `json:"this_quarter"`
		WholeYear   stats.Cell `json:"whole_year"`
	}
	apiReturnBreakdown struct {
		Breakdown  string         `json:"breakdown"`
		Label      string         `json:"label"`
		Categories []apiReturnRow `json:"categories"`
	}
	apiReturnPopulation struct {
		Population  string               `json:"population"`
		Label       string               `json:"label"`
		ThisQuarter stats.Cell           `json:"this_quarter"`
		WholeYear   stats.Cell           `json:"whole_year"`
		Breakdowns  []apiReturnBreakdown `json:"breakdowns"`
	}
	apiReturn struct {
		Year         string                `json:"year"`
		Quarter      int                   `json:"quarter"`
		QuarterLabel string                `json:"quarter_label"`
		Area         string                `json:"area"`
		Rule         apiRule               `json:"rule"`
		Populations  []apiReturnPopulation `json:"populations"`
	}
)

// byAreaOf is a figure for the region and for each area of the report, f giving it in quarter q
// (or stats.Year) and area a (or stats.Region).
func byAreaOf[T any](rep *stats.Report, f func(q, a int) T) apiByArea[T] {
	periods := func(a int) apiPeriods[T] {
		return apiPeriods[T]{Q1: f(1, a), Q2: f(2, a), Q3: f(3, a), Q4: f(4, a), Year: f(stats.Year, a)}
	}
	out := apiByArea[T]{Region: periods(stats.Region), Areas: []apiAreaPeriods[T]{}}
	for i, area := range rep.Areas {
		out.Areas = append(out.Areas, apiAreaPeriods[T]{Area: area.Value, apiPeriods: periods(i)})
	}
	return out
}

func toAPIStatistics(rep *stats.Report) apiStatistics {
	out := apiStatistics{Year: rep.Year.String(), Label: rep.Year.Label(), Rule: apiRule{rep.Rule.Threshold, rep.Rule.RoundTo},
		Areas: []apiArea{}, Populations: []apiStatPopulation{}}
	for _, a := range rep.Areas {
		out.Areas = append(out.Areas, apiArea{Area: a.Value, Label: a.Label})
	}
	for q := 1; q <= waymark.Quarters; q++ {
		out.Quarters = append(out.Quarters, apiQuarter{Quarter: q, Label: rep.Year.QuarterLabel(q)})
	}
	for _, pop := range rep.Populations {
		p := apiStatPopulation{Population: string(pop.Population), Label: pop.Label, Totals: byAreaOf(rep, pop.Total), Tables: []apiStatTable{}}
		if pop.Population.Decided() {
			medians := byAreaOf(rep, func(q, a int) *int {
				if days, ok := pop.Median(q, a); ok {
					return &days
				}
				return nil
			})
			p.MedianDays = &medians
		}
		for _, t := range pop.Tables {
			at := apiStatTable{Breakdown: string(t.Breakdown), Label: t.Label, Categories: []apiStatCategory{}}
			for c, cat := range t.Categories {
				at.Categories = append(at.Categories, apiStatCategory{Category: cat.Value, Label: cat.Label,
					apiByArea: byAreaOf(rep, func(q, a int) stats.Cell { return t.Cell(c, q, a) })})
			}
			p.Tables = append(p.Tables, at)
		}
		out.Populations = append(out.Populations, p)
	}
	return out
}

func toAPIReturn(rt *StatisticsReturn) apiReturn {
	out := apiReturn{Year: rt.Year.String(), Quarter: rt.Quarter, QuarterLabel: rt.QuarterLabel, Area: rt.Area.Value,
		Rule: apiRule{rt.Rule.Threshold, rt.Rule.RoundTo}, Populations: []apiReturnPopulation{}}
	for _, p := range rt.Populations {
		ap := apiReturnPopulation{Population: string(p.Population), Label: p.Label, ThisQuarter: p.ThisQuarter, WholeYear: p.WholeYear, Breakdowns: []apiReturnBreakdown{}}
		for _, b := range p.Breakdowns {
			ab := apiReturnBreakdown{Breakdown: string(b.Breakdown), Label: b.Label, Categories: []apiReturnRow{}}
			for _, r := range b.Rows {
				ab.Categories = append(ab.Categories, apiReturnRow{Category: r.Category.Value, Label: r.Category.Label, ThisQuarter: r.ThisQuarter, WholeYear: r.WholeYear})
			}
			ap.Breakdowns = append(ap.Breakdowns, ab)
		}
		out.Populations = append(out.Populations, ap)
	}
	return out
}

// badQuery is the API's answer to a query it cannot read: 400 with a message per field.
func badQuery(fields map[string]string) error {
	return queryError{waymark.Invalid(fields)}
}

// mayViewStatistics refuses a caller whose role does not see the regional statistics, before
// their query is read.
func mayViewStatistics(id *waymark.Identity) error {
	if !id.User.Role.Can(waymark.PermViewRegionalStats) {
		return waymark.Errorf(waymark.EFORBIDDEN, "Your role does not see the regional statistics.")
	}
	return nil
}

func (s *Server) apiStatistics(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	if err := mayViewStatistics(id); err != nil {
		return err
	}
	// The whole report has every quarter and area: only the year is read.
	year, problem := parseStatisticsYear(r.URL.Query(), s.currentYear())
	if problem != "" {
		return badQuery(map[string]string{"year": problem})
	}
	rep, err := s.statisticsReport(r, apiActor(r, id), year, waymark.ViewStatisticsAPI, "whole report")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIStatistics(rep))
	return nil
}

func (s *Server) apiStatisticsReturn(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	if err := mayViewStatistics(id); err != nil {
		return err
	}
	q, fields := parseStatisticsQuery(r.URL.Query(), s.currentYear(), true)
	if len(fields) > 0 {
		return badQuery(fields)
	}
	rep, err := s.statisticsReport(r, apiActor(r, id), q.Year, waymark.ViewStatisticsAPI, "return; "+auditDetail(q, true))
	if err != nil {
		return err
	}
	if checkArea(rep, q, fields); len(fields) > 0 {
		return badQuery(fields)
	}
	writeJSON(w, http.StatusOK, toAPIReturn(buildReturn(rep, q.Quarter, rep.AreaIndex(q.Area))))
	return nil
}
