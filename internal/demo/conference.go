package demo

import (
	"context"
	"fmt"

	"waymark"
)

// ConferenceServices is what the demo's case conferences are recorded through.
type ConferenceServices interface {
	CreateConference(ctx context.Context, actor waymark.Actor, c *waymark.Conference) error
	AddCase(ctx context.Context, actor waymark.Actor, conferenceID, clientID string, withoutSharing bool, reason string) error
	SaveMinutes(ctx context.Context, actor waymark.Actor, conferenceID, clientID string, version int, text string) error
	AddAction(ctx context.Context, actor waymark.Actor, conferenceID string, a *waymark.ConferenceAction) error
	SetActionStatus(ctx context.Context, actor waymark.Actor, conferenceID, actionID string, version int, status waymark.ActionStatus) error
	UpdateConference(ctx context.Context, actor waymark.Actor, id string, version int, c *waymark.Conference) error
}

// demoMinutes are what the panels minuted about the cases they discussed.
var demoMinutes = []string{
	"Update from the outreach worker: settled in emergency accommodation, engaging well. Police confirmed the investigation into the car wash is active. Agreed: housing to assess for a priority need decision; outreach to keep weekly contact.",
	"Concern that the people who exploited him have been seen near the day centre. Agreed a safety plan: move to a hostel out of the area; police to add a marker to the address.",
	"Discussed without his record being shared with every organisation: consent to share with the council is being sought. Agreed only general advice today; to return next month.",
}

