package sqldb

import (
	"context"

	"waymark"
)

// JourneyService implements waymark.JourneyService.
type JourneyService struct{ db *DB }

// NewJourneyService returns the NRM journey service.
func NewJourneyService(db *DB) *JourneyService { return &JourneyService{db: db} }

var _ waymark.JourneyService = (*JourneyService)(nil)

// changeClient writes a change to a client's record in a transaction: it finds the client in the
// actor's organisation (PermEditClients needed), lets write validate and write the change, and
// audits it. The audit detail names the record only: what was recorded is itself personal data.
func (db *DB) changeClient(ctx context.Context, actor waymark.Actor, clientID, action string, write func(tx *Tx, c *waymark.Client) (detail string, err error)) error {
	if !actor.Can(waymark.PermEditClients) {
		return forbidden()
	}
	return db.update(ctx, func(tx *Tx) error {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return err
		}
		detail, err := write(tx, c)
		if err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: action, ObjectType: "client", ObjectID: c.ID, Detail: detail})
	})
}

// checkFirstResponder refuses an organisation that does not exist, is disabled or is not a First
// Responder; its ID comes from a form. It returns the organisation's name.
func (tx *Tx) checkFirstResponder(ctx context.Context, orgID, field, msg string) (string, error) {
	o, err := tx.findOrg(ctx, orgID)
	if waymark.ErrorCode(err) == waymark.ENOTFOUND || err == nil && (o.Disabled || !o.FirstResponder) {
		return "", waymark.Invalid(map[string]string{field: msg})
	}
	if err != nil {
		return "", err
	}
	return o.Name, nil
}

// SaveAnswers replaces the pathway answers; see waymark.JourneyService.
func (s *JourneyService) SaveAnswers(ctx context.Context, actor waymark.Actor, clientID string, version int, a waymark.PathwayAnswers) (*waymark.PathwayAnswers, error) {
	err := s.db.changeClient(ctx, actor, clientID, waymark.AuditPathwayAnswered, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := tx.lockRow(ctx, "clients", c.ID); err != nil {
			return "", err
		}
		cur, err := tx.answers(ctx, c)
		if err != nil {
			return "", err
		}
		if cur.Version != version {
			return "", waymark.Errorf(waymark.ECONFLICT, "Someone else changed these answers while you were reading them. Yours have not been saved: read them as they are now, then answer again.")
		}
		if err := a.Validate(); err != nil {
			return "", err
		}
		if a.PartnerOrgID != "" {
			if a.PartnerOrgID == c.OrgID {
				return "", waymark.Invalid(map[string]string{"partner_org_id": "Choose a partner organisation, not your own"})
			}
			if _, err := tx.checkFirstResponder(ctx, a.PartnerOrgID, "partner_org_id", "Choose a partner First Responder Organisation from the list"); err != nil {
				return "", err
			}
		}
		a.Version, a.UpdatedBy, a.UpdatedAt = cur.Version+1, actor.UserID, tx.now
		_, err = tx.ExecContext(ctx, `DELETE FROM pathway_answers WHERE client_id = $1`, c.ID)
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO pathway_answers (client_id, org_id, immediate_danger, under_18, care_and_support_needs, cooperates,
				partner_org_id, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				c.ID, c.OrgID, a.ImmediateDanger, a.Under18, a.CareAndSupportNeeds, a.Cooperates, a.PartnerOrgID, a.Version, a.UpdatedBy, a.UpdatedAt)
		}
		return "pathway answers", err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// answers reads the client's pathway answers; none saved yet is version 0.
func (tx *Tx) answers(ctx context.Context, c *waymark.Client) (waymark.PathwayAnswers, error) {
	var a waymark.PathwayAnswers
	var at nullTime
	err := tx.QueryRowContext(ctx, `SELECT immediate_danger, under_18, care_and_support_needs, cooperates, partner_org_id, version, updated_by, updated_at
		FROM pathway_answers WHERE client_id = $1 AND org_id = $2`, c.ID, c.OrgID).
		Scan(&a.ImmediateDanger, &a.Under18, &a.CareAndSupportNeeds, &a.Cooperates, &a.PartnerOrgID, &a.Version, &a.UpdatedBy, &at)
	if errNoRows(err) {
		return waymark.PathwayAnswers{}, nil
	}
	a.UpdatedAt = at.t
	return a, err
}

// RecordConsent records an adult being asked to consent to an NRM referral; see waymark.JourneyService.
func (s *JourneyService) RecordConsent(ctx context.Context, actor waymark.Actor, clientID string, cs *waymark.NRMConsent) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditConsentRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := cs.Validate(tx.now); err != nil {
			return "", err
		}
		cs.ID, cs.ClientID, cs.RecordedBy, cs.RecordedAt = newID(), c.ID, actor.UserID, tx.now
		reason, err := tx.seal(ctx, c.OrgID, "nrm_consents", "refusal_reason", cs.ID, cs.RefusalReason)
		if err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO nrm_consents (id, client_id, org_id, explained_nrm, explained_support, explained_outcomes,
			explained_sharing, answer, answered_on, asked_by, refusal_reason, ask_again_on, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			cs.ID, c.ID, c.OrgID, cs.ExplainedNRM, cs.ExplainedSupport, cs.ExplainedOutcomes, cs.ExplainedSharing, cs.Answer, cs.AnsweredOn,
			cs.AskedBy, reason, cs.AskAgainOn, cs.RecordedBy, cs.RecordedAt)
		return "consent " + cs.ID, err
	})
}

