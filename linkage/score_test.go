package linkage_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"waymark/linkage"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func TestScore(t *testing.T) {
	tests := []struct {
		name  string
		a, b  linkage.Person
		match bool
	}{
		{
			name:  "order swapped matches",
			a:     linkage.Person{Names: []string{"Ionuț Popescu"}, DateOfBirth: "1990-04-23"},
			b:     linkage.Person{Names: []string{"POPESCU Ionut"}, DateOfBirth: "1990-04-23"},
			match: true,
		},
		{
			name:  "alias matches",
			a:     linkage.Person{Names: []string{"Andrei Popa", "Marius Lupu"}, DateOfBirth: "1996-02-11"},
			b:     linkage.Person{Names: []string{"Marius Lupu"}, DateOfBirth: "1996-02-11"},
			match: true,
		},
		{
			name:  "alias matches without a date of birth",
			a:     linkage.Person{Names: []string{"Andrei Popa", "Marius Lupu"}},
			b:     linkage.Person{Names: []string{"Lupu Marius"}},
			match: true,
		},
		{
			name:  "different date of birth does not match",
			a:     linkage.Person{Names: []string{"John Smith"}, DateOfBirth: "1980-01-01"},
			b:     linkage.Person{Names: []string{"John Smith"}, DateOfBirth: "1995-07-19"},
			match: false,
		},
		{
			name:  "spelling variants with a mistyped date match",
			a:     linkage.Person{Names: []string{"Mohammed Ali"}, DateOfBirth: "1990-04-23"},
			b:     linkage.Person{Names: []string{"Muhammad Aly"}, DateOfBirth: "1990-04-24"},
			match: true,
		},
		{
			name:  "day and month swapped match",
			a:     linkage.Person{Names: []string{"Katarzyna Wójcik"}, DateOfBirth: "1988-03-07"},
			b:     linkage.Person{Names: []string{"Katarina Wojcik"}, DateOfBirth: "1988-07-03"},
			match: true,
		},
		{
			name:  "transliteration from cyrillic matches",
			a:     linkage.Person{Names: []string{"Олександр Шевченко"}, DateOfBirth: "1988"},
			b:     linkage.Person{Names: []string{"Aleksandr Shevchenko"}, DateOfBirth: "1988-10-02"},
			match: true,
		},
		{
			name:  "missing middle name matches",
			a:     linkage.Person{Names: []string{"Maria Elena Popescu"}},
			b:     linkage.Person{Names: []string{"Maria Popescu"}},
			match: true,
		},
		{
			name:  "hyphenated and joined names match",
			a:     linkage.Person{Names: []string{"Jean-Luc Martin"}},
			b:     linkage.Person{Names: []string{"Jeanluc Martin"}},
			match: true,
		},
		{
			name:  "estimated age near the year of birth matches",
			a:     linkage.Person{Names: []string{"Yusuf Ahmadi"}, DateOfBirth: "1996"},
			b:     linkage.Person{Names: []string{"Yousef Ahmadi"}, Age: 31},
			match: true,
		},
		{
			name:  "estimated age far from the year of birth does not match",
			a:     linkage.Person{Names: []string{"Yusuf Ahmadi"}, DateOfBirth: "1996"},
			b:     linkage.Person{Names: []string{"Yousef Ahmadi"}, Age: 60},
			match: false,
		},
		{
			name:  "same surname different person does not match",
			a:     linkage.Person{Names: []string{"Ana Popescu"}, DateOfBirth: "1990-01-01"},
			b:     linkage.Person{Names: []string{"Ion Popescu"}, DateOfBirth: "1962-05-05"},
			match: false,
		},
		{
			name:  "one shared name without a date does not match",
			a:     linkage.Person{Names: []string{"Popescu"}},
			b:     linkage.Person{Names: []string{"Ana Popescu"}},
			match: false,
		},
		{
			name:  "one shared name with the same full date matches",
			a:     linkage.Person{Names: []string{"Popescu"}, DateOfBirth: "1990-01-01"},
			b:     linkage.Person{Names: []string{"Ana Popescu"}, DateOfBirth: "1990-01-01"},
			match: true,
		},
		{
			name:  "unrelated names do not match",
			a:     linkage.Person{Names: []string{"Olga Ivanova"}, DateOfBirth: "1985-06-01"},
			b:     linkage.Person{Names: []string{"Anna Kowalska"}, DateOfBirth: "1985-06-01"},
			match: false,
		},
		{
			name:  "no names do not match on a date alone",
			a:     linkage.Person{DateOfBirth: "1985-06-01"},
			b:     linkage.Person{Names: []string{""}, DateOfBirth: "1985-06-01"},
			match: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linkage.Score(tt.a, tt.b, now)
			if got < 0 || got > 1 {
				t.Fatalf("Score = %v, want 0..1", got)
			}
			if (got > linkage.Match) != tt.match {
				t.Errorf("Score(%+v, %+v) = %.3f; above Match (%.2f) = %v, want %v", tt.a, tt.b, got, linkage.Match, got > linkage.Match, tt.match)
			}
			if back := linkage.Score(tt.b, tt.a, now); back != got {
				t.Errorf("Score is not symmetric: %.3f one way, %.3f the other", got, back)
			}
		})
	}
}

