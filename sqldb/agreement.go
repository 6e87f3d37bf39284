package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"waymark"
)

// AgreementService implements waymark.AgreementService.
type AgreementService struct{ db *DB }

// NewAgreementService returns the service for data sharing agreements between organisations.
func NewAgreementService(db *DB) *AgreementService { return &AgreementService{db: db} }

var _ waymark.AgreementService = (*AgreementService)(nil)

// agreementColumns are an agreement's columns, in the order scanAgreement reads them.
const agreementColumns = `a.id, a.title, a.reference, a.purposes, a.lawful_basis, a.start_on, a.end_on, a.review_on, a.status,
	a.recorded_by_org_id, a.version, a.updated_by, a.updated_at FROM data_sharing_agreements a`

// partyIs is the condition that the organisation in placeholder $n is a party to the agreement a.
func partyIs(n int) string {
	return `EXISTS (SELECT 1 FROM agreement_parties m WHERE m.agreement_id = a.id AND m.org_id = $` + itoa(n) + `)`
}

func scanAgreement(row interface{ Scan(...any) error }) (*waymark.DataSharingAgreement, error) {
	var a waymark.DataSharingAgreement
	var purposes string
	var at nullTime
	if err := row.Scan(&a.ID, &a.Title, &a.Reference, &purposes, &a.LawfulBasis, &a.StartOn, &a.EndOn, &a.ReviewOn, &a.Status,
		&a.RecordedByOrgID, &a.Version, &a.UpdatedBy, &at); err != nil {
		return nil, err
	}
	a.Purposes, a.UpdatedAt = unbounded[waymark.SharingPurpose](purposes), at.t
	return &a, nil
}

// agreementsWhere reads the agreements that cond (on a, with args) picks, each with its parties
// and their names in the order given. The same condition picks the parties' rows, so the two
// queries agree whatever it is.
func (tx *Tx) agreementsWhere(ctx context.Context, cond string, args ...any) ([]*waymark.DataSharingAgreement, error) {
	var out []*waymark.DataSharingAgreement
	byID := map[string]*waymark.DataSharingAgreement{}
	if err := tx.eachRow(ctx, `SELECT `+agreementColumns+` WHERE `+cond, args, func(row interface{ Scan(...any) error }) error {
		a, err := scanAgreement(row)
		if err != nil {
			return err
		}
		out = append(out, a)
		byID[a.ID] = a
		return nil
	}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	err := tx.eachRow(ctx, `SELECT p.agreement_id, p.org_id, o.name, p.confirmed_at FROM agreement_parties p JOIN organisations o ON o.id = p.org_id
		WHERE p.agreement_id IN (SELECT a.id FROM data_sharing_agreements a WHERE `+cond+`) ORDER BY p.agreement_id, p.position`, args,
		func(row interface{ Scan(...any) error }) error {
			var id, orgID, name string
			var confirmed nullTime
			if err := row.Scan(&id, &orgID, &name, &confirmed); err != nil {
				return err
			}
			if a := byID[id]; a != nil {
				a.OrgIDs, a.OrgNames = append(a.OrgIDs, orgID), append(a.OrgNames, name)
				if confirmed.valid {
					a.ConfirmedOrgIDs = append(a.ConfirmedOrgIDs, orgID)
				}
			}
			return nil
		})
	return out, err
}

// findAgreement reads an agreement the organisation is a party to; any other is not found, so
// that nobody learns which agreements exist between other organisations.
func (tx *Tx) findAgreement(ctx context.Context, orgID, id string) (*waymark.DataSharingAgreement, error) {
	list, err := tx.agreementsWhere(ctx, `a.id = $1 AND `+partyIs(2), id, orgID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("agreement")
	}
	return list[0], nil
}

// lockAgreement locks an agreement the organisation is a party to for the rest of the transaction
// and reads it, so that a change or a confirmation applies to the version it checks.
func (tx *Tx) lockAgreement(ctx context.Context, orgID, id string) (*waymark.DataSharingAgreement, error) {
	if err := tx.lockRow(ctx, "data_sharing_agreements", id); err != nil {
		return nil, err
	}
	return tx.findAgreement(ctx, orgID, id)
}

// agreementCovers reports whether an agreement in force on the London date today names both
// organisations and the purpose: the first condition of sharing a client's record between them.
func (tx *Tx) agreementCovers(ctx context.Context, orgA, orgB string, purpose waymark.SharingPurpose, today string) (bool, error) {
	for _, id := range []string{orgA, orgB} {
		// An organisation that has left Waymark is party to nothing any more.
		if o, err := tx.findOrg(ctx, id); err != nil || o.Disabled {
			return false, err
		}
	}
	list, err := tx.agreementsWhere(ctx, partyIs(1)+` AND `+partyIs(2), orgA, orgB)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(list, func(a *waymark.DataSharingAgreement) bool { return a.Covers(orgA, orgB, purpose, today) }), nil
}

// withParty puts the recording organisation first among the parties when it is missing.
func withParty(orgIDs []string, orgID string) []string {
	for _, id := range orgIDs {
		if strings.TrimSpace(id) == orgID {
			return orgIDs
		}
	}
	return append([]string{orgID}, orgIDs...)
}

// partyNames checks that every party is an organisation of the region still using Waymark, or
// one of kept (already a party, perhaps since disabled: its agreement stays changeable, to end it
// or to take the party off), and returns their names.
func (tx *Tx) partyNames(ctx context.Context, orgIDs, kept []string) ([]string, error) {
	names := make([]string, len(orgIDs))
	for i, id := range orgIDs {
		o, err := tx.findOrg(ctx, id)
		switch {
		case waymark.ErrorCode(err) == waymark.ENOTFOUND || err == nil && o.Disabled && !slices.Contains(kept, id):
			return nil, waymark.Invalid(map[string]string{"org_ids": "Choose the parties from the list of the region's organisations"})
		case err != nil:
			return nil, err
		}
		names[i] = o.Name
	}
	return names, nil
}

// writeParties replaces the agreement's parties with a's, in order, none confirmed but the
// recording organisation, whose admin's recording of the terms is its confirmation.
func (tx *Tx) writeParties(ctx context.Context, actor waymark.Actor, a *waymark.DataSharingAgreement) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM agreement_parties WHERE agreement_id = $1`, a.ID); err != nil {
		return err
	}
	for i, orgID := range a.OrgIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO agreement_parties (agreement_id, org_id, position) VALUES ($1, $2, $3)`, a.ID, orgID, i); err != nil {
			return err
		}
	}
	a.ConfirmedOrgIDs = []string{actor.OrgID}
	_, err := tx.ExecContext(ctx, `UPDATE agreement_parties SET confirmed_at = $1, confirmed_by = $2 WHERE agreement_id = $3 AND org_id = $4`,
		tx.now, actor.UserID, a.ID, actor.OrgID)
	return err
}

