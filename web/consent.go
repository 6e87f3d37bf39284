package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"waymark"
)

// ConsentPage shows a client's consent position, its history, and the form to record consent or
// another lawful basis.
type ConsentPage struct {
	Layout
	History *waymark.ConsentHistory
	// Newest holds the records, newest first.
	Newest []*waymark.ConsentRecord
	Form   Form
	// Bases are the lawful bases the user may record: consent, and the others for safeguarding leads.
	Bases         []waymark.Option
	Purposes      []waymark.Option
	Decisions     []waymark.Option
	Organisations []waymark.Option
	// ShareOrganisations are those a record may be shared with: the region's, still using Waymark.
	ShareOrganisations []waymark.Option
	CanEdit            bool
	// CanOverride is set for those who may record another lawful basis.
	CanOverride bool
	// Shares are the client's shares with partner organisations, with the form to share.
	Shares []ClientShare
	// Views are the partner reads of the shared record: who has seen it.
	Views []waymark.RecordView
	// Contributions are the notes and support partners added, newest first.
	Contributions []*waymark.ShareContribution
	ShareForm     Form
	SharePurposes []waymark.Option
	Sections      []waymark.Option
	// AllowOptions is the one choice to let the partner add notes and support.
	AllowOptions []waymark.Option
	CanShare     bool
	// Conferences are the upcoming case conferences the client is on, with the form to add them
	// to one; nil for those who do not see conferences.
	Conferences *ClientConferencesSection
}

// sharingConsentFields are the consent form's fields in the order they appear, for the error summary.
var sharingConsentFields = []string{"purpose", "basis", "decision", "org_ids", "on", "expires_on", "how_explained", "justification", "decided_by"}

// sharingConsentDates are the consent form's date inputs.
var sharingConsentDates = []dateInput{{"on", "The date of the answer or decision", false}, {"expires_on", "The date it lapses", false}}

// sharingConsentFromForm reads the consent form, and what is wrong with its dates; Validate checks the rest.
func sharingConsentFromForm(v url.Values) (waymark.ConsentRecord, map[string]string) {
	fields := joinDates(v, sharingConsentDates...)
	// A radio cannot be unticked without scripts: the person's answer is read only for consent.
	decision := waymark.ConsentDecision(v.Get("decision"))
	if v.Get("basis") != string(waymark.BasisConsent) {
		decision = ""
	}
	return waymark.ConsentRecord{Purpose: waymark.ConsentPurpose(v.Get("purpose")), Basis: waymark.LawfulBasis(v.Get("basis")),
		Decision: decision, OrgIDs: v["org_ids"], On: v.Get("on"), ExpiresOn: v.Get("expires_on"),
		HowExplained: textareaValue(v, "how_explained"), Justification: textareaValue(v, "justification"), DecidedBy: v.Get("decided_by")}, fields
}

func (s *Server) sharingConsentPage(w http.ResponseWriter, r *http.Request, h *waymark.ConsentHistory, f Form) (ConsentPage, error) {
	a := actor(r)
	orgs, err := s.orgOptions(r, func(o *waymark.Organisation) bool { return o.ID != a.OrgID }, orgName)
	if err != nil {
		return ConsentPage{}, err
	}
	var bases []waymark.Option
	for _, o := range waymark.LawfulBasisOptions() {
		if o.Value == string(waymark.BasisConsent) || a.Can(waymark.PermRecordLawfulBasis) {
			bases = append(bases, o)
		}
	}
	// The share form offers the region's organisations; the consent form also those ever named
	// that have since left, so that a refusal or withdrawal can still be recorded for them.
	shareOrgs := slices.Clone(orgs)
	for _, st := range h.Position.Sharing {
		if !slices.ContainsFunc(orgs, func(o waymark.Option) bool { return o.Value == st.OrgID }) {
			orgs = append(orgs, waymark.Option{Value: st.OrgID, Label: st.OrgName + " (no longer uses Waymark)"})
		}
	}
	newest := slices.Clone(h.Records)
	slices.Reverse(newest)
	return ConsentPage{Layout: s.layout(w, r, "Consent and sharing"), History: h, Newest: newest, Form: f, Bases: bases, Purposes: waymark.ConsentPurposeOptions(),
		Decisions: waymark.ConsentDecisionOptions(), Organisations: orgs, ShareOrganisations: shareOrgs, CanEdit: a.Can(waymark.PermEditClients),
		CanOverride: a.Can(waymark.PermRecordLawfulBasis)}, nil
}

