package sqldb

import (
	"context"

	"waymark"
)

// SupportService implements waymark.SupportService.
type SupportService struct{ db *DB }

// NewSupportService returns the support log service.
func NewSupportService(db *DB) *SupportService { return &SupportService{db: db} }

// checkProvider refuses a provider organisation that does not exist; its ID comes from a form.
func (tx *Tx) checkProvider(ctx context.Context, a *waymark.SupportAction) error {
	if a.ProviderOrgID == "" {
		a.ProviderOrgName = ""
		return nil
	}
	o, err := tx.findOrg(ctx, a.ProviderOrgID)
	if waymark.ErrorCode(err) == waymark.ENOTFOUND {
		return waymark.Invalid(map[string]string{"provider_org_id": "Choose a provider organisation from the list, or name the provider"})
	}
	if err != nil {
		return err
	}
	a.ProviderOrgName = o.Name
	return nil
}

// AddSupport records a support action; see waymark.SupportService.
func (s *SupportService) AddSupport(ctx context.Context, actor waymark.Actor, clientID string, a waymark.SupportAction) (*waymark.SupportAction, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, forbidden()
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return err
		}
		if err := a.Validate(tx.now); err != nil {
			return err
		}
		if err := tx.checkProvider(ctx, &a); err != nil {
			return err
		}
		a.ID, a.ClientID, a.OrgID, a.RecordedBy, a.RecordedAt, a.Version = newID(), c.ID, c.OrgID, actor.UserID, tx.now, 1
		notes, err := tx.seal(ctx, a.OrgID, "support_actions", "notes", a.ID, a.Notes)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO support_actions (id, client_id, org_id, support_type, provider_org_id, provider_name,
			start_date, end_date, outcome, notes, recorded_by, recorded_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			a.ID, a.ClientID, a.OrgID, a.Type, a.ProviderOrgID, a.ProviderName, a.Start, a.End, a.Outcome, notes, a.RecordedBy, a.RecordedAt, a.Version); err != nil {
			return err
		}
		// The detail names the entry only: the kind of support a person had is itself personal data.
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditSupportAdded, ObjectType: "client", ObjectID: c.ID, Detail: "support " + a.ID})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateSupport replaces a support action's details; see waymark.SupportService.
func (s *SupportService) UpdateSupport(ctx context.Context, actor waymark.Actor, clientID, id string, version int, a waymark.SupportAction) (*waymark.SupportAction, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, forbidden()
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "support_actions", id); err != nil {
			return err
		}
		if _, err := tx.findClient(ctx, actor, clientID); err != nil {
			return err
		}
		cur, err := tx.findSupport(ctx, actor, clientID, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this support while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
		}
		if err := a.Validate(tx.now); err != nil {
			return err
		}
		if err := tx.checkProvider(ctx, &a); err != nil {
			return err
		}
		a.ID, a.ClientID, a.OrgID, a.RecordedBy, a.RecordedAt, a.Version = cur.ID, cur.ClientID, cur.OrgID, cur.RecordedBy, cur.RecordedAt, cur.Version+1
		notes, err := tx.seal(ctx, a.OrgID, "support_actions", "notes", a.ID, a.Notes)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE support_actions SET support_type = $1, provider_org_id = $2, provider_name = $3, start_date = $4,
			end_date = $5, outcome = $6, notes = $7, version = $8 WHERE id = $9`,
			a.Type, a.ProviderOrgID, a.ProviderName, a.Start, a.End, a.Outcome, notes, a.Version, a.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditSupportUpdated, ObjectType: "client", ObjectID: clientID, Detail: "support " + a.ID})
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

const supportColumns = `s.id, s.client_id, s.org_id, s.support_type, s.provider_org_id, COALESCE(o.name, ''), s.provider_name, s.start_date, s.end_date,
	s.outcome, s.notes, s.recorded_by, s.recorded_at, s.version
	FROM support_actions s LEFT JOIN organisations o ON o.id = s.provider_org_id`

// scanSupport reads a support action row and opens its notes.
func (tx *Tx) scanSupport(ctx context.Context, row interface{ Scan(...any) error }) (*waymark.SupportAction, error) {
	var a waymark.SupportAction
	var at nullTime
	var notes []byte
	if err := row.Scan(&a.ID, &a.ClientID, &a.OrgID, &a.Type, &a.ProviderOrgID, &a.ProviderOrgName, &a.ProviderName, &a.Start, &a.End,
		&a.Outcome, &notes, &a.RecordedBy, &at, &a.Version); err != nil {
		return nil, err
	}
	a.RecordedAt = at.t
	var err error
	if a.Notes, err = tx.open(ctx, a.OrgID, "support_actions", "notes", a.ID, notes); err != nil {
		return nil, err
	}
	return &a, nil
}

// findSupport reads one support action of a client of the actor's organisation.
func (tx *Tx) findSupport(ctx context.Context, actor waymark.Actor, clientID, id string) (*waymark.SupportAction, error) {
	a, err := tx.scanSupport(ctx, tx.QueryRowContext(ctx, `SELECT `+supportColumns+` WHERE s.id = $1 AND s.client_id = $2 AND s.org_id = $3`,
		id, clientID, actor.OrgID))
	if errNoRows(err) {
		return nil, notFound("support")
	}
	return a, err
}

// FindSupport lists a client's support log, newest start first; see waymark.SupportService.
func (s *SupportService) FindSupport(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.SupportAction, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []*waymark.SupportAction
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		if _, err := tx.findClient(ctx, actor, clientID); err != nil {
			return nil, err
		}
		var err error
		out, err = tx.supportLog(ctx, actor.OrgID, clientID)
		return &waymark.AuditEntry{Action: waymark.AuditSupportViewed, ObjectType: "client", ObjectID: clientID}, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// supportLog reads a client's support actions, newest start first.
func (tx *Tx) supportLog(ctx context.Context, orgID, clientID string) ([]*waymark.SupportAction, error) {
	var out []*waymark.SupportAction
	err := tx.eachRow(ctx, `SELECT `+supportColumns+` WHERE s.client_id = $1 AND s.org_id = $2
		ORDER BY s.start_date DESC, s.recorded_at DESC, s.id LIMIT 500`, []any{clientID, orgID}, func(row interface{ Scan(...any) error }) error {
		a, err := tx.scanSupport(ctx, row)
		out = append(out, a)
		return err
	})
	return out, err
}

// HomelessnessService implements waymark.HomelessnessService.
type HomelessnessService struct{ db *DB }

// NewHomelessnessService returns the housing history service.
func NewHomelessnessService(db *DB) *HomelessnessService { return &HomelessnessService{db: db} }

// AddEpisode records an episode of a client's housing history; see waymark.HomelessnessService.
func (s *HomelessnessService) AddEpisode(ctx context.Context, actor waymark.Actor, clientID string, e waymark.HomelessnessEpisode) (*waymark.HomelessnessEpisode, error) {
	if !actor.Can(waymark.PermEditClients) {
		return nil, forbidden()
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.findClient(ctx, actor, clientID)
		if err != nil {
			return err
		}
		if err := e.Validate(tx.now); err != nil {
			return err
		}
		e.ID, e.ClientID, e.OrgID, e.RecordedBy, e.RecordedAt = newID(), c.ID, c.OrgID, actor.UserID, tx.now
		notes, err := tx.seal(ctx, e.OrgID, "homelessness_episodes", "notes", e.ID, e.Notes)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO homelessness_episodes (id, client_id, org_id, situation, from_date, to_date, notes, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, e.ID, e.ClientID, e.OrgID, e.Situation, e.From, e.To, notes, e.RecordedBy, e.RecordedAt); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditHomelessnessAdded, ObjectType: "client", ObjectID: c.ID, Detail: "episode " + e.ID})
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// FindEpisodes lists a client's housing history, newest first; see waymark.HomelessnessService.
func (s *HomelessnessService) FindEpisodes(ctx context.Context, actor waymark.Actor, clientID string) ([]*waymark.HomelessnessEpisode, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	var out []*waymark.HomelessnessEpisode
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		if _, err := tx.findClient(ctx, actor, clientID); err != nil {
			return nil, err
		}
		var err error
		out, err = tx.housingHistory(ctx, actor.OrgID, clientID)
		return &waymark.AuditEntry{Action: waymark.AuditHomelessnessViewed, ObjectType: "client", ObjectID: clientID}, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// housingHistory reads a client's homelessness episodes, newest first.
func (tx *Tx) housingHistory(ctx context.Context, orgID, clientID string) ([]*waymark.HomelessnessEpisode, error) {
	var out []*waymark.HomelessnessEpisode
	err := tx.eachRow(ctx, `SELECT id, client_id, org_id, situation, from_date, to_date, notes, recorded_by, recorded_at
		FROM homelessness_episodes WHERE client_id = $1 AND org_id = $2 ORDER BY from_date DESC, recorded_at DESC, id LIMIT 500`, []any{clientID, orgID},
		func(row interface{ Scan(...any) error }) error {
			var e waymark.HomelessnessEpisode
			var at nullTime
			var notes []byte
			if err := row.Scan(&e.ID, &e.ClientID, &e.OrgID, &e.Situation, &e.From, &e.To, &notes, &e.RecordedBy, &at); err != nil {
				return err
			}
			e.RecordedAt = at.t
			var err error
			e.Notes, err = tx.open(ctx, e.OrgID, "homelessness_episodes", "notes", e.ID, notes)
			out = append(out, &e)
			return err
		})
	return out, err
}
