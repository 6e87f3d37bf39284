package waymark

import (
	"time"
)

// Under18 answers the NRM form's question "Is the person under 18?" (DOMAIN.md §4). "Yes" and
// "Not sure" both take the child route: a person who may be a child is treated as one.
type Under18 string

// The answers to "Is the person under 18?".
const (
	Under18NotRecorded Under18 = ""
	Under18Yes         Under18 = "yes"
	Under18No          Under18 = "no"
	Under18NotSure     Under18 = "not_sure"
)

var under18s = optionSet{{"yes", "Yes"}, {"no", "No"}, {"not_sure", "Not sure"}}

// Valid reports whether a is one of the answers, or not recorded.
func (a Under18) Valid() bool { return a == "" || under18s.valid(string(a)) }

// Label is the answer as people read it.
func (a Under18) Label() string { return under18s.label(string(a)) }

// Under18Options lists the answers, for the form where a worker overrides the derived answer.
func Under18Options() []Option { return under18s.options() }

// ageEstimateMargin is how far above 18 an estimated age still leaves doubt. An estimate is a
// guess, and the Modern Slavery Act 2015 (s51) presumes a person is a child while there are
// reasonable grounds to believe they may be, so an estimate of 18 or 19 answers "Not sure".
const ageEstimateMargin = 2

// IsUnder18 derives the answer to "Is the person under 18?" on the London date of now from what the
// record holds: "Not sure" when the age is disputed, or when a partial date of birth or an estimated
// age leaves doubt; not recorded when nothing about age is known. The worker may override it.
func (c *Client) IsUnder18(now time.Time) Under18 {
	if c.AgeDisputed {
		return Under18NotSure
	}
	if earliest, ok := parsePartialDate(c.DateOfBirth); ok && c.DateOfBirth != "" {
		latest := earliest // the last possible birth date, for a month or a year of birth
		switch len(c.DateOfBirth) {
		case 7:
			latest = earliest.AddDate(0, 1, -1)
		case 4:
			latest = earliest.AddDate(1, 0, -1)
		}
		// Someone born on or before this date is 18 today; AddDate takes 29 February to 1 March,
		// the day a leap-day child comes of age in other years.
		adultIfBornBy := londonDate(now).AddDate(-18, 0, 0)
		switch {
		case !latest.After(adultIfBornBy):
			return Under18No
		case earliest.After(adultIfBornBy):
			return Under18Yes
		}
		return Under18NotSure
	}
	switch {
	case c.EstimatedAge <= 0:
		return Under18NotRecorded
	case c.EstimatedAge < 18:
		return Under18Yes
	case c.EstimatedAge < 18+ageEstimateMargin:
		return Under18NotSure
	}
	return Under18No
}

