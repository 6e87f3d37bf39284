package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"waymark"
)

// clientGen makes fictional clients. Proportions are rough impressions of who homelessness
// services meet (mostly men, mostly of working age, a few children), not statistics.
type clientGen struct {
	r    *rand.Rand
	year int
	// primaries holds the primary nationality (an index into nationalities) of each client to come,
	// so that every nationality appears at least once when there are enough clients.
	primaries []int
}

func newClientGen(r *rand.Rand, year, n int) *clientGen {
	g := &clientGen{r: r, year: year}
	weights := make([]int, len(nationalities))
	for i, nat := range nationalities {
		weights[i] = nat.weight
	}
	for i := range n {
		if i < len(nationalities) && n >= len(nationalities) {
			g.primaries = append(g.primaries, i)
		} else {
			g.primaries = append(g.primaries, pickWeighted(r, weights))
		}
	}
	r.Shuffle(len(g.primaries), func(i, j int) { g.primaries[i], g.primaries[j] = g.primaries[j], g.primaries[i] })
	return g
}

// pickWeighted returns an index into weights, chosen in proportion to them.
func pickWeighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// chance reports true with the given percentage.
func (g *clientGen) chance(percent int) bool { return g.r.IntN(100) < percent }

func (g *clientGen) pick(l []string) string { return l[g.r.IntN(len(l))] }

// client makes the next client, with its organisation's reference and marker.
func (g *clientGen) client(reference, marker string) *waymark.Client {
	nat := nationalities[g.primaries[0]]
	g.primaries = g.primaries[1:]

	c := &waymark.Client{Reference: reference + " " + marker}
	switch n := g.r.IntN(1000); {
	case n < 620:
		c.Gender = waymark.GenderMale
	case n < 950:
		c.Gender = waymark.GenderFemale
	case n < 965:
		c.Gender = waymark.GenderOther
	default:
		c.Gender = waymark.GenderNotKnown
	}
	// People whose gender is not recorded as male or female still have a name from one pool or the other.
	male := c.Gender == waymark.GenderMale || (c.Gender != waymark.GenderFemale && g.chance(50))

	if male {
		c.GivenName = g.pick(nat.male)
	} else {
		c.GivenName = g.pick(nat.female)
	}
	if !g.chance(nat.noFamily + 3) {
		c.FamilyName = g.familyName(nat, male)
		if nat.hyphen && g.chance(6) {
			if second := g.familyName(nat, male); second != c.FamilyName && !strings.Contains(c.FamilyName, "-") {
				c.FamilyName += "-" + second
			}
		}
	}

	c.Nationalities = g.nationalities(nat)
	c.DateOfBirth = g.dateOfBirth()
	if g.chance(33) {
		c.KnownAs = g.aliases(c, male)
	}
	if g.chance(40) {
		c.Contacts = []waymark.Contact{g.contact()}
	}
	g.profile(c, nat)
	c.Notes = g.notes(c) + " " + marker
	return c
}

// languages maps a nationality to the ISO 639-1 code of a language its people commonly speak.
var languages = map[string]string{
	"GB": "en", "AL": "sq", "RO": "ro", "VN": "vi", "ER": "ti", "SD": "ar", "PL": "pl", "NG": "en", "LT": "lt", "CN": "zh",
	"IN": "hi", "SK": "sk", "BG": "bg", "UA": "uk", "AF": "ps", "IR": "fa", "ET": "am", "HU": "hu", "SO": "so", "PK": "ur",
}

// profile fills in the rest of the record in the proportions a homelessness service might see:
// about a third with a modern slavery concern, where they are living, language and immigration.
func (g *clientGen) profile(c *waymark.Client, nat nationality) {
	switch n := g.r.IntN(100); {
	case n < 20:
		c.ConcernStatus = waymark.ConcernSuspected
	case n < 31:
		c.ConcernStatus = waymark.ConcernDisclosed
	case n < 36:
		c.ConcernStatus = waymark.ConcernConfirmed
	case n < 62:
		c.ConcernStatus = waymark.ConcernNone
	default:
		c.ConcernStatus = waymark.ConcernNotYetAsked
	}
	situations := waymark.SituationOptions()
	if g.chance(85) {
		c.Situation = waymark.Situation(situations[g.r.IntN(len(situations))].Value)
	}
	if lang := languages[nat.code]; lang != "" {
		c.Languages = []string{lang}
		if lang != "en" {
			c.Languages = append(c.Languages, "en")
			if g.chance(60) {
				c.InterpreterNeeded = waymark.AnswerYes
			} else if g.chance(50) {
				c.InterpreterNeeded = waymark.AnswerNo
			}
		}
	}
	if c.DateOfBirth == "" && g.chance(70) {
		c.EstimatedAge = 18 + g.r.IntN(40)
	}
	c.AgeDisputed = c.DateOfBirth == "" && g.chance(8)
	statuses := waymark.ImmigrationStatusOptions()
	if nat.code == "GB" {
		c.ImmigrationStatus = "british_irish"
	} else if g.chance(70) {
		c.ImmigrationStatus = waymark.ImmigrationStatus(statuses[1+g.r.IntN(len(statuses)-1)].Value)
	}
	answers := []waymark.Answer{waymark.AnswerYes, waymark.AnswerNo, waymark.AnswerNotKnown, waymark.AnswerNotRecorded}
	c.NoRecourseToPublicFunds = answers[g.r.IntN(len(answers))]
	c.DependentChildren = answers[g.r.IntN(len(answers))]
	needs := waymark.SupportNeedOptions()
	for _, n := range needs {
		if g.chance(15) {
			c.SupportNeeds = append(c.SupportNeeds, waymark.SupportNeed(n.Value))
		}
	}
}

