package stats

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// attacker works out hidden counts from what a group publishes, knowing everything a reader
// knows: every count shown, that a suppressed count is 1 to Threshold-1 and a withheld one is
// some whole number, that every total is the sum of the counts under it, and that every cube counts
// the same people. It knows nothing of how Protect chose what to withhold: it searches every
// whole-number table that fits (an exact search, not a rule of thumb), so a count it cannot pin
// down cannot be pinned down by anyone. Withheld counts are searched up to a bound a little above
// the true grand total: a reader without that bound knows less, not more.
type attacker struct {
	g      *Group
	vars   []ref // the hidden counts with no total in them
	varIdx map[ref]int
	lo, hi []int
	cons   []constraint
}

// constraint says lo <= sum of coef*var (plus the constant of shown counts) <= hi.
type constraint struct {
	vars  []int
	coef  []int
	lo    int
	hi    int
	fixed int
}

func newAttacker(g *Group) *attacker {
	a := &attacker{g: g, varIdx: map[ref]int{}}
	bound := 2*g.face[len(g.face)-1] + 10
	t := g.rule.Threshold
	rangeOf := func(v int, st state) (int, int) {
		switch st {
		case suppressed:
			return 1, t - 1
		case withheld:
			return 0, bound
		}
		return v, v
	}
	base := func(s int) bool {
		for j := range g.sizes {
			if (s/g.stride[j])%(g.sizes[j]+1) == g.sizes[j] {
				return false
			}
		}
		return true
	}
	// The unknowns: hidden counts of every cube that are not totals.
	for k := range g.cubes {
		for i, v := range g.cubes[k] {
			if base(i%g.faceN) && g.cubeSt[k][i] != shown {
				lo, hi := rangeOf(v, g.cubeSt[k][i])
				a.varIdx[ref{k, i}] = len(a.vars)
				a.vars = append(a.vars, ref{k, i})
				a.lo, a.hi = append(a.lo, lo), append(a.hi, hi)
			}
		}
	}
	for k, n := range g.nests {
		if k != n.child {
			continue // each nesting is held under both its cubes
		}
		for s := range g.faceN {
			for p := range g.cats[n.parent] {
				// The parent's count less its children's is nothing.
				c := a.sumOf(n.parent, p, s)
				for ch, pc := range n.parentOf {
					if pc == p {
						o := a.sumOf(n.child, ch, s)
						c.vars = append(c.vars, o.vars...)
						for range o.coef {
							c.coef = append(c.coef, -1)
						}
						c.fixed -= o.fixed
					}
				}
				a.cons = append(a.cons, c)
			}
		}
	}
	for r := range g.nothing {
		c := a.sumOf(0, -1, r.i)
		if r.k >= 0 {
			c = a.sumOf(r.k, r.i/g.faceN, r.i%g.faceN)
		}
		a.cons = append(a.cons, c) // lo = hi = 0
	}
	for k := range g.cubes {
		for i, v := range g.cubes[k] {
			c := a.sumOf(k, i/g.faceN, i%g.faceN)
			c.lo, c.hi = rangeOf(v, g.cubeSt[k][i])
			a.cons = append(a.cons, c)
		}
		for s, v := range g.face {
			c := a.sumOf(k, -1, s)
			c.lo, c.hi = rangeOf(v, g.faceSt[s])
			a.cons = append(a.cons, c)
			if k > 0 {
				// Every cube counts the same people: cube 0's total less cube k's is nothing.
				same, other := a.sumOf(0, -1, s), a.sumOf(k, -1, s)
				same.vars = append(same.vars, other.vars...)
				for range other.coef {
					same.coef = append(same.coef, -1)
				}
				same.fixed -= other.fixed
				a.cons = append(a.cons, same)
			}
		}
	}
	return a
}