// recordConferences holds the region's case conferences among the demo organisations: last
// month's panel chaired by the police, held, with minutes and actions in every status, one case
// discussed without sharing; and next month's, chaired by the council, with cases on the agenda.
// Each case shared with every attendee is first consented to and shared for case conferences, as
// the owner's staff would before the meeting. It needs Shares and Consents too.
func recordConferences(ctx context.Context, s Services, r *Region, o Options, concerned []journeyClient) error {
	if s.Conferences == nil || s.Shares == nil || s.Consents == nil {
		return nil
	}
	today := waymark.Today(o.Today)
	slug := map[string]int{}
	for i, spec := range orgSpecs {
		slug[spec.slug] = i
	}
	id := func(s string) string { return r.Organisations[slug[s]].ID }
	staff := map[string]map[waymark.Role]waymark.Actor{}
	for _, u := range r.Users {
		if staff[u.OrgID] == nil {
			staff[u.OrgID] = map[waymark.Role]waymark.Actor{}
		}
		staff[u.OrgID][u.Role] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
	}
	police, housing, harbour, lantern, freedom := id("police"), id("housing"), id("harbour"), id("lantern"), id("freedom")

	// shareForConference consents to and shares a client's record with every other attendee, then
	// puts it on the agenda; false when the store refuses (another answer recorded for the person
	// stands in the way), so the next client is tried.
	shareForConference := func(jc journeyClient, conf *waymark.Conference) (bool, error) {
		owner := r.Organisations[jc.org].ID
		worker, lead := staff[owner][waymark.RoleFrontline], staff[owner][waymark.RoleSafeguardingLead]
		var others []string
		for _, a := range conf.AttendingOrgIDs {
			if a != owner {
				others = append(others, a)
			}
		}
		if err := s.Consents.RecordConsent(ctx, worker, jc.c.ID, &waymark.ConsentRecord{Purpose: waymark.ConsentForSharing, Basis: waymark.BasisConsent,
			Decision: waymark.ConsentDecisionGiven, OrgIDs: others, On: today,
			HowExplained: "Explained what the panel is, who attends and what they would see; agreed to be discussed."}); err != nil {
			return false, fmt.Errorf("demo: record consent for a case conference: %w", err)
		}
		for _, p := range others {
			// An existing share with the police stands; a refused one leaves the case for the next client.
			_ = s.Shares.ShareCase(ctx, lead, jc.c.ID, &waymark.CaseShare{PartnerOrgID: p, Purpose: "case_conference",
				Sections: []waymark.ShareSection{waymark.SectionIdentity, waymark.SectionHistory, waymark.SectionSupport}})
		}
		switch err := s.Conferences.AddCase(ctx, lead, conf.ID, jc.c.ID, false, ""); waymark.ErrorCode(err) {
		case "":
			return true, nil
		case waymark.EINVALID, waymark.ECONFLICT:
			return false, nil
		default:
			return false, fmt.Errorf("demo: put a case on a conference's agenda: %w", err)
		}
	}
	// onAgenda puts n clients of the organisation on the conference's agenda, shared with every attendee.
	used := map[string]bool{}
	onAgenda := func(conf *waymark.Conference, org string, n int) ([]string, error) {
		var out []string
		for _, jc := range concerned {
			if len(out) == n {
				break
			}
			if r.Organisations[jc.org].ID != org || used[jc.c.ID] {
				continue
			}
			used[jc.c.ID] = true
			ok, err := shareForConference(jc, conf)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, jc.c.ID)
			}
		}
		return out, nil
	}

	past := &waymark.Conference{Title: "Northmoor multi-agency modern slavery panel", HeldOn: waymark.AddDays(today, -14),
		AttendingOrgIDs: []string{harbour, housing, lantern}, Status: waymark.ConferenceScheduled}
	if err := s.Conferences.CreateConference(ctx, staff[police][waymark.RolePartner], past); err != nil {
		return fmt.Errorf("demo: arrange the police's conference: %w", err)
	}
	shared, err := onAgenda(past, harbour, 2)
	if err != nil {
		return err
	}
	// A Lantern House resident discussed without sharing with every organisation.
	var without string
	for _, jc := range concerned {
		if r.Organisations[jc.org].ID == lantern && !used[jc.c.ID] {
			used[jc.c.ID] = true
			if err := s.Conferences.AddCase(ctx, staff[lantern][waymark.RoleSafeguardingLead], past.ID, jc.c.ID, true,
				"He wants to be discussed but has not yet agreed to his record being shared with the council; we are asking him again this week."); err != nil {
				return fmt.Errorf("demo: put a case on the agenda without sharing: %w", err)
			}
			without = jc.c.ID
			break
		}
	}
	due := func(days int) string { return waymark.AddDays(today, days) }
	type action struct {
		client, owner, who, text string
		due                      int
		status                   waymark.ActionStatus
	}
	var actions []action
	minute := func(actor waymark.Actor, client, text string) error {
		if err := s.Conferences.SaveMinutes(ctx, actor, past.ID, client, 0, text); err != nil {
			return fmt.Errorf("demo: minute a case: %w", err)
		}
		return nil
	}
	for i, c := range shared {
		if err := minute(staff[harbour][waymark.RoleSafeguardingLead], c, demoMinutes[i]); err != nil {
			return err
		}
	}
	if len(shared) > 0 {
		actions = append(actions,
			action{shared[0], housing, "Priya Shah", "Assess for a priority need decision and write to him with the outcome.", 7, waymark.ActionOpen},
			action{shared[0], police, "DC Aaron Cole", "Confirm whether he is willing to give a statement, with an interpreter.", -3, waymark.ActionDone},
			action{shared[0], harbour, "Jo Adeyemi", "Arrange a joint visit with the police.", -7, waymark.ActionCancelled})
	}
	if len(shared) > 1 {
		actions = append(actions, action{shared[1], lantern, "Sam Okafor", "Offer a room out of the area and arrange the move.", 3, waymark.ActionOpen})
	}
	if without != "" {
		if err := minute(staff[lantern][waymark.RoleSafeguardingLead], without, demoMinutes[2]); err != nil {
			return err
		}
		actions = append(actions, action{without, lantern, "Sam Okafor", "Ask him again about sharing his record with the council.", 5, waymark.ActionOpen})
	}
	actions = append(actions, action{"", police, "Insp. Dana Hughes", "Circulate the panel's terms of reference before the next meeting.", 10, waymark.ActionOpen})
	for _, a := range actions {
		// Case actions are written by the owner's lead, who may always see the case; the panel's by its chair.
		actor := staff[police][waymark.RolePartner]
		for _, c := range append(shared, without) {
			if a.client == c && c != "" {
				owner := harbour
				if c == without {
					owner = lantern
				}
				actor = staff[owner][waymark.RoleSafeguardingLead]
			}
		}
		x := &waymark.ConferenceAction{ClientID: a.client, Text: a.text, OwnerOrgID: a.owner, Owner: a.who, DueOn: due(a.due)}
		if err := s.Conferences.AddAction(ctx, actor, past.ID, x); err != nil {
			return fmt.Errorf("demo: record a conference action: %w", err)
		}
		if a.status != waymark.ActionOpen {
			if err := s.Conferences.SetActionStatus(ctx, actor, past.ID, x.ID, x.Version, a.status); err != nil {
				return fmt.Errorf("demo: change a conference action's status: %w", err)
			}
		}
	}

	// The chair marks it held once its agenda, minutes and actions are in: no case joins it after.
	held := *past
	held.Status = waymark.ConferenceHeld
	if err := s.Conferences.UpdateConference(ctx, staff[police][waymark.RolePartner], past.ID, past.Version, &held); err != nil {
		return fmt.Errorf("demo: mark the police's conference held: %w", err)
	}

	next := &waymark.Conference{Title: "Northmoor panel: housing and move-on", HeldOn: waymark.AddDays(today, 14),
		AttendingOrgIDs: []string{police, harbour, freedom}, Status: waymark.ConferenceScheduled}
	if err := s.Conferences.CreateConference(ctx, staff[housing][waymark.RoleManager], next); err != nil {
		return fmt.Errorf("demo: arrange the council's conference: %w", err)
	}
	if _, err := onAgenda(next, harbour, 1); err != nil {
		return err
	}
	return s.Conferences.AddAction(ctx, staff[housing][waymark.RoleManager], next.ID, &waymark.ConferenceAction{Text: "Book the room at the Civic Centre and send the agenda.",
		OwnerOrgID: housing, Owner: "Priya Shah", DueOn: due(7)})
}
