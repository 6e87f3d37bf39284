package sqldb

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"waymark"
)

// londonStart is the instant a London date begins, for comparing dates with timestamps.
func londonStart(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, waymark.London())
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// assessmentMeasures works out every measure of the organisation for the 12 months to the London
// date on (from the day after the same date a year before, to on itself), in a fixed number of
// queries however many clients the organisation has. docs/operations.md says how each is defined.
func (tx *Tx) assessmentMeasures(ctx context.Context, orgID, on string) (*waymark.Measures, error) {
	from := waymark.AddMonths(on, -12)
	start, end := londonStart(waymark.AddDays(from, 1)), londonStart(waymark.AddDays(on, 1))
	out := &waymark.Measures{From: waymark.AddDays(from, 1), On: on, Values: map[string]waymark.Measure{}}
	set := func(m waymark.Measure) { out.Values[m.Key] = m }
	count := func(key string, query string, args ...any) error {
		var n int
		if err := tx.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			return fmt.Errorf("measure %s: %w", key, err)
		}
		set(waymark.Measure{Key: key, Known: true, Value: float64(n)})
		return nil
	}

	// Training coverage on the day, as the training page works it out.
	people, err := tx.trainingPeople(ctx, orgID)
	if err != nil {
		return nil, err
	}
	completions, err := tx.completions(ctx, orgID, maxCompletionsRead, 0)
	if err != nil {
		return nil, err
	}
	cov := waymark.ComputeCoverage(people, completions, on)
	set(waymark.Percent(waymark.MeasureTrainingCoverage, cov.InDate, cov.People, "No frontline staff or volunteers are counted"))

	// The modern slavery fields: the concern decided, and for a concern, what happened recorded.
	var clients, recorded int
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN c.concern_status = 'no_concerns'
			OR (c.concern_status IN ('suspected', 'disclosed', 'confirmed') AND EXISTS (SELECT 1 FROM exploitation_episodes e WHERE e.client_id = c.id))
			THEN 1 END)
		FROM clients c WHERE c.org_id = $1 AND c.created_at < $2`, orgID, end).Scan(&clients, &recorded); err != nil {
		return nil, fmt.Errorf("measure fields: %w", err)
	}
	set(waymark.Percent(waymark.MeasureFieldsRecorded, recorded, clients, "No clients recorded"))

	// Screening: clients active in the period (added, screened or with a case note in it) who
	// were screened in it.
	var active, screened int
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN EXISTS (SELECT 1 FROM screenings s WHERE s.client_id = c.id AND s.asked_at >= $1 AND s.asked_at < $2) THEN 1 END)
		FROM clients c WHERE c.org_id = $3 AND (c.created_at >= $1 AND c.created_at < $2
			OR EXISTS (SELECT 1 FROM screenings s WHERE s.client_id = c.id AND s.asked_at >= $1 AND s.asked_at < $2)
			OR EXISTS (SELECT 1 FROM case_notes n WHERE n.client_id = c.id AND n.created_at >= $1 AND n.created_at < $2))`,
		start, end, orgID).Scan(&active, &screened); err != nil {
		return nil, fmt.Errorf("measure screening: %w", err)
	}
	set(waymark.Percent(waymark.MeasureScreeningRate, screened, active, "No clients active in the period"))

	// Referral packs: referrals submitted in the period whose person had the pack's essential
	// facts recorded: gender, nationality, an age, and an exploitation situation with its types
	// and how it started or how they were controlled.
	var referrals, complete int
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(CASE WHEN c.gender <> '' AND (c.nationalities <> '' OR c.nationality_answer <> '')
			AND (c.date_of_birth <> '' OR c.estimated_age > 0)
			AND EXISTS (SELECT 1 FROM exploitation_episodes e WHERE e.client_id = c.id AND e.types <> '' AND (e.recruitment <> '' OR e.control <> ''))
			THEN 1 END)
		FROM nrm_referrals r JOIN clients c ON c.id = r.client_id WHERE r.org_id = $1 AND r.submitted_on > $2 AND r.submitted_on <= $3`,
		orgID, from, on).Scan(&referrals, &complete); err != nil {
		return nil, fmt.Errorf("measure packs: %w", err)
	}
	set(waymark.Percent(waymark.MeasurePackCompleteness, complete, referrals, "No NRM referrals submitted in the period"))

	// Days from referral to a reasonable grounds decision made in the period: from the person's
	// latest referral on or before the decision.
	submitted := map[string][]string{}
	if err := tx.eachRow(ctx, `SELECT client_id, submitted_on FROM nrm_referrals WHERE org_id = $1 ORDER BY submitted_on`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var id, on string
			err := row.Scan(&id, &on)
			submitted[id] = append(submitted[id], on)
			return err
		}); err != nil {
		return nil, err
	}
	var days []float64
	if err := tx.eachRow(ctx, `SELECT client_id, decided_on FROM nrm_decisions WHERE org_id = $1 AND stage = 'reasonable_grounds' AND decided_on > $2 AND decided_on <= $3`,
		[]any{orgID, from, on}, func(row interface{ Scan(...any) error }) error {
			var id, decided string
			if err := row.Scan(&id, &decided); err != nil {
				return err
			}
			ref := ""
			for _, s := range submitted[id] {
				if s <= decided {
					ref = s
				}
			}
			if ref != "" {
				days = append(days, float64(waymark.DaysBetween(ref, decided)))
			}
			return nil
		}); err != nil {
		return nil, err
	}
	if len(days) == 0 {
		set(waymark.Measure{Key: waymark.MeasureRGMedianDays, NoData: "No reasonable grounds decisions in the period"})
	} else {
		m := median(days)
		set(waymark.Measure{Key: waymark.MeasureRGMedianDays, Known: true, Value: m, Denominator: len(days)})
	}

	// Follow-ups that fell due in the period, and how many of them were recorded.
	after, err := tx.afterSupportOf(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var due, done int
	for _, a := range after {
		if a.end.On == "" {
			continue
		}
		for _, s := range waymark.ScheduleFollowUps(a.end.On, a.schedule, a.followUps, on) {
			if s.DueOn <= from || s.DueOn > on {
				continue
			}
			due++
			if s.Record != nil {
				done++
			}
		}
	}
	set(waymark.Percent(waymark.MeasureFollowUpCompletion, done, due, "No follow-ups fell due in the period"))

	if err := count(waymark.MeasureActiveAgreements, `SELECT count(*) FROM data_sharing_agreements d JOIN agreement_parties p ON p.agreement_id = d.id AND p.org_id = $1
		WHERE d.status = 'active' AND d.start_on <= $2 AND (d.end_on = '' OR d.end_on >= $2)
		AND NOT EXISTS (SELECT 1 FROM agreement_parties q WHERE q.agreement_id = d.id AND q.confirmed_at IS NULL)`, orgID, on); err != nil {
		return nil, err
	}
	if err := count(waymark.MeasureConferenceParticipation, `SELECT count(*) FROM conferences c JOIN conference_orgs o ON o.conference_id = c.id AND o.org_id = $1
		WHERE c.status <> 'cancelled' AND c.held_on > $2 AND c.held_on <= $3`, orgID, from, on); err != nil {
		return nil, err
	}
	if err := count(waymark.MeasureAwarenessSessions, `SELECT count(*) FROM awareness_activities WHERE org_id = $1 AND held_on > $2 AND held_on <= $3`, orgID, from, on); err != nil {
		return nil, err
	}
	return out, nil
}

// median is the middle value (the mean of the middle two for an even number), to one decimal place.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return math.Round(m*10) / 10
}
