package demo_test

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"waymark"
	"waymark/internal/demo"
)

// fakeStore records what the generator creates. It checks what the real stores check that matters
// here (validation, the actor, unique names and emails), so a generator that would fail against a
// database fails here too. The real stores are tested in sqldb, and an integration test runs the
// generator against real databases.
type fakeStore struct {
	prefix  string // makes IDs differ between stores, as real random IDs do
	n       int
	orgs    []waymark.Organisation
	users   []waymark.User
	hashes  []string
	clients []waymark.Client
	// clientOrg holds the name of each client's organisation, to compare runs without IDs.
	clientOrg []string
	// failClientsAfter makes CreateClient fail once that many clients exist; 0 never fails.
	failClientsAfter int
	// sets are the question sets offered, seededSets() unless a test sets others.
	sets       []*waymark.QuestionSet
	screenings []waymark.Screening
	// now is when the journey records are validated, the demo's today unless a test sets another.
	now time.Time
	// journeys are the clients' NRM journeys in the order they were started; journey finds one.
	journeys []*waymark.Journey
	journey  map[string]*waymark.Journey
}

func (s *fakeStore) id() string { s.n++; return s.prefix + strconv.Itoa(s.n) }

func (s *fakeStore) org(id string) *waymark.Organisation {
	for i := range s.orgs {
		if s.orgs[i].ID == id {
			return &s.orgs[i]
		}
	}
	return nil
}

func (s *fakeStore) CreateOrganisation(ctx context.Context, actor waymark.Actor, o *waymark.Organisation) error {
	if !actor.System {
		return waymark.Errorf(waymark.EFORBIDDEN, "system actor only")
	}
	if err := o.Validate(); err != nil {
		return err
	}
	for _, x := range s.orgs {
		if strings.EqualFold(x.Name, o.Name) {
			return waymark.Errorf(waymark.ECONFLICT, "duplicate organisation %q", o.Name)
		}
	}
	o.ID = s.id()
	s.orgs = append(s.orgs, *o)
	return nil
}

func (s *fakeStore) CreateUser(ctx context.Context, actor waymark.Actor, u *waymark.User, passwordHash string) error {
	if !actor.System {
		return waymark.Errorf(waymark.EFORBIDDEN, "system actor only")
	}
	if err := u.Validate(); err != nil {
		return err
	}
	org := s.org(u.OrgID)
	if org == nil {
		return waymark.Errorf(waymark.EINVALID, "no organisation %q", u.OrgID)
	}
	for _, x := range s.users {
		if x.Email == u.Email {
			return waymark.Errorf(waymark.ECONFLICT, "duplicate email %q", u.Email)
		}
	}
	u.ID, u.OrgName = s.id(), org.Name
	s.users = append(s.users, *u)
	s.hashes = append(s.hashes, passwordHash)
	return nil
}

func (s *fakeStore) CreateClient(ctx context.Context, actor waymark.Actor, c *waymark.Client, _ []string) error {
	if s.failClientsAfter > 0 && len(s.clients) >= s.failClientsAfter {
		return waymark.Errorf(waymark.EUNAVAILABLE, "database gone")
	}
	if actor.System || actor.Role != waymark.RoleFrontline || actor.Via != "demo" {
		return waymark.Errorf(waymark.EFORBIDDEN, "clients must be created by a frontline worker, got %+v", actor)
	}
	creator := slices.IndexFunc(s.users, func(u waymark.User) bool { return u.ID == actor.UserID })
	if creator < 0 || s.users[creator].OrgID != actor.OrgID || s.users[creator].Role != waymark.RoleFrontline {
		return waymark.Errorf(waymark.EFORBIDDEN, "actor %+v is not a frontline worker of the organisation", actor)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	c.ID, c.OrgID, c.CreatedBy = s.id(), actor.OrgID, actor.UserID
	cc := *c
	cc.KnownAs = slices.Clone(c.KnownAs)
	cc.Nationalities = slices.Clone(c.Nationalities)
	s.clients = append(s.clients, cc)
	s.clientOrg = append(s.clientOrg, s.org(actor.OrgID).Name)
	return nil
}

func (s *fakeStore) FindQuestionSets(ctx context.Context, actor waymark.Actor) ([]*waymark.QuestionSet, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "actor %+v may not view clients", actor)
	}
	if s.sets == nil {
		return seededSets(), nil
	}
	return s.sets, nil
}

