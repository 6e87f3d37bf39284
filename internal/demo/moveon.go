package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"waymark"
)

// afterStage is where a demo client stands after support: ending soon with or without a home and
// an income in place, or ended some months ago with the follow-ups since.
type afterStage int

const (
	afterEndingGap afterStage = iota
	afterEndingReady
	afterEndedWeeks
	afterEnded1to3
	afterEnded3to6
	afterEnded6to12
	afterEndedYear
	numAfterStages
)

// afterWeights share the clients with a move-on plan among the stages; most have left support,
// so that outcomes at 3, 6 and 12 months have people to count.
var afterWeights = [numAfterStages]int{15, 10, 8, 15, 17, 15, 20}

// afterDays are the ranges of days from today to the end of support, per stage (negative: ended).
var afterDays = [numAfterStages][2]int{{2, 28}, {3, 28}, {-25, -1}, {-85, -35}, {-175, -95}, {-355, -190}, {-540, -370}}

// movePercent is the share of clients with a concern who have a move-on plan.
const movePercent = 65

// moveOnGen records demo move-on plans and follow-ups.
type moveOnGen struct {
	*clientGen
	s      Services
	region *Region
	today  time.Time
	staff  []waymark.Actor // each organisation's frontline worker
	seen   [numAfterStages]int
}

// recordMoveOn gives some clients with a concern a move-on plan at every stage after support, and
// the follow-ups due since support ended: most recorded, some could not contact, some overdue.
func recordMoveOn(ctx context.Context, s Services, r *Region, o Options, rnd *rand.Rand, concerned []journeyClient) error {
	y, m, d := o.Today.In(waymark.London()).Date()
	g := &moveOnGen{clientGen: &clientGen{r: rnd}, s: s, region: r, today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), staff: make([]waymark.Actor, len(r.Organisations))}
	for _, u := range r.Users {
		for i, org := range r.Organisations {
			if u.OrgID == org.ID && u.Role == waymark.RoleFrontline {
				g.staff[i] = waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
			}
		}
	}
	weights := afterWeights[:]
	for _, jc := range concerned {
		if !g.chance(movePercent) {
			continue
		}
		stage := afterStage(pickWeighted(g.r, weights))
		// The first clients take the stages in turn, so that every stage is there.
		for st := range numAfterStages {
			if g.seen[st] == 0 {
				stage = st
				break
			}
		}
		g.seen[stage]++
		if err := g.client(ctx, jc, stage); err != nil {
			return fmt.Errorf("demo: record life after support for a client of %s: %w", orgSpecs[jc.org].name, err)
		}
	}
	return nil
}

