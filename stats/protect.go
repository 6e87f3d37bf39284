// Package stats makes the regional statistics: tables of distinct people that add up, protected
// so that no count under the threshold is shown, and none can be worked out from the figures that
// are shown (DOMAIN.md §7, SECURITY.md).
//
// Protection works on a Group: one cube per breakdown of a population, each counting the same
// people by category, quarter and area, with every total over any of those dimensions published
// too. Counts from 1 to Threshold-1 are suppressed: they read "fewer than 5", and a reader knows
// no more of them than that. Other counts may be withheld: they read "withheld", and a reader
// knows nothing of them (a withheld count may be large, small or nothing). Then, for every
// suppressed count, Protect makes sure that a second table exists that agrees with every figure
// shown and every label, but in which that count is different. The second table comes from a
// move: adding one to some hidden counts and taking one from others so that every total, of any
// dimensions, stays the same. When no move is possible among the counts already hidden, the
// cheapest one is made possible by withholding more counts (preferring small counts to totals):
// this is secondary suppression, and the moves are the proof that it is enough, whatever totals a
// reader combines. A count a move changes has another possible value, so every count hidden by
// Protect is protected too.
//
// There is more than one reader. Everyone knows what is published, which counts are nothing (a
// quarter not begun) and which tables nest (age bands within age groups). Each organisation also
// knows the people it knows of in every count, and the counts it is alone in; a count that would
// tell it of 1 to Threshold-1 people it does not know of is protected from it by a move it cannot
// rule out. Between counts equally good to withhold, a key secret to the region chooses.
package stats

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"waymark"
)

// Rule says how counts are protected.
type Rule struct {
	// Threshold is the smallest count shown as a number (apart from zero); the usual rule is 5.
	Threshold int
	// RoundTo, above 1, rounds every count shown to the nearest multiple of it.
	RoundTo int
	// Key, secret to the region, decides between counts equally good to withhold, so that a
	// reader cannot re-run the choice on tables they guess at and rule some out by it.
	Key uint64
}

// DefaultRule shows counts of 1 to 4 as "fewer than 5" and does not round.
var DefaultRule = Rule{Threshold: 5}

// Validate checks the rule.
func (r Rule) Validate() error {
	f := map[string]string{}
	if r.Threshold < 2 || r.Threshold > 100 {
		f["threshold"] = "The smallest count shown must be between 2 and 100"
	}
	switch {
	case r.RoundTo < 0 || r.RoundTo > 100:
		f["round_to"] = "Rounding must be to a multiple between 1 and 100, or 0 for none"
	case r.Threshold >= 2 && r.RoundTo > 2*r.Threshold:
		// A shown count is at least the threshold; rounded to a multiple more than twice that,
		// it could read 0, as if there were nobody.
		f["round_to"] = fmt.Sprintf("Rounding must be to a multiple no more than twice the smallest count shown (%d), or small counts would read 0", 2*r.Threshold)
	}
	if len(f) > 0 {
		return waymark.Invalid(f)
	}
	return nil
}

type state uint8

const (
	shown state = iota
	suppressed
	withheld
)

// Cell is one protected count. Its true value is only ever given when it is shown.
type Cell struct {
	n         int
	st        state
	threshold int
	roundTo   int
}

// Suppressed reports whether the count is too small to show.
func (c Cell) Suppressed() bool { return c.st == suppressed }

// Withheld reports whether the count is held back because it would give a small one away.
func (c Cell) Withheld() bool { return c.st == withheld }

// Hidden reports whether the count is not shown as a number.
func (c Cell) Hidden() bool { return c.st != shown }

// Value is the count as shown (rounded when the rule rounds), and false when it is hidden.
func (c Cell) Value() (int, bool) {
	if c.st != shown {
		return 0, false
	}
	if c.roundTo > 1 {
		return (c.n + c.roundTo/2) / c.roundTo * c.roundTo, true
	}
	return c.n, true
}

// String is the count as a report shows it.
func (c Cell) String() string {
	switch c.st {
	case suppressed:
		return "fewer than " + strconv.Itoa(c.threshold)
	case withheld:
		return "withheld"
	}
	v, _ := c.Value()
	return strconv.Itoa(v)
}

