package linkage

import (
	"time"

	"waymark"
)

// Matcher is the waymark.NameMatcher the stores use to search for clients: it folds names with
// Normalize, indexes them by Keys, and scores candidates with Score.
type Matcher struct{}

// Normalize folds a name for comparison; see the package function.
func (Matcher) Normalize(name string) string { return Normalize(name) }

// Keys returns a name's search keys; see the package function.
func (Matcher) Keys(name string) []string { return Keys(name) }

// Score compares two client records by all their names and their date of birth or age.
func (Matcher) Score(a, b *waymark.Client, now time.Time) float64 {
	return Score(person(a), person(b), now)
}

// Threshold is Match: the score from which a record is shown as a possible match.
func (Matcher) Threshold() float64 { return Match }

func person(c *waymark.Client) Person {
	names := []string{c.GivenName + " " + c.FamilyName}
	return Person{Names: append(names, c.KnownAs...), DateOfBirth: c.DateOfBirth, Age: c.EstimatedAge}
}

var _ waymark.NameMatcher = Matcher{}
