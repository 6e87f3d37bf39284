package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// statsYear is the financial year the statistics tests report on: April 2025 to March 2026.
const statsYear = waymark.ReportingYear(2025)

// statsRegion is a small region of two organisations in two areas (and one without an area),
// with a frontline worker in each and a regional analyst.
type statsRegion struct {
	e                *env
	outreach, hostel *waymark.Organisation
	partnership      *waymark.Organisation // without an area
	workers          map[string]waymark.Actor
	analyst          waymark.Actor
	stats            *sqldb.StatisticsService
	n                int
}

func newStatsRegion(t *testing.T, engine string) *statsRegion {
	t.Helper()
	e := newEnv(t, engine)
	e.clock.mu.Lock()
	e.clock.now = time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	e.clock.mu.Unlock()
	r := &statsRegion{e: e, workers: map[string]waymark.Actor{}, stats: sqldb.NewStatisticsService(e.db)}
	r.outreach = &waymark.Organisation{Name: "Harrowdale Outreach", Type: waymark.OrgHomelessOutreach, Area: "Harrowdale"}
	r.hostel = &waymark.Organisation{Name: "Kirkby Hostel", Type: waymark.OrgHomelessHostel, Area: "Kirkby"}
	r.partnership = &waymark.Organisation{Name: "Regional Partnership", Type: waymark.OrgOther}
	for _, o := range []*waymark.Organisation{r.outreach, r.hostel, r.partnership} {
		mustOK(t, e.orgs.CreateOrganisation(ctx, system, o))
		_, r.workers[o.ID] = e.user(t, o, waymark.RoleFrontline)
	}
	_, r.analyst = e.user(t, r.outreach, waymark.RoleAnalyst)
	return r
}

// at sets the clock to a day of the year ("2025-06-01"), at noon.
func (r *statsRegion) at(t *testing.T, day string) {
	t.Helper()
	d, err := time.Parse(time.DateOnly, day)
	mustOK(t, err)
	r.e.clock.mu.Lock()
	r.e.clock.now = d.Add(12 * time.Hour)
	r.e.clock.mu.Unlock()
}

// client adds a client to the organisation through the store, on the clock's day.
func (r *statsRegion) client(t *testing.T, org *waymark.Organisation, given, family, dob string, mod func(c *waymark.Client)) string {
	t.Helper()
	c := &waymark.Client{GivenName: given, FamilyName: family, DateOfBirth: dob}
	if mod != nil {
		mod(c)
	}
	mustOK(t, r.e.clients.CreateClient(ctx, r.workers[org.ID], c, nil))
	return c.ID
}

func (r *statsRegion) screen(t *testing.T, org *waymark.Organisation, id, day string) {
	t.Helper()
	r.at(t, day)
	_, err := sqldb.NewScreeningService(r.e.db).RecordScreening(ctx, r.workers[org.ID], id, "hmis-trafficking-v1", map[string]string{"exchange_sex": "no", "made_to_have_sex": "no",
		"afraid_to_leave_work": "no", "work_different_from_promised": "no", "forced_to_continue": "no", "work_past_3_months": "no", "exchange_sex_times": ""}, "")
	mustOK(t, err)
}

func (r *statsRegion) concern(t *testing.T, org *waymark.Organisation, id, day string, status waymark.ConcernStatus) {
	t.Helper()
	r.at(t, day)
	_, err := r.e.clients.SetConcernStatus(ctx, r.workers[org.ID], id, status, "seen at the day centre")
	mustOK(t, err)
}

func (r *statsRegion) episode(t *testing.T, org *waymark.Organisation, id string, ep waymark.ExploitationEpisode) {
	t.Helper()
	mustOK(t, sqldb.NewExploitationService(r.e.db).AddEpisode(ctx, r.workers[org.ID], id, &ep))
}

// insert writes a dated row behind the store's back: the NRM and Duty to Notify records carry the
// dates they were made on, not the day they were entered, and tests set those exactly.
func (r *statsRegion) insert(t *testing.T, query string, args ...any) {
	t.Helper()
	r.n++
	exec(t, r.e.raw(t), query, append([]any{fmt.Sprintf("row%d", r.n)}, args...)...)
}

const statsRecordedAt = "2025-04-01 12:00:00+00:00"

func (r *statsRegion) referral(t *testing.T, org *waymark.Organisation, id, on string) {
	r.insert(t, `INSERT INTO nrm_referrals (id, client_id, org_id, submitted_on, first_responder_org_id, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $3, 'test', $5)`, id, org.ID, on, statsRecordedAt)
}