// RecordStep records a pathway step taken; see waymark.JourneyService.
func (s *JourneyService) RecordStep(ctx context.Context, actor waymark.Actor, clientID string, st *waymark.StepRecord) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditStepRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := st.Validate(tx.now); err != nil {
			return "", err
		}
		st.ID, st.ClientID, st.RecordedBy, st.RecordedAt = newID(), c.ID, actor.UserID, tx.now
		note, err := tx.seal(ctx, c.OrgID, "pathway_steps", "note", st.ID, st.Note)
		if err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pathway_steps (id, client_id, org_id, kind, outcome, on_date, reference, note, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			st.ID, c.ID, c.OrgID, st.Kind, st.Outcome, st.On, st.Reference, note, st.RecordedBy, st.RecordedAt)
		return "step " + st.ID, err
	})
}

// RecordReferral records that an NRM referral was submitted; see waymark.JourneyService.
func (s *JourneyService) RecordReferral(ctx context.Context, actor waymark.Actor, clientID string, r *waymark.NRMReferral) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditReferralRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := r.Validate(tx.now); err != nil {
			return "", err
		}
		name, err := tx.checkFirstResponder(ctx, r.FirstResponderOrgID, "first_responder_org_id",
			"Choose the First Responder Organisation that submitted the referral: only a First Responder can")
		if err != nil {
			return "", err
		}
		_, child, consent, err := tx.routeFacts(ctx, c)
		if err != nil {
			return "", err
		}
		if !child && consent != waymark.ConsentGiven {
			return "", waymark.Errorf(waymark.EINVALID, "An adult is referred to the NRM only with their informed consent. Record their consent on the pathway page first, or, if they may be under 18, say so there.")
		}
		r.ID, r.ClientID, r.FirstResponderName, r.RecordedBy, r.RecordedAt = newID(), c.ID, name, actor.UserID, tx.now
		_, err = tx.ExecContext(ctx, `INSERT INTO nrm_referrals (id, client_id, org_id, submitted_on, first_responder_org_id, reference, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, c.ID, c.OrgID, r.SubmittedOn, r.FirstResponderOrgID, r.Reference, r.RecordedBy, r.RecordedAt)
		return "referral " + r.ID, err
	})
}

// RecordDecision records a competent authority's decision; see waymark.JourneyService.
func (s *JourneyService) RecordDecision(ctx context.Context, actor waymark.Actor, clientID string, d *waymark.NRMDecision) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditDecisionRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := d.Validate(tx.now); err != nil {
			return "", err
		}
		d.ID, d.ClientID, d.RecordedBy, d.RecordedAt = newID(), c.ID, actor.UserID, tx.now
		_, err := tx.ExecContext(ctx, `INSERT INTO nrm_decisions (id, client_id, org_id, stage, outcome, authority, decided_on,
			reconsideration_requested_on, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			d.ID, c.ID, c.OrgID, d.Stage, d.Outcome, d.Authority, d.DecidedOn, d.ReconsiderationRequestedOn, d.RecordedBy, d.RecordedAt)
		return "decision " + d.ID, err
	})
}