// newInsider is the attacker as organisation org, which also knows how many of its own people
// every count holds, so no hidden count has fewer, and that counts it is alone in hold no others.
func newInsider(g *Group, org int) *attacker {
	a := newAttacker(g)
	for j, r := range a.vars {
		a.lo[j] = max(a.lo[j], g.byOrg[org].at(r))
	}
	for r := range g.alone[org] {
		c := a.sumOf(0, -1, r.i)
		if r.k >= 0 {
			c = a.sumOf(r.k, r.i/g.faceN, r.i%g.faceN)
		}
		c.lo, c.hi = g.byOrg[org].at(r), g.byOrg[org].at(r)
		a.cons = append(a.cons, c)
	}
	return a
}

// recovers reports whether the count r (a cube's, or the face's when r.k < 0) has the same value
// in every table that fits what is published.
func (a *attacker) recovers(r ref) bool {
	g := a.g
	v, st := g.at(r)
	target := a.sumOf(0, -1, r.i)
	if r.k >= 0 {
		target = a.sumOf(r.k, r.i/g.faceN, r.i%g.faceN)
	}
	lo, hi := 1, g.rule.Threshold-1
	if *st == withheld {
		lo, hi = 0, 1<<20
	}
	for _, alt := range [][2]int{{lo, v - 1}, {v + 1, hi}} {
		c := target
		c.lo, c.hi = alt[0], alt[1]
		if c.lo <= c.hi && a.feasible(c) {
			return false
		}
	}
	return true
}

// sumOf is the sum making up cube k's count of category c (all when c < 0) at face index s.
func (a *attacker) sumOf(k, c, s int) constraint {
	g := a.g
	var out constraint
	for cat := range g.cats[k] {
		if c >= 0 && cat != c {
			continue
		}
		for b := range g.faceN {
			in := true
			for j := range g.sizes {
				x, y := (s/g.stride[j])%(g.sizes[j]+1), (b/g.stride[j])%(g.sizes[j]+1)
				if y == g.sizes[j] || (x != g.sizes[j] && x != y) {
					in = false
				}
			}
			if !in {
				continue
			}
			i := cat*g.faceN + b
			if j, ok := a.varIdx[ref{k, i}]; ok {
				out.vars = append(out.vars, j)
				out.coef = append(out.coef, 1)
			} else {
				out.fixed += g.cubes[k][i]
			}
		}
	}
	return out
}

// feasible reports whether some whole-number table fits what is published and the extra
// constraint: a search that narrows every unknown's range from the sums (constraint
// propagation) and splits the narrowest range left in two until every unknown is pinned.
func (a *attacker) feasible(extra constraint) bool {
	cons := append(append([]constraint(nil), a.cons...), extra)
	var search func(lo, hi []int) bool
	search = func(lo, hi []int) bool {
		if !propagate(cons, lo, hi) {
			return false
		}
		split := -1
		for v := range lo {
			if lo[v] < hi[v] && (split < 0 || hi[v]-lo[v] < hi[split]-lo[split]) {
				split = v
			}
		}
		if split < 0 {
			return true
		}
		mid := (lo[split] + hi[split]) / 2
		for _, half := range [][2]int{{lo[split], mid}, {mid + 1, hi[split]}} {
			l, h := append([]int(nil), lo...), append([]int(nil), hi...)
			l[split], h[split] = half[0], half[1]
			if search(l, h) {
				return true
			}
		}
		return false
	}
	return search(append([]int(nil), a.lo...), append([]int(nil), a.hi...))
}

// propagate narrows the ranges lo..hi of the unknowns until every constraint's sum can reach its
// own range from each unknown's; false when some range empties.
func propagate(cons []constraint, lo, hi []int) bool {
	for changed := true; changed; {
		changed = false
		for _, c := range cons {
			min, max := c.fixed, c.fixed
			for n, v := range c.vars {
				if c.coef[n] > 0 {
					min, max = min+lo[v], max+hi[v]
				} else {
					min, max = min-hi[v], max-lo[v]
				}
			}
			if max < c.lo || min > c.hi {
				return false
			}
			for n, v := range c.vars {
				// The others' part of the sum is at least min less this one's least, and so on.
				var l, h int
				if c.coef[n] > 0 {
					l, h = c.lo-(max-hi[v]), c.hi-(min-lo[v])
				} else {
					l, h = (min+hi[v])-c.hi, (max+lo[v])-c.lo
				}
				if l > lo[v] {
					lo[v], changed = l, true
				}
				if h < hi[v] {
					hi[v], changed = h, true
				}
				if lo[v] > hi[v] {
					return false
				}
			}
		}
	}
	return true
}