func (r *statsRegion) dutyToNotify(t *testing.T, org *waymark.Organisation, id, on string) {
	r.insert(t, `INSERT INTO duty_to_notify_reports (id, client_id, org_id, agrees_to_cooperate, submitted_on, recorded_by, recorded_at)
		VALUES ($1, $2, $3, FALSE, $4, 'test', $5)`, id, org.ID, on, statsRecordedAt)
}

func (r *statsRegion) decision(t *testing.T, org *waymark.Organisation, id, stage, outcome, on string) {
	r.insert(t, `INSERT INTO nrm_decisions (id, client_id, org_id, stage, outcome, authority, decided_on, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, 'sca', $6, 'test', $7)`, id, org.ID, stage, outcome, on, statsRecordedAt)
}

func (r *statsRegion) followUp(t *testing.T, org *waymark.Organisation, id string, months int, due string, version int, contacted bool, stable, rough, reExploited, inContact waymark.Answer) {
	r.insert(t, `INSERT INTO follow_ups (id, client_id, org_id, months, due_on, contacted, stable_accommodation, rough_sleeping, re_exploited,
		in_contact, attempts, version, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, 'test', $12)`,
		id, org.ID, months, due, contacted, string(stable), string(rough), string(reExploited), string(inContact), version, statsRecordedAt)
}

// facts reads the year's facts as the analyst.
func (r *statsRegion) facts(t *testing.T) *waymark.RegionalFacts {
	t.Helper()
	f, err := r.stats.RegionalFacts(ctx, r.analyst, statsYear, waymark.ViewDashboard, "area: all")
	mustOK(t, err)
	return f
}

// of is the facts of one population.
func of(f *waymark.RegionalFacts, p waymark.Population) []waymark.PersonFact {
	var out []waymark.PersonFact
	for _, x := range f.People {
		if x.Population == p {
			out = append(out, x)
		}
	}
	return out
}

// sortedOrganisations orders organisations by ID, as the facts list them.
func sortedOrganisations(orgs ...waymark.RegionalOrganisation) []waymark.RegionalOrganisation {
	slices.SortFunc(orgs, func(a, b waymark.RegionalOrganisation) int { return strings.Compare(a.ID, b.ID) })
	return orgs
}

// knownTo is the fact, known of by the organisations given too (listed by ID, as the facts list them).
func knownTo(f waymark.PersonFact, orgs ...*waymark.Organisation) waymark.PersonFact {
	for _, o := range orgs {
		f.KnownTo = append(f.KnownTo, o.ID)
	}
	slices.Sort(f.KnownTo)
	return f
}

// sortFacts orders facts by everything they hold, so sets of facts compare whatever the read order.
var sortFacts = cmpopts.SortSlices(func(a, b waymark.PersonFact) bool { return fmt.Sprint(a) < fmt.Sprint(b) })

// screened is the fact of a person screened in quarter q at an organisation.
func screened(q int, org *waymark.Organisation) waymark.PersonFact {
	return waymark.PersonFact{Population: waymark.PopScreened, Quarter: q, Area: org.Area, Org: org.ID, Days: -1,
		Categories: map[waymark.Breakdown]string{waymark.ByOrgType: string(org.Type)}}
}