// ShareOf is c as a whole percentage of total, such as "40%", or "" when either is hidden or the
// total is zero.
func (c Cell) ShareOf(total Cell) string {
	v, ok := c.Value()
	t, tok := total.Value()
	if !ok || !tok || t <= 0 {
		return ""
	}
	return strconv.Itoa((200*v+t)/(2*t)) + "%"
}

// MarshalJSON writes a shown count as a number and a hidden one as its words.
func (c Cell) MarshalJSON() ([]byte, error) {
	if v, ok := c.Value(); ok {
		return json.Marshal(v)
	}
	return json.Marshal(c.String())
}

// Group is the linked tables of one population: one cube per breakdown, each counting people by
// category and by the shared dimensions (here quarter and area), with every total. Totals over
// categories are the same in every cube and held once, as the face.
type Group struct {
	rule   Rule
	cats   []int
	sizes  []int
	stride []int
	faceN  int
	face   []int
	faceSt []state
	cubes  [][]int
	cubeSt [][]state
	// nothing holds the counts a reader knows are nothing (see Nothing), which no move changes.
	nothing map[ref]bool
	// nests holds, for a cube whose categories roll up into another cube's, how (see Nest).
	nests map[int]nest
	// byOrg holds the people each organisation knows of (see AddBy and KnownTo), and alone the
	// counts in which it knows nobody else can be (see Alone). floor and fixed are those of the reader being
	// protected against: nil for everyone, who knows neither.
	byOrg []*tally
	alone []map[ref]bool
	floor *tally
	fixed map[ref]bool
	// moves are the moves made so far, each in its direction.
	moves []move
}

// move is one move, whose steps change by dir times their sign.
type move struct {
	steps []step
	dir   int
}

// nest says that cube child's categories roll up into cube parent's: parentOf[c] is the parent
// category of child category c.
type nest struct {
	child, parent int
	parentOf      []int
}

// NewGroup makes a group of cubes with cats[k] categories each, over shared dimensions of the
// sizes given.
func NewGroup(rule Rule, cats []int, sizes ...int) *Group {
	g := &Group{rule: rule, cats: cats, sizes: sizes, stride: make([]int, len(sizes)), faceN: 1, nothing: map[ref]bool{}, nests: map[int]nest{}}
	for j := len(sizes) - 1; j >= 0; j-- {
		g.stride[j] = g.faceN
		g.faceN *= sizes[j] + 1
	}
	g.face, g.faceSt = make([]int, g.faceN), make([]state, g.faceN)
	for _, n := range cats {
		g.cubes = append(g.cubes, make([]int, n*g.faceN))
		g.cubeSt = append(g.cubeSt, make([]state, n*g.faceN))
	}
	return g
}

// Add counts one person: category cats[k] in cube k, at the shared coordinates given.
func (g *Group) Add(cats []int, coords ...int) { g.count(g.face, g.cubes, cats, coords) }

// AddBy counts one person as Add does, recorded by organisation org (numbered from 0). An
// organisation knows how many of its own people every count holds; Protect allows for that, so
// that no organisation can take its own people from a count and be left with a small one.
func (g *Group) AddBy(org int, cats []int, coords ...int) {
	g.reader(org)
	g.count(g.byOrg[org].face, g.byOrg[org].cubes, cats, coords)
	g.Add(cats, coords...)
}

// KnownTo records that organisation org knows of a person counted under another organisation
// (added with AddBy) as if they were its own: it holds a record of them too, or one was shared
// with it. The organisation's knowledge grows; the counts do not.
func (g *Group) KnownTo(org int, cats []int, coords ...int) {
	g.reader(org)
	g.count(g.byOrg[org].face, g.byOrg[org].cubes, cats, coords)
}

// Alone records that nobody but organisation org's people can be counted at the shared
// coordinates given (All for every value of a dimension and its total): it is the only
// organisation in an area, say. That organisation knows those counts exactly, whether or not it
// has people in the group, so no move made for it changes them.
func (g *Group) Alone(org int, coords ...int) {
	g.reader(org)
	g.eachUnder(coords, func(s int) {
		g.alone[org][ref{-1, s}] = true
		for k := range g.cubes {
			for cat := range g.cats[k] {
				g.alone[org][ref{k, cat*g.faceN + s}] = true
			}
		}
	})
}

