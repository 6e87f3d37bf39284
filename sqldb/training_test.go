package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

func TestTraining(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewTrainingService(e.db)
		hostel := e.org(t, "Training Hostel", false)
		outreach := e.org(t, "Training Outreach", false)
		_, manager := e.user(t, hostel, waymark.RoleManager)
		worker, workerActor := e.user(t, hostel, waymark.RoleFrontline)
		lead, _ := e.user(t, hostel, waymark.RoleSafeguardingLead)
		_, otherManager := e.user(t, outreach, waymark.RoleManager)
		otherWorker, otherWorkerActor := e.user(t, outreach, waymark.RoleFrontline)
		_, analyst := e.user(t, hostel, waymark.RoleAnalyst)
		_, partner := e.user(t, hostel, waymark.RolePartner)
		today := waymark.Today(e.clock.Now())

		awareness := &waymark.Course{Name: "Modern slavery awareness", Provider: "Northmoor Safeguarding Adults Board", Level: waymark.LevelAwareness, ValidityMonths: 24}
		responder := &waymark.Course{Name: "First Responder training", Provider: "Regional anti-slavery partnership", Level: waymark.LevelFirstResponder, ValidityMonths: 36}
		t.Run("managers add courses to the regional catalogue", func(t *testing.T) {
			mustOK(t, svc.CreateCourse(ctx, manager, awareness))
			mustOK(t, svc.CreateCourse(ctx, otherManager, responder))
			if awareness.OrgID != hostel.ID || awareness.Version != 1 || awareness.OrgName != hostel.Name {
				t.Errorf("created %+v", awareness)
			}
		})
		t.Run("a name the organisation already keeps is refused, another organisation's is not", func(t *testing.T) {
			dup := &waymark.Course{Name: "modern  SLAVERY awareness", Provider: "x", Level: waymark.LevelAwareness}
			err := svc.CreateCourse(ctx, manager, dup)
			wantCode(t, err, waymark.EINVALID)
			if !strings.Contains(waymark.ErrorFields(err)["name"], "already keeps a course with this name") {
				t.Errorf("message %q", waymark.ErrorFields(err)["name"])
			}
			mustOK(t, svc.CreateCourse(ctx, otherManager, dup))
			// Renamed, so that names in the imports below are not ambiguous.
			dup.Name = "Modern slavery awareness refresher"
			_, err = svc.UpdateCourse(ctx, otherManager, dup.ID, dup.Version, *dup)
			mustOK(t, err)
		})
		t.Run("frontline staff, analysts and partners may not change the catalogue", func(t *testing.T) {
			for _, a := range []waymark.Actor{workerActor, analyst, partner} {
				wantCode(t, svc.CreateCourse(ctx, a, &waymark.Course{Name: "x", Provider: "y", Level: waymark.LevelAwareness}), waymark.EFORBIDDEN)
			}
		})
		t.Run("every organisation reads the whole catalogue", func(t *testing.T) {
			for _, a := range []waymark.Actor{workerActor, otherWorkerActor} {
				list, err := svc.FindCourses(ctx, a)
				mustOK(t, err)
				if len(list) != 3 {
					t.Errorf("%d courses, want 3", len(list))
				}
			}
			_, err := svc.FindCourses(ctx, analyst)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("only the keeping organisation changes a course, and a stale change is refused", func(t *testing.T) {
			upd := *awareness
			upd.ValidityMonths = 12
			_, err := svc.UpdateCourse(ctx, otherManager, awareness.ID, 1, upd)
			wantCode(t, err, waymark.EFORBIDDEN)
			if !strings.Contains(waymark.ErrorMessage(err), "Only Training Hostel, which keeps this course") {
				t.Errorf("message %q", waymark.ErrorMessage(err))
			}
			got, err := svc.UpdateCourse(ctx, manager, awareness.ID, 1, upd)
			mustOK(t, err)
			if got.Version != 2 || got.ValidityMonths != 12 {
				t.Errorf("updated %+v", got)
			}
			_, err = svc.UpdateCourse(ctx, manager, awareness.ID, 1, upd)
			wantCode(t, err, waymark.ECONFLICT)
			upd.ValidityMonths = 24
			_, err = svc.UpdateCourse(ctx, manager, awareness.ID, 2, upd)
			mustOK(t, err)
		})

		vol := &waymark.Volunteer{Name: "  Val   Volunteer "}
		t.Run("a manager adds a volunteer", func(t *testing.T) {
			mustOK(t, svc.AddVolunteer(ctx, manager, vol))
			if vol.Name != "Val Volunteer" || !vol.Active || vol.AddedOn != today {
				t.Errorf("added %+v", vol)
			}
			wantCode(t, svc.AddVolunteer(ctx, workerActor, &waymark.Volunteer{Name: "x"}), waymark.EFORBIDDEN)
			wantCode(t, svc.AddVolunteer(ctx, manager, &waymark.Volunteer{Name: " "}), waymark.EINVALID)
		})

		t.Run("completions are recorded for staff and volunteers", func(t *testing.T) {
			mustOK(t, svc.RecordCompletion(ctx, manager, &waymark.TrainingCompletion{UserID: worker.ID, CourseID: awareness.ID, CompletedOn: "2026-01-10"}))
			c := &waymark.TrainingCompletion{VolunteerID: vol.ID, CourseID: responder.ID, CompletedOn: "2024-01-10"}
			mustOK(t, svc.RecordCompletion(ctx, manager, c))
			if c.ExpiresOn != "2027-01-10" || c.PersonName != "Val Volunteer" || c.CourseName != responder.Name {
				t.Errorf("recorded %+v", c)
			}
		})
		t.Run("a completion already recorded is refused, saying so", func(t *testing.T) {
			err := svc.RecordCompletion(ctx, manager, &waymark.TrainingCompletion{UserID: worker.ID, CourseID: awareness.ID, CompletedOn: "2026-01-10"})
			wantCode(t, err, waymark.EINVALID)
			if !strings.Contains(waymark.ErrorFields(err)["course"], "is already recorded") {
				t.Errorf("fields %v", waymark.ErrorFields(err))
			}
		})
		t.Run("another organisation's staff cannot be given a completion", func(t *testing.T) {
			err := svc.RecordCompletion(ctx, manager, &waymark.TrainingCompletion{UserID: otherWorker.ID, CourseID: awareness.ID, CompletedOn: "2026-01-10"})
			wantCode(t, err, waymark.EINVALID)
			if _, ok := waymark.ErrorFields(err)["person"]; !ok {
				t.Errorf("fields %v", waymark.ErrorFields(err))
			}
		})

		t.Run("coverage counts frontline staff and volunteers", func(t *testing.T) {
			cov, err := svc.Coverage(ctx, workerActor)
			mustOK(t, err)
			// Counted: the frontline worker (in date), the safeguarding lead (untrained) and the
			// volunteer (first responder, expires in January: within 60 days).
			type counts struct{ People, InDate, FirstResponder, Expiring, Untrained int }
			if diff := cmp.Diff(counts{3, 2, 1, 1, 1}, counts{cov.People, cov.InDate, cov.FirstResponder, cov.Expiring, cov.Untrained}); diff != "" {
				t.Errorf("coverage (-want +got):\n%s", diff)
			}
			names := map[string]string{}
			for _, r := range cov.Rows {
				names[r.Person.Name] = r.Status
			}
			if names[lead.Name] != waymark.TrainingNone || names["Val Volunteer"] != waymark.TrainingExpiring {
				t.Errorf("statuses %v", names)
			}
		})
		t.Run("another organisation sees none of it but the catalogue", func(t *testing.T) {
			cov, err := svc.Coverage(ctx, otherWorkerActor)
			mustOK(t, err)
			if cov.InDate != 0 || cov.People != 1 {
				t.Errorf("other organisation's coverage %+v", cov)
			}
			vols, err := svc.FindVolunteers(ctx, otherWorkerActor, true)
			mustOK(t, err)
			list, _, err := svc.FindCompletions(ctx, otherWorkerActor, waymark.Page{})
			mustOK(t, err)
			if len(vols) != 0 || len(list) != 0 {
				t.Errorf("other organisation sees %d volunteers and %d completions", len(vols), len(list))
			}
			_, err = svc.EndVolunteer(ctx, otherManager, vol.ID, vol.Version)
			wantCode(t, err, waymark.ENOTFOUND)
		})

		t.Run("an import with a bad row stores nothing", func(t *testing.T) {
			rows, err := waymark.ParseTrainingCSV([]byte("name,email,course,completed_on\n"+
				"Lead,"+lead.Email+",Modern slavery awareness,05/03/2026\n"+
				"New Helper,,first responder training,2026-02-01\n"+
				"Val Volunteer,,Nope,31/02/2026\n"), today)
			mustOK(t, err)
			rep, err := svc.ImportTraining(ctx, manager, rows, false)
			mustOK(t, err)
			if rep.Stored || len(rep.Errors) != 1 || !strings.HasPrefix(rep.Errors[0], "Row 4: the date '31/02/2026' is not a real date") {
				t.Errorf("report %+v", rep)
			}
			list, total, err := svc.FindCompletions(ctx, manager, waymark.Page{})
			mustOK(t, err)
			vols, _ := svc.FindVolunteers(ctx, manager, true)
			if total != 2 || len(list) != 2 || len(vols) != 1 {
				t.Errorf("after a refused import: %d completions, %d volunteers", total, len(vols))
			}
		})
		t.Run("a dry run stores nothing; the import then stores it all, skipping what is recorded", func(t *testing.T) {
			rows, err := waymark.ParseTrainingCSV([]byte("name,email,course,completed_on\n"+
				"Lead,"+lead.Email+",Modern slavery awareness,05/03/2026\n"+
				"New Helper,,first responder training,2026-02-01\n"+
				"new helper,,Modern slavery awareness,2026-02-01\n"+
				"frontline,"+strings.ToUpper(worker.Email)+",modern slavery awareness,10/01/2026\n"), today)
			mustOK(t, err)
			dry, err := svc.ImportTraining(ctx, manager, rows, true)
			mustOK(t, err)
			if dry.Stored || !dry.DryRun || len(dry.Add) != 3 || len(dry.Duplicates) != 1 || len(dry.NewVolunteers) != 1 {
				t.Errorf("dry run %+v", dry)
			}
			if _, total, _ := svc.FindCompletions(ctx, manager, waymark.Page{}); total != 2 {
				t.Errorf("a dry run stored something: %d completions", total)
			}
			rep, err := svc.ImportTraining(ctx, manager, rows, false)
			mustOK(t, err)
			if !rep.Stored || len(rep.Add) != 3 {
				t.Errorf("import %+v", rep)
			}
			vols, _ := svc.FindVolunteers(ctx, manager, false)
			if len(vols) != 2 {
				t.Errorf("%d volunteers, want 2 (one new, added once)", len(vols))
			}
			again, err := svc.ImportTraining(ctx, manager, rows, false)
			mustOK(t, err)
			if len(again.Add) != 0 || len(again.Duplicates) != 4 {
				t.Errorf("importing again: %d added, %d duplicates", len(again.Add), len(again.Duplicates))
			}
			cov, err := svc.Coverage(ctx, manager)
			mustOK(t, err)
			if cov.People != 4 || cov.InDate != 4 || cov.Untrained != 0 {
				t.Errorf("coverage after the import %+v", cov)
			}
		})
		t.Run("frontline staff may not import", func(t *testing.T) {
			_, err := svc.ImportTraining(ctx, workerActor, nil, true)
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("a volunteer who stops leaves the counts, keeping their training", func(t *testing.T) {
			_, err := svc.EndVolunteer(ctx, manager, vol.ID, 99)
			wantCode(t, err, waymark.ECONFLICT)
			v, err := svc.EndVolunteer(ctx, manager, vol.ID, vol.Version)
			mustOK(t, err)
			if v.Active || v.EndedOn != today {
				t.Errorf("ended %+v", v)
			}
			cov, _ := svc.Coverage(ctx, manager)
			_, total, _ := svc.FindCompletions(ctx, manager, waymark.Page{})
			if cov.People != 3 || total != 5 {
				t.Errorf("%d people counted, %d completions kept", cov.People, total)
			}
		})
		t.Run("training goes out of date on its expiry day", func(t *testing.T) {
			// The frontline worker's awareness course, completed 2026-01-10 for 24 months.
			e.clock.Advance(time.Date(2028, 1, 10, 9, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
			cov, err := svc.Coverage(ctx, manager)
			mustOK(t, err)
			for _, r := range cov.Rows {
				if r.Person.UserID == worker.ID && r.Status != waymark.TrainingOutOfDate {
					t.Errorf("on the expiry day the worker's status is %s", r.Status)
				}
			}
		})
		t.Run("reads of people and changes are audited", func(t *testing.T) {
			actions := map[string]bool{}
			for _, a := range e.auditEntries(t, waymark.AuditFilter{OrgID: hostel.ID}) {
				actions[a.Action] = true
			}
			for _, want := range []string{waymark.AuditCourseCreated, waymark.AuditCourseUpdated, waymark.AuditVolunteerAdded, waymark.AuditVolunteerEnded,
				waymark.AuditCompletionRecorded, waymark.AuditTrainingImported, waymark.AuditTrainingViewed, waymark.AuditVolunteersViewed, waymark.AuditCompletionsViewed} {
				if !actions[want] {
					t.Errorf("no audit entry %s", want)
				}
			}
		})
	})
}

func TestAwareness(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		svc := sqldb.NewAwarenessService(e.db)
		hostel := e.org(t, "Awareness Hostel", false)
		outreach := e.org(t, "Awareness Outreach", false)
		_, admin := e.user(t, hostel, waymark.RoleOrgAdmin)
		_, worker := e.user(t, hostel, waymark.RoleFrontline)
		_, other := e.user(t, outreach, waymark.RoleManager)
		_, analyst := e.user(t, hostel, waymark.RoleAnalyst)
		a := &waymark.AwarenessActivity{On: "2026-03-05", Audience: "clients", Attending: 12, Topic: "Your rights at work", DeliveredBy: "Support team",
			Notes: "<script>alert(1)</script>\nHeld in the day room."}
		t.Run("an admin records an activity; frontline staff read it", func(t *testing.T) {
			mustOK(t, svc.CreateAwareness(ctx, admin, a))
			mustOK(t, svc.CreateAwareness(ctx, admin, &waymark.AwarenessActivity{On: "2026-06-01", Audience: "public", Attending: 80, Topic: "Stall at the fair"}))
			list, total, err := svc.FindAwareness(ctx, worker, waymark.Page{})
			mustOK(t, err)
			if total != 2 || list[0].Topic != "Stall at the fair" || list[1].Notes != a.Notes {
				t.Errorf("list %d: %+v", total, list)
			}
			year, err := svc.AwarenessYear(ctx, worker, "2026")
			mustOK(t, err)
			if len(year) != 2 {
				t.Errorf("%d in the year", len(year))
			}
		})
		t.Run("frontline staff and analysts may not record; analysts may not read", func(t *testing.T) {
			wantCode(t, svc.CreateAwareness(ctx, worker, &waymark.AwarenessActivity{}), waymark.EFORBIDDEN)
			_, _, err := svc.FindAwareness(ctx, analyst, waymark.Page{})
			wantCode(t, err, waymark.EFORBIDDEN)
		})
		t.Run("another organisation sees nothing and changes nothing", func(t *testing.T) {
			list, _, err := svc.FindAwareness(ctx, other, waymark.Page{})
			mustOK(t, err)
			_, ferr := svc.FindAwarenessActivity(ctx, other, a.ID)
			_, uerr := svc.UpdateAwareness(ctx, other, a.ID, 1, *a)
			if len(list) != 0 {
				t.Errorf("other organisation sees %d", len(list))
			}
			wantCode(t, ferr, waymark.ENOTFOUND)
			wantCode(t, uerr, waymark.ENOTFOUND)
		})
		t.Run("a change based on an old version is refused", func(t *testing.T) {
			upd := *a
			upd.Attending = 14
			got, err := svc.UpdateAwareness(ctx, admin, a.ID, 1, upd)
			mustOK(t, err)
			if got.Version != 2 || got.Attending != 14 {
				t.Errorf("updated %+v", got)
			}
			_, err = svc.UpdateAwareness(ctx, admin, a.ID, 1, upd)
			wantCode(t, err, waymark.ECONFLICT)
			upd.Attending = 0
			_, err = svc.UpdateAwareness(ctx, admin, a.ID, 2, upd)
			wantCode(t, err, waymark.EINVALID)
		})
	})
}