func TestRegionalFacts(t *testing.T) {
	for _, engine := range sqldbtest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			t.Run("the same person in two organisations counts once, under the earlier event", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				a := r.client(t, r.outreach, "Ann", "Smith", "1990-01-02", nil)
				b := r.client(t, r.hostel, "ann ", " SMITH", "1990-01-02", nil)
				other := r.client(t, r.outreach, "Ann", "Smith", "1990-01-03", nil)
				r.screen(t, r.outreach, a, "2025-08-01")
				r.screen(t, r.hostel, b, "2025-05-10")
				r.screen(t, r.outreach, other, "2025-12-01")
				f := r.facts(t)
				// The outreach team knows of Ann, counted under the hostel: it has a record of her too.
				want := []waymark.PersonFact{knownTo(screened(1, r.hostel), r.outreach), screened(3, r.outreach)}
				if diff := cmp.Diff(want, of(f, waymark.PopScreened), sortFacts); diff != "" {
					t.Errorf("screened (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"", "Harrowdale", "Kirkby"}, f.Areas); diff != "" {
					t.Errorf("areas (-want +got):\n%s", diff)
				}
			})
			t.Run("the facts say which quarters have begun and which organisations there are, of which type and where", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				got := map[string]any{}
				for _, day := range []string{"2025-03-31", "2025-04-01", "2025-10-01", "2026-04-01"} {
					r.at(t, day)
					got["begun on "+day] = r.facts(t).Begun
				}
				got["organisations"] = r.facts(t).Organisations
				want := map[string]any{"begun on 2025-03-31": 0, "begun on 2025-04-01": 1, "begun on 2025-10-01": 3, "begun on 2026-04-01": 4,
					"organisations": sortedOrganisations(waymark.RegionalOrganisation{ID: r.outreach.ID, Type: waymark.OrgHomelessOutreach, Area: "Harrowdale"},
						waymark.RegionalOrganisation{ID: r.hostel.ID, Type: waymark.OrgHomelessHostel, Area: "Kirkby"},
						waymark.RegionalOrganisation{ID: r.partnership.ID, Type: waymark.OrgOther})}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			})
			t.Run("a partner a record was ever shared with knows of the person, and so does an organisation whose record is left out", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				a := r.client(t, r.outreach, "Cy", "Ng", "1991-03-04", nil)
				refused := r.client(t, r.partnership, "Cy", "Ng", "1991-03-04", nil)
				exec(t, r.e.raw(t), `UPDATE clients SET excluded_from_statistics = TRUE WHERE id = $1`, refused)
				r.screen(t, r.outreach, a, "2025-06-01")
				r.screen(t, r.partnership, refused, "2025-05-01")
				r.insert(t, `INSERT INTO case_shares (id, client_id, owner_org_id, partner_org_id, purpose, sections, shared_by, shared_at, revoked_at)
					VALUES ($1, $2, $3, $4, 'safeguarding', 'whole', 'test', $5, $5)`, a, r.outreach.ID, r.hostel.ID, statsRecordedAt)
				want := knownTo(screened(1, r.outreach), r.hostel, r.partnership)
				if diff := cmp.Diff([]waymark.PersonFact{want}, of(r.facts(t), waymark.PopScreened), sortFacts); diff != "" {
					t.Errorf("screened (-want +got):\n%s", diff)
				}
			})
			t.Run("a person screened three times counts once, in the quarter of the first screening in the year", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				r.at(t, "2025-03-01")
				a := r.client(t, r.outreach, "Bo", "Li", "", nil)
				later := r.client(t, r.outreach, "Cy", "Ng", "", nil)
				for _, day := range []string{"2025-03-20", "2025-07-05", "2025-10-01", "2026-01-15"} {
					r.screen(t, r.outreach, a, day)
				}
				r.screen(t, r.outreach, later, "2026-04-01")
				if diff := cmp.Diff([]waymark.PersonFact{screened(2, r.outreach)}, of(r.facts(t), waymark.PopScreened), sortFacts); diff != "" {
					t.Errorf("screened (-want +got):\n%s", diff)
				}
			})
			t.Run("a client excluded from statistics is left out and hides nobody", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				excluded := r.client(t, r.outreach, "Di", "Oz", "1985-05-05", nil)
				same := r.client(t, r.hostel, "Di", "Oz", "1985-05-05", nil)
				alone := r.client(t, r.outreach, "Ed", "Py", "", nil)
				r.screen(t, r.outreach, excluded, "2025-04-10")
				r.screen(t, r.hostel, same, "2025-11-10")
				r.screen(t, r.outreach, alone, "2025-06-10")
				exec(t, r.e.raw(t), `UPDATE clients SET excluded_from_statistics = TRUE WHERE id = $1 OR id = $2`, excluded, alone)
				// The outreach team still knows of Di: its record is left out, not gone.
				if diff := cmp.Diff([]waymark.PersonFact{knownTo(screened(3, r.hostel), r.outreach)}, of(r.facts(t), waymark.PopScreened), sortFacts); diff != "" {
					t.Errorf("screened (-want +got):\n%s", diff)
				}
			})
			t.Run("concerns and referrals fall in categories from the record, its episodes and the route", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				withDOB := r.client(t, r.outreach, "Fa", "Qi", "1990-06-15", func(c *waymark.Client) {
					c.Gender, c.Nationalities = waymark.GenderFemale, []string{"RO", "PL"}
				})
				r.episode(t, r.outreach, withDOB, waymark.ExploitationEpisode{Types: []string{"labour"}, Start: "2008-07", Location: "uk"})
				r.episode(t, r.outreach, withDOB, waymark.ExploitationEpisode{Types: []string{"labour"}, Start: "2012", Location: "overseas"})
				r.referral(t, r.outreach, withDOB, "2025-05-01")
				nothing := r.client(t, r.outreach, "Gu", "Ra", "", nil)
				r.dutyToNotify(t, r.outreach, nothing, "2025-09-01")
				estimated := r.client(t, r.hostel, "Ha", "Sa", "", func(c *waymark.Client) {
					c.Gender, c.Nationalities, c.EstimatedAge = waymark.GenderMale, []string{"AL"}, 30
				})
				r.episode(t, r.hostel, estimated, waymark.ExploitationEpisode{Types: []string{"sexual"}, Start: "2015"})
				r.episode(t, r.hostel, estimated, waymark.ExploitationEpisode{Types: []string{"criminal"}, Start: "2020-02", Location: "not_known"})
				r.referral(t, r.hostel, estimated, "2026-04-02") // after the year: route none
				under18 := r.client(t, r.hostel, "Io", "Ta", "1980-01-01", func(c *waymark.Client) { c.Gender = waymark.GenderOther })
				r.episode(t, r.hostel, under18, waymark.ExploitationEpisode{Types: []string{"domestic_servitude"}, Start: "2000", Under18: waymark.AnswerYes, Location: "overseas"})
				notUnder18 := r.client(t, r.outreach, "Jo", "Ua", "2000-05-01", nil)
				r.episode(t, r.outreach, notUnder18, waymark.ExploitationEpisode{Types: []string{"other"}, Start: "2010-04", Under18: waymark.AnswerNo, Location: "both"})
				partial := r.client(t, r.outreach, "Ka", "Va", "2001", nil)
				r.episode(t, r.outreach, partial, waymark.ExploitationEpisode{Types: []string{"labour"}, Start: "2015-06"})
				for _, id := range []string{withDOB, nothing, notUnder18, partial} {
					r.concern(t, r.outreach, id, "2025-06-01", waymark.ConcernSuspected)
				}
				for _, id := range []string{estimated, under18} {
					r.concern(t, r.hostel, id, "2025-06-01", waymark.ConcernSuspected)
				}
				r.concern(t, r.outreach, partial, "2025-07-01", waymark.ConcernConfirmed)
				notConcern := r.client(t, r.outreach, "Lu", "Wa", "", nil)
				r.concern(t, r.outreach, notConcern, "2025-06-01", waymark.ConcernNone)

				type cats = map[waymark.Breakdown]string
				concern := func(org *waymark.Organisation, q int, c cats) waymark.PersonFact {
					c[waymark.ByOrgType] = string(org.Type)
					return waymark.PersonFact{Population: waymark.PopConcerns, Quarter: q, Area: org.Area, Org: org.ID, Days: -1, Categories: c}
				}
				catsWithDOB := cats{waymark.ByExploitationType: "labour", waymark.ByAgeGroup: "adult", waymark.ByAgeBand: "18-20", waymark.ByGender: "female",
					waymark.ByNationality: "RO", waymark.ByLocation: "both", waymark.ByRoute: "nrm"}
				catsNothing := cats{waymark.ByExploitationType: "not_recorded", waymark.ByAgeGroup: "not_known", waymark.ByAgeBand: "not_known", waymark.ByGender: "not_known",
					waymark.ByNationality: "not_known", waymark.ByLocation: "not_known", waymark.ByRoute: "duty_to_notify"}
				want := []waymark.PersonFact{
					concern(r.outreach, 1, catsWithDOB),
					concern(r.outreach, 1, catsNothing),
					concern(r.hostel, 1, cats{waymark.ByExploitationType: "more_than_one", waymark.ByAgeGroup: "adult", waymark.ByAgeBand: "18-20", waymark.ByGender: "male",
						waymark.ByNationality: "AL", waymark.ByLocation: "not_known", waymark.ByRoute: "none"}),
					concern(r.hostel, 1, cats{waymark.ByExploitationType: "domestic_servitude", waymark.ByAgeGroup: "child", waymark.ByAgeBand: "child_age_not_known", waymark.ByGender: "other",
						waymark.ByNationality: "not_known", waymark.ByLocation: "overseas", waymark.ByRoute: "none"}),
					concern(r.outreach, 1, cats{waymark.ByExploitationType: "other", waymark.ByAgeGroup: "adult", waymark.ByAgeBand: "adult_age_not_known", waymark.ByGender: "not_known",
						waymark.ByNationality: "not_known", waymark.ByLocation: "both", waymark.ByRoute: "none"}),
					concern(r.outreach, 1, cats{waymark.ByExploitationType: "labour", waymark.ByAgeGroup: "child", waymark.ByAgeBand: "9-17", waymark.ByGender: "not_known",
						waymark.ByNationality: "not_known", waymark.ByLocation: "not_known", waymark.ByRoute: "none"}),
				}
				f := r.facts(t)
				if diff := cmp.Diff(want, of(f, waymark.PopConcerns), sortFacts); diff != "" {
					t.Errorf("concerns (-want +got):\n%s", diff)
				}
				referred := func(q int, c cats) waymark.PersonFact {
					f := concern(r.outreach, q, c)
					f.Population = waymark.PopReferred
					return f
				}
				if diff := cmp.Diff([]waymark.PersonFact{referred(1, catsWithDOB), referred(2, catsNothing)}, of(f, waymark.PopReferred), sortFacts); diff != "" {
					t.Errorf("referred (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"AL", "RO"}, f.Nationalities); diff != "" {
					t.Errorf("nationalities (-want +got):\n%s", diff)
				}
			})
			t.Run("a decision counts once with its outcome and the days since the referral before it", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				a := r.client(t, r.outreach, "Ma", "Xu", "", nil)
				r.referral(t, r.outreach, a, "2025-01-10")
				r.referral(t, r.outreach, a, "2025-03-01")
				r.referral(t, r.outreach, a, "2025-04-20")
				r.decision(t, r.outreach, a, "reasonable_grounds", "positive", "2025-04-15")
				r.decision(t, r.outreach, a, "reasonable_grounds", "negative", "2025-06-01")
				r.decision(t, r.outreach, a, "conclusive_grounds", "suspended", "2025-10-01")
				b := r.client(t, r.hostel, "Na", "Yi", "", nil)
				r.decision(t, r.hostel, b, "reasonable_grounds", "negative", "2025-05-05")
				r.decision(t, r.hostel, b, "conclusive_grounds", "positive", "2024-12-05")
				decision := func(p waymark.Population, org *waymark.Organisation, q int, outcome string, days int) waymark.PersonFact {
					return waymark.PersonFact{Population: p, Quarter: q, Area: org.Area, Org: org.ID, Days: days,
						Categories: map[waymark.Breakdown]string{waymark.ByOrgType: string(org.Type), waymark.ByDecision: outcome}}
				}
				f := r.facts(t)
				want := []waymark.PersonFact{
					decision(waymark.PopReasonableGrounds, r.outreach, 1, "positive", 45),
					decision(waymark.PopReasonableGrounds, r.hostel, 1, "negative", -1),
				}
				if diff := cmp.Diff(want, of(f, waymark.PopReasonableGrounds), sortFacts); diff != "" {
					t.Errorf("reasonable grounds (-want +got):\n%s", diff)
				}
				want = []waymark.PersonFact{decision(waymark.PopConclusiveGrounds, r.outreach, 3, "other", 164)}
				if diff := cmp.Diff(want, of(f, waymark.PopConclusiveGrounds), sortFacts); diff != "" {
					t.Errorf("conclusive grounds (-want +got):\n%s", diff)
				}
			})
			t.Run("a 6-month follow-up counts by its current version's outcome", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				yes, no := waymark.AnswerYes, waymark.AnswerNo
				add := func(name string, versions ...func(id string, v int)) {
					id := r.client(t, r.outreach, name, "Zed", "", nil)
					for i, v := range versions {
						v(id, i+1)
					}
				}
				six := func(due string, contacted bool, stable, rough, reExploited, inContact waymark.Answer) func(id string, v int) {
					return func(id string, v int) {
						r.followUp(t, r.outreach, id, 6, due, v, contacted, stable, rough, reExploited, inContact)
					}
				}
				add("Re", six("2025-07-01", true, yes, no, no, yes), six("2025-07-01", true, yes, no, yes, yes))
				add("Lo", six("2025-07-01", false, "", "", "", ""))
				add("Ho", six("2025-10-01", true, yes, yes, no, yes))
				add("Hn", six("2025-10-01", true, no, "", "", ""))
				add("St", six("2026-01-01", true, yes, no, no, yes))
				add("Ic", six("2026-01-01", true, "", "", "", no))
				add("Nr", six("2026-03-31", true, "", "", "", ""))
				add("Next", six("2026-05-01", true, yes, no, no, yes))
				id := r.client(t, r.outreach, "Three", "Zed", "", nil)
				r.followUp(t, r.outreach, id, 3, "2025-07-01", 1, true, yes, no, no, yes)
				followed := func(q int, outcome string) waymark.PersonFact {
					return waymark.PersonFact{Population: waymark.PopFollowedUp, Quarter: q, Area: r.outreach.Area, Org: r.outreach.ID, Days: -1,
						Categories: map[waymark.Breakdown]string{waymark.ByOrgType: string(r.outreach.Type), waymark.ByOutcome: outcome}}
				}
				want := []waymark.PersonFact{followed(2, "re_exploited"), followed(2, "lost_contact"), followed(3, "homeless"), followed(3, "homeless"),
					followed(4, "stable"), followed(4, "lost_contact"), followed(4, "not_recorded")}
				if diff := cmp.Diff(want, of(r.facts(t), waymark.PopFollowedUp), sortFacts); diff != "" {
					t.Errorf("followed up (-want +got):\n%s", diff)
				}
			})
			t.Run("clients written before person keys are keyed at start-up", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				a := r.client(t, r.outreach, "Ann", "Smith", "1990-01-02", nil)
				b := r.client(t, r.hostel, "Ann", "Smith", "1990-01-02", nil)
				r.screen(t, r.outreach, a, "2025-08-01")
				r.screen(t, r.hostel, b, "2025-05-10")
				exec(t, r.e.raw(t), `UPDATE clients SET person_key = ''`)
				db, err := sqldb.Open(ctx, r.e.cfg)
				mustOK(t, err)
				defer db.Close()
				f, err := sqldb.NewStatisticsService(db).RegionalFacts(ctx, r.analyst, statsYear, waymark.ViewDashboard, "")
				mustOK(t, err)
				if diff := cmp.Diff([]waymark.PersonFact{knownTo(screened(1, r.hostel), r.outreach)}, of(f, waymark.PopScreened), sortFacts); diff != "" {
					t.Errorf("screened (-want +got):\n%s", diff)
				}
			})
			t.Run("a frontline worker is forbidden and an unknown view is invalid", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				_, err := r.stats.RegionalFacts(ctx, r.workers[r.outreach.ID], statsYear, waymark.ViewDashboard, "")
				wantCode(t, err, waymark.EFORBIDDEN)
				_, err = r.stats.RegionalFacts(ctx, r.analyst, statsYear, "pdf", "")
				wantCode(t, err, waymark.EINVALID)
			})
			t.Run("each read is audited with its view and detail, naming nobody", func(t *testing.T) {
				r := newStatsRegion(t, engine)
				a := r.client(t, r.outreach, "Ann", "Smith", "1990-01-02", nil)
				r.screen(t, r.outreach, a, "2025-08-01")
				_, err := r.stats.RegionalFacts(ctx, r.analyst, statsYear, waymark.ViewDashboard, "area: Harrowdale; quarter: 2")
				mustOK(t, err)
				_, err = r.stats.RegionalFacts(ctx, r.analyst, statsYear, waymark.ViewReturnCSV, "area: all")
				mustOK(t, err)
				var got []*waymark.AuditEntry
				for _, x := range allEntries(t, r.e.raw(t)) {
					if x.ObjectType == "statistics" {
						got = append(got, x)
					}
				}
				want := []*waymark.AuditEntry{
					{ActorUserID: r.analyst.UserID, ActorLabel: "web", OrgID: r.outreach.ID, Action: waymark.AuditStatisticsViewed, ObjectType: "statistics",
						ObjectID: "2025-26", Addr: "192.0.2.1", Detail: "view: dashboard; area: Harrowdale; quarter: 2"},
					{ActorUserID: r.analyst.UserID, ActorLabel: "web", OrgID: r.outreach.ID, Action: waymark.AuditStatisticsExported, ObjectType: "statistics",
						ObjectID: "2025-26", Addr: "192.0.2.1", Detail: "view: return.csv; area: all"},
				}
				if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(waymark.AuditEntry{}, "Seq", "At", "PrevHash", "Hash")); diff != "" {
					t.Errorf("audit (-want +got):\n%s", diff)
				}
				for _, x := range got {
					if strings.Contains(x.Detail, "Smith") || strings.Contains(x.Detail, a) {
						t.Errorf("audit detail %q names the client", x.Detail)
					}
				}
			})
		})
	}
}
