package sqldb

import (
	"context"
	"slices"
	"strings"

	"waymark"
)

// TaskService implements waymark.TaskService.
type TaskService struct{ db *DB }

// NewTaskService returns the task service.
func NewTaskService(db *DB) *TaskService { return &TaskService{db: db} }

var _ waymark.TaskService = (*TaskService)(nil)

// taskColumns read an open task with its client's name and assigned worker.
const taskColumns = `t.id, t.org_id, t.client_id, c.given_name, c.family_name, c.reference, t.kind, t.source, t.due_on, c.assigned_worker_id,
	COALESCE(u.name, ''), t.opened_at
	FROM tasks t JOIN clients c ON c.id = t.client_id LEFT JOIN users u ON u.id = c.assigned_worker_id`

func (tx *Tx) findTasks(ctx context.Context, where string, args ...any) ([]*waymark.Task, error) {
	var out []*waymark.Task
	err := tx.eachRow(ctx, `SELECT `+taskColumns+` WHERE t.closed_at IS NULL AND `+where+` ORDER BY t.due_on, t.opened_at, t.id LIMIT 500`, args,
		func(row interface{ Scan(...any) error }) error {
			var t waymark.Task
			var given, family string
			var at nullTime
			if err := row.Scan(&t.ID, &t.OrgID, &t.ClientID, &given, &family, &t.ClientReference, &t.Kind, &t.Source, &t.DueOn, &t.AssignedTo, &t.AssignedToName, &at); err != nil {
				return err
			}
			t.OpenedAt = at.t
			t.ClientName = clientName(given, family)
			out = append(out, &t)
			return nil
		})
	return out, err
}

// myTasks is the condition of the actor's own tasks: their clients', and for safeguarding leads
// also those of clients nobody is assigned to.
func myTasks(actor waymark.Actor) string {
	if actor.Role == waymark.RoleSafeguardingLead {
		return `t.org_id = $1 AND (c.assigned_worker_id = $2 OR c.assigned_worker_id = '')`
	}
	return `t.org_id = $1 AND c.assigned_worker_id = $2`
}

// FindMyTasks lists the actor's open tasks; see waymark.TaskService.
func (s *TaskService) FindMyTasks(ctx context.Context, actor waymark.Actor) ([]*waymark.Task, error) {
	if !actor.Can(waymark.PermViewClients) {
		return nil, forbidden()
	}
	return s.readTasks(ctx, actor, "mine", myTasks(actor), actor.OrgID, actor.UserID)
}

// CountMyTasks counts the actor's open and overdue tasks; see waymark.TaskService.
func (s *TaskService) CountMyTasks(ctx context.Context, actor waymark.Actor) (open, overdue int, err error) {
	if !actor.Can(waymark.PermViewClients) {
		return 0, 0, forbidden()
	}
	err = s.db.view(ctx, func(tx *Tx) error {
		today := waymark.Today(tx.now)
		return tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN t.due_on < $3 THEN 1 ELSE 0 END), 0)
			FROM tasks t JOIN clients c ON c.id = t.client_id WHERE t.closed_at IS NULL AND `+myTasks(actor), actor.OrgID, actor.UserID, today).Scan(&open, &overdue)
	})
	return open, overdue, err
}

// FindOrganisationTasks lists the organisation's open tasks; see waymark.TaskService.
func (s *TaskService) FindOrganisationTasks(ctx context.Context, actor waymark.Actor) ([]*waymark.Task, error) {
	if !actor.Can(waymark.PermViewOrgTasks) {
		return nil, forbidden()
	}
	return s.readTasks(ctx, actor, "organisation", `t.org_id = $1`, actor.OrgID)
}

// readTasks reads tasks as an audited list view. A task names its client, so the entry names every
// client shown (opaque IDs), as a client list's does: "who has seen this record" includes a task list.
func (s *TaskService) readTasks(ctx context.Context, actor waymark.Actor, which, where string, args ...any) ([]*waymark.Task, error) {
	var out []*waymark.Task
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		var err error
		out, err = tx.findTasks(ctx, where, args...)
		var ids []string
		for _, t := range out {
			if !slices.Contains(ids, t.ClientID) {
				ids = append(ids, t.ClientID)
			}
		}
		return &waymark.AuditEntry{Action: waymark.AuditTasksViewed, ObjectType: "task", Detail: which + "; clients shown: " + strings.Join(ids, " ")}, err
	})
	return out, err
}

// dueTask is a task whose condition holds.
type dueTask struct {
	orgID, clientID string
	kind            waymark.TaskKind
	source, dueOn   string
}

type taskKey struct {
	clientID string
	kind     waymark.TaskKind
	source   string
}

// RefreshTasks opens and closes tasks; see waymark.TaskService.
func (s *TaskService) RefreshTasks(ctx context.Context, actor waymark.Actor, set waymark.TaskSettings) (opened, closed int, err error) {
	if !actor.System {
		return 0, 0, forbidden()
	}
	// What is due is worked out in a read transaction, so that the scans of the region do not hold
	// SQLite's single writer; the short write that follows applies the difference.
	var due []dueTask
	if err := s.db.view(ctx, func(tx *Tx) (err error) {
		due, err = tx.dueTasks(ctx, set)
		return err
	}); err != nil {
		return 0, 0, err
	}
	err = s.db.update(ctx, func(tx *Tx) error {
		open := map[taskKey]string{}
		if err := tx.eachRow(ctx, `SELECT id, client_id, kind, source FROM tasks WHERE closed_at IS NULL`, nil, func(row interface{ Scan(...any) error }) error {
			var id string
			var k taskKey
			if err := row.Scan(&id, &k.clientID, &k.kind, &k.source); err != nil {
				return err
			}
			open[k] = id
			return nil
		}); err != nil {
			return err
		}
		for _, d := range due {
			k := taskKey{d.clientID, d.kind, d.source}
			if _, ok := open[k]; ok {
				delete(open, k)
				continue
			}
			id := newID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO tasks (id, org_id, client_id, kind, source, due_on, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				id, d.orgID, d.clientID, d.kind, d.source, d.dueOn, tx.now); err != nil {
				return err
			}
			if err := tx.notify(ctx, id, d.orgID, d.clientID); err != nil {
				return err
			}
			opened++
		}
		for _, id := range open {
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET closed_at = $1 WHERE id = $2`, tx.now, id); err != nil {
				return err
			}
			closed++
		}
		return nil
	})
	return opened, closed, err
}