func (s *fakeStore) RecordScreening(ctx context.Context, actor waymark.Actor, clientID, setID string, answers map[string]string, notes string) (*waymark.Screening, error) {
	if actor.System || actor.Role != waymark.RoleFrontline || actor.Via != "demo" {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "screenings must be asked by a frontline worker, got %+v", actor)
	}
	if !slices.ContainsFunc(s.clients, func(c waymark.Client) bool { return c.ID == clientID && c.OrgID == actor.OrgID }) {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "no client %q in organisation %q", clientID, actor.OrgID)
	}
	sets, _ := s.FindQuestionSets(ctx, actor)
	i := slices.IndexFunc(sets, func(set *waymark.QuestionSet) bool { return set.ID == setID })
	if i < 0 {
		return nil, waymark.Errorf(waymark.EINVALID, "no question set %q", setID)
	}
	set := sets[i]
	if err := waymark.ValidateScreening(set, answers, notes); err != nil {
		return nil, err
	}
	sc := waymark.Screening{ID: s.id(), ClientID: clientID, OrgID: actor.OrgID, SetID: set.ID, SetKey: set.Key, SetName: set.Name,
		SetVersion: set.Version, AskedBy: actor.UserID, Answers: maps.Clone(answers), Notes: notes, ProposedStatus: waymark.ProposeConcern(set, answers)}
	s.screenings = append(s.screenings, sc)
	return &sc, nil
}

func (s *fakeStore) services() demo.Services {
	return demo.Services{Organisations: s, Users: s, Clients: s, Screenings: s}
}

// allServices are the services `waymark demo` gives the generator. fakeRecords accepts notes,
// episodes and support without keeping them: they are there because the generator draws them from
// the clients' random stream, so a region made with them has the clients of the real demo region.
func (s *fakeStore) allServices() demo.Services {
	d := s.services()
	d.Notes, d.Exploitation, d.Support = fakeRecords{}, fakeRecords{}, fakeRecords{}
	d.Journeys = s
	return d
}

type fakeRecords struct{}

func (fakeRecords) AddNote(ctx context.Context, actor waymark.Actor, clientID, text string, restricted bool) (*waymark.CaseNote, error) {
	return &waymark.CaseNote{}, nil
}

func (fakeRecords) AddEpisode(ctx context.Context, actor waymark.Actor, clientID string, e *waymark.ExploitationEpisode) error {
	return nil
}

func (fakeRecords) AssessRisk(ctx context.Context, actor waymark.Actor, clientID, level, reason string) (*waymark.RiskAssessment, error) {
	return &waymark.RiskAssessment{}, nil
}

func (fakeRecords) AddSupport(ctx context.Context, actor waymark.Actor, clientID string, a waymark.SupportAction) (*waymark.SupportAction, error) {
	return &a, nil
}

