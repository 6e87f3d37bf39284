package waymark

import (
	"encoding/json"
	"strconv"
)

// Count is a number of people in a report. Small counts could identify someone, so a count from 1
// to SuppressBelow-1 is never shown: it reads "fewer than 5", its share is withheld, and in JSON it
// is the same string. This is the one place the rule lives; every report uses it.
type Count int

// SuppressBelow is the smallest count a report shows as a number (apart from zero).
const SuppressBelow = 5

// Suppressed reports whether the count is withheld.
func (c Count) Suppressed() bool { return c > 0 && c < SuppressBelow }

// String is the count as a report shows it.
func (c Count) String() string {
	if c.Suppressed() {
		return "fewer than " + strconv.Itoa(SuppressBelow)
	}
	return strconv.Itoa(int(c))
}

// ShareOf is c as a whole percentage of total, for example "40%", or "" when either count is
// suppressed (a share would give the withheld number away) or total is zero.
func (c Count) ShareOf(total Count) string {
	if c.Suppressed() || total.Suppressed() || total <= 0 {
		return ""
	}
	return strconv.Itoa(int((200*int(c)+int(total))/(2*int(total)))) + "%"
}

// MarshalJSON writes the count as a number, or as the string "fewer than 5" when suppressed.
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Suppressed() {
		return json.Marshal(c.String())
	}
	return json.Marshal(int(c))
}
