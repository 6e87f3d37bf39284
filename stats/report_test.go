package stats

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// facts makes a year's facts: n people of each population given, spread over three areas (with
// three organisations each, of their own types; one person in five known of by an organisation in
// another area too) and the quarters, with categories drawn from each breakdown's list, the first
// ones most often.
func facts(rng *rand.Rand, n int, pops ...waymark.Population) *waymark.RegionalFacts {
	f := &waymark.RegionalFacts{Year: 2026, Areas: []string{"", "Eastfell", "Harrowdale"}, Nationalities: []string{"AL", "PL", "RO"}, Begun: waymark.Quarters}
	for a, area := range f.Areas {
		for i := range 3 {
			f.Organisations = append(f.Organisations, waymark.RegionalOrganisation{ID: fmt.Sprintf("org %d-%d", a, i),
				Type: waymark.OrgTypes[(3*a+i)%len(waymark.OrgTypes)], Area: area})
		}
	}
	for i := range n * len(pops) {
		area := rng.IntN(3)
		org := f.Organisations[3*area+min(2, int(rng.ExpFloat64()))]
		p := waymark.PersonFact{Population: pops[i%len(pops)], Quarter: 1 + rng.IntN(4), Area: org.Area, Org: org.ID,
			Categories: map[waymark.Breakdown]string{}, Days: -1}
		for _, b := range p.Population.Breakdowns() {
			cats := b.Categories(f.Nationalities)
			p.Categories[b] = cats[min(len(cats)-1, int(rng.ExpFloat64()*2))].Value
		}
		p.Categories[waymark.ByOrgType] = string(org.Type)
		if rng.IntN(5) == 0 {
			// Known of by another organisation too, in another area.
			p.KnownTo = []string{f.Organisations[(3*area+3+rng.IntN(3))%len(f.Organisations)].ID}
		}
		if band, ok := p.Categories[waymark.ByAgeBand]; ok {
			p.Categories[waymark.ByAgeGroup] = waymark.AgeGroupOfBand(band)
		}
		f.People = append(f.People, p)
	}
	return f
}

// TestBuild_CountsEveryPersonOnceInEachTable checks every figure shown against a count of the
// facts, and that none is small, or small once any one organisation takes from it the people it
// knows of (its own, and others' it holds records of).
func TestBuild_CountsEveryPersonOnceInEachTable(t *testing.T) {
	f := facts(rand.New(rand.NewPCG(1, 2)), 400, waymark.PopConcerns)
	r, err := Build(f, DefaultRule)
	if err != nil {
		t.Fatal(err)
	}
	pop := r.Find(waymark.PopConcerns)
	if got, _ := pop.Total(Year, Region).Value(); got != 400 {
		t.Errorf("year total for the region = %v, want 400", pop.Total(Year, Region))
	}
	// Every shown count equals the count worked out here from the facts.
	for _, table := range pop.Tables {
		for c, cat := range table.Categories {
			for q := Year; q <= waymark.Quarters; q++ {
				for a := Region; a < len(r.Areas); a++ {
					want, ownPeople := 0, map[string]int{}
					for _, p := range f.People {
						if p.Population == waymark.PopConcerns && p.Categories[table.Breakdown] == cat.Value && (q == Year || p.Quarter == q) && (a == Region || p.Area == r.Areas[a].Value) {
							want++
							for _, o := range append([]string{p.Org}, p.KnownTo...) {
								ownPeople[o]++
							}
						}
					}
					cell := table.Cell(c, q, a)
					if got, ok := cell.Value(); ok && got != want {
						t.Errorf("%s %q quarter %d area %d: shown %d, want %d", table.Breakdown, cat.Value, q, a, got, want)
					}
					if want > 0 && want < DefaultRule.Threshold && !cell.Hidden() {
						t.Errorf("%s %q quarter %d area %d: small count %d shown", table.Breakdown, cat.Value, q, a, want)
					}
					for org, own := range ownPeople {
						if others := want - own; !cell.Hidden() && others > 0 && others < DefaultRule.Threshold {
							t.Errorf("%s %q quarter %d area %d: %d shown, of which %s has all but %d", table.Breakdown, cat.Value, q, a, want, org, others)
						}
					}
				}
			}
		}
	}
	if empty := r.Find(waymark.PopScreened); empty.Total(Year, Region).String() != "0" {
		t.Errorf("a population without facts reads %v, want 0", empty.Total(Year, Region))
	}
}

