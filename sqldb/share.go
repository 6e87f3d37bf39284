package sqldb

import (
	"context"
	"strings"
	"unicode/utf8"

	"waymark"
)

// ShareService implements waymark.ShareService.
type ShareService struct{ db *DB }

// NewShareService returns the case sharing service.
func NewShareService(db *DB) *ShareService { return &ShareService{db: db} }

var _ waymark.ShareService = (*ShareService)(nil)

const shareColumns = `s.id, s.client_id, s.owner_org_id, COALESCE(o.name, ''), s.partner_org_id, COALESCE(p.name, ''), COALESCE(p.disabled, FALSE), s.purpose,
	s.sections, s.shared_by, COALESCE(u.name, ''), s.shared_at, s.revoked_at, s.revoked_by, s.revoke_reason, s.allow_contributions
	FROM case_shares s LEFT JOIN organisations o ON o.id = s.owner_org_id LEFT JOIN organisations p ON p.id = s.partner_org_id
	LEFT JOIN users u ON u.id = s.shared_by`

// scanShare reads a share, and whether its partner organisation is disabled, and then into more
// any columns a query adds after shareColumns.
func (tx *Tx) scanShare(ctx context.Context, row interface{ Scan(...any) error }, more ...any) (*waymark.CaseShare, bool, error) {
	var s waymark.CaseShare
	var sections string
	var disabled bool
	var at, revoked nullTime
	var reason []byte
	if err := row.Scan(append([]any{&s.ID, &s.ClientID, &s.OwnerOrgID, &s.OwnerOrgName, &s.PartnerOrgID, &s.PartnerOrgName, &disabled, &s.Purpose, &sections,
		&s.SharedBy, &s.SharedByName, &at, &revoked, &s.RevokedBy, &reason, &s.AllowContributions}, more...)...); err != nil {
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

// shareState works out whether a share lets its partner see the record today, given the client's
// consent position.
func (tx *Tx) shareState(ctx context.Context, s *waymark.CaseShare, partnerDisabled bool, consent waymark.ConsentPosition) (waymark.ShareState, error) {
	if s.RevokedAt != nil || partnerDisabled {
		return waymark.ShareStateFor(s, partnerDisabled, false, consent), nil
	}
	covered, err := tx.agreementCovers(ctx, s.OwnerOrgID, s.PartnerOrgID, s.Purpose, waymark.Today(tx.now))
	if err != nil {
		return "", err
	}
	return waymark.ShareStateFor(s, false, covered, consent), nil
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
		if err := tx.createShare(ctx, c, sh, actor.UserID); err != nil {
			return "", err
		}
		return shareDetail(sh), nil
	})
}

// shareDetail is the audit detail of a new share: by keys, never values.
func shareDetail(sh *waymark.CaseShare) string {
	d := "share " + sh.ID + " with organisation " + sh.PartnerOrgID + ": " + strings.Join(sectionNames(sh.Sections), " ")
	if sh.AllowContributions {
		d += "; the partner may add notes and support"
	}
	return d
}

// shareBlock is why a share cannot be made now, or "" when it can.
type shareBlock string

// The reasons a share cannot be made.
const (
	blockPartnerUnknown shareBlock = "partner_unknown"
	blockOwnOrg         shareBlock = "own_org"
	blockAlreadyShared  shareBlock = "already_shared"
	blockNoAgreement    shareBlock = "no_agreement"
	blockNoConsent      shareBlock = "no_consent"
	// blockRevokedSince: a referral's share on acceptance, when the owner revoked a share with the
	// recipient after sending it.
	blockRevokedSince shareBlock = "revoked_since"
)