// client records one client's plan (a first version, then the plan as it stands) and follow-ups.
func (g *moveOnGen) client(ctx context.Context, jc journeyClient, stage afterStage) error {
	actor, marker := g.staff[jc.org], g.region.Organisations[jc.org].Marker
	end := g.today.AddDate(0, 0, afterDays[stage][0]+g.r.IntN(afterDays[stage][1]-afterDays[stage][0]+1))
	first := waymark.MoveOnPlan{SupportEndsOn: date(end), AccommodationType: "not_known", AccommodationStatus: "not_started",
		HousingDuty: "not_known", ImmigrationStatus: jc.c.ImmigrationStatus, GPRegistered: waymark.AnswerNotKnown, Employment: "not_known",
		Benefits: []waymark.BenefitClaim{{Benefit: "universal_credit", Status: "not_claimed"}}, Notes: "First move-on meeting. " + marker}
	if err := g.s.MoveOn.SavePlan(ctx, actor, jc.c.ID, 0, &first); err != nil {
		return fmt.Errorf("save the first plan: %w", err)
	}
	now := first
	now.AccommodationType = waymark.AccommodationType(g.pick([]string{"social_tenancy", "private_rented", "supported_housing", "temporary_accommodation"}))
	now.AccommodationStatus = "moved_in"
	now.Benefits = []waymark.BenefitClaim{{Benefit: "universal_credit", Status: waymark.ClaimInPayment}}
	now.HousingDuty, now.HousingAuthority, now.HousingAppliedOn = "relief", "Leeds City Council", date(end.AddDate(0, 0, -40))
	now.GPRegistered, now.Employment = waymark.AnswerYes, waymark.Employment(g.pick([]string{"looking", "education", "employed", "not_able"}))
	now.SupportServices, now.Notes = g.pick(supportServices), "Plan agreed with the person. "+marker
	switch stage {
	case afterEndingGap:
		// The cliff edge: something missing weeks before support ends.
		now.AccommodationStatus = waymark.AccommodationStatus(g.pick([]string{"not_started", "looking", "offered"}))
		now.Benefits = []waymark.BenefitClaim{{Benefit: "universal_credit", Status: waymark.ClaimStatus(g.pick([]string{"not_claimed", "claimed"}))}}
		if now.Employment == "employed" {
			now.Employment = "looking"
		}
		now.HousingDuty = waymark.HousingDuty(g.pick([]string{"prevention", "no_application"}))
		if now.HousingDuty == "no_application" {
			now.HousingAuthority, now.HousingAppliedOn = "", ""
		}
	case afterEndingReady:
		now.AccommodationStatus = "secured"
	}
	if now.HousingAppliedOn > date(g.today) {
		now.HousingAppliedOn = date(g.today)
	}
	if err := g.s.MoveOn.SavePlan(ctx, actor, jc.c.ID, 1, &now); err != nil {
		return fmt.Errorf("save the plan: %w", err)
	}
	for _, months := range waymark.DefaultFollowUpMonths {
		due := waymark.AddMonths(date(end), months)
		if due > date(g.today) {
			break
		}
		// A few follow-ups are not yet done: overdue, for the cliff-edge view.
		if g.chance(12) {
			continue
		}
		if err := g.s.MoveOn.RecordFollowUp(ctx, actor, jc.c.ID, 0, g.followUp(months, due, marker)); err != nil {
			return fmt.Errorf("record the follow-up at %d months: %w", months, err)
		}
	}
	return nil
}

// followUp is how a person was doing at months after support ended, found out on or after due.
func (g *moveOnGen) followUp(months int, due, marker string) *waymark.FollowUp {
	yesNo := func(percent int) waymark.Answer {
		if g.chance(percent) {
			return waymark.AnswerYes
		}
		return waymark.AnswerNo
	}
	if g.chance(18) {
		u := &waymark.FollowUp{Months: months, Notes: "No answer on the last number we had. " + marker}
		on, _ := time.Parse(time.DateOnly, due)
		for range 1 + g.r.IntN(3) {
			if on.After(g.today) {
				on = g.today
			}
			u.Attempts = append(u.Attempts, waymark.ContactAttempt{On: date(on), Method: waymark.ContactMethod(g.pick([]string{"phone", "text", "visit", "via_partner"}))})
			on = on.AddDate(0, 0, 2+g.r.IntN(5))
		}
		return u
	}
	u := &waymark.FollowUp{Months: months, Contacted: true, StableAccommodation: yesNo(70), RoughSleeping: waymark.AnswerNo, ReExploited: yesNo(6),
		InContact: yesNo(85), Notes: g.pick(followUpNotes) + " " + marker}
	if u.StableAccommodation == waymark.AnswerNo {
		u.RoughSleeping = yesNo(40)
	}
	return u
}

var supportServices = []string{
	"Community mental health team; Citizens Advice for the Universal Credit claim.",
	"Salvation Army reach-in support; English classes at the college.",
	"Drug and alcohol service; the day centre's weekly drop-in.",
	"Floating support from the council; a solicitor for the asylum claim.",
}

var followUpNotes = []string{
	"Settled in the flat and going to college two days a week.",
	"Struggling with the rent since the hours were cut; referred to the money advice service.",
	"Doing well; wants to keep in touch with the drop-in.",
	"Had to leave the room after a dispute with the landlord; staying with a friend.",
}
