package waymark

import (
	"slices"
)

// DutyToNotifyReport is the anonymous report a specified public authority makes to the Home Office
// about an adult who does not consent to an NRM referral (DOMAIN.md §4). It holds the person's
// gender and nationality only, and their contact details only if they agree to cooperate with the
// authorities: nothing else from the record may be added.
type DutyToNotifyReport struct {
	Gender            Gender
	Nationalities     []string
	NationalityAnswer Answer
	AgreesToCooperate bool
	// Contacts are the details marked safe to contact, and only when AgreesToCooperate.
	Contacts []Contact
}

// NewDutyToNotifyReport builds the report from the client's record. It copies field by field rather
// than filtering the record, so that a field added to Client later cannot leak into the report.
func NewDutyToNotifyReport(c *Client, agreesToCooperate bool) DutyToNotifyReport {
	r := DutyToNotifyReport{
		Gender:            c.Gender,
		Nationalities:     slices.Clone(c.Nationalities),
		NationalityAnswer: c.NationalityAnswer,
		AgreesToCooperate: agreesToCooperate,
	}
	if agreesToCooperate {
		for _, ct := range c.Contacts {
			// The police will use these: a detail an exploiter may read would put the person at risk.
			if ct.SafeToContact == AnswerYes {
				r.Contacts = append(r.Contacts, ct)
			}
		}
	}
	return r
}
