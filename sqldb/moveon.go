package sqldb

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"waymark"
)

// MoveOnService implements waymark.MoveOnService.
type MoveOnService struct{ db *DB }

// NewMoveOnService returns the move-on service.
func NewMoveOnService(db *DB) *MoveOnService { return &MoveOnService{db: db} }

var _ waymark.MoveOnService = (*MoveOnService)(nil)

// planColumns are a move-on plan's columns, in the order scanPlan reads them.
const planColumns = `p.id, p.client_id, p.org_id, p.version, p.support_ends_on, p.accommodation_type, p.accommodation_status, p.housing_duty,
	p.housing_authority, p.housing_applied_on, p.benefits, p.immigration_status, p.leave_expires_on, p.gp_registered, p.employment,
	p.support_services, p.notes, p.recorded_by, COALESCE(u.name, ''), p.recorded_at FROM move_on_plans p LEFT JOIN users u ON u.id = p.recorded_by`

// scanPlan reads a plan row and opens its sealed fields.
func (tx *Tx) scanPlan(ctx context.Context, row interface{ Scan(...any) error }) (*waymark.MoveOnPlan, error) {
	var p waymark.MoveOnPlan
	var benefits string
	var services, notes []byte
	var at nullTime
	if err := row.Scan(&p.ID, &p.ClientID, &p.OrgID, &p.Version, &p.SupportEndsOn, &p.AccommodationType, &p.AccommodationStatus, &p.HousingDuty,
		&p.HousingAuthority, &p.HousingAppliedOn, &benefits, &p.ImmigrationStatus, &p.LeaveExpiresOn, &p.GPRegistered, &p.Employment,
		&services, &notes, &p.RecordedBy, &p.RecordedByName, &at); err != nil {
		return nil, err
	}
	p.RecordedAt, p.Benefits = at.t, decodeClaims(benefits)
	var err error
	if p.SupportServices, err = tx.open(ctx, p.OrgID, "move_on_plans", "support_services", p.ID, services); err != nil {
		return nil, err
	}
	p.Notes, err = tx.open(ctx, p.OrgID, "move_on_plans", "notes", p.ID, notes)
	return &p, err
}

// encodeClaims writes benefit claims as "benefit=status" pairs; both come from closed lists.
func encodeClaims(cs []waymark.BenefitClaim) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c.Benefit) + "=" + string(c.Status)
	}
	return strings.Join(parts, ",")
}

func decodeClaims(s string) []waymark.BenefitClaim {
	var out []waymark.BenefitClaim
	for part := range strings.SplitSeq(s, ",") {
		if b, st, ok := strings.Cut(part, "="); ok {
			out = append(out, waymark.BenefitClaim{Benefit: waymark.Benefit(b), Status: waymark.ClaimStatus(st)})
		}
	}
	return out
}

// encodeAttempts writes contact attempts as "date method" pairs; both are checked before.
func encodeAttempts(as []waymark.ContactAttempt) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.On + " " + string(a.Method)
	}
	return strings.Join(parts, ",")
}

func decodeAttempts(s string) []waymark.ContactAttempt {
	var out []waymark.ContactAttempt
	for part := range strings.SplitSeq(s, ",") {
		if on, m, ok := strings.Cut(part, " "); ok {
			out = append(out, waymark.ContactAttempt{On: on, Method: waymark.ContactMethod(m)})
		}
	}
	return out
}

// followUpColumns are a follow-up's columns, in the order scanFollowUp reads them.
const followUpColumns = `f.id, f.client_id, f.org_id, f.months, f.due_on, f.contacted, f.stable_accommodation, f.rough_sleeping, f.re_exploited,
	f.in_contact, f.attempts, f.notes, f.version, f.recorded_by, COALESCE(u.name, ''), f.recorded_at FROM follow_ups f LEFT JOIN users u ON u.id = f.recorded_by`

