package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"waymark"
)

// Referrals between organisations: the sender's list and form on a client, the recipient's
// inbound queue, and one referral as either party sees it.

// ClientReferralsPage lists the referrals sent about a client, with the form to send one: the
// recipient, the reason, and a checkbox for each item that may be shared, none ticked, each
// showing the value that would be sent.
type ClientReferralsPage struct {
	Layout
	Client    *waymark.Client
	Referrals []*waymark.Referral
	// Preview holds every shareable item with its value now, in the list's order.
	Preview []waymark.SharedItem
	Form    Form
	Orgs    []waymark.Option
	CanEdit bool
	// CanShare offers safeguarding leads the parts of the record to share on acceptance.
	CanShare      bool
	Sections      []waymark.Option
	SharePurposes []waymark.Option
}

// InboundPage is the organisation's queue of referrals received.
type InboundPage struct {
	Layout
	Referrals []*waymark.Referral
	Status    string
	Filters   []waymark.Option
	Pager     Pager
}

// ReferralPage is one referral as its sender or recipient sees it, with the actions the viewer may take.
type ReferralPage struct {
	Layout
	Referral *waymark.Referral
	Party    waymark.ReferralParty
	Form     Form
	// The actions the viewer may take now.
	CanAccept, CanDecline, CanComplete, CanWithdraw bool
}

// sendReferralFields is the order of the send form's fields, for the error summary.
var sendReferralFields = []string{"to_org_id", "reason", "shared", "share_sections", "share_purpose"}

// partnerOptions lists the directory's organisations other than the actor's own.
func (s *Server) partnerOptions(r *http.Request) ([]waymark.Option, error) {
	own := actor(r).OrgID
	return s.orgOptions(r, func(o *waymark.Organisation) bool { return o.ID != own },
		func(o *waymark.Organisation) string { return o.Name + " (" + o.Type.Label() + ")" })
}

func (s *Server) clientReferralsPage(w http.ResponseWriter, r *http.Request, form Form) (ClientReferralsPage, error) {
	a := actor(r)
	cr, err := s.svc.Referrals.FindClientReferrals(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return ClientReferralsPage{}, err
	}
	orgs, err := s.partnerOptions(r)
	if err != nil {
		return ClientReferralsPage{}, err
	}
	var all []waymark.ShareField
	for _, o := range waymark.ShareFieldOptions() {
		all = append(all, waymark.ShareField(o.Value))
	}
	return ClientReferralsPage{Layout: s.layout(w, r, "Referrals to other organisations"), Client: cr.Client, Referrals: cr.Referrals,
		Preview: cr.Preview.Items(all), Form: form, Orgs: orgs, CanEdit: a.Can(waymark.PermEditClients),
		CanShare: a.Can(waymark.PermShareCases), Sections: waymark.ShareSectionOptions(), SharePurposes: sharePurposeOptions()}, nil
}

func (s *Server) handleClientReferrals(w http.ResponseWriter, r *http.Request) error {
	page, err := s.clientReferralsPage(w, r, Form{Values: url.Values{}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "client-referrals", page)
}

func (s *Server) handleReferralSend(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	ref := referralFromForm(r.PostForm)
	err := s.svc.Referrals.SendReferral(r.Context(), actor(r), id, ref)
	if waymark.ErrorCode(err) != waymark.EINVALID {
		if err != nil {
			return err
		}
		return redirect(w, r, "/referrals/"+ref.ID, "Referral sent to "+ref.ToOrgName+".")
	}
	form, summary := formFromError(r.PostForm, err, sendReferralFields...)
	page, perr := s.clientReferralsPage(w, r, form)
	if perr != nil {
		return perr
	}
	page.Errors = summary
	return s.render(w, r, http.StatusUnprocessableEntity, "client-referrals", page)
}

// referralFromForm reads the send form: the recipient, the reason, the items to send and, from a
// safeguarding lead, the parts of the record to share on acceptance.
func referralFromForm(v url.Values) *waymark.Referral {
	ref := &waymark.Referral{ToOrgID: v.Get("to_org_id"), Reason: v.Get("reason"), SharePurpose: waymark.SharingPurpose(v.Get("share_purpose"))}
	for _, f := range v["shared"] {
		ref.Shared = append(ref.Shared, waymark.ShareField(f))
	}
	for _, x := range v["share_sections"] {
		ref.ShareSections = append(ref.ShareSections, waymark.ShareSection(x))
	}
	return ref
}

func (s *Server) handleInbound(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	if _, ok := r.URL.Query()["status"]; !ok {
		status = "new"
	}
	if !waymark.ValidReferralFilter(status) {
		status = "new"
	}
	p, n := pageFrom(r)
	list, total, err := s.svc.Referrals.FindInbound(r.Context(), actor(r), waymark.ReferralFilter{Status: status, Page: p})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referrals", InboundPage{Layout: s.layout(w, r, "Referrals received"), Referrals: list, Status: status,
		Filters: waymark.ReferralFilterOptions(), Pager: pager(r, n, total)})
}

