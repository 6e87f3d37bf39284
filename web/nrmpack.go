package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"waymark"
)

// PackPage is the NRM referral pack: what the Home Office's NRM form asks, in its order (DOMAIN.md
// §4), answered from the record, with every answer not yet recorded marked and listed at the top.
type PackPage struct {
	Layout
	Client   *waymark.Client
	Sections []PackSection
	// ToCollect lists every answer still to collect, in the form's order.
	ToCollect []PackRow
}

// PackSection is one part of the form.
type PackSection struct {
	ID, Title string
	Rows      []PackRow
}

// PackRow is one question of the form and its answer: Lines from the record (free text is shown
// as text, never markup), or, when Missing, a marker saying it is still to collect, and Where to
// record it (a link) or How to find it out.
type PackRow struct {
	Question string
	Lines    []string
	Missing  bool
	Where    string
	How      string
}

// pack builds the rows of the pack as it goes.
type pack struct {
	clientID string
	sections []PackSection
}

func (p *pack) section(id, title string) {
	p.sections = append(p.sections, PackSection{ID: id, Title: title})
}

func (p *pack) add(row PackRow) {
	s := &p.sections[len(p.sections)-1]
	s.Rows = append(s.Rows, row)
}

// answer adds a question answered by lines, or still to collect when there are none; where is the
// client sub-page to record it on ("" for the client record, "-" for nowhere in Waymark).
func (p *pack) answer(question, where string, lines ...string) {
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	row := PackRow{Question: question, Lines: kept}
	if len(kept) == 0 {
		row.Missing = true
		switch where {
		case "-":
			row.How = "Ask the person, or answer from what you know, on the Home Office form"
		case "":
			row.Where = "/clients/" + p.clientID + "/edit"
		default:
			row.Where = "/clients/" + p.clientID + "/" + where
		}
	}
	p.add(row)
}

// recorded returns the answer's label, or "" when the answer is not recorded.
func recorded(a waymark.Answer) string {
	if !a.Recorded() {
		return ""
	}
	return a.Label()
}

func labels(field string, values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = waymark.ExploitationLabel(field, v)
	}
	return strings.Join(out, "; ")
}

// packData is what the pack is made from, read from the services.
type packData struct {
	journey    *waymark.Journey
	episodes   []*waymark.ExploitationEpisode
	risks      []waymark.RiskAssessment
	screenings []*waymark.Screening
	sets       []*waymark.QuestionSet
	support    []*waymark.SupportAction
	worker     *waymark.User
}

func (s *Server) handleNRMPack(w http.ResponseWriter, r *http.Request) error {
	a, ctx, id := actor(r), r.Context(), r.PathValue("id")
	var d packData
	var err error
	if d.journey, err = s.svc.Journeys.FindJourney(ctx, a, id); err != nil {
		return err
	}
	if d.episodes, err = s.svc.Exploitation.FindEpisodes(ctx, a, id); err != nil {
		return err
	}
	if d.risks, err = s.svc.Exploitation.FindRiskAssessments(ctx, a, id); err != nil {
		return err
	}
	if d.screenings, err = s.svc.Screenings.FindScreenings(ctx, a, id); err != nil {
		return err
	}
	if d.sets, err = s.svc.Screenings.FindQuestionSets(ctx, a); err != nil {
		return err
	}
	if d.support, err = s.svc.Support.FindSupport(ctx, a, id); err != nil {
		return err
	}
	d.worker = identity(r).User
	page := buildPack(d, s.cfg.Now)
	page.Layout = s.layout(w, r, "NRM referral pack")
	return s.render(w, r, http.StatusOK, "nrm-pack", page)
}

// indicators lists the answers of the screenings that indicate exploitation, as "question: answer".
func indicators(screenings []*waymark.Screening, sets []*waymark.QuestionSet) []string {
	var out []string
	seen := map[string]bool{}
	for _, sc := range screenings {
		var set *waymark.QuestionSet
		for _, qs := range sets {
			if qs.ID == sc.SetID || (set == nil && qs.Key == sc.SetKey) {
				set = qs
			}
		}
		if set == nil {
			continue
		}
		for _, q := range set.Questions {
			v, ok := sc.Answers[q.Key]
			if !ok {
				continue
			}
			for _, c := range q.Concern {
				if c == v {
					line := q.Text + " " + q.Label(v)
					if !seen[line] {
						seen[line] = true
						out = append(out, line)
					}
				}
			}
		}
	}
	return out
}

