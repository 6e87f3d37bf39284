// Package demo generates a deterministic, synthetic demo region: organisations of every kind a
// region's response to modern slavery involves, staff in every role, and fictional clients. It
// writes through the same services as the rest of Waymark, so every demo record is validated and
// audited like a real one, and it knows nothing of how they are stored.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"waymark"
)

// Password is the known password of every demo user, printed by `waymark demo`. It is public:
// demo regions hold no real data.
const Password = "demo-password-1234"

// EmailDomain is the reserved domain (RFC 2606) of every demo user's email address.
const EmailDomain = "demo.waymark.example"

// DefaultClients is the number of clients generated when Options.Clients is zero.
const DefaultClients = 300

// Services are what the generator writes through; sqldb's services satisfy them.
type Services struct {
	Organisations interface {
		CreateOrganisation(ctx context.Context, actor waymark.Actor, o *waymark.Organisation) error
	}
	Users interface {
		CreateUser(ctx context.Context, actor waymark.Actor, u *waymark.User, passwordHash string) error
	}
	Clients interface {
		CreateClient(ctx context.Context, actor waymark.Actor, c *waymark.Client, matchesShown []string) error
	}
	// Notes, when set, receives case notes for clients with a modern slavery concern.
	Notes interface {
		AddNote(ctx context.Context, actor waymark.Actor, clientID, text string, restricted bool) (*waymark.CaseNote, error)
	}
	// Exploitation, when set, receives an exploitation episode and a risk assessment for clients
	// with a modern slavery concern.
	Exploitation interface {
		AddEpisode(ctx context.Context, actor waymark.Actor, clientID string, e *waymark.ExploitationEpisode) error
		AssessRisk(ctx context.Context, actor waymark.Actor, clientID, level, reason string) (*waymark.RiskAssessment, error)
	}
	// Support, when set, receives a support action for clients with a disclosed or confirmed concern.
	Support interface {
		AddSupport(ctx context.Context, actor waymark.Actor, clientID string, a waymark.SupportAction) (*waymark.SupportAction, error)
	}
	// Screenings, when set, receives a screening with one of its question sets for most clients
	// with a concern and for some without. The generator reads the sets to answer their questions.
	Screenings interface {
		FindQuestionSets(ctx context.Context, actor waymark.Actor) ([]*waymark.QuestionSet, error)
		RecordScreening(ctx context.Context, actor waymark.Actor, clientID, setID string, answers map[string]string, notes string) (*waymark.Screening, error)
	}
	// Journeys, when set, receives NRM journeys at every stage, for children and adults, for a
	// varied subset of clients with a concern: pathway answers, consent given or refused, steps,
	// referrals, decisions, what followed them and Duty to Notify reports.
	Journeys interface {
		SaveAnswers(ctx context.Context, actor waymark.Actor, clientID string, version int, a waymark.PathwayAnswers) (*waymark.PathwayAnswers, error)
		RecordConsent(ctx context.Context, actor waymark.Actor, clientID string, c *waymark.NRMConsent) error
		RecordStep(ctx context.Context, actor waymark.Actor, clientID string, s *waymark.StepRecord) error
		RecordReferral(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.NRMReferral) error
		RecordDecision(ctx context.Context, actor waymark.Actor, clientID string, d *waymark.NRMDecision) error
		RecordMilestone(ctx context.Context, actor waymark.Actor, clientID string, m *waymark.NRMMilestone) error
		RecordDutyToNotify(ctx context.Context, actor waymark.Actor, clientID string, d *waymark.DutyToNotifyRecord) error
	}
	// Referrals, when set, receives referrals between the organisations whose staff see clients,
	// about clients with a concern, at every status.
	Referrals interface {
		SendReferral(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.Referral) error
		ActOnReferral(ctx context.Context, actor waymark.Actor, id string, version int, a waymark.ReferralAction, reason string) (*waymark.Referral, error)
	}
	// MoveOn, when set, receives move-on plans at every stage after support (ending soon, with and
	// without a home and an income in place, and ended weeks to over a year ago) and the follow-ups
	// since, for a subset of clients with a concern.
	MoveOn interface {
		SavePlan(ctx context.Context, actor waymark.Actor, clientID string, version int, p *waymark.MoveOnPlan) error
		RecordFollowUp(ctx context.Context, actor waymark.Actor, clientID string, version int, u *waymark.FollowUp) error
	}
	// Directory, when set, receives the region's referral routes directory, with two confidential
	// safe houses, each kept by its organisation's admin.
	Directory interface {
		CreateDirectoryService(ctx context.Context, actor waymark.Actor, s *waymark.DirectoryService) error
	}
	// Agreements, when set, receives the region's data sharing agreements, each recorded by the
	// admin of the organisation that keeps it: the partnership's among every service organisation, in
	// force with its review due soon; the police's with the outreach team, ending soon; one that has
	// ended; and a draft.
	Agreements interface {
		CreateAgreement(ctx context.Context, actor waymark.Actor, a *waymark.DataSharingAgreement) error
		ConfirmAgreement(ctx context.Context, actor waymark.Actor, id string, version int) error
	}
	// Consents, when set, receives consent for most clients with a concern: to support and to
	// statistics (some refused), to sharing with the police and the council (some refused, some
	// withdrawn for the police), and in each organisation one sharing with the police on the
	// basis of safeguarding, recorded by its safeguarding lead.
	Consents interface {
		RecordConsent(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.ConsentRecord) error
	}
	// Shares, when set with Consents, receives shares with the police of some of the clients whose
	// consent (or another lawful basis) covers it, as their organisation's safeguarding lead: who
	// they are and their modern slavery history, for safeguarding; some stop when consent is
	// withdrawn. Those shared on the basis of safeguarding let the police add to the record, and
	// the police's partner user has added a note to each.
	Shares interface {
		ShareCase(ctx context.Context, actor waymark.Actor, clientID string, s *waymark.CaseShare) error
		AddContribution(ctx context.Context, actor waymark.Actor, shareID string, c *waymark.ShareContribution) error
	}
	// Guidance, when set, receives the guidance every region starts with, the region's own
	// referral routes written over the starting page, and the outreach team's own page of them.
	Guidance interface {
		SeedGuides(ctx context.Context, pages []waymark.GuidePage) error
		SaveGuide(ctx context.Context, actor waymark.Actor, scope waymark.GuideScope, version int, p *waymark.GuidePage) error
	}
	// Conferences, when set with Shares and Consents, receives the region's case conferences:
	// last month's panel chaired by the police, held, with minutes and actions in every status
	// and one case discussed without sharing; and next month's, chaired by the council.
	Conferences ConferenceServices
	// Training and Awareness, when both set, receive the region's training catalogue (kept by the
	// partnership), and in every service organisation volunteers, training completed over three
	// years (some out of date, some running out soon, some people untrained) and awareness
	// sessions over two years.
	Training interface {
		CreateCourse(ctx context.Context, actor waymark.Actor, c *waymark.Course) error
		AddVolunteer(ctx context.Context, actor waymark.Actor, v *waymark.Volunteer) error
		RecordCompletion(ctx context.Context, actor waymark.Actor, c *waymark.TrainingCompletion) error
	}
	Awareness interface {
		CreateAwareness(ctx context.Context, actor waymark.Actor, a *waymark.AwarenessActivity) error
	}
	// Assessments, when set, receives two or three completed self-assessments of every service
	// organisation over the last 18 months, with an action plan. They are made last, so that
	// their measures are worked out from everything else.
	Assessments interface {
		RecordPastAssessment(ctx context.Context, actor waymark.Actor, completedOn string, answers map[string]waymark.CriterionAnswer) (*waymark.Assessment, error)
		AddAction(ctx context.Context, actor waymark.Actor, p *waymark.PlanAction) error
	}
}