// dueTasks lists the tasks whose conditions hold across the region on today's London date.
func (tx *Tx) dueTasks(ctx context.Context, set waymark.TaskSettings) ([]dueTask, error) {
	today := waymark.Today(tx.now)
	var out []dueTask
	packs := map[string]bool{}
	add := func(orgID, clientID string, kind waymark.TaskKind, source, dueOn string) {
		// A child who also consented needs one referral, not two reminders of it.
		if kind == waymark.TaskReferralPack {
			if packs[clientID] {
				return
			}
			packs[clientID] = true
		}
		out = append(out, dueTask{orgID, clientID, kind, source, dueOn})
	}
	queries := []struct {
		sql  string
		args []any
		row  func(org, client, a, b, c string)
	}{
		// A concern nobody has started the pathway for: the safeguarding lead decides the route.
		{`SELECT c.org_id, c.id, '', '', '' FROM clients c WHERE c.concern_status IN ('suspected', 'disclosed', 'confirmed')
			AND NOT EXISTS (SELECT 1 FROM pathway_answers a WHERE a.client_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM nrm_consents n WHERE n.client_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM pathway_steps p WHERE p.client_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM nrm_referrals r WHERE r.client_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM nrm_decisions d WHERE d.client_id = c.id)
			AND NOT EXISTS (SELECT 1 FROM duty_to_notify_reports t WHERE t.client_id = c.id)`, nil,
			func(org, client, _, _, _ string) { add(org, client, waymark.TaskNewConcern, client, today) }},
		// The latest consent: a yes with no referral yet is a pack to complete; a no is asked again
		// when the date comes.
		{`SELECT n.org_id, n.client_id, n.id, n.answer, CASE WHEN n.answer = 'yes' THEN n.answered_on ELSE n.ask_again_on END FROM nrm_consents n
			WHERE NOT (n.answer = 'yes' AND EXISTS (SELECT 1 FROM nrm_referrals r WHERE r.client_id = n.client_id)) AND NOT EXISTS (SELECT 1 FROM nrm_consents m WHERE m.client_id = n.client_id AND (m.recorded_at > n.recorded_at OR m.recorded_at = n.recorded_at AND m.id > n.id))`, nil,
			func(org, client, id, answer, on string) {
				switch {
				case answer == string(waymark.ConsentGiven):
					add(org, client, waymark.TaskReferralPack, id, on)
				case answer == string(waymark.ConsentRefused) && on != "" && on <= today:
					add(org, client, waymark.TaskAskConsentAgain, id, on)
				}
			}},
		// A referral with no reasonable grounds decision long after it was submitted.
		{`SELECT r.org_id, r.client_id, r.id, r.submitted_on, '' FROM nrm_referrals r
			WHERE NOT EXISTS (SELECT 1 FROM nrm_decisions d WHERE d.client_id = r.client_id AND d.stage = 'reasonable_grounds')
			AND NOT EXISTS (SELECT 1 FROM nrm_referrals e WHERE e.client_id = r.client_id AND (e.submitted_on < r.submitted_on OR e.submitted_on = r.submitted_on AND e.id < r.id))`, nil,
			func(org, client, id, submitted, _ string) {
				if chase := waymark.AddDays(submitted, set.DecisionOverdueDays); chase != "" && chase <= today {
					add(org, client, waymark.TaskNoReasonableGrounds, id, chase)
				}
			}},
	}
	// A child, or someone who may be one, whose pathway has started: the referral needs no consent.
	// Whether they are under 18 is the worker's answer or, when the worker goes by the record, what
	// the record says, worked out as the pathway page does.
	if err := tx.eachRow(ctx, `SELECT c.org_id, c.id, c.date_of_birth, c.estimated_age, c.age_disputed, a.under_18 FROM clients c
		JOIN pathway_answers a ON a.client_id = c.id WHERE c.concern_status IN ('suspected', 'disclosed', 'confirmed')
		AND NOT EXISTS (SELECT 1 FROM nrm_referrals r WHERE r.client_id = c.id)`, nil, func(row interface{ Scan(...any) error }) error {
		var org, client string
		var c waymark.Client
		var answer waymark.Under18
		if err := row.Scan(&org, &client, &c.DateOfBirth, &c.EstimatedAge, &c.AgeDisputed, &answer); err != nil {
			return err
		}
		if answer == waymark.Under18NotRecorded {
			answer = c.IsUnder18(tx.now)
		}
		if answer == waymark.Under18Yes || answer == waymark.Under18NotSure {
			add(org, client, waymark.TaskReferralPack, client, today)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := tx.dueAfterSupport(ctx, today, set, add); err != nil {
		return nil, err
	}
	for _, q := range queries {
		if err := tx.eachRow(ctx, q.sql, q.args, func(row interface{ Scan(...any) error }) error {
			var org, client, a, b, c string
			if err := row.Scan(&org, &client, &a, &b, &c); err != nil {
				return err
			}
			q.row(org, client, a, b, c)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
