package web

import (
	"net/url"
	"testing"
	"time"

	"waymark"
)

// FuzzConsentForm feeds submitted forms to the consent form's reader: reading never panics, and
// whatever reading and validation accept has real dates, a closed-list purpose, basis and decision,
// and organisations only for sharing.
func FuzzConsentForm(f *testing.F) {
	f.Add("purpose=sharing&basis=consent&decision=given&org_ids=a&org_ids=b&on-day=20&on-month=11&on-year=2026&how_explained=Interpreter")
	f.Add("purpose=support&basis=safeguarding&on=2026-11-27&justification=At+immediate+risk+from+the+gang&decided_by=Sam")
	f.Add("purpose=statistics&basis=consent&decision=withdrawn&on-day=31&on-month=feb&on-year=2026&expires_on-day=1&expires_on-month=1&expires_on-year=2099")
	f.Add("purpose=referral&basis=vital_interests&decision=given&org_ids=&on-year=20x6")
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	today := waymark.Today(now)
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		c, fields := sharingConsentFromForm(v)
		if len(fields) > 0 || c.Validate(now) != nil {
			return
		}
		if _, err := time.Parse(time.DateOnly, c.On); err != nil || c.On > today {
			t.Errorf("accepted the date %q from %q", c.On, form)
		}
		if c.ExpiresOn != "" && c.ExpiresOn <= today {
			t.Errorf("accepted a lapse date %q that is not in the future", c.ExpiresOn)
		}
		if (c.Purpose == waymark.ConsentForSharing) != (len(c.OrgIDs) > 0) {
			t.Errorf("accepted organisations %q for %s", c.OrgIDs, c.Purpose)
		}
		if (c.Basis == waymark.BasisConsent) == (c.Decision == "") || !c.Basis.Valid() {
			t.Errorf("accepted basis %q with decision %q", c.Basis, c.Decision)
		}
	})
}