// scanFollowUp reads a follow-up row; its notes are opened only when withNotes is set.
func (tx *Tx) scanFollowUp(ctx context.Context, row interface{ Scan(...any) error }, withNotes bool) (*waymark.FollowUp, error) {
	var u waymark.FollowUp
	var attempts string
	var notes []byte
	var at nullTime
	if err := row.Scan(&u.ID, &u.ClientID, &u.OrgID, &u.Months, &u.DueOn, &u.Contacted, &u.StableAccommodation, &u.RoughSleeping, &u.ReExploited,
		&u.InContact, &attempts, &notes, &u.Version, &u.RecordedBy, &u.RecordedByName, &at); err != nil {
		return nil, err
	}
	u.RecordedAt, u.Attempts = at.t, decodeAttempts(attempts)
	if !withNotes {
		return &u, nil
	}
	var err error
	u.Notes, err = tx.open(ctx, u.OrgID, "follow_ups", "notes", u.ID, notes)
	return &u, err
}

// schedule reads an organisation's follow-up months, the default when it has not set its own.
func (tx *Tx) schedule(ctx context.Context, orgID string) ([]int, error) {
	var s string
	err := tx.QueryRowContext(ctx, `SELECT months FROM follow_up_schedules WHERE org_id = $1`, orgID).Scan(&s)
	if errNoRows(err) {
		return slices.Clone(waymark.DefaultFollowUpMonths), nil
	}
	if err != nil {
		return nil, err
	}
	return waymark.ParseFollowUpMonths(s)
}

// clientPlans reads every version of a client's plan, newest first.
func (tx *Tx) clientPlans(ctx context.Context, c *waymark.Client) ([]*waymark.MoveOnPlan, error) {
	var out []*waymark.MoveOnPlan
	err := tx.eachRow(ctx, `SELECT `+planColumns+` WHERE p.client_id = $1 AND p.org_id = $2 ORDER BY p.version DESC`, []any{c.ID, c.OrgID},
		func(row interface{ Scan(...any) error }) error {
			p, err := tx.scanPlan(ctx, row)
			out = append(out, p)
			return err
		})
	return out, err
}

// currentFollowUp is the condition of a follow-up row that is the latest version of its follow-up.
const currentFollowUp = `NOT EXISTS (SELECT 1 FROM follow_ups g WHERE g.client_id = f.client_id AND g.months = f.months AND g.version > f.version)`

// clientFollowUps reads a client's follow-ups in the order of their months, each with the versions
// it corrected when withEarlier is set (and with notes only then).
func (tx *Tx) clientFollowUps(ctx context.Context, c *waymark.Client, withEarlier bool) ([]*waymark.FollowUp, error) {
	var out []*waymark.FollowUp
	err := tx.eachRow(ctx, `SELECT `+followUpColumns+` WHERE f.client_id = $1 AND f.org_id = $2 ORDER BY f.months, f.version DESC`, []any{c.ID, c.OrgID},
		func(row interface{ Scan(...any) error }) error {
			u, err := tx.scanFollowUp(ctx, row, withEarlier)
			if err != nil {
				return err
			}
			// Newest version first within each follow-up: the first is current, the rest it corrected.
			if n := len(out); n > 0 && out[n-1].Months == u.Months {
				if withEarlier {
					out[n-1].Earlier = append(out[n-1].Earlier, u)
				}
				return nil
			}
			out = append(out, u)
			return nil
		})
	return out, err
}

// supportEnd works out when the client's support ends, from the current plan and the NRM record.
func (tx *Tx) supportEnd(ctx context.Context, c *waymark.Client, plan *waymark.MoveOnPlan) (waymark.SupportEnd, error) {
	var j waymark.Journey
	if err := tx.readMilestones(ctx, c, &j); err != nil {
		return waymark.SupportEnd{}, err
	}
	if err := tx.readDecisions(ctx, c, &j); err != nil {
		return waymark.SupportEnd{}, err
	}
	return waymark.SupportEndFor(plan, j.Milestones, j.Decisions), nil
}