// seededSets mirrors the question sets the migrations seed (sqldb tests check the seeded data
// itself): the HMIS items, with main questions that have concern and clear answers and follow-ups
// that have neither (one with a concern answer), and the ILO's 11 indicators.
func seededSets() []*waymark.QuestionSet {
	hmisAnswers := []string{"no", "yes", "client_doesnt_know", "client_prefers_not_to_answer", "data_not_collected"}
	main := func(k string) waymark.Question {
		return waymark.Question{Key: k, Text: k + "?", Answers: hmisAnswers, Concern: []string{"yes"}, Clear: []string{"no"}}
	}
	followUp := func(k string) waymark.Question { return waymark.Question{Key: k, Text: k + "?", Answers: hmisAnswers} }
	times := waymark.Question{Key: "exchange_sex_times", Text: "How many times?",
		Answers: []string{"1_3", "4_7", "8_11", "12_or_more", "client_doesnt_know", "client_prefers_not_to_answer", "data_not_collected"}}
	forced := followUp("forced_to_continue")
	forced.Concern = []string{"yes"}
	hmis := &waymark.QuestionSet{ID: "hmis-trafficking-v1", Key: "hmis-trafficking", Name: "HMIS human trafficking questions", Version: 1,
		Questions: []waymark.Question{main("exchange_sex"), followUp("exchange_sex_past_3_months"), times, main("made_to_have_sex"),
			followUp("made_to_have_sex_past_3_months"), main("afraid_to_leave_work"), main("work_different_from_promised"), forced, followUp("work_past_3_months")}}
	ilo := &waymark.QuestionSet{ID: "ilo-forced-labour-v1", Key: "ilo-forced-labour", Name: "ILO indicators of forced labour", Version: 1}
	for _, k := range []string{"abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation", "physical_and_sexual_violence",
		"intimidation_and_threats", "retention_of_identity_documents", "withholding_of_wages", "debt_bondage",
		"abusive_working_and_living_conditions", "excessive_overtime"} {
		ilo.Questions = append(ilo.Questions, waymark.Question{Key: k, Text: k, Answers: []string{"observed", "not_observed", "not_known"},
			Concern: []string{"observed"}, Clear: []string{"not_observed", "not_known"}})
	}
	return []*waymark.QuestionSet{hmis, ilo}
}

func (s *fakeStore) today() time.Time {
	if s.now.IsZero() {
		return today
	}
	return s.now
}

// journeyOf checks that the actor is a frontline worker or safeguarding lead of the client's
// organisation, acting for the demo, and returns the client's journey, started if need be.
func (s *fakeStore) journeyOf(actor waymark.Actor, clientID string) (*waymark.Journey, error) {
	if actor.System || actor.Via != "demo" || (actor.Role != waymark.RoleFrontline && actor.Role != waymark.RoleSafeguardingLead) {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "journeys must be recorded by a frontline worker or safeguarding lead, got %+v", actor)
	}
	u := slices.IndexFunc(s.users, func(u waymark.User) bool { return u.ID == actor.UserID })
	if u < 0 || s.users[u].OrgID != actor.OrgID || s.users[u].Role != actor.Role {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "actor %+v is not a user of the organisation in that role", actor)
	}
	c := slices.IndexFunc(s.clients, func(c waymark.Client) bool { return c.ID == clientID && c.OrgID == actor.OrgID })
	if c < 0 {
		return nil, waymark.Errorf(waymark.ENOTFOUND, "no client %q in organisation %q", clientID, actor.OrgID)
	}
	if j := s.journey[clientID]; j != nil {
		return j, nil
	}
	if s.journey == nil {
		s.journey = map[string]*waymark.Journey{}
	}
	client, org := s.clients[c], *s.org(actor.OrgID)
	j := &waymark.Journey{Client: &client, Organisation: &org}
	s.journey[clientID] = j
	s.journeys = append(s.journeys, j)
	return j, nil
}

// firstResponder refuses an organisation that is not a First Responder, as the store does.
func (s *fakeStore) firstResponder(orgID, field string) (*waymark.Organisation, error) {
	o := s.org(orgID)
	if o == nil || o.Disabled || !o.FirstResponder {
		return nil, waymark.Invalid(map[string]string{field: "not a First Responder Organisation"})
	}
	return o, nil
}

