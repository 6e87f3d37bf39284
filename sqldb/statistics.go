package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"waymark"
)

// StatisticsService implements waymark.StatisticsService.
type StatisticsService struct{ db *DB }

// NewStatisticsService returns the regional statistics' facts.
func NewStatisticsService(db *DB) *StatisticsService { return &StatisticsService{db: db} }

// RegionalFacts gathers a year's facts; see waymark.StatisticsService. The store reads each kind
// of record once, in whole (clients, referrals, reports) or for the year (screenings, concern
// changes, decisions, follow-ups), through indexes that hold every column read, and finds each
// person's first event in Go. An earlier version found them in SQL, with a window over the
// person key; that looked each event's client up by id, and on SQLite those lookups alone took
// seconds for a region of 100,000 clients (docs/benchmarks.md). Nothing is read per client.
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
	err := s.db.viewAudited(ctx, actor, func(*Tx) (*waymark.AuditEntry, error) {
		// The reads run two at a time, each in a read transaction of its own, so they do not use
		// this one. The figures are protected aggregates: a write landing between two of the reads
		// moves a count by one at most, as it would a moment later anyway.
		if err := s.db.regionalFacts(ctx, out); err != nil {
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

// statsClient is what the facts need of a client record.
type statsClient struct {
	key, orgID, gender, nationalities, dateOfBirth string
	estimatedAge, createdYear                      int
	excluded                                       bool
}

// statsEvent is a qualifying event, and in the end a person's first of a population.
type statsEvent struct {
	clientID, id string
	on           time.Time
	// outcome is a decision's outcome, or a follow-up's outcome category.
	outcome string
}

// before reports whether e comes before f: by date, then client, then event, so the first event
// of a person does not depend on the order rows arrive in.
func (e *statsEvent) before(f *statsEvent) bool {
	if !e.on.Equal(f.on) {
		return e.on.Before(f.on)
	}
	if e.clientID != f.clientID {
		return e.clientID < f.clientID
	}
	return e.id < f.id
}

// statsEpisodes is what a person's exploitation episodes say, gathered over all of them.
type statsEpisodes struct {
	types               map[string]bool
	under18Yes, under18 bool // any "yes"; any "no"
	start               string
	uk, overseas        bool
}

// statsRow is a row being read.
type statsRow = interface{ Scan(...any) error }

// The events of the populations broken down by the person's details: the episodes read are
// those of the clients with such an event in the year.
const (
	concernEvents  = `SELECT client_id FROM client_concern_changes WHERE at >= $1 AND at < $2 AND status IN ('suspected', 'disclosed', 'confirmed')`
	referralEvents = `SELECT client_id FROM nrm_referrals WHERE submitted_on >= $3 AND submitted_on < $4
		UNION SELECT client_id FROM duty_to_notify_reports WHERE submitted_on >= $3 AND submitted_on < $4`
)

func (db *DB) regionalFacts(ctx context.Context, out *waymark.RegionalFacts) error {
	y := out.Year
	start, end := y.Start(), y.End()
	out.Begun = y.QuartersBegun(db.now())
	startDay, endDay := start.Format(time.DateOnly), end.Format(time.DateOnly)
	var (
		clients   = map[string]*statsClient{}
		details   = map[string]*statsClient{} // read before the client's key: merged when the key comes
		clientsMu sync.Mutex
		orgs      = map[string][2]string{} // id: type, area
		episodes  = map[string]*statsEpisodes{}
		screened  []*statsEvent
		concerns  []*statsEvent
		referrals = map[string][]string{} // client: NRM referral dates before the year's end
		reports   = map[string][]string{} // client: Duty to Notify dates before the year's end
		referred  []*statsEvent
		decisions = map[string][]*statsEvent{} // stage: decisions in the year
		followUps []*statsEvent
		// sharedWith holds the partners each client's record has been shared with.
		sharedWith = map[string][]string{}
		// knowers holds the organisations that know of each person: those with a record of them,
		// and those any of those records was shared with.
		knowers = personKnowers{first: map[string]string{}, more: map[string][]string{}}
	)
	// events reads (client_id, date, id) rows.
	events := func(tx *Tx, list *[]*statsEvent, query string, args ...any) error {
		return tx.eachRow(ctx, query, args, func(row statsRow) error {
			e := &statsEvent{}
			var on any
			if err := row.Scan(&e.clientID, &on, &e.id); err != nil {
				return err
			}
			var err error
			e.on, err = eventDate(on)
			*list = append(*list, e)
			return err
		})
	}
	// dated reads the (client_id, date, id) rows of NRM referrals or Duty to Notify reports before
	// the year's end: the route needs them all, the referred population those in the year.
	dated := func(tx *Tx, table string, byClient map[string][]string, inYear *[]*statsEvent) error {
		return tx.eachRow(ctx, `SELECT client_id, submitted_on, id FROM `+table+` WHERE submitted_on < $1`, []any{endDay}, func(row statsRow) error {
			var client, on, id string
			if err := row.Scan(&client, &on, &id); err != nil {
				return err
			}
			byClient[client] = append(byClient[client], on)
			if on >= startDay {
				t, err := time.Parse(time.DateOnly, on)
				*inYear = append(*inYear, &statsEvent{clientID: client, id: id, on: t})
				return err
			}
			return nil
		})
	}
	var referredNRM, referredDtN []*statsEvent
	reads := []func(tx *Tx) error{
		func(tx *Tx) error {
			// Every client's person key and organisation: the whole table, cheaper read straight
			// through than looked up client by client. Clients left out of the statistics are read
			// too: they count for nothing, but their organisations know the person.
			return tx.eachRow(ctx, `SELECT id, person_key, org_id, excluded_from_statistics FROM clients`, nil, func(row statsRow) error {
				var id string
				c := &statsClient{}
				if err := row.Scan(&id, &c.key, &c.orgID, &c.excluded); err != nil {
					return err
				}
				clientsMu.Lock()
				defer clientsMu.Unlock()
				if d := details[id]; d != nil {
					c.gender, c.nationalities, c.dateOfBirth, c.estimatedAge, c.createdYear = d.gender, d.nationalities, d.dateOfBirth, d.estimatedAge, d.createdYear
					delete(details, id)
				}
				clients[id] = c
				knowers.add(c.key, c.orgID)
				return nil
			})
		},
		func(tx *Tx) error {
			// The details and exploitation episodes only of the clients the populations broken
			// down by them may count (a few more than the people counted: their other records),
			// one row for each episode, or one for a client with none.
			return tx.eachRow(ctx, `SELECT c.id, c.gender, c.nationalities, c.date_of_birth, c.estimated_age, CAST(c.created_at AS TEXT),
				e.client_id IS NOT NULL, COALESCE(e.types, ''), COALESCE(e.start_date, ''), COALESCE(e.under_18, ''), COALESCE(e.location, '')
				FROM clients c LEFT JOIN exploitation_episodes e ON e.client_id = c.id
				WHERE c.id IN (`+concernEvents+` UNION `+referralEvents+`)`, []any{start, end, startDay, endDay}, func(row statsRow) error {
				var id, created, types, startDate, under18, location string
				var episode bool
				d := &statsClient{}
				if err := row.Scan(&id, &d.gender, &d.nationalities, &d.dateOfBirth, &d.estimatedAge, &created, &episode, &types, &startDate, &under18, &location); err != nil {
					return err
				}
				if episode {
					ep := episodes[id]
					if ep == nil {
						ep = &statsEpisodes{types: map[string]bool{}}
						episodes[id] = ep
					}
					ep.add(types, startDate, under18, location)
				}
				if len(created) >= 4 {
					d.createdYear, _ = strconv.Atoi(created[:4])
				}
				clientsMu.Lock()
				defer clientsMu.Unlock()
				if c := clients[id]; c != nil {
					c.gender, c.nationalities, c.dateOfBirth, c.estimatedAge, c.createdYear = d.gender, d.nationalities, d.dateOfBirth, d.estimatedAge, d.createdYear
				} else {
					details[id] = d
				}
				return nil
			})
		},
		func(tx *Tx) error {
			return events(tx, &screened, `SELECT client_id, asked_at, id FROM screenings WHERE asked_at >= $1 AND asked_at < $2`, start, end)
		},
		func(tx *Tx) error {
			return events(tx, &concerns, `SELECT client_id, at, id FROM client_concern_changes
				WHERE at >= $1 AND at < $2 AND status IN ('suspected', 'disclosed', 'confirmed')`, start, end)
		},
		func(tx *Tx) error { return dated(tx, "nrm_referrals", referrals, &referredNRM) },
		func(tx *Tx) error { return dated(tx, "duty_to_notify_reports", reports, &referredDtN) },
		func(tx *Tx) error {
			return tx.eachRow(ctx, `SELECT client_id, decided_on, id, stage, outcome FROM nrm_decisions WHERE decided_on >= $1 AND decided_on < $2`,
				[]any{startDay, endDay}, func(row statsRow) error {
					e := &statsEvent{}
					var on, stage string
					if err := row.Scan(&e.clientID, &on, &e.id, &stage, &e.outcome); err != nil {
						return err
					}
					var err error
					e.on, err = time.Parse(time.DateOnly, on)
					decisions[stage] = append(decisions[stage], e)
					return err
				})
		},
		func(tx *Tx) error {
			// Every saved version of a follow-up is kept; only the current one counts.
			return tx.eachRow(ctx, `SELECT u.client_id, u.due_on, u.id, u.contacted, u.stable_accommodation, u.rough_sleeping, u.re_exploited, u.in_contact
				FROM follow_ups u WHERE u.months = 6 AND u.due_on >= $1 AND u.due_on < $2
				AND NOT EXISTS (SELECT 1 FROM follow_ups g WHERE g.client_id = u.client_id AND g.months = u.months AND g.version > u.version)`,
				[]any{startDay, endDay}, func(row statsRow) error {
					e := &statsEvent{}
					var on, stable, rough, reExploited, inContact string
					var contacted bool
					if err := row.Scan(&e.clientID, &on, &e.id, &contacted, &stable, &rough, &reExploited, &inContact); err != nil {
						return err
					}
					var err error
					e.on, err = time.Parse(time.DateOnly, on)
					e.outcome = followUpOutcome(contacted, waymark.Answer(stable), waymark.Answer(rough), waymark.Answer(reExploited), waymark.Answer(inContact))
					followUps = append(followUps, e)
					return err
				})
		},
		func(tx *Tx) error {
			// Every partner a client's record was ever shared with knows the person too.
			return tx.eachRow(ctx, `SELECT client_id, partner_org_id FROM case_shares`, nil, func(row statsRow) error {
				var client, partner string
				err := row.Scan(&client, &partner)
				sharedWith[client] = append(sharedWith[client], partner)
				return err
			})
		},
		func(tx *Tx) error {
			return tx.eachRow(ctx, `SELECT id, type, area FROM organisations`, nil, func(row statsRow) error {
				var id, typ, area string
				err := row.Scan(&id, &typ, &area)
				orgs[id] = [2]string{typ, area}
				return err
			})
		},
	}
	if err := db.viewParallel(ctx, statsReaders, reads); err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	referred = append(referredNRM, referredDtN...)
	for client, partners := range sharedWith {
		if c := clients[client]; c != nil {
			for _, o := range partners {
				knowers.add(c.key, o)
			}
		}
	}

	// personFacts counts one population: each person's first event, as a fact.
	personFacts := func(p waymark.Population, events []*statsEvent) (facts []waymark.PersonFact, nationalities map[string]bool) {
		nationalities = map[string]bool{}
		// Clients left out of the statistics neither count nor hide another record of the same
		// person.
		type firstEvent struct {
			e *statsEvent
			c *statsClient
		}
		first := map[string]firstEvent{}
		for _, e := range events {
			c := clients[e.clientID]
			if c == nil || c.excluded {
				continue
			}
			if f, ok := first[c.key]; !ok || e.before(f.e) {
				first[c.key] = firstEvent{e, c}
			}
		}
		facts = make([]waymark.PersonFact, 0, len(first))
		for _, f := range first {
			e, c := f.e, f.c
			org := orgs[c.orgID]
			fact := waymark.PersonFact{Population: p, Quarter: y.QuarterOf(e.on), Area: org[1], Org: c.orgID, Days: -1,
				Categories: make(map[waymark.Breakdown]string, len(p.Breakdowns()))}
			fact.KnownTo = knowers.others(c.key, c.orgID)
			ep, age := episodes[e.clientID], ageNotWorkedOut
			for _, b := range p.Breakdowns() {
				switch b {
				case waymark.ByOrgType:
					fact.Categories[b] = org[0]
				case waymark.ByRoute:
					fact.Categories[b] = "none"
					if len(referrals[e.clientID]) > 0 {
						fact.Categories[b] = "nrm"
					} else if len(reports[e.clientID]) > 0 {
						fact.Categories[b] = "duty_to_notify"
					}
				default:
					fact.Categories[b] = category(b, c, e, ep, &age)
				}
			}
			if n := fact.Categories[waymark.ByNationality]; n != "" && n != waymark.CategoryNotKnown {
				nationalities[n] = true
			}
			if p.Decided() {
				// The latest NRM referral on or before the decision.
				latest := ""
				day := e.on.Format(time.DateOnly)
				for _, r := range referrals[e.clientID] {
					if r <= day && r > latest {
						latest = r
					}
				}
				if r, err := time.Parse(time.DateOnly, latest); err == nil {
					fact.Days = int(e.on.Sub(r).Hours() / 24)
				}
			}
			facts = append(facts, fact)
		}
		return facts, nationalities
	}
	// The populations are counted on both cores: the screened, the largest, beside the rest.
	pops := []struct {
		p      waymark.Population
		events []*statsEvent
		facts  []waymark.PersonFact
		nats   map[string]bool
	}{
		{p: waymark.PopScreened, events: screened}, {p: waymark.PopFollowedUp, events: followUps},
		{p: waymark.PopConcerns, events: concerns}, {p: waymark.PopReferred, events: referred},
		{p: waymark.PopReasonableGrounds, events: decisions["reasonable_grounds"]}, {p: waymark.PopConclusiveGrounds, events: decisions["conclusive_grounds"]},
	}
	var wg sync.WaitGroup
	for _, part := range [][2]int{{0, 2}, {2, len(pops)}} {
		wg.Go(func() {
			for i := part[0]; i < part[1]; i++ {
				pops[i].facts, pops[i].nats = personFacts(pops[i].p, pops[i].events)
			}
		})
	}
	wg.Wait()
	nationalities, areas := map[string]bool{}, map[string]bool{}
	for id, o := range orgs {
		areas[o[1]] = true
		out.Organisations = append(out.Organisations, waymark.RegionalOrganisation{ID: id, Type: waymark.OrgType(o[0]), Area: o[1]})
	}
	slices.SortFunc(out.Organisations, func(a, b waymark.RegionalOrganisation) int { return strings.Compare(a.ID, b.ID) })
	for _, p := range pops {
		out.People = append(out.People, p.facts...)
		for n := range p.nats {
			nationalities[n] = true
		}
	}
	for n := range nationalities {
		out.Nationalities = append(out.Nationalities, n)
	}
	slices.Sort(out.Nationalities)
	for a := range areas {
		out.Areas = append(out.Areas, a)
	}
	// Sorted in Go: the engines' collations order text differently.
	slices.Sort(out.Areas)
	return nil
}

// personKnowers holds the organisations that know of each person, by person key: nearly every
// person is known to one, held without a list.
type personKnowers struct {
	first map[string]string
	more  map[string][]string
}

func (k personKnowers) add(key, org string) {
	switch f, ok := k.first[key]; {
	case !ok:
		k.first[key] = org
	case f != org && !slices.Contains(k.more[key], org):
		k.more[key] = append(k.more[key], org)
	}
}

// others lists, sorted, the organisations other than org that know of the person.
func (k personKnowers) others(key, org string) []string {
	more := k.more[key]
	if len(more) == 0 && k.first[key] == org {
		return nil
	}
	var out []string
	for _, o := range append([]string{k.first[key]}, more...) {
		if o != org && o != "" {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out
}

// statsReaders is how many of the statistics' reads run at once: the machines have two cores.
const statsReaders = 2

// viewParallel runs the reads, at most n at a time, each in a read transaction of its own, and
// returns the first error.
func (db *DB) viewParallel(ctx context.Context, n int, reads []func(tx *Tx) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan func(tx *Tx) error)
	errs := make(chan error, n)
	for range n {
		go func() {
			var first error
			for read := range next {
				if first == nil {
					if first = db.view(ctx, read); first != nil {
						cancel()
					}
				}
			}
			errs <- first
		}()
	}
	for _, read := range reads {
		next <- read
	}
	close(next)
	var err error
	for range n {
		err = cmp.Or(err, <-errs)
	}
	return err
}

// add gathers one episode into what the person's episodes say.
func (ep *statsEpisodes) add(types, startDate, under18, location string) {
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
