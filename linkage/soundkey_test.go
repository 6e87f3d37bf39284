package linkage_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"waymark/linkage"
)

func TestSoundKeyGroupsShareAKey(t *testing.T) {
	groups := []struct {
		name     string
		variants []string
	}{
		{"mohammed variants share a key", []string{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhamed", "Mohamad", "Muhammed"}},
		{"alexander variants share a key", []string{"Aleksandr", "Alexander", "Oleksandr", "Aleksander", "Olexandr", "Олександр", "Александр"}},
		{"nguyen variants share a key", []string{"Nguyen", "Nguyễn", "Ngyuen"}},
		{"mikhail variants share a key", []string{"Mikhail", "Mihail", "Michael", "Mykhailo", "Михаил"}},
		{"yusuf variants share a key", []string{"Yusuf", "Yousef", "Youssef", "Jusuf", "Yousif"}},
		{"ahmed variants share a key", []string{"Ahmed", "Ahmad", "Achmed", "Ahmet"}},
		{"ionut variants share a key", []string{"Ionut", "Ionuț", "Ionuţ", "IONUT"}},
		{"stefan variants share a key", []string{"Stefan", "Ștefan", "Stephan", "Ştefan"}},
		{"katarzyna variants share a key", []string{"Katarzyna", "Katarzina", "Katarina", "Catherine", "Katherine"}},
		{"olga variants share a key", []string{"Olga", "Olha", "Ольга"}},
		{"sergei variants share a key", []string{"Sergei", "Sergey", "Serhii", "Serhiy", "Sergej", "Сергей", "Сергій"}},
		{"dmitri variants share a key", []string{"Dmitri", "Dmitry", "Dmytro", "Dimitri", "Dmitrij"}},
		{"elena variants share a key", []string{"Elena", "Yelena", "Jelena"}},
		{"andrew variants share a key", []string{"Andrew", "Andrei", "Andrey", "Andrii", "Andrzej"}},
		{"ivanov variants share a key", []string{"Ivanov", "Ivanoff", "Иванов"}},
		{"bogdan variants share a key", []string{"Bogdan", "Bohdan", "Богдан"}},
		{"muller variants share a key", []string{"Müller", "Mueller", "Muller"}},
		{"sarah variants share a key", []string{"Sarah", "Sara"}},
		{"shevchenko variants share a key", []string{"Shevchenko", "Schevchenko", "Шевченко"}},
		{"sofia variants share a key", []string{"Sofia", "Sophia", "Zofia"}},
		{"christopher variants share a key", []string{"Christopher", "Kristopher", "Cristopher"}},
		{"pavel variants share a key", []string{"Pavel", "Paweł"}},
		{"abdullah variants share a key", []string{"Abdullah", "Abdallah", "Abdulah"}},
		{"grzegorz variants share a key", []string{"Grzegorz", "Gregory", "Grigory"}},
		{"ilya variants share a key", []string{"Ilya", "Elia", "Ilia", "Илья"}},
		{"ion variants share a key", []string{"Ion", "Ioan", "Jan", "Yan"}},
		{"yevgeny variants share a key", []string{"Yevgeny", "Evgeny", "Evgeniy", "Євген"}},
		{"john variants share a key", []string{"John", "Jon"}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			want := linkage.SoundKey(g.variants[0])
			if want == "" {
				t.Fatalf("SoundKey(%q) is empty", g.variants[0])
			}
			for _, v := range g.variants[1:] {
				if got := linkage.SoundKey(v); got != want {
					t.Errorf("SoundKey(%q) = %q, want %q as for %q", v, got, want, g.variants[0])
				}
			}
		})
	}
}

func TestSoundKeyKeepsDifferentNamesApart(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		collide bool
	}{
		{"mohammed and ahmed differ", "Mohammed", "Ahmed", false},
		{"olga and anna differ", "Olga", "Anna", false},
		{"ion and ivan differ as cognates not spellings", "Ion", "Ivan", false},
		{"mikhail and michelle differ", "Mikhail", "Michelle", true}, // "mhl": short keys are coarse
		{"alexander and alexandra collide", "Alexander", "Alexandra", true},
		{"maria and mario collide", "Maria", "Mario", true},
		{"stephen and steven differ", "Stephen", "Steven", false},
		{"john and jane collide", "John", "Jane", true},
		{"smith and jones differ", "Smith", "Jones", false},
		{"popescu and popa differ", "Popescu", "Popa", false},
		{"yusuf and joseph collide as one name's forms", "Yusuf", "Joseph", true},
		{"nguyen and tran differ", "Nguyen", "Tran", false},
		{"cerny and cherny differ as c loses its caron", "Černý", "Cherny", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := linkage.SoundKey(tt.a), linkage.SoundKey(tt.b)
			if (ka == kb) != tt.collide {
				t.Errorf("SoundKey(%q) = %q, SoundKey(%q) = %q; collide = %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.collide)
			}
		})
	}
}

