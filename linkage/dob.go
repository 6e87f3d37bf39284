package linkage

import "time"

// date is a date of birth as precisely as it is known: m and d are 0 when unknown.
type date struct{ y, m, d int }

// parseDate reads "YYYY-MM-DD", "YYYY-MM" or "YYYY". It checks ranges but not the calendar: a typed
// 31 February still says something about the person.
func parseDate(s string) (date, bool) {
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	var d date
	switch len(s) {
	case 10:
		if s[7] != '-' {
			return d, false
		}
		d.d = num(s[8:])
		if d.d < 1 || d.d > 31 {
			return d, false
		}
		fallthrough
	case 7:
		if s[4] != '-' {
			return d, false
		}
		d.m = num(s[5:7])
		if d.m < 1 || d.m > 12 {
			return d, false
		}
		fallthrough
	case 4:
		d.y = num(s[:4])
		if d.y < 1000 {
			return d, false
		}
		return d, true
	}
	return d, false
}

// dobAgreement is how two records' dates of birth or estimated ages agree.
type dobAgreement int

const (
	dobUnknown   dobAgreement = iota // one side or both have neither a date nor an age
	dobSame                          // the same full date
	dobTypo                          // full dates one digit apart, or two digits swapped, or day and month swapped
	dobSameMonth                     // the same year and month, and one side has no day
	dobSameYear                      // the same year, and one side has a year only
	dobAgeNear                       // an estimated age within ±3 years of the other's year of birth or estimate
	dobClose                         // different, but close enough to be an error: within two years, or only the year one digit off
	dobDiffer                        // clearly different
	dobAgreements
)

func compareDOB(a, b Person, now time.Time) dobAgreement {
	da, oka := parseDate(a.DateOfBirth)
	db, okb := parseDate(b.DateOfBirth)
	ageA, ageB := plausibleAge(a.Age), plausibleAge(b.Age)
	switch {
	case oka && okb:
		return compareDates(da, db)
	case oka && ageB:
		return compareAge(da.y - (now.Year() - b.Age))
	case okb && ageA:
		return compareAge(db.y - (now.Year() - a.Age))
	case ageA && ageB:
		return compareAge(a.Age - b.Age)
	}
	return dobUnknown
}

func plausibleAge(n int) bool { return 0 < n && n < 130 }

// compareAge grades the difference in years between an estimated age and a year of birth (or another
// estimate). Estimates of age are rough, more so for people who have lived rough.
func compareAge(diff int) dobAgreement {
	switch {
	case -3 <= diff && diff <= 3:
		return dobAgeNear
	case -10 <= diff && diff <= 10:
		return dobUnknown
	}
	return dobDiffer
}

func compareDates(a, b date) dobAgreement {
	switch {
	case a.d > 0 && b.d > 0:
		switch {
		case a == b:
			return dobSame
		case a.y == b.y && a.m == b.d && a.d == b.m, nearDigits(a, b):
			return dobTypo
		case abs(days(a)-days(b)) <= 2*366, oneDigitYear(a.y, b.y) && a.m == b.m && a.d == b.d:
			return dobClose
		}
		return dobDiffer
	case a.m > 0 && b.m > 0:
		switch months := abs(a.y*12 + a.m - b.y*12 - b.m); {
		case months == 0:
			return dobSameMonth
		case months <= 24:
			return dobClose
		}
		return dobDiffer
	}
	switch diff := abs(a.y - b.y); {
	case diff == 0:
		return dobSameYear
	case diff <= 2:
		return dobClose
	}
	return dobDiffer
}

// days numbers the days; an impossible date (31 February) rolls over into the next month.
func days(d date) int {
	return int(time.Date(d.y, time.Month(d.m), d.d, 12, 0, 0, 0, time.UTC).Unix() / 86400)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// oneDigitYear reports whether two years differ in one digit only (1983 and 1973).
func oneDigitYear(a, b int) bool {
	n := 0
	for ; a > 0 || b > 0; a, b = a/10, b/10 {
		if a%10 != b%10 {
			n++
		}
	}
	return n == 1
}

// nearDigits reports whether two full dates written as YYYYMMDD differ by one digit, or by two
// adjacent digits swapped: the commonest typing errors.
func nearDigits(a, b date) bool {
	x, y := digits(a), digits(b)
	var diff [2]int
	n := 0
	for i := range x {
		if x[i] != y[i] {
			if n == len(diff) {
				return false
			}
			diff[n] = i
			n++
		}
	}
	switch n {
	case 1:
		return true
	case 2:
		i, j := diff[0], diff[1]
		return j == i+1 && x[i] == y[j] && x[j] == y[i]
	}
	return false
}

func digits(d date) [8]byte {
	var out [8]byte
	v := d.y*10000 + d.m*100 + d.d
	for i := 7; i >= 0; i-- {
		out[i] = byte('0' + v%10)
		v /= 10
	}
	return out
}
