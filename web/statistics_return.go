package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"waymark"
	"waymark/stats"
	"waymark/tabular"
)

// The contract monitoring return: one local authority area's figures for one quarter beside the
// whole year's. It gives the whole year, not the year to date: a sum of quarters is a figure the
// protection never saw, and could give a suppressed count away.

// StatisticsReturn is the return for an area and quarter, every figure a protected cell.
type StatisticsReturn struct {
	Year         waymark.ReportingYear
	Quarter      int
	QuarterLabel string
	Area         waymark.Option
	Rule         stats.Rule
	Populations  []ReturnPopulation
}

// ReturnPopulation is one population in the return: its total and its breakdowns.
type ReturnPopulation struct {
	Population  waymark.Population
	Label       string
	ThisQuarter stats.Cell
	WholeYear   stats.Cell
	Breakdowns  []ReturnBreakdown
}

// ReturnBreakdown is one breakdown of a population in the return.
type ReturnBreakdown struct {
	ID        string
	Breakdown waymark.Breakdown
	Label     string
	Rows      []ReturnRow
}

// ReturnRow is one category's figures in the return.
type ReturnRow struct {
	Category    waymark.Option
	ThisQuarter stats.Cell
	WholeYear   stats.Cell
}

// buildReturn reads the return for quarter q and the area (index a) from the report.
func buildReturn(rep *stats.Report, q, a int) *StatisticsReturn {
	rt := &StatisticsReturn{Year: rep.Year, Quarter: q, QuarterLabel: rep.Year.QuarterLabel(q), Area: rep.Areas[a], Rule: rep.Rule}
	for _, pop := range rep.Populations {
		rp := ReturnPopulation{Population: pop.Population, Label: pop.Label, ThisQuarter: pop.Total(q, a), WholeYear: pop.Total(stats.Year, a)}
		for _, t := range pop.Tables {
			b := ReturnBreakdown{ID: "return-" + string(pop.Population) + "-" + string(t.Breakdown), Breakdown: t.Breakdown, Label: t.Label}
			for c, cat := range t.Categories {
				b.Rows = append(b.Rows, ReturnRow{Category: cat, ThisQuarter: t.Cell(c, q, a), WholeYear: t.Cell(c, stats.Year, a)})
			}
			rp.Breakdowns = append(rp.Breakdowns, b)
		}
		rt.Populations = append(rt.Populations, rp)
	}
	return rt
}

// returnColumns head the return as a table. The area, year and quarter are on every row, so
// that a file keeps them when renamed or pasted into another.
var returnColumns = []string{"Area", "Financial year", "Quarter", "Population", "Breakdown", "Category", "This quarter", "Whole year"}

// Table is the return as rows of text, a header first, for CSV and XLSX: each population's total,
// then each category of each breakdown. Hidden counts are their words.
func (rt *StatisticsReturn) Table() [][]string {
	rows := [][]string{returnColumns}
	at := []string{rt.Area.Label, rt.Year.String(), "Q" + strconv.Itoa(rt.Quarter)}
	for _, p := range rt.Populations {
		rows = append(rows, append(slices.Clip(at), p.Label, "All", "Total", p.ThisQuarter.String(), p.WholeYear.String()))
		for _, b := range p.Breakdowns {
			for _, r := range b.Rows {
				rows = append(rows, append(slices.Clip(at), p.Label, b.Label, r.Category.Label, r.ThisQuarter.String(), r.WholeYear.String()))
			}
		}
	}
	return rows
}

// Filename names a download of the return, such as waymark-return-2026-27-Q2-harrowdale.csv.
func (rt *StatisticsReturn) Filename(ext string) string {
	return fmt.Sprintf("waymark-return-%s-Q%d-%s.%s", rt.Year, rt.Quarter, slug(rt.Area.Value), ext)
}

