package linkage

import (
	"encoding/hex"
	"hash/fnv"
	"slices"
	"strings"
)

// Keys returns the search keys of a name: for each token of the normalized name, the token itself and
// its sound key (see SoundKey), deduplicated, in order of appearance. A store indexes these so that a
// search by any token, in any spelling variant, finds the person.
//
// Every key is short ASCII without spaces. A token is its own key when it is plain ASCII of at most 32
// bytes (after Normalize that means letters a-z and digits); any other token (Arabic or Chinese script,
// say) is keyed as "#" and 12 hex digits of its FNV-1a hash. "#" never occurs in a normalized token, so
// the two kinds of key cannot collide; two hashed tokens might, which only adds a candidate that Score
// then ranks. Tokens without Latin letters have no sound key.
func Keys(name string) []string {
	tokens := strings.Fields(Normalize(name))
	keys := make([]string, 0, 2*len(tokens))
	var seen map[string]bool // only for long inputs: a linear search is faster for a real name
	if len(tokens) > 8 {
		seen = make(map[string]bool, 2*len(tokens))
	}
	add := func(k string) {
		if k == "" {
			return
		}
		if seen != nil {
			if seen[k] {
				return
			}
			seen[k] = true
		} else if slices.Contains(keys, k) {
			return
		}
		keys = append(keys, k)
	}
	for _, t := range tokens {
		add(tokenKey(t))
		add(soundKey(t))
	}
	return keys
}

const maxTokenKey = 32

