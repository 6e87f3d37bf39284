package stats

import (
	"fmt"
	"slices"

	"waymark"
)

// Year and Region stand for a whole dimension in Report reads: quarter Year is the whole
// financial year, area Region the whole region; category All is every category (the total).
const (
	Year   = 0
	Region = -1
	All    = -1
)

// Report is a financial year's regional statistics, every figure protected together: the
// populations' totals and breakdowns, by quarter and by local authority area, and the median days
// from referral to each NRM decision.
type Report struct {
	Year waymark.ReportingYear
	Rule Rule
	// Areas are the local authority areas, by key ("" is an organisation without one) and label.
	Areas       []waymark.Option
	Populations []*Population
}

// Population is one population's protected tables.
type Population struct {
	Population waymark.Population
	Label      string
	Tables     []*Table
	group      *Group
	// days are the known days from referral to decision, by quarter (0 the year) and area
	// (index; len(areas) the region).
	days  map[[2]int][]int
	areas int
	rule  Rule
}

// Table is one breakdown of a population.
type Table struct {
	Breakdown  waymark.Breakdown
	Label      string
	Categories []waymark.Option
	pop        *Population
	cube       int
}

// Build counts the facts and protects every figure with the rule. Each person counts in exactly
// one quarter, area and category of each breakdown, so the tables add up and are protected as one,
// from everyone and from each organisation, with what each knows (whatReadersKnow, AddBy, KnownTo).
func Build(f *waymark.RegionalFacts, rule Rule) (*Report, error) {
	if err := rule.Validate(); err != nil {
		return nil, err
	}
	r := &Report{Year: f.Year, Rule: rule}
	areaIndex := map[string]int{}
	for i, a := range f.Areas {
		areaIndex[a] = i
		label := a
		if a == "" {
			label = "Area not recorded"
		}
		r.Areas = append(r.Areas, waymark.Option{Value: a, Label: label})
	}
	orgIndex := map[string]int{}
	for i, o := range f.Organisations {
		orgIndex[o.ID] = i
	}
	// index numbers the organisation with the ID given, as f.Organisations does.
	index := func(id string) int {
		i, ok := orgIndex[id]
		if !ok {
			i = len(orgIndex)
			orgIndex[id] = i
		}
		return i
	}
	for _, p := range waymark.Populations {
		pop := &Population{Population: p, Label: p.Label(), days: map[[2]int][]int{}, areas: len(f.Areas), rule: rule}
		sizes := []int{}
		catIndex := []map[string]int{}
		for _, b := range p.Breakdowns() {
			cats := b.Categories(f.Nationalities)
			idx := map[string]int{}
			for i, c := range cats {
				idx[c.Value] = i
			}
			catIndex = append(catIndex, idx)
			sizes = append(sizes, len(cats))
			pop.Tables = append(pop.Tables, &Table{Breakdown: b, Label: b.Label(), Categories: cats, pop: pop, cube: len(pop.Tables)})
		}
		pop.group = NewGroup(rule, sizes, waymark.Quarters, len(f.Areas))
		r.Populations = append(r.Populations, pop)
		cats := make([]int, len(sizes))
		for _, fact := range f.People {
			if fact.Population != p {
				continue
			}
			area, ok := areaIndex[fact.Area]
			if !ok || fact.Quarter < 1 || fact.Quarter > waymark.Quarters {
				continue
			}
			for i, b := range p.Breakdowns() {
				c, ok := catIndex[i][fact.Categories[b]]
				if !ok {
					return nil, fmt.Errorf("stats: %s has no category %q", b, fact.Categories[b])
				}
				cats[i] = c
			}
			pop.group.AddBy(index(fact.Org), cats, fact.Quarter-1, area)
			for _, o := range fact.KnownTo {
				pop.group.KnownTo(index(o), cats, fact.Quarter-1, area)
			}
			if p.Decided() && fact.Days >= 0 {
				for _, q := range []int{0, fact.Quarter} {
					for _, a := range []int{area, len(f.Areas)} {
						pop.days[[2]int{q, a}] = append(pop.days[[2]int{q, a}], fact.Days)
					}
				}
			}
		}
		if err := nestTables(pop); err != nil {
			return nil, err
		}
		whatReadersKnow(pop, f)
		pop.group.Protect()
	}
	return r, nil
}

