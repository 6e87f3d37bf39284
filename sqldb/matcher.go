package sqldb

import (
	"strings"
	"time"

	"waymark"
)

// plainMatcher is the name matcher when none is configured: whole words, ignoring case only.
// Waymark's binary configures package linkage's, which also folds accents and spelling variants.
type plainMatcher struct{}

func (plainMatcher) Normalize(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ")
}

func (p plainMatcher) Keys(name string) []string { return strings.Fields(p.Normalize(name)) }

// Score is the share of the shorter name's words found in the longer name.
func (p plainMatcher) Score(a, b *waymark.Client, _ time.Time) float64 {
	best := 0.0
	for _, x := range clientNames(a) {
		for _, y := range clientNames(b) {
			xs, ys := p.Keys(x), p.Keys(y)
			if len(xs) == 0 || len(ys) == 0 {
				continue
			}
			set := map[string]bool{}
			for _, w := range ys {
				set[w] = true
			}
			n := 0
			for _, w := range xs {
				if set[w] {
					n++
				}
			}
			best = max(best, float64(n)/float64(min(len(xs), len(ys))))
		}
	}
	return best
}

func (plainMatcher) Threshold() float64 { return 0.5 }