// Options shape the region.
type Options struct {
	// Seed determines everything generated: the same seed gives the same names, organisations,
	// emails, markers and client data. Record IDs are the store's and differ between runs.
	Seed int64
	// Clients is the number of clients; DefaultClients when 0.
	Clients int
	// PasswordHash is the caller's hash of Password, used for every demo user: hashing is slow on
	// purpose, and the password is public anyway.
	PasswordHash string
	// Today anchors clients' ages (only its year is used, so the region stays the same all year);
	// zero means now.
	Today time.Time
}

// Region describes what Generate made.
type Region struct {
	Name          string
	Organisations []OrgInfo
	// Users holds every demo user, organisation by organisation, roles in waymark.Roles order.
	Users   []UserInfo
	Clients int
	// Directory lists the referral routes directory's services, when Services.Directory was set.
	Directory []DirectoryInfo
	// Agreements lists the data sharing agreements, when Services.Agreements was set.
	Agreements []AgreementInfo
	// Training describes the training records, when Services.Training and Awareness were set.
	Training TrainingInfo
	// Assessments describes the self-assessments, when Services.Assessments was set.
	Assessments AssessmentInfo
}

// OrgInfo describes a demo organisation.
type OrgInfo struct {
	ID, Name string
	Type     waymark.OrgType
	// Marker is a string that appears in the Reference and Notes of every client of the
	// organisation and nowhere else, so tests can tell from any page whether it shows the
	// organisation's records.
	Marker  string
	Clients int
}

