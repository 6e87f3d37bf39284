package sqldb

import (
	"cmp"
	"strings"

	"waymark"
)

// The rules that put a person in a category of each breakdown (waymark.Breakdown), from the
// client record behind their first event of the population and their exploitation episodes.

// followUpOutcome puts a follow-up in one outcome category, the worst news first.
func followUpOutcome(contacted bool, stable, roughSleeping, reExploited, inContact waymark.Answer) string {
	switch {
	case !contacted:
		return "lost_contact"
	case reExploited == waymark.AnswerYes:
		return "re_exploited"
	case roughSleeping == waymark.AnswerYes || stable == waymark.AnswerNo:
		return "homeless"
	case stable == waymark.AnswerYes:
		return "stable"
	case inContact == waymark.AnswerNo:
		return "lost_contact"
	}
	return waymark.CategoryNotRecorded
}

// ageNotWorkedOut marks an age at exploitation not yet worked out.
const ageNotWorkedOut = -2

// category is the person's category under breakdown b, from their first event's client record.
// age is the age at exploitation, worked out on first use and kept for the next breakdown.
func category(b waymark.Breakdown, c *statsClient, e *statsEvent, ep *statsEpisodes, age *int) string {
	switch b {
	case waymark.ByGender:
		switch g := waymark.Gender(c.gender); g {
		case waymark.GenderFemale, waymark.GenderMale, waymark.GenderOther:
			return string(g)
		}
		return waymark.CategoryNotKnown
	case waymark.ByNationality:
		if first, _, _ := strings.Cut(c.nationalities, "\n"); first != "" {
			return first
		}
		return waymark.CategoryNotKnown
	case waymark.ByOutcome:
		return cmp.Or(e.outcome, waymark.CategoryNotRecorded)
	case waymark.ByDecision:
		switch e.outcome {
		case "positive", "negative":
			return e.outcome
		}
		return "other"
	}
	if ep == nil {
		ep = &statsEpisodes{}
	}
	switch b {
	case waymark.ByExploitationType:
		switch len(ep.types) {
		case 0:
			return waymark.CategoryNotRecorded
		case 1:
			for t := range ep.types {
				return t
			}
		}
		return waymark.CategoryMultiple
	case waymark.ByLocation:
		switch {
		case ep.uk && ep.overseas:
			return "both"
		case ep.uk:
			return "uk"
		case ep.overseas:
			return "overseas"
		}
		return waymark.CategoryNotKnown
	case waymark.ByAgeGroup, waymark.ByAgeBand:
		if *age == ageNotWorkedOut {
			*age = waymark.AgeAtExploitation(c.dateOfBirth, c.estimatedAge, c.createdYear, ep.start)
		}
		group, band := waymark.AgeCategories(*age, ep.under18Answer())
		if b == waymark.ByAgeGroup {
			return group
		}
		return band
	}
	return waymark.CategoryNotKnown
}

// under18Answer is what the episodes say of "under 18 at the time": yes if any says so, no if
// any says no, and nothing otherwise.
func (ep *statsEpisodes) under18Answer() waymark.Answer {
	switch {
	case ep.under18Yes:
		return waymark.AnswerYes
	case ep.under18:
		return waymark.AnswerNo
	}
	return ""
}