// familyName picks a family name in the form for the person's gender.
func (g *clientGen) familyName(nat nationality, male bool) string {
	f := g.pick(nat.family)
	if m, fem, ok := strings.Cut(f, "|"); ok {
		if male {
			return m
		}
		return fem
	}
	return f
}

// nationalities returns the person's nationality codes: usually one, sometimes two, and for a few
// people none, because it is not known.
func (g *clientGen) nationalities(nat nationality) []string {
	switch {
	case g.chance(3):
		return nil
	case len(nat.second) > 0 && g.chance(12):
		return []string{nat.code, g.pick(nat.second)}
	}
	return []string{nat.code}
}

// dateOfBirth returns a date of birth as precise as a worker might know it, for an age of 16 to 70
// in g.year: a full date, a month, a year (an estimated age), or nothing.
func (g *clientGen) dateOfBirth() string {
	var age int // the age reached on the birthday in g.year: 17 to 70, so 16 to 70 before it
	switch n := g.r.IntN(100); {
	case n < 4:
		age = 17
	case n < 12:
		age = 18 + g.r.IntN(4) // 18-21
	case n < 82:
		age = 22 + g.r.IntN(24) // 22-45
	case n < 96:
		age = 46 + g.r.IntN(15) // 46-60
	default:
		age = 61 + g.r.IntN(10) // 61-70
	}
	year := g.year - age
	month := time.Month(1 + g.r.IntN(12))
	day := 1 + g.r.IntN(time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day())
	switch n := g.r.IntN(100); {
	case n < 55:
		return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	case n < 67:
		return fmt.Sprintf("%04d-%02d", year, month)
	case n < 85:
		return fmt.Sprintf("%04d", year)
	}
	return ""
}

// aliases returns one or two other names: another spelling of the person's name, an everyday short
// form, or a name they were given while exploited.
func (g *clientGen) aliases(c *waymark.Client, male bool) []string {
	var spellings []string
	for _, group := range variants {
		if slices.Contains(group, c.GivenName) {
			for _, v := range group {
				if v != c.GivenName {
					spellings = append(spellings, strings.TrimSpace(v+" "+c.FamilyName))
				}
			}
		}
	}
	short := nicknames[c.GivenName]
	n := 1
	if g.chance(30) {
		n = 2
	}
	var out []string
	for len(out) < n {
		var a string
		switch k := g.r.IntN(100); {
		case k < 45 && len(spellings) > 0:
			a = g.pick(spellings)
		case k < 75 && len(short) > 0:
			a = g.pick(short)
		default:
			a = g.pick(workNames[male])
		}
		if !slices.Contains(out, a) && a != c.GivenName {
			out = append(out, a)
		}
	}
	return out
}

// contact returns fictional contact details: a number in Ofcom's range for drama (07700 900000 to
// 900999, never assigned to anyone) and whether it is safe to contact the person there.
func (g *clientGen) contact() waymark.Contact {
	phone := fmt.Sprintf("07700 900%03d", g.r.IntN(1000))
	switch n := g.r.IntN(100); {
	case n < 55:
		return waymark.Contact{Kind: "phone", Value: phone, SafeToContact: waymark.AnswerYes}
	case n < 80:
		return waymark.Contact{Kind: "phone", Value: phone + " (may be checked by others)", SafeToContact: waymark.AnswerNo}
	default:
		return waymark.Contact{Kind: "phone", Value: phone + " (a friend's phone)", SafeToContact: waymark.AnswerNo}
	}
}