// AloneIn records the same of cube k's category c alone: the only organisation of a type in an
// area knows that type's count there.
func (g *Group) AloneIn(org, k, c int, coords ...int) {
	g.reader(org)
	g.eachUnder(coords, func(s int) { g.alone[org][ref{k, c*g.faceN + s}] = true })
}

// reader makes sure organisation org is one of the readers protected against.
func (g *Group) reader(org int) {
	for len(g.byOrg) <= org {
		t := &tally{face: make([]int, g.faceN)}
		for _, n := range g.cats {
			t.cubes = append(t.cubes, make([]int, n*g.faceN))
		}
		g.byOrg = append(g.byOrg, t)
		g.alone = append(g.alone, map[ref]bool{})
	}
}

// tally is counts laid out as a group's: the totals over categories, and each cube's.
type tally struct {
	face  []int
	cubes [][]int
}

// at is the count r, or nothing for a nil tally (what everyone knows of an organisation's people).
func (t *tally) at(r ref) int {
	if t == nil {
		return 0
	}
	if r.k < 0 {
		return t.face[r.i]
	}
	return t.cubes[r.k][r.i]
}

// count adds one person to every count that holds them.
func (g *Group) count(face []int, cubes [][]int, cats, coords []int) {
	for mask := 0; mask < 1<<len(g.sizes); mask++ {
		s := 0
		for j, c := range coords {
			if mask&(1<<j) != 0 {
				c = g.sizes[j]
			}
			s += c * g.stride[j]
		}
		face[s]++
		for k, c := range cats {
			cubes[k][c*g.faceN+s]++
		}
	}
}

// Nest records that cube child's categories roll up into cube parent's, parentOf[c] being the
// parent category of child category c, so that every count of the parent cube is the sum of
// its child categories' counts, as a reader can tell (age bands within age groups). Every move
// then keeps those sums. A cube is in one nesting at most. It is an error if the counts added do
// not roll up so.
func (g *Group) Nest(child, parent int, parentOf []int) error {
	if len(parentOf) != g.cats[child] {
		return fmt.Errorf("stats: %d parent categories for %d child categories", len(parentOf), g.cats[child])
	}
	for c, p := range parentOf {
		if p < 0 || p >= g.cats[parent] {
			return fmt.Errorf("stats: child category %d has no parent", c)
		}
	}
	for s := range g.faceN {
		sums := make([]int, g.cats[parent])
		for c, p := range parentOf {
			sums[p] += g.cubes[child][c*g.faceN+s]
		}
		for p, n := range sums {
			if g.cubes[parent][p*g.faceN+s] != n {
				return fmt.Errorf("stats: cube %d's category %d is not the sum of cube %d's categories under it", parent, p, child)
			}
		}
	}
	if _, ok := g.nests[child]; ok {
		return fmt.Errorf("stats: cube %d is already nested", child)
	}
	if _, ok := g.nests[parent]; ok {
		return fmt.Errorf("stats: cube %d is already nested", parent)
	}
	n := nest{child: child, parent: parent, parentOf: parentOf}
	g.nests[child], g.nests[parent] = n, n
	return nil
}

// Nothing records that a reader knows there is nobody at the shared coordinates given (All for
// every value of a dimension and its total): a quarter that has not begun, say. No move changes
// those counts, in any cube, for a move that did would prove nothing to that reader. A count that
// is not nothing is left out: then the reader's belief is wrong, and nothing is given away by it.
func (g *Group) Nothing(coords ...int) {
	g.eachUnder(coords, func(s int) {
		if g.face[s] == 0 {
			g.nothing[ref{-1, s}] = true
		}
		for k := range g.cubes {
			g.nothingAt(k, -1, s)
		}
	})
}

// NothingIn records the same of cube k's category c alone (every category when c < 0) at the
// shared coordinates given: no organisation of a type in an area, say.
func (g *Group) NothingIn(k, c int, coords ...int) {
	g.eachUnder(coords, func(s int) { g.nothingAt(k, c, s) })
}