// RecordMilestone records a dated event of the NRM journey; see waymark.JourneyService.
func (s *JourneyService) RecordMilestone(ctx context.Context, actor waymark.Actor, clientID string, m *waymark.NRMMilestone) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditMilestoneRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := m.Validate(tx.now); err != nil {
			return "", err
		}
		m.ID, m.ClientID, m.RecordedBy, m.RecordedAt = newID(), c.ID, actor.UserID, tx.now
		note, err := tx.seal(ctx, c.OrgID, "nrm_milestones", "note", m.ID, m.Note)
		if err != nil {
			return "", err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO nrm_milestones (id, client_id, org_id, kind, on_date, note, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.ID, c.ID, c.OrgID, m.Kind, m.On, note, m.RecordedBy, m.RecordedAt)
		return "milestone " + m.ID, err
	})
}

// RecordDutyToNotify records that a Duty to Notify report was made; see waymark.JourneyService.
func (s *JourneyService) RecordDutyToNotify(ctx context.Context, actor waymark.Actor, clientID string, d *waymark.DutyToNotifyRecord) error {
	return s.db.changeClient(ctx, actor, clientID, waymark.AuditDutyToNotifyRecorded, func(tx *Tx, c *waymark.Client) (string, error) {
		if err := d.Validate(tx.now); err != nil {
			return "", err
		}
		o, err := tx.findOrg(ctx, c.OrgID)
		if err != nil {
			return "", err
		}
		if !o.SpecifiedPublicAuthority {
			return "", waymark.Errorf(waymark.EINVALID, "Only a specified public authority makes Duty to Notify reports, and your organisation is not one.")
		}
		answers, child, consent, err := tx.routeFacts(ctx, c)
		if err != nil {
			return "", err
		}
		if child || consent != waymark.ConsentRefused {
			return "", waymark.Errorf(waymark.EINVALID, "A Duty to Notify report is for an adult who does not consent to an NRM referral. Record their refusal on the pathway page first; a child is referred to the NRM instead.")
		}
		d.AgreesToCooperate = answers.Cooperates == waymark.AnswerYes
		d.ID, d.ClientID, d.RecordedBy, d.RecordedAt = newID(), c.ID, actor.UserID, tx.now
		_, err = tx.ExecContext(ctx, `INSERT INTO duty_to_notify_reports (id, client_id, org_id, agrees_to_cooperate, submitted_on, reference, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.ID, c.ID, c.OrgID, d.AgreesToCooperate, d.SubmittedOn, d.Reference, d.RecordedBy, d.RecordedAt)
		return "duty to notify " + d.ID, err
	})
}

// routeFacts are what the referral and the Duty to Notify report depend on: the pathway answers,
// whether the client is, or may be, a child (the worker's answer, or else what the record says),
// and their latest answer about an NRM referral.
func (tx *Tx) routeFacts(ctx context.Context, c *waymark.Client) (answers waymark.PathwayAnswers, child bool, consent waymark.ConsentAnswer, err error) {
	if answers, err = tx.answers(ctx, c); err != nil {
		return answers, false, "", err
	}
	under := answers.Under18
	if under == waymark.Under18NotRecorded {
		under = c.IsUnder18(tx.now)
	}
	err = tx.QueryRowContext(ctx, `SELECT answer FROM nrm_consents WHERE client_id = $1 AND org_id = $2 ORDER BY recorded_at DESC, id DESC LIMIT 1`,
		c.ID, c.OrgID).Scan(&consent)
	if errNoRows(err) {
		err = nil
	}
	return answers, under == waymark.Under18Yes || under == waymark.Under18NotSure, consent, err
}

// FindJourney reads everything recorded about a client's NRM journey; see waymark.JourneyService.
func (s *JourneyService) FindJourney(ctx context.Context, actor waymark.Actor, clientID string) (*waymark.Journey, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var j *waymark.Journey
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return nil, err
		}
		j, err = tx.journey(ctx, c)
		return &waymark.AuditEntry{Action: waymark.AuditJourneyViewed, ObjectType: "client", ObjectID: c.ID}, err
	})
	if err != nil {
		return nil, err
	}
	return j, nil
}

// journey reads everything recorded about the client's NRM journey.
func (tx *Tx) journey(ctx context.Context, c *waymark.Client) (*waymark.Journey, error) {
	j := &waymark.Journey{Client: c}
	var err error
	if j.Organisation, err = tx.findOrg(ctx, c.OrgID); err != nil {
		return nil, err
	}
	if j.Answers, err = tx.answers(ctx, c); err != nil {
		return nil, err
	}
	if j.Answers.PartnerOrgID != "" {
		if j.Partner, err = tx.findOrg(ctx, j.Answers.PartnerOrgID); err != nil {
			return nil, err
		}
	}
	for _, read := range []func(*Tx, context.Context, *waymark.Client, *waymark.Journey) error{
		(*Tx).readConsents, (*Tx).readSteps, (*Tx).readReferrals, (*Tx).readDecisions, (*Tx).readMilestones, (*Tx).readDutyToNotify,
	} {
		if err := read(tx, ctx, c, j); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// eachRow runs query and calls scan for each row.
func (tx *Tx) eachRow(ctx context.Context, query string, args []any, scan func(row interface{ Scan(...any) error }) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (tx *Tx) readConsents(ctx context.Context, c *waymark.Client, j *waymark.Journey) error {
	return tx.eachRow(ctx, `SELECT id, explained_nrm, explained_support, explained_outcomes, explained_sharing, answer, answered_on, asked_by,
		refusal_reason, ask_again_on, recorded_by, recorded_at FROM nrm_consents WHERE client_id = $1 AND org_id = $2 ORDER BY recorded_at, id`,
		[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
			cs := waymark.NRMConsent{ClientID: c.ID}
			var reason []byte
			var at nullTime
			if err := row.Scan(&cs.ID, &cs.ExplainedNRM, &cs.ExplainedSupport, &cs.ExplainedOutcomes, &cs.ExplainedSharing, &cs.Answer,
				&cs.AnsweredOn, &cs.AskedBy, &reason, &cs.AskAgainOn, &cs.RecordedBy, &at); err != nil {
				return err
			}
			cs.RecordedAt = at.t
			var err error
			if cs.RefusalReason, err = tx.open(ctx, c.OrgID, "nrm_consents", "refusal_reason", cs.ID, reason); err != nil {
				return err
			}
			j.Consents = append(j.Consents, &cs)
			return nil
		})
}

func (tx *Tx) readSteps(ctx context.Context, c *waymark.Client, j *waymark.Journey) error {
	return tx.eachRow(ctx, `SELECT s.id, s.kind, s.outcome, s.on_date, s.reference, s.note, s.recorded_by, COALESCE(u.name, ''), s.recorded_at
		FROM pathway_steps s LEFT JOIN users u ON u.id = s.recorded_by WHERE s.client_id = $1 AND s.org_id = $2 ORDER BY s.recorded_at, s.id`,
		[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
			st := waymark.StepRecord{ClientID: c.ID}
			var note []byte
			var at nullTime
			if err := row.Scan(&st.ID, &st.Kind, &st.Outcome, &st.On, &st.Reference, &note, &st.RecordedBy, &st.RecordedByName, &at); err != nil {
				return err
			}
			st.RecordedAt = at.t
			var err error
			if st.Note, err = tx.open(ctx, c.OrgID, "pathway_steps", "note", st.ID, note); err != nil {
				return err
			}
			j.Steps = append(j.Steps, &st)
			return nil
		})
}

func (tx *Tx) readReferrals(ctx context.Context, c *waymark.Client, j *waymark.Journey) error {
	return tx.eachRow(ctx, `SELECT r.id, r.submitted_on, r.first_responder_org_id, COALESCE(o.name, ''), r.reference, r.recorded_by, r.recorded_at
		FROM nrm_referrals r LEFT JOIN organisations o ON o.id = r.first_responder_org_id WHERE r.client_id = $1 AND r.org_id = $2
		ORDER BY r.submitted_on, r.recorded_at, r.id`,
		[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
			r := waymark.NRMReferral{ClientID: c.ID}
			var at nullTime
			if err := row.Scan(&r.ID, &r.SubmittedOn, &r.FirstResponderOrgID, &r.FirstResponderName, &r.Reference, &r.RecordedBy, &at); err != nil {
				return err
			}
			r.RecordedAt = at.t
			j.Referrals = append(j.Referrals, &r)
			return nil
		})
}

func (tx *Tx) readDecisions(ctx context.Context, c *waymark.Client, j *waymark.Journey) error {
	return tx.eachRow(ctx, `SELECT id, stage, outcome, authority, decided_on, reconsideration_requested_on, recorded_by, recorded_at
		FROM nrm_decisions WHERE client_id = $1 AND org_id = $2 ORDER BY decided_on, recorded_at, id`,
		[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
			d := waymark.NRMDecision{ClientID: c.ID}
			var at nullTime
			if err := row.Scan(&d.ID, &d.Stage, &d.Outcome, &d.Authority, &d.DecidedOn, &d.ReconsiderationRequestedOn, &d.RecordedBy, &at); err != nil {
				return err
			}
			d.RecordedAt = at.t
			j.Decisions = append(j.Decisions, &d)
			return nil
		})
}

func (tx *Tx) readMilestones(ctx context.Context, c *waymark.Client, j *waymark.Journey) error {
	return tx.eachRow(ctx, `SELECT id, kind, on_date, note, recorded_by, recorded_at FROM nrm_milestones WHERE client_id = $1 AND org_id = $2
		ORDER BY on_date, recorded_at, id`,
		[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
			m := waymark.NRMMilestone{ClientID: c.ID}
			var note []byte
			var at nullTime
			if err := row.Scan(&m.ID, &m.Kind, &m.On, &note, &m.RecordedBy, &at); err != nil {
				return err
			}
			m.RecordedAt = at.t
			var err error
			if m.Note, err = tx.open(ctx, c.OrgID, "nrm_milestones", "note", m.ID, note); err != nil {
				return err
			}
			j.Milestones = append(j.Milestones, &m)
			return nil
		})
}

func (tx *Tx) readDutyToNotify(ctx context.Context, c *waymark.Client, j *waymark.Journey) error {
	return tx.eachRow(ctx, `SELECT id, agrees_to_cooperate, submitted_on, reference, recorded_by, recorded_at FROM duty_to_notify_reports
		WHERE client_id = $1 AND org_id = $2 ORDER BY submitted_on, recorded_at, id`,
		[]any{c.ID, c.OrgID}, func(row interface{ Scan(...any) error }) error {
			d := waymark.DutyToNotifyRecord{ClientID: c.ID}
			var at nullTime
			if err := row.Scan(&d.ID, &d.AgreesToCooperate, &d.SubmittedOn, &d.Reference, &d.RecordedBy, &at); err != nil {
				return err
			}
			d.RecordedAt = at.t
			j.DutyToNotify = append(j.DutyToNotify, &d)
			return nil
		})
}