// FindMoveOn reads a client's life after support; see waymark.MoveOnService.
func (s *MoveOnService) FindMoveOn(ctx context.Context, actor waymark.Actor, clientID string) (*waymark.MoveOn, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var m *waymark.MoveOn
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		m, err = tx.moveOn(ctx, c)
		return &waymark.AuditEntry{Action: waymark.AuditMoveOnViewed, ObjectType: "client", ObjectID: c.ID}, err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// moveOn reads a client's life after support.
func (tx *Tx) moveOn(ctx context.Context, c *waymark.Client) (*waymark.MoveOn, error) {
	m := &waymark.MoveOn{Client: c}
	var err error
	if m.History, err = tx.clientPlans(ctx, c); err != nil {
		return nil, err
	}
	if len(m.History) > 0 {
		m.Plan = m.History[0]
	}
	if m.SupportEnd, err = tx.supportEnd(ctx, c, m.Plan); err != nil {
		return nil, err
	}
	if m.Schedule, err = tx.schedule(ctx, c.OrgID); err != nil {
		return nil, err
	}
	recorded, err := tx.clientFollowUps(ctx, c, true)
	if err != nil {
		return nil, err
	}
	if m.SupportEnd.On != "" {
		m.FollowUps = waymark.ScheduleFollowUps(m.SupportEnd.On, m.Schedule, recorded, waymark.Today(tx.now))
	}
	var r waymark.RiskAssessment
	var at nullTime
	var reason []byte
	err = tx.QueryRowContext(ctx, `SELECT r.id, r.level, r.reason, r.assessed_by, COALESCE(u.name, ''), r.assessed_at FROM risk_assessments r
		LEFT JOIN users u ON u.id = r.assessed_by WHERE r.client_id = $1 AND r.org_id = $2 ORDER BY r.assessed_at DESC, r.id LIMIT 1`, c.ID, c.OrgID).
		Scan(&r.ID, &r.Level, &reason, &r.AssessedBy, &r.ByName, &at)
	switch {
	case err == nil:
		r.AssessedAt, m.Risk = at.t, &r
		if r.Reason, err = tx.open(ctx, c.OrgID, "risk_assessments", "reason", r.ID, reason); err != nil {
			return nil, err
		}
	case !errNoRows(err):
		return nil, err
	}
	return m, nil
}

// SavePlan records a new version of a client's move-on plan; see waymark.MoveOnService.
func (s *MoveOnService) SavePlan(ctx context.Context, actor waymark.Actor, clientID string, version int, p *waymark.MoveOnPlan) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditMoveOnPlanSaved, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := tx.lockRow(ctx, "clients", c.ID); err != nil {
			return "", err
		}
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(version), 0) FROM move_on_plans WHERE client_id = $1`, c.ID).Scan(&cur); err != nil {
			return "", err
		}
		if cur != version {
			return "", waymark.Errorf(waymark.ECONFLICT, "Someone else changed this move-on plan while you were editing it. Yours has not been saved: read the plan as it is now, then make your changes again.")
		}
		if err := p.Validate(tx.now); err != nil {
			return "", err
		}
		p.ID, p.ClientID, p.OrgID, p.Version, p.RecordedBy, p.RecordedAt = newID(), c.ID, c.OrgID, cur+1, actor.UserID, tx.now
		services, err := tx.seal(ctx, c.OrgID, "move_on_plans", "support_services", p.ID, p.SupportServices)
		if err != nil {
			return "", err
		}
		notes, err := tx.seal(ctx, c.OrgID, "move_on_plans", "notes", p.ID, p.Notes)
		if err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO move_on_plans (id, client_id, org_id, version, support_ends_on, accommodation_type, accommodation_status,
			housing_duty, housing_authority, housing_applied_on, benefits, immigration_status, leave_expires_on, gp_registered, employment,
			support_services, notes, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			p.ID, p.ClientID, p.OrgID, p.Version, p.SupportEndsOn, p.AccommodationType, p.AccommodationStatus, p.HousingDuty, p.HousingAuthority,
			p.HousingAppliedOn, encodeClaims(p.Benefits), p.ImmigrationStatus, p.LeaveExpiresOn, p.GPRegistered, p.Employment, services, notes,
			p.RecordedBy, p.RecordedAt)
		return "version " + itoa(p.Version), err
	})
}

// RecordFollowUp records or corrects a follow-up; see waymark.MoveOnService.
func (s *MoveOnService) RecordFollowUp(ctx context.Context, actor waymark.Actor, clientID string, version int, u *waymark.FollowUp) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditFollowUpRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := tx.lockRow(ctx, "clients", c.ID); err != nil {
			return "", err
		}
		plans, err := tx.clientPlans(ctx, c)
		if err != nil {
			return "", err
		}
		var plan *waymark.MoveOnPlan
		if len(plans) > 0 {
			plan = plans[0]
		}
		end, err := tx.supportEnd(ctx, c, plan)
		if err != nil {
			return "", err
		}
		if !end.Ended(waymark.Today(tx.now)) {
			return "", waymark.Errorf(waymark.EINVALID, "Follow-ups are recorded after support has ended. Record the date support ended in the move-on plan first.")
		}
		months, err := tx.schedule(ctx, c.OrgID)
		if err != nil {
			return "", err
		}
		recorded, err := tx.clientFollowUps(ctx, c, false)
		if err != nil {
			return "", err
		}
		var cur *waymark.FollowUp
		for _, r := range recorded {
			if r.Months == u.Months {
				cur = r
			}
		}
		switch {
		case cur == nil && !slices.Contains(months, u.Months):
			return "", waymark.Errorf(waymark.EINVALID, "Your organisation's follow-ups are at %s months after support ends; there is none at %d months.", waymark.FormatFollowUpMonths(months), u.Months)
		case cur == nil && waymark.AddMonths(end.On, u.Months) > waymark.AddDays(waymark.Today(tx.now), waymark.FollowUpEarlyDays):
			due := waymark.AddMonths(end.On, u.Months)
			return "", waymark.Errorf(waymark.EINVALID, "The follow-up at %d months is due on %s. You can record it from %s.", u.Months,
				waymark.FormatDay(due), waymark.FormatDay(waymark.AddDays(due, -waymark.FollowUpEarlyDays)))
		case cur == nil && version != 0, cur != nil && cur.Version != version:
			return "", waymark.Errorf(waymark.ECONFLICT, "Someone else recorded this follow-up while you were writing yours. Yours has not been saved: read it as it is now, then correct it if needed.")
		}
		if err := u.Validate(tx.now); err != nil {
			return "", err
		}
		u.ClientID, u.OrgID, u.RecordedBy, u.RecordedAt = c.ID, c.OrgID, actor.UserID, tx.now
		// A correction is a new version: the one it corrects is kept.
		u.ID, u.Version, u.DueOn = newID(), 1, waymark.AddMonths(end.On, u.Months)
		if cur != nil {
			u.Version, u.DueOn = cur.Version+1, cur.DueOn
		}
		notes, err := tx.seal(ctx, c.OrgID, "follow_ups", "notes", u.ID, u.Notes)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO follow_ups (id, client_id, org_id, months, due_on, contacted, stable_accommodation, rough_sleeping,
			re_exploited, in_contact, attempts, notes, version, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			u.ID, u.ClientID, u.OrgID, u.Months, u.DueOn, u.Contacted, u.StableAccommodation, u.RoughSleeping, u.ReExploited, u.InContact,
			encodeAttempts(u.Attempts), notes, u.Version, u.RecordedBy, u.RecordedAt); err != nil {
			return "", err
		}
		return "follow-up at " + itoa(u.Months) + " months, version " + itoa(u.Version), nil
	})
}

// FollowUpSchedule reads the actor's organisation's follow-up months; see waymark.MoveOnService.
func (s *MoveOnService) FollowUpSchedule(ctx context.Context, actor waymark.Actor) ([]int, error) {
	if actor.OrgID == "" || !actor.Can(waymark.PermViewClients) && !actor.Can(waymark.PermManageFollowUps) {
		return nil, forbidden()
	}
	var out []int
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.schedule(ctx, actor.OrgID)
		return err
	})
	return out, err
}

// SetFollowUpSchedule changes the organisation's follow-up months; see waymark.MoveOnService.
func (s *MoveOnService) SetFollowUpSchedule(ctx context.Context, actor waymark.Actor, months []int) error {
	if !actor.Can(waymark.PermManageFollowUps) || actor.OrgID == "" {
		return forbidden()
	}
	text := waymark.FormatFollowUpMonths(months)
	if _, err := waymark.ParseFollowUpMonths(text); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO follow_up_schedules (org_id, months, updated_by, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (org_id) DO UPDATE SET months = excluded.months, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			actor.OrgID, text, actor.UserID, tx.now); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditFollowUpScheduleSet, ObjectType: "organisation", ObjectID: actor.OrgID, Detail: "months " + text})
	})
}

// afterSupport is what the cliff edge, the outcomes and the tasks job need to know of one client's
// life after support. The plan is read without its sealed fields.
type afterSupport struct {
	orgID, clientID string
	plan            *waymark.MoveOnPlan
	milestones      []*waymark.NRMMilestone
	decisions       []*waymark.NRMDecision
	followUps       []*waymark.FollowUp
	end             waymark.SupportEnd
	schedule        []int
}

// afterSupportOf reads, for every client of the organisation (of the region when orgID is empty)
// with a plan, an end of NRM support or a follow-up, when their support ends and what is in place.
func (tx *Tx) afterSupportOf(ctx context.Context, orgID string) ([]*afterSupport, error) {
	byClient := map[string]*afterSupport{}
	var order []*afterSupport
	client := func(org, id string) *afterSupport {
		a := byClient[id]
		if a == nil {
			a = &afterSupport{orgID: org, clientID: id}
			byClient[id] = a
			order = append(order, a)
		}
		return a
	}
	scan := func(query string, read func(row interface{ Scan(...any) error }) error) error {
		return tx.eachRow(ctx, query, []any{orgID}, read)
	}
	if err := scan(`SELECT p.org_id, p.client_id, p.support_ends_on, p.accommodation_type, p.accommodation_status, p.benefits, p.employment FROM move_on_plans p
		WHERE ($1 = '' OR p.org_id = $1) AND NOT EXISTS (SELECT 1 FROM move_on_plans q WHERE q.client_id = p.client_id AND q.version > p.version)`,
		func(row interface{ Scan(...any) error }) error {
			var p waymark.MoveOnPlan
			var benefits string
			if err := row.Scan(&p.OrgID, &p.ClientID, &p.SupportEndsOn, &p.AccommodationType, &p.AccommodationStatus, &benefits, &p.Employment); err != nil {
				return err
			}
			p.Benefits = decodeClaims(benefits)
			client(p.OrgID, p.ClientID).plan = &p
			return nil
		}); err != nil {
		return nil, err
	}
	if err := scan(`SELECT org_id, client_id, kind, on_date FROM nrm_milestones WHERE ($1 = '' OR org_id = $1) AND kind IN ('victim_care_end', 'reach_in_end')`,
		func(row interface{ Scan(...any) error }) error {
			var org string
			var m waymark.NRMMilestone
			if err := row.Scan(&org, &m.ClientID, &m.Kind, &m.On); err != nil {
				return err
			}
			a := client(org, m.ClientID)
			a.milestones = append(a.milestones, &m)
			return nil
		}); err != nil {
		return nil, err
	}
	if err := scan(`SELECT org_id, client_id, stage, outcome, decided_on FROM nrm_decisions WHERE ($1 = '' OR org_id = $1)
		AND stage = 'conclusive_grounds' AND outcome = 'positive'`,
		func(row interface{ Scan(...any) error }) error {
			var org string
			var d waymark.NRMDecision
			if err := row.Scan(&org, &d.ClientID, &d.Stage, &d.Outcome, &d.DecidedOn); err != nil {
				return err
			}
			a := client(org, d.ClientID)
			a.decisions = append(a.decisions, &d)
			return nil
		}); err != nil {
		return nil, err
	}
	if err := scan(`SELECT `+followUpColumns+` WHERE ($1 = '' OR f.org_id = $1) AND `+currentFollowUp+` ORDER BY f.client_id, f.months`,
		func(row interface{ Scan(...any) error }) error {
			u, err := tx.scanFollowUp(ctx, row, false)
			if err != nil {
				return err
			}
			a := client(u.OrgID, u.ClientID)
			a.followUps = append(a.followUps, u)
			return nil
		}); err != nil {
		return nil, err
	}
	schedules := map[string][]int{}
	for _, a := range order {
		a.end = waymark.SupportEndFor(a.plan, a.milestones, a.decisions)
		if schedules[a.orgID] == nil {
			s, err := tx.schedule(ctx, a.orgID)
			if err != nil {
				return nil, err
			}
			schedules[a.orgID] = s
		}
		a.schedule = schedules[a.orgID]
	}
	return order, nil
}

// overdue lists the follow-ups due by today and not recorded (nor missed).
func (a *afterSupport) overdue(today string) []waymark.ScheduledFollowUp {
	if !a.end.Ended(today) {
		return nil
	}
	var out []waymark.ScheduledFollowUp
	for _, s := range waymark.ScheduleFollowUps(a.end.On, a.schedule, a.followUps, today) {
		if s.Due(today) {
			out = append(out, s)
		}
	}
	return out
}

// clientLabel is how the cliff-edge view names a client and their worker.
type clientLabel struct{ name, reference, workerID, workerName string }

// clientLabels reads the labels of the organisation's clients with the IDs, a few hundred a query.
func (tx *Tx) clientLabels(ctx context.Context, orgID string, ids []string) (map[string]clientLabel, error) {
	out := make(map[string]clientLabel, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		args := []any{orgID}
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			marks[i] = "$" + itoa(i+2)
		}
		if err := tx.eachRow(ctx, `SELECT c.id, c.given_name, c.family_name, c.reference, c.assigned_worker_id, COALESCE(u.name, '') FROM clients c
			LEFT JOIN users u ON u.id = c.assigned_worker_id WHERE c.org_id = $1 AND c.id IN (`+strings.Join(marks, ", ")+`)`, args,
			func(row interface{ Scan(...any) error }) error {
				var id, given, family string
				var l clientLabel
				if err := row.Scan(&id, &given, &family, &l.reference, &l.workerID, &l.workerName); err != nil {
					return err
				}
				l.name = clientName(given, family)
				out[id] = l
				return nil
			}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FindCliffEdge lists who is about to fall off the cliff edge and whose follow-up is overdue; see
// waymark.MoveOnService.
func (s *MoveOnService) FindCliffEdge(ctx context.Context, actor waymark.Actor, scope waymark.CliffEdgeScope) (*waymark.CliffEdge, error) {
	switch {
	case scope == waymark.CliffEdgeOrganisation && !actor.Can(waymark.PermViewOrgTasks),
		scope != waymark.CliffEdgeOrganisation && !actor.Can(waymark.PermViewClients):
		return nil, forbidden()
	case scope != waymark.CliffEdgeMine && scope != waymark.CliffEdgeOrganisation:
		return nil, waymark.Errorf(waymark.EINVALID, "Choose whose clients to show: mine or organisation.")
	case actor.OrgID == "":
		// An empty organisation would be the whole region to afterSupportOf.
		return nil, forbidden()
	}
	out := &waymark.CliffEdge{Days: waymark.CliffEdgeDays}
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		today := waymark.Today(tx.now)
		all, err := tx.afterSupportOf(ctx, actor.OrgID)
		if err != nil {
			return nil, err
		}
		type candidate struct {
			a    *afterSupport
			days int
			edge bool
			late []waymark.ScheduledFollowUp
		}
		var candidates []candidate
		var ids []string
		for _, a := range all {
			days, edge := waymark.AtCliffEdge(a.end, a.plan, today)
			late := a.overdue(today)
			if edge || len(late) > 0 {
				candidates = append(candidates, candidate{a, days, edge, late})
				ids = append(ids, a.clientID)
			}
		}
		labels, err := tx.clientLabels(ctx, actor.OrgID, ids)
		if err != nil {
			return nil, err
		}
		var shown []string
		for _, x := range candidates {
			a := x.a
			l := labels[a.clientID]
			// A worker's own: their clients, and for a safeguarding lead also those nobody is
			// assigned to, as with tasks.
			if scope == waymark.CliffEdgeMine && l.workerID != actor.UserID && !(l.workerID == "" && actor.Role == waymark.RoleSafeguardingLead) {
				continue
			}
			shown = append(shown, a.clientID)
			if x.edge {
				out.Ending = append(out.Ending, waymark.CliffEdgeEntry{ClientID: a.clientID, ClientName: l.name, ClientReference: l.reference,
					AssignedTo: l.workerID, AssignedToName: l.workerName, SupportEnd: a.end, DaysLeft: x.days, HasPlan: a.plan != nil,
					AccommodationInPlace: a.plan.AccommodationInPlace(), IncomeInPlace: a.plan.IncomeInPlace()})
			}
			for _, f := range x.late {
				out.Overdue = append(out.Overdue, waymark.OverdueFollowUp{ClientID: a.clientID, ClientName: l.name, ClientReference: l.reference,
					AssignedTo: l.workerID, AssignedToName: l.workerName, Months: f.Months, DueOn: f.DueOn, DaysOverdue: waymark.DaysBetween(f.DueOn, today)})
			}
		}
		slices.SortStableFunc(out.Ending, func(a, b waymark.CliffEdgeEntry) int { return strings.Compare(a.SupportEnd.On, b.SupportEnd.On) })
		slices.SortStableFunc(out.Overdue, func(a, b waymark.OverdueFollowUp) int { return strings.Compare(a.DueOn, b.DueOn) })
		return &waymark.AuditEntry{Action: waymark.AuditCliffEdgeViewed, ObjectType: "client", Detail: string(scope) + "; clients shown: " + strings.Join(shown, " ")}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindOutcomes counts the organisation's outcomes after support; see waymark.MoveOnService.
func (s *MoveOnService) FindOutcomes(ctx context.Context, actor waymark.Actor) (*waymark.Outcomes, error) {
	if !actor.Can(waymark.PermViewOrgOutcomes) || actor.OrgID == "" {
		return nil, forbidden()
	}
	var out waymark.Outcomes
	err := s.db.view(ctx, func(tx *Tx) error {
		out.AsOf = waymark.Today(tx.now)
		schedule, err := tx.schedule(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		all, err := tx.afterSupportOf(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		// People who refused or withdrew consent to being counted are left out of every count.
		excluded := map[string]bool{}
		if err := tx.eachRow(ctx, `SELECT id FROM clients WHERE org_id = $1 AND excluded_from_statistics`, []any{actor.OrgID},
			func(row interface{ Scan(...any) error }) error {
				var id string
				err := row.Scan(&id)
				excluded[id] = true
				return err
			}); err != nil {
			return err
		}
		all = slices.DeleteFunc(all, func(a *afterSupport) bool { return excluded[a.clientID] })
		for _, months := range waymark.OutcomeMonths {
			if !slices.Contains(schedule, months) {
				out.Unscheduled = append(out.Unscheduled, months)
			}
			var due []*waymark.FollowUp
			for _, a := range all {
				if !a.end.Ended(out.AsOf) || waymark.AddMonths(a.end.On, months) > out.AsOf {
					continue
				}
				var at *waymark.FollowUp
				for _, u := range a.followUps {
					if u.Months == months {
						at = u
					}
				}
				due = append(due, at)
			}
			out.Rows = append(out.Rows, waymark.CountOutcomes(months, due))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// dueAfterSupport adds the tasks of life after support across the region: support ending within
// the cliff-edge window without a home or an income in place, or ending within the organisation's
// warning days with both in place; and follow-ups due. An end in the last week still counts, so a
// warning missed stays until it is dealt with.
func (tx *Tx) dueAfterSupport(ctx context.Context, today string, set waymark.TaskSettings, add func(orgID, clientID string, kind waymark.TaskKind, source, dueOn string)) error {
	all, err := tx.afterSupportOf(ctx, "")
	if err != nil {
		return err
	}
	lastWeek := waymark.AddDays(today, -7)
	for _, a := range all {
		gap := !a.plan.AccommodationInPlace() || !a.plan.IncomeInPlace()
		switch {
		case a.end.On < lastWeek:
		case gap && a.end.On <= waymark.AddDays(today, waymark.CliffEdgeDays):
			add(a.orgID, a.clientID, waymark.TaskMoveOnGap, a.end.On, a.end.On)
		case a.end.On <= waymark.AddDays(today, set.SupportEndingDays):
			add(a.orgID, a.clientID, waymark.TaskSupportEnding, a.end.On, a.end.On)
		}
		for _, f := range a.overdue(today) {
			add(a.orgID, a.clientID, waymark.TaskFollowUpDue, strconv.Itoa(f.Months), f.DueOn)
		}
	}
	return nil
}
