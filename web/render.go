package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"waymark"
)

//go:embed templates
var templateFS embed.FS

// templates holds every page, each parsed once at start-up with the shared layout.
type templates struct {
	pages map[string]*template.Template
}

var funcs = template.FuncMap{
	"date":     waymark.FormatDate,
	"datetime": waymark.FormatTime,
	"datetimeptr": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return waymark.FormatTime(*t)
	},
	"add":          func(a, b int) int { return a + b },
	"input":        newInput,
	"choice":       newChoice,
	"stacked":      stacked,
	"prompt":       prompt,
	"answers":      answerOptions,
	"contactRow":   newContactRow,
	"codeList":     newCodeList,
	"dateInput":    newDateInput,
	"country":      waymark.CountryName,
	"language":     waymark.LanguageName,
	"countries":    waymark.CountryOptions,
	"languages":    waymark.LanguageOptions,
	"staffOptions": staffOptions,
	"label":        waymark.ExploitationLabel,
	"restrictOption": func() []waymark.Option {
		return []waymark.Option{{Value: "yes", Label: "Only our safeguarding leads (and me) can read this note"}}
	},
	"ageDisputed": func() []waymark.Option {
		return []waymark.Option{{Value: "yes", Label: "Their age is disputed or uncertain: treat them as a child until it is settled"}}
	},
	"notKnownAnswers": func() []waymark.Option {
		return []waymark.Option{{Value: string(waymark.AnswerNotKnown), Label: "Not known"}, {Value: string(waymark.AnswerPrefersNotToSay), Label: "Prefers not to say"}}
	},
	"tokenDays": func() []int { return tokenTTLs },
	// directoryYes is the one option of a yes-or-no checkbox in the directory's forms.
	"directoryYes": func(label string) []waymark.Option { return []waymark.Option{{Value: "yes", Label: label}} },
	"day":          waymark.FormatDay,
	// explained lists what was explained before an NRM consent was asked for.
	"explained": consentExplained,
	// months writes a follow-up schedule, "1, 3, 6, 12"; share a count with its share of a total.
	"months": waymark.FormatFollowUpMonths,
	"share":  countWithShare,
	// actionList and actionForm are the data of a case conference's action partials.
	"actionList": newActionList,
	"withoutSharingOption": func() []waymark.Option {
		return []waymark.Option{{Value: "yes", Label: "Discuss it without sharing the record with every organisation attending"}}
	},
	"actionForm": func(f Form, orgs []waymark.Option) ActionForm { return ActionForm{F: f, Organisations: orgs} },
	// courseLevels are the training course levels, for the course form.
	"courseLevels": waymark.CourseLevelOptions,
	// measureName names a self-assessment measure.
	"measureName": waymark.MeasureName,
}

// countWithShare shows a count of people with its share of total in brackets, "12 (40%)", or the
// count alone when the share would give a suppressed count away.
func countWithShare(c, total waymark.Count) string {
	if share := c.ShareOf(total); share != "" {
		return c.String() + " (" + share + ")"
	}
	return c.String()
}

// Choice is the data of the "radios", "checkboxes" and "select" partials: a labelled closed list.
type Choice struct {
	F           Form
	Name, Label string
	Hint        string
	Options     []waymark.Option
	// Stacked lays radios out one under another, for more than a few options or long labels;
	// they are side by side otherwise.
	Stacked bool
	// Prompt is the first, empty option of a "pick" select; "Choose" when not set.
	Prompt string
}

func newChoice(f Form, name, label, hint string, opts []waymark.Option) Choice {
	return Choice{F: f, Name: name, Label: label, Hint: hint, Options: opts}
}

// prompt sets the first, empty option of a "pick" select, when it is a real answer such as
// "The whole region".
func prompt(c Choice, p string) Choice {
	c.Prompt = p
	return c
}

// stacked lays a choice's radios out one under another.
func stacked(c Choice) Choice {
	c.Stacked = true
	return c
}

// CodeList is the data of the "code-list" partial: a list of codes chosen from a long list (countries,
// languages), one select each. Rows holds the chosen codes and enough blanks to add one more.
type CodeList struct {
	F                       Form
	Name, Label, Item, Hint string
	Options                 []waymark.Option
	Rows                    []string
}