// shareBlocked says why a validated share of the client cannot be made now, or "" when it can: the
// partner must be another enabled organisation with no open share of the client, an agreement in
// force must cover the two organisations for the purpose, and the client's consent (or another
// lawful basis) must cover sharing with the partner. It fills in the share's client, owner and,
// when found, partner's name.
func (tx *Tx) shareBlocked(ctx context.Context, c *waymark.Client, sh *waymark.CaseShare) (shareBlock, error) {
	partner, err := tx.findOrg(ctx, sh.PartnerOrgID)
	switch {
	case waymark.ErrorCode(err) == waymark.ENOTFOUND || err == nil && partner.Disabled:
		return blockPartnerUnknown, nil
	case err != nil:
		return "", err
	case partner.ID == c.OrgID:
		return blockOwnOrg, nil
	}
	sh.ClientID, sh.OwnerOrgID, sh.PartnerOrgName = c.ID, c.OrgID, partner.Name
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM case_shares WHERE client_id = $1 AND partner_org_id = $2 AND revoked_at IS NULL`, c.ID, partner.ID).Scan(&open); err != nil {
		return "", err
	}
	if open > 0 {
		return blockAlreadyShared, nil
	}
	consent, err := tx.consentPosition(ctx, c)
	if err != nil {
		return "", err
	}
	switch state, err := tx.shareState(ctx, sh, false, consent); {
	case err != nil:
		return "", err
	case state == waymark.ShareNoAgreement:
		return blockNoAgreement, nil
	case state == waymark.ShareConsentEnded:
		return blockNoConsent, nil
	}
	return "", nil
}

// checkShare refuses a share the actor's organisation may not make now (see shareBlocked) with
// EINVALID on the field partner_org_id and a message that says what to do.
func (tx *Tx) checkShare(ctx context.Context, c *waymark.Client, sh *waymark.CaseShare) error {
	block, err := tx.shareBlocked(ctx, c, sh)
	if err != nil || block == "" {
		return err
	}
	msg := map[shareBlock]string{
		blockPartnerUnknown: "Choose an organisation from the list",
		blockOwnOrg:         "Choose another organisation: yours keeps the record",
		blockAlreadyShared:  "The record is already shared with " + sh.PartnerOrgName + ": revoke that sharing first to change what is shared",
		blockNoAgreement: "No data sharing agreement in force between your organisation and " + sh.PartnerOrgName +
			" covers " + strings.ToLower(sh.Purpose.Label()) + ". Ask your organisation admin to record one first.",
		blockNoConsent: "The person has not consented to their record being shared with " + sh.PartnerOrgName +
			", and no other lawful basis is recorded. Record their consent (or, for a safeguarding lead, another lawful basis) first.",
	}[block]
	return waymark.Invalid(map[string]string{"partner_org_id": msg})
}

// createShare checks (see checkShare) and writes a validated share of the client, made by the user
// sharedBy. The caller audits it.
func (tx *Tx) createShare(ctx context.Context, c *waymark.Client, sh *waymark.CaseShare, sharedBy string) error {
	sh.ID, sh.SharedBy, sh.SharedAt = newID(), sharedBy, tx.now
	if err := tx.checkShare(ctx, c, sh); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_shares (id, client_id, owner_org_id, partner_org_id, purpose, sections, shared_by, shared_at, allow_contributions)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sh.ID, c.ID, c.OrgID, sh.PartnerOrgID, sh.Purpose, strings.Join(sectionNames(sh.Sections), " "), sh.SharedBy, sh.SharedAt,
		sh.AllowContributions)
	if err != nil && tx.db.engine.classify(err) == errUnique {
		// Shared with the partner a moment ago by someone else: the one open share stands.
		return waymark.Invalid(map[string]string{"partner_org_id": "The record has just been shared with " + sh.PartnerOrgName + " by someone else: read the sharing page again"})
	}
	return err
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
		if utf8.RuneCountInString(reason) > 2000 {
			return "", waymark.Invalid(map[string]string{"reason": "The reason must be 2,000 characters or fewer"})
		}
		// Two revocations at once: the second waits here and then finds it revoked.
		if err := tx.lockRow(ctx, "case_shares", shareID); err != nil {
			return "", err
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
		// Every share is of this one client: its consent is read once.
		consent, err := tx.consentPosition(ctx, c)
		if err != nil {
			return nil, err
		}
		for i, sh := range shares {
			state, err := tx.shareState(ctx, sh, disabled[i], consent)
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
	consent, err := tx.consentPosition(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	state, err := tx.shareState(ctx, sh, disabled, consent)
	if err != nil {
		return nil, nil, err
	}
	if state != waymark.ShareActive {
		return nil, nil, notFound("shared record")
	}
	return sh, c, nil
}

// FindSharedWithMe lists a page of the active shares with the actor's organisation; see
// waymark.ShareService. A region's partners may hold thousands of shares, so the list is read in a
// constant number of queries: the open shares with their clients' names, the consent records of
// those clients, and each owner's agreements once per purpose.
func (s *ShareService) FindSharedWithMe(ctx context.Context, actor waymark.Actor, p waymark.Page) ([]*waymark.CaseShare, []string, int, error) {
	if !actor.Can(waymark.PermViewSharedClients) || actor.OrgID == "" {
		return nil, nil, 0, forbidden()
	}
	p = p.Normalize()
	var shares []*waymark.CaseShare
	var names []string
	var total int
	err := s.db.viewAuditedAll(ctx, actor, func(tx *Tx) ([]*waymark.AuditEntry, error) {
		// Every open share is looked at: those stopped by consent or an agreement are left out
		// here, not by a limit that would let them crowd out active ones.
		type open struct {
			share    *waymark.CaseShare
			disabled bool
			client   waymark.Client
		}
		var list []open
		if err := tx.eachRow(ctx, `SELECT `+strings.Replace(shareColumns, "FROM case_shares s", `, c.given_name, c.family_name, c.known_as
			FROM case_shares s JOIN clients c ON c.id = s.client_id AND c.org_id = s.owner_org_id`, 1)+`
			WHERE s.partner_org_id = $1 AND s.revoked_at IS NULL ORDER BY s.shared_at DESC, s.id`, []any{actor.OrgID},
			func(row interface{ Scan(...any) error }) error {
				var o open
				var knownAs string
				var err error
				o.share, o.disabled, err = tx.scanShare(ctx, row, &o.client.GivenName, &o.client.FamilyName, &knownAs)
				o.client.ID, o.client.OrgID, o.client.KnownAs = o.share.ClientID, o.share.OwnerOrgID, splitList(knownAs)
				list = append(list, o)
				return err
			}); err != nil {
			return nil, err
		}
		consents, err := tx.consentsSharedWith(ctx, actor.OrgID)
		if err != nil {
			return nil, err
		}
		today := waymark.Today(tx.now)
		covers := map[string]bool{}
		var active []open
		for _, o := range list {
			key := o.share.OwnerOrgID + " " + string(o.share.Purpose)
			covered, known := covers[key]
			if !known && !o.disabled {
				if covered, err = tx.agreementCovers(ctx, o.share.OwnerOrgID, actor.OrgID, o.share.Purpose, today); err != nil {
					return nil, err
				}
				covers[key] = covered
			}
			consent := waymark.ConsentPositionOf(consents[o.share.ClientID], today)
			if waymark.ShareStateFor(o.share, o.disabled, covered, consent) == waymark.ShareActive {
				active = append(active, o)
			}
		}
		total = len(active)
		var shown []string
		var entries []*waymark.AuditEntry
		for _, o := range active[min(p.Offset, total):min(p.Offset+p.Limit, total)] {
			name := ""
			if o.share.Shows(waymark.SectionIdentity) {
				// The list names the person: the owner's log records that, as a read does.
				name = o.client.DisplayName()
				entries = append(entries, &waymark.AuditEntry{Action: waymark.AuditSharedListViewed, ObjectType: "client", ObjectID: o.client.ID, OrgID: o.share.OwnerOrgID,
					Detail: "named in the list of records shared with organisation " + actor.OrgID})
			}
			shares, names, shown = append(shares, o.share), append(names, name), append(shown, o.share.ID)
		}
		return append([]*waymark.AuditEntry{{Action: waymark.AuditSharedListViewed, ObjectType: "share", Detail: "shares shown: " + strings.Join(shown, " ")}}, entries...), nil
	})
	if err != nil {
		return nil, nil, 0, err
	}
	return shares, names, total, nil
}

// FindSharedRecord reads what an active share shows; see waymark.ShareService.
func (s *ShareService) FindSharedRecord(ctx context.Context, actor waymark.Actor, shareID string) (*waymark.SharedRecord, error) {
	if !actor.Can(waymark.PermViewSharedClients) || actor.OrgID == "" {
		return nil, notFound("shared record")
	}
	var rec *waymark.SharedRecord
	err := s.db.viewAuditedAll(ctx, actor, func(tx *Tx) ([]*waymark.AuditEntry, error) {
		sh, c, err := tx.activeShare(ctx, actor, shareID)
		if err != nil {
			return nil, err
		}
		if rec, err = tx.sharedRecord(ctx, sh, c); err != nil {
			return nil, err
		}
		// What the reader's own organisation added, and never another partner's.
		if rec.Contributions, err = tx.partnerContributions(ctx, c, actor.OrgID); err != nil {
			return nil, err
		}
		// The partner's read is recorded in its own log against the share, and in the owner's
		// against the client, so the owner sees who has seen the record.
		detail := "sections: " + strings.Join(sectionNames(sh.Sections), " ")
		return []*waymark.AuditEntry{
			{Action: waymark.AuditSharedRecordViewed, ObjectType: "share", ObjectID: sh.ID, Detail: detail},
			{Action: waymark.AuditSharedRecordViewed, ObjectType: "client", ObjectID: c.ID, OrgID: sh.OwnerOrgID, Detail: "by organisation " + actor.OrgID + "; " + detail},
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// sharedRecord builds what the share shows of the client: only the sections shared and, within
// them, only the fields waymark.SharedRecord lists.
func (tx *Tx) sharedRecord(ctx context.Context, sh *waymark.CaseShare, c *waymark.Client) (*waymark.SharedRecord, error) {
	rec := &waymark.SharedRecord{Share: sh}
	identity := sh.Shows(waymark.SectionIdentity)
	if identity {
		rec.Client = waymark.IdentityOnly(c)
	}
	if sh.Shows(waymark.SectionHistory) {
		episodes, err := tx.episodes(ctx, c.OrgID, c.ID)
		if err != nil {
			return nil, err
		}
		h := &waymark.SharedHistory{}
		for _, e := range episodes {
			x := waymark.SharedEpisode{Types: e.Types, Start: e.Start, End: e.End, Recency: e.Recency, Ongoing: e.Ongoing, Under18: e.Under18, Location: e.Location}
			if identity {
				x.Narrative = e.Narrative
			}
			h.Episodes = append(h.Episodes, x)
		}
		var at nullTime
		err = tx.QueryRowContext(ctx, `SELECT level, assessed_at FROM risk_assessments WHERE client_id = $1 AND org_id = $2 ORDER BY assessed_at DESC, id LIMIT 1`,
			c.ID, c.OrgID).Scan(&h.RiskLevel, &at)
		if err != nil && !errNoRows(err) {
			return nil, err
		}
		h.RiskOn = waymark.Today(at.t)
		if at.t.IsZero() {
			h.RiskOn = ""
		}
		rec.History = h
	}
	if sh.Shows(waymark.SectionPathway) {
		j, err := tx.journey(ctx, c)
		if err != nil {
			return nil, err
		}
		p := &waymark.SharedPathway{}
		for _, r := range j.Referrals {
			p.ReferredOn = append(p.ReferredOn, r.SubmittedOn)
		}
		for _, d := range j.Decisions {
			p.Decisions = append(p.Decisions, waymark.SharedDecision{Stage: d.Stage, Outcome: d.Outcome, DecidedOn: d.DecidedOn})
		}
		for _, m := range j.Milestones {
			p.Milestones = append(p.Milestones, waymark.SharedMilestone{Kind: m.Kind, On: m.On})
		}
		for _, d := range j.DutyToNotify {
			p.DutyToNotify = append(p.DutyToNotify, d.SubmittedOn)
		}
		rec.Pathway = p
	}
	if sh.Shows(waymark.SectionSupport) {
		actions, err := tx.supportLog(ctx, c.OrgID, c.ID)
		if err != nil {
			return nil, err
		}
		housing, err := tx.housingHistory(ctx, c.OrgID, c.ID)
		if err != nil {
			return nil, err
		}
		s := &waymark.SharedSupport{}
		for _, a := range actions {
			// The provider typed in, rather than chosen from the region's organisations, is free
			// text that may name a place or a person: only with who they are.
			provider := a.ProviderOrgName
			if identity {
				provider = a.Provider()
			}
			s.Actions = append(s.Actions, waymark.SharedSupportAction{Type: a.Type, Provider: provider, Start: a.Start, End: a.End, Outcome: a.Outcome})
		}
		for _, e := range housing {
			s.Housing = append(s.Housing, waymark.SharedHousing{Situation: e.Situation, From: e.From, To: e.To})
		}
		rec.Support = s
	}
	if sh.Shows(waymark.SectionMoveOn) {
		mo, err := tx.moveOn(ctx, c)
		if err != nil {
			return nil, err
		}
		m := &waymark.SharedMoveOn{SupportEndsOn: mo.SupportEnd.On}
		if p := mo.Plan; p != nil {
			m.AccommodationType, m.AccommodationStatus, m.HousingDuty, m.Benefits = p.AccommodationType, p.AccommodationStatus, p.HousingDuty, p.Benefits
			m.GPRegistered, m.Employment = p.GPRegistered, p.Employment
		}
		for _, f := range mo.FollowUps {
			if u := f.Record; u != nil {
				m.FollowUps = append(m.FollowUps, waymark.SharedFollowUp{Months: u.Months, DueOn: u.DueOn, Contacted: u.Contacted,
					StableAccommodation: u.StableAccommodation, RoughSleeping: u.RoughSleeping, ReExploited: u.ReExploited, InContact: u.InContact})
			}
		}
		rec.MoveOn = m
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
		return tx.eachRow(ctx, `SELECT a.at, a.action, COALESCE(u.name, ''), COALESCE(o.name, '') FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
			LEFT JOIN organisations o ON o.id = u.org_id
			WHERE a.org_id = $1 AND a.object_type = 'client' AND a.object_id = $2 AND a.action IN ($3, $4, $5) ORDER BY a.seq DESC LIMIT 200`,
			[]any{c.OrgID, c.ID, waymark.AuditSharedRecordViewed, waymark.AuditSharedListViewed, waymark.AuditConferenceCaseSeen}, func(row interface{ Scan(...any) error }) error {
				var v waymark.RecordView
				var at nullTime
				var action string
				err := row.Scan(&at, &action, &v.UserName, &v.OrgName)
				v.At, v.Listed, v.Conference = at.t, action == waymark.AuditSharedListViewed, action == waymark.AuditConferenceCaseSeen
				out = append(out, v)
				return err
			})
	})
	return out, err
}