// TestBuild_CountsKnownToBeNothingAreNeverHidden builds a year with two quarters begun, areas
// with few types of organisation, and referred people, whose route is never "neither". A reader
// knows all those counts are nothing, so they must read 0: protection may not lean on them
// (Group.Nothing). Built without that knowledge, the same facts withhold some of them.
func TestBuild_CountsKnownToBeNothingAreNeverHidden(t *testing.T) {
	types := map[string][]waymark.OrgType{"": {waymark.OrgAntiSlaveryCharity}, "Eastfell": {waymark.OrgHomelessOutreach, waymark.OrgHomelessHostel},
		"Harrowdale": {waymark.OrgPolice, waymark.OrgHomelessOutreach}}
	// organisations lists one organisation of each type an area has; every type in every area
	// when all.
	organisations := func(all bool) []waymark.RegionalOrganisation {
		var out []waymark.RegionalOrganisation
		for _, area := range []string{"", "Eastfell", "Harrowdale"} {
			in := types[area]
			if all {
				in = waymark.OrgTypes
			}
			for _, t := range in {
				out = append(out, waymark.RegionalOrganisation{ID: area + "/" + string(t), Type: t, Area: area})
			}
		}
		return out
	}
	rng := rand.New(rand.NewPCG(3, 4))
	f := facts(rng, 40, waymark.PopScreened, waymark.PopConcerns, waymark.PopReferred)
	f.Begun, f.Organisations = 2, organisations(false)
	for i := range f.People {
		p := &f.People[i]
		p.Quarter = 1 + rng.IntN(2)
		in := types[p.Area]
		p.Categories[waymark.ByOrgType] = string(in[rng.IntN(len(in))])
		p.Org = p.Area + "/" + p.Categories[waymark.ByOrgType]
		if p.Population == waymark.PopReferred && p.Categories[waymark.ByRoute] == "none" {
			p.Categories[waymark.ByRoute] = "nrm"
		}
	}
	known := func(r *Report, pop *Population, t *Table, c, q, a int) bool {
		switch {
		case q > 2:
			return true
		case pop.Population == waymark.PopReferred && t.Breakdown == waymark.ByRoute && t.Categories[c].Value == "none":
			return true
		case t.Breakdown == waymark.ByOrgType && a != Region:
			return !slices.Contains(types[r.Areas[a].Value], waymark.OrgType(t.Categories[c].Value))
		}
		return false
	}
	// hidden counts the known nothings that do not read 0.
	hidden := func(r *Report) (n, all int) {
		for _, pop := range r.Populations {
			for _, t := range pop.Tables {
				for c := range t.Categories {
					for q := Year; q <= waymark.Quarters; q++ {
						for a := Region; a < len(r.Areas); a++ {
							if known(r, pop, t, c, q, a) {
								all++
								if s := t.Cell(c, q, a).String(); s != "0" {
									n++
								}
							}
						}
					}
				}
			}
		}
		return n, all
	}
	r, err := Build(f, DefaultRule)
	if err != nil {
		t.Fatal(err)
	}
	if n, all := hidden(r); n > 0 {
		t.Errorf("%d of %d counts a reader knows are nothing read other than 0", n, all)
	}
	f.Begun, f.Organisations = waymark.Quarters, organisations(true)
	unaware, err := Build(f, DefaultRule)
	if err != nil {
		t.Fatal(err)
	}
	if n, all := hidden(unaware); n == 0 {
		t.Errorf("built without knowing what is nothing, none of %d such counts was withheld: the test shows nothing", all)
	} else {
		t.Logf("built without knowing what is nothing, %d of %d such counts were withheld", n, all)
	}
}