// slug makes an area's name safe in a file name: lower-case ASCII letters and digits, with one
// hyphen for each run of anything else. Areas are free text, so nothing else of one is trusted.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		} else {
			hyphen = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	if b.Len() == 0 {
		return "area"
	}
	return b.String()
}

// ReturnPage is the return for an area and quarter, or the form to choose them.
type ReturnPage struct {
	Layout
	Form     Form
	Areas    []waymark.Option
	Quarters []waymark.Option
	// Return is nil while the area and quarter are being chosen.
	Return        *StatisticsReturn
	CSV, XLSX     string
	DashboardLink string
}

// statisticsReturn reads the return the query asks for, audited as the view. When the query does
// not yet name a quarter and an area, or names them wrongly, it answers with the form to choose
// them instead (400 when something given was wrong) and returns no return.
func (s *Server) statisticsReturn(w http.ResponseWriter, r *http.Request, view waymark.RegionalView) (*StatisticsReturn, error) {
	v := r.URL.Query()
	// The form always sends both; a link that names only one of them opens the form without errors.
	sent := v.Has("quarter") && v.Has("area")
	q, fields := parseStatisticsQuery(v, s.currentYear(), sent)
	rep, err := s.statisticsReport(r, actor(r), q.Year, view, auditDetail(q, true))
	if err != nil {
		return nil, err
	}
	checkArea(rep, q, fields)
	if len(fields) == 0 && q.Quarter > 0 && q.Area != "" {
		return buildReturn(rep, q.Quarter, rep.AreaIndex(q.Area)), nil
	}
	page := &ReturnPage{Layout: s.layout(w, r, "Contract monitoring return"), Form: Form{Values: statisticsForm(v, q)}, Areas: areaChoices(rep),
		Quarters: quarterChoices(q.Year), DashboardLink: "/statistics?" + url.Values{"year": {q.Year.String()}}.Encode()}
	status := http.StatusOK
	if len(fields) > 0 {
		page.Form, page.Errors = formFromError(page.Form.Values, waymark.Invalid(fields), statisticsFields...)
		status = http.StatusBadRequest
	}
	return nil, s.render(w, r, status, "statistics-return", *page)
}

func (s *Server) handleStatisticsReturn(w http.ResponseWriter, r *http.Request) error {
	rt, err := s.statisticsReturn(w, r, waymark.ViewReturn)
	if rt == nil || err != nil {
		return err
	}
	link := url.Values{"year": {rt.Year.String()}, "quarter": {strconv.Itoa(rt.Quarter)}, "area": {rt.Area.Value}}.Encode()
	page := ReturnPage{Layout: s.layout(w, r, "Contract monitoring return"), Return: rt,
		CSV: "/statistics/return.csv?" + link, XLSX: "/statistics/return.xlsx?" + link,
		DashboardLink: "/statistics?" + url.Values{"year": {rt.Year.String()}, "area": {rt.Area.Value}}.Encode()}
	return s.render(w, r, http.StatusOK, "statistics-return", page)
}

// handleStatisticsDownload sends the return as a CSV or XLSX file, or the form to choose it.
func (s *Server) handleStatisticsDownload(ext string) pageHandler {
	view := map[string]waymark.RegionalView{"csv": waymark.ViewReturnCSV, "xlsx": waymark.ViewReturnXLSX}[ext]
	return func(w http.ResponseWriter, r *http.Request) error {
		rt, err := s.statisticsReturn(w, r, view)
		if rt == nil || err != nil {
			return err
		}
		var buf bytes.Buffer
		contentType := "text/csv; charset=utf-8"
		if ext == "xlsx" {
			contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			err = tabular.WriteXLSX(&buf, "Return", rt.Table())
		} else {
			err = tabular.WriteCSV(&buf, rt.Table())
		}
		if err != nil {
			return waymark.Internal(err)
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+rt.Filename(ext)+`"`)
		_, err = buf.WriteTo(w)
		return err
	}
}
