package web

import (
	"net/url"
	"testing"

	"waymark"
)

// FuzzContributionForm feeds submitted note and support forms to the reader and the
// contribution's own checks: nothing panics, and whatever passes is a note with text, or support
// of a known type with real dates in order and a known outcome, within the length allowed.
func FuzzContributionForm(f *testing.F) {
	f.Add(true, "note=Seen+at+the+station")
	f.Add(false, "support_type=police_report&start-day=2&start-month=11&start-year=2026&end-day=1&end-month=11&end-year=2026&outcome=ongoing")
	f.Add(false, "support_type=teleport&start=2026-13-01&outcome=great&support_text=%00")
	f.Fuzz(func(t *testing.T, note bool, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		kind := waymark.ContributionSupport
		if note {
			kind = waymark.ContributionNote
		}
		k, fields := contributionFromForm(kind, v)
		if err := k.Validate(moveOnNow); err != nil || len(fields) > 0 {
			return
		}
		switch {
		case len(k.Text) > waymark.MaxContributionText:
			t.Errorf("accepted %d bytes of text", len(k.Text))
		case k.Kind == waymark.ContributionNote && (k.Text == "" || k.SupportType != "" || k.Start != ""):
			t.Errorf("accepted the note %+v", k)
		case k.Kind == waymark.ContributionSupport && (!k.SupportType.Valid() || k.Start == "" || k.End != "" && k.End < k.Start || !k.Outcome.Valid()):
			t.Errorf("accepted the support %+v", k)
		}
	})
}
