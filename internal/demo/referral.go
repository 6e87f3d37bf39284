package demo

import (
	"context"
	"fmt"

	"waymark"
)

// demoReferral is one referral the demo sends: from a client of one organisation to another
// organisation, sharing a few items, and how far the recipient has taken it.
type demoReferral struct {
	shared []waymark.ShareField
	reason string
	// then lists what happens after sending, in order, by the recipient (or the sender, to withdraw).
	then []waymark.ReferralAction
	why  string
}

// demoReferrals are the referrals sent, one per client with a concern in turn, so that every
// status appears. The reasons hold no organisation's marker: the recipient sees them, and the
// permission test allows a recipient only what was shared with it.
var demoReferrals = []demoReferral{
	{shared: []waymark.ShareField{waymark.ShareName, waymark.ShareLanguages}, reason: "Asks for advice on the NRM and an interpreter for the first meeting."},
	{shared: []waymark.ShareField{waymark.ShareName, waymark.ShareGender, waymark.ShareExploitationTypes}, reason: "Needs a safe house place while an NRM referral is made.",
		then: []waymark.ReferralAction{waymark.ReferralAccept}},
	{shared: []waymark.ShareField{waymark.ShareKnownAs, waymark.ShareSituation}, reason: "Would like help with a benefits claim.",
		then: []waymark.ReferralAction{waymark.ReferralDecline}, why: "We have no capacity this month: try the day centre's advice session."},
	{shared: []waymark.ShareField{waymark.ShareName, waymark.ShareSupportNeeds}, reason: "Registration with a GP and a mental health assessment.",
		then: []waymark.ReferralAction{waymark.ReferralAccept, waymark.ReferralComplete}},
	{shared: []waymark.ShareField{waymark.ShareName, waymark.ShareDateOfBirth}, reason: "Immigration advice before the interview.",
		then: []waymark.ReferralAction{waymark.ReferralWithdraw}, why: "The person found a solicitor themselves."},
}

// recordReferrals sends the demo referrals: each organisation's clients with a concern are
// referred in turn to the next organisation whose staff see clients.
func recordReferrals(ctx context.Context, s Services, r *Region, concerned []journeyClient) error {
	staff := map[string]waymark.Actor{}
	var orgs []string
	for _, u := range r.Users {
		if u.Role == waymark.RoleFrontline {
			if _, ok := staff[u.OrgID]; !ok {
				orgs = append(orgs, u.OrgID)
			}
			staff[u.OrgID] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
		}
	}
	if len(orgs) < 2 {
		return nil
	}
	sent := map[string]int{}
	for _, jc := range concerned {
		from := jc.c.OrgID
		n := sent[from]
		if n >= len(demoReferrals) {
			continue
		}
		sent[from]++
		idx := 0
		for i, o := range orgs {
			if o == from {
				idx = i
			}
		}
		to := orgs[(idx+1+n%(len(orgs)-1))%len(orgs)]
		d := demoReferrals[n]
		ref := &waymark.Referral{ToOrgID: to, Reason: d.reason, Shared: d.shared}
		if err := s.Referrals.SendReferral(ctx, staff[from], jc.c.ID, ref); err != nil {
			return fmt.Errorf("demo: send a referral: %w", err)
		}
		version := ref.Version
		for _, a := range d.then {
			who := staff[to]
			if a == waymark.ReferralWithdraw {
				who = staff[from]
			}
			reason := ""
			if a.NeedsReason() {
				reason = d.why
			}
			got, err := s.Referrals.ActOnReferral(ctx, who, ref.ID, version, a, reason)
			if err != nil {
				return fmt.Errorf("demo: %s a referral: %w", a, err)
			}
			version = got.Version
		}
	}
	return nil
}