// londonDate is the date of t in London, at midnight UTC, so that day arithmetic ignores clock changes.
func londonDate(t time.Time) time.Time {
	y, m, d := t.In(London()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// PathwayFacts are what the referral route depends on (DOMAIN.md §4). PathwayFactsFor derives what
// the records hold; the worker answers the rest and may correct any of them.
type PathwayFacts struct {
	// ImmediateDanger is whether the person is in immediate danger now.
	ImmediateDanger Answer
	Under18         Under18
	// Consent is an adult's answer to an NRM referral; AskAgainOn ("YYYY-MM-DD") is when to ask
	// again after a refusal.
	Consent    ConsentAnswer
	AskAgainOn string
	// FirstResponder and SpecifiedPublicAuthority describe the worker's organisation.
	FirstResponder           bool
	SpecifiedPublicAuthority bool
	// Partner names the partner First Responder Organisation chosen to make NRM referrals for an
	// organisation that is not one, or is empty.
	Partner string
	// Cooperates is whether the person agrees to help the police (the NRM form's "willing to help
	// investigations"); it also decides whether a Duty to Notify report holds contact details.
	Cooperates Answer
	// CareAndSupportNeeds is whether the person may have care and support needs (Care Act 2014).
	CareAndSupportNeeds Answer
	// Homeless is whether the person is homeless now.
	Homeless Answer
}

// homelessSituations answers "is the person homeless?" from where they are living. A hostel or
// emergency bed is not a settled home, so a homelessness application is still due.
var homelessSituations = map[Situation]Answer{
	"rough_sleeping": AnswerYes, "hostel": AnswerYes, "emergency_accommodation": AnswerYes, "sofa_surfing": AnswerYes,
	"supported_housing": AnswerNo, "own_tenancy": AnswerNo, "other": AnswerNotKnown, "not_known": AnswerNotKnown,
}

// PathwayFactsFor derives the facts the records already hold about the client and the worker's
// organisation on the London date of now, so the worker only answers what is left.
func PathwayFactsFor(c *Client, org *Organisation, now time.Time) PathwayFacts {
	f := PathwayFacts{
		Under18:                  c.IsUnder18(now),
		FirstResponder:           org.FirstResponder,
		SpecifiedPublicAuthority: org.SpecifiedPublicAuthority,
		Homeless:                 homelessSituations[c.Situation],
	}
	// Any recorded need may be a care and support need; the council decides whether it is.
	if len(c.SupportNeeds) > 0 {
		f.CareAndSupportNeeds = AnswerYes
	}
	return f
}

// Route is which branch of DOMAIN.md §4 a pathway follows, as counted in contract monitoring returns.
type Route string

// The routes. RouteUndecided means a fact the route depends on is still needed.
const (
	RouteUndecided      Route = ""
	RouteChild          Route = "child"
	RouteAdultNRM       Route = "adult_nrm"
	RouteAdultNoConsent Route = "adult_no_consent"
)

var routes = optionSet{{"child", "Child: children's services and an NRM referral"},
	{"adult_nrm", "Adult who consents: NRM referral"}, {"adult_no_consent", "Adult who does not consent: no NRM referral"}}

// Label is the route as people read it.
func (r Route) Label() string {
	if r == RouteUndecided {
		return "Not decided yet"
	}
	return routes.label(string(r))
}

// StepKind names a step of the pathway. The values are stable: records of steps taken refer to them.
type StepKind string

// The steps. Check, confirm, ask and choose steps gather a fact that the route still needs.
const (
	StepCheckDanger             StepKind = "check_danger"
	StepCallPolice              StepKind = "call_police"
	StepConfirmAge              StepKind = "confirm_age"
	StepChildrensServices       StepKind = "childrens_services"
	StepAskConsent              StepKind = "ask_consent"
	StepNRMReferral             StepKind = "nrm_referral"
	StepPartnerReferral         StepKind = "partner_referral"
	StepChoosePartner           StepKind = "choose_partner"
	StepDutyToNotify            StepKind = "duty_to_notify"
	StepAskAgain                StepKind = "ask_again"
	StepAdultSafeguarding       StepKind = "adult_safeguarding"
	StepPoliceReport            StepKind = "police_report"
	StepHomelessnessApplication StepKind = "homelessness_application"
)

// Step is one thing to do, with why it applies, written for a frontline worker who is not a specialist.
type Step struct {
	Kind   StepKind
	Title  string
	Reason string
}

// Pathway is the route for one person: Steps in order, and the Parallel steps that are relevant
// whatever the route.
type Pathway struct {
	Route    Route
	Steps    []Step
	Parallel []Step
}

// PlanPathway returns the route DOMAIN.md §4 gives for the facts. Where a fact the route depends on
// is missing, a step says to find it out, and the route goes no further until it is known.
func PlanPathway(f PathwayFacts) Pathway {
	var p Pathway
	switch f.ImmediateDanger {
	case AnswerYes:
		p.step(StepCallPolice, "Call the police on 999 now",
			"The person is in immediate danger. Their safety comes before everything else here.")
	case AnswerNo:
	default:
		p.step(StepCheckDanger, "Check whether the person is in immediate danger",
			"If they are, or you think they might be, call the police on 999 before anything else.")
	}
	switch f.Under18 {
	case Under18Yes, Under18NotSure:
		p.Route = RouteChild
		p.planChild(f)
	case Under18No:
		p.planAdult(f)
	default:
		p.step(StepConfirmAge, "Find out whether the person is under 18",
			"The route depends on age: a child goes to children's services and is referred to the NRM without needing their consent. If you are not sure, treat them as a child.")
	}
	p.planParallel(f)
	return p
}

func (p *Pathway) step(kind StepKind, title, reason string) {
	p.Steps = append(p.Steps, Step{kind, title, reason})
}

func (p *Pathway) planChild(f PathwayFacts) {
	why := "They are under 18, so this is a child safeguarding matter. Children's services will make them safe and decide where they can live."
	if f.Under18 == Under18NotSure {
		why = "Their age is not sure, so treat them as a child until children's services have assessed it (Modern Slavery Act 2015, section 51). Mark their age as disputed on their record."
	}
	p.step(StepChildrensServices, "Refer them to the council's children's services", why)
	const noConsent = "A child is referred to the National Referral Mechanism (NRM) without needing their consent. "
	if f.FirstResponder {
		p.step(StepNRMReferral, "Make an NRM referral", noConsent+"Your organisation is a First Responder, so it can make the referral.")
		return
	}
	why = noConsent + "Your organisation is not a First Responder, but children's services are one and usually make the referral."
	if f.Partner != "" {
		why += " If they do not, ask " + f.Partner + ", your partner First Responder."
	}
	p.step(StepPartnerReferral, "Make sure a First Responder makes the NRM referral", why)
}

func (p *Pathway) planAdult(f PathwayFacts) {
	switch f.Consent {
	case ConsentGiven:
		p.Route = RouteAdultNRM
		switch {
		case f.FirstResponder:
			why := "They have given informed consent, and your organisation is a First Responder, so it can refer them to the National Referral Mechanism (NRM)."
			if f.SpecifiedPublicAuthority {
				why += " The referral also meets your Duty to Notify."
			}
			p.step(StepNRMReferral, "Make an NRM referral", why)
		case f.Partner != "":
			p.step(StepPartnerReferral, "Ask "+f.Partner+" to make the NRM referral",
				"They have given informed consent. Your organisation is not a First Responder, so "+f.Partner+", your partner First Responder, makes the referral.")
		default:
			p.step(StepChoosePartner, "Choose a partner First Responder to make the NRM referral",
				"They have given informed consent, but only a First Responder Organisation (such as the police, the council or some charities) can make the referral, and your organisation is not one.")
		}
	case ConsentRefused:
		p.Route = RouteAdultNoConsent
		if f.SpecifiedPublicAuthority {
			p.step(StepDutyToNotify, "Make an anonymous Duty to Notify report",
				"They do not consent to an NRM referral, but your organisation is a specified public authority, so it must still tell the Home Office. The report gives only their gender and nationality, and their contact details only if they agree to help the police.")
		}
		title := "Keep supporting them and ask again"
		if t, err := time.Parse(time.DateOnly, f.AskAgainOn); err == nil {
			title += " on " + FormatDate(t)
		}
		p.step(StepAskAgain, title,
			"Saying no now does not close the door. People often decide differently once they are rested, feel safer and trust you.")
	default:
		who := "you will need a partner First Responder to make the referral"
		switch {
		case f.FirstResponder:
			who = "your organisation can make the referral, as a First Responder"
		case f.Partner != "":
			who = f.Partner + ", your partner First Responder, makes the referral"
		}
		why := "An adult is referred to the National Referral Mechanism (NRM) only with their informed consent. Explain what the NRM is, the support it offers and its possible outcomes, and that their information goes to the Home Office and may go to the police. Ask when they have rested and eaten, with an interpreter if they need one. If they agree, " + who + "."
		if f.SpecifiedPublicAuthority {
			why += " If they say no, your organisation must still make an anonymous Duty to Notify report."
		}
		p.step(StepAskConsent, "Explain the NRM and ask whether they consent to a referral", why)
	}
}

func (p *Pathway) planParallel(f PathwayFacts) {
	adult := f.Under18 == Under18No
	if adult && (f.CareAndSupportNeeds == AnswerYes || f.CareAndSupportNeeds == AnswerNotKnown) {
		p.Parallel = append(p.Parallel, Step{StepAdultSafeguarding, "Make an adult safeguarding referral to the council",
			"They may have care and support needs, and modern slavery is abuse: the council decides whether to make safeguarding enquiries (Care Act 2014, section 42)."})
	}
	police := ""
	switch {
	case f.ImmediateDanger == AnswerYes:
		police = "You are calling the police because they are in danger. Record the crime reference so that the NRM referral and other agencies can quote it."
	case f.Under18 == Under18Yes || f.Under18 == Under18NotSure:
		police = "Exploiting a child is a crime: children's services and the police decide together what to do. Record the crime reference when you have it."
	case f.Cooperates == AnswerYes:
		police = "They agree to help the police. A crime reference links the NRM referral and other agencies to the investigation."
	}
	if police != "" {
		p.Parallel = append(p.Parallel, Step{StepPoliceReport, "Report to the police and record the crime reference", police})
	}
	if adult && f.Homeless == AnswerYes {
		p.Parallel = append(p.Parallel, Step{StepHomelessnessApplication, "Help them make a homelessness application to the council",
			"They are homeless: the council must assess their situation and may owe them help to find somewhere to live (Housing Act 1996, Part 7)."})
	}
}