// newCodeList shows the codes chosen so far and one blank more, at least min selects and at most 10.
func newCodeList(f Form, name, label, item, hint string, opts []waymark.Option, min int) CodeList {
	var rows []string
	for _, v := range f.Values[name] {
		if v = strings.TrimSpace(v); v != "" {
			rows = append(rows, v)
		}
	}
	for len(rows) < 10 && (len(rows) < min || rows[len(rows)-1] != "") {
		rows = append(rows, "")
	}
	return CodeList{F: f, Name: name, Label: label, Item: item, Hint: hint, Options: opts, Rows: rows}
}

// ContactRow is the data of one row of contact details in the client form.
type ContactRow struct {
	Index, Number     int
	ID                string
	Kind, Value, Safe string
	Err               string
	Kinds             []waymark.Option
	Answers           []waymark.Option
}

func newContactRow(f Form, i int, kinds []waymark.Option) ContactRow {
	k := strconv.Itoa(i)
	return ContactRow{Index: i, Number: i + 1, ID: "contacts." + k, Kind: f.Get("contact_kind_" + k), Value: f.Get("contact_value_" + k),
		Safe: f.Get("contact_safe_" + k), Err: f.Err("contacts." + k), Kinds: kinds, Answers: answerOptions()}
}

// staffOptions lists staff as choices for the assigned worker.
func staffOptions(staff []*waymark.User) []waymark.Option {
	out := make([]waymark.Option, len(staff))
	for i, u := range staff {
		out[i] = waymark.Option{Value: u.ID, Label: u.Name}
	}
	return out
}

// answerOptions lists the answers to a yes-or-no question with their labels.
func answerOptions() []waymark.Option {
	out := make([]waymark.Option, len(waymark.Answers))
	for i, a := range waymark.Answers {
		out[i] = waymark.Option{Value: string(a), Label: a.Label()}
	}
	return out
}

// Input is the data of the "input" partial: one labelled text field with its hint and error.
type Input struct {
	F                                     Form
	Name, Label, Hint, Type, Autocomplete string
	Width, InputMode                      string
}

// newInput builds an Input; opts are "key=value" pairs for hint, type, autocomplete, width and inputmode.
func newInput(f Form, name, label string, opts ...string) Input {
	in := Input{F: f, Name: name, Label: label}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "hint":
			in.Hint = v
		case "type":
			in.Type = v
		case "autocomplete":
			in.Autocomplete = v
		case "width":
			in.Width = v
		case "inputmode":
			in.InputMode = v
		}
	}
	return in
}

func parseTemplates() (*templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range names {
		p, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, err
		}
		t.pages[strings.TrimSuffix(name[strings.LastIndex(name, "/")+1:], ".html")] = p
	}
	return t, nil
}

