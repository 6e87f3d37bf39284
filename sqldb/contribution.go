package sqldb

import (
	"context"

	"waymark"
)

// The share service implements waymark.ContributionService too: contributions live and die with
// shares.
var _ waymark.ContributionService = (*ShareService)(nil)

// Sealing. A contribution's text is sealed with the OWNER's data key: it is part of the owner's
// record of the client, governed by the owner's key rotation and erasure, like the rest of it. The
// partner reads it back only through an active share, opened by this store.

const contributionColumns = `k.id, k.share_id, k.client_id, k.owner_org_id, k.partner_org_id, COALESCE(p.name, ''), k.kind, k.support_type,
	k.start_date, k.end_date, k.outcome, k.body, k.added_by, COALESCE(u.name, ''), k.added_at
	FROM share_contributions k LEFT JOIN organisations p ON p.id = k.partner_org_id LEFT JOIN users u ON u.id = k.added_by`

// contributions reads the contributions a WHERE clause (with its ORDER BY and LIMIT) selects,
// with their text opened.
func (tx *Tx) contributions(ctx context.Context, where string, args ...any) ([]*waymark.ShareContribution, error) {
	var out []*waymark.ShareContribution
	err := tx.eachRow(ctx, `SELECT `+contributionColumns+` `+where, args, func(row interface{ Scan(...any) error }) error {
		var k waymark.ShareContribution
		var body []byte
		var at nullTime
		if err := row.Scan(&k.ID, &k.ShareID, &k.ClientID, &k.OwnerOrgID, &k.PartnerOrgID, &k.PartnerOrgName, &k.Kind, &k.SupportType,
			&k.Start, &k.End, &k.Outcome, &body, &k.AddedBy, &k.AddedByName, &at); err != nil {
			return err
		}
		k.AddedAt = at.t
		var err error
		k.Text, err = tx.open(ctx, k.OwnerOrgID, "share_contributions", "body", k.ID, body)
		out = append(out, &k)
		return err
	})
	return out, err
}

// partnerContributions lists what the partner organisation added to the client, newest first.
func (tx *Tx) partnerContributions(ctx context.Context, c *waymark.Client, partnerOrgID string) ([]*waymark.ShareContribution, error) {
	return tx.contributions(ctx, `WHERE k.client_id = $1 AND k.owner_org_id = $2 AND k.partner_org_id = $3 ORDER BY k.added_at DESC, k.id LIMIT 200`,
		c.ID, c.OrgID, partnerOrgID)
}

// AddContribution adds a partner's note or support; see waymark.ContributionService.
func (s *ShareService) AddContribution(ctx context.Context, actor waymark.Actor, shareID string, k *waymark.ShareContribution) error {
	if !actor.Can(waymark.PermViewSharedClients) || actor.OrgID == "" {
		return notFound("shared record")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		// Found first, so that another organisation's share is not even locked; then read again
		// under the lock, so that a revocation committed meanwhile is seen.
		if _, _, err := tx.activeShare(ctx, actor, shareID); err != nil {
			return err
		}
		if err := tx.lockRow(ctx, "case_shares", shareID); err != nil {
			return err
		}
		sh, c, err := tx.activeShare(ctx, actor, shareID)
		if err != nil {
			return err
		}
		if !sh.AllowContributions {
			return waymark.Errorf(waymark.EFORBIDDEN, "%s shared this record read-only: your organisation may read it but not add to it. Ask them to share it again allowing notes and support if you need to.", sh.OwnerOrgName)
		}
		if err := k.Validate(tx.now); err != nil {
			return err
		}
		k.ID, k.ShareID, k.ClientID, k.OwnerOrgID, k.PartnerOrgID = newID(), sh.ID, c.ID, c.OrgID, actor.OrgID
		k.AddedBy, k.AddedAt = actor.UserID, tx.now
		body, err := tx.seal(ctx, c.OrgID, "share_contributions", "body", k.ID, k.Text)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO share_contributions (id, share_id, client_id, owner_org_id, partner_org_id, kind, support_type,
			start_date, end_date, outcome, body, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			k.ID, k.ShareID, k.ClientID, k.OwnerOrgID, k.PartnerOrgID, k.Kind, k.SupportType, k.Start, k.End, k.Outcome, body, k.AddedBy, k.AddedAt); err != nil {
			return err
		}
		// In the partner's log against the share, and in the owner's against its client.
		detail := string(k.Kind) + " " + k.ID
		return tx.auditAll(ctx, actor, []*waymark.AuditEntry{
			{Action: waymark.AuditContributionAdded, ObjectType: "share", ObjectID: sh.ID, Detail: detail},
			{Action: waymark.AuditContributionAdded, ObjectType: "client", ObjectID: c.ID, OrgID: c.OrgID, Detail: detail + " by organisation " + actor.OrgID + " on share " + sh.ID},
		})
	})
}

// FindContributions lists every partner's contributions to a client; see waymark.ContributionService.
func (s *ShareService) FindContributions(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.ShareContribution, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []*waymark.ShareContribution
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		out, err = tx.contributions(ctx, `WHERE k.client_id = $1 AND k.owner_org_id = $2 ORDER BY k.added_at DESC, k.id LIMIT 500`, c.ID, c.OrgID)
		return &waymark.AuditEntry{Action: waymark.AuditContributionsViewed, ObjectType: "client", ObjectID: c.ID}, err
	})
	return out, err
}
