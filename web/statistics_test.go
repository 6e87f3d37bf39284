package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"waymark"
	"waymark/stats"
)

// hostileArea is an area name that a spreadsheet would run as a command: areas are free text.
const hostileArea = `=cmd|'/c calc'!A1`

// statsNow is in quarter 3 of the financial year 2026-27.
var statsNow = time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)

// statsRead is one call to the statistics service.
type statsRead struct {
	Year   waymark.ReportingYear
	View   waymark.RegionalView
	Detail string
}

// fakeStatistics answers with hand-made facts for any year and records every read, as the store
// would audit it.
type fakeStatistics struct {
	reads []statsRead
}

func (f *fakeStatistics) RegionalFacts(_ context.Context, a waymark.Actor, year waymark.ReportingYear, view waymark.RegionalView, detail string) (*waymark.RegionalFacts, error) {
	if !a.Can(waymark.PermViewRegionalStats) {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "not allowed")
	}
	f.reads = append(f.reads, statsRead{year, view, detail})
	facts := testFacts()
	facts.Year = year
	return facts, nil
}

// wantRead fails the test unless the one read made, and audited, is want.
func (f *fakeStatistics) wantRead(t *testing.T, want statsRead) {
	t.Helper()
	if diff := cmp.Diff([]statsRead{want}, f.reads); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
}

// testFacts are a small region: Harrowdale and Westmere with enough people to show, an area with
// a hostile name and organisations with no area with only a few.
func testFacts() *waymark.RegionalFacts {
	// The organisations are not given: what each knows of its own people makes more counts
	// hidden (stats tests that), and these tests are of how figures and words are shown.
	f := &waymark.RegionalFacts{Year: 2026, Areas: []string{"", hostileArea, "Harrowdale", "Westmere"}, Nationalities: []string{"AL", "RO"}, Begun: waymark.Quarters}
	add := func(pop waymark.Population, q int, area string, n int, cats map[waymark.Breakdown]string, days int) {
		for range n {
			f.People = append(f.People, waymark.PersonFact{Population: pop, Quarter: q, Area: area, Categories: cats, Days: days})
		}
	}
	outreach := map[waymark.Breakdown]string{waymark.ByOrgType: string(waymark.OrgHomelessOutreach)}
	add(waymark.PopScreened, 1, "Harrowdale", 12, outreach, -1)
	add(waymark.PopScreened, 2, "Harrowdale", 9, outreach, -1)
	add(waymark.PopScreened, 1, "Westmere", 20, outreach, -1)
	add(waymark.PopScreened, 2, hostileArea, 7, outreach, -1)
	add(waymark.PopScreened, 3, "", 2, outreach, -1)
	labour := map[waymark.Breakdown]string{waymark.ByOrgType: string(waymark.OrgHomelessOutreach), waymark.ByExploitationType: "labour",
		waymark.ByAgeGroup: "adult", waymark.ByAgeBand: "24-26", waymark.ByGender: "male", waymark.ByNationality: "RO", waymark.ByRoute: "nrm",
		waymark.ByLocation: "uk"}
	add(waymark.PopConcerns, 2, "Harrowdale", 10, labour, -1)
	add(waymark.PopConcerns, 2, "Westmere", 10, labour, -1)
	add(waymark.PopReferred, 2, "Harrowdale", 8, labour, -1)
	add(waymark.PopReferred, 2, "Westmere", 8, labour, -1)
	sexual := map[waymark.Breakdown]string{waymark.ByOrgType: string(waymark.OrgHomelessOutreach), waymark.ByExploitationType: "sexual",
		waymark.ByAgeGroup: "adult", waymark.ByAgeBand: "adult_age_not_known", waymark.ByGender: "female", waymark.ByNationality: "AL", waymark.ByRoute: "nrm",
		waymark.ByLocation: "overseas"}
	add(waymark.PopReferred, 2, "Harrowdale", 2, sexual, -1)
	positive := map[waymark.Breakdown]string{waymark.ByOrgType: string(waymark.OrgHomelessOutreach), waymark.ByDecision: "positive"}
	negative := map[waymark.Breakdown]string{waymark.ByOrgType: string(waymark.OrgHomelessOutreach), waymark.ByDecision: "negative"}
	for i := range 8 {
		add(waymark.PopReasonableGrounds, 2, "Harrowdale", 1, positive, 10+i)
		add(waymark.PopReasonableGrounds, 2, "Westmere", 1, positive, 20+i)
	}
	add(waymark.PopReasonableGrounds, 2, "Westmere", 6, negative, 30)
	return f
}