func (s *Server) handleSharingConsent(w http.ResponseWriter, r *http.Request) error {
	return s.renderSharingPage(w, r, r.PathValue("id"), http.StatusOK, Form{Values: url.Values{"basis": {string(waymark.BasisConsent)}}}, nil, nil, nil)
}

// renderSharingPage shows the consent and sharing page: the consent form as given with its errors,
// and the share form with the values and error of a refused share, if any.
func (s *Server) renderSharingPage(w http.ResponseWriter, r *http.Request, id string, status int, consent Form, consentErrs []FieldError,
	shareValues url.Values, shareErr error) error {
	h, err := s.svc.Consents.FindConsents(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	page, err := s.sharingConsentPage(w, r, h, consent)
	if err != nil {
		return err
	}
	page.Errors = consentErrs
	share := Form{Values: url.Values{}}
	if shareErr != nil {
		share, page.Errors = formFromError(shareValues, shareErr, shareFields...)
	}
	if err := s.withShares(r, &page, id, share); err != nil {
		return err
	}
	return s.render(w, r, status, "consent", page)
}

func (s *Server) handleSharingConsentRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	c, fields := sharingConsentFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = withFormErrors(fields, c.Validate(s.cfg.Now()))
	} else {
		err = s.svc.Consents.RecordConsent(r.Context(), actor(r), id, &c)
	}
	if waymark.ErrorCode(err) != waymark.EINVALID {
		if err != nil {
			return err
		}
		return redirect(w, r, "/clients/"+id+"/sharing", "Recorded: "+consentSummary(&c)+".")
	}
	f, errs := formFromError(r.PostForm, err, sharingConsentFields...)
	return s.renderSharingPage(w, r, id, errorStatus(err), f, errs, nil, nil)
}

// consentSummary says what a record records, in a few words.
func consentSummary(c *waymark.ConsentRecord) string {
	if c.Basis != waymark.BasisConsent {
		return "another lawful basis for " + strings.ToLower(c.Purpose.Label())
	}
	return "consent " + strings.ToLower(c.Decision.Label()) + " for " + strings.ToLower(c.Purpose.Label())
}

// apiSharingConsent is a consent record as the API shows it and takes it.
type apiSharingConsent struct {
	ID             string    `json:"id,omitempty"`
	Purpose        string    `json:"purpose"`
	Basis          string    `json:"basis"`
	Decision       string    `json:"decision"`
	OrgIDs         []string  `json:"organisation_ids"`
	OrgNames       []string  `json:"organisation_names,omitempty"`
	On             string    `json:"on"`
	ExpiresOn      string    `json:"expires_on"`
	HowExplained   string    `json:"how_explained"`
	Justification  string    `json:"justification"`
	DecidedBy      string    `json:"decided_by"`
	RecordedByName string    `json:"recorded_by_name,omitempty"`
	RecordedAt     time.Time `json:"recorded_at,omitzero"`
}

// apiSharingConsentStanding is one purpose's, or one organisation's, position.
type apiSharingConsentStanding struct {
	Purpose  string `json:"purpose"`
	OrgID    string `json:"organisation_id,omitempty"`
	OrgName  string `json:"organisation_name,omitempty"`
	State    string `json:"state"`
	Allows   bool   `json:"allows"`
	RecordID string `json:"record_id,omitempty"`
}

type apiSharingConsents struct {
	ClientID               string                      `json:"client_id"`
	Purposes               []apiSharingConsentStanding `json:"purposes"`
	Sharing                []apiSharingConsentStanding `json:"sharing"`
	ExcludedFromStatistics bool                        `json:"excluded_from_statistics"`
	Records                []apiSharingConsent         `json:"records"`
}

