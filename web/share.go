package web

import (
	"net/http"
	"net/url"
	"time"

	"waymark"
)

// The owner's side of case sharing lives on the client's consent and sharing page; the partner's
// side is the list of records shared with its organisation and each shared record.

// shareFields are the share form's fields, for the error summary. They are named apart from the
// consent form's on the same page; shareFieldOf maps the store's field keys to them.
var shareFields = []string{"share_partner", "share_purpose", "share_sections"}

var shareFieldOf = map[string]string{"partner_org_id": "share_partner", "purpose": "share_purpose", "sections": "share_sections"}

// shareFormError names a refused share's problems after the share form's fields.
func shareFormError(err error) error { return renameFields(err, shareFieldOf) }

// renameFields names an invalid error's problems by other field names (those not in names keep
// theirs).
func renameFields(err error, names map[string]string) error {
	fields := waymark.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	renamed := map[string]string{}
	for k, v := range fields {
		if n, ok := names[k]; ok {
			k = n
		}
		renamed[k] = v
	}
	return waymark.Invalid(renamed)
}

// ClientShare is one share of a client with its state today, for the owner's page.
type ClientShare struct {
	*waymark.CaseShare
	State waymark.ShareState
}

// sharePurposeOptions are the purposes a case may be shared for: all but statistics, which never
// names anyone.
func sharePurposeOptions() []waymark.Option {
	var out []waymark.Option
	for _, o := range waymark.SharingPurposeOptions() {
		if o.Value != "statistics" {
			out = append(out, o)
		}
	}
	return out
}

// withShares adds the client's shares and the share form to the consent and sharing page.
func (s *Server) withShares(r *http.Request, page *ConsentPage, clientID string, f Form) error {
	list, states, err := s.svc.Shares.FindShares(r.Context(), actor(r), clientID)
	if err != nil {
		return err
	}
	for i, sh := range list {
		page.Shares = append(page.Shares, ClientShare{sh, states[i]})
	}
	if page.Views, err = s.svc.Shares.FindRecordViews(r.Context(), actor(r), clientID); err != nil {
		return err
	}
	if page.Contributions, err = s.svc.Shares.FindContributions(r.Context(), actor(r), clientID); err != nil {
		return err
	}
	page.ShareForm, page.SharePurposes, page.Sections = f, sharePurposeOptions(), waymark.ShareSectionOptions()
	page.AllowOptions = []waymark.Option{{Value: "yes", Label: "The partner may add notes and support they give"}}
	page.CanShare = actor(r).Can(waymark.PermShareCases)
	return s.withConferences(r, page, clientID, Form{Values: url.Values{}})
}

func (s *Server) handleShareCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	sh := shareFromForm(r.PostForm)
	err := s.svc.Shares.ShareCase(r.Context(), actor(r), id, &sh)
	if waymark.ErrorCode(err) != waymark.EINVALID {
		if err != nil {
			return err
		}
		return redirect(w, r, "/clients/"+id+"/sharing", "Shared with "+sh.PartnerOrgName+".")
	}
	return s.renderSharingPage(w, r, id, errorStatus(err), Form{Values: url.Values{"basis": {string(waymark.BasisConsent)}}}, nil, r.PostForm, shareFormError(err))
}

// shareFromForm reads the share form.
func shareFromForm(v url.Values) waymark.CaseShare {
	sh := waymark.CaseShare{PartnerOrgID: v.Get("share_partner"), Purpose: waymark.SharingPurpose(v.Get("share_purpose")),
		AllowContributions: v.Get("share_contributions") == "yes"}
	for _, x := range v["share_sections"] {
		sh.Sections = append(sh.Sections, waymark.ShareSection(x))
	}
	return sh
}

func (s *Server) handleShareRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	err := s.svc.Shares.RevokeShare(r.Context(), actor(r), id, r.PathValue("share"), r.PostForm.Get("reason"))
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+id+"/sharing", "Sharing revoked: the organisation no longer sees the record.")
	case waymark.EINVALID:
		// The message belongs to the reason box of the share's row.
		msg := waymark.ErrorFields(err)["reason"]
		if msg == "" {
			msg = waymark.ErrorMessage(err)
		}
		field := "reason-" + r.PathValue("share")
		return s.renderSharingPage(w, r, id, http.StatusUnprocessableEntity, Form{Values: url.Values{"basis": {string(waymark.BasisConsent)}}}, nil,
			url.Values{field: {r.PostForm.Get("reason")}}, waymark.Invalid(map[string]string{field: msg}))
	case waymark.ECONFLICT:
		return redirect(w, r, "/clients/"+id+"/sharing", "That sharing was already revoked.")
	}
	return err
}

// SharedListPage lists the records shared with the user's organisation.
type SharedListPage struct {
	Layout
	Shares []*waymark.CaseShare
	// Names are the clients' names where who they are was shared, "" otherwise.
	Names []string
	Pager Pager
}

func (s *Server) handleSharedList(w http.ResponseWriter, r *http.Request) error {
	p, n := pageFrom(r)
	list, names, total, err := s.svc.Shares.FindSharedWithMe(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "shared", SharedListPage{Layout: s.layout(w, r, "Shared with us"), Shares: list, Names: names, Pager: pager(r, n, total)})
}

