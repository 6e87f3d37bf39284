package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"waymark"
)

// AssessmentInfo describes the demo self-assessments.
type AssessmentInfo struct {
	// Latest is each service organisation's latest completed assessment, by organisation ID.
	Latest map[string]string
	// IDs are every assessment made.
	IDs []string
	// ActionIDs are every organisation's plan actions.
	ActionIDs []string
}

// AssessmentMarker is the string in one evidence note of each organisation's assessments: staff
// of other organisations may never see it. "" if the organisation is not one of the region's.
func (r *Region) AssessmentMarker(orgID string) string {
	if m := r.Marker(orgID); m != "" {
		return "ASSESS" + m[len("MKR"):]
	}
	return ""
}

var demoEvidence = map[waymark.AssessmentAnswer]string{
	waymark.AssessYes:    "In place and checked at the last team meeting.",
	waymark.AssessPartly: "Started, but not yet across every team.",
	waymark.AssessNo:     "Not in place yet: see the action plan.",
}

var demoActions = []struct {
	text, rec string
}{
	{"Book first responder training for the night team", "R2"},
	{"Put posters about workers' rights in the languages clients read at reception", "R1"},
	{"Ask the screening questions at every new client's first assessment", "R3"},
	{"Agree a data sharing agreement with the Modern Slavery Unit", "R6"},
	{"Check every move-on plan a month before support ends", "R5"},
}

var demoOwners = []string{"Priya Shah", "Tom Whitaker", "Grace Okafor", "Liam Doyle"}

// recordAssessments gives every service organisation two or three completed self-assessments over
// the last 18 months, answered a little better each time so the trend rises, with the measures
// worked out from the records as they stood then, and an action plan with open and done actions.
func recordAssessments(ctx context.Context, s Services, r *Region, o Options, rnd *rand.Rand) error {
	today := waymark.Today(o.Today)
	r.Assessments.Latest = map[string]string{}
	managers := map[string]waymark.Actor{}
	for _, u := range r.Users {
		if u.Role == waymark.RoleManager {
			managers[u.OrgID] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
		}
	}
	criteria := waymark.CurrentFramework().Criteria()
	for i, spec := range orgSpecs {
		if spec.prefix == "" {
			continue
		}
		orgID := r.Organisations[i].ID
		mgr := managers[orgID]
		n := 2 + rnd.IntN(2)
		// Each organisation starts from its own level and improves.
		base := rnd.IntN(3)
		for k := 0; k < n; k++ {
			on := waymark.AddMonths(today, -18+k*6+rnd.IntN(2))
			answers := map[string]waymark.CriterionAnswer{}
			for j, c := range criteria {
				level := min(2, max(0, base+k+rnd.IntN(3)-1))
				a := []waymark.AssessmentAnswer{waymark.AssessNo, waymark.AssessPartly, waymark.AssessYes}[level]
				ev := demoEvidence[a]
				if j == 1 {
					ev += " Reference " + r.AssessmentMarker(orgID) + "."
				}
				answers[c.ID] = waymark.CriterionAnswer{Answer: a, Evidence: ev}
			}
			a, err := s.Assessments.RecordPastAssessment(ctx, mgr, on, answers)
			if err != nil {
				return fmt.Errorf("demo: record a self-assessment of %s: %w", spec.name, err)
			}
			r.Assessments.IDs = append(r.Assessments.IDs, a.ID)
			r.Assessments.Latest[orgID] = a.ID
		}
		for k := 0; k < 3; k++ {
			d := demoActions[(i+k)%len(demoActions)]
			p := &waymark.PlanAction{Text: d.text, Owner: demoOwners[rnd.IntN(len(demoOwners))], DueOn: waymark.AddMonths(today, k*2-1), Recommendation: d.rec,
				Status: []string{waymark.PlanDone, waymark.PlanOpen, waymark.PlanOpen}[k]}
			if err := s.Assessments.AddAction(ctx, mgr, p); err != nil {
				return fmt.Errorf("demo: add an action for %s: %w", spec.name, err)
			}
			r.Assessments.ActionIDs = append(r.Assessments.ActionIDs, p.ID)
		}
	}
	return nil
}
