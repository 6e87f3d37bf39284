package web

import (
	"net/url"
	"testing"
	"time"

	"waymark"
)

// FuzzDirectoryForms feeds the directory's search query and service form: reading them never
// panics, every problem is keyed by a field the page shows, and what is accepted is in range.
func FuzzDirectoryForms(f *testing.F) {
	f.Add("need=safe_accommodation&age=30&gender=female&children=yes&nrpf=yes&language=pl&q=haven", "name=Haven&status=active&needs=healthcare&minimum_age=18&capacity=3")
	f.Add("age=-1&need=%25&language=ZZ&q=%00", "minimum_age=abc&maximum_age=999999999999&capacity=-2&languages=xx")
	f.Add("%zz", "capacity=+3&minimum_age= 7 ")
	known := map[string]bool{}
	for _, k := range append(append([]string{}, searchFields...), directoryFields...) {
		known[k] = true
	}
	f.Fuzz(func(t *testing.T, query, form string) {
		q, _ := url.ParseQuery(query)
		filter, fields := directoryFilterFrom(q)
		for k := range fields {
			if !known[k] {
				t.Errorf("search problem keyed %q, not a field of the page", k)
			}
		}
		if len(fields) == 0 && (filter.Age < 0 || filter.Age > waymark.MaxServiceAge || (filter.Need != "" && !filter.Need.Valid())) {
			t.Errorf("accepted filter %+v", filter)
		}
		v, _ := url.ParseQuery(form)
		d, problems := serviceFromForm(v)
		for k := range problems {
			if !known[k] {
				t.Errorf("form problem keyed %q, not a field of the page", k)
			}
		}
		if err := withFormErrors(problems, d.Validate(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))); err == nil {
			if d.Name == "" || !d.Status.Valid() || len(d.Needs) == 0 || d.MinAge < 0 || d.MaxAge > waymark.MaxServiceAge || (d.CapacityKnown && d.Capacity < 0) {
				t.Errorf("accepted service %+v", d)
			}
		} else {
			for k := range waymark.ErrorFields(err) {
				if !known[k] {
					t.Errorf("validation problem keyed %q, not a field of the page", k)
				}
			}
		}
	})
}
