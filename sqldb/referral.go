package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"waymark"
)

// ReferralService implements waymark.ReferralService.
type ReferralService struct{ db *DB }

// NewReferralService returns the service for referrals between organisations.
func NewReferralService(db *DB) *ReferralService { return &ReferralService{db: db} }

var _ waymark.ReferralService = (*ReferralService)(nil)

// Sealing. A referral's free text and its snapshot are sealed with the RECIPIENT organisation's
// data key, whoever wrote them (the sender's reason and withdrawal, the recipient's decline):
//   - the snapshot is the copy disclosed to the recipient, so it is the recipient's to hold: its
//     key's rotation and erasure govern it, and it never depends on the sender's key once sent;
//   - the sender's data key keeps sealing only the sender's own records, so nothing the recipient
//     reads is ever opened with the sender's key, and the recipient's reads never touch a value
//     sealed for the client's record;
//   - the associated data binds each value to the recipient, the table, the column and the row, so
//     a sealed value copied to another referral or organisation does not open.
// Both parties read through this store, which opens the values with the recipient's key for
// either of them; nobody else finds the row at all.

// referralColumns read a referral with the names of its organisations and of who made each change.
const referralColumns = `r.id, r.client_id, r.from_org_id, fo.name, r.to_org_id, tor.name, r.directory_service_id, r.directory_service_name,
	r.reason, r.shared, r.snapshot, r.status, r.sent_by, COALESCE(us.name, ''), r.sent_at,
	r.accepted_by, COALESCE(ua.name, ''), r.accepted_at, r.declined_by, COALESCE(ud.name, ''), r.declined_at, r.decline_reason,
	r.completed_by, COALESCE(uc.name, ''), r.completed_at, r.withdrawn_by, COALESCE(uw.name, ''), r.withdrawn_at, r.withdraw_reason, r.version,
	r.share_sections, r.share_purpose, r.share_id, r.share_refusal
	FROM referrals r JOIN organisations fo ON fo.id = r.from_org_id JOIN organisations tor ON tor.id = r.to_org_id
	LEFT JOIN users us ON us.id = r.sent_by LEFT JOIN users ua ON ua.id = r.accepted_by LEFT JOIN users ud ON ud.id = r.declined_by
	LEFT JOIN users uc ON uc.id = r.completed_by LEFT JOIN users uw ON uw.id = r.withdrawn_by`

// scanReferral reads a row of referralColumns and opens its sealed values. For the recipient the
// client's ID is left out: it names a record of another organisation that it may not read.
func (tx *Tx) scanReferral(ctx context.Context, actor waymark.Actor, row interface{ Scan(...any) error }) (*waymark.Referral, error) {
	var r waymark.Referral
	var reason, snapshot, declineReason, withdrawReason []byte
	var shared, shareSections string
	var sent, accepted, declined, completed, withdrawn nullTime
	if err := row.Scan(&r.ID, &r.ClientID, &r.FromOrgID, &r.FromOrgName, &r.ToOrgID, &r.ToOrgName, &r.DirectoryServiceID, &r.DirectoryServiceName,
		&reason, &shared, &snapshot, &r.Status, &r.SentBy, &r.SentByName, &sent,
		&r.AcceptedBy, &r.AcceptedByName, &accepted, &r.DeclinedBy, &r.DeclinedByName, &declined, &declineReason,
		&r.CompletedBy, &r.CompletedByName, &completed, &r.WithdrawnBy, &r.WithdrawnByName, &withdrawn, &withdrawReason, &r.Version,
		&shareSections, &r.SharePurpose, &r.ShareID, &r.ShareRefusal); err != nil {
		return nil, err
	}
	r.SentAt, r.AcceptedAt, r.DeclinedAt, r.CompletedAt, r.WithdrawnAt = sent.t, accepted.ptr(), declined.ptr(), completed.ptr(), withdrawn.ptr()
	for _, f := range splitList(shared) {
		r.Shared = append(r.Shared, waymark.ShareField(f))
	}
	for _, x := range strings.Fields(shareSections) {
		r.ShareSections = append(r.ShareSections, waymark.ShareSection(x))
	}
	var err error
	for _, v := range []struct {
		column string
		sealed []byte
		into   *string
	}{{"reason", reason, &r.Reason}, {"decline_reason", declineReason, &r.DeclineReason}, {"withdraw_reason", withdrawReason, &r.WithdrawReason}} {
		if *v.into, err = tx.open(ctx, r.ToOrgID, "referrals", v.column, r.ID, v.sealed); err != nil {
			return nil, err
		}
	}
	plain, err := tx.open(ctx, r.ToOrgID, "referrals", "snapshot", r.ID, snapshot)
	if err != nil {
		return nil, err
	}
	if plain != "" {
		if err := json.Unmarshal([]byte(plain), &r.Snapshot); err != nil {
			return nil, fmt.Errorf("referral snapshot: %w", err)
		}
	}
	if r.PartyOf(actor.OrgID) != waymark.PartySender {
		r.ClientID = ""
	}
	return &r, nil
}