// UserInfo describes a demo user.
type UserInfo struct {
	ID, Email, Name string
	Role            waymark.Role
	OrgID, OrgName  string
}

// Showcase returns one user of every role, in waymark.Roles order, for the sign-in details printed
// at start: the service roles from the outreach team (a homelessness service that is a First
// Responder, so every pathway can be tried), the regional roles from the partnership.
func (r *Region) Showcase() []UserInfo {
	var showcaseOrg string
	for _, o := range r.Organisations {
		if o.Type == waymark.OrgHomelessOutreach {
			showcaseOrg = o.ID
			break
		}
	}
	var out []UserInfo
	for _, role := range waymark.Roles {
		found := -1
		for i, u := range r.Users {
			if u.Role != role {
				continue
			}
			if u.OrgID == showcaseOrg {
				found = i
				break
			}
			if found < 0 {
				found = i
			}
		}
		if found >= 0 {
			out = append(out, r.Users[found])
		}
	}
	return out
}

// Marker returns the marker of the organisation with the given ID, the organisation that owns a
// record; "" if the organisation is not one of the region's.
func (r *Region) Marker(orgID string) string {
	for _, o := range r.Organisations {
		if o.ID == orgID {
			return o.Marker
		}
	}
	return ""
}

// orgSpec is the fixed shape of a demo organisation; markers and staff are drawn from the seed.
type orgSpec struct {
	name, slug, prefix, area string
	typ                      waymark.OrgType
	fr, spa                  bool
	// weight is the organisation's share of clients.
	weight int
}

const (
	areaCity   = "Northmoor City"
	areaDale   = "Harrowdale"
	areaEast   = "Eastfell"
	regionName = "Northmoor"
)

// orgSpecs lists the region's organisations. The eight with a prefix are services with clients;
// the partnership, last, hosts the regional analyst and the system admin.
var orgSpecs = []orgSpec{
	{name: "Northmoor City Council Housing Options", slug: "housing", prefix: "NCH", area: areaCity, typ: waymark.OrgLAHousing, fr: true, spa: true, weight: 4},
	{name: "Harrowdale Council Adult Social Care", slug: "adultcare", prefix: "HAS", area: areaDale, typ: waymark.OrgLAAdultSocialCare, fr: true, spa: true, weight: 3},
	{name: "Northmoor Constabulary", slug: "police", prefix: "NMP", area: areaCity, typ: waymark.OrgPolice, fr: true, spa: true, weight: 10},
	{name: "Harbour Street Outreach", slug: "harbour", prefix: "HSO", area: areaCity, typ: waymark.OrgHomelessOutreach, fr: true, weight: 26},
	{name: "Lantern House Hostel", slug: "lantern", prefix: "LHH", area: areaCity, typ: waymark.OrgHomelessHostel, weight: 22},
	{name: "Kestrel Lane Day Centre", slug: "kestrel", prefix: "KDC", area: areaDale, typ: waymark.OrgHomelessDayCentre, weight: 20},
	{name: "Northmoor Freedom Trust", slug: "freedom", prefix: "NFT", area: areaCity, typ: waymark.OrgAntiSlaveryCharity, fr: true, weight: 10},
	{name: "Eastfell and Northmoor NHS Trust", slug: "nhs", prefix: "ENT", area: areaEast, typ: waymark.OrgHealth, weight: 5},
	{name: "Northmoor Anti-Slavery Partnership", slug: "partnership", area: areaCity, typ: waymark.OrgOther},
}

