package web

import (
	"net/url"
	"testing"

	"waymark"
)

// FuzzShareForm feeds submitted share forms to the reader and the share's own checks: nothing
// panics, and whatever passes names a partner, a purpose other than statistics, and known sections,
// each once.
func FuzzShareForm(f *testing.F) {
	f.Add("share_partner=org2&share_purpose=safeguarding&share_sections=identity&share_sections=history")
	f.Add("share_partner=&share_purpose=statistics&share_sections=identity&share_sections=identity")
	f.Add("share_partner=org2&share_purpose=support&share_sections=everything")
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		sh := shareFromForm(v)
		if sh.Validate() != nil {
			return
		}
		seen := map[waymark.ShareSection]bool{}
		for _, x := range sh.Sections {
			if seen[x] {
				t.Errorf("section %s accepted twice", x)
			}
			seen[x] = true
		}
		if sh.PartnerOrgID == "" || sh.Purpose == "statistics" || len(sh.Sections) == 0 {
			t.Errorf("accepted %+v", sh)
		}
	})
}