// snapshotFor reads what the chosen items need beyond the client's row: the types of every
// exploitation episode and the latest re-exploitation risk level. Both are read only when chosen.
func (tx *Tx) snapshotFor(ctx context.Context, c *waymark.Client, fields []waymark.ShareField) (waymark.ReferralSnapshot, error) {
	var episodes []*waymark.ExploitationEpisode
	risk := ""
	for _, f := range fields {
		switch f {
		case waymark.ShareExploitationTypes:
			if err := tx.eachRow(ctx, `SELECT types FROM exploitation_episodes WHERE client_id = $1 AND org_id = $2 ORDER BY recorded_at, id`,
				[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
					var types string
					if err := row.Scan(&types); err != nil {
						return err
					}
					episodes = append(episodes, &waymark.ExploitationEpisode{Types: splitList(types)})
					return nil
				}); err != nil {
				return waymark.ReferralSnapshot{}, err
			}
		case waymark.ShareRiskLevel:
			err := tx.QueryRowContext(ctx, `SELECT level FROM risk_assessments WHERE client_id = $1 AND org_id = $2 ORDER BY assessed_at DESC, id LIMIT 1`,
				c.ID, c.OrgID).Scan(&risk)
			if err != nil && !errNoRows(err) {
				return waymark.ReferralSnapshot{}, err
			}
		}
	}
	return waymark.TakeSnapshot(c, episodes, risk, fields), nil
}

// allShareFields is every item of the closed list, for the preview.
func allShareFields() []waymark.ShareField {
	var out []waymark.ShareField
	for _, o := range waymark.ShareFieldOptions() {
		out = append(out, waymark.ShareField(o.Value))
	}
	return out
}

// SendReferral sends a referral; see waymark.ReferralService.
func (s *ReferralService) SendReferral(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.Referral) error {
	if !actor.Can(waymark.PermEditClients) {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return err
		}
		if err := r.Validate(); err != nil {
			return err
		}
		to, err := tx.findOrg(ctx, r.ToOrgID)
		switch {
		case waymark.ErrorCode(err) == waymark.ENOTFOUND || err == nil && to.Disabled:
			return waymark.Invalid(map[string]string{"to_org_id": "Choose the organisation to refer to from the list"})
		case err != nil:
			return err
		case to.ID == c.OrgID:
			return waymark.Invalid(map[string]string{"to_org_id": "Choose another organisation: a referral goes to a partner, not your own"})
		}
		if r.SharesOnAcceptance() {
			// Checked now, so the referrer learns at once; checked again on acceptance.
			if !actor.Can(waymark.PermShareCases) {
				return waymark.Errorf(waymark.EFORBIDDEN, "Only a safeguarding lead may share parts of the record with a referral. Send it without them, or ask yours.")
			}
			if err := tx.checkShare(ctx, c, r.ShareOnAcceptance()); err != nil {
				if msg := waymark.ErrorFields(err)["partner_org_id"]; msg != "" {
					return waymark.Invalid(map[string]string{"share_sections": msg})
				}
				return err
			}
		}
		if r.Snapshot, err = tx.snapshotFor(ctx, c, r.Shared); err != nil {
			return err
		}
		snap, err := json.Marshal(r.Snapshot)
		if err != nil {
			return err
		}
		r.ID, r.ClientID, r.FromOrgID, r.ToOrgName, r.Status, r.Version = newID(), c.ID, c.OrgID, to.Name, waymark.ReferralSent, 1
		r.SentBy, r.SentAt = actor.UserID, tx.now
		// Sealed with the recipient's key: see the comment at the top of this file.
		reason, err := tx.seal(ctx, to.ID, "referrals", "reason", r.ID, r.Reason)
		if err != nil {
			return err
		}
		sealedSnap, err := tx.seal(ctx, to.ID, "referrals", "snapshot", r.ID, string(snap))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO referrals (id, client_id, from_org_id, to_org_id, directory_service_id, directory_service_name,
			reason, shared, snapshot, status, sent_by, sent_at, version, share_sections, share_purpose) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			r.ID, c.ID, c.OrgID, to.ID, r.DirectoryServiceID, r.DirectoryServiceName, reason, joinList(r.Shared), sealedSnap, r.Status,
			r.SentBy, r.SentAt, r.Version, strings.Join(sectionNames(r.ShareSections), " "), r.SharePurpose); err != nil {
			return err
		}
		// The detail names what was shared by key, never by value.
		detail := "referral " + r.ID + " to " + to.ID + "; shared: " + strings.ReplaceAll(joinList(r.Shared), "\n", ", ")
		if r.SharesOnAcceptance() {
			detail += "; to share on acceptance: " + strings.Join(sectionNames(r.ShareSections), " ") + " for " + string(r.SharePurpose)
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditReferralSent, ObjectType: "client", ObjectID: c.ID, Detail: detail})
	})
}

