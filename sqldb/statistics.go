package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"waymark"
)

// StatisticsService implements waymark.StatisticsService.
type StatisticsService struct{ db *DB }

// NewStatisticsService returns the regional statistics' facts.
func NewStatisticsService(db *DB) *StatisticsService { return &StatisticsService{db: db} }

// RegionalFacts gathers a year's facts; see waymark.StatisticsService. Each population is one
// query that picks every person's first qualifying event in the year in SQL (a window over the
// person key, so a person recorded by two organisations is one) and joins the client record and
// organisation of that event; the exploitation episodes of the people counted are read in one more
// pass. Nothing is read per client: a region of 100,000 clients is a handful of statements.
func (s *StatisticsService) RegionalFacts(ctx context.Context, actor waymark.Actor, year waymark.ReportingYear, view waymark.RegionalView, detail string) (*waymark.RegionalFacts, error) {
	if !actor.Can(waymark.PermViewRegionalStats) {
		return nil, forbidden()
	}
	if !view.Valid() {
		return nil, waymark.Invalid(map[string]string{"view": "Choose a view of the statistics"})
	}
	if year < waymark.FirstReportingYear || year > waymark.LastReportingYear {
		return nil, waymark.Invalid(map[string]string{"year": "Choose a financial year between 2000 and 2100"})
	}
	out := &waymark.RegionalFacts{Year: year}
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		if err := tx.regionalFacts(ctx, out); err != nil {
			return nil, err
		}
		action := waymark.AuditStatisticsViewed
		if view == waymark.ViewReturnCSV || view == waymark.ViewReturnXLSX {
			action = waymark.AuditStatisticsExported
		}
		d := "view: " + string(view)
		if detail != "" {
			d += "; " + detail
		}
		return &waymark.AuditEntry{Action: action, ObjectType: "statistics", ObjectID: year.String(), Detail: d}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// statsClient is what the facts need of the client record behind a person's first event.
type statsClient struct {
	id, orgType, area, gender, nationalities, dateOfBirth string
	estimatedAge                                          int
	createdAt                                             time.Time
}

// statsEvent is a person's first qualifying event of a population, with its client.
type statsEvent struct {
	client statsClient
	on     time.Time
	// route is the route by the year's end (referred and concerns).
	route string
	// outcome is a decision's outcome, or a follow-up's outcome category.
	outcome string
	// referredOn is the latest NRM referral on or before a decision ("" if none).
	referredOn string
}

// statsEpisodes is what a person's exploitation episodes say, gathered over all of them.
type statsEpisodes struct {
	types               map[string]bool
	under18Yes, under18 bool // any "yes"; any "no"
	start               string
	uk, overseas        bool
}

// firstEvents is the window that keeps each person's first event in the year: events is a
// subquery of (client_id, on_date, id) already limited to the year. Clients left out of the
// statistics are left out before the window, so they never hide someone else's record.
func firstEvents(events string) string {
	return `WITH firsts AS (
		SELECT e.client_id, e.on_date, e.id, ROW_NUMBER() OVER (PARTITION BY c.person_key ORDER BY e.on_date, e.client_id, e.id) AS n
		FROM (` + events + `) e JOIN clients c ON c.id = e.client_id
		WHERE NOT c.excluded_from_statistics)
	SELECT f.client_id, f.on_date, o.type, o.area, c.gender, c.nationalities, c.date_of_birth, c.estimated_age, c.created_at`
}

// fromFirsts ends a firstEvents query: the client and organisation of each person's first event.
const fromFirsts = ` FROM firsts f JOIN clients c ON c.id = f.client_id JOIN organisations o ON o.id = c.org_id WHERE f.n = 1`

// routeColumn is a person's route by the year's end ($3, a date). A column of firstEvents queries.
const routeColumn = `, CASE WHEN EXISTS (SELECT 1 FROM nrm_referrals r WHERE r.client_id = f.client_id AND r.submitted_on < $3) THEN 'nrm'
		WHEN EXISTS (SELECT 1 FROM duty_to_notify_reports d WHERE d.client_id = f.client_id AND d.submitted_on < $3) THEN 'duty_to_notify'
		ELSE 'none' END`

func (tx *Tx) regionalFacts(ctx context.Context, out *waymark.RegionalFacts) error {
	y := out.Year
	start, end := y.Start(), y.End()
	startDay, endDay := start.Format(time.DateOnly), end.Format(time.DateOnly)
	concern := []any{start, end, endDay}
	dated := []any{startDay, endDay}
	queries := []struct {
		pop   waymark.Population
		query string
		args  []any
		// extra scans the population's own columns after the client's.
		extra func(e *statsEvent) []any
	}{
		{waymark.PopScreened, firstEvents(`SELECT client_id, asked_at AS on_date, id FROM screenings WHERE asked_at >= $1 AND asked_at < $2`) + fromFirsts,
			[]any{start, end}, nil},
		{waymark.PopConcerns, firstEvents(`SELECT client_id, at AS on_date, id FROM client_concern_changes
			WHERE at >= $1 AND at < $2 AND status IN ('suspected', 'disclosed', 'confirmed')`) + routeColumn + fromFirsts,
			concern, func(e *statsEvent) []any { return []any{&e.route} }},
		{waymark.PopReferred, firstEvents(`SELECT client_id, submitted_on AS on_date, id FROM nrm_referrals WHERE submitted_on >= $1 AND submitted_on < $2
			UNION ALL SELECT client_id, submitted_on AS on_date, id FROM duty_to_notify_reports WHERE submitted_on >= $1 AND submitted_on < $2`) +
			strings.ReplaceAll(routeColumn, "$3", "$2") + fromFirsts,
			dated, func(e *statsEvent) []any { return []any{&e.route} }},
		{waymark.PopReasonableGrounds, decisionQuery("reasonable_grounds"), dated,
			func(e *statsEvent) []any { return []any{&e.outcome, &e.referredOn} }},
		{waymark.PopConclusiveGrounds, decisionQuery("conclusive_grounds"), dated,
			func(e *statsEvent) []any { return []any{&e.outcome, &e.referredOn} }},
		// Every saved version of a follow-up is kept; only the current one counts.
		{waymark.PopFollowedUp, firstEvents(`SELECT client_id, due_on AS on_date, id FROM follow_ups u
			WHERE months = 6 AND due_on >= $1 AND due_on < $2
			AND NOT EXISTS (SELECT 1 FROM follow_ups g WHERE g.client_id = u.client_id AND g.months = u.months AND g.version > u.version)`) +
			`, u.contacted, u.stable_accommodation, u.rough_sleeping, u.re_exploited, u.in_contact` +
			strings.Replace(fromFirsts, " WHERE", " JOIN follow_ups u ON u.id = f.id WHERE", 1),
			dated, nil},
	}
	events := map[waymark.Population][]*statsEvent{}
	for _, q := range queries {
		err := tx.eachRow(ctx, q.query, q.args, func(row interface{ Scan(...any) error }) error {
			e := &statsEvent{}
			var on any
			var created nullTime
			c := &e.client
			dest := []any{&c.id, &on, &c.orgType, &c.area, &c.gender, &c.nationalities, &c.dateOfBirth, &c.estimatedAge, &created}
			var answers struct {
				contacted                                     bool
				stable, roughSleeping, reExploited, inContact string
			}
			if q.extra != nil {
				dest = append(dest, q.extra(e)...)
			}
			if q.pop == waymark.PopFollowedUp {
				a := &answers
				dest = append(dest, &a.contacted, &a.stable, &a.roughSleeping, &a.reExploited, &a.inContact)
			}
			if err := row.Scan(dest...); err != nil {
				return err
			}
			var err error
			if e.on, err = eventDate(on); err != nil {
				return err
			}
			c.createdAt = created.t
			if q.pop == waymark.PopFollowedUp {
				e.outcome = followUpOutcome(answers.contacted, waymark.Answer(answers.stable), waymark.Answer(answers.roughSleeping),
					waymark.Answer(answers.reExploited), waymark.Answer(answers.inContact))
			}
			events[q.pop] = append(events[q.pop], e)
			return nil
		})
		if err != nil {
			return fmt.Errorf("statistics of %s: %w", q.pop, err)
		}
	}

	// The episodes of the people whose categories need them: those with concerns or referred.
	episodes := map[string]*statsEpisodes{}
	for _, p := range []waymark.Population{waymark.PopConcerns, waymark.PopReferred} {
		for _, e := range events[p] {
			episodes[e.client.id] = &statsEpisodes{types: map[string]bool{}}
		}
	}
	if len(episodes) > 0 {
		if err := tx.eachRow(ctx, `SELECT client_id, types, start_date, under_18, location FROM exploitation_episodes`, nil,
			func(row interface{ Scan(...any) error }) error {
				var id, types, startDate, under18, location string
				if err := row.Scan(&id, &types, &startDate, &under18, &location); err != nil {
					return err
				}
				ep := episodes[id]
				if ep == nil {
					return nil
				}
				for _, t := range splitList(types) {
					ep.types[t] = true
				}
				switch waymark.Answer(under18) {
				case waymark.AnswerYes:
					ep.under18Yes = true
				case waymark.AnswerNo:
					ep.under18 = true
				}
				if startDate != "" && (ep.start == "" || startDate < ep.start) {
					ep.start = startDate
				}
				switch location {
				case "uk":
					ep.uk = true
				case "overseas":
					ep.overseas = true
				case "both":
					ep.uk, ep.overseas = true, true
				}
				return nil
			}); err != nil {
			return fmt.Errorf("statistics episodes: %w", err)
		}
	}

	nationalities := map[string]bool{}
	for _, p := range waymark.Populations {
		for _, e := range events[p] {
			fact := waymark.PersonFact{Population: p, Quarter: y.QuarterOf(e.on), Area: e.client.area, Days: -1,
				Categories: make(map[waymark.Breakdown]string, len(p.Breakdowns()))}
			for _, b := range p.Breakdowns() {
				fact.Categories[b] = category(b, e, episodes[e.client.id])
			}
			if n := fact.Categories[waymark.ByNationality]; n != "" && n != waymark.CategoryNotKnown {
				nationalities[n] = true
			}
			if e.referredOn != "" {
				if r, err := time.Parse(time.DateOnly, e.referredOn); err == nil {
					fact.Days = int(e.on.Sub(r).Hours() / 24)
				}
			}
			out.People = append(out.People, fact)
		}
	}
	for n := range nationalities {
		out.Nationalities = append(out.Nationalities, n)
	}
	slices.Sort(out.Nationalities)

	areas := map[string]bool{}
	if err := tx.eachRow(ctx, `SELECT DISTINCT area FROM organisations`, nil, func(row interface{ Scan(...any) error }) error {
		var a string
		err := row.Scan(&a)
		areas[a] = true
		return err
	}); err != nil {
		return fmt.Errorf("statistics areas: %w", err)
	}
	for a := range areas {
		out.Areas = append(out.Areas, a)
	}
	// Sorted in Go: the engines' collations order text differently.
	slices.Sort(out.Areas)
	return nil
}

// decisionQuery picks each person's first decision of the stage in the year, with its outcome and
// the latest NRM referral of that client on or before it.
func decisionQuery(stage string) string {
	return firstEvents(`SELECT client_id, decided_on AS on_date, id FROM nrm_decisions
		WHERE decided_on >= $1 AND decided_on < $2 AND stage = '`+stage+`'`) +
		`, d.outcome, COALESCE((SELECT MAX(r.submitted_on) FROM nrm_referrals r WHERE r.client_id = f.client_id AND r.submitted_on <= f.on_date), '')` +
		strings.Replace(fromFirsts, " WHERE", " JOIN nrm_decisions d ON d.id = f.id WHERE", 1)
}

// eventDate reads an event's date: a timestamp, or a "YYYY-MM-DD" date held as text.
func eventDate(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case []byte:
		return eventDate(string(x))
	case string:
		if len(x) == len(time.DateOnly) {
			return time.Parse(time.DateOnly, x)
		}
		var n nullTime
		err := n.parse(x)
		return n.t, err
	}
	return time.Time{}, fmt.Errorf("cannot read %T as a date", v)
}

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

