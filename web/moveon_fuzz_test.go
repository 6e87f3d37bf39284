package web

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// FuzzMoveOnForms feeds submitted forms to the readers of the move-on plan and follow-up forms:
// reading never panics; whatever the form and validation accept keeps the domain's rules and
// reads back the same from the form filled with it.
func FuzzMoveOnForms(f *testing.F) {
	f.Add("support_ends_on-day=1&support_ends_on-month=5&support_ends_on-year=2026&accommodation_type=hostel&benefit_esa=claimed&benefit_pip=&gp_registered=yes&notes=a%0D%0Ab")
	f.Add("support_ends_on=2026-13-01&housing_applied_on-day=31&housing_applied_on-month=feb&housing_applied_on-year=2026&benefit_universal_credit=paid")
	f.Add("contacted=yes&stable_accommodation=yes&rough_sleeping=no&re_exploited=not_known&in_contact=prefers_not_to_say&attempt_1_method=phone")
	f.Add("contacted=no&attempt_1-day=&attempt_2-day=3&attempt_2-month=11&attempt_2-year=2026&attempt_2_method=visit&attempt_10=2026-01-01&attempt_10_method=text")
	f.Add("contacted=no&attempt_1=2099-01-01&attempt_1_method=email&attempt_3-day=x&contacted=yes")
	f.Add("contacted=maybe&notes=%20%20&leave_expires_on-year=20x6&employment=employed")
	now := time.Date(2026, 11, 27, 14, 5, 0, 0, time.UTC)
	today := waymark.Today(now)
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		t.Run("plan", func(t *testing.T) {
			p, fields := planFromForm(cloneValues(v))
			if len(fields) > 0 || p.Validate(now) != nil {
				return
			}
			for _, d := range []string{p.SupportEndsOn, p.HousingAppliedOn, p.LeaveExpiresOn} {
				if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
					t.Errorf("accepted the date %q from %q", d, form)
				}
			}
			if p.HousingAppliedOn > today {
				t.Errorf("accepted an application in the future from %q", form)
			}
			var order []int
			for _, c := range p.Benefits {
				i := slices.IndexFunc(waymark.BenefitOptions(), func(o waymark.Option) bool { return o.Value == string(c.Benefit) })
				if i < 0 || c.Status == "" || len(order) > 0 && i <= order[len(order)-1] {
					t.Errorf("accepted the benefits %+v from %q", p.Benefits, form)
				}
				order = append(order, i)
			}
			if again, fields := planFromForm(planFormValues(&p)); len(fields) > 0 || !cmp.Equal(again, p) {
				t.Errorf("%+v reads back as %+v (%v)", p, again, fields)
			}
		})
		t.Run("follow-up", func(t *testing.T) {
			attemptRows(Form{Values: v}, newFollowUpAttempts)
			u, rows, fields := followUpFromForm(cloneValues(v))
			if len(rows) != len(u.Attempts) || !slices.IsSorted(rows) || len(rows) > 0 && (rows[0] < 1 || rows[len(rows)-1] > waymark.MaxContactAttempts) {
				t.Errorf("rows %v for %d attempts from %q", rows, len(u.Attempts), form)
			}
			if followUpErrors(&u, rows, fields, now) != nil {
				return
			}
			if u.Contacted {
				for _, a := range []waymark.Answer{u.StableAccommodation, u.RoughSleeping, u.ReExploited, u.InContact} {
					if !a.Recorded() || !a.Valid() {
						t.Errorf("accepted the answer %q from %q", a, form)
					}
				}
				if len(u.Attempts) > 0 {
					t.Errorf("accepted attempts for someone reached, from %q", form)
				}
			} else {
				if len(u.Attempts) == 0 || len(u.Attempts) > waymark.MaxContactAttempts || u.StableAccommodation+u.RoughSleeping+u.ReExploited+u.InContact != "" {
					t.Errorf("accepted %+v from %q", u, form)
				}
				for _, a := range u.Attempts {
					if _, err := time.Parse(time.DateOnly, a.On); err != nil || a.On > today || a.Method.Label() == string(a.Method) {
						t.Errorf("accepted the attempt %+v from %q", a, form)
					}
				}
			}
			if again, _, fields := followUpFromForm(followUpFormValues(&u)); len(fields) > 0 || !cmp.Equal(again, u) {
				t.Errorf("%+v reads back as %+v (%v)", u, again, fields)
			}
		})
	})
}

// cloneValues copies a form, as the readers write the joined dates into theirs.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