// Pages lists the page templates, for the test that executes each with its data struct.
func (s *Server) Pages() []string {
	var out []string
	for k := range s.tmpl.pages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NavItem is a link in the service navigation.
type NavItem struct {
	Label  string
	Href   string
	Active bool
}

// Layout is what every page shows around its content.
type Layout struct {
	Title    string
	Nonce    string
	Identity *waymark.Identity
	Nav      []NavItem
	Flash    string
	// Unread counts the signed-in user's unread notifications, for staff who see clients.
	Unread int
	// Errors lists the form's errors for the error summary, in the order the fields appear.
	Errors  []FieldError
	Version string
}

// FieldError is one entry of a GOV.UK error summary.
type FieldError struct {
	Field   string
	Message string
}

// layout returns the common page data for r.
func (s *Server) layout(w http.ResponseWriter, r *http.Request, title string) Layout {
	l := Layout{Title: title, Nonce: nonce(r), Identity: identity(r), Flash: takeFlash(w, r), Version: s.cfg.Version}
	if l.Identity != nil && l.Identity.Stage == waymark.StageDone {
		l.Unread = s.countUnread(r, l.Identity)
		l.Nav = navFor(l.Identity.User.Role, r.URL.Path)
	}
	return l
}

// navFor is the navigation each role sees: only pages it may use. The layout shows the count of
// unread notifications next to their link.
func navFor(role waymark.Role, path string) []NavItem {
	items := []NavItem{{Label: "Home", Href: "/home"}}
	if role.Can(waymark.PermViewClients) {
		items = append(items, NavItem{Label: "Clients", Href: "/clients"}, NavItem{Label: "Tasks", Href: "/tasks"},
			NavItem{Label: "Cliff edge", Href: "/cliff-edge"}, NavItem{Label: "Referrals", Href: "/referrals"})
	}
	if role.Can(waymark.PermViewSharedClients) {
		items = append(items, NavItem{Label: "Shared with us", Href: "/shared"})
	}
	if role.Can(waymark.PermViewClients) || role.Can(waymark.PermManageDirectory) {
		items = append(items, NavItem{Label: "Directory", Href: "/directory"})
	}
	if role.Can(waymark.PermViewAgreements) {
		items = append(items, NavItem{Label: "Agreements", Href: "/agreements"})
	}
	items = append(items, NavItem{Label: "Guidance", Href: "/guidance"})
	if role.Can(waymark.PermViewConferences) {
		items = append(items, NavItem{Label: "Case conferences", Href: "/conferences"})
	}
	if role.Can(waymark.PermViewTraining) {
		items = append(items, NavItem{Label: "Training", Href: "/training"}, NavItem{Label: "Awareness", Href: "/awareness"})
	}
	if role.Can(waymark.PermViewRegionalStats) {
		items = append(items, NavItem{Label: "Statistics", Href: "/statistics"})
	}
	switch {
	case role.Can(waymark.PermViewAssessment):
		items = append(items, NavItem{Label: "Self-assessment", Href: "/self-assessment"})
	case role.Can(waymark.PermViewRegionalStats):
		items = append(items, NavItem{Label: "Regional self-assessment", Href: "/self-assessment/region"})
	}
	if role.Can(waymark.PermManageOrganisations) {
		items = append(items, NavItem{Label: "Organisations", Href: "/organisations"})
	}
	if role.Can(waymark.PermManageOrgUsers) && !role.Can(waymark.PermManageOrganisations) {
		items = append(items, NavItem{Label: "Staff", Href: "/users"})
	}
	if role.Can(waymark.PermViewOrgAudit) || role.Can(waymark.PermViewAllAudit) {
		items = append(items, NavItem{Label: "Audit log", Href: "/audit"})
	}
	if role.Can(waymark.PermViewClients) {
		items = append(items, NavItem{Label: "Notifications", Href: "/notifications"})
	}
	items = append(items, NavItem{Label: "Your account", Href: "/account"})
	for i := range items {
		items[i].Active = path == items[i].Href || strings.HasPrefix(path, items[i].Href+"/")
	}
	return items
}

// render executes a page template into a buffer first, so that a template error gives a clean 500
// rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	t, ok := s.tmpl.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// Form is a submitted form's values and errors, re-shown to the user when validation fails.
type Form struct {
	Values url.Values
	Errs   map[string]string
}

// Get returns a field's value.
func (f Form) Get(name string) string { return f.Values.Get(name) }

// Err returns a field's error message.
func (f Form) Err(name string) string { return f.Errs[name] }

// Checked reports whether a checkbox or radio value was chosen.
func (f Form) Checked(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// formFromError builds the form and the error summary from a validation error, listing the fields
// in the order given (the order they appear on the page).
func formFromError(values url.Values, err error, order ...string) (Form, []FieldError) {
	f := Form{Values: values, Errs: waymark.ErrorFields(err)}
	if f.Errs == nil {
		f.Errs = map[string]string{}
	}
	var summary []FieldError
	seen := map[string]bool{}
	for _, name := range order {
		if msg, ok := f.Errs[name]; ok {
			summary = append(summary, FieldError{Field: name, Message: msg})
			seen[name] = true
		}
	}
	var rest []string
	for name := range f.Errs {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		summary = append(summary, FieldError{Field: name, Message: f.Errs[name]})
	}
	if len(summary) == 0 && err != nil {
		summary = []FieldError{{Message: waymark.ErrorMessage(err)}}
	}
	return f, summary
}

// Pager is the data for a list's paging links.
type Pager struct {
	Page, Pages, Total int
	Prev, Next         string
}

// pageFrom reads ?page= from the request.
func pageFrom(r *http.Request) (waymark.Page, int) {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > 100000 {
		n = 1
	}
	return waymark.Page{Offset: (n - 1) * waymark.DefaultPageSize, Limit: waymark.DefaultPageSize}, n
}

// pager builds paging links that keep the rest of the query.
func pager(r *http.Request, page, total int) Pager {
	pages := (total + waymark.DefaultPageSize - 1) / waymark.DefaultPageSize
	p := Pager{Page: page, Pages: max(pages, 1), Total: total}
	link := func(n int) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(n))
		return r.URL.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}