// randomGroup makes a group of two or three cubes counting 10 to 60 people, most of them in few
// categories, quarters and areas, so that small counts are common. With gaps, a reader knows of
// two kinds of count that they are nothing: a last quarter that has not begun, and cube 0's last
// category in area 0 (as no organisation of a type in an area). With orgs above 0, each person is
// recorded by one of that many organisations, the first the most likely, and one in five is known
// of by the next organisation too.
func randomGroup(rng *rand.Rand, rule Rule, gaps bool, orgs int) *Group {
	cubes := 2 + rng.IntN(2)
	cats := make([]int, cubes)
	for k := range cats {
		cats[k] = 2 + rng.IntN(2)
	}
	sizes := []int{1 + rng.IntN(2), 2 + rng.IntN(2)}
	begun := sizes[0]
	if gaps {
		sizes[0]++
	}
	g := NewGroup(rule, cats, sizes...)
	people := 10 + rng.IntN(51)
	pick := func(n int) int {
		// Skewed: the first category is the most likely.
		for i := range n - 1 {
			if rng.IntN(2) == 0 {
				return i
			}
		}
		return n - 1
	}
	for range people {
		c := make([]int, cubes)
		for k := range c {
			c[k] = pick(cats[k])
		}
		q, area := pick(begun), pick(sizes[1])
		if gaps && area == 0 && c[0] == cats[0]-1 {
			c[0] = 0
		}
		if orgs > 0 {
			o := pick(orgs)
			g.AddBy(o, c, q, area)
			if rng.IntN(5) == 0 {
				// Known of by another organisation too: it holds a record of them.
				g.KnownTo((o+1)%orgs, c, q, area)
			}
		} else {
			g.Add(c, q, area)
		}
	}
	if gaps {
		g.Nothing(sizes[0]-1, All)
		g.NothingIn(0, cats[0]-1, All, 0)
	}
	return g
}

// allWithheld reports whether every count of the group is withheld (withholdAll).
func allWithheld(g *Group) bool {
	for _, r := range g.refs() {
		if _, st := g.at(r); *st != withheld {
			return false
		}
	}
	return true
}

