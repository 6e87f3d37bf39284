package waymark

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Training records and awareness activities (DOMAIN.md §1, R1 and R2): a regional catalogue of
// courses, who in each organisation completed which and when, when it expires, and how much of
// the organisation's frontline is trained; and the awareness sessions each organisation runs.
// Training records are about staff and volunteers, never clients.

// CourseLevel is how deep a course goes. Levels are ordered: a specialist course also counts as
// first responder and awareness training.
type CourseLevel string

// The levels, from the least to the most.
const (
	LevelAwareness      CourseLevel = "awareness"
	LevelFirstResponder CourseLevel = "first_responder"
	LevelSpecialist     CourseLevel = "specialist"
)

var courseLevels = optionSet{
	{"awareness", "Awareness"},
	{"first_responder", "First responder"},
	{"specialist", "Specialist"},
}

// Valid reports whether l is one of the levels.
func (l CourseLevel) Valid() bool { return courseLevels.valid(string(l)) }

// Label is the level as people read it.
func (l CourseLevel) Label() string { return courseLevels.label(string(l)) }

// Rank orders the levels from 1 (awareness) to 3 (specialist); 0 for anything else.
func (l CourseLevel) Rank() int {
	for i, o := range courseLevels {
		if o.value == string(l) {
			return i + 1
		}
	}
	return 0
}

// CourseLevelOptions lists the levels for forms.
func CourseLevelOptions() []Option { return courseLevels.options() }

// MaxValidityMonths is the longest a course may stay valid; 0 means it does not expire.
const MaxValidityMonths = 120

// Course is a training course in the region's catalogue. Every organisation sees and records
// completions of every course; only the organisation that keeps it changes it.
type Course struct {
	ID string
	// OrgID is the organisation that keeps the course; OrgName its name when read back.
	OrgID    string
	OrgName  string
	Name     string
	Provider string
	Level    CourseLevel
	// ValidityMonths is how long a completion stays in date, from 1 to 120, or 0 when it does not expire.
	ValidityMonths int
	// Version increases with each change; a change based on an older version is refused.
	Version   int
	UpdatedAt time.Time
}

// Validate normalises the course and says how to fix each problem. Field keys: name, provider,
// level, validity_months.
func (c *Course) Validate() error {
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.Provider = strings.TrimSpace(c.Provider)
	f := map[string]string{}
	checkText(f, "name", c.Name, "Enter the name of the course, for example Modern slavery awareness", 200)
	checkText(f, "provider", c.Provider, "Enter who provides the course, for example your own organisation or the local safeguarding adults board", 200)
	if !c.Level.Valid() {
		f["level"] = "Choose the level of the course: awareness, first responder or specialist"
	}
	if c.ValidityMonths < 0 || c.ValidityMonths > MaxValidityMonths {
		f["validity_months"] = "Enter how many months the training stays valid as a whole number from 1 to 120, for example 24, or 0 if it does not expire"
	}
	return invalid(f)
}

// ValidityText says how long the course stays valid, as people read it.
func (c *Course) ValidityText() string {
	switch c.ValidityMonths {
	case 0:
		return "Does not expire"
	case 1:
		return "1 month"
	}
	return fmt.Sprintf("%d months", c.ValidityMonths)
}

// ExpiresOn is the date a completion of the course on completedOn ("YYYY-MM-DD") goes out of
// date, "" when the course does not expire. The training is in date up to the day before.
func (c *Course) ExpiresOn(completedOn string) string {
	if c.ValidityMonths <= 0 {
		return ""
	}
	return AddMonths(completedOn, c.ValidityMonths)
}

// Volunteer is someone who gives time to an organisation without a Waymark account: their
// training is recorded all the same.
type Volunteer struct {
	ID    string
	OrgID string
	Name  string
	// Active is false once the person no longer volunteers: they leave the coverage counts, and
	// their training records stay.
	Active bool
	// AddedOn is the London date the volunteer was added, "YYYY-MM-DD"; EndedOn when they stopped.
	AddedOn string
	EndedOn string
	Version int
}

// Validate normalises the volunteer's name and says how to fix it. Field key: name.
func (v *Volunteer) Validate() error {
	v.Name = strings.Join(strings.Fields(v.Name), " ")
	f := map[string]string{}
	checkText(f, "name", v.Name, "Enter the volunteer's full name", 200)
	return invalid(f)
}