func (s *Server) referralPage(w http.ResponseWriter, r *http.Request, ref *waymark.Referral, form Form) ReferralPage {
	a := actor(r)
	party := ref.PartyOf(a.OrgID)
	edit := a.Can(waymark.PermEditClients)
	return ReferralPage{Layout: s.layout(w, r, "Referral"), Referral: ref, Party: party, Form: form,
		CanAccept:   edit && waymark.ReferralAccept.Allowed(party, ref.Status),
		CanDecline:  edit && waymark.ReferralDecline.Allowed(party, ref.Status),
		CanComplete: edit && waymark.ReferralComplete.Allowed(party, ref.Status),
		CanWithdraw: edit && waymark.ReferralWithdraw.Allowed(party, ref.Status)}
}

func (s *Server) handleReferralView(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.svc.Referrals.FindReferral(r.Context(), actor(r), r.PathValue("referral"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referral", s.referralPage(w, r, ref, Form{Values: url.Values{}}))
}

// referralFlash is what the page says after each action.
var referralFlash = map[waymark.ReferralAction]string{
	waymark.ReferralAccept: "Referral accepted.", waymark.ReferralDecline: "Referral declined. The referrer can see your reason.",
	waymark.ReferralComplete: "Referral completed.", waymark.ReferralWithdraw: "Referral withdrawn.",
}

func (s *Server) handleReferralAction(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("referral")
	action := waymark.ReferralAction(r.PostForm.Get("action"))
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	_, err := s.svc.Referrals.ActOnReferral(r.Context(), actor(r), id, version, action, r.PostForm.Get("reason"))
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/referrals/"+id, referralFlash[action])
	case waymark.EINVALID, waymark.ECONFLICT:
		ref, ferr := s.svc.Referrals.FindReferral(r.Context(), actor(r), id)
		if ferr != nil {
			return ferr
		}
		form, summary := formFromError(r.PostForm, err, "reason")
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			form.Values = url.Values{}
		}
		page := s.referralPage(w, r, ref, form)
		page.Errors = summary
		status := http.StatusUnprocessableEntity
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			status = http.StatusConflict
		}
		return s.render(w, r, status, "referral", page)
	}
	return err
}

// The JSON shapes of referrals: explicit structs, so that no field reaches the API by accident.
type (
	apiOrgReferral struct {
		ID string `json:"id"`
		// ClientID is given to the sender only: the recipient may not read the client's record.
		ClientID             string                   `json:"client_id,omitempty"`
		FromOrganisationID   string                   `json:"from_organisation_id"`
		FromOrganisationName string                   `json:"from_organisation_name"`
		ToOrganisationID     string                   `json:"to_organisation_id"`
		ToOrganisationName   string                   `json:"to_organisation_name"`
		DirectoryServiceID   string                   `json:"directory_service_id"`
		DirectoryServiceName string                   `json:"directory_service_name"`
		Reason               string                   `json:"reason"`
		Shared               []string                 `json:"shared"`
		Snapshot             waymark.ReferralSnapshot `json:"snapshot"`
		Status               string                   `json:"status"`
		SentByName           string                   `json:"sent_by_name"`
		SentAt               time.Time                `json:"sent_at"`
		AcceptedAt           *time.Time               `json:"accepted_at,omitempty"`
		DeclinedAt           *time.Time               `json:"declined_at,omitempty"`
		DeclineReason        string                   `json:"decline_reason,omitempty"`
		CompletedAt          *time.Time               `json:"completed_at,omitempty"`
		WithdrawnAt          *time.Time               `json:"withdrawn_at,omitempty"`
		WithdrawReason       string                   `json:"withdraw_reason,omitempty"`
		// The parts of the record shared on acceptance, the share made or why none was.
		ShareSections []string `json:"share_sections,omitempty"`
		SharePurpose  string   `json:"share_purpose,omitempty"`
		ShareID       string   `json:"share_id,omitempty"`
		ShareRefusal  string   `json:"share_refusal,omitempty"`
		Version       int      `json:"version"`
	}
	apiReferralIn struct {
		ToOrganisationID     string   `json:"to_organisation_id"`
		DirectoryServiceID   string   `json:"directory_service_id"`
		DirectoryServiceName string   `json:"directory_service_name"`
		Reason               string   `json:"reason"`
		Shared               []string `json:"shared"`
		ShareSections        []string `json:"share_sections"`
		SharePurpose         string   `json:"share_purpose"`
	}
	apiReferralActionIn struct {
		Version int    `json:"version"`
		Reason  string `json:"reason"`
	}
)