// SharedRecordPage shows a partner what a share shows, section by section, with what its own
// organisation added and, where the share allows it, the forms to add a note or support.
type SharedRecordPage struct {
	Layout
	Record                 *waymark.SharedRecord
	NoteForm, SupportForm  Form
	SupportTypes, Outcomes []waymark.Option
}

func (s *Server) handleSharedRecord(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.svc.Shares.FindSharedRecord(r.Context(), actor(r), r.PathValue("share"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "shared-record", s.sharedRecordPage(w, r, rec))
}

// apiShare is a share as the API shows it.
type apiShare struct {
	ID             string   `json:"id"`
	ClientID       string   `json:"client_id,omitempty"`
	OwnerOrgID     string   `json:"owner_organisation_id"`
	OwnerOrgName   string   `json:"owner_organisation_name"`
	PartnerOrgID   string   `json:"partner_organisation_id"`
	PartnerOrgName string   `json:"partner_organisation_name"`
	Purpose        string   `json:"purpose"`
	Sections       []string `json:"sections"`
	// AllowContributions: the partner may add notes and support.
	AllowContributions bool       `json:"allow_contributions"`
	State              string     `json:"state,omitempty"`
	SharedAt           time.Time  `json:"shared_at"`
	RevokedAt          *time.Time `json:"revoked_at,omitempty"`
	RevokeReason       string     `json:"revoke_reason,omitempty"`
}

func toAPIShare(sh *waymark.CaseShare, state waymark.ShareState, owner bool) apiShare {
	a := apiShare{ID: sh.ID, OwnerOrgID: sh.OwnerOrgID, OwnerOrgName: sh.OwnerOrgName, PartnerOrgID: sh.PartnerOrgID, PartnerOrgName: sh.PartnerOrgName,
		Purpose: string(sh.Purpose), Sections: append([]string{}, sectionStrings(sh.Sections)...), AllowContributions: sh.AllowContributions, State: string(state),
		SharedAt: sh.SharedAt}
	// The owner sees its client's ID and why a share was revoked; a partner sees neither.
	if owner {
		a.ClientID, a.RevokedAt, a.RevokeReason = sh.ClientID, sh.RevokedAt, sh.RevokeReason
	}
	return a
}

func (s *Server) apiClientShares(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	list, states, err := s.svc.Shares.FindShares(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := []apiShare{}
	for i, sh := range list {
		out = append(out, toAPIShare(sh, states[i], true))
	}
	writeJSON(w, http.StatusOK, map[string]any{"shares": out})
	return nil
}

func (s *Server) apiShareCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		PartnerOrgID       string   `json:"partner_organisation_id"`
		Purpose            string   `json:"purpose"`
		Sections           []string `json:"sections"`
		AllowContributions bool     `json:"allow_contributions"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sh := waymark.CaseShare{PartnerOrgID: in.PartnerOrgID, Purpose: waymark.SharingPurpose(in.Purpose), AllowContributions: in.AllowContributions}
	for _, x := range in.Sections {
		sh.Sections = append(sh.Sections, waymark.ShareSection(x))
	}
	if err := s.svc.Shares.ShareCase(r.Context(), apiActor(r, id), r.PathValue("id"), &sh); err != nil {
		// Name each problem after the request's own fields.
		return renameFields(err, map[string]string{"partner_org_id": "partner_organisation_id"})
	}
	writeJSON(w, http.StatusCreated, toAPIShare(&sh, waymark.ShareActive, true))
	return nil
}

func (s *Server) apiShareRevoke(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.svc.Shares.RevokeShare(r.Context(), apiActor(r, id), r.PathValue("id"), r.PathValue("share"), in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiSharedList(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	list, names, total, err := s.svc.Shares.FindSharedWithMe(r.Context(), apiActor(r, id), p)
	if err != nil {
		return err
	}
	type item struct {
		apiShare
		ClientName string `json:"client_name,omitempty"`
	}
	out := apiList[item]{Items: []item{}, Total: total, Offset: p.Offset, Limit: p.Limit}
	for i, sh := range list {
		out.Items = append(out.Items, item{toAPIShare(sh, "", false), names[i]})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSharedRecord(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	rec, err := s.svc.Shares.FindSharedRecord(r.Context(), apiActor(r, id), r.PathValue("share"))
	if err != nil {
		return err
	}
	// The same fields as the page, from the same record the store built: nothing more.
	out := map[string]any{"share": toAPIShare(rec.Share, waymark.ShareActive, false)}
	if c := rec.Client; c != nil {
		out["identity"] = map[string]any{"given_name": c.GivenName, "family_name": c.FamilyName, "known_as": c.KnownAs, "date_of_birth": c.DateOfBirth,
			"estimated_age": c.EstimatedAge, "age_disputed": c.AgeDisputed, "gender": c.Gender, "nationalities": c.Nationalities, "languages": c.Languages,
			"interpreter_needed": c.InterpreterNeeded, "immigration_status": c.ImmigrationStatus}
	}
	if rec.History != nil {
		out["history"] = rec.History
	}
	if rec.Pathway != nil {
		out["pathway"] = rec.Pathway
	}
	if rec.Support != nil {
		out["support"] = rec.Support
	}
	if rec.MoveOn != nil {
		out["move_on"] = rec.MoveOn
	}
	// What the reader's own organisation added: never another partner's.
	out["contributions"] = toAPIContributions(rec.Contributions)
	writeJSON(w, http.StatusOK, out)
	return nil
}