// PersonKey is how a person's name is compared: case and spaces do not matter.
func PersonKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// TrainingCompletion records that a person completed a course on a date. Exactly one of UserID
// (a member of staff) and VolunteerID is set.
type TrainingCompletion struct {
	ID          string
	OrgID       string
	CourseID    string
	UserID      string
	VolunteerID string
	// CompletedOn is a date, "YYYY-MM-DD".
	CompletedOn string
	// Read back with the completion: the course's name, level and the expiry its validity gives,
	// and the person's name.
	CourseName string
	Level      CourseLevel
	ExpiresOn  string
	PersonName string
	RecordedBy string
	RecordedAt time.Time
}

// EarliestTrainingDate is the earliest completion date Waymark takes: anything older is a typing
// mistake, and would be long out of date anyway.
const EarliestTrainingDate = "2000-01-01"

// Validate checks the completion against the London date today and says how to fix each
// problem. Field keys: person, course, completed_on.
func (c *TrainingCompletion) Validate(today string) error {
	f := map[string]string{}
	if (c.UserID == "") == (c.VolunteerID == "") {
		f["person"] = "Choose the member of staff or volunteer who completed the course"
	}
	if strings.TrimSpace(c.CourseID) == "" {
		f["course"] = "Choose the course they completed"
	}
	checkTrainingDate(f, "completed_on", c.CompletedOn, today, "they completed the course", "")
	return invalid(f)
}

// InDateOn reports whether the completion is in date on the London date day. Training goes out of
// date on its expiry date itself: a course completed on 5 March 2025 and valid for 12 months is in
// date until 4 March 2026 and out of date from 5 March 2026.
func (c *TrainingCompletion) InDateOn(day string) bool {
	return c.CompletedOn <= day && (c.ExpiresOn == "" || day < c.ExpiresOn)
}

// TrainingPerson is someone whose training is recorded: a member of staff (UserID) or a
// volunteer (VolunteerID).
type TrainingPerson struct {
	UserID      string
	VolunteerID string
	Name        string
	// Email is a member of staff's, for matching rows of an import.
	Email string
	// Role is a member of staff's role; empty for a volunteer.
	Role Role
	// Counted is set for the people coverage counts: enabled staff who work with clients on the
	// front line (frontline workers and safeguarding leads) and active volunteers.
	Counted bool
}

// Key identifies the person among staff and volunteers: "u:" or "v:" and the ID.
func (p TrainingPerson) Key() string {
	if p.UserID != "" {
		return "u:" + p.UserID
	}
	return "v:" + p.VolunteerID
}

// Kind says whether the person is staff or a volunteer, as people read it.
func (p TrainingPerson) Kind() string {
	if p.UserID != "" {
		return p.Role.Label()
	}
	return "Volunteer"
}

// CompletionPersonKey is the Key of the person a completion is for.
func CompletionPersonKey(c *TrainingCompletion) string {
	return TrainingPerson{UserID: c.UserID, VolunteerID: c.VolunteerID}.Key()
}

// CountsForCoverage reports whether a member of staff in the role is counted in training
// coverage: those who meet clients on the front line.
func CountsForCoverage(r Role) bool { return r == RoleFrontline || r == RoleSafeguardingLead }

// ExpiringSoonDays is how far ahead coverage warns that someone's training runs out.
const ExpiringSoonDays = 60

// Training statuses of a person on a day.
const (
	TrainingInDate    = "in_date"
	TrainingExpiring  = "expiring"
	TrainingOutOfDate = "out_of_date"
	TrainingNone      = "none"
)

// PersonTraining is one person's training on a day: what is in date, and when it runs out.
type PersonTraining struct {
	Person TrainingPerson
	// InDate lists the person's completions in date on the day, the latest of each course only,
	// soonest expiry first (those that do not expire last).
	InDate []*TrainingCompletion
	// Level is the highest level of in-date training; "" when none.
	Level CourseLevel
	// LastExpiry is when the last of the in-date training runs out; "" when some does not expire
	// or none is in date.
	LastExpiry string
	// Status is one of TrainingInDate, TrainingExpiring (in date, but all of it runs out within
	// ExpiringSoonDays), TrainingOutOfDate (trained once, nothing in date) and TrainingNone.
	Status string
	// Completions counts every completion on record, in date or not.
	Completions int
}

// StatusText is the person's status as people read it.
func (p *PersonTraining) StatusText() string {
	switch p.Status {
	case TrainingInDate:
		return "In date"
	case TrainingExpiring:
		return "Runs out soon"
	case TrainingOutOfDate:
		return "Out of date"
	}
	return "No training recorded"
}