func TestSoundKey(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"leading vowel becomes a", "Oleksandr", "alksndr"},
		{"initial y before a vowel is a consonant", "Yusuf", "ysf"},
		{"doubled letters collapse", "Mohammed", "mhmt"},
		{"silent h after a vowel is dropped", "John", "yn"},
		{"long names are cut to eight letters", "Wolfeschlegelsteinhausenbergerdorff", "vlfslhls"},
		{"no latin letters gives no key", "محمد", ""},
		{"digits give no key", "1234", ""},
		{"empty gives no key", "", ""},
		{"single letter keeps its consonant", "B", "b"},
		{"single vowel is a", "E", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linkage.SoundKey(tt.in); got != tt.want {
				t.Errorf("SoundKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"each token gives itself and its sound key", "  Ștefan-Ionuț  POPESCU ", []string{"stefan", "stfn", "ionut", "ynt", "popescu", "ppsk"}},
		{"repeated keys appear once", "Anna Ana", []string{"anna", "an", "ana"}},
		{"a token equal to its key appears once", "B", []string{"b"}},
		{"empty name has no keys", " - ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, linkage.Keys(tt.in), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Keys(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}

	t.Run("non-latin tokens are hashed to short ascii", func(t *testing.T) {
		keys := linkage.Keys("محمد علي")
		if len(keys) != 2 || keys[0] == keys[1] {
			t.Fatalf("Keys = %q, want two different keys", keys)
		}
		for _, k := range keys {
			if !strings.HasPrefix(k, "#") || len(k) != 13 {
				t.Errorf("key %q, want # and 12 hex digits", k)
			}
		}
		if diff := cmp.Diff(keys, linkage.Keys("مُحَمَّد عَلِي")); diff != "" {
			t.Errorf("vowel signs change the keys (-without +with):\n%s", diff)
		}
	})

	// A store indexes Keys; a search by a spelling variant must share at least one key with the record.
	finds := []struct{ stored, searched string }{
		{"Oleksandr Shevchenko", "Alexander Schevchenko"},
		{"Олександр Шевченко", "Aleksandr Shevchenko"},
		{"Mohammed Al-Sayed", "Muhammad Alsayed"},
		{"Ștefan-Ionuț Popescu", "Stephan Ionut"},
		{"Katarzyna Wójcik", "Katarina Wojcik"},
		{"Yusuf Ahmadi", "Jusuf Achmadi"},
		{"Serhii Kovalenko", "Sergey Kovalenko"},
		{"Nguyễn Văn Đức", "Van Duc Nguyen"},
	}
	for _, f := range finds {
		t.Run("search for "+f.searched+" finds "+f.stored, func(t *testing.T) {
			stored := map[string]bool{}
			for _, k := range linkage.Keys(f.stored) {
				stored[k] = true
			}
			for _, k := range linkage.Keys(f.searched) {
				if stored[k] {
					return
				}
			}
			t.Errorf("Keys(%q) = %q share nothing with Keys(%q) = %q", f.searched, linkage.Keys(f.searched), f.stored, linkage.Keys(f.stored))
		})
	}
}
