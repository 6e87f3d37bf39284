package sqldb

import (
	"context"
	"strings"

	"waymark"
)

// ShareService implements waymark.ShareService.
type ShareService struct{ db *DB }

// NewShareService returns the case sharing service.
func NewShareService(db *DB) *ShareService { return &ShareService{db: db} }

var _ waymark.ShareService = (*ShareService)(nil)

const shareColumns = `s.id, s.client_id, s.owner_org_id, COALESCE(o.name, ''), s.partner_org_id, COALESCE(p.name, ''), COALESCE(p.disabled, FALSE), s.purpose,
	s.sections, s.shared_by, COALESCE(u.name, ''), s.shared_at, s.revoked_at, s.revoked_by, s.revoke_reason
	FROM case_shares s LEFT JOIN organisations o ON o.id = s.owner_org_id LEFT JOIN organisations p ON p.id = s.partner_org_id
	LEFT JOIN users u ON u.id = s.shared_by`

// scanShare reads a share, and whether its partner organisation is disabled.
func (tx *Tx) scanShare(ctx context.Context, row interface{ Scan(...any) error }) (*waymark.CaseShare, bool, error) {
	var s waymark.CaseShare
	var sections string
	var disabled bool
	var at, revoked nullTime
	var reason []byte
	if err := row.Scan(&s.ID, &s.ClientID, &s.OwnerOrgID, &s.OwnerOrgName, &s.PartnerOrgID, &s.PartnerOrgName, &disabled, &s.Purpose, &sections,
		&s.SharedBy, &s.SharedByName, &at, &revoked, &s.RevokedBy, &reason); err != nil {
		return nil, false, err
	}
	s.SharedAt, s.RevokedAt = at.t, revoked.ptr()
	for _, x := range strings.Fields(sections) {
		s.Sections = append(s.Sections, waymark.ShareSection(x))
	}
	var err error
	s.RevokeReason, err = tx.open(ctx, s.OwnerOrgID, "case_shares", "revoke_reason", s.ID, reason)
	return &s, disabled, err
}

// shareState works out whether a share lets its partner see the record today.
func (tx *Tx) shareState(ctx context.Context, s *waymark.CaseShare, partnerDisabled bool, c *waymark.Client) (waymark.ShareState, error) {
	if s.RevokedAt != nil || partnerDisabled {
		return waymark.ShareStateFor(s, partnerDisabled, false, waymark.ConsentPosition{}), nil
	}
	today := waymark.Today(tx.now)
	covered, err := tx.agreementCovers(ctx, s.OwnerOrgID, s.PartnerOrgID, s.Purpose, today)
	if err != nil {
		return "", err
	}
	records, err := tx.consents(ctx, c)
	if err != nil {
		return "", err
	}
	return waymark.ShareStateFor(s, false, covered, waymark.ConsentPositionOf(records, today)), nil
}

// ShareCase shares a client with a partner organisation; see waymark.ShareService.
func (s *ShareService) ShareCase(ctx context.Context, actor waymark.Actor, clientID string, sh *waymark.CaseShare) error {
	if !actor.Can(waymark.PermShareCases) {
		return forbidden()
	}
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditCaseShared, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := sh.Validate(); err != nil {
			return "", err
		}
		partner, err := tx.findOrg(ctx, sh.PartnerOrgID)
		switch {
		case waymark.ErrorCode(err) == waymark.ENOTFOUND || err == nil && partner.Disabled:
			return "", waymark.Invalid(map[string]string{"partner_org_id": "Choose an organisation from the list"})
		case err != nil:
			return "", err
		case partner.ID == c.OrgID:
			return "", waymark.Invalid(map[string]string{"partner_org_id": "Choose another organisation: yours keeps the record"})
		}
		sh.ID, sh.ClientID, sh.OwnerOrgID, sh.PartnerOrgName, sh.SharedBy, sh.SharedAt = newID(), c.ID, c.OrgID, partner.Name, actor.UserID, tx.now
		switch state, err := tx.shareState(ctx, sh, false, c); {
		case err != nil:
			return "", err
		case state == waymark.ShareNoAgreement:
			return "", waymark.Invalid(map[string]string{"partner_org_id": "No data sharing agreement in force between your organisation and " + partner.Name +
				" covers " + strings.ToLower(sh.Purpose.Label()) + ". Ask your organisation admin to record one first."})
		case state == waymark.ShareConsentEnded:
			return "", waymark.Invalid(map[string]string{"partner_org_id": "The person has not consented to their record being shared with " + partner.Name +
				", and no other lawful basis is recorded. Record their consent (or, for a safeguarding lead, another lawful basis) first."})
		}
		sections := sectionNames(sh.Sections)
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_shares (id, client_id, owner_org_id, partner_org_id, purpose, sections, shared_by, shared_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, sh.ID, c.ID, c.OrgID, partner.ID, sh.Purpose, strings.Join(sections, " "), sh.SharedBy, sh.SharedAt); err != nil {
			return "", err
		}
		return "share " + sh.ID + " with organisation " + partner.ID + ": " + strings.Join(sections, " "), nil
	})
}

