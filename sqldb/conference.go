package sqldb

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"waymark"
)

// ConferenceService implements waymark.ConferenceService.
type ConferenceService struct{ db *DB }

// NewConferenceService returns the case conference service.
func NewConferenceService(db *DB) *ConferenceService { return &ConferenceService{db: db} }

var _ waymark.ConferenceService = (*ConferenceService)(nil)

const conferenceColumns = `c.id, c.chair_org_id, COALESCE(o.name, ''), c.title, c.held_on, c.status, c.created_by, c.created_at, c.version
	FROM conferences c LEFT JOIN organisations o ON o.id = c.chair_org_id`

// attendsIs is the condition that the organisation in placeholder $n attends the conference c.
func attendsIs(n int) string {
	return `EXISTS (SELECT 1 FROM conference_orgs m WHERE m.conference_id = c.id AND m.org_id = $` + itoa(n) + `)`
}

// conferencesWhere reads the conferences that cond (on c, with args) picks, each with its
// attendees in order; the same condition picks the attendees' rows.
func (tx *Tx) conferencesWhere(ctx context.Context, cond string, args ...any) ([]*waymark.Conference, error) {
	var out []*waymark.Conference
	byID := map[string]*waymark.Conference{}
	if err := tx.eachRow(ctx, `SELECT `+conferenceColumns+` WHERE `+cond, args, func(row interface{ Scan(...any) error }) error {
		var c waymark.Conference
		var at nullTime
		if err := row.Scan(&c.ID, &c.ChairOrgID, &c.ChairOrgName, &c.Title, &c.HeldOn, &c.Status, &c.CreatedBy, &at, &c.Version); err != nil {
			return err
		}
		c.CreatedAt = at.t
		out, byID[c.ID] = append(out, &c), &c
		return nil
	}); err != nil || len(out) == 0 {
		return nil, err
	}
	err := tx.eachRow(ctx, `SELECT p.conference_id, p.org_id, o.name FROM conference_orgs p JOIN organisations o ON o.id = p.org_id
		WHERE p.conference_id IN (SELECT c.id FROM conferences c WHERE `+cond+`) ORDER BY p.conference_id, p.position`, args,
		func(row interface{ Scan(...any) error }) error {
			var id, orgID, name string
			if err := row.Scan(&id, &orgID, &name); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.AttendingOrgIDs, c.AttendingOrgNames = append(c.AttendingOrgIDs, orgID), append(c.AttendingOrgNames, name)
			}
			return nil
		})
	return out, err
}

// findConference reads a conference the actor's organisation attends; any other is not found, so
// that nobody learns which conferences other organisations hold.
func (tx *Tx) findConference(ctx context.Context, actor waymark.Actor, id string) (*waymark.Conference, error) {
	if actor.OrgID == "" {
		return nil, notFound("conference")
	}
	list, err := tx.conferencesWhere(ctx, `c.id = $1 AND `+attendsIs(2), id, actor.OrgID)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("conference")
	}
	return list[0], nil
}

