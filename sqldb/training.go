package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"waymark"
)

// TrainingService implements waymark.TrainingService.
type TrainingService struct{ db *DB }

// NewTrainingService returns the training records.
func NewTrainingService(db *DB) *TrainingService { return &TrainingService{db: db} }

// maxCompletionsRead bounds the completions read to work out one organisation's coverage: a large
// service with a few hundred staff and ten years of courses stays far below it.
const maxCompletionsRead = 50000

func mayViewTraining(actor waymark.Actor) error {
	if !actor.Can(waymark.PermViewTraining) || actor.OrgID == "" {
		return forbidden()
	}
	return nil
}

func mayManageTraining(actor waymark.Actor) error {
	if !actor.Can(waymark.PermManageTraining) || actor.OrgID == "" {
		return forbidden()
	}
	return nil
}

const courseColumns = `c.id, c.org_id, o.name, c.name, c.provider, c.level, c.validity_months, c.version, c.updated_at
	FROM training_courses c JOIN organisations o ON o.id = c.org_id`

func scanCourse(row interface{ Scan(...any) error }) (*waymark.Course, error) {
	var c waymark.Course
	var updated nullTime
	if err := row.Scan(&c.ID, &c.OrgID, &c.OrgName, &c.Name, &c.Provider, &c.Level, &c.ValidityMonths, &c.Version, &updated); err != nil {
		return nil, err
	}
	c.UpdatedAt = updated.t
	return &c, nil
}

func (tx *Tx) courses(ctx context.Context) ([]*waymark.Course, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+courseColumns+` ORDER BY c.name_key, o.name, c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*waymark.Course
	for rows.Next() {
		c, err := scanCourse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (tx *Tx) findCourse(ctx context.Context, id string) (*waymark.Course, error) {
	c, err := scanCourse(tx.QueryRowContext(ctx, `SELECT `+courseColumns+` WHERE c.id = $1`, id))
	if errNoRows(err) {
		return nil, notFound("course")
	}
	return c, err
}

// FindCourses lists the catalogue; see waymark.TrainingService.
func (s *TrainingService) FindCourses(ctx context.Context, actor waymark.Actor) ([]*waymark.Course, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var out []*waymark.Course
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.courses(ctx)
		return err
	})
	return out, err
}

// FindCourse reads one course; see waymark.TrainingService.
func (s *TrainingService) FindCourse(ctx context.Context, actor waymark.Actor, id string) (*waymark.Course, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var out *waymark.Course
	err := s.db.view(ctx, func(tx *Tx) (err error) {
		out, err = tx.findCourse(ctx, id)
		return err
	})
	return out, err
}

// checkCourseName refuses a name another course of the same organisation has: the catalogue may
// hold two courses of one name from two organisations, never from one.
func (tx *Tx) checkCourseName(ctx context.Context, orgID, id, name string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM training_courses WHERE org_id = $1 AND name_key = $2 AND id <> $3`,
		orgID, nameKey(name), id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return waymark.Invalid(map[string]string{"name": "Your organisation already keeps a course with this name: give this one a different name, or change the existing course"})
	}
	return nil
}

// CreateCourse adds a course; see waymark.TrainingService.
func (s *TrainingService) CreateCourse(ctx context.Context, actor waymark.Actor, c *waymark.Course) error {
	if err := mayManageTraining(actor); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.checkCourseName(ctx, actor.OrgID, "", c.Name); err != nil {
			return err
		}
		c.ID, c.OrgID, c.Version, c.UpdatedAt = newID(), actor.OrgID, 1, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO training_courses (id, org_id, name, name_key, provider, level, validity_months, version, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			c.ID, c.OrgID, c.Name, nameKey(c.Name), c.Provider, c.Level, c.ValidityMonths, c.Version, actor.UserID, tx.now, tx.now); err != nil {
			return err
		}
		o, err := tx.findOrg(ctx, c.OrgID)
		if err != nil {
			return err
		}
		c.OrgName = o.Name
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditCourseCreated, ObjectType: "training_course", ObjectID: c.ID,
			Detail: fmt.Sprintf("level %s, valid %d months", c.Level, c.ValidityMonths)})
	})
}

