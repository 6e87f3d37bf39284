package demo

import (
	"slices"

	"waymark"
)

// finding is what a demo screening is made to find. The answers are made to fit it, and the store
// proposes a concern status from them by the set's own rule (waymark.ProposeConcern).
type finding int

const (
	// findConcern: at least one answer indicates exploitation, so the screening proposes "suspected".
	findConcern finding = iota
	// findNothing: every question that can rule the concern out does, so it proposes "no concerns".
	findNothing
	// findTooLittle: the person could not or would not say, or the worker stopped part way, so it
	// proposes nothing.
	findTooLittle
)

// screening is a screening to record: the set asked, its answers and the worker's notes.
type screening struct {
	set     *waymark.QuestionSet
	answers map[string]string
	notes   string
}

// screening returns a screening that fits a client's concern status, with a set picked from sets,
// or nil for a client who was not screened. Nearly every client with a concern was screened: that
// is how workers who are not specialists come to a concern, and the demo region should show it
// (a few came to it another way, such as a referral from the police). Of those without a concern,
// about half of those with "no concerns" were screened, and it found nothing, and a few not yet
// asked had a screening too short to say anything.
func (g *clientGen) screening(sets []*waymark.QuestionSet, status waymark.ConcernStatus) *screening {
	var f finding
	switch status {
	case waymark.ConcernDisclosed, waymark.ConcernConfirmed:
		if !g.chance(97) {
			return nil
		}
		f = findConcern
	case waymark.ConcernSuspected:
		if !g.chance(92) {
			return nil
		}
		// A suspicion may come from answers, or from a screening the person could not finish.
		f = findConcern
		if g.chance(25) {
			f = findTooLittle
		}
	case waymark.ConcernNone:
		if !g.chance(50) {
			return nil
		}
		f = findNothing
	default:
		if !g.chance(12) {
			return nil
		}
		f = findTooLittle
	}
	set := sets[g.r.IntN(len(sets))]
	return &screening{set: set, answers: g.answers(set, f), notes: g.pick(screeningNotes[f])}
}

// screeningNotes are what a worker might write after a screening, by what it found.
var screeningNotes = map[finding][]string{
	findConcern: {
		"Asked with an interpreter on the phone. Said the boss keeps the wages for the room.",
		"Answered quietly and asked that nothing be shared with the people at the house.",
		"Became upset talking about the work; agreed to talk to the safeguarding lead.",
	},
	findNothing: {
		"Asked at the first meeting. Nothing of concern said.",
		"Answered every question easily; works occasional shifts through an agency.",
	},
	findTooLittle: {
		"Did not want to go on; will ask again somewhere quieter.",
		"Stopped part way when a friend arrived. Will try again with an interpreter.",
	},
}

// answers makes answers to the set's questions that find f. It works from the set's own data
// rather than its question keys, so a region's own set is answered as sensibly as the seeded ones:
//   - a main question (one with Clear answers) is answered with a clear answer, the first usually
//     (for the ILO indicators that is "not observed", sometimes "not known"), or with one of its
//     Concern answers where the screening finds a concern;
//   - a follow-up (no Clear answers) is asked only when a main question just above it was answered
//     with a concern, as the seeded sets' hints say ("Ask only if the answer above was yes");
//   - a screening that finds too little has an answer that is neither concern nor clear (such as
//     "client prefers not to answer"), or, for sets with no such answer, ends part way.
func (g *clientGen) answers(set *waymark.QuestionSet, f finding) map[string]string {
	var main, concern []int // indexes of the main questions, and of those that can indicate a concern
	for i, q := range set.Questions {
		if len(q.Clear) > 0 {
			main = append(main, i)
			if len(q.Concern) > 0 {
				concern = append(concern, i)
			}
		}
	}
	concernAt, unsureAt, stopAt := -1, -1, len(set.Questions)
	switch {
	case f == findConcern && len(concern) > 0:
		concernAt = concern[g.r.IntN(len(concern))]
	case f == findTooLittle && len(main) > 1:
		unsureAt = main[g.r.IntN(len(main))]
		if len(unsure(set.Questions[unsureAt])) == 0 {
			// Nothing to answer "don't know" with: the screening ends before this question instead,
			// after at least one answer.
			stopAt, unsureAt = main[1+g.r.IntN(len(main)-1)], -1
		}
	}

	answers := map[string]string{}
	aboveConcern, inFollowUps := false, false // whether a main question above the follow-ups found a concern
	for i, q := range set.Questions[:stopAt] {
		if len(q.Clear) == 0 {
			inFollowUps = true
			if aboveConcern && g.chance(90) {
				answers[q.Key] = g.followUp(q)
			}
			continue
		}
		if inFollowUps {
			aboveConcern, inFollowUps = false, false
		}
		v := g.clear(q)
		switch {
		case i == concernAt, f == findConcern && len(q.Concern) > 0 && g.chance(25):
			v = g.pick(q.Concern)
		case i == unsureAt:
			v = g.pick(unsure(q))
		case f == findConcern && g.chance(10) && len(unsure(q)) > 0:
			// People who disclose do not always answer everything.
			v = g.pick(unsure(q))
		}
		answers[q.Key] = v
		aboveConcern = aboveConcern || slices.Contains(q.Concern, v)
	}
	return answers
}

// clear returns an answer that rules the question's concern out: usually the first clear answer,
// sometimes another (for the ILO indicators, "not known").
func (g *clientGen) clear(q waymark.Question) string {
	if len(q.Clear) > 1 && g.chance(25) {
		return q.Clear[1+g.r.IntN(len(q.Clear)-1)]
	}
	return q.Clear[0]
}

// followUp answers a follow-up asked after a concern: with a concern where it has one (feeling
// forced to go on with the work), otherwise with any of its answers (how many times, how recently).
func (g *clientGen) followUp(q waymark.Question) string {
	if len(q.Concern) > 0 && g.chance(70) {
		return g.pick(q.Concern)
	}
	return g.pick(q.Answers)
}

// unsure lists the question's answers that neither indicate nor rule out a concern, such as
// "client doesn't know" or "data not collected".
func unsure(q waymark.Question) []string {
	var out []string
	for _, a := range q.Answers {
		if !slices.Contains(q.Concern, a) && !slices.Contains(q.Clear, a) {
			out = append(out, a)
		}
	}
	return out
}
