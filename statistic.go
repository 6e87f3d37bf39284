package waymark

import (
	"encoding/json"
	"strconv"
)

// Count is a number of people in a report. Small counts could identify someone, so a count from 1
// to SuppressBelow-1 is never shown: it reads "fewer than 5", its share is withheld, and in JSON it
// is the same string; and a count from which a suppressed one could be worked out is withheld too
// (WithholdDifference). This is the one place the rules live; every report uses them.
type Count int

// SuppressBelow is the smallest count a report shows as a number (apart from zero).
const SuppressBelow = 5

// Withheld is a count held back though not small itself, because with the counts shown beside it
// it would give a suppressed one away (secondary suppression). It reads "withheld".
const Withheld Count = -1

// WithholdDifference withholds shown when total minus shown is a small count that the report does
// not show: the two shown counts would give it away. A shown count already suppressed, or zero, is
// left as it is.
func WithholdDifference(total Count, shown *Count) {
	if Count(total-*shown).Suppressed() && *shown >= SuppressBelow {
		*shown = Withheld
	}
}

// Suppressed reports whether the count is too small to show.
func (c Count) Suppressed() bool { return c > 0 && c < SuppressBelow }

// Hidden reports whether the count is not shown as a number: suppressed or withheld.
func (c Count) Hidden() bool { return c.Suppressed() || c == Withheld }

// String is the count as a report shows it.
func (c Count) String() string {
	switch {
	case c.Suppressed():
		return "fewer than " + strconv.Itoa(SuppressBelow)
	case c == Withheld:
		return "withheld"
	}
	return strconv.Itoa(int(c))
}

// ShareOf is c as a whole percentage of total, for example "40%", or "" when either count is
// suppressed (a share would give the withheld number away) or total is zero.
func (c Count) ShareOf(total Count) string {
	if c.Hidden() || total.Hidden() || total <= 0 {
		return ""
	}
	return strconv.Itoa(int((200*int(c)+int(total))/(2*int(total)))) + "%"
}

// MarshalJSON writes the count as a number, or as the string "fewer than 5" when suppressed, or
// "withheld".
func (c Count) MarshalJSON() ([]byte, error) {
	if c.Hidden() {
		return json.Marshal(c.String())
	}
	return json.Marshal(int(c))
}