// nothingAt marks cube k's counts of category c (every category when c < 0) at face index s that
// are nothing.
func (g *Group) nothingAt(k, c, s int) {
	for cat := range g.cats[k] {
		if i := cat*g.faceN + s; (c < 0 || cat == c) && g.cubes[k][i] == 0 {
			g.nothing[ref{k, i}] = true
		}
	}
}

// eachUnder calls f with the face index of every shared coordinate that coords names, All in
// coords standing for every value of that dimension and its total.
func (g *Group) eachUnder(coords []int, f func(s int)) {
	for s := range g.faceN {
		in := true
		for j, c := range coords {
			if c != All && (s/g.stride[j])%(g.sizes[j]+1) != c {
				in = false
			}
		}
		if in {
			f(s)
		}
	}
}

// index is the face index of shared coordinates, All standing for the total over a dimension.
func (g *Group) index(coords []int) int {
	s := 0
	for j, c := range coords {
		if c == All {
			c = g.sizes[j]
		}
		s += c * g.stride[j]
	}
	return s
}

func (g *Group) cell(n int, st state) Cell {
	return Cell{n: n, st: st, threshold: g.rule.Threshold, roundTo: g.rule.RoundTo}
}

// Total is the count over every category at the shared coordinates (All for a whole dimension).
func (g *Group) Total(coords ...int) Cell {
	s := g.index(coords)
	return g.cell(g.face[s], g.faceSt[s])
}

// Cell is cube k's count of category c (All for the total) at the shared coordinates.
func (g *Group) Cell(k, c int, coords ...int) Cell {
	if c == All {
		return g.Total(coords...)
	}
	i := c*g.faceN + g.index(coords)
	return g.cell(g.cubes[k][i], g.cubeSt[k][i])
}

// ref names a count: cube k's cell i, or the face's cell i when k is -1.
type ref struct{ k, i int }

type step struct {
	ref
	sign int
}

func (g *Group) at(r ref) (int, *state) {
	if r.k < 0 {
		return g.face[r.i], &g.faceSt[r.i]
	}
	return g.cubes[r.k][r.i], &g.cubeSt[r.k][r.i]
}

// Protect suppresses the small counts and withholds what is needed to protect them, from
// everyone and from each organisation, which also knows its own people in every count (AddBy).
// Every count that would tell a reader 1 to Threshold-1 of other people needs a move that is
// possible to that reader: one that takes no count below zero, or below that organisation's own
// people there, and changes none it knows exactly (Alone). A move made for one reader serves
// every other it is possible to.
func (g *Group) Protect() {
	g.suppressSmall()
	defer func() { g.floor, g.fixed = nil, nil }()
	for reader := -1; reader < len(g.byOrg); reader++ {
		g.floor, g.fixed = nil, nil
		if reader >= 0 {
			g.floor, g.fixed = g.byOrg[reader], g.alone[reader]
		}
		proved := map[ref]bool{}
		for _, m := range g.moves {
			if g.possible(m) {
				for _, s := range m.steps {
					proved[s.ref] = true
				}
			}
		}
		for _, r := range g.refs() {
			if proved[r] || !g.toldTo(g.floor, r) {
				continue
			}
			steps, dir := g.bestMove(r)
			if steps == nil {
				g.withholdAll()
				return
			}
			for _, s := range steps {
				v, st := g.at(s.ref)
				if after := v + dir*s.sign; *st == shown || (*st == suppressed && (after < 1 || after >= g.rule.Threshold)) {
					*st = withheld
				}
				proved[s.ref] = true
			}
			g.moves = append(g.moves, move{steps, dir})
		}
	}
}

// toldTo reports whether the count r, were it shown, would tell the reader (nil for everyone)
// 1 to Threshold-1 people other than its own.
func (g *Group) toldTo(reader *tally, r ref) bool {
	v, _ := g.at(r)
	others := v - reader.at(r)
	return others > 0 && others < g.rule.Threshold
}

// possible reports whether a move made earlier is possible to the reader being protected against.
func (g *Group) possible(m move) bool {
	for _, s := range m.steps {
		v, _ := g.at(s.ref)
		if m.dir*s.sign < 0 && v+m.dir*s.sign < g.floor.at(s.ref) || g.fixed[s.ref] {
			return false
		}
	}
	return true
}

