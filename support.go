package waymark

import (
	"context"
	"strings"
	"time"
)

// SupportType is a kind of support given or arranged for a client (DOMAIN.md §3, "How supported").
type SupportType string

var supportTypes = optionSet{
	{"emergency_accommodation", "Emergency accommodation"},
	{"safe_house", "Safe house / victim care contract accommodation"},
	{"healthcare_gp", "Healthcare / GP registration"},
	{"mental_health", "Mental health support"},
	{"legal_advice", "Legal advice"},
	{"immigration_advice", "Immigration advice"},
	{"interpreter", "Interpreter"},
	{"benefits_money", "Benefits and money"},
	{"police_report", "Police report"},
	{"counselling", "Counselling"},
	{"employment_training", "Employment or training"},
	{"reconnection", "Reconnection"},
	{"other", "Other"},
}

// Valid reports whether t is one of the support types.
func (t SupportType) Valid() bool { return supportTypes.valid(string(t)) }

// Label is the support type as people read it.
func (t SupportType) Label() string { return supportTypes.label(string(t)) }

// SupportTypeOptions lists the support types for forms.
func SupportTypeOptions() []Option { return supportTypes.options() }

// SupportOutcome is how a support action turned out. Empty is "not recorded", distinct from
// "not known".
type SupportOutcome string

var supportOutcomes = optionSet{
	{"achieved", "Achieved"},
	{"partly_achieved", "Partly achieved"},
	{"not_achieved", "Not achieved"},
	{"declined", "Declined by the person"},
	{"ongoing", "Ongoing"},
	{"not_known", "Not known"},
}

// Valid reports whether o is one of the outcomes, or not recorded.
func (o SupportOutcome) Valid() bool { return o == "" || supportOutcomes.valid(string(o)) }

// Label is the outcome as people read it.
func (o SupportOutcome) Label() string { return supportOutcomes.label(string(o)) }

// SupportOutcomeOptions lists the outcomes for forms.
func SupportOutcomeOptions() []Option { return supportOutcomes.options() }

// SupportAction is one entry of a client's support log: support given or arranged, by whom, when,
// and how it turned out.
type SupportAction struct {
	ID       string
	ClientID string
	OrgID    string
	Type     SupportType
	// ProviderOrgID is the providing organisation when it uses Waymark; ProviderName names a
	// provider that does not. Either, both or neither may be set.
	ProviderOrgID string
	ProviderName  string
	// ProviderOrgName is the providing organisation's name when read back.
	ProviderOrgName string
	// Start and End are dates, "YYYY-MM-DD"; End is empty while the support goes on.
	Start   string
	End     string
	Outcome SupportOutcome
	// Notes are sealed at rest.
	Notes      string
	RecordedBy string
	RecordedAt time.Time
	// Version increases with each change; a change based on an older version is refused.
	Version int
}

// Provider is the provider as people read it.
func (a *SupportAction) Provider() string {
	switch {
	case a.ProviderOrgName != "" && a.ProviderName != "":
		return a.ProviderOrgName + " (" + a.ProviderName + ")"
	case a.ProviderOrgName != "":
		return a.ProviderOrgName
	}
	return a.ProviderName
}

// MaxSupportNotes is the longest a support action's or an episode's notes may be, in bytes.
const MaxSupportNotes = 5000

