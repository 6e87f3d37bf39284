package waymark

import "strings"

// CountryOptions lists the countries by name: for nationalities and where someone was exploited.
func CountryOptions() []Option { return countries.options() }

// LanguageOptions lists the languages by name.
func LanguageOptions() []Option { return languages.options() }

// CountryName is the name of the country with the ISO 3166-1 code, or the code if it is not one.
func CountryName(code string) string { return countries.label(code) }

// LanguageName is the name of the language with the code, or the code if it is not one.
func LanguageName(code string) string { return languages.label(code) }

// normalizeCodes writes each code in its standard's case (country codes upper case, language codes
// lower case) and drops blanks and repeats, keeping the first of each.
func normalizeCodes(codes []string, upper bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if upper {
			c = strings.ToUpper(c)
		} else {
			c = strings.ToLower(c)
		}
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// checkCodes records in f, under field, a list of more than ten codes or one not in the set.
func checkCodes(f map[string]string, field string, codes []string, set optionSet, msg string) {
	if len(codes) > 10 {
		f[field] = "Choose at most 10"
		return
	}
	for _, code := range codes {
		if !set.valid(code) {
			f[field] = msg
			return
		}
	}
}