func (s *fakeStore) SaveAnswers(ctx context.Context, actor waymark.Actor, clientID string, version int, a waymark.PathwayAnswers) (*waymark.PathwayAnswers, error) {
	j, err := s.journeyOf(actor, clientID)
	if err != nil {
		return nil, err
	}
	if version != j.Answers.Version {
		return nil, waymark.Errorf(waymark.ECONFLICT, "answers are at version %d, not %d", j.Answers.Version, version)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	j.Partner = nil
	if a.PartnerOrgID != "" {
		if a.PartnerOrgID == actor.OrgID {
			return nil, waymark.Invalid(map[string]string{"partner_org_id": "not your own organisation"})
		}
		o, err := s.firstResponder(a.PartnerOrgID, "partner_org_id")
		if err != nil {
			return nil, err
		}
		p := *o
		j.Partner = &p
	}
	a.Version, a.UpdatedBy, a.UpdatedAt = version+1, actor.UserID, s.today()
	j.Answers = a
	return &a, nil
}

func (s *fakeStore) RecordConsent(ctx context.Context, actor waymark.Actor, clientID string, c *waymark.NRMConsent) error {
	j, err := s.journeyOf(actor, clientID)
	if err == nil {
		err = c.Validate(s.today())
	}
	if err != nil {
		return err
	}
	c.ID, c.ClientID, c.RecordedBy, c.RecordedAt = s.id(), clientID, actor.UserID, s.today()
	cc := *c
	j.Consents = append(j.Consents, &cc)
	return nil
}

func (s *fakeStore) RecordStep(ctx context.Context, actor waymark.Actor, clientID string, st *waymark.StepRecord) error {
	j, err := s.journeyOf(actor, clientID)
	if err == nil {
		err = st.Validate(s.today())
	}
	if err != nil {
		return err
	}
	st.ID, st.ClientID, st.RecordedBy, st.RecordedAt = s.id(), clientID, actor.UserID, s.today()
	cc := *st
	j.Steps = append(j.Steps, &cc)
	return nil
}

func (s *fakeStore) RecordReferral(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.NRMReferral) error {
	j, err := s.journeyOf(actor, clientID)
	if err == nil {
		err = r.Validate(s.today())
	}
	if err != nil {
		return err
	}
	o, err := s.firstResponder(r.FirstResponderOrgID, "first_responder_org_id")
	if err != nil {
		return err
	}
	r.ID, r.ClientID, r.FirstResponderName, r.RecordedBy, r.RecordedAt = s.id(), clientID, o.Name, actor.UserID, s.today()
	cc := *r
	j.Referrals = append(j.Referrals, &cc)
	return nil
}

func (s *fakeStore) RecordDecision(ctx context.Context, actor waymark.Actor, clientID string, d *waymark.NRMDecision) error {
	j, err := s.journeyOf(actor, clientID)
	if err == nil {
		err = d.Validate(s.today())
	}
	if err != nil {
		return err
	}
	d.ID, d.ClientID, d.RecordedBy, d.RecordedAt = s.id(), clientID, actor.UserID, s.today()
	cc := *d
	j.Decisions = append(j.Decisions, &cc)
	return nil
}

func (s *fakeStore) RecordMilestone(ctx context.Context, actor waymark.Actor, clientID string, m *waymark.NRMMilestone) error {
	j, err := s.journeyOf(actor, clientID)
	if err == nil {
		err = m.Validate(s.today())
	}
	if err != nil {
		return err
	}
	m.ID, m.ClientID, m.RecordedBy, m.RecordedAt = s.id(), clientID, actor.UserID, s.today()
	cc := *m
	j.Milestones = append(j.Milestones, &cc)
	return nil
}

func (s *fakeStore) RecordDutyToNotify(ctx context.Context, actor waymark.Actor, clientID string, d *waymark.DutyToNotifyRecord) error {
	j, err := s.journeyOf(actor, clientID)
	if err == nil {
		err = d.Validate(s.today())
	}
	if err != nil {
		return err
	}
	if !j.Organisation.SpecifiedPublicAuthority {
		return waymark.Errorf(waymark.EINVALID, "only a specified public authority makes Duty to Notify reports, and %s is not one", j.Organisation.Name)
	}
	d.ID, d.ClientID, d.RecordedBy, d.RecordedAt = s.id(), clientID, actor.UserID, s.today()
	cc := *d
	j.DutyToNotify = append(j.DutyToNotify, &cc)
	return nil
}