// Validate checks the support action against today's date in now (in Europe/London) and says
// how to fix each problem. Field keys: type, provider_org_id, provider_name, start, end, outcome, notes.
func (a *SupportAction) Validate(now time.Time) error {
	a.ProviderName = strings.TrimSpace(a.ProviderName)
	a.Start, a.End = strings.TrimSpace(a.Start), strings.TrimSpace(a.End)
	f := map[string]string{}
	if !a.Type.Valid() {
		f["type"] = "Choose the type of support from the list"
	}
	checkText(f, "provider_name", a.ProviderName, "", 200)
	checkPeriod(f, now, "start", a.Start, "end", a.End, "the support started", "the support ended")
	if !a.Outcome.Valid() {
		f["outcome"] = "Choose an outcome from the list"
	}
	if len(a.Notes) > MaxSupportNotes {
		f["notes"] = "Notes must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// checkPeriod checks a required start date and an optional end date, neither in the future and the
// end not before the start.
func checkPeriod(f map[string]string, now time.Time, startField, start, endField, end, startWhat, endWhat string) {
	today := Today(now)
	switch {
	case start == "":
		f[startField] = "Enter the date " + startWhat + ", for example 2026-03-27"
	case !isDate(start):
		f[startField] = "Enter the date " + startWhat + " as year, month and day, for example 2026-03-27"
	case start > today:
		f[startField] = "The date " + startWhat + " must be today or in the past"
	}
	switch {
	case end == "":
	case !isDate(end):
		f[endField] = "Enter the date " + endWhat + " as year, month and day, for example 2026-03-27, or leave it blank"
	case end > today:
		f[endField] = "The date " + endWhat + " must be today or in the past; leave it blank if it has not ended"
	case isDate(start) && end < start:
		f[endField] = "The date " + endWhat + " must be the same as or after the start date"
	}
}

// isDate reports whether s is a real date written "YYYY-MM-DD" from the year 1900.
func isDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10 && t.Year() >= 1900
}

// SupportService keeps clients' support logs. Every read and change is audited; another
// organisation's client answers ENOTFOUND.
type SupportService interface {
	// AddSupport records support given or arranged for a client of the actor's organisation.
	// Needs PermEditClients (EFORBIDDEN). EINVALID, ENOTFOUND.
	AddSupport(ctx context.Context, actor Actor, clientID string, a SupportAction) (*SupportAction, error)
	// UpdateSupport replaces a support action's details. ECONFLICT when it changed since version;
	// EINVALID, ENOTFOUND, EFORBIDDEN as for AddSupport.
	UpdateSupport(ctx context.Context, actor Actor, clientID, id string, version int, a SupportAction) (*SupportAction, error)
	// FindSupport lists a client's support log, newest start first. Needs PermViewClients
	// (EFORBIDDEN); ENOTFOUND.
	FindSupport(ctx context.Context, actor Actor, clientID string) ([]*SupportAction, error)
}

// HomelessnessEpisode is one period of a client's housing history: where they were living, from
// when and until when.
type HomelessnessEpisode struct {
	ID        string
	ClientID  string
	OrgID     string
	Situation Situation
	// From and To are dates, "YYYY-MM-DD"; To is empty while the episode goes on.
	From string
	To   string
	// Notes are sealed at rest.
	Notes      string
	RecordedBy string
	RecordedAt time.Time
}

// Validate checks the episode against today's date in now and says how to fix each problem.
// Field keys: situation, from, to, notes.
func (e *HomelessnessEpisode) Validate(now time.Time) error {
	e.From, e.To = strings.TrimSpace(e.From), strings.TrimSpace(e.To)
	f := map[string]string{}
	if e.Situation == "" || !e.Situation.Valid() {
		f["situation"] = "Choose where the person was living from the list"
	}
	checkPeriod(f, now, "from", e.From, "to", e.To, "the episode started", "the episode ended")
	if len(e.Notes) > MaxSupportNotes {
		f["notes"] = "Notes must be 5,000 characters or fewer"
	}
	return invalid(f)
}

// HomelessnessService keeps clients' housing histories, with the same rules as SupportService.
type HomelessnessService interface {
	// AddEpisode records an episode for a client of the actor's organisation. Needs PermEditClients
	// (EFORBIDDEN). EINVALID, ENOTFOUND.
	AddEpisode(ctx context.Context, actor Actor, clientID string, e HomelessnessEpisode) (*HomelessnessEpisode, error)
	// FindEpisodes lists a client's episodes, newest first. Needs PermViewClients (EFORBIDDEN); ENOTFOUND.
	FindEpisodes(ctx context.Context, actor Actor, clientID string) ([]*HomelessnessEpisode, error)
}
