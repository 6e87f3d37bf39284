package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"waymark"
)

// journeyClient is a client with a concern and the index of its organisation in orgSpecs.
type journeyClient struct {
	c   *waymark.Client
	org int
}

// journeyStage is how far a demo NRM journey has gone.
type journeyStage int

const (
	// stageStarted: the pathway's questions are answered, and nothing else is recorded yet.
	stageStarted journeyStage = iota
	// stageConsented: an adult gave informed consent; the referral is not submitted yet.
	stageConsented
	// stageRefused: an adult did not consent; the worker asks again later.
	stageRefused
	// stageReferred: the referral is submitted, with no decision yet.
	stageReferred
	stageRGPositive
	stageRGNegative
	stageCGPositive
	stageCGNegative
	numStages
)

// stageWeights are the adults' stages in rough proportion: most referred people have a positive
// reasonable grounds decision, fewer a conclusive one, and refusals are common.
var stageWeights = [numStages]int{10, 9, 16, 10, 19, 8, 13, 6}

// childStageWeights are children's stages: a child is referred without consent, so their journey
// starts with children's services and a referral.
var childStageWeights = map[journeyStage]int{stageReferred: 3, stageRGPositive: 5, stageCGPositive: 2}

const (
	// journeyPercent is the share of adults with a concern who have a journey; the rest are new
	// concerns nobody has started the pathway for.
	journeyPercent = 70
	// minChildren is how many children's journeys the region has at least, when it has enough
	// clients with a concern: where too few are under 18 by their record, clients whose age is not
	// recorded are answered as "not sure", as a worker who cannot tell would.
	minChildren = 4
	// maxDeclinedApplications is how many people decline a homelessness application.
	maxDeclinedApplications = 2
)

// plannedJourney is one client's journey to record.
type plannedJourney struct {
	journeyClient
	stage journeyStage
	// under18 is the answer to "Is the person under 18?": yes or not sure for a child.
	under18 waymark.Under18
}

func (p plannedJourney) child() bool { return p.under18 != waymark.Under18No }

// orgStaff are the organisation's staff who record journeys.
type orgStaff struct {
	frontline, lead         waymark.Actor
	frontlineName, leadName string
}

// journeyGen records demo NRM journeys.
type journeyGen struct {
	*clientGen
	s      Services
	region *Region
	// now is Options.Today, for the client's age; today its London date at midnight UTC, which
	// every date is counted from.
	now, today time.Time
	staff      []orgStaff
	// partners are the indexes in orgSpecs of the First Responders that organisations which are not
	// one choose as partners.
	partners []int
	// ref numbers the references the Home Office gives referrals and Duty to Notify reports.
	ref int
	// declined counts declined homelessness applications; soonAsk, ending and reconsidered count
	// refusals asked again within two weeks, support ending within two weeks and negative
	// decisions reconsidered, so that the first of each is sure to appear.
	declined, soonAsk, ending, reconsidered int
}

func newJourneyGen(s Services, r *Region, o Options, rnd *rand.Rand) *journeyGen {
	y, m, d := o.Today.In(waymark.London()).Date()
	g := &journeyGen{clientGen: &clientGen{r: rnd}, s: s, region: r, now: o.Today, today: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	g.ref = 100 + g.r.IntN(400)
	g.staff = make([]orgStaff, len(r.Organisations))
	for _, u := range r.Users {
		i := slices.IndexFunc(r.Organisations, func(o OrgInfo) bool { return o.ID == u.OrgID })
		a := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
		switch u.Role {
		case waymark.RoleFrontline:
			g.staff[i].frontline, g.staff[i].frontlineName = a, u.Name
		case waymark.RoleSafeguardingLead:
			g.staff[i].lead, g.staff[i].leadName = a, u.Name
		}
	}
	for i, spec := range orgSpecs {
		if spec.slug == "freedom" || spec.slug == "housing" {
			g.partners = append(g.partners, i)
		}
	}
	return g
}

// record plans and records the journeys of some of the clients with a concern.
func (g *journeyGen) record(ctx context.Context, concerned []journeyClient) error {
	for _, p := range g.plan(concerned) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := g.journey(ctx, p); err != nil {
			return fmt.Errorf("demo: record the NRM journey of a client of %s: %w", orgSpecs[p.org].name, err)
		}
	}
	return nil
}