// serviceRoles are the roles of staff in each service organisation; partnershipRoles those in the
// partnership. Both are in waymark.Roles order.
var (
	serviceRoles     = []waymark.Role{waymark.RoleFrontline, waymark.RoleSafeguardingLead, waymark.RoleManager, waymark.RoleOrgAdmin, waymark.RolePartner}
	partnershipRoles = []waymark.Role{waymark.RoleOrgAdmin, waymark.RoleAnalyst, waymark.RoleSystemAdmin}
)

// Random streams: each part of the region draws from its own, so that changing the number of
// clients does not change the markers or the staff.
const (
	streamMarkers uint64 = iota + 1
	streamStaff
	streamClients
	// streamScreenings is separate so that recording screenings or not leaves the clients the same.
	streamScreenings
	// streamJourneys is separate so that recording journeys or not leaves the clients the same.
	streamJourneys
	// streamMoveOn is separate for the same reason.
	streamMoveOn
	// streamAgreements is separate for the same reason.
	streamAgreements
	// streamConsents is separate for the same reason.
	streamConsents
	// streamTraining is separate for the same reason.
	streamTraining
	// streamAssessments is separate for the same reason.
	streamAssessments
)

func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream*0x9e3779b97f4a7c15))
}

// Generate creates the demo region through s: organisations and staff as the system actor, clients
// and their screenings, notes and other records as a frontline worker of the owning organisation
// (and the referrals, decisions and what followed them in NRM journeys as its safeguarding lead).
// It is meant for an empty database: organisation names and emails are fixed, so a second run into
// the same database fails with a conflict.
func Generate(ctx context.Context, s Services, o Options) (*Region, error) {
	if s.Organisations == nil || s.Users == nil || s.Clients == nil {
		return nil, errors.New("demo: every service is required")
	}
	if o.Clients < 0 {
		return nil, fmt.Errorf("demo: the number of clients must not be negative (got %d)", o.Clients)
	}
	if o.Clients == 0 {
		o.Clients = DefaultClients
	}
	if o.PasswordHash == "" {
		return nil, errors.New("demo: a password hash is required")
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}

	r := &Region{Name: regionName}
	markers := newMarkers(newRand(o.Seed, streamMarkers), len(orgSpecs))
	sys := waymark.SystemActor()
	for i, spec := range orgSpecs {
		org := &waymark.Organisation{Name: spec.name, Type: spec.typ, Area: spec.area,
			FirstResponder: spec.fr, SpecifiedPublicAuthority: spec.spa}
		if err := s.Organisations.CreateOrganisation(ctx, sys, org); err != nil {
			return nil, fmt.Errorf("demo: create organisation %q: %w", spec.name, err)
		}
		r.Organisations = append(r.Organisations, OrgInfo{ID: org.ID, Name: org.Name, Type: org.Type, Marker: markers[i]})
	}

	staff := newStaffNames(newRand(o.Seed, streamStaff))
	frontline := make([]string, len(orgSpecs)) // each organisation's frontline user's ID
	for i, spec := range orgSpecs {
		roles := serviceRoles
		if spec.prefix == "" {
			roles = partnershipRoles
		}
		for _, role := range roles {
			u := &waymark.User{OrgID: r.Organisations[i].ID, Email: email(role, spec.slug), Name: staff.next(), Role: role}
			if err := s.Users.CreateUser(ctx, sys, u, o.PasswordHash); err != nil {
				return nil, fmt.Errorf("demo: create user %s: %w", u.Email, err)
			}
			r.Users = append(r.Users, UserInfo{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, OrgID: u.OrgID, OrgName: spec.name})
			if role == waymark.RoleFrontline {
				frontline[i] = u.ID
			}
		}
	}

	var sets []*waymark.QuestionSet
	if s.Screenings != nil {
		var err error
		if sets, err = questionSets(ctx, s, r, frontline); err != nil {
			return nil, err
		}
	}
	screens := &clientGen{r: newRand(o.Seed, streamScreenings)}

	g := newClientGen(newRand(o.Seed, streamClients), o.Today.Year(), o.Clients)
	var concerned []journeyClient // clients with a concern, in order, for their NRM journeys
	for i, n := range clientCounts(o.Clients) {
		if n == 0 {
			continue
		}
		spec, info := orgSpecs[i], &r.Organisations[i]
		actor := waymark.Actor{UserID: frontline[i], OrgID: info.ID, Role: waymark.RoleFrontline, Via: "demo"}
		number := 1 + g.r.IntN(40)
		for range n {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			c := g.client(fmt.Sprintf("%s-%04d", spec.prefix, number), info.Marker)
			if err := s.Clients.CreateClient(ctx, actor, c, nil); err != nil {
				return nil, fmt.Errorf("demo: create client %d of %s: %w", info.Clients+1, spec.name, err)
			}
			// The screening comes first: it is how a worker who is not a specialist comes to a concern.
			if s.Screenings != nil {
				if sc := screens.screening(sets, c.ConcernStatus); sc != nil {
					if _, err := s.Screenings.RecordScreening(ctx, actor, c.ID, sc.set.ID, sc.answers, sc.notes+" "+info.Marker); err != nil {
						return nil, fmt.Errorf("demo: record a screening for a client of %s: %w", spec.name, err)
					}
				}
			}
			if s.Notes != nil && c.ConcernStatus.HasConcern() {
				text, restricted := g.caseNote(), g.chance(30)
				if _, err := s.Notes.AddNote(ctx, actor, c.ID, text+" "+info.Marker, restricted); err != nil {
					return nil, fmt.Errorf("demo: add a note for a client of %s: %w", spec.name, err)
				}
			}
			if s.Exploitation != nil && c.ConcernStatus.HasConcern() && c.ConcernStatus != waymark.ConcernSuspected {
				ep := g.episode(o.Today)
				ep.Narrative += " " + info.Marker
				if err := s.Exploitation.AddEpisode(ctx, actor, c.ID, ep); err != nil {
					return nil, fmt.Errorf("demo: add an exploitation episode for a client of %s: %w", spec.name, err)
				}
				level := []string{"low", "medium", "high", "not_known"}[g.r.IntN(4)]
				if _, err := s.Exploitation.AssessRisk(ctx, actor, c.ID, level, "Assessed at the first meeting."); err != nil {
					return nil, fmt.Errorf("demo: assess risk for a client of %s: %w", spec.name, err)
				}
			}
			if s.Support != nil && (c.ConcernStatus == waymark.ConcernDisclosed || c.ConcernStatus == waymark.ConcernConfirmed) {
				if _, err := s.Support.AddSupport(ctx, actor, c.ID, g.support(o.Today)); err != nil {
					return nil, fmt.Errorf("demo: add support for a client of %s: %w", spec.name, err)
				}
			}
			if (s.Journeys != nil || s.Referrals != nil || s.MoveOn != nil || s.Consents != nil) && c.ConcernStatus.HasConcern() {
				concerned = append(concerned, journeyClient{c: c, org: i})
			}
			info.Clients++
			r.Clients++
			number += 1 + g.r.IntN(3)
		}
	}
	if s.Directory != nil {
		if err := directory(ctx, s, r); err != nil {
			return nil, err
		}
	}
	// Journeys come last, when every client exists: which clients have one, and how far it has
	// gone, is chosen from all those with a concern, so that every stage is there.
	if s.Journeys != nil {
		if err := newJourneyGen(s, r, o, newRand(o.Seed, streamJourneys)).record(ctx, concerned); err != nil {
			return nil, err
		}
	}
	if s.Referrals != nil {
		if err := recordReferrals(ctx, s, r, concerned); err != nil {
			return nil, err
		}
	}
	if s.MoveOn != nil {
		if err := recordMoveOn(ctx, s, r, o, newRand(o.Seed, streamMoveOn), concerned); err != nil {
			return nil, err
		}
	}
	if s.Agreements != nil {
		if err := recordAgreements(ctx, s, r, o, newRand(o.Seed, streamAgreements)); err != nil {
			return nil, err
		}
	}
	if s.Training != nil && s.Awareness != nil {
		if err := recordTraining(ctx, s, r, o, newRand(o.Seed, streamTraining)); err != nil {
			return nil, err
		}
	}
	if s.Consents != nil {
		if err := recordConsents(ctx, s, r, o, newRand(o.Seed, streamConsents), concerned); err != nil {
			return nil, err
		}
	}
	if s.Guidance != nil {
		if err := guides(ctx, s, r); err != nil {
			return nil, err
		}
	}
	if s.Agreements != nil && s.Consents != nil {
		if err := recordConferences(ctx, s, r, o, concerned); err != nil {
			return nil, err
		}
	}
	if s.Assessments != nil {
		if err := recordAssessments(ctx, s, r, o, newRand(o.Seed, streamAssessments)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// questionSets returns the question sets the store offers, read as the first service organisation's
// frontline worker: screenings are asked with them, so there must be at least one.
func questionSets(ctx context.Context, s Services, r *Region, frontline []string) ([]*waymark.QuestionSet, error) {
	for i, spec := range orgSpecs {
		if spec.prefix == "" {
			continue
		}
		actor := waymark.Actor{UserID: frontline[i], OrgID: r.Organisations[i].ID, Role: waymark.RoleFrontline, Via: "demo"}
		sets, err := s.Screenings.FindQuestionSets(ctx, actor)
		if err != nil {
			return nil, fmt.Errorf("demo: find the question sets: %w", err)
		}
		if len(sets) == 0 {
			return nil, errors.New("demo: the store has no question sets to screen clients with")
		}
		return sets, nil
	}
	return nil, errors.New("demo: no organisation to read the question sets as")
}

// email makes a readable address from the role and the organisation's short name, such as
// frontline.harbour@demo.waymark.example.
func email(role waymark.Role, slug string) string {
	return strings.ReplaceAll(string(role), "_", "-") + "." + slug + "@" + EmailDomain
}

// markerAlphabet has upper-case letters and digits only, so a marker cannot be part of a word in
// page text; I, O, 0 and 1 are left out so that a marker read aloud is not misread.
const markerAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newMarkers returns n distinct markers: "MKR" and ten random characters.
func newMarkers(r *rand.Rand, n int) []string {
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		b := []byte("MKR")
		for range 10 {
			b = append(b, markerAlphabet[r.IntN(len(markerAlphabet))])
		}
		if m := string(b); !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// clientCounts shares n clients among the organisations by weight, by largest remainder. When there
// are enough clients each service organisation gets at least one, so that every organisation has
// records for permission tests to look for.
func clientCounts(n int) []int {
	counts := make([]int, len(orgSpecs))
	var services []int
	total := 0
	for i, s := range orgSpecs {
		if s.weight > 0 {
			services = append(services, i)
			total += s.weight
		}
	}
	left := n
	if n >= len(services) {
		for _, i := range services {
			counts[i] = 1
		}
		left -= len(services)
	}
	rem := make([]int, len(orgSpecs))
	given := 0
	for _, i := range services {
		q := left * orgSpecs[i].weight
		counts[i] += q / total
		rem[i] = q % total
		given += q / total
	}
	for ; given < left; given++ {
		best := -1
		for _, i := range services {
			if best < 0 || rem[i] > rem[best] {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	return counts
}

// staffNames hands out distinct staff names.
type staffNames struct {
	r    *rand.Rand
	seen map[string]bool
}

func newStaffNames(r *rand.Rand) *staffNames { return &staffNames{r: r, seen: map[string]bool{}} }

func (s *staffNames) next() string {
	for {
		n := staffFirst[s.r.IntN(len(staffFirst))] + " " + staffLast[s.r.IntN(len(staffLast))]
		if !s.seen[n] {
			s.seen[n] = true
			return n
		}
	}
}

// SyntheticClients returns n synthetic clients made as Generate makes them, for loading a large
// organisation in benchmarks; reference is each client's reference prefix. Deterministic from seed.
func SyntheticClients(seed int64, n int, today time.Time, reference string) []*waymark.Client {
	g := newClientGen(newRand(seed, streamClients), today.Year(), n)
	out := make([]*waymark.Client, n)
	for i := range out {
		out[i] = g.client(fmt.Sprintf("%s-%06d", reference, i+1), "")
	}
	return out
}