// notes returns one or two sentences of the kind a worker writes after meeting the person.
func (g *clientGen) notes(c *waymark.Client) string {
	his, him := "their", "them"
	switch {
	case c.Gender == waymark.GenderMale:
		his, him = "his", "him"
	case c.Gender == waymark.GenderFemale:
		his, him = "her", "her"
	}
	// Workers sometimes write the name a person goes by, but not a name their exploiters gave them.
	name := c.GivenName
	if len(c.KnownAs) > 0 && !slices.Contains(workNames[true], c.KnownAs[0]) && !slices.Contains(workNames[false], c.KnownAs[0]) && g.chance(20) {
		name = c.KnownAs[0]
	}
	text := g.pick(firstSentences)
	if g.chance(75) {
		text += " " + g.pick(secondSentences)
	}
	return strings.NewReplacer("{name}", name, "{place}", g.pick(places), "{his}", his, "{him}", him).Replace(text)
}

// caseNotes are the kinds of follow-up note a worker writes about someone with a concern.
var caseNotes = []string{
	"Met at the day centre. Said the man who found the work still holds the passport. Agreed to meet again on Thursday.",
	"Phoned the safeguarding lead. Interpreter booked for the next visit.",
	"Seemed frightened when a car stopped nearby. Did not want to talk today; left a leaflet in their language.",
	"Asked about a place to stay tonight. Referred to the hostel's emergency bed.",
	"Said they owe money for the journey and the rent and are told the debt keeps growing.",
}

// caseNote picks a note for a client with a concern.
func (g *clientGen) caseNote() string { return g.pick(caseNotes) }

// episode makes an exploitation episode of the kinds homelessness services meet most: labour
// exploitation, with criminal and sexual exploitation less often.
func (g *clientGen) episode(today time.Time) *waymark.ExploitationEpisode {
	o := waymark.ExploitationChoices()
	pickSome := func(opts []waymark.Option, n int) []string {
		var out []string
		for _, i := range g.r.Perm(len(opts))[:n] {
			out = append(out, opts[i].Value)
		}
		return out
	}
	e := &waymark.ExploitationEpisode{Under18: waymark.AnswerNo, Relationship: o.Relationships[g.r.IntN(len(o.Relationships))].Value,
		LastContact: o.LastContact[g.r.IntN(len(o.LastContact))].Value, Recruitment: pickSome(o.Recruitment, 1), Control: pickSome(o.Control, 1+g.r.IntN(3))}
	switch n := g.r.IntN(100); {
	case n < 60:
		e.Types, e.FormTypes = []string{"labour"}, []string{"work_for_nothing"}
		e.Narrative = "Worked long days for little or no pay; told the debt for travel and rent kept growing."
	case n < 80:
		e.Types, e.FormTypes = []string{"criminal"}, []string{"forced_crime"}
		e.Narrative = "Made to sell drugs and to beg; threatened when money was short."
	case n < 95:
		e.Types, e.FormTypes = []string{"sexual"}, []string{"forced_prostitution"}
		e.Narrative = "Moved between flats and made to see men; phone and documents taken."
	default:
		e.Types, e.FormTypes = []string{"domestic_servitude"}, []string{"forced_household_work"}
		e.Narrative = "Cooked and cleaned for a family all day, never allowed out alone."
	}
	if g.chance(60) {
		year := today.Year() - g.r.IntN(3)
		e.Start = fmt.Sprintf("%04d-%02d", year, 1+g.r.IntN(12))
		if e.Start > today.Format("2006-01") {
			e.Start = today.Format("2006")
		}
		e.Ongoing = waymark.AnswerNo
	} else {
		e.Recency = o.Recency[g.r.IntN(len(o.Recency))].Value
	}
	e.Location = []string{"uk", "uk", "both", "overseas"}[g.r.IntN(4)]
	if e.Location != "uk" {
		e.Countries = []string{[]string{"RO", "AL", "VN", "PL", "ER"}[g.r.IntN(5)]}
	}
	if e.Location != "overseas" {
		e.Places = "Northmoor"
	}
	return e
}

// support makes a support action given or arranged in the past few months.
func (g *clientGen) support(today time.Time) waymark.SupportAction {
	types := []waymark.SupportType{"emergency_accommodation", "safe_house", "healthcare_gp", "legal_advice", "interpreter", "benefits_money", "police_report"}
	outcomes := []waymark.SupportOutcome{"achieved", "partly_achieved", "ongoing", "declined", "not_known"}
	start := today.AddDate(0, -1-g.r.IntN(6), -g.r.IntN(28))
	a := waymark.SupportAction{Type: types[g.r.IntN(len(types))], Start: start.Format("2006-01-02"), Outcome: outcomes[g.r.IntN(len(outcomes))],
		Notes: "Arranged by the keyworker."}
	if a.Outcome != "ongoing" {
		a.End = start.AddDate(0, 0, 7+g.r.IntN(40)).Format("2006-01-02")
		if a.End > today.Format("2006-01-02") {
			a.End = today.Format("2006-01-02")
		}
	}
	return a
}
