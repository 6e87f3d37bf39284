package web

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"waymark"
)

// FuzzTrainingForms feeds the course, completion and awareness forms: reading them never panics,
// every problem is keyed by a field the page shows, and what is accepted is in range.
func FuzzTrainingForms(f *testing.F) {
	f.Add("name=Awareness&provider=Council&level=awareness&validity_months=24",
		"person=u:abc&course=c1&completed_on-day=5&completed_on-month=3&completed_on-year=2026",
		"on-day=1&on-month=2&on-year=2026&audience=public&attending=1,200&topic=Fair&notes=a%0Ab")
	f.Add("validity_months=-1&level=%00", "person=x&completed_on-day=31&completed_on-month=2&completed_on-year=2026", "attending=1e9&on=2099-01-01")
	f.Add("validity_months=+7", "person=v:&completed_on=1999-12-31", "notes=%07&attending=-5&audience=staff")
	const today = "2026-11-27"
	known := map[string]bool{}
	for _, k := range append(append(append([]string{}, courseFields...), completionFields...), awarenessFields...) {
		known[k] = true
	}
	check := func(t *testing.T, form string, err error) {
		for k := range waymark.ErrorFields(err) {
			if !known[k] {
				t.Errorf("%s: problem keyed %q, not a field of the page", form, k)
			}
		}
	}
	f.Fuzz(func(t *testing.T, course, completion, awareness string) {
		v, _ := url.ParseQuery(course)
		c, fields := courseFromForm(v)
		err := withFormErrors(fields, c.Validate())
		check(t, "course", err)
		if err == nil && (c.Name == "" || !c.Level.Valid() || c.ValidityMonths < 0 || c.ValidityMonths > waymark.MaxValidityMonths) {
			t.Errorf("accepted course %+v", c)
		}
		v, _ = url.ParseQuery(completion)
		tc, fields := completionFromForm(v)
		err = withFormErrors(fields, tc.Validate(today))
		check(t, "completion", err)
		if err == nil && ((tc.UserID == "") == (tc.VolunteerID == "") || tc.CourseID == "" || tc.CompletedOn > today || tc.CompletedOn < waymark.EarliestTrainingDate) {
			t.Errorf("accepted completion %+v", tc)
		}
		v, _ = url.ParseQuery(awareness)
		a, fields := awarenessFromForm(v)
		err = withFormErrors(fields, a.Validate(today))
		check(t, "awareness", err)
		if err == nil && (a.Attending < 1 || a.Attending > waymark.MaxAttending || !a.Audience.Valid() || a.On > today || a.Topic == "" ||
			utf8.RuneCountInString(a.Notes) > waymark.MaxAwarenessNotes) {
			t.Errorf("accepted activity %+v", a)
		}
	})
}