// plan chooses who has a journey and how far it has gone, in the clients' order: every child with
// a concern (and enough others whose age is not known), and most adults, at least one at each stage.
func (g *journeyGen) plan(concerned []journeyClient) []plannedJourney {
	var children, adults, ageUnknown []int
	under18 := map[int]waymark.Under18{}
	for i, jc := range concerned {
		switch u := jc.c.IsUnder18(g.now); u {
		case waymark.Under18Yes, waymark.Under18NotSure:
			children = append(children, i)
			under18[i] = u
		default:
			adults = append(adults, i)
			if u == waymark.Under18NotRecorded {
				ageUnknown = append(ageUnknown, i)
			}
		}
	}
	g.r.Shuffle(len(ageUnknown), func(a, b int) { ageUnknown[a], ageUnknown[b] = ageUnknown[b], ageUnknown[a] })
	for _, i := range ageUnknown {
		if len(children) >= minChildren || len(adults) <= int(numStages) {
			break
		}
		children = append(children, i)
		under18[i] = waymark.Under18NotSure
		adults = slices.DeleteFunc(adults, func(a int) bool { return a == i })
	}

	stages := map[int]journeyStage{}
	childStages := []journeyStage{stageReferred, stageRGPositive, stageCGPositive}
	childWeights := []int{childStageWeights[stageReferred], childStageWeights[stageRGPositive], childStageWeights[stageCGPositive]}
	for k, i := range children {
		if k < len(childStages) {
			stages[i] = childStages[k]
		} else {
			stages[i] = childStages[pickWeighted(g.r, childWeights)]
		}
	}
	g.r.Shuffle(len(adults), func(a, b int) { adults[a], adults[b] = adults[b], adults[a] })
	// Each stage gets its share, at least one journey, and the rest are drawn by weight.
	n := max(len(adults)*journeyPercent/100, min(len(adults), int(numStages)))
	total := 0
	for _, w := range stageWeights {
		total += w
	}
	var picked []journeyStage
	for st, w := range stageWeights {
		for range max(1, n*w/total) {
			picked = append(picked, journeyStage(st))
		}
	}
	for len(picked) < n {
		picked = append(picked, journeyStage(pickWeighted(g.r, stageWeights[:])))
	}
	g.r.Shuffle(len(picked), func(a, b int) { picked[a], picked[b] = picked[b], picked[a] })
	picked = picked[:n]
	// A refusal at a specified public authority shows a Duty to Notify report: make sure there is one.
	spa := func(k int) bool { return orgSpecs[concerned[adults[k]].org].spa }
	refused := -1
	for k, st := range picked {
		if st == stageRefused && (refused < 0 || spa(k)) {
			refused = k
		}
	}
	if refused >= 0 && !spa(refused) {
		for k := range picked {
			if spa(k) {
				picked[k], picked[refused] = picked[refused], picked[k]
				break
			}
		}
	}
	for k, i := range adults[:n] {
		stages[i] = picked[k]
	}

	var out []plannedJourney
	for i, jc := range concerned {
		stage, ok := stages[i]
		if !ok {
			continue
		}
		u := under18[i]
		if u == "" {
			u = waymark.Under18No
		}
		out = append(out, plannedJourney{journeyClient: jc, stage: stage, under18: u})
	}
	return out
}

