package web

import (
	"net/http"
	"time"

	"waymark"
)

// The JSON shapes of data sharing agreements. The input shape is also the part of the output a
// program sends back to change one.
type (
	apiAgreementIn struct {
		Title     string `json:"title"`
		Reference string `json:"reference"`
		// OrganisationIDs are the parties; the caller's organisation is added when missing.
		OrganisationIDs []string `json:"organisation_ids"`
		Purposes        []string `json:"purposes"`
		LawfulBasis     string   `json:"lawful_basis"`
		StartOn         string   `json:"start_on"`
		EndOn           string   `json:"end_on"`
		ReviewOn        string   `json:"review_on"`
		Status          string   `json:"status"`
		Version         int      `json:"version"`
	}
	apiAgreement struct {
		ID string `json:"id"`
		apiAgreementIn
		OrganisationNames        []string `json:"organisation_names"`
		RecordedByOrganisationID string   `json:"recorded_by_organisation_id"`
		ConfirmedOrganisationIDs []string `json:"confirmed_organisation_ids"`
		// InForce is whether it is active and within its dates; it covers sharing only between
		// the parties in confirmed_organisation_ids.
		InForce   bool      `json:"in_force"`
		Warnings  []string  `json:"warnings"`
		UpdatedAt time.Time `json:"updated_at"`
	}
)

// toAPIAgreement writes an agreement with where it stands on the London date today.
func toAPIAgreement(a *waymark.DataSharingAgreement, today string) apiAgreement {
	out := apiAgreement{ID: a.ID, apiAgreementIn: apiAgreementIn{Title: a.Title, Reference: a.Reference, OrganisationIDs: nonNil(a.OrgIDs),
		Purposes: []string{}, LawfulBasis: string(a.LawfulBasis), StartOn: a.StartOn, EndOn: a.EndOn, ReviewOn: a.ReviewOn, Status: string(a.Status),
		Version: a.Version}, OrganisationNames: nonNil(a.OrgNames), RecordedByOrganisationID: a.RecordedByOrgID,
		ConfirmedOrganisationIDs: nonNil(a.ConfirmedOrgIDs), InForce: a.InForce(today),
		Warnings: nonNil(a.Warnings(today)), UpdatedAt: a.UpdatedAt}
	for _, p := range a.Purposes {
		out.Purposes = append(out.Purposes, string(p))
	}
	return out
}

// agreement reads an agreement sent to the API; the store validates every field.
func (in apiAgreementIn) agreement() waymark.DataSharingAgreement {
	a := waymark.DataSharingAgreement{Title: in.Title, Reference: in.Reference, OrgIDs: in.OrganisationIDs, LawfulBasis: waymark.LawfulBasis(in.LawfulBasis),
		StartOn: in.StartOn, EndOn: in.EndOn, ReviewOn: in.ReviewOn, Status: waymark.AgreementStatus(in.Status)}
	for _, p := range in.Purposes {
		a.Purposes = append(a.Purposes, waymark.SharingPurpose(p))
	}
	return a
}

func (s *Server) apiAgreementIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	list, err := s.svc.Agreements.FindAgreements(r.Context(), apiActor(r, id))
	if err != nil {
		return err
	}
	today := s.today()
	writeJSON(w, http.StatusOK, mapList(pageOf(list, p), len(list), p, func(a *waymark.DataSharingAgreement) apiAgreement { return toAPIAgreement(a, today) }))
	return nil
}

func (s *Server) apiAgreementView(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	a, err := s.svc.Agreements.FindAgreement(r.Context(), apiActor(r, id), r.PathValue("agreement"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAgreement(a, s.today()))
	return nil
}

func (s *Server) apiAgreementCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiAgreementIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a := in.agreement()
	if err := s.svc.Agreements.CreateAgreement(r.Context(), apiActor(r, id), &a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIAgreement(&a, s.today()))
	return nil
}

// apiAgreementUpdate replaces an agreement; a version other than the stored one is refused with 409.
func (s *Server) apiAgreementUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in apiAgreementIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.agreementVersionSent(r, apiActor(r, id), in.Version); err != nil {
		return err
	}
	a := in.agreement()
	if err := s.svc.Agreements.UpdateAgreement(r.Context(), apiActor(r, id), r.PathValue("agreement"), in.Version, &a); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIAgreement(&a, s.today()))
	return nil
}

// apiAgreementConfirmation confirms the agreement for the caller's organisation, or (withdraw)
// takes its confirmation back, and answers with the agreement as it now stands.
func (s *Server) apiAgreementConfirmation(withdraw bool) apiHandler {
	return func(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
		var in struct {
			Version int `json:"version"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		a := apiActor(r, id)
		if err := s.agreementVersionSent(r, a, in.Version); err != nil {
			return err
		}
		change := s.svc.Agreements.ConfirmAgreement
		if withdraw {
			change = s.svc.Agreements.WithdrawConfirmation
		}
		if err := change(r.Context(), a, r.PathValue("agreement"), in.Version); err != nil {
			return err
		}
		ag, err := s.svc.Agreements.FindAgreement(r.Context(), a, r.PathValue("agreement"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, toAPIAgreement(ag, s.today()))
		return nil
	}
}

// agreementVersionSent refuses a change sent without the version read (422, saying to send it),
// once the caller is one who may change the agreement and knows it exists: others get the 403 or
// 404 they would get anyway.
func (s *Server) agreementVersionSent(r *http.Request, a waymark.Actor, version int) error {
	if version >= 1 {
		return nil
	}
	if !a.Can(waymark.PermManageAgreements) {
		return waymark.Errorf(waymark.EFORBIDDEN, "Your role cannot change data sharing agreements.")
	}
	if _, err := s.svc.Agreements.FindAgreement(r.Context(), a, r.PathValue("agreement")); err != nil {
		return err
	}
	return waymark.Invalid(map[string]string{"version": "Send the version of the agreement you read, from its version field"})
}