// TrainingCoverage is an organisation's training coverage on a day, over the people it counts
// (see TrainingPerson.Counted).
type TrainingCoverage struct {
	On string
	// People is how many people are counted; InDate how many of them have in-date training.
	People, InDate int
	// Awareness, FirstResponder and Specialist count the people with in-date training at that
	// level or above.
	Awareness, FirstResponder, Specialist int
	// Expiring counts people whose in-date training all runs out within ExpiringSoonDays;
	// OutOfDate those trained once with nothing in date now; Untrained those with no training on record.
	Expiring, OutOfDate, Untrained int
	// Rows holds each person's training, counted people first, by name.
	Rows []*PersonTraining
}

// Share is n as a whole percentage of the people counted, rounded down so that 199 of 200 never
// reads as everyone: "99%", or "None counted" when nobody is.
func (c *TrainingCoverage) Share(n int) string {
	if c.People == 0 {
		return "None counted"
	}
	return fmt.Sprintf("%d%%", n*100/c.People)
}

// ComputeCoverage works out the coverage on the London date day of the people given, from their
// completions (whose ExpiresOn and Level must be filled in). Completions of anyone not among
// people are ignored; completions after day do not count yet.
func ComputeCoverage(people []TrainingPerson, completions []*TrainingCompletion, day string) *TrainingCoverage {
	cov := &TrainingCoverage{On: day}
	byPerson := map[string][]*TrainingCompletion{}
	for _, c := range completions {
		k := CompletionPersonKey(c)
		byPerson[k] = append(byPerson[k], c)
	}
	soon := AddDays(day, ExpiringSoonDays)
	for _, p := range people {
		row := personTraining(p, byPerson[p.Key()], day, soon)
		cov.Rows = append(cov.Rows, row)
		if !p.Counted {
			continue
		}
		cov.People++
		switch row.Status {
		case TrainingInDate, TrainingExpiring:
			cov.InDate++
			if row.Status == TrainingExpiring {
				cov.Expiring++
			}
		case TrainingOutOfDate:
			cov.OutOfDate++
		default:
			cov.Untrained++
		}
		r := row.Level.Rank()
		if r >= 1 {
			cov.Awareness++
		}
		if r >= 2 {
			cov.FirstResponder++
		}
		if r >= 3 {
			cov.Specialist++
		}
	}
	sort.SliceStable(cov.Rows, func(i, j int) bool {
		a, b := cov.Rows[i], cov.Rows[j]
		if a.Person.Counted != b.Person.Counted {
			return a.Person.Counted
		}
		return PersonKey(a.Person.Name) < PersonKey(b.Person.Name)
	})
	return cov
}

func personTraining(p TrainingPerson, list []*TrainingCompletion, day, soon string) *PersonTraining {
	row := &PersonTraining{Person: p, Status: TrainingNone}
	latest := map[string]*TrainingCompletion{}
	for _, c := range list {
		if c.CompletedOn > day {
			continue
		}
		row.Completions++
		if cur, ok := latest[c.CourseID]; !ok || c.CompletedOn > cur.CompletedOn {
			latest[c.CourseID] = c
		}
	}
	if row.Completions == 0 {
		return row
	}
	row.Status = TrainingOutOfDate
	expires := false
	for _, c := range latest {
		if !c.InDateOn(day) {
			continue
		}
		row.InDate = append(row.InDate, c)
		if c.Level.Rank() > row.Level.Rank() {
			row.Level = c.Level
		}
	}
	if len(row.InDate) == 0 {
		return row
	}
	sort.Slice(row.InDate, func(i, j int) bool {
		a, b := row.InDate[i], row.InDate[j]
		if (a.ExpiresOn == "") != (b.ExpiresOn == "") {
			return b.ExpiresOn == ""
		}
		if a.ExpiresOn != b.ExpiresOn {
			return a.ExpiresOn < b.ExpiresOn
		}
		return a.CourseName < b.CourseName
	})
	expires = true
	for _, c := range row.InDate {
		if c.ExpiresOn == "" {
			expires = false
			break
		}
		if c.ExpiresOn > row.LastExpiry {
			row.LastExpiry = c.ExpiresOn
		}
	}
	if !expires {
		row.LastExpiry = ""
	}
	row.Status = TrainingInDate
	if expires && row.LastExpiry <= soon {
		row.Status = TrainingExpiring
	}
	return row
}

// Awareness activities.

// AwarenessAudience is who an awareness session was for.
type AwarenessAudience string

var awarenessAudiences = optionSet{
	{"clients", "Clients"},
	{"staff", "Staff and volunteers"},
	{"public", "The public"},
	{"partners", "Partner organisations"},
}