func statisticsServer(t *testing.T, role waymark.Role) (*Server, *fakeStatistics) {
	t.Helper()
	fake := &fakeStatistics{}
	auth := signedInAs{role: role}
	s, err := New(Services{Auth: auth, Tokens: auth, Statistics: fake}, Config{Version: "test", Now: func() time.Time { return statsNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s, fake
}

// testReport is the protected report of the test facts.
func testReport(t testing.TB) *stats.Report {
	rep, err := stats.Build(testFacts(), stats.DefaultRule)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// statisticsPagesData are the statistics pages filled in, for the test that renders every page.
func statisticsPagesData(l Layout, f Form) map[string]any {
	rep, err := stats.Build(testFacts(), stats.DefaultRule)
	if err != nil {
		panic(err)
	}
	dash := StatisticsPage{Layout: l, Form: f, Areas: areaChoices(rep), Rule: rep.Rule}
	dash.fill(rep, statisticsQuery{Year: rep.Year})
	return map[string]any{
		"statistics": dash,
		"statistics-return": ReturnPage{Layout: l, Form: f, Areas: areaChoices(rep), Quarters: quarterChoices(rep.Year), Return: buildReturn(rep, 2, 2),
			CSV: "/statistics/return.csv?x", XLSX: "/statistics/return.xlsx?x", DashboardLink: "/statistics?year=2026-27"},
	}
}

// rowOf is the text of the table row whose header is label, or "".
func rowOf(body, id, label string) string {
	start := strings.Index(body, `id="`+id+`"`)
	if start < 0 {
		return ""
	}
	table := body[start:]
	table = table[:strings.Index(table, "</table>")]
	i := strings.Index(table, ">"+label+"</th>")
	if i < 0 {
		return ""
	}
	row := table[i:]
	return row[:strings.Index(row, "</tr>")]
}

func TestStatisticsDashboard(t *testing.T) {
	t.Run("the region's dashboard shows every population by quarter and area, hidden counts in words", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleAnalyst)
		w := serve(s, "GET", "/statistics", "")
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, body)
		}
		fake.wantRead(t, statsRead{2026, waymark.ViewDashboard, "area: whole region"})
		for _, want := range []string{"April 2026 to March 2027: the whole region", "July to September 2026", `id="by-area"`, "refused consent",
			`"fewer than 5"`, `href="#population-screened"`, `role="img"`, "People screened by type of organisation, April 2026 to March 2027",
			"Median days from NRM referral to decision", "=cmd|&#39;/c calc&#39;!A1", `href="/statistics/return?year=2026-27"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the dashboard lacks %q", want)
			}
		}
		// Screened: Harrowdale 12 in Q1 and 9 in Q2, Westmere 20 in Q1, the hostile area 7 in
		// Q2, and 2 with no area in Q3: shown, and hidden as words.
		if row := rowOf(body, "by-quarter", "People screened"); !strings.Contains(row, ">32<") || !strings.Contains(row, ">fewer than 5<") || strings.Contains(row, ">2<") {
			t.Errorf("the screened row by quarter: %s", row)
		}
		if row := rowOf(body, "by-area", "Area not recorded"); !strings.Contains(row, ">fewer than 5<") || strings.Contains(row, ">2<") {
			t.Errorf("the row of no area: %s", row)
		}
		// A hidden count has no bar, only its words.
		for _, bar := range regexp.MustCompile(`<rect [^>]*>\s*<text [^>]*>([^<]*)</text>`).FindAllStringSubmatch(body, -1) {
			if strings.Contains(bar[1], "fewer") || bar[1] == "withheld" {
				t.Errorf("a hidden count is drawn: %s", bar[0])
			}
		}
		if !strings.Contains(body, `font-style="italic">fewer than 5</text>`) {
			t.Error("no hidden count is written in a chart")
		}
	})
	t.Run("an area's dashboard has no table of areas and is read as that area", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleManager)
		w := serve(s, "GET", "/statistics?year=2025-26&area=Harrowdale", "")
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, "April 2025 to March 2026: Harrowdale") || strings.Contains(body, `id="by-area"`) {
			t.Errorf("status %d: %s", w.Code, body)
		}
		fake.wantRead(t, statsRead{2025, waymark.ViewDashboard, "area: Harrowdale"})
		if !strings.Contains(body, `<option value="Harrowdale" selected>`) {
			t.Error("the chosen area is not kept")
		}
	})
	for name, tc := range map[string]struct{ query, field, message string }{
		"an unknown area":   {"year=2026&area=Nowhere", "area", "There is no local authority area of that name in the region: choose one from the list"},
		"a year not a year": {"year=26-27&area=Harrowdale", "year", "Enter a financial year as four digits, such as 2026 for April 2026 to March 2027"},
		"a mismatched year": {"year=2026-28", "year", "Enter a financial year such as 2026-27: the second year follows the first"},
	} {
		t.Run(name+" is a 400 with the message by the control and the form kept", func(t *testing.T) {
			s, _ := statisticsServer(t, waymark.RoleAnalyst)
			w := serve(s, "GET", "/statistics?"+tc.query, "")
			body := w.Body.String()
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d", w.Code)
			}
			v, _ := url.ParseQuery(tc.query)
			for _, want := range []string{`<a href="#` + tc.field + `">` + tc.message, `id="` + tc.field + `-error"`, "Error: Regional statistics",
				`value="` + v.Get("year") + `"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Contains(body, `id="by-quarter"`) {
				t.Error("figures are shown beside the error")
			}
		})
	}
}

