package linkage_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"waymark/linkage"
)

var fuzzNames = []string{
	"  Ștefan-Ionuț  POPESCU ", "Łukasz Wójcik", "Nguyễn Văn Đức", "O'Brien", "Jean-Luc", "Müller",
	"Ørsted", "Олександр Шевченко", "Сергій", "ΕΥΆΓΓΕΛΟΣ", "مُحَمَّد", "ＡＨＭＥＤ", "Ste\u0301phane",
	"Zo\u200be", "ǅemal", "İbrahim", "ẞ", "\xff\xfe", "a\u0301 \u0301b", "", " ", "x",
}

// FuzzNormalize: Normalize never panics, is idempotent, and its output is trimmed, valid UTF-8, has
// single spaces and no upper-case ASCII.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := linkage.Normalize(s)
		if again := linkage.Normalize(n); again != n {
			t.Errorf("Normalize is not idempotent: %q → %q → %q", s, n, again)
		}
		if n != strings.TrimSpace(n) || strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") {
			t.Errorf("Normalize(%q) = %q has leading or trailing space", s, n)
		}
		if strings.Contains(n, "  ") {
			t.Errorf("Normalize(%q) = %q has a double space", s, n)
		}
		if strings.ContainsFunc(n, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
			t.Errorf("Normalize(%q) = %q has upper-case ASCII", s, n)
		}
		if !utf8.ValidString(n) {
			t.Errorf("Normalize(%q) = %q is not valid UTF-8", s, n)
		}
	})
}

// FuzzKeys: Keys and SoundKey never panic; every key is short ASCII without spaces, and they do not
// change when the input is normalized first.
func FuzzKeys(f *testing.F) {
	for _, s := range fuzzNames {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys := linkage.Keys(s)
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "" || len(k) > 32 || strings.ContainsFunc(k, func(r rune) bool { return r > '~' || r <= ' ' }) {
				t.Errorf("Keys(%q) has key %q, want 1 to 32 printable ASCII characters without spaces", s, k)
			}
			if seen[k] {
				t.Errorf("Keys(%q) = %q repeats %q", s, keys, k)
			}
			seen[k] = true
		}
		n := linkage.Normalize(s)
		if diff := cmp.Diff(keys, linkage.Keys(n)); diff != "" {
			t.Errorf("Keys changes when %q is normalized first (-raw +normalized):\n%s", s, diff)
		}
		sk := linkage.SoundKey(s)
		if len(sk) > 8 || strings.Trim(sk, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("SoundKey(%q) = %q, want at most 8 letters a-z", s, sk)
		}
		if again := linkage.SoundKey(n); again != sk {
			t.Errorf("SoundKey(%q) = %q but SoundKey(Normalize) = SoundKey(%q) = %q", s, sk, n, again)
		}
		if again := linkage.SoundKey(linkage.Normalize(n)); again != sk {
			t.Errorf("SoundKey of %q is not stable: %q then %q", s, sk, again)
		}
	})
}

// FuzzScore: Score never panics, stays within 0..1 and is symmetric.
func FuzzScore(f *testing.F) {
	f.Add("Ștefan-Ionuț Popescu", "1990-04-23", 0, "Stefan Popesku|Nelu", "1990-04", 35)
	f.Add("", "", 0, "|", "9999-99-99", -1)
	f.Fuzz(func(t *testing.T, namesA, dobA string, ageA int, namesB, dobB string, ageB int) {
		a := linkage.Person{Names: strings.Split(namesA, "|"), DateOfBirth: dobA, Age: ageA}
		b := linkage.Person{Names: strings.Split(namesB, "|"), DateOfBirth: dobB, Age: ageB}
		s := linkage.Score(a, b, now)
		if !(s >= 0 && s <= 1) {
			t.Errorf("Score = %v, want 0..1", s)
		}
		if back := linkage.Score(b, a, now); back != s {
			t.Errorf("Score is not symmetric: %v one way, %v the other", s, back)
		}
	})
}