// Valid reports whether a is one of the audiences.
func (a AwarenessAudience) Valid() bool { return awarenessAudiences.valid(string(a)) }

// Label is the audience as people read it.
func (a AwarenessAudience) Label() string { return awarenessAudiences.label(string(a)) }

// AwarenessAudienceOptions lists the audiences for forms.
func AwarenessAudienceOptions() []Option { return awarenessAudiences.options() }

// MaxAttending is the most people one awareness session may count.
const MaxAttending = 100000

// MaxAwarenessNotes is the longest an activity's notes may be, in characters.
const MaxAwarenessNotes = 2000

// AwarenessActivity is a session that raised awareness of modern slavery among clients, staff,
// the public or partners.
type AwarenessActivity struct {
	ID    string
	OrgID string
	// On is the date it was held, "YYYY-MM-DD".
	On          string
	Audience    AwarenessAudience
	Attending   int
	Topic       string
	DeliveredBy string
	// Notes are plain text, up to MaxAwarenessNotes characters.
	Notes      string
	Version    int
	RecordedBy string
	UpdatedAt  time.Time
}

// Validate normalises the activity and checks it against the London date today, saying how to
// fix each problem. Field keys: on, audience, attending, topic, delivered_by, notes.
func (a *AwarenessActivity) Validate(today string) error {
	a.Topic = strings.TrimSpace(a.Topic)
	a.DeliveredBy = strings.TrimSpace(a.DeliveredBy)
	a.Notes = strings.TrimSpace(strings.ReplaceAll(a.Notes, "\r\n", "\n"))
	f := map[string]string{}
	checkTrainingDate(f, "on", a.On, today, "of the session", ": record sessions once they have happened")
	if !a.Audience.Valid() {
		f["audience"] = "Choose who the session was for"
	}
	if a.Attending < 1 || a.Attending > MaxAttending {
		f["attending"] = "Enter how many people attended as a whole number from 1 to 100,000, for example 12"
	}
	checkText(f, "topic", a.Topic, "Enter the topic of the session, for example Spotting the signs of labour exploitation", 200)
	checkText(f, "delivered_by", a.DeliveredBy, "", 200)
	switch {
	case utf8.RuneCountInString(a.Notes) > MaxAwarenessNotes:
		f["notes"] = fmt.Sprintf("The notes must be 2,000 characters or fewer: you have written %d", utf8.RuneCountInString(a.Notes))
	case hasControl(strings.NewReplacer("\n", "", "\t", "").Replace(a.Notes)):
		f["notes"] = "The notes must not contain control characters: use plain text"
	case !utf8.ValidString(a.Notes):
		f["notes"] = "The notes must be plain text"
	}
	return invalid(f)
}

// AudienceTotal is how many sessions an audience had in a period, and how many attended.
type AudienceTotal struct {
	Audience  AwarenessAudience
	Sessions  int
	Attending int
}

// AwarenessTotals totals the activities held in the year (a calendar year, "2026"), one line per
// audience in the audiences' order, every audience listed.
func AwarenessTotals(list []*AwarenessActivity, year string) []AudienceTotal {
	out := make([]AudienceTotal, len(awarenessAudiences))
	for i, o := range awarenessAudiences {
		out[i].Audience = AwarenessAudience(o.value)
	}
	for _, a := range list {
		if !strings.HasPrefix(a.On, year+"-") {
			continue
		}
		for i := range out {
			if out[i].Audience == a.Audience {
				out[i].Sessions++
				out[i].Attending += a.Attending
			}
		}
	}
	return out
}