// category is the person's category under breakdown b, from their first event's client record.
func category(b waymark.Breakdown, e *statsEvent, ep *statsEpisodes) string {
	c := &e.client
	switch b {
	case waymark.ByOrgType:
		return c.orgType
	case waymark.ByGender:
		switch g := waymark.Gender(c.gender); g {
		case waymark.GenderFemale, waymark.GenderMale, waymark.GenderOther:
			return string(g)
		}
		return waymark.CategoryNotKnown
	case waymark.ByNationality:
		if l := splitList(c.nationalities); len(l) > 0 && l[0] != "" {
			return l[0]
		}
		return waymark.CategoryNotKnown
	case waymark.ByRoute:
		return cmp.Or(e.route, "none")
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
	case waymark.ByAgeGroup:
		age := ageAtExploitation(c, ep.start)
		switch {
		case ep.under18Yes:
			return "child"
		case ep.under18:
			return "adult"
		case age >= 18:
			return "adult"
		case age >= 0:
			return "child"
		}
		return waymark.CategoryNotKnown
	case waymark.ByAgeBand:
		return waymark.AgeBand(ageAtExploitation(c, ep.start))
	}
	return waymark.CategoryNotKnown
}

// ageAtExploitation is the person's age in whole years at start ("YYYY", "YYYY-MM" or
// "YYYY-MM-DD"), from the date of birth as precisely as both are known, or else from the age
// estimated when the record was made; -1 when it cannot be told.
func ageAtExploitation(c *statsClient, start string) int {
	sy, sm, sd, ok := partialDate(start)
	if !ok {
		return -1
	}
	if by, bm, bd, ok := partialDate(c.dateOfBirth); ok {
		age := sy - by
		if sm > 0 && bm > 0 && (sm < bm || sm == bm && sd > 0 && bd > 0 && sd < bd) {
			age--
		}
		if age < 0 {
			return -1
		}
		return age
	}
	if c.estimatedAge > 0 && !c.createdAt.IsZero() {
		if age := c.estimatedAge - (c.createdAt.Year() - sy); age >= 0 {
			return age
		}
	}
	return -1
}

// partialDate splits "YYYY", "YYYY-MM" or "YYYY-MM-DD"; month and day are 0 when not known.
func partialDate(s string) (y, m, d int, ok bool) {
	parts := strings.Split(s, "-")
	if s == "" || len(parts) > 3 || len(parts[0]) != 4 {
		return 0, 0, 0, false
	}
	n := make([]int, 3)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	return n[0], n[1], n[2], true
}