// RevokeShare revokes a share; see waymark.ShareService.
func (s *ShareService) RevokeShare(ctx context.Context, actor waymark.Actor, clientID, shareID, reason string) error {
	if !actor.Can(waymark.PermShareCases) {
		return forbidden()
	}
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditShareRevoked, func(tx *Tx, c *waymark.Client) (string, error) {
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return "", waymark.Invalid(map[string]string{"reason": "Say why the sharing stops"})
		}
		if len(reason) > 2000 {
			return "", waymark.Invalid(map[string]string{"reason": "The reason must be 2,000 characters or fewer"})
		}
		sh, _, err := tx.scanShare(ctx, tx.QueryRowContext(ctx, `SELECT `+shareColumns+` WHERE s.id = $1 AND s.client_id = $2`, shareID, c.ID))
		if errNoRows(err) {
			return "", notFound("share")
		}
		if err != nil {
			return "", err
		}
		if sh.RevokedAt != nil {
			return "", waymark.Errorf(waymark.ECONFLICT, "This sharing was already revoked.")
		}
		sealed, err := tx.seal(ctx, c.OrgID, "case_shares", "revoke_reason", sh.ID, reason)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_shares SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE id = $4`,
			tx.now, actor.UserID, sealed, sh.ID); err != nil {
			return "", err
		}
		return "share " + sh.ID + " revoked", nil
	})
}

// FindShares lists a client's shares and their states; see waymark.ShareService.
func (s *ShareService) FindShares(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.CaseShare, []waymark.ShareState, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, nil, forbidden()
	}
	var shares []*waymark.CaseShare
	var states []waymark.ShareState
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		var disabled []bool
		if err := tx.eachRow(ctx, `SELECT `+shareColumns+` WHERE s.client_id = $1 AND s.owner_org_id = $2 ORDER BY s.shared_at DESC, s.id`, []any{c.ID, c.OrgID},
			func(row interface{ Scan(...any) error }) error {
				sh, off, err := tx.scanShare(ctx, row)
				shares, disabled = append(shares, sh), append(disabled, off)
				return err
			}); err != nil {
			return nil, err
		}
		for i, sh := range shares {
			state, err := tx.shareState(ctx, sh, disabled[i], c)
			if err != nil {
				return nil, err
			}
			states = append(states, state)
		}
		return &waymark.AuditEntry{Action: waymark.AuditSharesViewed, ObjectType: "client", ObjectID: c.ID}, nil
	})
	return shares, states, err
}

// activeShare reads a share with the actor's organisation and the client it shares, or ENOTFOUND
// when the share is not with the actor's organisation or does not let it see the record today.
func (tx *Tx) activeShare(ctx context.Context, actor waymark.Actor, shareID string) (*waymark.CaseShare, *waymark.Client, error) {
	sh, disabled, err := tx.scanShare(ctx, tx.QueryRowContext(ctx, `SELECT `+shareColumns+` WHERE s.id = $1 AND s.partner_org_id = $2`, shareID, actor.OrgID))
	if errNoRows(err) {
		return nil, nil, notFound("shared record")
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := tx.findClient(ctx, waymark.Actor{OrgID: sh.OwnerOrgID}, sh.ClientID)
	if err != nil {
		return nil, nil, err
	}
	state, err := tx.shareState(ctx, sh, disabled, c)
	if err != nil {
		return nil, nil, err
	}
	if state != waymark.ShareActive {
		return nil, nil, notFound("shared record")
	}
	return sh, c, nil
}

// FindSharedWithMe lists the active shares with the actor's organisation; see waymark.ShareService.
func (s *ShareService) FindSharedWithMe(ctx context.Context, actor waymark.Actor) ([]*waymark.CaseShare, []string, error) {
	if !actor.Can(waymark.PermViewSharedClients) || actor.OrgID == "" {
		return nil, nil, forbidden()
	}
	var shares []*waymark.CaseShare
	var names []string
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var ids []string
		if err := tx.eachRow(ctx, `SELECT id FROM case_shares WHERE partner_org_id = $1 AND revoked_at IS NULL ORDER BY shared_at DESC, id LIMIT 1000`,
			[]any{actor.OrgID}, func(row interface{ Scan(...any) error }) error {
				var id string
				err := row.Scan(&id)
				ids = append(ids, id)
				return err
			}); err != nil {
			return nil, err
		}
		for _, id := range ids {
			sh, c, err := tx.activeShare(ctx, actor, id)
			if waymark.ErrorCode(err) == waymark.ENOTFOUND {
				continue
			}
			if err != nil {
				return nil, err
			}
			name := ""
			if sh.Shows(waymark.SectionIdentity) {
				name = c.DisplayName()
			}
			shares, names = append(shares, sh), append(names, name)
		}
		shown := make([]string, len(shares))
		for i, sh := range shares {
			shown[i] = sh.ID
		}
		return &waymark.AuditEntry{Action: waymark.AuditSharedListViewed, ObjectType: "share", Detail: "shares shown: " + strings.Join(shown, " ")}, nil
	})
	return shares, names, err
}

// FindSharedRecord reads what an active share shows; see waymark.ShareService.
func (s *ShareService) FindSharedRecord(ctx context.Context, actor waymark.Actor, shareID string) (*waymark.SharedRecord, error) {
	if !actor.Can(waymark.PermViewSharedClients) || actor.OrgID == "" {
		return nil, notFound("shared record")
	}
	var rec *waymark.SharedRecord
	var entries []*waymark.AuditEntry
	err := s.db.view(ctx, func(tx *Tx) error {
		sh, c, err := tx.activeShare(ctx, actor, shareID)
		if err != nil {
			return err
		}
		rec = &waymark.SharedRecord{Share: sh}
		if sh.Shows(waymark.SectionIdentity) {
			rec.Client = waymark.IdentityOnly(c)
		}
		if sh.Shows(waymark.SectionHistory) {
			if rec.Episodes, err = tx.episodes(ctx, c.OrgID, c.ID); err != nil {
				return err
			}
		}
		if sh.Shows(waymark.SectionPathway) {
			if rec.Journey, err = tx.journey(ctx, c); err != nil {
				return err
			}
			// The journey's client is the whole record: only the identity section may show it.
			rec.Journey.Client = rec.Client
		}
		if sh.Shows(waymark.SectionSupport) {
			if rec.Support, err = tx.supportLog(ctx, c.OrgID, c.ID); err != nil {
				return err
			}
			if rec.Homelessness, err = tx.housingHistory(ctx, c.OrgID, c.ID); err != nil {
				return err
			}
		}
		if sh.Shows(waymark.SectionMoveOn) || sh.Shows(waymark.SectionHistory) {
			mo, err := tx.moveOn(ctx, c)
			if err != nil {
				return err
			}
			if sh.Shows(waymark.SectionHistory) {
				rec.Risk = mo.Risk
			}
			if sh.Shows(waymark.SectionMoveOn) {
				mo.Client, mo.Risk = rec.Client, rec.Risk
				rec.MoveOn = mo
			}
		}
		// The partner's read is recorded in its own log against the share, and in the owner's
		// against the client, so the owner sees who has seen the record.
		detail := "sections: " + strings.Join(sectionNames(sh.Sections), " ")
		entries = []*waymark.AuditEntry{
			{Action: waymark.AuditSharedRecordViewed, ObjectType: "share", ObjectID: sh.ID, Detail: detail},
			{Action: waymark.AuditSharedRecordViewed, ObjectType: "client", ObjectID: c.ID, OrgID: sh.OwnerOrgID, Detail: "by organisation " + actor.OrgID + "; " + detail},
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.db.update(ctx, func(tx *Tx) error { return tx.auditAll(ctx, actor, entries) }); err != nil {
		return nil, err
	}
	return rec, nil
}

func sectionNames(sections []waymark.ShareSection) []string {
	out := make([]string, len(sections))
	for i, x := range sections {
		out[i] = string(x)
	}
	return out
}

// FindRecordViews lists the partner reads of a client's shared record; see waymark.ShareService.
func (s *ShareService) FindRecordViews(ctx context.Context, actor waymark.Actor, clientID string) ([]waymark.RecordView, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []waymark.RecordView
	err := s.db.view(ctx, func(tx *Tx) error {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return err
		}
		return tx.eachRow(ctx, `SELECT a.at, COALESCE(u.name, ''), COALESCE(o.name, '') FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
			LEFT JOIN organisations o ON o.id = u.org_id
			WHERE a.org_id = $1 AND a.object_type = 'client' AND a.object_id = $2 AND a.action = $3 ORDER BY a.seq DESC LIMIT 200`,
			[]any{c.OrgID, c.ID, waymark.AuditSharedRecordViewed}, func(row interface{ Scan(...any) error }) error {
				var v waymark.RecordView
				var at nullTime
				err := row.Scan(&at, &v.UserName, &v.OrgName)
				v.At = at.t
				out = append(out, v)
				return err
			})
	})
	return out, err
}