// FindClientReferrals lists the referrals sent about a client; see waymark.ReferralService.
func (s *ReferralService) FindClientReferrals(ctx context.Context, actor waymark.Actor, clientID string) (*waymark.ClientReferrals, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out waymark.ClientReferrals
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		out.Client = c
		if out.Preview, err = tx.snapshotFor(ctx, c, allShareFields()); err != nil {
			return nil, err
		}
		err = tx.eachRow(ctx, `SELECT `+referralColumns+` WHERE r.client_id = $1 AND r.from_org_id = $2 ORDER BY r.sent_at DESC, r.id LIMIT 200`,
			[]any{c.ID, actor.OrgID}, func(row interface{ Scan(...any) error }) error {
				r, err := tx.scanReferral(ctx, actor, row)
				if err == nil {
					out.Referrals = append(out.Referrals, r)
				}
				return err
			})
		return &waymark.AuditEntry{Action: waymark.AuditReferralListViewed, ObjectType: "client", ObjectID: c.ID, Detail: "referrals sent"}, err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CountNewInbound counts the unanswered referrals to the actor's organisation; see waymark.ReferralService.
func (s *ReferralService) CountNewInbound(ctx context.Context, actor waymark.Actor) (int, error) {
	if !actor.Can(waymark.PermViewClients) {
		return 0, forbidden()
	}
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM referrals WHERE to_org_id = $1 AND status = $2`, actor.OrgID, waymark.ReferralSent).Scan(&n)
	})
	return n, err
}

// inboundFilters are the statuses each filter of the inbound queue selects. A withdrawn referral
// is never listed: the sender has taken back what it shared.
var inboundFilters = map[string]string{
	"":         `'sent', 'accepted', 'declined', 'completed'`,
	"new":      `'sent'`,
	"accepted": `'accepted'`,
	"closed":   `'declined', 'completed'`,
}

// FindInbound lists the referrals sent to the actor's organisation; see waymark.ReferralService.
func (s *ReferralService) FindInbound(ctx context.Context, actor waymark.Actor, f waymark.ReferralFilter) ([]*waymark.Referral, int, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, 0, forbidden()
	}
	statuses, ok := inboundFilters[f.Status]
	if !ok {
		return nil, 0, waymark.Invalid(map[string]string{"status": "Choose new, accepted or closed"})
	}
	f.Page = f.Page.Normalize()
	var out []*waymark.Referral
	var total int
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		where := ` WHERE r.to_org_id = $1 AND r.status IN (` + statuses + `)`
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM referrals r`+where, actor.OrgID).Scan(&total); err != nil {
			return nil, err
		}
		var ids []string
		err := tx.eachRow(ctx, `SELECT `+referralColumns+where+` ORDER BY r.sent_at DESC, r.id LIMIT $2 OFFSET $3`,
			[]any{actor.OrgID, f.Page.Limit, f.Page.Offset}, func(row interface{ Scan(...any) error }) error {
				r, err := tx.scanReferral(ctx, actor, row)
				if err == nil {
					out = append(out, r)
					ids = append(ids, r.ID)
				}
				return err
			})
		// The queue shows what was shared about each client listed: the entry names the referrals.
		detail := "inbound " + f.Status
		if len(ids) > 0 {
			detail += "; referrals " + strings.Join(ids, " ")
		}
		return &waymark.AuditEntry{Action: waymark.AuditReferralListViewed, ObjectType: "referral", Detail: strings.TrimSpace(detail)}, err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// findReferral reads a referral of the actor's organisation, as sender or recipient. Anyone else
// finds nothing, so that its existence does not leak. A withdrawn referral is gone for the
// recipient: withdrawing is how the sender takes back what it shared, at once.
func (tx *Tx) findReferral(ctx context.Context, actor waymark.Actor, id string) (r *waymark.Referral, clientID string, err error) {
	var cid string
	err = tx.QueryRowContext(ctx, `SELECT client_id FROM referrals WHERE id = $1 AND (from_org_id = $2 OR to_org_id = $2 AND status <> 'withdrawn')`, id, actor.OrgID).Scan(&cid)
	if errNoRows(err) {
		return nil, "", notFound("referral")
	}
	if err != nil {
		return nil, "", err
	}
	r, err = tx.scanReferral(ctx, actor, tx.QueryRowContext(ctx, `SELECT `+referralColumns+` WHERE r.id = $1`, id))
	return r, cid, err
}

// FindReferral reads one referral; see waymark.ReferralService.
func (s *ReferralService) FindReferral(ctx context.Context, actor waymark.Actor, id string) (*waymark.Referral, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out *waymark.Referral
	// As for every read of personal data, the answer waits until the entries are durable.
	err := s.db.viewAuditedAll(ctx, actor, func(tx *Tx) ([]*waymark.AuditEntry, error) {
		r, clientID, err := tx.findReferral(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		out = r
		// The recipient is shown the way to the record shared on acceptance while it may read it.
		if r.ShareID != "" && r.PartyOf(actor.OrgID) == waymark.PartyRecipient && actor.Can(waymark.PermViewSharedClients) {
			_, _, err := tx.activeShare(ctx, actor, r.ShareID)
			if err != nil && waymark.ErrorCode(err) != waymark.ENOTFOUND {
				return nil, err
			}
			r.ShareActive = err == nil
		}
		return referralEntries(actor, r, clientID, waymark.AuditReferralViewed), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// referralEntries are the audit entries of a read of, or change to, a referral. The sender's are
// against its client. The recipient's name the referral only, never the sender's client ID (the
// recipient is never told it); and the sending organisation, whose data it is, gets an entry of its
// own against its client, so that its audit log shows the recipient's every read and answer.
func referralEntries(actor waymark.Actor, r *waymark.Referral, clientID, action string) []*waymark.AuditEntry {
	if actor.OrgID == r.FromOrgID {
		return []*waymark.AuditEntry{{Action: action, ObjectType: "client", ObjectID: clientID, Detail: "referral " + r.ID}}
	}
	return []*waymark.AuditEntry{
		{Action: action, ObjectType: "referral", ObjectID: r.ID, Detail: "referral " + r.ID + " received"},
		{Action: action, OrgID: r.FromOrgID, ObjectType: "client", ObjectID: clientID, Detail: "referral " + r.ID + " by the receiving organisation " + r.ToOrgID},
	}
}

// auditAll appends the entries in order.
func (tx *Tx) auditAll(ctx context.Context, actor waymark.Actor, entries []*waymark.AuditEntry) error {
	for _, e := range entries {
		if err := tx.audit(ctx, actor, e); err != nil {
			return err
		}
	}
	return nil
}

// referralAudit is the audit action of each change.
var referralAudit = map[waymark.ReferralAction]string{
	waymark.ReferralAccept: waymark.AuditReferralAccepted, waymark.ReferralDecline: waymark.AuditReferralDeclined,
	waymark.ReferralComplete: waymark.AuditReferralCompleted, waymark.ReferralWithdraw: waymark.AuditReferralWithdrawn,
}

// ActOnReferral changes a referral's status; see waymark.ReferralService.
func (s *ReferralService) ActOnReferral(ctx context.Context, actor waymark.Actor, id string, version int, a waymark.ReferralAction, reason string) (*waymark.Referral, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, forbidden()
	}
	var out *waymark.Referral
	err := s.db.update(ctx, func(tx *Tx) error {
		// Found first, so that another organisation's referral is not even locked; then read
		// again under the lock: on PostgreSQL another change may have committed meanwhile.
		if _, _, err := tx.findReferral(ctx, actor, id); err != nil {
			return err
		}
		if err := tx.lockRow(ctx, "referrals", id); err != nil {
			return err
		}
		r, clientID, err := tx.findReferral(ctx, actor, id)
		if err != nil {
			return err
		}
		to, err := waymark.Transition(r.Status, a, r.PartyOf(actor.OrgID), reason)
		if err != nil {
			return err
		}
		if r.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this referral while you were reading it. Nothing has been saved: read it as it is now, then try again.")
		}
		reason = strings.TrimSpace(reason)
		var set string
		args := []any{to, actor.UserID, tx.now}
		switch a {
		case waymark.ReferralAccept:
			set = `accepted_by = $2, accepted_at = $3`
		case waymark.ReferralComplete:
			set = `completed_by = $2, completed_at = $3`
		case waymark.ReferralDecline, waymark.ReferralWithdraw:
			column := "decline_reason"
			set = `declined_by = $2, declined_at = $3, decline_reason = $4`
			if a == waymark.ReferralWithdraw {
				column = "withdraw_reason"
				set = `withdrawn_by = $2, withdrawn_at = $3, withdraw_reason = $4`
			}
			sealed, err := tx.seal(ctx, r.ToOrgID, "referrals", column, r.ID, reason)
			if err != nil {
				return err
			}
			args = append(args, sealed)
		}
		n := len(args)
		args = append(args, r.ID, version)
		res, err := tx.ExecContext(ctx, `UPDATE referrals SET status = $1, `+set+`, version = version + 1 WHERE id = $`+itoa(n+1)+` AND version = $`+itoa(n+2), args...)
		if err != nil {
			return err
		}
		if changed, err := res.RowsAffected(); err != nil || changed != 1 {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this referral while you were reading it. Nothing has been saved: read it as it is now, then try again.")
		}
		if err := tx.auditAll(ctx, actor, referralEntries(actor, r, clientID, referralAudit[a])); err != nil {
			return err
		}
		if a == waymark.ReferralAccept && r.SharesOnAcceptance() {
			if err := tx.shareOnAcceptance(ctx, actor, r, clientID); err != nil {
				return err
			}
		}
		out, _, err = tx.findReferral(ctx, actor, id)
		return err
	})
	return out, err
}

// shareOnAcceptance makes the share a referral asks for, as its referrer chose it, now that the
// recipient accepted. Should the agreement or the consent no longer cover it, or the record be
// shared with the recipient already, the acceptance stands, no share is made, and the referral
// says why to both organisations.
func (tx *Tx) shareOnAcceptance(ctx context.Context, actor waymark.Actor, r *waymark.Referral, clientID string) error {
	c, err := tx.findClient(ctx, waymark.Actor{OrgID: r.FromOrgID}, clientID)
	if err != nil {
		return err
	}
	sh := r.ShareOnAcceptance()
	if err := sh.Validate(); err != nil {
		return err
	}
	block, err := tx.shareBlocked(ctx, c, sh)
	if err != nil {
		return err
	}
	if block == "" {
		// A revocation since the referral was sent stands: the owner stopped sharing with the
		// recipient after choosing what to share on acceptance.
		var revoked int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM case_shares WHERE client_id = $1 AND partner_org_id = $2 AND revoked_at > $3`,
			c.ID, r.ToOrgID, r.SentAt).Scan(&revoked); err != nil {
			return err
		}
		if revoked > 0 {
			block = blockRevokedSince
		}
	}
	if block != "" {
		// Words for both sides: neither is "your organisation" here.
		refusal := "Not shared: " + map[shareBlock]string{
			blockPartnerUnknown: r.ToOrgName + " no longer uses Waymark.",
			blockOwnOrg:         "the record is already this organisation's.",
			blockAlreadyShared:  "the record was already shared with " + r.ToOrgName + "; that sharing stands as it is.",
			blockNoAgreement: "no data sharing agreement in force between " + r.FromOrgName + " and " + r.ToOrgName + " covers " +
				strings.ToLower(sh.Purpose.Label()) + " now.",
			blockNoConsent: "the person's consent (or another lawful basis) no longer covers sharing with " + r.ToOrgName + ".",
			blockRevokedSince: r.FromOrgName + " stopped sharing the record with " + r.ToOrgName + " after the referral was sent; " +
				"ask them to share it again if it is still right.",
		}[block]
		_, err := tx.ExecContext(ctx, `UPDATE referrals SET share_refusal = $1 WHERE id = $2`, refusal, r.ID)
		return err
	}
	// Shared by the referrer who chose what to share.
	if err := tx.createShare(ctx, c, sh, r.SentBy); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE referrals SET share_id = $1 WHERE id = $2`, sh.ID, r.ID); err != nil {
		return err
	}
	// In the owner's log against its client, as any share is, made by the referrer who chose it
	// (the recipient's member of staff only accepted); and in the recipient's log, against the
	// share it may now read.
	return tx.auditAll(ctx, actor, []*waymark.AuditEntry{
		{Action: waymark.AuditCaseShared, ObjectType: "client", ObjectID: c.ID, OrgID: c.OrgID, ActorUserID: r.SentBy, ActorLabel: "on acceptance of referral",
			Addr: "-", Detail: shareDetail(sh) + "; shared on acceptance of referral " + r.ID},
		{Action: waymark.AuditCaseShared, ObjectType: "share", ObjectID: sh.ID, Detail: "shared with this organisation on its acceptance of referral " + r.ID},
	})
}
