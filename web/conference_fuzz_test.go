package web

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// FuzzConferenceForm feeds submitted forms to the readers of the conference and action forms:
// reading never panics; whatever the form and validation accept keeps the domain's rules, and a
// conference reads back the same from the form filled with it.
func FuzzConferenceForm(f *testing.F) {
	f.Add("title=Panel&held_on-day=3&held_on-month=12&held_on-year=2026&org_ids=org2&org_ids=org3")
	f.Add("title=%3Cscript%3E&held_on=2026-02-31&org_ids=org1&status=postponed")
	f.Add("title=a%0Ab&held_on-day=31&held_on-month=feb&held_on-year=20x6&org_ids=%20org2%20&org_ids=&status=held")
	f.Add("text=Visit&owner_org_id=org2&owner=Sam&due_on-day=1&due_on-month=13&due_on-year=2026&status=done")
	f.Add("text=&owner_org_id=&owner=%00&due_on=2026-12-01")
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		c, fields := conferenceFromForm(cloneValues(v))
		if conferenceFormErrors(c, "org1", fields) == nil {
			checked := c
			checked.ChairOrgID = "org1"
			if err := checked.Validate(); err != nil {
				t.Fatalf("accepted %q, which fails validation: %v", form, err)
			}
			if _, err := time.Parse(time.DateOnly, checked.HeldOn); err != nil {
				t.Errorf("accepted the date %q from %q", checked.HeldOn, form)
			}
			if len(checked.AttendingOrgIDs) < 2 || len(checked.AttendingOrgIDs) > waymark.MaxConferenceOrgs || slices.Contains(checked.AttendingOrgIDs, "") ||
				checked.AttendingOrgIDs[0] != "org1" {
				t.Errorf("accepted the attendees %q from %q", checked.AttendingOrgIDs, form)
			}
			if checked.Status.Label() == string(checked.Status) {
				t.Errorf("accepted the status %q from %q", checked.Status, form)
			}
			checked.ID, checked.Version = "k1", 1
			again, fields := conferenceFromForm(conferenceFormValues(&checked))
			again.ChairOrgID = "org1"
			if err := again.Validate(); len(fields) > 0 || err != nil || !cmp.Equal(again.AttendingOrgIDs, checked.AttendingOrgIDs) ||
				again.Title != checked.Title || again.HeldOn != checked.HeldOn || again.Status != checked.Status {
				t.Errorf("%+v reads back as %+v (%v, %v)", checked, again, fields, err)
			}
		}
		a, fields := actionFromForm(cloneValues(v))
		if withFormErrors(fields, a.Validate()) == nil {
			if _, err := time.Parse(time.DateOnly, a.DueOn); err != nil || a.Text == "" || a.Owner == "" || a.OwnerOrgID == "" || !a.Status.Valid() {
				t.Errorf("accepted the action %+v from %q", a, form)
			}
		}
	})
}
