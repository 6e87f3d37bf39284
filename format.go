package waymark

import (
	"sync"
	"time"
)

var london = sync.OnceValue(func() *time.Location {
	// The binary embeds time/tzdata, so this works on machines without a zone database.
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
})

// London returns the Europe/London time zone, in which every time is shown.
func London() *time.Location { return london() }

// Today is the London date of now, "YYYY-MM-DD": the day that "not in the future" and "due" mean.
func Today(now time.Time) string { return now.In(london()).Format(time.DateOnly) }

// FormatDate shows a date as people in the UK write it: "27 November 2026".
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london()).Format("2 January 2006")
}

// FormatDay shows a date written "YYYY-MM-DD" as people in the UK write it, "27 November 2026";
// anything else is shown as it is.
func FormatDay(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}

// FormatTime shows a time and date: "2:05pm on 27 November 2026" (GOV.UK style).
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(london())
	return l.Format("3:04pm") + " on " + l.Format("2 January 2006")
}

// AddDays returns the date n days after date ("YYYY-MM-DD"; n may be negative), or "" when date is
// not one.
func AddDays(date string, n int) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// DaysBetween counts the calendar days from one date ("YYYY-MM-DD") to another, negative when to
// is the earlier; 0 when either is not a date.
func DaysBetween(from, to string) int {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	// Both are midnight UTC, so every day is 24 hours long.
	return int(b.Sub(a).Hours() / 24)
}
