// Package linkage matches people's names and dates of birth as frontline workers type them.
//
// A worker about to add a client searches by the name the person gives and a date of birth or a rough
// age. The same person's name arrives spelled differently each time: with or without accents and
// hyphens, transliterated from Cyrillic or Arabic by whoever wrote it down, given and family names
// swapped, a middle name dropped, an alias used during exploitation. The package splits that problem in
// two, as a store does:
//
//   - Keys gives the index keys of a name (each token and its SoundKey), so a store finds candidates
//     cheaply by any token in any common spelling (blocking);
//   - Score ranks a candidate against the search from 0 to 1, and Match is the score above which a
//     candidate is shown as a possible match.
//
// Everything here is deterministic, allocation-light and needs only the standard library: the accent
// folding and transliteration tables are written out in this package rather than taken from
// golang.org/x/text, because a search key must never change under a dependency upgrade: a changed key
// silently hides people already indexed. For the same reason, a change to Normalize or SoundKey here
// must come with a rebuild of the stored keys.
package linkage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize folds a name for comparison: lower case; accents and diacritics removed (Latin, incl.
// Romanian ș ț ă â î, Polish ł ą ę ś ź ż ć ń ó, Czech and Slovak, Lithuanian, Turkish ı ğ ş, German
// ß→ss ä→a, Nordic ø å æ→ae, Vietnamese tone marks and ơ ư đ, and so on); Cyrillic and Greek
// transliterated to Latin (Олександр → oleksandr; the Ukrainian table, г→h и→y, when the name holds
// one of the letters і ї є ґ, else the Russian one); apostrophes and other modifier letters removed
// (O'Brien → obrien); hyphens, dots, commas, underscores and every other punctuation, symbol, space or
// control character become a space; runs of spaces collapsed; trimmed.
//
// Letters of other scripts (Arabic, Chinese, ...) and digits are kept, lower-cased, with combining
// marks (such as Arabic vowel signs) removed. Normalize is idempotent.
func Normalize(name string) string {
	if isNormalized(name) {
		return name // the common case inside this package, and cheap to check
	}
	var b strings.Builder
	b.Grow(len(name))
	space := false // a separator is pending: written only before the next letter, so runs collapse and ends trim
	uk := -1       // whether to use the Ukrainian Cyrillic table; decided at the first Cyrillic letter
	var prev rune  // the previous rune, lower-cased, for Greek digraphs
	put := func(s string) {
		if s == "" {
			return
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s)
	}
	putRune := func(r rune) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	for i := 0; i < len(name); {
		c := name[i]
		if c < utf8.RuneSelf {
			i++
			prev = 0
			switch {
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
				fallthrough
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteByte(c)
			case c == '\'' || c == '`':
				// O'Brien, D'Souza, N'Golo: the apostrophe is often left out, so it must not split the name.
			default:
				space = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		i += size
		if apostrophes[r] {
			continue
		}
		r = unicode.ToLower(r)
		last := prev
		prev = r
		if isGreek(r) {
			if s, ok := greekDigraph(last, r, name[i:]); ok {
				put(s)
				continue
			}
		}
		if s, ok := foldTable[r]; ok {
			if uk < 0 && isCyrillic(r) {
				uk = 0
				if strings.ContainsAny(name, "іїєґІЇЄҐ") {
					uk = 1
				}
			}
			if uk == 1 {
				if s2, ok := ukrainianTable[r]; ok {
					s = s2
				}
			}
			put(s)
			continue
		}
		switch {
		case 0xff41 <= r && r <= 0xff5a: // fullwidth a-z, as typed with East Asian input methods
			putRune('a' + r - 0xff41)
		case 0xff10 <= r && r <= 0xff19: // fullwidth digits
			putRune('0' + r - 0xff10)
		case unicode.Is(unicode.Lm, r), unicode.Is(unicode.M, r), unicode.Is(unicode.Cf, r):
			// Modifier letters (ʼ ʻ ʾ ʿ, Arabic tatweel), combining marks (decomposed accents, Arabic
			// vowel signs) and invisible format characters (soft hyphen, zero-width joiner, BOM) are
			// dropped without splitting the name.
		case unicode.IsLetter(r), unicode.IsNumber(r):
			putRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// isNormalized reports whether s is already lower-case ASCII letters and digits in words separated
// by single spaces.
func isNormalized(s string) bool {
	space := true // at the start, a space would be leading
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			space = false
		case c == ' ' && !space:
			space = true
		default:
			return false
		}
	}
	return !space || s == ""
}

// apostrophes are removed rather than turned into spaces. Modifier letters (ʼ ʻ) are dropped anyway;
// these are the punctuation marks people and phones type for an apostrophe.
var apostrophes = map[rune]bool{
	'\u2018': true, // ‘
	'\u2019': true, // ’
	'\u201b': true, // ‛
	'\u2032': true, // ′
	'\u00b4': true, // ´
	'\uff07': true, // fullwidth '
}

func isCyrillic(r rune) bool { return 0x0400 <= r && r <= 0x052f }

func isGreek(r rune) bool { return 0x0370 <= r && r <= 0x03ff }

// greekDigraph spells the Greek letter r by the letters around it where the pair has its own sound:
// ου is u (Παπαδόπουλος → papadopoulos), αυ and ευ are av and ev (Παύλος → pavlos), and γ before
// γ κ ξ χ is n (Ευάγγελος → evangelos).
func greekDigraph(prev, r rune, rest string) (string, bool) {
	switch r {
	case 'υ', 'ύ':
		switch prev {
		case 'ο', 'ό':
			return "u", true
		case 'α', 'ά', 'ε', 'έ':
			return "v", true
		}
	case 'γ':
		next, _ := utf8.DecodeRuneInString(rest)
		switch unicode.ToLower(next) {
		case 'γ', 'κ', 'ξ', 'χ':
			return "n", true
		}
	}
	return "", false
}

// foldTable maps a lower-case letter to its plain Latin spelling. Every value is lower-case ASCII, which
// keeps Normalize idempotent. Upper-case letters reach it through unicode.ToLower.
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]string {
	// Each group lists the letters that lose their accents to the same plain spelling. German ä ö ü fold
	// to a o u (Müller → muller) because that is how they are typed on an English keyboard; SoundKey
	// makes Mueller and Muller agree.
	groups := []struct{ to, from string }{
		{"a", "àáâãäåāăąǎǟǡǻȁȃȧḁạảấầẩẫậắằẳẵặⱥ"},
		{"b", "ḃḅḇƀɓƃ"},
		{"c", "çćĉċčḉƈȼ"},
		{"d", "ďđḋḍḏḑḓɗɖðƌȡ"},
		{"e", "èéêëēĕėęěȅȇȩḕḗḙḛḝẹẻẽếềểễệǝəɛɇ"},
		{"f", "ḟƒ"},
		{"g", "ĝğġģǧǵḡǥɠ"},
		{"h", "ĥħȟḣḥḧḩḫẖ"},
		{"i", "ìíîïĩīĭįıǐȉȋḭḯỉịɨ"},
		{"j", "ĵǰɉȷ"},
		{"k", "ķĸǩḱḳḵƙ"},
		{"l", "ĺļľŀłḷḹḻḽƚȴ"},
		{"m", "ḿṁṃ"},
		{"n", "ñńņňŉŋǹṅṇṉṋɲƞȵ"},
		{"o", "òóôõöøōŏőơǒǫǭǿȍȏȫȭȯȱṍṏṑṓọỏốồổỗộớờởỡợɵ"},
		{"p", "ṕṗƥ"},
		{"q", "ɋ"},
		{"r", "ŕŗřȑȓṙṛṝṟɍ"},
		{"s", "śŝşšșṡṣṥṧṩſȿ"},
		{"t", "ţťŧțṫṭṯṱẗƭȶ"},
		{"u", "ùúûüũūŭůűųưǔǖǘǚǜȕȗṳṵṷṹṻụủứừửữựʉ"},
		{"v", "ṽṿʋ"},
		{"w", "ŵẁẃẅẇẉẘ"},
		{"x", "ẋẍ"},
		{"y", "ýÿŷȳẏẙỳỵỷỹƴɏ"},
		{"z", "źżžẑẓẕƶȥɀ"},
	}
	t := make(map[rune]string, 600)
	for _, g := range groups {
		for _, r := range g.from {
			t[r] = g.to
		}
	}
	for r, s := range map[rune]string{
		'ß': "ss", 'æ': "ae", 'ǽ': "ae", 'ǣ': "ae", 'œ': "oe", 'þ': "th", 'ĳ': "ij",
		'ǆ': "dz", 'ǳ': "dz", 'ǉ': "lj", 'ǌ': "nj",
		'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st",
	} {
		t[r] = s
	}
	// Cyrillic, a simple Russian-style romanisation as found on UK documents and in the press.
	// Hard and soft signs vanish.
	for r, s := range map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
		'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
		'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
		'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
		'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "u",
		'ђ': "dj", 'ј': "j", 'љ': "lj", 'њ': "nj", 'ћ': "c", 'џ': "dz", 'ѓ': "gj", 'ќ': "kj", 'ѕ': "dz",
	} {
		t[r] = s
	}
	// Greek, modern pronunciation (β → v, η → i), accents dropped.
	for r, s := range map[rune]string{
		'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i",
		'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s",
		'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
		'ά': "a", 'έ': "e", 'ή': "i", 'ί': "i", 'ό': "o", 'ύ': "y", 'ώ': "o",
		'ϊ': "i", 'ϋ': "y", 'ΐ': "i", 'ΰ': "y",
	} {
		t[r] = s
	}
	return t
}

// ukrainianTable overrides the Russian-style values for names written in Ukrainian (Ольга → olga in
// Russian, but Сергій → serhiy in Ukrainian).
var ukrainianTable = map[rune]string{'г': "h", 'и': "y"}