// refs lists every count of the group, totals over categories first.
func (g *Group) refs() []ref {
	out := make([]ref, 0, len(g.face)*(1+len(g.cubes)))
	for i := range g.face {
		out = append(out, ref{-1, i})
	}
	for k := range g.cubes {
		for i := range g.cubes[k] {
			out = append(out, ref{k, i})
		}
	}
	return out
}

// suppressSmall marks the counts under the threshold suppressed, and withholds those that would
// tell some organisation, once it took its own people from them, 1 to Threshold-1 of others'.
func (g *Group) suppressSmall() {
	for _, r := range g.refs() {
		v, st := g.at(r)
		switch {
		case v > 0 && v < g.rule.Threshold:
			*st = suppressed
		case slices.ContainsFunc(g.byOrg, func(t *tally) bool { return g.toldTo(t, r) }):
			*st = withheld
		}
	}
}

// withholdAll withholds every count of the group, zeros and small ones too, so that a reader
// knows nothing of any but that it is a whole number: the last resort when some small count has
// no move to protect it (in practice a group of very few people spread thinly).
func (g *Group) withholdAll() {
	for i := range g.faceSt {
		g.faceSt[i] = withheld
	}
	for k := range g.cubeSt {
		for i := range g.cubeSt[k] {
			g.cubeSt[k][i] = withheld
		}
	}
}

// cost is what changing the count by delta in a move costs: nothing when it is hidden and stays
// within what a reader knows of it; a little when a suppressed count must be withheld instead
// (it would leave 1 to Threshold-1); more when a shown count must be withheld (a total more than
// a count, a zero more than a count), and between counts alike a jitter set by the rule's key,
// not by how many people they hold. ok is false when the move is impossible: no count goes
// below zero, or below the people one organisation knows it has there, and none a reader knows is
// nothing changes.
func (g *Group) cost(r ref, delta int) (float64, bool) {
	v, st := g.at(r)
	if delta < 0 && v+delta < g.floor.at(r) || delta != 0 && (g.nothing[r] || g.fixed[r]) {
		return 0, false
	}
	switch *st {
	case suppressed:
		if v+delta >= 1 && v+delta < g.rule.Threshold {
			return 0, true
		}
		return 0.5, true
	case withheld:
		return 0, true
	}
	totals := 0
	if r.k < 0 {
		totals++
	}
	for j := range g.sizes {
		if (r.i%g.faceN/g.stride[j])%(g.sizes[j]+1) == g.sizes[j] {
			totals++
		}
	}
	cost := 1 + 4*float64(totals) + g.jitter(r)*1e-3
	if v == 0 {
		cost++
	}
	return cost, true
}