// UpdateCourse changes a course the actor's organisation keeps; see waymark.TrainingService.
func (s *TrainingService) UpdateCourse(ctx context.Context, actor waymark.Actor, id string, version int, c waymark.Course) (*waymark.Course, error) {
	if err := mayManageTraining(actor); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := tx.lockRow(ctx, "training_courses", id); err != nil {
			return err
		}
		cur, err := tx.findCourse(ctx, id)
		if err != nil {
			return err
		}
		if cur.OrgID != actor.OrgID {
			return waymark.Errorf(waymark.EFORBIDDEN, "Only %s, which keeps this course, can change it.", cur.OrgName)
		}
		if cur.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this course while you were editing it. Your change has not been saved: read it as it is now, then make your change again.")
		}
		if err := tx.checkCourseName(ctx, actor.OrgID, id, c.Name); err != nil {
			return err
		}
		c.ID, c.OrgID, c.OrgName, c.Version, c.UpdatedAt = cur.ID, cur.OrgID, cur.OrgName, cur.Version+1, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE training_courses SET name = $1, name_key = $2, provider = $3, level = $4, validity_months = $5,
			version = $6, updated_at = $7 WHERE id = $8`, c.Name, nameKey(c.Name), c.Provider, c.Level, c.ValidityMonths, c.Version, tx.now, c.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditCourseUpdated, ObjectType: "training_course", ObjectID: c.ID,
			Detail: fmt.Sprintf("version %d, level %s, valid %d months (was %s, %d)", c.Version, c.Level, c.ValidityMonths, cur.Level, cur.ValidityMonths)})
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

const volunteerColumns = `id, org_id, name, active, added_on, ended_on, version FROM volunteers`

func scanVolunteer(row interface{ Scan(...any) error }) (*waymark.Volunteer, error) {
	var v waymark.Volunteer
	err := row.Scan(&v.ID, &v.OrgID, &v.Name, &v.Active, &v.AddedOn, &v.EndedOn, &v.Version)
	return &v, err
}

func (tx *Tx) volunteers(ctx context.Context, orgID string, all bool) ([]*waymark.Volunteer, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+volunteerColumns+` WHERE org_id = $1 AND (active OR $2) ORDER BY active DESC, name_key, id`, orgID, all)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*waymark.Volunteer
	for rows.Next() {
		v, err := scanVolunteer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindVolunteers lists the organisation's volunteers; see waymark.TrainingService.
func (s *TrainingService) FindVolunteers(ctx context.Context, actor waymark.Actor, all bool) ([]*waymark.Volunteer, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var out []*waymark.Volunteer
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (_ *waymark.AuditEntry, err error) {
		out, err = tx.volunteers(ctx, actor.OrgID, all)
		return &waymark.AuditEntry{Action: waymark.AuditVolunteersViewed, ObjectType: "volunteer", Detail: fmt.Sprintf("%d volunteers", len(out))}, err
	})
	return out, err
}

func (tx *Tx) insertVolunteer(ctx context.Context, orgID string, v *waymark.Volunteer) error {
	v.ID, v.OrgID, v.Active, v.AddedOn, v.EndedOn, v.Version = newID(), orgID, true, waymark.Today(tx.now), "", 1
	_, err := tx.ExecContext(ctx, `INSERT INTO volunteers (id, org_id, name, name_key, active, added_on, ended_on, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, v.ID, v.OrgID, v.Name, nameKey(v.Name), v.Active, v.AddedOn, v.EndedOn, v.Version, tx.now, tx.now)
	return err
}

// AddVolunteer adds a volunteer; see waymark.TrainingService.
func (s *TrainingService) AddVolunteer(ctx context.Context, actor waymark.Actor, v *waymark.Volunteer) error {
	if err := mayManageTraining(actor); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := tx.insertVolunteer(ctx, actor.OrgID, v); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditVolunteerAdded, ObjectType: "volunteer", ObjectID: v.ID})
	})
}