// orgMaySeeClient works out how much of a client the organisation may see at a conference today:
// everything when it keeps the record, what an active share with it for a purpose a panel serves
// (waymark.ConferencePurposes) shows, or nothing. consent is the client's consent position, read
// once by the caller.
func (tx *Tx) orgMaySeeClient(ctx context.Context, c *waymark.Client, orgID string, consent waymark.ConsentPosition) (waymark.CaseVisibility, []waymark.ShareSection, error) {
	if c.OrgID == orgID {
		return waymark.CaseOwned, nil, nil
	}
	sh, disabled, err := tx.scanShare(ctx, tx.QueryRowContext(ctx, `SELECT `+shareColumns+` WHERE s.client_id = $1 AND s.owner_org_id = $2
		AND s.partner_org_id = $3 AND s.revoked_at IS NULL`, c.ID, c.OrgID, orgID))
	if errNoRows(err) {
		return waymark.CaseNotShared, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	state, err := tx.shareState(ctx, sh, disabled, consent)
	switch {
	case err != nil:
		return "", nil, err
	case state != waymark.ShareActive || !slices.Contains(waymark.ConferencePurposes, sh.Purpose):
		return waymark.CaseNotShared, nil, nil
	case sh.Shows(waymark.SectionIdentity):
		return waymark.CaseSharedNamed, sh.Sections, nil
	}
	return waymark.CaseShared, sh.Sections, nil
}

// agendaCase is a case on an agenda with its client, as one organisation may see it.
type agendaCase struct {
	*waymark.ConferenceCase
	client *waymark.Client
}

// agenda reads a conference's cases (or the one of clientID, when set), each labelled for the
// viewer. Staff of the owner who see no client records (partner users of an organisation that also
// keeps records) see its cases as not shared with them.
func (tx *Tx) agenda(ctx context.Context, conf *waymark.Conference, viewer waymark.Actor, clientID string) ([]agendaCase, error) {
	type row struct {
		clientID, ownerOrgID, ownerName string
		at                              nullTime
		without                         bool
		reason                          []byte
	}
	var rows []row
	q := `SELECT k.client_id, k.owner_org_id, COALESCE(o.name, ''), k.added_at, k.without_sharing, k.reason FROM conference_cases k
		LEFT JOIN organisations o ON o.id = k.owner_org_id WHERE k.conference_id = $1`
	args := []any{conf.ID}
	if clientID != "" {
		q, args = q+` AND k.client_id = $2`, append(args, clientID)
	}
	if err := tx.eachRow(ctx, q+` ORDER BY k.added_at, k.client_id`, args, func(r interface{ Scan(...any) error }) error {
		var x row
		err := r.Scan(&x.clientID, &x.ownerOrgID, &x.ownerName, &x.at, &x.without, &x.reason)
		rows = append(rows, x)
		return err
	}); err != nil {
		return nil, err
	}
	var out []agendaCase
	for _, x := range rows {
		c, err := tx.findClient(ctx, waymark.Actor{OrgID: x.ownerOrgID}, x.clientID)
		if err != nil {
			return nil, err
		}
		consent, err := tx.consentPosition(ctx, c)
		if err != nil {
			return nil, err
		}
		vis, sections, err := tx.orgMaySeeClient(ctx, c, viewer.OrgID, consent)
		if err != nil {
			return nil, err
		}
		if vis == waymark.CaseOwned && !viewer.Can(waymark.PermViewClients) {
			vis = waymark.CaseNotShared
		}
		cc := &waymark.ConferenceCase{ConferenceID: conf.ID, OwnerOrgID: x.ownerOrgID, OwnerOrgName: x.ownerName, AddedAt: x.at.t,
			WithoutSharing: x.without, Visibility: vis, Sections: sections}
		if vis.MaySee() {
			cc.ClientID = c.ID
			if cc.Reason, err = tx.open(ctx, c.OrgID, "conference_cases", "reason", conf.ID+"/"+c.ID, x.reason); err != nil {
				return nil, err
			}
		}
		if vis == waymark.CaseOwned || vis == waymark.CaseSharedNamed {
			cc.ClientName = c.DisplayName()
		}
		out = append(out, agendaCase{cc, c})
	}
	return out, nil
}

// visibleCase reads one case of a conference the actor's organisation attends, or ENOTFOUND when
// it is not on the agenda or the organisation may not see it today.
func (tx *Tx) visibleCase(ctx context.Context, actor waymark.Actor, conferenceID, clientID string) (*waymark.Conference, agendaCase, error) {
	conf, err := tx.findConference(ctx, actor, conferenceID)
	if err != nil {
		return nil, agendaCase{}, err
	}
	cases, err := tx.agenda(ctx, conf, actor, clientID)
	if err != nil {
		return nil, agendaCase{}, err
	}
	if len(cases) == 0 || !cases[0].Visibility.MaySee() {
		return nil, agendaCase{}, notFound("case")
	}
	return conf, cases[0], nil
}

const actionColumns = `a.id, a.conference_id, a.client_id, a.body, a.owner_org_id, COALESCE(o.name, ''), a.owner, a.due_on, a.status, a.version, a.updated_at
	FROM conference_actions a LEFT JOIN organisations o ON o.id = a.owner_org_id`

// actions reads the actions of a case (clientID set) or of the whole conference (""), soonest due
// first; keyOrg is the organisation whose key seals them.
func (tx *Tx) actions(ctx context.Context, conferenceID, clientID, keyOrg string) ([]*waymark.ConferenceAction, error) {
	var out []*waymark.ConferenceAction
	err := tx.eachRow(ctx, `SELECT `+actionColumns+` WHERE a.conference_id = $1 AND a.client_id = $2 ORDER BY a.due_on, a.created_at, a.id`,
		[]any{conferenceID, clientID}, func(row interface{ Scan(...any) error }) error {
			a, err := tx.scanAction(ctx, row, keyOrg)
			out = append(out, a)
			return err
		})
	return out, err
}

func (tx *Tx) scanAction(ctx context.Context, row interface{ Scan(...any) error }, keyOrg string) (*waymark.ConferenceAction, error) {
	var a waymark.ConferenceAction
	var body []byte
	var at nullTime
	if err := row.Scan(&a.ID, &a.ConferenceID, &a.ClientID, &body, &a.OwnerOrgID, &a.OwnerOrgName, &a.Owner, &a.DueOn, &a.Status, &a.Version, &at); err != nil {
		return nil, err
	}
	a.UpdatedAt = at.t
	var err error
	a.Text, err = tx.open(ctx, keyOrg, "conference_actions", "body", a.ID, body)
	return &a, err
}

// conferenceAudit is the audit entry of a change to a conference: its ID, date and attendees.
func conferenceAudit(action string, c *waymark.Conference) *waymark.AuditEntry {
	return &waymark.AuditEntry{Action: action, ObjectType: "conference", ObjectID: c.ID,
		Detail: "held on " + c.HeldOn + ", " + string(c.Status) + "; attending: " + strings.Join(c.AttendingOrgIDs, " ")}
}

// checkConference validates a conference and reads its attendees' names.
func (tx *Tx) checkConference(ctx context.Context, c *waymark.Conference, kept []string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.AttendingOrgNames = make([]string, len(c.AttendingOrgIDs))
	for i, id := range c.AttendingOrgIDs {
		o, err := tx.findOrg(ctx, id)
		switch {
		// An attendee that has since left Waymark stays on a conference it was already attending,
		// so that the chair can still change it; none can be added.
		case waymark.ErrorCode(err) == waymark.ENOTFOUND || err == nil && o.Disabled && !slices.Contains(kept, id):
			return waymark.Invalid(map[string]string{"org_ids": "Choose the organisations attending from the list of the region's organisations"})
		case err != nil:
			return err
		}
		c.AttendingOrgNames[i] = o.Name
		if id == c.ChairOrgID {
			c.ChairOrgName = o.Name
		}
	}
	return nil
}

// writeAttendees replaces the conference's attendees with c's, in order.
func (tx *Tx) writeAttendees(ctx context.Context, c *waymark.Conference) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM conference_orgs WHERE conference_id = $1`, c.ID); err != nil {
		return err
	}
	for i, id := range c.AttendingOrgIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO conference_orgs (conference_id, org_id, position) VALUES ($1, $2, $3)`, c.ID, id, i); err != nil {
			return err
		}
	}
	return nil
}

