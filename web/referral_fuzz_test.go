package web

import (
	"net/url"
	"slices"
	"testing"

	"waymark"
)

// FuzzReferralForm feeds submitted referral forms to the reader and the referral's own checks:
// nothing panics, and whatever passes shares on acceptance either nothing or known sections, each
// once, for a purpose other than statistics.
func FuzzReferralForm(f *testing.F) {
	f.Add("to_org_id=org2&reason=Needs+help&shared=name")
	f.Add("to_org_id=org2&reason=Needs+help&shared=name&share_sections=identity&share_sections=identity&share_purpose=support")
	f.Add("to_org_id=org2&reason=x&shared=name&share_sections=everything&share_purpose=statistics")
	f.Add("to_org_id=org2&reason=x&shared=name&share_purpose=support")
	f.Fuzz(func(t *testing.T, form string) {
		v, err := url.ParseQuery(form)
		if err != nil {
			return
		}
		r := referralFromForm(v)
		if r.Validate() != nil || !r.SharesOnAcceptance() {
			return
		}
		for i, x := range r.ShareSections {
			if !slices.Contains(waymark.AllShareSections(), x) || slices.Contains(r.ShareSections[:i], x) {
				t.Errorf("accepted the sections %v", r.ShareSections)
			}
		}
		if len(r.ShareSections) == 0 || r.SharePurpose == "statistics" || r.SharePurpose == "" {
			t.Errorf("accepted sharing %v for %q", r.ShareSections, r.SharePurpose)
		}
	})
}
