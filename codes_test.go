package waymark

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCodeLists(t *testing.T) {
	for name, set := range map[string]optionSet{"countries": countries, "languages": languages} {
		t.Run(name+" have one entry a code, in order of name", func(t *testing.T) {
			seen := map[string]bool{}
			for i, o := range set {
				if seen[o.value] {
					t.Errorf("code %q is listed twice", o.value)
				}
				seen[o.value] = true
				if o.label == "" || strings.ContainsAny(o.label, ";") {
					t.Errorf("code %q has label %q; want a plain name", o.value, o.label)
				}
				if i > 0 && sortKey(set[i-1].label) > sortKey(o.label) {
					t.Errorf("%q comes before %q; want alphabetical order", set[i-1].label, o.label)
				}
			}
		})
	}
	t.Run("countries are upper-case ISO 3166-1 alpha-2 codes", func(t *testing.T) {
		for _, o := range countries {
			if len(o.value) != 2 || strings.ToUpper(o.value) != o.value {
				t.Errorf("country code %q; want two upper-case letters", o.value)
			}
		}
	})
	t.Run("languages are lower-case ISO 639 codes of two or three letters", func(t *testing.T) {
		for _, o := range languages {
			if len(o.value) < 2 || len(o.value) > 3 || strings.ToLower(o.value) != o.value {
				t.Errorf("language code %q; want two or three lower-case letters", o.value)
			}
		}
	})
	t.Run("names are looked up by code, and an unknown code shows as itself", func(t *testing.T) {
		got := []string{CountryName("RO"), CountryName("XK"), CountryName("QQ"), LanguageName("ckb"), LanguageName("ti"), CountryName("")}
		want := []string{"Romania", "Kosovo", "QQ", "Kurdish (Sorani)", "Tigrinya", "Not recorded"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("names (-want +got):\n%s", diff)
		}
	})
}

// sortKey folds the accented first letters the lists hold (Åland, Côte) so order can be checked.
func sortKey(s string) string {
	return strings.NewReplacer("å", "a", "ô", "o", "é", "e", "ç", "c", "ā", "a").Replace(strings.ToLower(s))
}

func TestClientCodes(t *testing.T) {
	t.Run("codes in either case are written in their standard's case, once each", func(t *testing.T) {
		c := Client{GivenName: "Ana", Nationalities: []string{"ro", " MD ", "RO", ""}, Languages: []string{"RO", "ckb", "ro"}}
		if err := c.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		if diff := cmp.Diff([]string{"RO", "MD"}, c.Nationalities); diff != "" {
			t.Errorf("nationalities (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"ro", "ckb"}, c.Languages); diff != "" {
			t.Errorf("languages (-want +got):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name  string
		c     Client
		field string
	}{
		{"a country code that is not in ISO 3166-1 is refused", Client{GivenName: "A", Nationalities: []string{"ZZ"}}, "nationalities"},
		{"a three-letter country code is refused", Client{GivenName: "A", Nationalities: []string{"GBR"}}, "nationalities"},
		{"a country name is refused", Client{GivenName: "A", Nationalities: []string{"Romania"}}, "nationalities"},
		{"more than ten nationalities are refused", Client{GivenName: "A", Nationalities: strings.Fields("GB IE FR DE ES IT PT NL BE LU DK")}, "nationalities"},
		{"a language code that is not listed is refused", Client{GivenName: "A", Languages: []string{"xx"}}, "languages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.c.Validate(); ErrorFields(err)[tc.field] == "" {
				t.Fatalf("Validate = %v; want a message for %s", err, tc.field)
			}
		})
	}
	t.Run("an overseas country that is not in ISO 3166-1 is refused", func(t *testing.T) {
		e := ExploitationEpisode{Types: []string{exploitationTypes[0].value}, Location: "overseas", Countries: []string{"ro", "UK"}}
		if err := e.Validate(time.Now()); ErrorFields(err)["countries"] == "" {
			t.Fatalf("Validate = %v; want a message for countries (UK is not a code: GB is)", err)
		}
	})
}
