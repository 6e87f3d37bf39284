package sqldb

import (
	"context"
	"slices"
	"strings"

	"waymark"
)

// ConsentService implements waymark.ConsentService.
type ConsentService struct{ db *DB }

// NewConsentService returns the consent service.
func NewConsentService(db *DB) *ConsentService { return &ConsentService{db: db} }

var _ waymark.ConsentService = (*ConsentService)(nil)

// RecordConsent records a consent answer or another lawful basis; see waymark.ConsentService.
func (s *ConsentService) RecordConsent(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.ConsentRecord) error {
	if r.Basis.Valid() && r.Basis != waymark.BasisConsent && !actor.Can(waymark.PermRecordLawfulBasis) {
		return waymark.Errorf(waymark.EFORBIDDEN, "Only a safeguarding lead may record a lawful basis other than consent.")
	}
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditSharingConsentRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		// One writer at a time per client, so that the order of records and the statistics flag
		// agree on PostgreSQL too.
		if err := tx.lockRow(ctx, "clients", c.ID); err != nil {
			return "", err
		}
		if err := r.Validate(tx.now); err != nil {
			return "", err
		}
		for _, id := range r.OrgIDs {
			o, err := tx.findOrg(ctx, id)
			switch {
			case waymark.ErrorCode(err) == waymark.ENOTFOUND:
				return "", waymark.Invalid(map[string]string{"org_ids": "Choose organisations from the list"})
			case err != nil:
				return "", err
			case id == c.OrgID:
				return "", waymark.Invalid(map[string]string{"org_ids": "Choose other organisations: your own keeps the record"})
			case o.Disabled && r.Basis == waymark.BasisConsent && r.Decision != waymark.ConsentDecisionGiven:
				// Refusing or withdrawing sharing with an organisation that has left is still recorded.
			case o.Disabled:
				return "", waymark.Invalid(map[string]string{"org_ids": o.Name + " no longer uses Waymark: nothing can be shared with it"})
			}
		}
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(seq), 0) + 1 FROM client_consents WHERE client_id = $1`, c.ID).Scan(&seq); err != nil {
			return "", err
		}
		r.ID, r.ClientID, r.OrgID, r.RecordedBy, r.RecordedAt = newID(), c.ID, c.OrgID, actor.UserID, tx.now
		how, err := tx.seal(ctx, c.OrgID, "client_consents", "how_explained", r.ID, r.HowExplained)
		if err != nil {
			return "", err
		}
		why, err := tx.seal(ctx, c.OrgID, "client_consents", "justification", r.ID, r.Justification)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO client_consents (id, client_id, org_id, purpose, basis, decision, org_ids, on_date, expires_on,
			how_explained, justification, decided_by, seq, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			r.ID, c.ID, c.OrgID, r.Purpose, r.Basis, r.Decision, strings.Join(r.OrgIDs, " "), r.On, r.ExpiresOn, how, why, r.DecidedBy, seq,
			r.RecordedBy, r.RecordedAt); err != nil {
			return "", err
		}
		// The flag follows the position, whatever order the records came in.
		position, err := tx.consentPosition(ctx, c)
		if err != nil {
			return "", err
		}
		excluded := position.ExcludedFromStatistics()
		if _, err := tx.ExecContext(ctx, `UPDATE clients SET excluded_from_statistics = $1 WHERE id = $2`, excluded, c.ID); err != nil {
			return "", err
		}
		// What was decided is itself personal data: the entry names the record only.
		return "consent record " + r.ID, nil
	})
}

// consents reads a client's consent records, oldest first, with the named organisations' names.
func (tx *Tx) consents(ctx context.Context, c *waymark.Client) ([]*waymark.ConsentRecord, error) {
	var out []*waymark.ConsentRecord
	err := tx.eachRow(ctx, `SELECT k.id, k.purpose, k.basis, k.decision, k.org_ids, k.on_date, k.expires_on, k.how_explained, k.justification,
		k.decided_by, k.recorded_by, COALESCE(u.name, ''), k.recorded_at FROM client_consents k LEFT JOIN users u ON u.id = k.recorded_by
		WHERE k.client_id = $1 AND k.org_id = $2 ORDER BY k.on_date, k.seq`, []any{c.ID, c.OrgID},
		func(row interface{ Scan(...any) error }) error {
			r := waymark.ConsentRecord{ClientID: c.ID, OrgID: c.OrgID}
			var orgs string
			var how, why []byte
			var at nullTime
			if err := row.Scan(&r.ID, &r.Purpose, &r.Basis, &r.Decision, &orgs, &r.On, &r.ExpiresOn, &how, &why, &r.DecidedBy, &r.RecordedBy,
				&r.RecordedByName, &at); err != nil {
				return err
			}
			r.RecordedAt, r.OrgIDs = at.t, strings.Fields(orgs)
			var err error
			if r.HowExplained, err = tx.open(ctx, c.OrgID, "client_consents", "how_explained", r.ID, how); err != nil {
				return err
			}
			if r.Justification, err = tx.open(ctx, c.OrgID, "client_consents", "justification", r.ID, why); err != nil {
				return err
			}
			out = append(out, &r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, r := range out {
		for _, id := range r.OrgIDs {
			if _, ok := names[id]; !ok {
				o, err := tx.findOrg(ctx, id)
				if err != nil {
					return nil, err
				}
				names[id] = o.Name
			}
			r.OrgNames = append(r.OrgNames, names[id])
		}
	}
	return out, nil
}

// consentsSharedWith reads, for every client with an open share with the partner organisation,
// the client's consent records about sharing, in the order of consents, keyed by client ID:
// enough for each one's position on sharing, without the sealed explanations.
func (tx *Tx) consentsSharedWith(ctx context.Context, partnerOrgID string) (map[string][]*waymark.ConsentRecord, error) {
	out := map[string][]*waymark.ConsentRecord{}
	err := tx.eachRow(ctx, `SELECT k.id, k.client_id, k.org_id, k.basis, k.decision, k.org_ids, k.on_date, k.expires_on
		FROM client_consents k JOIN case_shares s ON s.client_id = k.client_id AND s.owner_org_id = k.org_id
		WHERE s.partner_org_id = $1 AND s.revoked_at IS NULL AND k.purpose = $2 ORDER BY k.client_id, k.on_date, k.seq`,
		[]any{partnerOrgID, waymark.ConsentForSharing}, func(row interface{ Scan(...any) error }) error {
			r := waymark.ConsentRecord{Purpose: waymark.ConsentForSharing}
			var orgs string
			err := row.Scan(&r.ID, &r.ClientID, &r.OrgID, &r.Basis, &r.Decision, &orgs, &r.On, &r.ExpiresOn)
			r.OrgIDs = strings.Fields(orgs)
			out[r.ClientID] = append(out[r.ClientID], &r)
			return err
		})
	return out, err
}

// consentPosition reads the client's consent position on the London date of the transaction.
func (tx *Tx) consentPosition(ctx context.Context, c *waymark.Client) (waymark.ConsentPosition, error) {
	records, err := tx.consents(ctx, c)
	return waymark.ConsentPositionOf(records, waymark.Today(tx.now)), err
}

// FindConsents reads a client's consent records and position; see waymark.ConsentService.
func (s *ConsentService) FindConsents(ctx context.Context, actor waymark.Actor, clientID string) (*waymark.ConsentHistory, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var h waymark.ConsentHistory
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		h.Client = c
		if h.Records, err = tx.consents(ctx, c); err != nil {
			return nil, err
		}
		h.Position = waymark.ConsentPositionOf(h.Records, waymark.Today(tx.now))
		return &waymark.AuditEntry{Action: waymark.AuditSharingConsentsViewed, ObjectType: "client", ObjectID: c.ID}, nil
	})
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// FindOverrides lists the organisation's purposes resting on another lawful basis; see
// waymark.ConsentService.
func (s *ConsentService) FindOverrides(ctx context.Context, actor waymark.Actor) ([]waymark.ConsentOverride, error) {
	if !actor.Can(waymark.PermViewOrgTasks) || actor.OrgID == "" {
		return nil, forbidden()
	}
	var out []waymark.ConsentOverride
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var ids []string
		if err := tx.eachRow(ctx, `SELECT DISTINCT client_id FROM client_consents WHERE org_id = $1 AND basis <> 'consent'`, []any{actor.OrgID},
			func(row interface{ Scan(...any) error }) error {
				var id string
				err := row.Scan(&id)
				ids = append(ids, id)
				return err
			}); err != nil {
			return nil, err
		}
		labels, err := tx.clientLabels(ctx, actor.OrgID, ids)
		if err != nil {
			return nil, err
		}
		today := waymark.Today(tx.now)
		var shown []string
		for _, id := range ids {
			c, err := tx.findClient(ctx, actor, id)
			if err != nil {
				return nil, err
			}
			records, err := tx.consents(ctx, c)
			if err != nil {
				return nil, err
			}
			overrides := waymark.ConsentPositionOf(records, today).Overrides()
			if len(overrides) > 0 {
				shown = append(shown, id)
			}
			for _, o := range overrides {
				out = append(out, waymark.ConsentOverride{ClientID: id, ClientName: labels[id].name, ClientReference: labels[id].reference, ConsentStanding: o})
			}
		}
		slices.SortStableFunc(out, func(a, b waymark.ConsentOverride) int { return b.Record.RecordedAt.Compare(a.Record.RecordedAt) })
		return &waymark.AuditEntry{Action: waymark.AuditSharingConsentsViewed, ObjectType: "client", Detail: "lawful basis overrides; clients shown: " + strings.Join(shown, " ")}, nil
	})
	return out, err
}