func toAPIOrgReferral(r *waymark.Referral) apiOrgReferral {
	shared := []string{}
	for _, f := range r.Shared {
		shared = append(shared, string(f))
	}
	return apiOrgReferral{ID: r.ID, ClientID: r.ClientID, FromOrganisationID: r.FromOrgID, FromOrganisationName: r.FromOrgName,
		ToOrganisationID: r.ToOrgID, ToOrganisationName: r.ToOrgName, DirectoryServiceID: r.DirectoryServiceID, DirectoryServiceName: r.DirectoryServiceName,
		Reason: r.Reason, Shared: shared, Snapshot: r.Snapshot, Status: string(r.Status), SentByName: r.SentByName, SentAt: r.SentAt,
		AcceptedAt: r.AcceptedAt, DeclinedAt: r.DeclinedAt, DeclineReason: r.DeclineReason, CompletedAt: r.CompletedAt, WithdrawnAt: r.WithdrawnAt,
		WithdrawReason: r.WithdrawReason, ShareSections: sectionStrings(r.ShareSections), SharePurpose: string(r.SharePurpose), ShareID: r.ShareID,
		ShareRefusal: r.ShareRefusal, Version: r.Version}
}

func sectionStrings(sections []waymark.ShareSection) []string {
	var out []string
	for _, x := range sections {
		out = append(out, string(x))
	}
	return out
}

func (s *Server) apiClientReferrals(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	cr, err := s.svc.Referrals.FindClientReferrals(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(cr.Referrals, len(cr.Referrals), waymark.Page{Limit: len(cr.Referrals)}, toAPIOrgReferral))
	return nil
}

func (s *Server) apiReferralSend(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiReferralIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ref := &waymark.Referral{ToOrgID: in.ToOrganisationID, DirectoryServiceID: in.DirectoryServiceID, DirectoryServiceName: in.DirectoryServiceName, Reason: in.Reason,
		SharePurpose: waymark.SharingPurpose(in.SharePurpose)}
	for _, f := range in.Shared {
		ref.Shared = append(ref.Shared, waymark.ShareField(f))
	}
	for _, x := range in.ShareSections {
		ref.ShareSections = append(ref.ShareSections, waymark.ShareSection(x))
	}
	a := apiActor(r, id)
	if err := s.svc.Referrals.SendReferral(r.Context(), a, r.PathValue("id"), ref); err != nil {
		return err
	}
	// Read back as stored, with the names of both organisations; the read is audited too.
	sent, err := s.svc.Referrals.FindReferral(r.Context(), a, ref.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIOrgReferral(sent))
	return nil
}

func (s *Server) apiInbound(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	f := waymark.ReferralFilter{Status: r.URL.Query().Get("status"), Page: p}
	list, total, err := s.svc.Referrals.FindInbound(r.Context(), apiActor(r, id), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(list, total, p, toAPIOrgReferral))
	return nil
}

func (s *Server) apiReferralView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	ref, err := s.svc.Referrals.FindReferral(r.Context(), apiActor(r, id), r.PathValue("referral"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIOrgReferral(ref))
	return nil
}

// apiReferralAct answers POST /api/v1/referrals/{referral}/{action} for one action.
func (s *Server) apiReferralAct(action waymark.ReferralAction) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
		var in apiReferralActionIn
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		ref, err := s.svc.Referrals.ActOnReferral(r.Context(), apiActor(r, id), r.PathValue("referral"), in.Version, action, in.Reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toAPIOrgReferral(ref))
		return nil
	}
}