// EndVolunteer records that a volunteer stopped; see waymark.TrainingService.
func (s *TrainingService) EndVolunteer(ctx context.Context, actor waymark.Actor, id string, version int) (*waymark.Volunteer, error) {
	if err := mayManageTraining(actor); err != nil {
		return nil, err
	}
	var v *waymark.Volunteer
	err := s.db.update(ctx, func(tx *Tx) (err error) {
		if err := tx.lockRow(ctx, "volunteers", id); err != nil {
			return err
		}
		v, err = scanVolunteer(tx.QueryRowContext(ctx, `SELECT `+volunteerColumns+` WHERE id = $1 AND org_id = $2`, id, actor.OrgID))
		if errNoRows(err) {
			return notFound("volunteer")
		}
		if err != nil {
			return err
		}
		if v.Version != version {
			return waymark.Errorf(waymark.ECONFLICT, "Someone else changed this volunteer's record while you were looking at it. Nothing has been changed: check the list, then try again.")
		}
		if !v.Active {
			return nil
		}
		v.Active, v.EndedOn, v.Version = false, waymark.Today(tx.now), v.Version+1
		if _, err := tx.ExecContext(ctx, `UPDATE volunteers SET active = $1, ended_on = $2, version = $3, updated_at = $4 WHERE id = $5`,
			v.Active, v.EndedOn, v.Version, tx.now, v.ID); err != nil {
			return err
		}
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditVolunteerEnded, ObjectType: "volunteer", ObjectID: v.ID})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// people lists the organisation's enabled staff and active volunteers, by name, marking those
// coverage counts.
func (tx *Tx) trainingPeople(ctx context.Context, orgID string) ([]waymark.TrainingPerson, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, email, role FROM users WHERE org_id = $1 AND NOT disabled ORDER BY name, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []waymark.TrainingPerson
	for rows.Next() {
		var p waymark.TrainingPerson
		if err := rows.Scan(&p.UserID, &p.Name, &p.Email, &p.Role); err != nil {
			return nil, err
		}
		p.Counted = waymark.CountsForCoverage(p.Role)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vols, err := tx.volunteers(ctx, orgID, false)
	if err != nil {
		return nil, err
	}
	for _, v := range vols {
		out = append(out, waymark.TrainingPerson{VolunteerID: v.ID, Name: v.Name, Counted: true})
	}
	return out, nil
}

// TrainingPeople lists the staff and volunteers; see waymark.TrainingService.
func (s *TrainingService) TrainingPeople(ctx context.Context, actor waymark.Actor) ([]waymark.TrainingPerson, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var out []waymark.TrainingPerson
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (_ *waymark.AuditEntry, err error) {
		out, err = tx.trainingPeople(ctx, actor.OrgID)
		return &waymark.AuditEntry{Action: waymark.AuditTrainingPeopleViewed, ObjectType: "training", Detail: fmt.Sprintf("%d people", len(out))}, err
	})
	return out, err
}

const completionColumns = `t.id, t.org_id, t.course_id, t.user_id, t.volunteer_id, t.completed_on, t.recorded_by, t.recorded_at,
	c.name, c.level, c.validity_months, COALESCE(u.name, v.name, '')
	FROM training_completions t JOIN training_courses c ON c.id = t.course_id
	LEFT JOIN users u ON u.id = t.user_id LEFT JOIN volunteers v ON v.id = t.volunteer_id`

func scanCompletion(row interface{ Scan(...any) error }) (*waymark.TrainingCompletion, error) {
	var t waymark.TrainingCompletion
	var user, vol sql.NullString
	var at nullTime
	var validity int
	if err := row.Scan(&t.ID, &t.OrgID, &t.CourseID, &user, &vol, &t.CompletedOn, &t.RecordedBy, &at, &t.CourseName, &t.Level, &validity, &t.PersonName); err != nil {
		return nil, err
	}
	t.UserID, t.VolunteerID, t.RecordedAt = user.String, vol.String, at.t
	t.ExpiresOn = (&waymark.Course{ValidityMonths: validity}).ExpiresOn(t.CompletedOn)
	return &t, nil
}

func (tx *Tx) completions(ctx context.Context, orgID string, limit, offset int) ([]*waymark.TrainingCompletion, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+completionColumns+` WHERE t.org_id = $1 ORDER BY t.completed_on DESC, t.recorded_at DESC, t.id LIMIT $2 OFFSET $3`,
		orgID, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*waymark.TrainingCompletion
	for rows.Next() {
		t, err := scanCompletion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// insertCompletion stores a completion the caller has checked.
func (tx *Tx) insertCompletion(ctx context.Context, actor waymark.Actor, t *waymark.TrainingCompletion) error {
	t.ID, t.OrgID, t.RecordedBy, t.RecordedAt = newID(), actor.OrgID, actor.UserID, tx.now
	var user, vol any
	if t.UserID != "" {
		user = t.UserID
	} else {
		vol = t.VolunteerID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO training_completions (id, org_id, course_id, user_id, volunteer_id, person_key, completed_on, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.ID, t.OrgID, t.CourseID, user, vol, waymark.CompletionPersonKey(t), t.CompletedOn, t.RecordedBy, tx.now)
	return err
}

// RecordCompletion records a completion; see waymark.TrainingService.
func (s *TrainingService) RecordCompletion(ctx context.Context, actor waymark.Actor, t *waymark.TrainingCompletion) error {
	if err := mayManageTraining(actor); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if err := t.Validate(waymark.Today(tx.now)); err != nil {
			return err
		}
		course, err := tx.findCourse(ctx, t.CourseID)
		if waymark.ErrorCode(err) == waymark.ENOTFOUND {
			return waymark.Invalid(map[string]string{"course": "Choose the course they completed from the catalogue"})
		}
		if err != nil {
			return err
		}
		var person string
		if t.UserID != "" {
			err = tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1 AND org_id = $2 AND NOT disabled`, t.UserID, actor.OrgID).Scan(&person)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT name FROM volunteers WHERE id = $1 AND org_id = $2 AND active`, t.VolunteerID, actor.OrgID).Scan(&person)
		}
		if errNoRows(err) {
			return waymark.Invalid(map[string]string{"person": "Choose someone of your organisation from the list of staff and volunteers"})
		}
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM training_completions WHERE person_key = $1 AND course_id = $2 AND completed_on = $3`,
			waymark.CompletionPersonKey(t), t.CourseID, t.CompletedOn).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return waymark.Invalid(map[string]string{"course": fmt.Sprintf("%s's completion of %s on %s is already recorded: choose another course or date",
				person, course.Name, waymark.FormatDay(t.CompletedOn))})
		}
		if err := tx.insertCompletion(ctx, actor, t); err != nil {
			return err
		}
		t.CourseName, t.Level, t.ExpiresOn, t.PersonName = course.Name, course.Level, course.ExpiresOn(t.CompletedOn), person
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditCompletionRecorded, ObjectType: "training_completion", ObjectID: t.ID,
			Detail: fmt.Sprintf("course %s, person %s, completed %s", course.ID, waymark.CompletionPersonKey(t), t.CompletedOn)})
	})
}

// Coverage works out the organisation's coverage today; see waymark.TrainingService.
func (s *TrainingService) Coverage(ctx context.Context, actor waymark.Actor) (*waymark.TrainingCoverage, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, err
	}
	var cov *waymark.TrainingCoverage
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (*waymark.AuditEntry, error) {
		people, err := tx.trainingPeople(ctx, actor.OrgID)
		if err != nil {
			return nil, err
		}
		list, err := tx.completions(ctx, actor.OrgID, maxCompletionsRead, 0)
		if err != nil {
			return nil, err
		}
		cov = waymark.ComputeCoverage(people, list, waymark.Today(tx.now))
		return &waymark.AuditEntry{Action: waymark.AuditTrainingViewed, ObjectType: "training",
			Detail: fmt.Sprintf("coverage of %d people, %d in date", cov.People, cov.InDate)}, nil
	})
	return cov, err
}

// FindCompletions lists the organisation's completions; see waymark.TrainingService.
func (s *TrainingService) FindCompletions(ctx context.Context, actor waymark.Actor, page waymark.Page) ([]*waymark.TrainingCompletion, int, error) {
	if err := mayViewTraining(actor); err != nil {
		return nil, 0, err
	}
	page = page.Normalize()
	var out []*waymark.TrainingCompletion
	var total int
	err := s.db.viewAudited(ctx, actor, func(tx *Tx) (_ *waymark.AuditEntry, err error) {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM training_completions WHERE org_id = $1`, actor.OrgID).Scan(&total); err != nil {
			return nil, err
		}
		out, err = tx.completions(ctx, actor.OrgID, page.Limit, page.Offset)
		return &waymark.AuditEntry{Action: waymark.AuditCompletionsViewed, ObjectType: "training_completion", Detail: fmt.Sprintf("%d of %d completions", len(out), total)}, err
	})
	return out, total, err
}