func TestStatisticsReturn(t *testing.T) {
	t.Run("with nothing chosen, the form to choose", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleAnalyst)
		w := serve(s, "GET", "/statistics/return", "")
		body := w.Body.String()
		if w.Code != http.StatusOK || strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `id="return-form"`) ||
			!strings.Contains(body, `<option value="2">Quarter 2: July to September 2026</option>`) || !strings.Contains(body, `value="2026-27"`) {
			t.Errorf("status %d: %s", w.Code, body)
		}
		if strings.Contains(body, `<option value="">Area not recorded`) || strings.Contains(body, `<option value="" selected`) {
			t.Error("organisations with no area are offered as an area")
		}
		if len(fake.reads) != 1 || fake.reads[0].View != waymark.ViewReturn {
			t.Errorf("reads %v", fake.reads)
		}
	})
	for name, tc := range map[string]struct {
		query    string
		messages map[string]string
	}{
		"no area":        {"year=2026&quarter=2&area=", map[string]string{"area": "Choose the local authority area the return is for"}},
		"no quarter":     {"year=2026&quarter=&area=Harrowdale", map[string]string{"quarter": "Choose the quarter the return is for"}},
		"a quarter of 5": {"year=2026&quarter=5&area=Harrowdale", map[string]string{"quarter": "Choose a quarter from 1 (April to June) to 4 (January to March)"}},
		"an unknown area and a bad year": {"year=twenty&quarter=1&area=Nowhere", map[string]string{"year": "Enter a financial year as four digits, such as 2026 for April 2026 to March 2027",
			"area": "There is no local authority area of that name in the region: choose one from the list"}},
	} {
		t.Run(name+" is a 400 that says how to fix it", func(t *testing.T) {
			s, _ := statisticsServer(t, waymark.RoleAnalyst)
			for _, path := range []string{"/statistics/return", "/statistics/return.csv", "/statistics/return.xlsx"} {
				w := serve(s, "GET", path+"?"+tc.query, "")
				body := w.Body.String()
				if w.Code != http.StatusBadRequest || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
					t.Fatalf("%s: status %d, %s", path, w.Code, w.Header().Get("Content-Type"))
				}
				for field, msg := range tc.messages {
					if !strings.Contains(body, `<a href="#`+field+`">`+msg) || !strings.Contains(body, `id="`+field+`-error"`) {
						t.Errorf("%s lacks %q by %s", path, msg, field)
					}
				}
			}
		})
	}
	t.Run("the return gives this quarter and the whole year, with downloads", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleAnalyst)
		w := serve(s, "GET", "/statistics/return?year=2026&quarter=2&area=Harrowdale", "")
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, body)
		}
		fake.wantRead(t, statsRead{2026, waymark.ViewReturn, "area: Harrowdale; quarter: 2"})
		for _, want := range []string{"Harrowdale: quarter 2, July to September 2026", "This quarter", "Whole year",
			`href="/statistics/return.csv?area=Harrowdale&amp;quarter=2&amp;year=2026-27"`, `href="/statistics/return.xlsx?area=Harrowdale&amp;quarter=2&amp;year=2026-27"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the return lacks %q", want)
			}
		}
		if strings.Contains(strings.ToLower(body), "year to date") && !strings.Contains(body, "A year to date is not given") {
			t.Error("the return offers a year to date")
		}
		// Harrowdale screened 12 in Q1 and 9 in Q2: 9 this quarter, 21 in the year.
		if row := rowOf(body, "return-screened-total", "Total"); !strings.Contains(row, ">9<") || !strings.Contains(row, ">21<") {
			t.Errorf("the screened total: %s", row)
		}
		// Two referred for sexual exploitation: fewer than 5, never 2.
		if row := rowOf(body, "return-referred-exploitation_type", "Sexual"); !strings.Contains(row, ">fewer than 5<") || strings.Contains(row, ">2<") {
			t.Errorf("the sexual exploitation row: %s", row)
		}
	})
}

func TestStatisticsDownloads(t *testing.T) {
	rep := testReport(t)
	want := buildReturn(rep, 2, rep.AreaIndex("Harrowdale")).Table()
	t.Run("the CSV is the return, hidden counts in words", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleAnalyst)
		w := serve(s, "GET", "/statistics/return.csv?year=2026-27&quarter=2&area=Harrowdale", "")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
			w.Header().Get("Content-Disposition") != `attachment; filename="waymark-return-2026-27-Q2-harrowdale.csv"` || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, headers %v", w.Code, w.Header())
		}
		got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(w.Body.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		wantTop := [][]string{{"Area", "Financial year", "Quarter", "Population", "Breakdown", "Category", "This quarter", "Whole year"},
			{"Harrowdale", "2026-27", "Q2", "People screened", "All", "Total", "9", "21"}}
		if diff := cmp.Diff(wantTop, got[:2]); diff != "" {
			t.Errorf("first rows (-want +got):\n%s", diff)
		}
		if !bytes.Contains(w.Body.Bytes(), []byte("Sexual,fewer than 5,fewer than 5")) {
			t.Error("the hidden count of people referred for sexual exploitation is not in words")
		}
		fake.wantRead(t, statsRead{2026, waymark.ViewReturnCSV, "area: Harrowdale; quarter: 2"})
	})
	t.Run("the XLSX holds the same cells, counts as numbers", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleManager)
		w := serve(s, "GET", "/statistics/return.xlsx?year=2026&quarter=2&area=Harrowdale", "")
		if w.Code != http.StatusOK || w.Header().Get("Content-Disposition") != `attachment; filename="waymark-return-2026-27-Q2-harrowdale.xlsx"` {
			t.Fatalf("status %d, headers %v", w.Code, w.Header())
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if diff := cmp.Diff([]string{"Return"}, f.GetSheetList()); diff != "" {
			t.Errorf("sheets (-want +got):\n%s", diff)
		}
		got, err := f.GetRows("Return")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		if typ, _ := f.GetCellType("Return", "H2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Error("a count is written as text")
		}
		if len(fake.reads) != 1 || fake.reads[0].View != waymark.ViewReturnXLSX {
			t.Errorf("reads %v", fake.reads)
		}
	})
	t.Run("a hostile area name is inert in both files and their names", func(t *testing.T) {
		s, _ := statisticsServer(t, waymark.RoleAnalyst)
		q := "?" + url.Values{"year": {"2026"}, "quarter": {"2"}, "area": {hostileArea}}.Encode()
		w := serve(s, "GET", "/statistics/return.csv"+q, "")
		if w.Code != http.StatusOK || w.Header().Get("Content-Disposition") != `attachment; filename="waymark-return-2026-27-Q2-cmd-c-calc-a1.csv"` {
			t.Fatalf("status %d, headers %v", w.Code, w.Header())
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(w.Body.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if rows[1][0] != "'"+hostileArea {
			t.Errorf("the area reads %q in the CSV", rows[1][0])
		}
		w = serve(s, "GET", "/statistics/return.xlsx"+q, "")
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue("Return", "A2"); v != "'"+hostileArea {
			t.Errorf("the area reads %q in the XLSX", v)
		}
		if formula, _ := f.GetCellFormula("Return", "A2"); formula != "" {
			t.Errorf("the area is the formula %q", formula)
		}
		body := serve(s, "GET", "/statistics/return"+q, "").Body.String()
		if !strings.Contains(body, "=cmd|&#39;/c calc&#39;!A1: quarter 2") {
			t.Error("the return page does not show the area's name escaped")
		}
	})
}

func TestStatisticsAPI(t *testing.T) {
	t.Run("the whole report, hidden counts as words", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleAnalyst)
		w := serve(s, "GET", "/api/v1/statistics?year=2026", "")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
		var got struct {
			Year     string `json:"year"`
			Rule     apiRule
			Quarters []apiQuarter `json:"quarters"`
			Areas    []apiArea    `json:"areas"`
			Pops     []struct {
				Population string `json:"population"`
				Totals     struct {
					Region map[string]any   `json:"region"`
					Areas  []map[string]any `json:"areas"`
				} `json:"totals"`
				MedianDays *struct {
					Region map[string]any `json:"region"`
				} `json:"median_days"`
				Tables []struct {
					Breakdown  string `json:"breakdown"`
					Categories []struct {
						Category string         `json:"category"`
						Region   map[string]any `json:"region"`
					} `json:"categories"`
				} `json:"tables"`
			} `json:"populations"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Year != "2026-27" || got.Rule.Threshold != 5 || len(got.Quarters) != 4 || len(got.Areas) != 4 || len(got.Pops) != len(waymark.Populations) {
			t.Fatalf("report %+v", got)
		}
		screened := got.Pops[0]
		rep := testReport(t).Find(waymark.PopScreened)
		want := map[string]any{}
		for i, key := range []string{"q1", "q2", "q3", "q4", "year"} {
			b, _ := json.Marshal(byQuarter(func(q int) stats.Cell { return rep.Total(q, stats.Region) })[i])
			var v any
			json.Unmarshal(b, &v)
			want[key] = v
		}
		if diff := cmp.Diff(want, screened.Totals.Region); diff != "" {
			t.Errorf("screened in the region (-want +got):\n%s", diff)
		}
		if screened.Totals.Region["q3"] != "fewer than 5" || screened.Totals.Region["q1"] != 32.0 {
			t.Errorf("screened in the region: %v", screened.Totals.Region)
		}
		if screened.Totals.Areas[0]["area"] != "" || screened.Totals.Areas[0]["year"] != "fewer than 5" {
			t.Errorf("screened with no area: %v", screened.Totals.Areas[0])
		}
		if screened.MedianDays != nil || got.Pops[3].MedianDays == nil || got.Pops[3].MedianDays.Region["year"] == nil {
			t.Error("medians are not given for decisions only")
		}
		fake.wantRead(t, statsRead{2026, waymark.ViewStatisticsAPI, "whole report"})
	})
	t.Run("the return", func(t *testing.T) {
		s, fake := statisticsServer(t, waymark.RoleAnalyst)
		w := serve(s, "GET", "/api/v1/statistics/return?year=2026&quarter=2&area=Harrowdale", "")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
		var raw map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
			t.Fatal(err)
		}
		pops := raw["populations"].([]any)
		screened := pops[0].(map[string]any)
		if raw["area"] != "Harrowdale" || raw["quarter"] != 2.0 || raw["quarter_label"] != "July to September 2026" || screened["this_quarter"] != 9.0 || screened["whole_year"] != 21.0 {
			t.Errorf("return %v", raw)
		}
		fake.wantRead(t, statsRead{2026, waymark.ViewStatisticsAPI, "return; area: Harrowdale; quarter: 2"})
	})
	for name, tc := range map[string]struct {
		path   string
		fields []string
	}{
		"a bad year":                     {"/api/v1/statistics?year=2026-29", []string{"year"}},
		"a return without quarter, area": {"/api/v1/statistics/return?year=2026", []string{"area", "quarter"}},
		"a return of an unknown area":    {"/api/v1/statistics/return?year=2026&quarter=1&area=Nowhere", []string{"area"}},
	} {
		t.Run(name+" is a 400 with a message per field", func(t *testing.T) {
			s, _ := statisticsServer(t, waymark.RoleAnalyst)
			w := serve(s, "GET", tc.path, "")
			var got APIError
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusBadRequest || got.Error.Code != waymark.EINVALID {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			var fields []string
			for k, msg := range got.Error.Fields {
				if msg == "" {
					t.Errorf("%s has no message", k)
				}
				fields = append(fields, k)
			}
			slices.Sort(fields)
			if diff := cmp.Diff(tc.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatisticsPermission(t *testing.T) {
	for _, role := range []waymark.Role{waymark.RoleFrontline, waymark.RoleSafeguardingLead, waymark.RoleOrgAdmin} {
		s, fake := statisticsServer(t, role)
		for _, path := range []string{"/statistics", "/statistics/return?year=2026&quarter=2&area=Harrowdale", "/statistics/return.csv?year=2026&quarter=2&area=Harrowdale",
			"/statistics/return.xlsx?year=2026&quarter=2&area=Harrowdale"} {
			if w := serve(s, "GET", path, ""); w.Code != http.StatusNotFound {
				t.Errorf("%s: %s answers %d, want 404", role, path, w.Code)
			}
		}
		for _, path := range []string{"/api/v1/statistics", "/api/v1/statistics/return?year=2026&quarter=2&area=Harrowdale"} {
			if w := serve(s, "GET", path, ""); w.Code != http.StatusForbidden {
				t.Errorf("%s: %s answers %d, want 403", role, path, w.Code)
			}
		}
		if len(fake.reads) != 0 {
			t.Errorf("%s read the statistics: %v", role, fake.reads)
		}
		if strings.Contains(navHrefs(navFor(role, "/home")), "/statistics") {
			t.Errorf("%s is offered the statistics", role)
		}
	}
	for _, role := range []waymark.Role{waymark.RoleAnalyst, waymark.RoleManager} {
		if !strings.Contains(navHrefs(navFor(role, "/statistics/return")), "/statistics*") {
			t.Errorf("%s is not offered the statistics, or the link is not current on the return", role)
		}
	}
}

// navHrefs lists the navigation's links, a current one marked with a star.
func navHrefs(nav []NavItem) string {
	var b strings.Builder
	for _, n := range nav {
		b.WriteString(n.Href)
		if n.Active {
			b.WriteString("*")
		}
		b.WriteString(" ")
	}
	return b.String()
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Harrowdale": "harrowdale", "King's Lynn & West Norfolk": "king-s-lynn-west-norfolk", hostileArea: "cmd-c-calc-a1",
		"": "area", "Ynys Môn": "ynys-m-n", "../../etc/passwd": "etc-passwd", `a"b;c`: "a-b-c", strings.Repeat("x", 90): strings.Repeat("x", 40)} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzStatisticsQuery feeds the statistics query: reading it never panics, every problem is keyed
// by a field the forms show and says something, and what is accepted is in range and one of the
// region's areas.
func FuzzStatisticsQuery(f *testing.F) {
	for _, q := range []string{"year=2026&quarter=2&area=Harrowdale", "year=2026-27&quarter=Q4&area=", "year=1999&quarter=0&area=Nowhere",
		"year=2026-28&quarter=-1", "year=%00&quarter=99999999999999999999&area=%3Dcmd", "area=+Harrowdale+&quarter=+3+"} {
		f.Add(q, true)
		f.Add(q, false)
	}
	rep, err := stats.Build(testFacts(), stats.DefaultRule)
	if err != nil {
		f.Fatal(err)
	}
	known := map[string]bool{"year": true, "quarter": true, "area": true}
	f.Fuzz(func(t *testing.T, query string, required bool) {
		v, _ := url.ParseQuery(query)
		q, fields := parseStatisticsQuery(v, 2026, required)
		checkArea(rep, q, fields)
		for k, msg := range fields {
			if !known[k] || msg == "" {
				t.Errorf("problem %q: %q", k, msg)
			}
		}
		if q.Year < waymark.FirstReportingYear || q.Year > waymark.LastReportingYear {
			t.Errorf("year %d", q.Year)
		}
		if len(fields) > 0 {
			return
		}
		if q.Quarter < 0 || q.Quarter > waymark.Quarters || required && q.Quarter == 0 {
			t.Errorf("accepted quarter %d", q.Quarter)
		}
		if required && q.Area == "" || q.Area != "" && rep.AreaIndex(q.Area) == stats.Region {
			t.Errorf("accepted area %q", q.Area)
		}
		if q.Quarter > 0 && q.Area != "" {
			if rt := buildReturn(rep, q.Quarter, rep.AreaIndex(q.Area)); len(rt.Table()) < 2 {
				t.Error("an empty return")
			}
		}
	})
}
