package sqldb

import (
	"context"
	"encoding/json"
	"fmt"

	"waymark"
)

// SelfAssessmentService implements waymark.SelfAssessmentService.
type SelfAssessmentService struct{ db *DB }

// NewSelfAssessmentService returns the self-assessments and action plans.
func NewSelfAssessmentService(db *DB) *SelfAssessmentService { return &SelfAssessmentService{db: db} }

func mayViewAssessment(actor waymark.Actor) error {
	if !actor.Can(waymark.PermViewAssessment) || actor.OrgID == "" {
		return forbidden()
	}
	return nil
}

func mayManageAssessment(actor waymark.Actor) error {
	if !actor.Can(waymark.PermManageAssessment) || actor.OrgID == "" {
		return forbidden()
	}
	return nil
}

const assessmentColumns = `id, org_id, framework_version, status, started_on, completed_on, answers, measures, version, started_by, updated_by FROM self_assessments`

func scanAssessment(row interface{ Scan(...any) error }) (*waymark.Assessment, error) {
	var a waymark.Assessment
	var answers string
	var measures *string
	if err := row.Scan(&a.ID, &a.OrgID, &a.FrameworkVersion, &a.Status, &a.StartedOn, &a.CompletedOn, &answers, &measures, &a.Version, &a.StartedBy, &a.UpdatedBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return nil, fmt.Errorf("assessment %s answers: %w", a.ID, err)
	}
	if measures != nil {
		a.Measures = new(waymark.Measures)
		if err := json.Unmarshal([]byte(*measures), a.Measures); err != nil {
			return nil, fmt.Errorf("assessment %s measures: %w", a.ID, err)
		}
	}
	return &a, nil
}

func (tx *Tx) assessments(ctx context.Context, query string, args ...any) ([]*waymark.Assessment, error) {
	var out []*waymark.Assessment
	err := tx.eachRow(ctx, `SELECT `+assessmentColumns+` `+query, args, func(row interface{ Scan(...any) error }) error {
		a, err := scanAssessment(row)
		out = append(out, a)
		return err
	})
	return out, err
}

// findAssessment reads one of the organisation's assessments; another organisation's is not found.
func (tx *Tx) findAssessment(ctx context.Context, orgID, id string) (*waymark.Assessment, error) {
	a, err := scanAssessment(tx.QueryRowContext(ctx, `SELECT `+assessmentColumns+` WHERE id = $1 AND org_id = $2`, id, orgID))
	if errNoRows(err) {
		return nil, notFound("self-assessment")
	}
	return a, err
}

// FindAssessments lists the organisation's assessments; see waymark.SelfAssessmentService.
func (s *SelfAssessmentService) FindAssessments(ctx context.Context, actor waymark.Actor) ([]*waymark.Assessment, error) {
	if err := mayViewAssessment(actor); err != nil {
		return nil, err
	}
	var out []*waymark.Assessment
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (_ *waymark.AuditEntry, err error) {
		out, err = tx.assessments(ctx, `WHERE org_id = $1 ORDER BY CASE WHEN status = 'draft' THEN 0 ELSE 1 END, completed_on DESC, updated_at DESC`, actor.OrgID)
		return &waymark.AuditEntry{Action: waymark.AuditAssessmentsViewed, ObjectType: "self_assessment", Detail: fmt.Sprintf("%d assessments", len(out))}, err
	})
	return out, err
}

// FindAssessment reads one assessment; see waymark.SelfAssessmentService.
func (s *SelfAssessmentService) FindAssessment(ctx context.Context, actor waymark.Actor, id string) (*waymark.Assessment, error) {
	if err := mayViewAssessment(actor); err != nil {
		return nil, err
	}
	var out *waymark.Assessment
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (_ *waymark.AuditEntry, err error) {
		if out, err = tx.findAssessment(ctx, actor.OrgID, id); err != nil {
			return nil, err
		}
		if !out.Completed() {
			if out.Measures, err = tx.assessmentMeasures(ctx, actor.OrgID, waymark.Today(tx.now)); err != nil {
				return nil, err
			}
		}
		return &waymark.AuditEntry{Action: waymark.AuditAssessmentViewed, ObjectType: "self_assessment", ObjectID: id, Detail: out.Status}, nil
	})
	return out, err
}

