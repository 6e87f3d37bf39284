package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"waymark"
)

// The pages of data sharing agreements between organisations. Organisation admins, managers and
// safeguarding leads read the agreements their organisation is a party to (PermViewAgreements);
// the admins of the organisation that recorded one record and change it (PermManageAgreements).
// An agreement describes organisations, never people.

// AgreementRow is an agreement with where it stands on the London date today.
type AgreementRow struct {
	*waymark.DataSharingAgreement
	// State and Tag say in words, with a GOV.UK tag's class, whether it is in force.
	State, Tag string
	// Warnings are what needs attention: an end or review date soon or past.
	Warnings []string
	// RecordedBy names the organisation that recorded it and keeps it up to date.
	RecordedBy string
}

// agreementRow lays out an agreement for the pages.
func agreementRow(a *waymark.DataSharingAgreement, today string) AgreementRow {
	row := AgreementRow{DataSharingAgreement: a, Warnings: a.Warnings(today)}
	switch {
	case a.InForce(today) && len(a.ConfirmedOrgIDs) < 2:
		// In force as recorded, but it covers sharing only between parties that confirmed it.
		row.State, row.Tag = "Waiting for the other parties to confirm", "govuk-tag--yellow"
	case a.InForce(today) && len(a.Unconfirmed()) > 0:
		row.State, row.Tag = "In force between the parties that confirmed it", "govuk-tag--green"
	case a.InForce(today):
		row.State, row.Tag = "In force", "govuk-tag--green"
	case a.Status == waymark.AgreementActive && today < a.StartOn:
		row.State, row.Tag = "Starts on "+waymark.FormatDay(a.StartOn), "govuk-tag--blue"
	case a.Status == waymark.AgreementActive:
		row.State, row.Tag = "Ended", "govuk-tag--red"
	case a.Status == waymark.AgreementSuspended:
		row.State, row.Tag = a.Status.Label(), "govuk-tag--yellow"
	default:
		row.State, row.Tag = a.Status.Label(), "govuk-tag--grey"
	}
	if i := slices.Index(a.OrgIDs, a.RecordedByOrgID); i >= 0 && i < len(a.OrgNames) {
		row.RecordedBy = a.OrgNames[i]
	}
	return row
}

// AgreementsPage lists the organisation's agreements, soonest end or review first.
type AgreementsPage struct {
	Layout
	Rows  []AgreementRow
	Pager Pager
	// Warnings counts the warnings of every agreement, not only this page's.
	Warnings int
	// CanManage offers the button to record an agreement.
	CanManage bool
}

// AgreementPage shows one agreement.
type AgreementPage struct {
	Layout
	Agreement AgreementRow
	// CanEdit is set for the admins of the organisation that recorded it.
	CanEdit bool
	// CanConfirm is set for the admins of a party that has not yet confirmed it.
	CanConfirm bool
	// CanWithdraw is set for a party's admins once their organisation has confirmed it.
	CanWithdraw bool
}

// AgreementOptions are the closed lists the agreement form offers.
type AgreementOptions struct {
	// Organisations are the region's other organisations, the parties to choose.
	Organisations             []waymark.Option
	Purposes, Bases, Statuses []waymark.Option
}

// AgreementFormPage records an agreement or changes one.
type AgreementFormPage struct {
	Layout
	// Agreement is nil when recording a new one.
	Agreement *waymark.DataSharingAgreement
	Form      Form
	Options   AgreementOptions
	// Conflict is set when someone else changed the agreement while the user was editing it.
	Conflict bool
}

// agreementFields are the form's fields in the order they appear, for the error summary.
var agreementFields = []string{"title", "reference", "org_ids", "purposes", "lawful_basis", "start_on", "end_on", "review_on", "status"}

// agreementDates are the form's date inputs.
var agreementDates = []dateInput{{"start_on", "The start date", false}, {"end_on", "The end date", false}, {"review_on", "The review date", false}}

// agreementFromForm reads the agreement form, and what is wrong with its dates; Validate checks
// every value. The parties are the other organisations chosen: the store adds the user's own.
func agreementFromForm(v url.Values) (waymark.DataSharingAgreement, map[string]string) {
	fields := joinDates(v, agreementDates...)
	a := waymark.DataSharingAgreement{Title: v.Get("title"), Reference: v.Get("reference"), OrgIDs: slices.Clone(v["org_ids"]),
		LawfulBasis: waymark.LawfulBasis(v.Get("lawful_basis")), StartOn: v.Get("start_on"), EndOn: v.Get("end_on"), ReviewOn: v.Get("review_on"),
		Status: waymark.AgreementStatus(v.Get("status"))}
	for _, p := range v["purposes"] {
		a.Purposes = append(a.Purposes, waymark.SharingPurpose(p))
	}
	return a, fields
}