// CreateConference records a conference chaired by the actor's organisation; see waymark.ConferenceService.
func (s *ConferenceService) CreateConference(ctx context.Context, actor waymark.Actor, c *waymark.Conference) error {
	if !actor.Can(waymark.PermManageConferences) || actor.OrgID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c.ChairOrgID = actor.OrgID
		if err := tx.checkConference(ctx, c, nil); err != nil {
			return err
		}
		c.ID, c.CreatedBy, c.CreatedAt, c.Version = newID(), actor.UserID, tx.now, 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO conferences (id, chair_org_id, title, held_on, status, created_by, created_at, version, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, c.ChairOrgID, c.Title, c.HeldOn, c.Status, c.CreatedBy, c.CreatedAt, c.Version,
			actor.UserID, tx.now); err != nil {
			return err
		}
		if err := tx.writeAttendees(ctx, c); err != nil {
			return err
		}
		return tx.audit(ctx, actor, conferenceAudit(waymark.AuditConferenceCreated, c))
	})
}

// UpdateConference changes a conference the actor's organisation chairs; see waymark.ConferenceService.
func (s *ConferenceService) UpdateConference(ctx context.Context, actor waymark.Actor, id string, version int, c *waymark.Conference) error {
	if !actor.Can(waymark.PermManageConferences) || actor.OrgID == "" {
		return forbidden()
	}
	return s.db.update(ctx, func(tx *Tx) error {
		// Found first, so that another organisation's conference is not even locked.
		if _, err := tx.findConference(ctx, actor, id); err != nil {
			return err
		}
		if err := tx.lockRow(ctx, "conferences", id); err != nil {
			return err
		}
		cur, err := tx.findConference(ctx, actor, id)
		if err != nil {
			return err
		}
		if cur.ChairOrgID != actor.OrgID {
			return waymark.Errorf(waymark.EFORBIDDEN, "Only the organisation that chairs this conference can change it. Ask its staff to make the change.")
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this conference while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
		}
		c.ChairOrgID = cur.ChairOrgID
		if err := tx.checkConference(ctx, c, cur.AttendingOrgIDs); err != nil {
			return err
		}
		// An organisation whose cases or actions are on the conference keeps attending: its
		// cases would otherwise be discussed without it.
		var leaving []string
		if err := tx.eachRow(ctx, `SELECT DISTINCT o.id, o.name FROM organisations o WHERE o.id IN (SELECT owner_org_id FROM conference_cases WHERE conference_id = $1)
			OR o.id IN (SELECT owner_org_id FROM conference_actions WHERE conference_id = $1)`, []any{cur.ID}, func(row interface{ Scan(...any) error }) error {
			var orgID, name string
			err := row.Scan(&orgID, &name)
			if !slices.Contains(c.AttendingOrgIDs, orgID) {
				leaving = append(leaving, name)
			}
			return err
		}); err != nil {
			return err
		}
		if len(leaving) > 0 {
			slices.Sort(leaving)
			return waymark.Invalid(map[string]string{"org_ids": "Keep " + strings.Join(leaving, ", ") +
				" attending: cases or actions of theirs are on this conference. Take those off first to remove them."})
		}
		c.ID, c.CreatedBy, c.CreatedAt, c.Version = cur.ID, cur.CreatedBy, cur.CreatedAt, cur.Version+1
		if _, err := tx.ExecContext(ctx, `UPDATE conferences SET title = $1, held_on = $2, status = $3, version = $4, updated_by = $5, updated_at = $6 WHERE id = $7`,
			c.Title, c.HeldOn, c.Status, c.Version, actor.UserID, tx.now, c.ID); err != nil {
			return err
		}
		if err := tx.writeAttendees(ctx, c); err != nil {
			return err
		}
		return tx.audit(ctx, actor, conferenceAudit(waymark.AuditConferenceUpdated, c))
	})
}