func tokenKey(t string) string {
	if len(t) <= maxTokenKey && isASCII(t) {
		return t
	}
	h := fnv.New64a()
	h.Write([]byte(t))
	return "#" + hex.EncodeToString(h.Sum(nil)[:6])
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// SoundKey returns a key that is equal for common spelling and transliteration variants of one name
// token, such as Mohammed, Muhammad and Mohamed (all "mhmt"); Aleksandr, Alexander and
// Oleksandr ("alksndr"); Yusuf, Yousef and Jusuf ("ysf"); Sergei, Sergey and Serhii ("srh"); Olga and
// Olha ("alh"); Mikhail, Mihail and Michael ("mhl"); Katarzyna, Katarina and Catherine ("ktrn").
// It is a consonant skeleton built in four steps, on the letters a-z of Normalize(token) (other
// characters are ignored, so a token without Latin letters has the key ""):
//
//  1. Spellings of one sound become one letter, reading left to right, longest first:
//     sch sh sz zh z → s; ts tz → s; ch → k before r or l (Christopher), else h (Michael = Mikhail,
//     Achmed = Ahmed); cz → h (Polish cz is English ch); kh → h; tch → h; ph → f; th → t; ck q → k;
//     c → s before e i y, else k; x → ks; rz → r (Polish Grzegorz = Gregory, Katarzyna = Katarina);
//     gh → g; g after the first letter → h (Ukrainian writes h where Russian writes g: Olha = Olga,
//     Serhii = Sergei, Bohdan = Bogdan); w → v, except after a vowel and not before one, where it is a
//     vowel (Andrew = Andrei); y, and j after the first letter, are vowels (Dmitry = Dmitri, Sergej =
//     Sergei).
//  2. At the start, i, j or y before a vowel is the consonant y (Yusuf = Jusuf, Ion = Ioan, Jan = Yan),
//     except before e, where it is dropped (Yelena = Jelena = Elena, Yevgeny = Evgeny); j before a
//     consonant is y too.
//  3. Doubled letters collapse (Mohammed = Mohamed); an h after a vowel and not before one is silent
//     (Sarah = Sara, John = Jon, Ahmed = Achmed).
//  4. Vowels after the first letter are dropped, a leading vowel becomes "a" (Oleksandr = Aleksandr,
//     Ilya = Elia), the last letter of the key is devoiced (d → t, b → p, v → f: Ahmed = Ahmet,
//     Ivanov = Ivanoff), and the key is cut to 8 letters.
//
// The key is coarse by design: it finds candidates, and Score weighs them. Short names share keys
// with unrelated names (Maria and Mario are "mr"; Anna and Ann and Jenny are "an"); Mohammed ("mhmt")
// and Ahmed ("amt"), Olga ("alh") and Anna ("an") stay apart. Ion ("yn") and Ivan ("avn") are
// cognates, not spellings of one name, and get different keys, as do Stephen ("stfn") and Steven
// ("stvn"), and Černý ("srn", as č folds to c) and Cherny ("hrn"): Score's string similarity still
// ranks such pairs, but a search finds them only through another shared token.
func SoundKey(token string) string {
	var k soundKeyBuf
	return string(k[:k.set(Normalize(token))])
}

const (
	maxSoundIn  = 64 // letters read; longer tokens are rare enough that their tail does not matter
	maxSoundKey = 8
	vowel       = '*' // a vowel in the intermediate code string
)

// soundKeyBuf holds a sound key without allocating: Score computes keys for every candidate.
type soundKeyBuf [maxSoundKey]byte

// soundKey computes SoundKey of an already normalized token.
func soundKey(s string) string {
	var k soundKeyBuf
	return string(k[:k.set(s)])
}

// set stores the sound key of the normalized token s and returns its length.
func (key *soundKeyBuf) set(s string) int {
	var in [maxSoundIn]byte
	n := 0
	for i := 0; i < len(s) && n < len(in); i++ {
		if c := s[i]; 'a' <= c && c <= 'z' {
			in[n] = c
			n++
		}
	}
	if n == 0 {
		return 0
	}
	w := in[:n]
	at := func(i int) byte { // the letter at i, or 0 past the end
		if i < n {
			return w[i]
		}
		return 0
	}

	var codes [2 * maxSoundIn]byte // x may become two codes
	k := 0
	emit := func(c byte) { codes[k] = c; k++ }

	i := 0
	if isGlide(w[0]) && n > 1 {
		switch next := w[1]; {
		case next == 'e':
			i = 1 // Yelena, Jelena → Elena: drop the glide, the e is the leading vowel
		case isVowel(next):
			emit('y')
			i = 1
		case w[0] == 'j':
			emit('y')
			i = 1
		}
	}
	for i < n {
		c, next, next2 := w[i], at(i+1), at(i+2)
		step := 1
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			emit(vowel)
		case 'j':
			if i == 0 {
				emit('y')
			} else {
				emit(vowel)
			}
		case 's':
			switch {
			case next == 'c' && next2 == 'h':
				step = 3
			case next == 'h' || next == 'z':
				step = 2
			}
			emit('s')
		case 'z':
			if next == 'h' {
				step = 2
			}
			emit('s')
		case 't':
			switch {
			case next == 'c' && next2 == 'h':
				emit('h')
				step = 3
			case next == 'h':
				emit('t')
				step = 2
			case next == 's' || next == 'z':
				emit('s')
				step = 2
			default:
				emit('t')
			}
		case 'c':
			switch {
			case next == 'h':
				if next2 == 'r' || next2 == 'l' {
					emit('k')
				} else {
					emit('h')
				}
				step = 2
			case next == 'z':
				emit('h')
				step = 2
			case next == 'k':
				emit('k')
				step = 2
			case next == 'e' || next == 'i' || next == 'y':
				emit('s')
			default:
				emit('k')
			}
		case 'k':
			if next == 'h' {
				emit('h')
				step = 2
			} else {
				emit('k')
			}
		case 'p':
			if next == 'h' {
				emit('f')
				step = 2
			} else {
				emit('p')
			}
		case 'q':
			emit('k')
		case 'x':
			emit('k')
			emit('s')
		case 'r':
			if next == 'z' {
				step = 2
			}
			emit('r')
		case 'g':
			if next == 'h' {
				step = 2
			}
			if i == 0 {
				emit('g')
			} else {
				emit('h')
			}
		case 'w':
			if i > 0 && isVowel(w[i-1]) && !isVowel(next) {
				emit(vowel)
			} else {
				emit('v')
			}
		default: // b d f h l m n v
			emit(c)
		}
		i += step
	}

	// Collapse doubles, silence an h between a vowel and a non-vowel, keep the first vowel only (as
	// "a"), all in place.
	out := codes[:0]
	for j := 0; j < k; j++ {
		if len(out) > 0 && out[len(out)-1] == codes[j] {
			continue
		}
		out = append(out, codes[j])
	}
	kn := 0
	var prev byte // the code before out[j], as it was before overwriting
	for j, c := range out {
		switch {
		case j == 0 && c == vowel:
			out[kn] = 'a'
			kn++
		case c == vowel:
		case c == 'h' && prev == vowel && (j+1 == len(out) || out[j+1] != vowel):
		default:
			out[kn] = c // kn <= j: only codes already read are overwritten
			kn++
		}
		prev = c
	}
	if last := kn - 1; last > 0 {
		switch out[last] {
		case 'd':
			out[last] = 't'
		case 'b':
			out[last] = 'p'
		case 'v':
			out[last] = 'f'
		}
	}
	return copy(key[:], out[:kn])
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

func isGlide(c byte) bool { return c == 'i' || c == 'j' || c == 'y' }