// StartAssessment starts a draft, or returns the one open; see waymark.SelfAssessmentService.
// A new draft starts from the answers and evidence of the latest completed assessment of the same
// framework version, so that a manager updates last quarter's answers rather than retyping them.
func (s *SelfAssessmentService) StartAssessment(ctx context.Context, actor waymark.Actor) (*waymark.Assessment, error) {
	if err := mayManageAssessment(actor); err != nil {
		return nil, err
	}
	var out *waymark.Assessment
	err := s.db.update(ctx, func(tx *Tx) error {
		drafts, err := tx.assessments(ctx, `WHERE org_id = $1 AND status = 'draft'`, actor.OrgID)
		if err != nil {
			return err
		}
		if len(drafts) > 0 {
			out = drafts[0]
			return nil
		}
		answers := map[string]waymark.CriterionAnswer{}
		last, err := tx.assessments(ctx, `WHERE org_id = $1 AND status = 'completed' AND framework_version = $2 ORDER BY completed_on DESC, updated_at DESC LIMIT 1`,
			actor.OrgID, waymark.CurrentFrameworkVersion)
		if err != nil {
			return err
		}
		if len(last) > 0 {
			answers = last[0].Answers
		}
		out = &waymark.Assessment{ID: newID(), OrgID: actor.OrgID, FrameworkVersion: waymark.CurrentFrameworkVersion, Status: waymark.AssessmentDraft,
			StartedOn: waymark.Today(tx.now), StartedBy: actor.UserID, UpdatedBy: actor.UserID, Answers: answers, Version: 1}
		data, err := json.Marshal(out.Answers)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO self_assessments (id, org_id, framework_version, status, started_on, completed_on, answers, measures, version, started_by, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, '', $6, NULL, $7, $8, $9, $10)`, out.ID, out.OrgID, out.FrameworkVersion, out.Status, out.StartedOn, string(data), out.Version,
			actor.UserID, actor.UserID, tx.now); err != nil {
			if tx.db.engine.classify(err) == errUnique {
				return waymark.Errorf(waymark.ECONFLICT, "Another manager has just started your organisation's self-assessment: open it from the self-assessment page.")
			}
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditAssessmentStarted, ObjectType: "self_assessment", ObjectID: out.ID,
			Detail: "framework " + out.FrameworkVersion})
	})
	return out, err
}

// SaveAssessment stores a draft's answers and, when asked, completes it; see
// waymark.SelfAssessmentService.
func (s *SelfAssessmentService) SaveAssessment(ctx context.Context, actor waymark.Actor, id string, version int, answers map[string]waymark.CriterionAnswer, complete bool) (*waymark.Assessment, error) {
	if err := mayManageAssessment(actor); err != nil {
		return nil, err
	}
	var out *waymark.Assessment
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "self_assessments", id); err != nil {
			return err
		}
		cur, err := tx.findAssessment(ctx, actor.OrgID, id)
		if err != nil {
			return err
		}
		if cur.Completed() {
			return waymark.Errorf(waymark.ECONFLICT, "This self-assessment was completed on %s and can no longer be changed. Start a new one to record how things stand now.", waymark.FormatDay(cur.CompletedOn))
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else saved this self-assessment while you were working on it. Your answers have not been saved: open it again to see theirs, then make your changes again.")
		}
		f := cur.Framework()
		if f == nil {
			return waymark.Errorf(waymark.EINTERNAL, "framework %s is missing", cur.FrameworkVersion)
		}
		if answers == nil {
			answers = map[string]waymark.CriterionAnswer{}
		}
		if err := waymark.ValidateAnswers(f, answers, complete); err != nil {
			return err
		}
		cur.Answers, cur.Version, cur.UpdatedBy = answers, cur.Version+1, actor.UserID
		data, err := json.Marshal(answers)
		if err != nil {
			return err
		}
		var measures any
		action := waymark.AuditAssessmentSaved
		if complete {
			today := waymark.Today(tx.now)
			if cur.Measures, err = tx.assessmentMeasures(ctx, actor.OrgID, today); err != nil {
				return err
			}
			m, err := json.Marshal(cur.Measures)
			if err != nil {
				return err
			}
			measures, cur.Status, cur.CompletedOn, action = string(m), waymark.AssessmentCompleted, today, waymark.AuditAssessmentCompleted
		}
		if _, err := tx.ExecContext(ctx, `UPDATE self_assessments SET answers = $1, measures = $2, status = $3, completed_on = $4, version = $5, updated_by = $6, updated_at = $7
			WHERE id = $8`, string(data), measures, cur.Status, cur.CompletedOn, cur.Version, actor.UserID, tx.now, id); err != nil {
			return err
		}
		answered := 0
		for _, a := range answers {
			if a.Answer != "" {
				answered++
			}
		}
		out = cur
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: action, ObjectType: "self_assessment", ObjectID: id,
			Detail: fmt.Sprintf("version %d, %d criteria answered", cur.Version, answered)})
	})
	return out, err
}

// RecordPastAssessment stores an assessment the organisation completed on an earlier London date,
// with its measures worked out from the records as they stood to that date. It is for bringing in
// assessments made before Waymark and for the demo region; neither the pages nor the API offer it.
// Needs PermManageAssessment (EFORBIDDEN); EINVALID for a date to come or an answer missing.
func (s *SelfAssessmentService) RecordPastAssessment(ctx context.Context, actor waymark.Actor, completedOn string, answers map[string]waymark.CriterionAnswer) (*waymark.Assessment, error) {
	if err := mayManageAssessment(actor); err != nil {
		return nil, err
	}
	f := waymark.CurrentFramework()
	if err := waymark.ValidateAnswers(f, answers, true); err != nil {
		return nil, err
	}
	var out *waymark.Assessment
	err := s.db.update(ctx, func(tx *Tx) error {
		if waymark.AddDays(completedOn, 0) == "" || completedOn > waymark.Today(tx.now) {
			return waymark.Invalid(map[string]string{"completed_on": "Enter the date the assessment was completed: today or in the past"})
		}
		m, err := tx.assessmentMeasures(ctx, actor.OrgID, completedOn)
		if err != nil {
			return err
		}
		out = &waymark.Assessment{ID: newID(), OrgID: actor.OrgID, FrameworkVersion: f.Version, Status: waymark.AssessmentCompleted, StartedOn: completedOn,
			CompletedOn: completedOn, StartedBy: actor.UserID, UpdatedBy: actor.UserID, Answers: answers, Measures: m, Version: 1}
		a, err := json.Marshal(answers)
		if err != nil {
			return err
		}
		mj, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO self_assessments (id, org_id, framework_version, status, started_on, completed_on, answers, measures, version, started_by, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, out.ID, out.OrgID, out.FrameworkVersion, out.Status, out.StartedOn, out.CompletedOn, string(a), string(mj),
			out.Version, actor.UserID, actor.UserID, tx.now); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditAssessmentCompleted, ObjectType: "self_assessment", ObjectID: out.ID,
			Detail: "recorded as completed on " + completedOn})
	})
	return out, err
}

const planActionColumns = `id, org_id, action, owner, due_on, status, recommendation, version FROM self_assessment_actions`

func scanPlanAction(row interface{ Scan(...any) error }) (*waymark.PlanAction, error) {
	var p waymark.PlanAction
	err := row.Scan(&p.ID, &p.OrgID, &p.Text, &p.Owner, &p.DueOn, &p.Status, &p.Recommendation, &p.Version)
	return &p, err
}

// FindActions lists the organisation's action plan; see waymark.SelfAssessmentService.
func (s *SelfAssessmentService) FindActions(ctx context.Context, actor waymark.Actor) ([]*waymark.PlanAction, error) {
	if err := mayViewAssessment(actor); err != nil {
		return nil, err
	}
	var out []*waymark.PlanAction
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		err := tx.eachRow(ctx, `SELECT `+planActionColumns+` WHERE org_id = $1 ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_on, id`, []any{actor.OrgID},
			func(row interface{ Scan(...any) error }) error {
				p, err := scanPlanAction(row)
				out = append(out, p)
				return err
			})
		return &waymark.AuditEntry{Action: waymark.AuditPlanViewed, ObjectType: "self_assessment_action", Detail: fmt.Sprintf("%d actions", len(out))}, err
	})
	return out, err
}

// AddAction adds an action to the plan; see waymark.SelfAssessmentService.
func (s *SelfAssessmentService) AddAction(ctx context.Context, actor waymark.Actor, p *waymark.PlanAction) error {
	if err := mayManageAssessment(actor); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		p.ID, p.OrgID, p.Version = newID(), actor.OrgID, 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO self_assessment_actions (id, org_id, action, owner, due_on, status, recommendation, version, created_by, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, p.ID, p.OrgID, p.Text, p.Owner, p.DueOn, p.Status, p.Recommendation, p.Version,
			actor.UserID, actor.UserID, tx.now); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditPlanActionAdded, ObjectType: "self_assessment_action", ObjectID: p.ID,
			Detail: fmt.Sprintf("due %s, %s, %s", p.DueOn, p.Status, p.Recommendation)})
	})
}

// UpdateAction changes an action; see waymark.SelfAssessmentService.
func (s *SelfAssessmentService) UpdateAction(ctx context.Context, actor waymark.Actor, id string, version int, p waymark.PlanAction) (*waymark.PlanAction, error) {
	if err := mayManageAssessment(actor); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "self_assessment_actions", id); err != nil {
			return err
		}
		cur, err := scanPlanAction(tx.QueryRowContext(ctx, `SELECT `+planActionColumns+` WHERE id = $1 AND org_id = $2`, id, actor.OrgID))
		if errNoRows(err) {
			return notFound("action")
		}
		if err != nil {
			return err
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this action while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
		}
		p.ID, p.OrgID, p.Version = cur.ID, cur.OrgID, cur.Version+1
		if _, err := tx.ExecContext(ctx, `UPDATE self_assessment_actions SET action = $1, owner = $2, due_on = $3, status = $4, recommendation = $5, version = $6,
			updated_by = $7, updated_at = $8 WHERE id = $9`, p.Text, p.Owner, p.DueOn, p.Status, p.Recommendation, p.Version, actor.UserID, tx.now, id); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditPlanActionUpdated, ObjectType: "self_assessment_action", ObjectID: id,
			Detail: fmt.Sprintf("version %d, due %s, %s (was %s)", p.Version, p.DueOn, p.Status, cur.Status)})
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// RegionalComparison works out the region's quartiles; see waymark.SelfAssessmentService. Each
// organisation counts once, by its latest completed assessment.
func (s *SelfAssessmentService) RegionalComparison(ctx context.Context, actor waymark.Actor) (*waymark.RegionalComparison, error) {
	if !actor.Can(waymark.PermViewRegionalStats) {
		return nil, forbidden()
	}
	out := &waymark.RegionalComparison{}
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		all, err := tx.assessments(ctx, `WHERE status = 'completed' ORDER BY org_id, completed_on DESC, updated_at DESC`)
		if err != nil {
			return nil, err
		}
		latest := map[string]*waymark.Assessment{}
		for _, a := range all {
			if latest[a.OrgID] == nil {
				latest[a.OrgID] = a
			}
		}
		var own []waymark.RecommendationResult
		if a := latest[actor.OrgID]; a != nil && actor.Can(waymark.PermViewAssessment) {
			own = a.Results()
		}
		// The viewer's own organisation is compared with the others, never counted among them.
		delete(latest, actor.OrgID)
		out.Organisations = waymark.Count(len(latest))
		if len(latest) >= waymark.MinRegionalOrganisations {
			out.Shown = true
			scores := map[string][]float64{}
			for _, a := range latest {
				for _, r := range a.Results() {
					if r.Rated > 0 {
						scores[r.ID] = append(scores[r.ID], r.Score)
					}
				}
			}
			for _, r := range waymark.CurrentFramework().Recommendations {
				row := waymark.RegionalRow{ID: r.ID, Title: r.Title, Rated: waymark.Count(len(scores[r.ID]))}
				// A recommendation rated by fewer than five organisations is left blank, by the
				// same rule as the whole comparison.
				if len(scores[r.ID]) >= waymark.MinRegionalOrganisations {
					row.Quartiles = waymark.ComputeQuartiles(scores[r.ID])
				}
				for _, o := range own {
					if o.ID == r.ID && o.Rated > 0 {
						row.Own, row.OwnRated, row.OwnRAG = o.Score, true, o.RAG
					}
				}
				out.Rows = append(out.Rows, row)
			}
		}
		return &waymark.AuditEntry{Action: waymark.AuditRegionalViewed, ObjectType: "self_assessment",
			Detail: fmt.Sprintf("%d organisations, shown %t", len(latest), out.Shown)}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