// ImportTraining checks and, unless it is a dry run or a row is bad, stores an import; see
// waymark.TrainingService. The check and the writes run in one transaction, so what was checked
// is what is stored.
func (s *TrainingService) ImportTraining(ctx context.Context, actor waymark.Actor, rows []waymark.TrainingImportRow, dryRun bool) (*waymark.TrainingImportReport, error) {
	if err := mayManageTraining(actor); err != nil {
		return nil, err
	}
	var rep *waymark.TrainingImportReport
	plan := func(tx *Tx) error {
		var ic waymark.TrainingImportContext
		var err error
		if ic.Courses, err = tx.courses(ctx); err != nil {
			return err
		}
		people, err := tx.trainingPeople(ctx, actor.OrgID)
		if err != nil {
			return err
		}
		for _, p := range people {
			if p.UserID != "" {
				ic.Staff = append(ic.Staff, p)
			}
		}
		if ic.Volunteers, err = tx.volunteers(ctx, actor.OrgID, false); err != nil {
			return err
		}
		if ic.Existing, err = tx.completions(ctx, actor.OrgID, maxCompletionsRead, 0); err != nil {
			return err
		}
		rep = waymark.PlanTrainingImport(rows, ic)
		rep.DryRun = dryRun
		return nil
	}
	if dryRun {
		err := s.db.view(ctx, plan)
		return rep, err
	}
	err := s.db.update(ctx, func(tx *Tx) error {
		if err := plan(tx); err != nil {
			return err
		}
		if len(rep.Errors) > 0 || len(rep.Add) == 0 {
			return nil
		}
		added := map[string]string{}
		for i := range rep.Add {
			l := &rep.Add[i]
			if l.NewVolunteer {
				key := waymark.PersonKey(l.PersonName)
				if id, ok := added[key]; ok {
					l.VolunteerID = id
				} else {
					v := &waymark.Volunteer{Name: l.PersonName}
					if err := v.Validate(); err != nil {
						return err
					}
					if err := tx.insertVolunteer(ctx, actor.OrgID, v); err != nil {
						return err
					}
					l.VolunteerID, added[key] = v.ID, v.ID
				}
			}
			t := &waymark.TrainingCompletion{CourseID: l.CourseID, UserID: l.UserID, VolunteerID: l.VolunteerID, CompletedOn: l.CompletedOn}
			if err := tx.insertCompletion(ctx, actor, t); err != nil {
				return err
			}
		}
		rep.Stored = true
		return tx.audit(ctx, actor, &waymark.AuditEntry{Action: waymark.AuditTrainingImported, ObjectType: "training_completion",
			Detail: fmt.Sprintf("CSV import of %d rows: %d completions added, %d already recorded, %d new volunteers: %s", rep.Rows, len(rep.Add),
				len(rep.Duplicates), len(rep.NewVolunteers), strings.Join(volunteerIDs(added), " "))})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func volunteerIDs(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, id := range m {
		out = append(out, id)
	}
	return out
}