// TrainingService keeps the training catalogue, volunteers and completions. Reading needs
// PermViewTraining (frontline workers, safeguarding leads, managers and admins read their own
// organisation's training); changing needs PermManageTraining (managers and admins). Another
// organisation's volunteer or completion answers ENOTFOUND; the catalogue is the region's, read by
// every organisation. Every change is audited, and so is every read of a list of people.
type TrainingService interface {
	// FindCourses lists the region's catalogue by name. Needs PermViewTraining (EFORBIDDEN).
	FindCourses(ctx context.Context, actor Actor) ([]*Course, error)
	// FindCourse reads one course. Needs PermViewTraining (EFORBIDDEN); ENOTFOUND.
	FindCourse(ctx context.Context, actor Actor, id string) (*Course, error)
	// CreateCourse adds a course kept by the actor's organisation. Needs PermManageTraining
	// (EFORBIDDEN); EINVALID, also for a name another course of the same organisation has (two
	// organisations may each keep a course of one name).
	CreateCourse(ctx context.Context, actor Actor, c *Course) error
	// UpdateCourse changes a course the actor's organisation keeps; version is the one the change
	// is based on. Needs PermManageTraining, and another organisation's course is EFORBIDDEN;
	// ENOTFOUND; ECONFLICT when it changed since version; EINVALID.
	UpdateCourse(ctx context.Context, actor Actor, id string, version int, c Course) (*Course, error)
	// FindVolunteers lists the organisation's volunteers by name, those no longer volunteering
	// too when all is set. Needs PermViewTraining (EFORBIDDEN). Audited as a view.
	FindVolunteers(ctx context.Context, actor Actor, all bool) ([]*Volunteer, error)
	// AddVolunteer adds a volunteer to the actor's organisation. Needs PermManageTraining
	// (EFORBIDDEN); EINVALID.
	AddVolunteer(ctx context.Context, actor Actor, v *Volunteer) error
	// EndVolunteer records that a volunteer no longer volunteers. Needs PermManageTraining
	// (EFORBIDDEN); ENOTFOUND for another organisation's; ECONFLICT when it changed since version.
	EndVolunteer(ctx context.Context, actor Actor, id string, version int) (*Volunteer, error)
	// TrainingPeople lists the organisation's enabled staff and active volunteers, by name, for
	// recording completions. Needs PermViewTraining (EFORBIDDEN). Audited as a view.
	TrainingPeople(ctx context.Context, actor Actor) ([]TrainingPerson, error)
	// RecordCompletion records a completion for someone of the actor's organisation (an enabled
	// member of staff or an active volunteer). Needs PermManageTraining (EFORBIDDEN); EINVALID,
	// also for a person or course that is not there and for a completion already recorded.
	RecordCompletion(ctx context.Context, actor Actor, c *TrainingCompletion) error
	// Coverage works out the organisation's coverage today, with each person's training. Needs
	// PermViewTraining (EFORBIDDEN). Audited as a view.
	Coverage(ctx context.Context, actor Actor) (*TrainingCoverage, error)
	// FindCompletions lists the organisation's completions, newest first. Needs PermViewTraining
	// (EFORBIDDEN). Audited as a view.
	FindCompletions(ctx context.Context, actor Actor, page Page) ([]*TrainingCompletion, int, error)
	// ImportTraining checks the rows of a CSV import against the catalogue, the organisation's
	// staff, volunteers and completions (see PlanTrainingImport), and, unless dryRun is set or
	// any row is bad, stores every new completion and new volunteer, all or nothing. Needs
	// PermManageTraining (EFORBIDDEN). The report says what was (or would be) added and what is
	// wrong; Stored says whether anything was stored.
	ImportTraining(ctx context.Context, actor Actor, rows []TrainingImportRow, dryRun bool) (*TrainingImportReport, error)
}

// AwarenessService keeps the awareness activities. Reading needs PermViewTraining, changing
// PermManageTraining (EFORBIDDEN otherwise); another organisation's activity is ENOTFOUND. Changes
// are audited.
type AwarenessService interface {
	// FindAwareness lists the organisation's activities, newest first.
	FindAwareness(ctx context.Context, actor Actor, page Page) ([]*AwarenessActivity, int, error)
	// AwarenessYear lists the organisation's activities held in the calendar year ("2026"), for totals.
	AwarenessYear(ctx context.Context, actor Actor, year string) ([]*AwarenessActivity, error)
	// FindAwarenessActivity reads one activity. ENOTFOUND.
	FindAwarenessActivity(ctx context.Context, actor Actor, id string) (*AwarenessActivity, error)
	// CreateAwareness records an activity of the actor's organisation. EINVALID.
	CreateAwareness(ctx context.Context, actor Actor, a *AwarenessActivity) error
	// UpdateAwareness changes an activity; ECONFLICT when it changed since version; EINVALID.
	UpdateAwareness(ctx context.Context, actor Actor, id string, version int, a AwarenessActivity) (*AwarenessActivity, error)
}

// checkTrainingDate records in f what is wrong with the date of something that happened: it must
// be a real date, not after today (why says more, when it helps) and not before 2000.
func checkTrainingDate(f map[string]string, field, value, today, what, why string) {
	switch {
	case !isDate(value):
		f[field] = "Enter the date " + what + " as day, month and year, for example 5 3 2026"
	case value > today:
		f[field] = "The date " + what + " must be today or in the past" + why
	case value < EarliestTrainingDate:
		f[field] = "The date " + what + " must be in 2000 or later: check the year"
	}
}
