package waymark_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestConsentRecordValidate(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		r      waymark.ConsentRecord
		fields []string
	}{
		{"consent given, explained", waymark.ConsentRecord{Purpose: "support", Basis: "consent", Decision: "given", On: "2026-11-27", HowExplained: "In English"}, nil},
		{"consent given, not explained", waymark.ConsentRecord{Purpose: "support", Basis: "consent", Decision: "given", On: "2026-11-27"}, []string{"how_explained"}},
		{"consent with no answer", waymark.ConsentRecord{Purpose: "referral", Basis: "consent", On: "2026-11-27"}, []string{"decision"}},
		{"sharing naming nobody", waymark.ConsentRecord{Purpose: "sharing", Basis: "consent", Decision: "refused", On: "2026-11-27"}, []string{"org_ids"}},
		{"organisations named for another purpose", waymark.ConsentRecord{Purpose: "support", Basis: "consent", Decision: "refused", On: "2026-11-27", OrgIDs: []string{"a"}}, []string{"org_ids"}},
		{"another basis without a justification or who decided", waymark.ConsentRecord{Purpose: "sharing", Basis: "safeguarding", OrgIDs: []string{"a"}, On: "2026-11-27"},
			[]string{"decided_by", "justification"}},
		{"another basis with the person's answer", waymark.ConsentRecord{Purpose: "support", Basis: "vital_interests", Decision: "given", On: "2026-11-27",
			Justification: "Unconscious and bleeding, taken to hospital", DecidedBy: "Duty manager"}, []string{"decision"}},
		{"consent with a justification", waymark.ConsentRecord{Purpose: "support", Basis: "consent", Decision: "refused", On: "2026-11-27", Justification: "x"}, []string{"justification"}},
		{"lapsing today or before", waymark.ConsentRecord{Purpose: "support", Basis: "consent", Decision: "refused", On: "2026-11-20", ExpiresOn: "2026-11-27"}, []string{"expires_on"}},
		{"explanations on several lines", waymark.ConsentRecord{Purpose: "sharing", Basis: "safeguarding", OrgIDs: []string{"a"}, On: "2026-11-27",
			Justification: "He is at immediate risk.\r\nThe police must know now.", DecidedBy: "Duty manager"}, nil},
		{"an explanation holding a control character", waymark.ConsentRecord{Purpose: "support", Basis: "consent", Decision: "given", On: "2026-11-27",
			HowExplained: "With an interpreter.\x00"}, []string{"how_explained"}},
		{"unknown purpose and basis, date in the future", waymark.ConsentRecord{Purpose: "x", Basis: "whim", On: "2026-12-01"}, []string{"basis", "on", "purpose"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.fields, keys(waymark.ErrorFields(tc.r.Validate(now)))); diff != "" {
				t.Errorf("fields with a message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConsentPositionOf(t *testing.T) {
	records := []*waymark.ConsentRecord{
		{Purpose: "sharing", Basis: "consent", Decision: "given", OrgIDs: []string{"police", "council"}, OrgNames: []string{"Police", "Council"}},
		{Purpose: "statistics", Basis: "consent", Decision: "withdrawn"},
		{Purpose: "support", Basis: "consent", Decision: "given", ExpiresOn: "2026-11-27"},
		{Purpose: "sharing", Basis: "consent", Decision: "withdrawn", OrgIDs: []string{"police"}, OrgNames: []string{"Police"}},
		{Purpose: "referral", Basis: "safeguarding"},
	}
	p := waymark.ConsentPositionOf(records, "2026-11-27")
	got := map[string]waymark.ConsentState{}
	for _, s := range append(p.Purposes, p.Sharing...) {
		got[string(s.Purpose)+" "+s.OrgName] = s.State
	}
	want := map[string]waymark.ConsentState{"support ": waymark.StateLapsed, "referral ": waymark.StateOtherBasis, "statistics ": waymark.StateWithdrawn,
		"sharing Police": waymark.StateWithdrawn, "sharing Council": waymark.StateGiven}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("position (-want +got):\n%s", diff)
	}
	if !p.ExcludedFromStatistics() || p.SharingWith("police").State.Allows() || !p.SharingWith("council").State.Allows() || p.SharingWith("nhs").State != waymark.StateNotAsked {
		t.Errorf("position %+v answers wrongly", p)
	}
	if n := len(p.Overrides()); n != 1 {
		t.Errorf("%d overrides; want the referral's", n)
	}
}