func toAPIStanding(s waymark.ConsentStanding) apiSharingConsentStanding {
	a := apiSharingConsentStanding{Purpose: string(s.Purpose), OrgID: s.OrgID, OrgName: s.OrgName, State: string(s.State), Allows: s.State.Allows()}
	if s.Record != nil {
		a.RecordID = s.Record.ID
	}
	return a
}

func toAPISharingConsents(h *waymark.ConsentHistory) apiSharingConsents {
	standing := func(list []waymark.ConsentStanding) []apiSharingConsentStanding {
		out := []apiSharingConsentStanding{}
		for _, s := range list {
			out = append(out, toAPIStanding(s))
		}
		return out
	}
	out := apiSharingConsents{ClientID: h.Client.ID, Purposes: standing(h.Position.Purposes), Sharing: standing(h.Position.Sharing),
		ExcludedFromStatistics: h.Position.ExcludedFromStatistics(), Records: []apiSharingConsent{}}
	for _, c := range h.Records {
		out.Records = append(out.Records, apiSharingConsent{ID: c.ID, Purpose: string(c.Purpose), Basis: string(c.Basis), Decision: string(c.Decision),
			OrgIDs: append([]string{}, c.OrgIDs...), OrgNames: c.OrgNames, On: c.On, ExpiresOn: c.ExpiresOn, HowExplained: c.HowExplained,
			Justification: c.Justification, DecidedBy: c.DecidedBy, RecordedByName: c.RecordedByName, RecordedAt: c.RecordedAt})
	}
	return out
}

func (s *Server) apiClientConsents(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	h, err := s.svc.Consents.FindConsents(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPISharingConsents(h))
	return nil
}

func (s *Server) apiClientConsentRecord(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiSharingConsent
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c := waymark.ConsentRecord{Purpose: waymark.ConsentPurpose(in.Purpose), Basis: waymark.LawfulBasis(in.Basis), Decision: waymark.ConsentDecision(in.Decision),
		OrgIDs: in.OrgIDs, On: in.On, ExpiresOn: in.ExpiresOn, HowExplained: in.HowExplained, Justification: in.Justification, DecidedBy: in.DecidedBy}
	a := apiActor(r, id)
	if err := s.svc.Consents.RecordConsent(r.Context(), a, r.PathValue("id"), &c); err != nil {
		return err
	}
	h, err := s.svc.Consents.FindConsents(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPISharingConsents(h))
	return nil
}

// OverridesPage lists the organisation's purposes resting on a lawful basis other than consent,
// for its managers and safeguarding leads.
type OverridesPage struct {
	Layout
	Overrides []waymark.ConsentOverride
}

func (s *Server) handleConsentOverrides(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Consents.FindOverrides(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "consent-overrides", OverridesPage{Layout: s.layout(w, r, "Lawful basis other than consent"), Overrides: list})
}

// apiConsentOverride is one override as the API shows it.
type apiConsentOverride struct {
	ClientID  string `json:"client_id"`
	ClientRef string `json:"client_reference"`
	apiSharingConsentStanding
	Basis         string    `json:"basis"`
	On            string    `json:"on"`
	Justification string    `json:"justification"`
	DecidedBy     string    `json:"decided_by"`
	RecordedAt    time.Time `json:"recorded_at"`
}

func (s *Server) apiConsentOverrides(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, err := s.svc.Consents.FindOverrides(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	out := []apiConsentOverride{}
	for _, o := range list {
		out = append(out, apiConsentOverride{ClientID: o.ClientID, ClientRef: o.ClientReference, apiSharingConsentStanding: toAPIStanding(o.ConsentStanding),
			Basis: string(o.Record.Basis), On: o.Record.On, Justification: o.Record.Justification, DecidedBy: o.Record.DecidedBy, RecordedAt: o.Record.RecordedAt})
	}
	writeJSON(w, http.StatusOK, map[string]any{"overrides": out})
	return nil
}