// FindConferences lists the conferences the actor's organisation attends; see waymark.ConferenceService.
func (s *ConferenceService) FindConferences(ctx context.Context, actor waymark.Actor) ([]*waymark.Conference, error) {
	if !actor.Can(waymark.PermViewConferences) || actor.OrgID == "" {
		return nil, forbidden()
	}
	var out []*waymark.Conference
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var err error
		if out, err = tx.conferencesWhere(ctx, attendsIs(1), actor.OrgID); err != nil {
			return nil, err
		}
		// Sorted here rather than in SQL: the engines order text by different collations.
		slices.SortFunc(out, func(x, y *waymark.Conference) int {
			return cmp.Or(strings.Compare(y.HeldOn, x.HeldOn), strings.Compare(x.Title, y.Title), strings.Compare(x.ID, y.ID))
		})
		ids := make([]string, len(out))
		for i, c := range out {
			ids[i] = c.ID
		}
		return &waymark.AuditEntry{Action: waymark.AuditConferencesViewed, ObjectType: "conference", Detail: "conferences shown: " + strings.Join(ids, " ")}, nil
	})
	return out, err
}

// FindConference reads a conference and its agenda; see waymark.ConferenceService.
func (s *ConferenceService) FindConference(ctx context.Context, actor waymark.Actor, id string) (*waymark.ConferenceDetail, error) {
	if !actor.Can(waymark.PermViewConferences) {
		return nil, notFound("conference")
	}
	var out *waymark.ConferenceDetail
	err := s.db.viewAuditedAll(ctx, actor, func(tx *Tx) ([]*waymark.AuditEntry, error) {
		conf, err := tx.findConference(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		cases, err := tx.agenda(ctx, conf, actor, "")
		if err != nil {
			return nil, err
		}
		out = &waymark.ConferenceDetail{Conference: conf}
		var named []string
		var entries []*waymark.AuditEntry
		for _, c := range cases {
			out.Cases = append(out.Cases, c.ConferenceCase)
			if c.ClientName != "" {
				named = append(named, c.client.ID)
				if c.Visibility != waymark.CaseOwned {
					// The agenda names the person: the owner's log records that, as a read does.
					entries = append(entries, &waymark.AuditEntry{Action: waymark.AuditConferenceCaseSeen, ObjectType: "client", ObjectID: c.client.ID,
						OrgID: c.OwnerOrgID, Detail: "named on the agenda of conference " + conf.ID + " for organisation " + actor.OrgID})
				}
			}
		}
		if out.Actions, err = tx.actions(ctx, conf.ID, "", conf.ChairOrgID); err != nil {
			return nil, err
		}
		return append([]*waymark.AuditEntry{{Action: waymark.AuditConferenceViewed, ObjectType: "conference", ObjectID: conf.ID,
			Detail: "clients named: " + strings.Join(named, " ")}}, entries...), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// caseAudit is the audit entries of a read or change of a case at a conference: in the actor's
// log, and in the owner's when the actor's organisation does not keep the record.
func caseAudit(actor waymark.Actor, action string, conf *waymark.Conference, c agendaCase, detail string) []*waymark.AuditEntry {
	at := "at conference " + conf.ID
	if detail != "" {
		at += "; " + detail
	}
	entries := []*waymark.AuditEntry{{Action: action, ObjectType: "client", ObjectID: c.client.ID, Detail: at}}
	if c.Visibility != waymark.CaseOwned {
		ownerAction := action
		if action == waymark.AuditConferenceCaseViewed {
			ownerAction = waymark.AuditConferenceCaseSeen
		}
		entries = append(entries, &waymark.AuditEntry{Action: ownerAction, ObjectType: "client", ObjectID: c.client.ID, OrgID: c.OwnerOrgID,
			Detail: "by organisation " + actor.OrgID + " " + at})
	}
	return entries
}

// FindConferenceCase reads a case's minutes and actions; see waymark.ConferenceService.
func (s *ConferenceService) FindConferenceCase(ctx context.Context, actor waymark.Actor, conferenceID, clientID string) (*waymark.ConferenceCaseDetail, error) {
	if !actor.Can(waymark.PermViewConferences) {
		return nil, notFound("conference")
	}
	var out *waymark.ConferenceCaseDetail
	err := s.db.viewAuditedAll(ctx, actor, func(tx *Tx) ([]*waymark.AuditEntry, error) {
		conf, c, err := tx.visibleCase(ctx, actor, conferenceID, clientID)
		if err != nil {
			return nil, err
		}
		out = &waymark.ConferenceCaseDetail{Conference: conf, Case: c.ConferenceCase}
		if out.Minutes, err = tx.minutes(ctx, conf.ID, c.client); err != nil {
			return nil, err
		}
		if out.Actions, err = tx.actions(ctx, conf.ID, c.client.ID, c.client.OrgID); err != nil {
			return nil, err
		}
		return caseAudit(actor, waymark.AuditConferenceCaseViewed, conf, c, ""), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// minutes reads a case's minutes; none yet reads as version 0.
func (tx *Tx) minutes(ctx context.Context, conferenceID string, c *waymark.Client) (waymark.CaseMinutes, error) {
	var m waymark.CaseMinutes
	var body []byte
	var at nullTime
	err := tx.QueryRowContext(ctx, `SELECT n.body, n.version, COALESCE(u.name, ''), n.updated_at FROM conference_minutes n LEFT JOIN users u ON u.id = n.updated_by
		WHERE n.conference_id = $1 AND n.client_id = $2`, conferenceID, c.ID).Scan(&body, &m.Version, &m.UpdatedByName, &at)
	if errNoRows(err) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	m.UpdatedAt = at.t
	m.Text, err = tx.open(ctx, c.OrgID, "conference_minutes", "body", conferenceID+"/"+c.ID, body)
	return m, err
}

// SaveMinutes replaces a case's minutes; see waymark.ConferenceService.
func (s *ConferenceService) SaveMinutes(ctx context.Context, actor waymark.Actor, conferenceID, clientID string, version int, text string) error {
	if !actor.Can(waymark.PermManageConferences) {
		return notFound("conference")
	}
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > waymark.MaxMinutes {
		return waymark.Invalid(map[string]string{"minutes": "The minutes must be 20,000 characters or fewer: split them, or keep the detail in the case notes"})
	}
	return s.db.update(ctx, func(tx *Tx) error {
		// Changes to one conference wait for each other: its attendees, agenda, minutes and actions.
		if err := tx.lockRow(ctx, "conferences", conferenceID); err != nil {
			return err
		}
		conf, c, err := tx.visibleCase(ctx, actor, conferenceID, clientID)
		if err != nil {
			return err
		}
		cur, err := tx.minutes(ctx, conf.ID, c.client)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed these minutes while you were writing. Your text has not been saved: read the minutes as they are now, then add your change.")
		}
		sealed, err := tx.seal(ctx, c.client.OrgID, "conference_minutes", "body", conf.ID+"/"+c.client.ID, text)
		if err != nil {
			return err
		}
		if version == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO conference_minutes (conference_id, client_id, body, version, updated_by, updated_at) VALUES ($1, $2, $3, 1, $4, $5)`,
				conf.ID, c.client.ID, sealed, actor.UserID, tx.now)
		} else {
			var res interface{ RowsAffected() (int64, error) }
			res, err = tx.ExecContext(ctx, `UPDATE conference_minutes SET body = $1, version = version + 1, updated_by = $2, updated_at = $3
				WHERE conference_id = $4 AND client_id = $5 AND version = $6`, sealed, actor.UserID, tx.now, conf.ID, c.client.ID, version)
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return waymark.Errorf(waymark.ECONFLICT, "Someone else changed these minutes while you were writing. Your text has not been saved: read the minutes as they are now, then add your change.")
				}
			}
		}
		if err != nil {
			return err
		}
		return tx.auditAll(ctx, actor, caseAudit(actor, waymark.AuditConferenceMinutesSaved, conf, c, ""))
	})
}

// AddAction records an action of a case or of the whole conference; see waymark.ConferenceService.
func (s *ConferenceService) AddAction(ctx context.Context, actor waymark.Actor, conferenceID string, a *waymark.ConferenceAction) error {
	if !actor.Can(waymark.PermManageConferences) {
		return notFound("conference")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "conferences", conferenceID); err != nil {
			return err
		}
		var conf *waymark.Conference
		var c agendaCase
		var err error
		keyOrg := ""
		if a.ClientID != "" {
			if conf, c, err = tx.visibleCase(ctx, actor, conferenceID, a.ClientID); err != nil {
				return err
			}
			keyOrg = c.client.OrgID
		} else {
			if conf, err = tx.findConference(ctx, actor, conferenceID); err != nil {
				return err
			}
			keyOrg = conf.ChairOrgID
		}
		if err := a.Validate(); err != nil {
			return err
		}
		i := slices.Index(conf.AttendingOrgIDs, a.OwnerOrgID)
		if i < 0 {
			return waymark.Invalid(map[string]string{"owner_org_id": "Choose one of the organisations attending the conference"})
		}
		a.OwnerOrgName = conf.AttendingOrgNames[i]
		if c.client != nil {
			consent, err := tx.consentPosition(ctx, c.client)
			if err != nil {
				return err
			}
			if vis, _, err := tx.orgMaySeeClient(ctx, c.client, a.OwnerOrgID, consent); err != nil {
				return err
			} else if !vis.MaySee() {
				return waymark.Invalid(map[string]string{"owner_org_id": a.OwnerOrgName + " may not see this case: choose an organisation the record is shared with"})
			}
		}
		a.ID, a.ConferenceID, a.Version, a.UpdatedAt = newID(), conf.ID, 1, tx.now
		sealed, err := tx.seal(ctx, keyOrg, "conference_actions", "body", a.ID, a.Text)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO conference_actions (id, conference_id, client_id, body, owner_org_id, owner, due_on, status, version,
			created_by, created_at, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			a.ID, a.ConferenceID, a.ClientID, sealed, a.OwnerOrgID, a.Owner, a.DueOn, a.Status, a.Version, actor.UserID, tx.now, actor.UserID, tx.now); err != nil {
			return err
		}
		if c.client != nil {
			return tx.auditAll(ctx, actor, caseAudit(actor, waymark.AuditConferenceActionAdded, conf, c, "action "+a.ID))
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditConferenceActionAdded, ObjectType: "conference", ObjectID: conf.ID, Detail: "action " + a.ID})
	})
}

// SetActionStatus changes an action's status; see waymark.ConferenceService.
func (s *ConferenceService) SetActionStatus(ctx context.Context, actor waymark.Actor, conferenceID, actionID string, version int, status waymark.ActionStatus) error {
	if !actor.Can(waymark.PermManageConferences) {
		return notFound("conference")
	}
	if !status.Valid() {
		return waymark.Invalid(map[string]string{"status": "Choose the action's status from the list"})
	}
	return s.db.update(ctx, func(tx *Tx) error {
		conf, err := tx.findConference(ctx, actor, conferenceID)
		if err != nil {
			return err
		}
		var clientID string
		var cur int
		err = tx.QueryRowContext(ctx, `SELECT client_id, version FROM conference_actions WHERE id = $1 AND conference_id = $2`, actionID, conf.ID).Scan(&clientID, &cur)
		if errNoRows(err) {
			return notFound("action")
		}
		if err != nil {
			return err
		}
		var c agendaCase
		if clientID != "" {
			_, c, err = tx.visibleCase(ctx, actor, conf.ID, clientID)
			if waymark.ErrorCode(err) == waymark.ENOTFOUND {
				return notFound("action")
			}
			if err != nil {
				return err
			}
		}
		if err := tx.lockRow(ctx, "conference_actions", actionID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT version FROM conference_actions WHERE id = $1`, actionID).Scan(&cur); err != nil {
			return err
		}
		if cur != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this action while you were reading it. Read it as it is now, then change its status again.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE conference_actions SET status = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $4`,
			status, actor.UserID, tx.now, actionID); err != nil {
			return err
		}
		detail := "action " + actionID + " " + string(status)
		if c.client != nil {
			return tx.auditAll(ctx, actor, caseAudit(actor, waymark.AuditConferenceActionUpdated, conf, c, detail))
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditConferenceActionUpdated, ObjectType: "conference", ObjectID: conf.ID, Detail: detail})
	})
}

// AddCase puts a client on a conference's agenda; see waymark.ConferenceService.
func (s *ConferenceService) AddCase(ctx context.Context, actor waymark.Actor, conferenceID, clientID string, withoutSharing bool, reason string) error {
	if !actor.Can(waymark.PermShareCases) {
		return forbidden()
	}
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditConferenceCaseAdded, func(tx *Tx, c *waymark.Client) (string, error) {
		conf, err := tx.findConference(ctx, actor, conferenceID)
		if waymark.ErrorCode(err) == waymark.ENOTFOUND {
			return "", waymark.Invalid(map[string]string{"conference_id": "Choose a conference your organisation attends from the list"})
		}
		if err != nil {
			return "", err
		}
		switch {
		case conf.Status == waymark.ConferenceCancelled:
			return "", waymark.Invalid(map[string]string{"conference_id": "That conference was cancelled: choose another"})
		case conf.Status == waymark.ConferenceHeld:
			return "", waymark.Invalid(map[string]string{"conference_id": "That conference has been held: choose an upcoming one"})
		}
		// Two leads adding cases while the chair changes who attends wait for each other here.
		if err := tx.lockRow(ctx, "conferences", conf.ID); err != nil {
			return "", err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM conference_cases WHERE conference_id = $1 AND client_id = $2`, conf.ID, c.ID).Scan(&n); err != nil {
			return "", err
		}
		if n > 0 {
			return "", waymark.Errorf(waymark.ECONFLICT, "This person is already on the agenda of that conference.")
		}
		consent, err := tx.consentPosition(ctx, c)
		if err != nil {
			return "", err
		}
		var missing, missingIDs []string
		for i, orgID := range conf.AttendingOrgIDs {
			vis, _, err := tx.orgMaySeeClient(ctx, c, orgID, consent)
			if err != nil {
				return "", err
			}
			if !vis.MaySee() {
				missing, missingIDs = append(missing, conf.AttendingOrgNames[i]), append(missingIDs, orgID)
			}
		}
		reason = strings.TrimSpace(reason)
		switch {
		case len(missing) > 0 && !withoutSharing:
			return "", waymark.Invalid(map[string]string{"conference_id": "The record is not shared with " + strings.Join(missing, ", ") +
				", who attend that conference. Share it with them first, or choose to discuss it without sharing and say why."})
		case withoutSharing && reason == "":
			return "", waymark.Invalid(map[string]string{"reason": "Say why the case is discussed without sharing the record with every organisation attending"})
		case utf8.RuneCountInString(reason) > 2000:
			return "", waymark.Invalid(map[string]string{"reason": "The reason must be 2,000 characters or fewer"})
		}
		if !withoutSharing {
			reason = ""
		}
		sealed, err := tx.seal(ctx, c.OrgID, "conference_cases", "reason", conf.ID+"/"+c.ID, reason)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO conference_cases (conference_id, client_id, owner_org_id, added_by, added_at, without_sharing, reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, conf.ID, c.ID, c.OrgID, actor.UserID, tx.now, withoutSharing, sealed); err != nil {
			return "", err
		}
		detail := "on the agenda of conference " + conf.ID
		if withoutSharing {
			detail += "; discussed without sharing with organisations " + strings.Join(missingIDs, " ")
		}
		return detail, nil
	})
}

// RemoveCase takes a case off the agenda; see waymark.ConferenceService.
func (s *ConferenceService) RemoveCase(ctx context.Context, actor waymark.Actor, conferenceID, clientID string) error {
	if !actor.Can(waymark.PermShareCases) {
		return forbidden()
	}
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditConferenceCaseRemoved, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := tx.lockRow(ctx, "conferences", conferenceID); err != nil {
			return "", err
		}
		conf, err := tx.findConference(ctx, actor, conferenceID)
		if err != nil {
			return "", err
		}
		var cases, recorded int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM conference_cases WHERE conference_id = $1 AND client_id = $2),
			(SELECT count(*) FROM conference_minutes WHERE conference_id = $1 AND client_id = $2) +
			(SELECT count(*) FROM conference_actions WHERE conference_id = $1 AND client_id = $2)`, conf.ID, c.ID).Scan(&cases, &recorded); err != nil {
			return "", err
		}
		switch {
		case cases == 0:
			return "", notFound("case")
		case recorded > 0:
			return "", waymark.Invalid(map[string]string{"case": "Minutes or actions are recorded for this case, so it stays on the agenda as the record of the meeting."})
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM conference_cases WHERE conference_id = $1 AND client_id = $2`, conf.ID, c.ID); err != nil {
			return "", err
		}
		return "off the agenda of conference " + conf.ID, nil
	})
}