// buildPack answers the NRM form's questions, in its order, from what is recorded.
func buildPack(d packData, now func() time.Time) PackPage {
	j, c := d.journey, d.journey.Client
	facts := j.Facts(now())
	p := &pack{clientID: c.ID}

	p.section("referrer", "The referral")
	p.answer("Your reference for the person", "", c.Reference)
	p.answer("Referring organisation", "-", j.Organisation.Name)
	p.answer("Nation where the referral is made (England, Wales, Scotland or Northern Ireland)", "-")

	p.section("age", "Age")
	under18 := ""
	if facts.Under18 != waymark.Under18NotRecorded {
		under18 = facts.Under18.Label()
		if facts.Under18 != waymark.Under18No {
			under18 += ": the referral is made without needing consent, and the local authority's children's services are contacted"
		}
	}
	p.answer("Is the person under 18?", "pathway#under_18", under18)
	if facts.Under18 == waymark.Under18No {
		var during string
		for _, e := range d.episodes {
			if e.Under18 == waymark.AnswerYes {
				during = "Yes"
			} else if during == "" && e.Under18 == waymark.AnswerNo {
				during = "No"
			}
		}
		p.answer("Were they under 18 at any time during the exploitation?", "exploitation", during)
	}

	p.section("background", "Background")
	p.answer("Place of birth, family, education and work history", "-")

	p.section("exploitation", "What happened to them")
	more := ""
	switch {
	case len(d.episodes) > 1:
		more = "Yes: " + strconv.Itoa(len(d.episodes)) + " situations, below"
	case len(d.episodes) == 1:
		more = "No, one situation"
	}
	p.answer("More than one exploitative situation?", "exploitation", more)
	for i, e := range d.episodes {
		var when string
		switch {
		case e.Start != "" || e.End != "":
			when = "From " + or(e.Start, "not known") + " to " + or(e.End, "not known")
		case e.Recency != "":
			when = waymark.ExploitationLabel("recency", e.Recency)
		}
		prefix := "Situation " + strconv.Itoa(i+1) + ": "
		p.answer(prefix+"dates and types", "exploitation", when, labels("types", e.Types))
		p.answer(prefix+"how it started", "exploitation", labels("recruitment", e.Recruitment))
		p.answer(prefix+"what they had to do", "exploitation", labels("form_types", e.FormTypes))
		p.answer(prefix+"how they were treated and controlled", "exploitation", labels("control", e.Control))
		p.answer(prefix+"still in the situation?", "exploitation", recorded(e.Ongoing))
		p.answer(prefix+"their account", "exploitation", e.Narrative)
	}
	if len(d.episodes) == 0 {
		p.answer("Dates and types, how it started, what they had to do, how they were treated", "exploitation")
	}
	p.answer("Were they taken somewhere by the exploiter (their journey)?", "-")
	p.answer("Living conditions", "-")
	var last []string
	for _, e := range d.episodes {
		if e.LastContact != "" {
			last = append(last, waymark.ExploitationLabel("last_contact", e.LastContact))
		}
	}
	p.answer("Last contact with the exploiters", "exploitation", last...)
	var reported []string
	for _, st := range j.Steps {
		if (st.Kind == waymark.StepPoliceReport || st.Kind == waymark.StepCallPolice) && st.Outcome == waymark.StepDone {
			reported = append(reported, "Yes, "+waymark.FormatDay(st.On)+or(prefixed(", reference ", st.Reference), ""))
		}
	}
	p.answer("Has it been reported before?", "pathway#steps-taken", reported...)
	p.answer("Modern slavery indicators identified", "screening", indicators(d.screenings, d.sets)...)
	p.answer("Where and how the interview was done", "-")
	var support []string
	for _, sa := range d.support {
		support = append(support, sa.Type.Label()+", from "+waymark.FormatDay(sa.Start))
	}
	p.answer("Your professional insight, and the support given so far", "support", support...)
	p.answer("Others involved", "-")
	var where []string
	for _, e := range d.episodes {
		if e.Location != "" {
			line := waymark.ExploitationLabel("location", e.Location)
			if e.Places != "" {
				line += ": " + e.Places
			}
			var names []string
			for _, code := range e.Countries {
				names = append(names, waymark.CountryName(code))
			}
			if len(names) > 0 {
				line += " (" + strings.Join(names, ", ") + ")"
			}
			where = append(where, line)
		}
	}
	p.answer("Where they were exploited", "exploitation", where...)
	p.answer("Where they are now", "", recordedSituation(c))
	var exploiters []string
	for _, e := range d.episodes {
		if e.Relationship != "" {
			exploiters = append(exploiters, "Relationship to them: "+waymark.ExploitationLabel("relationship", e.Relationship))
		}
	}
	p.answer("Details of the exploiters", "exploitation", exploiters...)
	var types []string
	for _, e := range d.episodes {
		types = append(types, labels("types", e.Types))
	}
	p.answer("Types of exploitation", "exploitation", types...)
	p.answer("Other potential victims", "-")
	risk := ""
	if len(d.risks) > 0 {
		risk = "Risk of being exploited again: " + waymark.ExploitationLabel("risk", d.risks[0].Level)
		if d.risks[0].Reason != "" {
			risk += ". " + d.risks[0].Reason
		}
	}
	p.answer("Concerns about future exploitation", "exploitation", risk)
	var crime []string
	for _, st := range j.Steps {
		if (st.Kind == waymark.StepPoliceReport || st.Kind == waymark.StepCallPolice) && st.Reference != "" {
			crime = append(crime, st.Reference)
		}
	}
	p.answer("Crime reference and police force", "pathway#steps-taken", crime...)
	p.answer("Willing to help investigations?", "pathway#cooperates", recorded(j.Answers.Cooperates))
	if facts.Under18 == waymark.Under18No {
		consent := ""
		if n := len(j.Consents); n > 0 && j.Consents[n-1].Answer != waymark.ConsentNotAsked {
			last := j.Consents[n-1]
			consent = last.Answer.Label() + ", " + waymark.FormatDay(last.AnsweredOn) + ", asked by " + last.AskedBy
		}
		p.answer("Consent to the referral", "pathway#consent", consent)
	}

	p.section("person", "The person")
	p.answer("Name", "", c.DisplayName())
	p.answer("Nickname or other names, including any used during the exploitation", "", strings.Join(c.KnownAs, ", "))
	age := c.DateOfBirth
	if age == "" && c.EstimatedAge > 0 {
		age = "About " + strconv.Itoa(c.EstimatedAge) + " (estimated)"
	}
	if age != "" && c.AgeDisputed {
		age += " (age disputed)"
	}
	p.answer("Date of birth", "", age)
	gender := ""
	if c.Gender != "" {
		gender = c.Gender.Label()
	}
	p.answer("Gender", "", gender)
	p.answer("Dependants", "", recorded(c.DependentChildren))
	var nats []string
	for _, n := range c.Nationalities {
		nats = append(nats, waymark.CountryName(n))
	}
	if len(nats) == 0 {
		nats = []string{recorded(c.NationalityAnswer)}
	}
	p.answer("Nationalities", "", nats...)
	interp := recorded(c.InterpreterNeeded)
	if interp != "" {
		var langs []string
		for _, l := range c.Languages {
			langs = append(langs, waymark.LanguageName(l))
		}
		if len(langs) > 0 {
			interp += ". Languages: " + strings.Join(langs, ", ")
		}
	}
	p.answer("Needs an interpreter, and in which language", "", interp)
	p.answer("Needs a communication aid", "", recorded(c.CommunicationAidNeeded))
	p.answer("Home Office reference", "-")
	var contacts []string
	for _, ct := range c.Contacts {
		contacts = append(contacts, ct.Kind.Label()+": "+ct.Value+". Safe to write to them here: "+ct.SafeToContact.Label())
	}
	p.answer("Contact details", "", contacts...)

	p.section("first-responder", "First responder")
	fr := ""
	switch {
	case j.Organisation.FirstResponder:
		fr = j.Organisation.Name
	case j.Partner != nil:
		fr = j.Partner.Name + " (partner First Responder)"
	}
	p.answer("First Responder Organisation", "pathway#partner_org_id", fr)
	p.answer("Name", "-", d.worker.Name)
	p.answer("Role", "-", d.worker.Role.Label()+", "+j.Organisation.Name)
	p.answer("Email", "-", d.worker.Email)
	p.answer("Phone", "-")

	page := PackPage{Client: c, Sections: p.sections}
	for _, s := range p.sections {
		for _, r := range s.Rows {
			if r.Missing {
				page.ToCollect = append(page.ToCollect, r)
			}
		}
	}
	return page
}

func recordedSituation(c *waymark.Client) string {
	if c.Situation == "" {
		return ""
	}
	return c.Situation.Label()
}

func or(s, instead string) string {
	if s == "" {
		return instead
	}
	return s
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