// agreementFormValues is the form filled from a stored agreement.
func agreementFormValues(a *waymark.DataSharingAgreement) url.Values {
	v := url.Values{"title": {a.Title}, "reference": {a.Reference}, "org_ids": slices.Clone(a.OrgIDs), "lawful_basis": {string(a.LawfulBasis)},
		"start_on": {a.StartOn}, "end_on": {a.EndOn}, "review_on": {a.ReviewOn}, "status": {string(a.Status)}, "version": {strconv.Itoa(a.Version)}}
	for _, p := range a.Purposes {
		v.Add("purposes", string(p))
	}
	return v
}

// agreementFormErrors is what is wrong with a form whose dates could not be read, with everything
// else validated as the store would: the user's organisation among the parties.
func agreementFormErrors(a waymark.DataSharingAgreement, orgID string, fields map[string]string) error {
	a.OrgIDs = append([]string{orgID}, a.OrgIDs...)
	return withFormErrors(fields, a.Validate())
}

// agreementOptions lists the choices of the form: the parties are the region's other organisations
// and, for a change, the agreement's parties that have since left Waymark.
func (s *Server) agreementOptions(r *http.Request, cur *waymark.DataSharingAgreement) (AgreementOptions, error) {
	var ids, names []string
	if cur != nil {
		ids, names = cur.OrgIDs, cur.OrgNames
	}
	orgs, err := s.otherOrgOptions(r, ids, names)
	return AgreementOptions{Organisations: orgs, Purposes: waymark.SharingPurposeOptions(), Bases: waymark.LawfulBasisOptions(),
		Statuses: waymark.AgreementStatusOptions()}, err
}

// otherOrgOptions lists the region's organisations other than the user's, for a form choosing
// parties or attendees, with those of keptIDs (named keptNames) that have since left Waymark,
// marked so: saving the form keeps them unless unticked.
func (s *Server) otherOrgOptions(r *http.Request, keptIDs, keptNames []string) ([]waymark.Option, error) {
	own := actor(r).OrgID
	orgs, err := s.orgOptions(r, func(o *waymark.Organisation) bool { return o.ID != own }, orgName)
	for i, id := range keptIDs {
		if id != own && !slices.ContainsFunc(orgs, func(o waymark.Option) bool { return o.Value == id }) && i < len(keptNames) {
			orgs = append(orgs, waymark.Option{Value: id, Label: keptNames[i] + " (no longer uses Waymark)"})
		}
	}
	return orgs, err
}

// pageOf is the page p of a list read whole.
func pageOf[T any](list []T, p waymark.Page) []T {
	start := min(p.Offset, len(list))
	return list[start:min(start+p.Limit, len(list))]
}

func (s *Server) handleAgreementIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	list, err := s.svc.Agreements.FindAgreements(r.Context(), a)
	if err != nil {
		return err
	}
	today := s.today()
	page := AgreementsPage{Layout: s.layout(w, r, "Data sharing agreements"), CanManage: a.Can(waymark.PermManageAgreements)}
	for _, ag := range list {
		page.Warnings += len(ag.Warnings(today))
	}
	p, n := pageFrom(r)
	for _, ag := range pageOf(list, p) {
		page.Rows = append(page.Rows, agreementRow(ag, today))
	}
	page.Pager = pager(r, n, len(list))
	return s.render(w, r, http.StatusOK, "agreements", page)
}