// FindClientConferences lists a client's upcoming conferences; see waymark.ConferenceService.
func (s *ConferenceService) FindClientConferences(ctx context.Context, actor waymark.Actor, clientID string) (*waymark.ClientConferences, error) {
	if !actor.Can(waymark.PermViewClients) || !actor.Can(waymark.PermViewConferences) {
		return nil, forbidden()
	}
	out := &waymark.ClientConferences{}
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		today := waymark.Today(tx.now)
		list, err := tx.conferencesWhere(ctx, attendsIs(1)+` AND c.status = $2 AND c.held_on >= $3`, actor.OrgID, waymark.ConferenceScheduled, today)
		if err != nil {
			return nil, err
		}
		var on []string
		if err := tx.eachRow(ctx, `SELECT conference_id FROM conference_cases WHERE client_id = $1`, []any{c.ID}, func(row interface{ Scan(...any) error }) error {
			var id string
			err := row.Scan(&id)
			on = append(on, id)
			return err
		}); err != nil {
			return nil, err
		}
		slices.SortFunc(list, func(x, y *waymark.Conference) int {
			return cmp.Or(strings.Compare(x.HeldOn, y.HeldOn), strings.Compare(x.Title, y.Title), strings.Compare(x.ID, y.ID))
		})
		for _, conf := range list {
			if slices.Contains(on, conf.ID) {
				out.On = append(out.On, conf)
			} else {
				out.Available = append(out.Available, conf)
			}
		}
		return &waymark.AuditEntry{Action: waymark.AuditClientConferencesViewed, ObjectType: "client", ObjectID: c.ID}, nil
	})
	return out, err
}
