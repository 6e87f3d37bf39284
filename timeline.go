package waymark

import (
	"sort"
	"time"
)

// TimelineEvent is one thing recorded about a client, for the timeline on the client's page.
// Summary holds labels only, never free text: notes and accounts are read on their own pages.
type TimelineEvent struct {
	At time.Time
	// Date is At as precisely as it is known ("March 2024" for a month).
	Date    string
	Kind    string
	Summary string
	By      string
	// Link is where the full record is, on the client's pages.
	Link string
}

// SortTimeline orders events newest first; events at the same time keep their order.
func SortTimeline(events []TimelineEvent) {
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.After(events[j].At) })
}

// PartialDateEvent returns the time and display date of a "YYYY", "YYYY-MM" or "YYYY-MM-DD" date;
// ok is false for an empty or malformed one.
func PartialDateEvent(s string) (at time.Time, date string, ok bool) {
	t, ok := parsePartialDate(s)
	if !ok || s == "" {
		return time.Time{}, "", false
	}
	switch len(s) {
	case 4:
		return t, s, true
	case 7:
		return t, t.Format("January 2006"), true
	}
	return t, t.Format("2 January 2006"), true
}