// days returns a whole number of days from lo to hi.
func (g *journeyGen) days(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func (g *journeyGen) before(t time.Time, lo, hi int) time.Time {
	return t.AddDate(0, 0, -g.days(lo, hi))
}

func (g *journeyGen) after(t time.Time, lo, hi int) time.Time { return t.AddDate(0, 0, g.days(lo, hi)) }

// past returns t, or today if t is later: a record of something done is never dated in the future.
func (g *journeyGen) past(t time.Time) time.Time {
	if t.After(g.today) {
		return g.today
	}
	return t
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// timeline dates the journey, counting back from today: first is when the worker asked for
// consent (or referred a child to children's services), then the referral and the decisions. A
// positive conclusive grounds decision with cliff set is dated so that move-on support ends in the
// next two weeks.
type timeline struct{ first, referral, rg, cg time.Time }

func (g *journeyGen) timeline(stage journeyStage, cliff bool) timeline {
	var t timeline
	switch stage {
	case stageStarted, stageConsented, stageRefused:
		t.first = g.before(g.today, 1, 21)
		return t
	case stageReferred:
		// Some long enough ago that the reasonable grounds decision is overdue.
		t.referral = g.before(g.today, 1, 60)
	case stageRGPositive, stageRGNegative:
		t.rg = g.before(g.today, 1, 150)
		t.referral = g.before(t.rg, 5, 60)
	case stageCGPositive, stageCGNegative:
		switch {
		case cliff:
			t.cg = g.today.AddDate(0, 0, g.days(2, 12)-waymark.MoveOnDays)
		case stage == stageCGPositive:
			t.cg = g.before(g.today, waymark.MoveOnDays+16, 300)
		default:
			t.cg = g.before(g.today, 1, 150)
		}
		t.rg = g.before(t.cg, 60, 200)
		t.referral = g.before(t.rg, 5, 40)
	}
	t.first = g.before(t.referral, 0, 3)
	return t
}

// journey records one client's journey.
func (g *journeyGen) journey(ctx context.Context, p plannedJourney) error {
	spec, info, staff, c := orgSpecs[p.org], g.region.Organisations[p.org], g.staff[p.org], p.c
	note := func(text string) string { return text + " " + info.Marker }
	js := g.s.Journeys
	cliff := false
	if p.stage == stageCGPositive && !p.child() {
		cliff = g.ending == 0 || g.chance(30)
		if cliff {
			g.ending++
		}
	}
	t := g.timeline(p.stage, cliff)

	// The pathway's questions. An organisation that is not a First Responder chooses a partner to
	// refer, usually as soon as it starts.
	a := waymark.PathwayAnswers{ImmediateDanger: waymark.AnswerNo, Under18: p.under18}
	switch n := g.r.IntN(100); {
	case n < 45:
		a.Cooperates = waymark.AnswerYes
	case n < 75:
		a.Cooperates = waymark.AnswerNo
	default:
		a.Cooperates = waymark.AnswerNotKnown
	}
	if !p.child() {
		switch {
		case len(c.SupportNeeds) > 0:
			a.CareAndSupportNeeds = waymark.AnswerYes
		case g.chance(50):
			a.CareAndSupportNeeds = waymark.AnswerNo
		default:
			a.CareAndSupportNeeds = []waymark.Answer{waymark.AnswerYes, waymark.AnswerNotKnown}[g.r.IntN(2)]
		}
	}
	var partner *OrgInfo
	if !spec.fr && (p.stage != stageStarted || g.chance(50)) {
		partner = &g.region.Organisations[g.partners[g.r.IntN(len(g.partners))]]
		a.PartnerOrgID = partner.ID
	}
	if _, err := js.SaveAnswers(ctx, staff.frontline, c.ID, 0, a); err != nil {
		return fmt.Errorf("save the pathway answers: %w", err)
	}
	if p.stage == stageStarted {
		return nil
	}

	step := func(kind waymark.StepKind, outcome waymark.StepOutcome, on time.Time, ref, text string) error {
		s := &waymark.StepRecord{Kind: kind, Outcome: outcome, On: date(g.past(on)), Reference: ref, Note: note(text)}
		if err := js.RecordStep(ctx, staff.frontline, c.ID, s); err != nil {
			return fmt.Errorf("record the step %s: %w", kind, err)
		}
		return nil
	}
	// Steps taken when the worker first acted: the police called for a few who were in danger then (safe now),
	// children's services for a child, and the parallel steps.
	if g.chance(5) {
		if err := step(waymark.StepCallPolice, waymark.StepDone, t.first, "", g.pick(callPoliceNotes)); err != nil {
			return err
		}
	}
	if p.child() {
		if err := step(waymark.StepChildrensServices, waymark.StepDone, t.first, fmt.Sprintf("CS-%d-%04d", t.first.Year(), g.r.IntN(10000)), g.pick(childrensServicesNotes)); err != nil {
			return err
		}
	}
	if (p.child() && g.chance(80)) || (a.Cooperates == waymark.AnswerYes && g.chance(65)) {
		on := g.after(t.first, 0, 5)
		if err := step(waymark.StepPoliceReport, waymark.StepDone, on, fmt.Sprintf("NMP/%d/%05d", g.past(on).Year(), g.r.IntN(100000)), g.pick(policeReportNotes)); err != nil {
			return err
		}
	}
	if !p.child() && (a.CareAndSupportNeeds == waymark.AnswerYes || a.CareAndSupportNeeds == waymark.AnswerNotKnown) && g.chance(50) {
		if err := step(waymark.StepAdultSafeguarding, waymark.StepDone, g.after(t.first, 0, 7), fmt.Sprintf("SG-%05d", g.r.IntN(100000)), g.pick(safeguardingNotes)); err != nil {
			return err
		}
	}
	if !p.child() && homeless(c) && g.chance(55) {
		on := g.after(t.first, 0, 10)
		var err error
		if g.declined < maxDeclinedApplications && (g.declined == 0 || g.chance(20)) {
			g.declined++
			err = step(waymark.StepHomelessnessApplication, waymark.StepDeclined, on, "", g.pick(declinedApplicationNotes))
		} else {
			err = step(waymark.StepHomelessnessApplication, waymark.StepDone, on, fmt.Sprintf("HPR/%d/%04d", g.past(on).Year(), g.r.IntN(10000)), g.pick(applicationNotes))
		}
		if err != nil {
			return err
		}
	}
	// Consent, asked of an adult by a worker of the organisation.
	if !p.child() {
		asked := staff.frontlineName
		if g.chance(30) {
			asked = staff.leadName
		}
		cs := &waymark.NRMConsent{ExplainedNRM: true, ExplainedSupport: true, ExplainedOutcomes: true, ExplainedSharing: true,
			Answer: waymark.ConsentGiven, AnsweredOn: date(t.first), AskedBy: asked}
		if p.stage == stageRefused {
			cs.Answer, cs.RefusalReason = waymark.ConsentRefused, note(g.pick(refusalReasons))
			// At least two days ahead, so the date is still in the future when a slow run records it.
			if g.soonAsk == 0 || g.chance(50) {
				g.soonAsk++
				cs.AskAgainOn = date(g.after(g.today, 2, waymark.ConsentRevisitDays-1))
			} else {
				cs.AskAgainOn = date(g.after(g.today, waymark.ConsentRevisitDays+1, 60))
			}
		}
		if err := js.RecordConsent(ctx, staff.frontline, c.ID, cs); err != nil {
			return fmt.Errorf("record consent: %w", err)
		}
	}
	if p.stage == stageRefused {
		if !spec.spa {
			return nil
		}
		on := g.past(g.after(t.first, 0, 2))
		d := &waymark.DutyToNotifyRecord{AgreesToCooperate: a.Cooperates == waymark.AnswerYes, SubmittedOn: date(on), Reference: g.reference("DTN", on)}
		if err := js.RecordDutyToNotify(ctx, staff.lead, c.ID, d); err != nil {
			return fmt.Errorf("record a Duty to Notify report: %w", err)
		}
		return nil
	}
	if p.stage == stageConsented {
		return nil
	}

	// The referral: by the organisation if it is a First Responder, otherwise by its partner.
	referrer := info
	if !spec.fr {
		referrer = *partner
		if err := step(waymark.StepPartnerReferral, waymark.StepDone, t.referral, "",
			fmt.Sprintf("Asked %s to make the referral; they sent the reference.", partner.Name)); err != nil {
			return err
		}
	}
	ref := &waymark.NRMReferral{SubmittedOn: date(t.referral), FirstResponderOrgID: referrer.ID, Reference: g.reference("NRM", t.referral)}
	if err := js.RecordReferral(ctx, staff.lead, c.ID, ref); err != nil {
		return fmt.Errorf("record the referral: %w", err)
	}
	if p.stage == stageReferred {
		return nil
	}

	milestone := func(kind waymark.MilestoneKind, on time.Time, text string) error {
		m := &waymark.NRMMilestone{Kind: kind, On: date(on), Note: note(text)}
		if err := js.RecordMilestone(ctx, staff.lead, c.ID, m); err != nil {
			return fmt.Errorf("record the milestone %s: %w", kind, err)
		}
		return nil
	}
	// The decisions, by the Single Competent Authority, or Immigration Enforcement for some people
	// without leave to remain.
	authority := waymark.CompetentAuthority("single_competent_authority")
	if (c.ImmigrationStatus == "no_leave" || c.ImmigrationStatus == "asylum_seeker") && g.chance(40) {
		authority = "immigration_enforcement"
	}
	decide := func(stage waymark.DecisionStage, positive bool, on time.Time) error {
		d := &waymark.NRMDecision{Stage: stage, Outcome: waymark.OutcomePositive, Authority: authority, DecidedOn: date(on)}
		if !positive {
			d.Outcome = waymark.OutcomeNegative
			if g.reconsidered == 0 || g.chance(50) {
				g.reconsidered++
				d.ReconsiderationRequestedOn = date(g.past(g.after(on, 3, 20)))
			}
		}
		if err := js.RecordDecision(ctx, staff.lead, c.ID, d); err != nil {
			return fmt.Errorf("record the %s decision: %w", stage, err)
		}
		return nil
	}
	if err := decide(waymark.ReasonableGrounds, p.stage != stageRGNegative, t.rg); err != nil {
		return err
	}
	if p.stage == stageRGNegative {
		return nil
	}
	// What follows a positive reasonable grounds decision: support under the Victim Care Contract
	// for an adult, a guardian for some children, and an assessment of recovery needs.
	if p.child() {
		if on := g.after(t.rg, 1, 10); g.chance(60) && !on.After(g.today) {
			if err := milestone("guardian_appointed", on, g.pick(guardianNotes)); err != nil {
				return err
			}
		}
	} else if start := g.after(t.rg, 1, 7); !start.After(g.today) {
		if err := milestone("victim_care_start", start, g.pick(victimCareStartNotes)); err != nil {
			return err
		}
		if on := g.after(start, 14, 40); !on.After(g.today) && (p.stage != stageRGPositive || g.chance(60)) {
			if err := milestone("recovery_needs_assessment", on, g.pick(recoveryNeedsNotes)); err != nil {
				return err
			}
		}
	}
	if p.stage == stageRGPositive {
		return nil
	}

	if err := decide(waymark.ConclusiveGrounds, p.stage == stageCGPositive, t.cg); err != nil {
		return err
	}
	if p.child() {
		return nil
	}
	// Victim care ends nine working days after a negative decision, and at least 45 days after a
	// positive one (move-on support); reach-in support may follow.
	if p.stage == stageCGNegative {
		return milestone("victim_care_end", t.cg.AddDate(0, 0, 13), "Support ends after the negative decision; housing and benefits advice booked.")
	}
	end := t.cg.AddDate(0, 0, waymark.MoveOnDays)
	if !cliff {
		end = g.after(end, 0, 15)
	}
	if err := milestone("victim_care_end", end, g.pick(victimCareEndNotes)); err != nil {
		return err
	}
	if on := g.after(end, 0, 5); !on.After(g.today) {
		return milestone("reach_in_start", on, "Reach-in support from the Victim Care Contract provider, by phone when needed.")
	}
	return nil
}

// reference makes the next reference the Home Office gives, such as NRM-2026-000123.
func (g *journeyGen) reference(prefix string, on time.Time) string {
	g.ref += 1 + g.r.IntN(30)
	return fmt.Sprintf("%s-%d-%06d", prefix, on.Year(), g.ref)
}

// homeless reports whether the client is homeless now, as the pathway derives it.
func homeless(c *waymark.Client) bool {
	switch c.Situation {
	case "rough_sleeping", "hostel", "emergency_accommodation", "sofa_surfing":
		return true
	}
	return false
}

// The notes workers write about the steps and milestones of a journey. Each ends, when recorded,
// with the organisation's marker.
var (
	callPoliceNotes = []string{
		"Called 999 when the person said the men who brought them were waiting outside. Police attended; safe now.",
		"Called 999 after the person was threatened at the door. Officers took them to a safe place.",
	}
	childrensServicesNotes = []string{
		"Phoned the children's services front door; a social worker came the same afternoon.",
		"Referred to children's services, who placed them in emergency foster care while the age assessment is done.",
		"Children's services took the referral; strategy meeting held with the police the next day.",
	}
	policeReportNotes = []string{
		"Reported to Northmoor Constabulary; the officer in the case will call back.",
		"Statement given with an interpreter at the station.",
		"Police took a report by phone and gave the crime reference.",
	}
	safeguardingNotes = []string{
		"Adult safeguarding referral made; the council is making enquiries.",
		"Safeguarding referral accepted; a social worker will visit with an interpreter.",
	}
	applicationNotes = []string{
		"Helped to make a homelessness application; the council accepted a relief duty.",
		"Homelessness application made at the council's offices; temporary accommodation offered.",
	}
	declinedApplicationNotes = []string{
		"Did not want the council to have their details while the people who exploited them are looking for them.",
		"Said they would rather stay with a friend for now than apply to the council.",
	}
	refusalReasons = []string{
		"Afraid of what will happen to family at home if they speak to the Home Office.",
		"Worried the Home Office will deport them.",
		"Wants to think about it and talk to a friend first.",
		"Does not see themselves as a victim; says they only need work.",
		"Too tired to talk about it today; said to ask again when settled.",
	}
	guardianNotes = []string{
		"An Independent Child Trafficking Guardian was appointed and met them with the social worker.",
		"Guardian appointed; first visit at the foster home.",
	}
	victimCareStartNotes = []string{
		"Moved into a safe house run by the Victim Care Contract provider.",
		"Outreach support from the Victim Care Contract provider started; stays in own accommodation.",
	}
	recoveryNeedsNotes = []string{
		"Recovery needs assessment done with the support worker; counselling and English classes agreed.",
		"Recovery needs assessment done: needs help with housing, benefits and a GP.",
	}
	victimCareEndNotes = []string{
		"Move-on support ends; the support worker is helping with housing and benefits.",
		"Support under the Victim Care Contract ends; referred to local services.",
	}
)