// checkAgreement adds the recording organisation to the parties, validates the agreement and
// reads the parties' names. cur is the agreement as it stands, nil for a new one.
func (tx *Tx) checkAgreement(ctx context.Context, actor waymark.Actor, a, cur *waymark.DataSharingAgreement) error {
	a.OrgIDs = withParty(a.OrgIDs, actor.OrgID)
	if err := a.Validate(); err != nil {
		return err
	}
	var kept []string
	if cur != nil {
		kept = cur.OrgIDs
	}
	names, err := tx.partyNames(ctx, a.OrgIDs, kept)
	a.OrgNames = names
	return err
}

// agreementAudit is the audit entry of a change: the agreement's terms as they now stand (none of
// them is about a person), so the log shows what each party agreed to and when it changed.
func agreementAudit(action string, a *waymark.DataSharingAgreement) *waymark.AuditEntry {
	purposes := make([]string, len(a.Purposes))
	for i, p := range a.Purposes {
		purposes[i] = string(p)
	}
	return &waymark.AuditEntry{Action: action, ObjectType: "agreement", ObjectID: a.ID,
		Detail: fmt.Sprintf("agreement %s: %s; status %s; parties %s; purposes %s; basis %s; from %s to %s; review %s", a.ID, a.Title, a.Status,
			strings.Join(a.OrgIDs, " "), strings.Join(purposes, " "), a.LawfulBasis, a.StartOn, cmp.Or(a.EndOn, "no end"), a.ReviewOn)}
}

// CreateAgreement records an agreement; see waymark.AgreementService.
func (s *AgreementService) CreateAgreement(ctx context.Context, actor waymark.Actor, a *waymark.DataSharingAgreement) error {
	if !actor.Can(waymark.PermManageAgreements) || actor.OrgID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.checkAgreement(ctx, actor, a, nil); err != nil {
			return err
		}
		a.ID, a.RecordedByOrgID, a.Version, a.UpdatedBy, a.UpdatedAt = newID(), actor.OrgID, 1, actor.UserID, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO data_sharing_agreements (id, title, reference, purposes, lawful_basis, start_on, end_on,
			review_on, status, recorded_by_org_id, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			a.ID, a.Title, a.Reference, bounded(a.Purposes), a.LawfulBasis, a.StartOn, a.EndOn, a.ReviewOn, a.Status, a.RecordedByOrgID,
			a.Version, a.UpdatedBy, a.UpdatedAt); err != nil {
			return err
		}
		if err := tx.writeParties(ctx, actor, a); err != nil {
			return err
		}
		return tx.audit(ctx, actor, agreementAudit(waymark.AuditAgreementCreated, a))
	})
}