// jitter is a number from 0 to 1 fixed for the count r by the rule's key, and nothing else: it
// breaks ties between counts equally good to withhold without a reader being able to tell how.
func (g *Group) jitter(r ref) float64 {
	x := g.rule.Key ^ uint64(r.k+1)<<40 ^ uint64(r.i)
	// splitmix64's finaliser.
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// corner is one corner of a box over the shared dimensions: its face index and sign.
type corner struct{ i, sign int }

// boxes calls f with the corners of every box over the shared dimensions that has the face cell
// s as its first corner.
func (g *Group) boxes(s int, f func([]corner)) {
	d := len(g.sizes)
	coords := make([]int, d)
	for j := range d {
		coords[j] = (s / g.stride[j]) % (g.sizes[j] + 1)
	}
	partner := make([]int, d)
	corners := make([]corner, 1<<d)
	var rec func(j int)
	rec = func(j int) {
		if j == d {
			for mask := range corners {
				i, sign := 0, 1
				for j := range d {
					c := coords[j]
					if mask&(1<<j) != 0 {
						c = partner[j]
						if coords[j] != g.sizes[j] && partner[j] != g.sizes[j] {
							sign = -sign
						}
					}
					i += c * g.stride[j]
				}
				corners[mask] = corner{i, sign}
			}
			f(corners)
			return
		}
		for p := 0; p <= g.sizes[j]; p++ {
			if p != coords[j] {
				partner[j] = p
				rec(j + 1)
			}
		}
	}
	rec(0)
}

// bestMove finds the cheapest move that changes the count r, and its direction (each step's
// count changes by dir times its sign), or nil when none can.
func (g *Group) bestMove(r ref) ([]step, int) {
	best, bestCost, bestDir := []step(nil), 0.0, 0
	consider := func(m []step) {
		for _, dir := range []int{1, -1} {
			total, ok := 0.0, true
			for _, s := range m {
				c, cok := g.cost(s.ref, dir*s.sign)
				if !cok {
					ok = false
					break
				}
				total += c
			}
			if ok && (best == nil || total < bestCost) {
				best, bestCost, bestDir = append([]step(nil), m...), total, dir
			}
		}
	}
	s, b := r.i%g.faceN, r.i/g.faceN
	g.boxes(s, func(corners []corner) {
		// A move within one cube, between two categories, carried into the cube it nests with
		// when the two are under different parents.
		if r.k >= 0 {
			for other := range g.cats[r.k] {
				if other == b {
					continue
				}
				n, nested := g.nests[r.k]
				switch {
				case !nested:
					consider(g.swap(nil, r.k, b, other, corners))
				case n.child == r.k:
					m := g.swap(nil, r.k, b, other, corners)
					if pb, po := n.parentOf[b], n.parentOf[other]; pb != po {
						m = g.swap(m, n.parent, pb, po, corners)
					}
					consider(m)
				default:
					// Between two parent categories: one child category of each moves too.
					for cb, pb := range n.parentOf {
						for co, po := range n.parentOf {
							if pb == b && po == other {
								consider(g.swap(g.swap(nil, r.k, b, other, corners), n.child, cb, co, corners))
							}
						}
					}
				}
			}
		}
		// A move of the totals over categories, carried in every cube by one category each.
		for _, dir := range []int{1, -1} {
			m, total, ok := g.jointMove(r, b, corners, dir)
			if ok && (best == nil || total < bestCost) {
				best, bestCost, bestDir = m, total, dir
			}
		}
	})
	return best, bestDir
}

// swap adds to m the steps that move cube k's count from category from to category to at the
// corners of a box.
func (g *Group) swap(m []step, k, from, to int, corners []corner) []step {
	for _, c := range corners {
		m = append(m, step{ref{k, from*g.faceN + c.i}, c.sign}, step{ref{k, to*g.faceN + c.i}, -c.sign})
	}
	return m
}

// jointMove is the cheapest move in direction dir that changes the totals over categories at the
// corners, and in each cube the category whose counts there are cheapest to change (in the cube
// of r, the category b of r). ok is false when there is none.
func (g *Group) jointMove(r ref, b int, corners []corner, dir int) ([]step, float64, bool) {
	total := 0.0
	m := make([]step, 0, len(corners)*(len(g.cubes)+1))
	for _, c := range corners {
		cost, ok := g.cost(ref{-1, c.i}, dir*c.sign)
		if !ok {
			return nil, 0, false
		}
		total += cost
		m = append(m, step{ref{-1, c.i}, c.sign})
	}
	// at is what changing category cat of cube k at the corners costs, and ok.
	at := func(k, cat int) (float64, bool) {
		cost := 0.0
		for _, c := range corners {
			cc, ok := g.cost(ref{k, cat*g.faceN + c.i}, dir*c.sign)
			if !ok {
				return 0, false
			}
			cost += cc
		}
		return cost, true
	}
	add := func(k, cat int) {
		for _, c := range corners {
			m = append(m, step{ref{k, cat*g.faceN + c.i}, c.sign})
		}
	}
	for k := range g.cubes {
		n, nested := g.nests[k]
		if nested && n.parent == k {
			continue // moved with its child cube
		}
		pick, pickCost := -1, 0.0
		for cat := range g.cats[k] {
			if r.k == k && cat != b || nested && r.k == n.parent && n.parentOf[cat] != b {
				continue
			}
			cost, ok := at(k, cat)
			if nested && ok {
				var pc float64
				pc, ok = at(n.parent, n.parentOf[cat])
				cost += pc
			}
			if ok && (pick < 0 || cost < pickCost) {
				pick, pickCost = cat, cost
			}
		}
		if pick < 0 {
			return nil, 0, false
		}
		total += pickCost
		add(k, pick)
		if nested {
			add(n.parent, n.parentOf[pick])
		}
	}
	return m, total, true
}
