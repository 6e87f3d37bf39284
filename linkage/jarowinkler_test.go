package linkage_test

import (
	"math"
	"testing"

	"waymark/linkage"
)

func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		// Published values (Winkler 1990; the usual textbook examples).
		{"transposition scores high", "MARTHA", "MARHTA", 0.9611},
		{"similar names score high", "DWAYNE", "DUANE", 0.84},
		{"longer variant scores high", "DIXON", "DICKSONX", 0.8133},
		{"equal strings score one", "popescu", "popescu", 1},
		{"both empty score one", "", "", 1},
		{"one empty scores zero", "ana", "", 0},
		{"nothing in common scores zero", "abc", "xyz", 0},
		{"runes are compared not bytes", "ștefan", "ștefan", 1},
		{"accented rune counts once", "josé", "jose", 0.8833},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linkage.JaroWinkler(tt.a, tt.b)
			if math.Abs(got-tt.want) > 0.0001 {
				t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.4f", tt.a, tt.b, got, tt.want)
			}
			if back := linkage.JaroWinkler(tt.b, tt.a); back != got {
				t.Errorf("JaroWinkler is not symmetric: %.4f one way, %.4f the other", got, back)
			}
		})
	}
}