func (s *Server) handleAgreementView(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	ag, err := s.svc.Agreements.FindAgreement(r.Context(), a, r.PathValue("agreement"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "agreement", AgreementPage{Layout: s.layout(w, r, ag.Title), Agreement: agreementRow(ag, s.today()),
		CanEdit: a.Can(waymark.PermManageAgreements) && ag.RecordedByOrgID == a.OrgID, CanConfirm: a.Can(waymark.PermManageAgreements) && !ag.Confirmed(a.OrgID),
		CanWithdraw: a.Can(waymark.PermManageAgreements) && ag.Confirmed(a.OrgID)})
}

// agreementConfirmation confirms the agreement for the user's organisation, or (withdraw) takes
// its confirmation back.
func (s *Server) agreementConfirmation(withdraw bool) pageHandler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
		}
		id := r.PathValue("agreement")
		version, _ := strconv.Atoi(r.PostForm.Get("version"))
		change, done := s.svc.Agreements.ConfirmAgreement, "Confirmed: your organisation is bound by this agreement as recorded."
		if withdraw {
			change, done = s.svc.Agreements.WithdrawConfirmation, "Confirmation withdrawn: nothing is shared with or by your organisation under this agreement any more."
		}
		switch err := change(r.Context(), actor(r), id, version); waymark.ErrorCode(err) {
		case "":
			return redirect(w, r, "/agreements/"+id, done)
		case waymark.ECONFLICT:
			return redirect(w, r, "/agreements/"+id, "Nothing changed: "+waymark.ErrorMessage(err))
		default:
			return err
		}
	}
}

// renderAgreementForm shows the form with the page's input and errors.
func (s *Server) renderAgreementForm(w http.ResponseWriter, r *http.Request, status int, page AgreementFormPage) error {
	opts, err := s.agreementOptions(r, page.Agreement)
	if err != nil {
		return err
	}
	page.Options = opts
	title := "Record a data sharing agreement"
	if page.Agreement != nil {
		title = "Change " + page.Agreement.Title
	}
	errs := page.Errors
	page.Layout = s.layout(w, r, title)
	page.Errors = errs
	return s.render(w, r, status, "agreement-form", page)
}

func (s *Server) handleAgreementNew(w http.ResponseWriter, r *http.Request) error {
	return s.renderAgreementForm(w, r, http.StatusOK, AgreementFormPage{Form: Form{Values: url.Values{}}})
}

func (s *Server) handleAgreementCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	a := actor(r)
	ag, fields := agreementFromForm(r.PostForm)
	var err error
	if len(fields) > 0 {
		err = agreementFormErrors(ag, a.OrgID, fields)
	} else {
		err = s.svc.Agreements.CreateAgreement(r.Context(), a, &ag)
	}
	if waymark.ErrorCode(err) == waymark.EINVALID {
		var page AgreementFormPage
		page.Form, page.Errors = formFromError(r.PostForm, err, agreementFields...)
		return s.renderAgreementForm(w, r, http.StatusUnprocessableEntity, page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/agreements/"+ag.ID, "Agreement recorded.")
}

// ownAgreement reads an agreement for a change: only the organisation that recorded it changes
// it, as the store says; another party's admins are told so.
func (s *Server) ownAgreement(r *http.Request) (*waymark.DataSharingAgreement, error) {
	a := actor(r)
	ag, err := s.svc.Agreements.FindAgreement(r.Context(), a, r.PathValue("agreement"))
	if err != nil {
		return nil, err
	}
	if ag.RecordedByOrgID != a.OrgID {
		return nil, waymark.Errorf(waymark.EFORBIDDEN, "Only the organisation that recorded this agreement can change it. Ask its admins to make the change.")
	}
	return ag, nil
}

func (s *Server) handleAgreementEdit(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.ownAgreement(r)
	if err != nil {
		return err
	}
	return s.renderAgreementForm(w, r, http.StatusOK, AgreementFormPage{Agreement: ag, Form: Form{Values: agreementFormValues(ag)}})
}

func (s *Server) handleAgreementUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	cur, err := s.ownAgreement(r)
	if err != nil {
		return err
	}
	a := actor(r)
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	ag, fields := agreementFromForm(r.PostForm)
	if len(fields) > 0 {
		err = agreementFormErrors(ag, a.OrgID, fields)
	} else {
		err = s.svc.Agreements.UpdateAgreement(r.Context(), a, cur.ID, version, &ag)
	}
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/agreements/"+cur.ID, "Agreement saved.")
	case waymark.EINVALID, waymark.ECONFLICT:
		page := AgreementFormPage{Agreement: cur}
		page.Form, page.Errors = formFromError(r.PostForm, err, agreementFields...)
		if waymark.ErrorCode(err) == waymark.ECONFLICT {
			// The user's input stays, with the version now saved, so that saving again is a
			// deliberate choice.
			page.Conflict = true
			page.Form.Values.Set("version", strconv.Itoa(cur.Version))
		}
		return s.renderAgreementForm(w, r, errorStatus(err), page)
	}
	return err
}