// UpdateAgreement replaces an agreement the actor's organisation recorded; see
// waymark.AgreementService. Another party's admins may read it but not change it (EFORBIDDEN): its
// recorder keeps it, so that the parties never hold two versions of one signed document.
func (s *AgreementService) UpdateAgreement(ctx context.Context, actor waymark.Actor, id string, version int, a *waymark.DataSharingAgreement) error {
	if !actor.Can(waymark.PermManageAgreements) || actor.OrgID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.lockAgreement(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if cur.RecordedByOrgID != actor.OrgID {
			return waymark.Errorf(waymark.EFORBIDDEN, "Only the organisation that recorded this agreement can change it. Ask its admins to make the change.")
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this agreement while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
		}
		if err := tx.checkAgreement(ctx, actor, a, cur); err != nil {
			return err
		}
		a.ID, a.RecordedByOrgID, a.Version, a.UpdatedBy, a.UpdatedAt = cur.ID, cur.RecordedByOrgID, cur.Version+1, actor.UserID, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE data_sharing_agreements SET title = $1, reference = $2, purposes = $3, lawful_basis = $4, start_on = $5,
			end_on = $6, review_on = $7, status = $8, version = $9, updated_by = $10, updated_at = $11 WHERE id = $12`,
			a.Title, a.Reference, bounded(a.Purposes), a.LawfulBasis, a.StartOn, a.EndOn, a.ReviewOn, a.Status, a.Version, a.UpdatedBy, a.UpdatedAt,
			a.ID); err != nil {
			return err
		}
		// New terms need each party's confirmation again, and so does bringing back into force an
		// agreement that was a draft or had been terminated; a new title, review date or a
		// suspension and its lifting do not.
		revived := a.Status == waymark.AgreementActive && (cur.Status == waymark.AgreementDraft || cur.Status == waymark.AgreementTerminated)
		if cur.SameTerms(a) && !revived {
			a.ConfirmedOrgIDs = cur.ConfirmedOrgIDs
			for i, orgID := range a.OrgIDs {
				if _, err := tx.ExecContext(ctx, `UPDATE agreement_parties SET position = $1 WHERE agreement_id = $2 AND org_id = $3`, i, a.ID, orgID); err != nil {
					return err
				}
			}
		} else if err := tx.writeParties(ctx, actor, a); err != nil {
			return err
		}
		return tx.audit(ctx, actor, agreementAudit(waymark.AuditAgreementUpdated, a))
	})
}

// FindAgreement reads one agreement; see waymark.AgreementService.
func (s *AgreementService) FindAgreement(ctx context.Context, actor waymark.Actor, id string) (*waymark.DataSharingAgreement, error) {
	if !actor.Can(waymark.PermViewAgreements) || actor.OrgID == "" {
		return nil, forbidden()
	}
	var out *waymark.DataSharingAgreement
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.findAgreement(ctx, actor.OrgID, id)
		return err
	})
	return out, err
}

// FindAgreements lists the organisation's agreements; see waymark.AgreementService.
func (s *AgreementService) FindAgreements(ctx context.Context, actor waymark.Actor) ([]*waymark.DataSharingAgreement, error) {
	if !actor.Can(waymark.PermViewAgreements) || actor.OrgID == "" {
		return nil, forbidden()
	}
	var out []*waymark.DataSharingAgreement
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.agreementsWhere(ctx, partyIs(1), actor.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Sorted here rather than in SQL: the engines order text by different collations.
	slices.SortFunc(out, func(x, y *waymark.DataSharingAgreement) int {
		return cmp.Or(strings.Compare(nextDate(x), nextDate(y)), strings.Compare(x.Title, y.Title), strings.Compare(x.ID, y.ID))
	})
	return out, nil
}

// nextDate is the earlier of an agreement's end and review dates: what needs attention first.
func nextDate(a *waymark.DataSharingAgreement) string {
	if a.EndOn != "" && a.EndOn < a.ReviewOn {
		return a.EndOn
	}
	return a.ReviewOn
}

// ConfirmAgreement records a party's confirmation; see waymark.AgreementService.
func (s *AgreementService) ConfirmAgreement(ctx context.Context, actor waymark.Actor, id string, version int) error {
	return s.setConfirmation(ctx, actor, id, version, true)
}

// WithdrawConfirmation takes a party's confirmation back; see waymark.AgreementService.
func (s *AgreementService) WithdrawConfirmation(ctx context.Context, actor waymark.Actor, id string, version int) error {
	return s.setConfirmation(ctx, actor, id, version, false)
}

// setConfirmation confirms the agreement for the actor's organisation, or withdraws its
// confirmation, at the version the actor read.
func (s *AgreementService) setConfirmation(ctx context.Context, actor waymark.Actor, id string, version int, confirm bool) error {
	if !actor.Can(waymark.PermManageAgreements) || actor.OrgID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.lockAgreement(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "This agreement changed while you were reading it. Read it as it is now, then try again.")
		}
		if !confirm {
			if !cur.Confirmed(actor.OrgID) {
				return waymark.Errorf(waymark.ECONFLICT, "Your organisation has not confirmed this agreement, so there is nothing to withdraw.")
			}
			if _, err := tx.ExecContext(ctx, `UPDATE agreement_parties SET confirmed_at = NULL, confirmed_by = '' WHERE agreement_id = $1 AND org_id = $2`,
				id, actor.OrgID); err != nil {
				return err
			}
			return tx.audit(ctx, actor, agreementAudit(waymark.AuditAgreementWithdrawn, cur))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE agreement_parties SET confirmed_at = $1, confirmed_by = $2 WHERE agreement_id = $3 AND org_id = $4`,
			tx.now, actor.UserID, id, actor.OrgID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, agreementAudit(waymark.AuditAgreementConfirmed, cur))
	})
}