// nestTables tells the population's group which tables roll up into which (age bands into age
// groups), so that protection keeps the sums a reader can work out between them.
func nestTables(pop *Population) error {
	for k, t := range pop.Tables {
		parent, parentOf := t.Breakdown.RollsUpInto()
		kp := slices.IndexFunc(pop.Tables, func(p *Table) bool { return p.Breakdown == parent })
		if parentOf == nil || kp < 0 {
			continue
		}
		of := make([]int, len(t.Categories))
		for c, cat := range t.Categories {
			of[c] = slices.IndexFunc(pop.Tables[kp].Categories, func(o waymark.Option) bool { return o.Value == parentOf(cat.Value) })
		}
		if err := pop.group.Nest(k, kp, of); err != nil {
			return fmt.Errorf("%s within %s: %w", t.Breakdown, parent, err)
		}
	}
	return nil
}

// whatReadersKnow tells the population's group what a reader knows besides the figures. Every
// reader knows which counts are nothing: those of the quarters not begun, of the types of
// organisation an area does not have, and of the categories nobody in the population can fall
// in. An organisation alone in an area, or alone of its type in an area or in the region, knows
// those counts exactly. Organisations are numbered as in f.Organisations.
func whatReadersKnow(pop *Population, f *waymark.RegionalFacts) {
	g := pop.group
	for q := max(f.Begun, 0); q < waymark.Quarters; q++ {
		g.Nothing(q, All)
	}
	// alone is the one organisation that matches, or -1.
	alone := func(match func(o waymark.RegionalOrganisation) bool) int {
		found := -1
		for i, o := range f.Organisations {
			if match(o) {
				if found >= 0 {
					return -1
				}
				found = i
			}
		}
		return found
	}
	for a, area := range f.Areas {
		if o := alone(func(o waymark.RegionalOrganisation) bool { return o.Area == area }); o >= 0 {
			g.Alone(o, All, a)
		}
	}
	for k, t := range pop.Tables {
		for c, cat := range t.Categories {
			if slices.Contains(pop.Population.Impossible(t.Breakdown), cat.Value) {
				g.NothingIn(k, c, All, All)
			}
			if t.Breakdown != waymark.ByOrgType {
				continue
			}
			ofType := func(o waymark.RegionalOrganisation) bool { return string(o.Type) == cat.Value }
			if o := alone(ofType); o >= 0 {
				g.AloneIn(o, k, c, All, All)
			}
			for a, area := range f.Areas {
				inArea := func(o waymark.RegionalOrganisation) bool { return ofType(o) && o.Area == area }
				if !slices.ContainsFunc(f.Organisations, inArea) {
					g.NothingIn(k, c, All, a)
				} else if o := alone(inArea); o >= 0 {
					g.AloneIn(o, k, c, All, a)
				}
			}
		}
	}
}

// Find is the population's tables, or nil.
func (r *Report) Find(p waymark.Population) *Population {
	for _, pop := range r.Populations {
		if pop.Population == p {
			return pop
		}
	}
	return nil
}

// AreaIndex is the index of the area key in Areas, or Region when it is not one.
func (r *Report) AreaIndex(key string) int {
	for i, a := range r.Areas {
		if a.Value == key {
			return i
		}
	}
	return Region
}

// Total is the population's count in quarter q (1 to 4, or Year) and area a (an index of the
// report's Areas, or Region).
func (p *Population) Total(q, a int) Cell { return p.group.Total(shared(q, a)...) }

// Cell is the count of category c (an index of Categories, or All) in quarter q and area a.
func (t *Table) Cell(c, q, a int) Cell { return t.pop.group.Cell(t.cube, c, shared(q, a)...) }

// shared turns a quarter and area as Report reads them into the group's coordinates.
func shared(q, a int) []int {
	if q == Year {
		q = All + 1
	}
	return []int{q - 1, a}
}

// Median is the median of the known days from NRM referral to the decision in quarter q and area
// a. ok is false when fewer decisions than the rule's threshold have a known referral date: a
// median of so few would point to people. How many there were is not given, for the same reason,
// and no median is given where the number of decisions is hidden: a median shown would say that
// number is at least the threshold, which the protection does not allow for.
func (p *Population) Median(q, a int) (days int, ok bool) {
	if p.Total(q, a).Hidden() {
		return 0, false
	}
	if a == Region {
		a = p.areas
	}
	return median(p.days[[2]int{q, a}], p.rule.Threshold)
}

func median(days []int, threshold int) (int, bool) {
	n := len(days)
	if n == 0 || n < threshold {
		return 0, false
	}
	s := slices.Clone(days)
	slices.Sort(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2] + 1) / 2, true
}