func TestBuild_RefusesAnAgeBandOutsideItsGroup(t *testing.T) {
	f := facts(rand.New(rand.NewPCG(5, 6)), 20, waymark.PopConcerns)
	f.People[0].Categories[waymark.ByAgeGroup], f.People[0].Categories[waymark.ByAgeBand] = "child", "30-38"
	if _, err := Build(f, DefaultRule); err == nil {
		t.Errorf("a child in the band 30 to 38 was counted: the age tables would not nest")
	}
}

func TestPopulation_Median(t *testing.T) {
	f := &waymark.RegionalFacts{Year: 2026, Areas: []string{"Eastfell"}}
	for i, days := range []int{10, 40, 20, 30, -1, 50} {
		f.People = append(f.People, waymark.PersonFact{Population: waymark.PopReasonableGrounds, Quarter: 1 + i%2, Area: "Eastfell", Days: days,
			Categories: map[waymark.Breakdown]string{waymark.ByDecision: "positive", waymark.ByOrgType: string(waymark.OrgPolice)}})
	}
	r, err := Build(f, DefaultRule)
	if err != nil {
		t.Fatal(err)
	}
	pop := r.Find(waymark.PopReasonableGrounds)
	type median struct {
		Days int
		OK   bool
	}
	got := map[string]median{}
	for _, c := range []struct {
		name string
		q, a int
	}{{"year, region", Year, Region}, {"year, area", Year, 0}, {"quarter 1 (three known)", 1, Region}} {
		d, ok := pop.Median(c.q, c.a)
		got[c.name] = median{d, ok}
	}
	want := map[string]median{"year, region": {30, true}, "year, area": {30, true}, "quarter 1 (three known)": {0, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("medians (-want +got):\n%s", diff)
	}
}

func TestCell_HowItReads(t *testing.T) {
	rounded := Rule{Threshold: 10, RoundTo: 5}
	cases := []struct {
		name string
		cell Cell
		text string
		json string
	}{
		{"shown", Cell{n: 12, threshold: 5}, "12", "12"},
		{"zero", Cell{n: 0, threshold: 5}, "0", "0"},
		{"suppressed", Cell{n: 3, st: suppressed, threshold: 5}, "fewer than 5", `"fewer than 5"`},
		{"suppressed under another threshold", Cell{n: 7, st: suppressed, threshold: rounded.Threshold}, "fewer than 10", `"fewer than 10"`},
		{"withheld", Cell{n: 40, st: withheld, threshold: 5}, "withheld", `"withheld"`},
		{"rounded down", Cell{n: 12, threshold: 10, roundTo: 5}, "10", "10"},
		{"rounded up", Cell{n: 13, threshold: 10, roundTo: 5}, "15", "15"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.cell)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(c.cell, " ", string(b)); got != c.text+" "+c.json {
				t.Errorf("reads %q, want %q", got, c.text+" "+c.json)
			}
		})
	}
	if got := (Cell{n: 3, threshold: 5}).ShareOf(Cell{n: 8, threshold: 5}); got != "38%" {
		t.Errorf("share = %q, want 38%%", got)
	}
	if got := (Cell{n: 3, st: suppressed}).ShareOf(Cell{n: 8}); got != "" {
		t.Errorf("share of a hidden count = %q, want none", got)
	}
}

func TestRule_Validate(t *testing.T) {
	for _, r := range []Rule{{Threshold: 1}, {Threshold: 101}, {Threshold: 5, RoundTo: -1}, {Threshold: 5, RoundTo: 101}, {Threshold: 3, RoundTo: 10}} {
		if r.Validate() == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	for _, r := range []Rule{DefaultRule, {Threshold: 10, RoundTo: 5}, {Threshold: 5, RoundTo: 10}} {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v refused: %v", r, err)
		}
	}
}

// BenchmarkBuild protects a year's report for a region of 100,000 clients: 20,000 people in each
// population, three areas and every breakdown.
//
//	go test -run '^$' -bench Build ./stats
func BenchmarkBuild(b *testing.B) {
	f := facts(rand.New(rand.NewPCG(5, 6)), 20000, waymark.Populations...)
	for b.Loop() {
		if _, err := Build(f, DefaultRule); err != nil {
			b.Fatal(err)
		}
	}
}