// TestScoreRanksDates checks that, for one pair of partly agreeing names (so that no score reaches 1), the score falls as the dates of birth agree
// less: same date, a typo, a year and month, a year, an estimated age, unknown, close, clearly
// different.
func TestScoreRanksDates(t *testing.T) {
	base := linkage.Person{Names: []string{"Ionut Popescu"}, DateOfBirth: "1990-04-23"}
	other := func(dob string, age int) linkage.Person {
		return linkage.Person{Names: []string{"Ionuț Popovici"}, DateOfBirth: dob, Age: age}
	}
	ranked := []struct {
		name string
		b    linkage.Person
	}{
		{"same full date", other("1990-04-23", 0)},
		{"one digit wrong", other("1990-04-28", 0)},
		{"same year and month", other("1990-04", 0)},
		{"same year", other("1990", 0)},
		{"estimated age near", other("", 36)},
		{"unknown", other("", 0)},
		{"within two years", other("1991-09-02", 0)},
		{"clearly different", other("1975-11-30", 0)},
	}
	prev := 2.0
	for _, r := range ranked {
		got := linkage.Score(base, r.b, now)
		if got > prev {
			t.Errorf("%s scores %.3f, more than the better agreement before it (%.3f)", r.name, got, prev)
		}
		t.Logf("%-20s %.3f", r.name, got)
		prev = got
	}
}

func BenchmarkScore(b *testing.B) {
	x := linkage.Person{Names: []string{"Ștefan-Ionuț Popescu", "Nelu"}, DateOfBirth: "1990-04-23"}
	y := linkage.Person{Names: []string{"Stefan Ionut Popesku"}, DateOfBirth: "1990-04-24"}
	for b.Loop() {
		linkage.Score(x, y, now)
	}
}

// TestLongInput guards against quadratic work on pathological input (a pasted document in a name
// field): Keys deduplicates tens of thousands of tokens, and Score compares bounded tokens. Either
// used to take seconds here.
func TestLongInput(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 200_000; i++ {
		fmt.Fprintf(&b, "name%d ", i)
	}
	b.WriteString(strings.Repeat("x", 100_000))
	long := b.String()
	if keys := linkage.Keys(long); len(keys) < 20_000 {
		t.Errorf("Keys gave %d keys, want one or two per token", len(keys))
	}
	p := linkage.Person{Names: []string{long, long}}
	if s := linkage.Score(p, p, now); s != 1 {
		t.Errorf("Score of a record with itself = %v, want 1", s)
	}
	if s := linkage.Score(p, linkage.Person{Names: []string{long[1:]}}, now); s < 0 || s > 1 {
		t.Errorf("Score = %v, want 0..1", s)
	}
}