// tablesToTry is how many random groups a test protects and attacks: short with -short.
func tablesToTry(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// smallRefs lists every count of the group from 1 to Threshold-1: suppressed, or withheld.
func smallRefs(g *Group) []ref {
	var out []ref
	for _, r := range g.refs() {
		if v, _ := g.at(r); v > 0 && v < g.rule.Threshold {
			out = append(out, r)
		}
	}
	return out
}

// attackProtected protects g, fails the test for every small count shown or recovered by the
// attacker, and returns how many small counts there were.
func attackProtected(t *testing.T, g *Group, name string) (small int) {
	t.Helper()
	g.Protect()
	a := newAttacker(g)
	for _, r := range smallRefs(g) {
		small++
		if _, st := g.at(r); *st == shown {
			t.Errorf("%s: small count %v shown", name, r)
		}
		if a.recovers(r) {
			v, _ := g.at(r)
			t.Errorf("%s: small count %v (true value %d) recovered from what is published", name, r, v)
		}
	}
	return small
}

// recoveredUnaware protects g as if a reader knew neither which counts are nothing nor which
// cubes nest, and returns how many small counts an attacker who knows both recovers.
func recoveredUnaware(g *Group) (recovered int) {
	nothing, nests := g.nothing, g.nests
	g.nothing, g.nests = map[ref]bool{}, map[int]nest{}
	g.Protect()
	g.nothing, g.nests = nothing, nests
	a := newAttacker(g)
	for _, r := range smallRefs(g) {
		if a.recovers(r) {
			recovered++
		}
	}
	return recovered
}

func TestProtect_SuppressedCountsCannotBeRecovered(t *testing.T) {
	tables := tablesToTry(250, 60)
	rng := rand.New(rand.NewPCG(8, 2026))
	small, primaryOnlyRecovered, withheldAll := 0, 0, 0
	for n := range tables {
		seed := rng.Uint64()
		// The same table twice: once with small counts suppressed and nothing else, to show the
		// attacker works; once protected.
		bare := randomGroup(rand.New(rand.NewPCG(seed, 1)), DefaultRule, false, 0)
		bare.suppressSmall()
		for _, r := range smallRefs(bare) {
			if newAttacker(bare).recovers(r) {
				primaryOnlyRecovered++
			}
		}
		g := randomGroup(rand.New(rand.NewPCG(seed, 1)), DefaultRule, false, 0)
		small += attackProtected(t, g, fmt.Sprintf("table %d (seed %d)", n, seed))
		if allWithheld(g) {
			withheldAll++
		}
	}
	t.Logf("%d tables, %d small counts, none recovered; with small counts suppressed alone the attacker recovered %d; %d tables had every count withheld", tables, small, primaryOnlyRecovered, withheldAll)
	if small < tables {
		t.Fatalf("only %d small counts in %d tables: the test tables are not testing anything", small, tables)
	}
	if primaryOnlyRecovered == 0 {
		t.Fatalf("the attacker recovered nothing from tables with small counts suppressed alone: it is too weak to prove anything")
	}
}

// TestProtect_CountsKnownToBeNothingProveNothing protects groups in which a reader knows some
// counts are nothing (a quarter not yet begun, a category absent from an area), attacked by a
// reader who knows it too. Protected as if those counts were unknown, the same groups give small
// counts away, which shows the attack is real.
func TestProtect_CountsKnownToBeNothingProveNothing(t *testing.T) {
	tables := tablesToTry(150, 40)
	rng := rand.New(rand.NewPCG(11, 2026))
	small, unaware := 0, 0
	for n := range tables {
		seed := rng.Uint64()
		unaware += recoveredUnaware(randomGroup(rand.New(rand.NewPCG(seed, 1)), DefaultRule, true, 0))
		small += attackProtected(t, randomGroup(rand.New(rand.NewPCG(seed, 1)), DefaultRule, true, 0), fmt.Sprintf("table %d (seed %d)", n, seed))
	}
	t.Logf("%d tables, %d small counts, none recovered; protected as if nothing were known, %d were recovered", tables, small, unaware)
	if small < tables {
		t.Fatalf("only %d small counts in %d tables: the test tables are not testing anything", small, tables)
	}
	if unaware == 0 {
		t.Fatalf("no count recovered from the groups protected without knowing what is nothing: the test shows nothing")
	}
}

// TestProtect_NestedCubesCannotBeRecovered protects groups in which one cube's four categories
// roll up into another's two (as age bands into age groups), attacked by a reader who knows it.
// Protected as if the two were unrelated, the same groups give hundreds of small counts away.
func TestProtect_NestedCubesCannotBeRecovered(t *testing.T) {
	tables := tablesToTry(300, 80)
	parentOf := []int{0, 0, 1, 1}
	nested := func(seed uint64) *Group {
		rng := rand.New(rand.NewPCG(seed, 1))
		sizes := []int{1 + rng.IntN(2), 2 + rng.IntN(2)}
		g := NewGroup(DefaultRule, []int{4, 2, 2}, sizes...)
		for range 10 + rng.IntN(40) {
			c := min(3, int(rng.ExpFloat64()*1.2))
			g.Add([]int{c, parentOf[c], rng.IntN(2)}, rng.IntN(sizes[0]), min(sizes[1]-1, int(rng.ExpFloat64())))
		}
		if err := g.Nest(0, 1, parentOf); err != nil {
			t.Fatal(err)
		}
		return g
	}
	rng := rand.New(rand.NewPCG(12, 2026))
	small, unaware, withheldAll := 0, 0, 0
	for n := range tables {
		seed := rng.Uint64()
		unaware += recoveredUnaware(nested(seed))
		g := nested(seed)
		small += attackProtected(t, g, fmt.Sprintf("table %d (seed %d)", n, seed))
		if allWithheld(g) {
			withheldAll++
		}
	}
	t.Logf("%d tables, %d small counts, none recovered; protected as if the cubes were unrelated, %d were recovered; %d tables had every count withheld", tables, small, unaware, withheldAll)
	if unaware == 0 {
		t.Fatalf("no count recovered from the groups protected as if unrelated: the test shows nothing")
	}
}

func TestProtect_NestRefusesCountsThatDoNotRollUp(t *testing.T) {
	g := NewGroup(DefaultRule, []int{3, 2}, 1, 1)
	g.Add([]int{0, 0}, 0, 0)
	g.Add([]int{2, 0}, 0, 0)
	if err := g.Nest(0, 1, []int{0, 0, 1}); err == nil {
		t.Errorf("a child category counted under the wrong parent was accepted")
	}
	if err := g.Nest(0, 1, []int{0, 0}); err == nil {
		t.Errorf("too few parent categories were accepted")
	}
	if err := g.Nest(0, 1, []int{0, -1, 0}); err == nil {
		t.Errorf("a child category without a parent was accepted")
	}
	if err := g.Nest(0, 1, []int{0, 1, 0}); err != nil {
		t.Errorf("counts that roll up were refused: %v", err)
	}
}

// TestProtect_OrganisationsCannotRecoverOthersSmallCounts protects groups of people recorded by
// two or three organisations and attacks them as each organisation, which knows its own people in
// every count: for every count that holds 1 to 4 people of other organisations, it tries to
// work out how many. Protected as if no organisation knew its own, the same groups give such
// counts away.
func TestProtect_OrganisationsCannotRecoverOthersSmallCounts(t *testing.T) {
	tables := tablesToTry(60, 20)
	rng := rand.New(rand.NewPCG(13, 2026))
	targets, unaware, withheldAll := 0, 0, 0
	for n := range tables {
		seed := rng.Uint64()
		orgs := 2 + int(seed%2)
		naive := randomGroup(rand.New(rand.NewPCG(seed, 1)), DefaultRule, false, orgs)
		byOrg := naive.byOrg
		naive.byOrg = nil
		naive.Protect()
		naive.byOrg = byOrg
		for org := range orgs {
			unaware += len(insiderRecovered(naive, org))
		}
		g := randomGroup(rand.New(rand.NewPCG(seed, 1)), DefaultRule, false, orgs)
		targets += insiderAttack(t, g, fmt.Sprintf("table %d (seed %d)", n, seed))
		if allWithheld(g) {
			withheldAll++
		}
	}
	t.Logf("%d tables, %d counts holding 1 to 4 of others' people, none worked out; protected as if no organisation knew its own, %d were; %d tables had every count withheld",
		tables, targets, unaware, withheldAll)
	if unaware == 0 {
		t.Fatalf("no count worked out from the groups protected as if no organisation knew its own: the test shows nothing")
	}
}

// TestProtect_LoneOrganisationsCannotRecoverOthersSmallCounts protects groups with a breakdown by
// type of organisation, over areas each with a few organisations of given types, some with
// nobody in the group. An organisation alone of its type in an area knows that count exactly,
// and one alone in an area knows every count there (Group.Alone, AloneIn). Attacked as each
// organisation with that knowledge, none of them works out a count holding 1 to 4 of others'
// people; protected as if the organisations knew only their own people, some do.
func TestProtect_LoneOrganisationsCannotRecoverOthersSmallCounts(t *testing.T) {
	tables := tablesToTry(60, 20)
	rng := rand.New(rand.NewPCG(14, 2026))
	targets, unaware := 0, 0
	for n := range tables {
		seed := rng.Uint64()
		naive := randomRegion(rand.New(rand.NewPCG(seed, 1)))
		alone := naive.alone
		naive.alone = make([]map[ref]bool, len(alone))
		for o := range naive.alone {
			naive.alone[o] = map[ref]bool{}
		}
		naive.Protect()
		naive.alone = alone
		for org := range naive.byOrg {
			unaware += len(insiderRecovered(naive, org))
		}
		targets += insiderAttack(t, randomRegion(rand.New(rand.NewPCG(seed, 1))), fmt.Sprintf("table %d (seed %d)", n, seed))
	}
	t.Logf("%d tables, %d counts holding 1 to 4 of others' people, none worked out; protected as if no organisation knew where it was alone, %d were", tables, targets, unaware)
	if unaware == 0 {
		t.Fatalf("no count worked out from the groups protected as if no organisation knew where it was alone: the test shows nothing")
	}
}

// randomRegion makes a group of people recorded by two to four organisations, each of a type and
// in an area, with a cube of two or three categories and a cube by type of organisation, and
// tells the group what the directory of organisations shows: the types an area lacks, and
// where an organisation is alone.
func randomRegion(rng *rand.Rand) *Group {
	quarters, areas, types, orgs := 1+rng.IntN(2), 2+rng.IntN(2), 2+rng.IntN(2), 2+rng.IntN(3)
	g := NewGroup(DefaultRule, []int{2 + rng.IntN(2), types}, quarters, areas)
	typeOf, areaOf := make([]int, orgs), make([]int, orgs)
	for o := range orgs {
		typeOf[o], areaOf[o] = rng.IntN(types), rng.IntN(areas)
	}
	for range 10 + rng.IntN(41) {
		o := min(orgs-1, int(rng.ExpFloat64()))
		g.AddBy(o, []int{min(g.cats[0]-1, int(rng.ExpFloat64())), typeOf[o]}, rng.IntN(quarters), areaOf[o])
	}
	// matching lists the organisations that match.
	matching := func(match func(o int) bool) []int {
		var out []int
		for o := range orgs {
			if match(o) {
				out = append(out, o)
			}
		}
		return out
	}
	for a := range areas {
		if in := matching(func(o int) bool { return areaOf[o] == a }); len(in) == 1 {
			g.Alone(in[0], All, a)
		}
		for ty := range types {
			switch in := matching(func(o int) bool { return areaOf[o] == a && typeOf[o] == ty }); len(in) {
			case 0:
				g.NothingIn(1, ty, All, a)
			case 1:
				g.AloneIn(in[0], 1, ty, All, a)
			}
		}
	}
	for ty := range types {
		if in := matching(func(o int) bool { return typeOf[o] == ty }); len(in) == 1 {
			g.AloneIn(in[0], 1, ty, All, All)
		}
	}
	return g
}

// insiderAttack attacks the protected group g as each of its organisations, fails the test for
// every count holding 1 to Threshold-1 of others' people that is shown or worked out, and returns
// how many such counts there were.
func insiderAttack(t *testing.T, g *Group, name string) (targets int) {
	t.Helper()
	g.Protect()
	for org := range g.byOrg {
		for _, r := range insiderRecovered(g, org) {
			v, _ := g.at(r)
			t.Errorf("%s: organisation %d works out count %v (%d, of which %d its own)", name, org, r, v, g.byOrg[org].at(r))
		}
		for _, r := range g.refs() {
			v, st := g.at(r)
			if others := v - g.byOrg[org].at(r); others > 0 && others < g.rule.Threshold {
				targets++
				if *st == shown {
					t.Errorf("%s: count %v shown, holding %d of others' people to organisation %d", name, r, others, org)
				}
			}
		}
	}
	return targets
}

// insiderRecovered lists the counts holding 1 to Threshold-1 of others' people that organisation
// org works out from the protected group g. A group with every count withheld publishes nothing
// to work from (and the search over it is slow), so it is not searched.
func insiderRecovered(g *Group, org int) []ref {
	if allWithheld(g) {
		return nil
	}
	a := newInsider(g, org)
	var out []ref
	for _, r := range g.refs() {
		v, _ := g.at(r)
		if others := v - g.byOrg[org].at(r); others > 0 && others < g.rule.Threshold && a.recovers(r) {
			out = append(out, r)
		}
	}
	return out
}

// TestProtect_TheKeyChoosesBetweenEquals protects the same groups with one key twice and with
// another: the same key gives the same labels every time (a reader asking twice learns nothing
// new), and another key chooses other counts in some groups (so a reader without the key cannot
// re-run the choice).
func TestProtect_TheKeyChoosesBetweenEquals(t *testing.T) {
	labels := func(seed, key uint64) string {
		rule := DefaultRule
		rule.Key = key
		g := randomGroup(rand.New(rand.NewPCG(seed, 1)), rule, false, 2)
		g.Protect()
		var b strings.Builder
		for _, r := range g.refs() {
			v, st := g.at(r)
			fmt.Fprintf(&b, "%d:%d ", v, *st)
		}
		return b.String()
	}
	differ := 0
	for seed := range uint64(40) {
		first, again, other := labels(seed, 7), labels(seed, 7), labels(seed, 8)
		if first != again {
			t.Errorf("group %d: the same key gave different labels", seed)
		}
		if first != other {
			differ++
		}
	}
	if differ == 0 {
		t.Errorf("two keys chose the same counts in all 40 groups: the key decides nothing")
	}
	t.Logf("two keys chose differently in %d of 40 groups", differ)
}

func TestProtect_WhatIsShown(t *testing.T) {
	// One cube of two categories over one quarter and two areas: 3 and 9 people in area 0
	// (category 0 and 1), 6 and 6 in area 1.
	g := NewGroup(DefaultRule, []int{2}, 1, 2)
	for range 3 {
		g.Add([]int{0}, 0, 0)
	}
	for range 9 {
		g.Add([]int{1}, 0, 0)
	}
	for range 6 {
		g.Add([]int{0}, 0, 1)
		g.Add([]int{1}, 0, 1)
	}
	g.Protect()
	got := map[string]string{
		"category 0, area 0": g.Cell(0, 0, 0, 0).String(),
		"category 1, area 0": g.Cell(0, 1, 0, 0).String(),
		"total, area 0":      g.Total(0, 0).String(),
		"category 0, area 1": g.Cell(0, 0, 0, 1).String(),
		"category 1, area 1": g.Cell(0, 1, 0, 1).String(),
		"category 0, region": g.Cell(0, 0, 0, All).String(),
		"grand total":        g.Total(All, All).String(),
	}
	want := map[string]string{
		"category 0, area 0": "fewer than 5",
		"category 1, area 0": "withheld",
		"total, area 0":      "12",
		"category 0, area 1": "withheld",
		"category 1, area 1": "withheld",
		"category 0, region": "9",
		"grand total":        "24",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}

// TestProtect_RegionSizedGroupsKeepTheirFigures protects groups the size of a year in a region:
// thousands of people, eight breakdowns (one of forty nationalities, most of them rare; one of
// thirteen bands nested in one of three groups, as the ages are), four quarters and five areas,
// each with three organisations that know their own people. Every small count must be protected
// by a move, not by withholding the whole group, or the dashboard would show nothing.
func TestProtect_RegionSizedGroupsKeepTheirFigures(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	bandGroup := []int{0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2}
	for _, people := range []int{200, 1000, 5000} {
		cats := []int{8, 3, 10, 4, 41, 4, 3, 13}
		g := NewGroup(DefaultRule, cats, 4, 5)
		for range people {
			c := make([]int, len(cats))
			for k, n := range cats {
				// Skewed towards the first categories: a few common, many rare.
				c[k] = min(n-1, int(rng.ExpFloat64()*float64(n)/4))
			}
			c[1] = bandGroup[c[7]]
			// Three organisations in each area, the first recording the most.
			area := min(4, int(rng.ExpFloat64()*1.5))
			g.AddBy(area*3+min(2, int(rng.ExpFloat64())), c, rng.IntN(4), area)
		}
		if err := g.Nest(7, 1, bandGroup); err != nil {
			t.Fatal(err)
		}
		g.Protect()
		small, withheldCells, cells := 0, 0, 0
		for k := range g.cubes {
			for _, st := range g.cubeSt[k] {
				cells++
				switch st {
				case suppressed:
					small++
				case withheld:
					withheldCells++
				}
			}
		}
		if v, ok := g.Total(All, All).Value(); !ok || v != people {
			t.Errorf("%d people: the grand total reads %s", people, g.Total(All, All))
		}
		t.Logf("%d people: %d counts, %d suppressed, %d withheld", people, cells, small, withheldCells)
	}
}
