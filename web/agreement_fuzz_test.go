package web

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// FuzzAgreementForm feeds submitted forms to the reader of the agreement form: reading never
// panics; whatever the form and validation accept (with the user's organisation among the parties,
// as the store adds it) keeps the domain's rules and reads back the same from the form filled with it.
func FuzzAgreementForm(f *testing.F) {
	f.Add(validAgreementForm)
	f.Add("title=x&org_ids=org2&org_ids=org2&org_ids=org1&purposes=support&purposes=support&lawful_basis=consent&start_on=2026-01-01&review_on=2026-01-01&status=draft")
	f.Add("title=%3Cscript%3E&org_ids=&purposes=marketing&lawful_basis=legitimate_interests&start_on-day=31&start_on-month=2&start_on-year=2026&status=signed")
	f.Add("title=x&org_ids=%20org2%20&purposes=statistics&lawful_basis=public_task&start_on=2026-13-01&end_on-day=1&end_on-month=feb&end_on-year=20x6&review_on-year=2027")
	f.Add("title=a%0Ab&reference=r&org_ids=org2&purposes=investigation&lawful_basis=crime_prevention&start_on=2026-05-01&end_on=2026-04-30&review_on=2026-05-01&status=active")
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		a, fields := agreementFromForm(cloneValues(v))
		if agreementFormErrors(a, "org1", fields) != nil {
			return
		}
		checked := a
		checked.OrgIDs = append([]string{"org1"}, a.OrgIDs...)
		if err := checked.Validate(); err != nil {
			t.Fatalf("accepted %q, which fails validation: %v", form, err)
		}
		for _, d := range []string{checked.StartOn, checked.EndOn, checked.ReviewOn} {
			if _, err := time.Parse(time.DateOnly, d); d != "" && err != nil {
				t.Errorf("accepted the date %q from %q", d, form)
			}
		}
		if checked.ReviewOn < checked.StartOn || checked.EndOn != "" && checked.EndOn < checked.StartOn {
			t.Errorf("accepted dates out of order from %q: %+v", form, checked)
		}
		if len(checked.OrgIDs) < 2 || len(checked.OrgIDs) > waymark.MaxAgreementParties || slices.Contains(checked.OrgIDs, "") {
			t.Errorf("accepted the parties %q from %q", checked.OrgIDs, form)
		}
		for _, p := range checked.Purposes {
			if p.Label() == string(p) {
				t.Errorf("accepted the purpose %q from %q", p, form)
			}
		}
		if checked.LawfulBasis.Label() == string(checked.LawfulBasis) || checked.Status.Label() == string(checked.Status) {
			t.Errorf("accepted %q and %q from %q", checked.LawfulBasis, checked.Status, form)
		}
		if again, fields := agreementFromForm(agreementFormValues(&a)); len(fields) > 0 || !cmp.Equal(again, a) {
			t.Errorf("%+v reads back as %+v (%v)", a, again, fields)
		}
	})
}
