package waymark_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

const csvToday = "2026-11-27"

func importContext() waymark.TrainingImportContext {
	return waymark.TrainingImportContext{
		Courses: []*waymark.Course{
			{ID: "c-aw", Name: "Modern slavery awareness", Level: waymark.LevelAwareness, ValidityMonths: 24},
			{ID: "c-fr", Name: "First Responder training", Level: waymark.LevelFirstResponder, ValidityMonths: 36},
			{ID: "c-sg1", Name: "Safeguarding adults", Level: waymark.LevelAwareness, ValidityMonths: 12},
			{ID: "c-sg2", Name: "Safeguarding Adults", Level: waymark.LevelFirstResponder},
		},
		Staff: []waymark.TrainingPerson{{UserID: "u1", Name: "Ana Staff", Email: "ana@example.org", Role: waymark.RoleFrontline}},
		Volunteers: []*waymark.Volunteer{
			{ID: "v1", Name: "Bo Volunteer", Active: true},
			{ID: "v2", Name: "Cy Former", Active: false},
		},
		Existing: []*waymark.TrainingCompletion{{UserID: "u1", CourseID: "c-aw", CompletedOn: "2026-01-05"}},
	}
}

func TestParseTrainingCSV(t *testing.T) {
	t.Run("a file with no header columns is refused as a whole", func(t *testing.T) {
		_, err := waymark.ParseTrainingCSV([]byte("who,what\nAna,x\n"), csvToday)
		if msg := waymark.ErrorFields(err)["file"]; !strings.Contains(msg, "no name or course or completed_on column") {
			t.Errorf("got %q", msg)
		}
	})
	t.Run("an empty file is refused with what it needs", func(t *testing.T) {
		_, err := waymark.ParseTrainingCSV([]byte("\xef\xbb\xbf \n"), csvToday)
		if msg := waymark.ErrorFields(err)["file"]; !strings.Contains(msg, "The file is empty") {
			t.Errorf("got %q", msg)
		}
	})
	t.Run("a header without rows is refused", func(t *testing.T) {
		_, err := waymark.ParseTrainingCSV([]byte("name,course,completed_on\n"), csvToday)
		if msg := waymark.ErrorFields(err)["file"]; !strings.Contains(msg, "no completions") {
			t.Errorf("got %q", msg)
		}
	})
	t.Run("a file over 1 MB is refused with its size", func(t *testing.T) {
		_, err := waymark.ParseTrainingCSV([]byte("name,course,completed_on\n"+strings.Repeat("a,b,2026-01-01\n", 70000)), csvToday)
		if msg := waymark.ErrorFields(err)["file"]; !strings.Contains(msg, "1.1 MB") {
			t.Errorf("got %q", msg)
		}
	})
	t.Run("more than 10,000 rows are refused", func(t *testing.T) {
		_, err := waymark.ParseTrainingCSV([]byte("name,course,completed_on\n"+strings.Repeat("a,b,1/1/2026\n", 10001)), csvToday)
		if msg := waymark.ErrorFields(err)["file"]; !strings.Contains(msg, "more than 10000 rows") {
			t.Errorf("got %q", msg)
		}
	})
	t.Run("columns in any order and case are read, rows numbered as a spreadsheet does", func(t *testing.T) {
		rows, err := waymark.ParseTrainingCSV([]byte("Completed On,COURSE,Email,Name\r\n05/03/2026,First Responder training,,Bo\r\n\r\n2026-03-06,x,ana@example.org,\r\n"), csvToday)
		if err != nil {
			t.Fatal(err)
		}
		want := []waymark.TrainingImportRow{
			{Row: 2, Name: "Bo", Course: "First Responder training", CompletedRaw: "05/03/2026", CompletedOn: "2026-03-05"},
			{Row: 4, Email: "ana@example.org", Course: "x", CompletedRaw: "2026-03-06", CompletedOn: "2026-03-06"},
		}
		if diff := cmp.Diff(want, rows); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name, date, want string
	}{
		{"a date that is not real says so", "31/02/2026", "the date '31/02/2026' is not a real date: write it as day/month/year, for example 05/03/2026"},
		{"a date in another form says how to write it", "March 5th", "the date 'March 5th' is not a date Waymark can read: write it as day/month/year"},
		{"a date in the future is refused", "28/11/2026", "the date '28/11/2026' is in the future"},
		{"a date before 2000 is refused", "1999-12-31", "the date '1999-12-31' is before 2000: check the year"},
		{"a missing date is asked for", "", "the completion date is missing"},
		{"a year of two digits is not read", "05/03/26", "is not a date Waymark can read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := waymark.ParseTrainingCSV([]byte("name,course,completed_on\nBo,x,"+tc.date+"\n"), csvToday)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rows[0].Problems, "; "); !strings.Contains(got, tc.want) {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPlanTrainingImport(t *testing.T) {
	plan := func(t *testing.T, file string) *waymark.TrainingImportReport {
		t.Helper()
		rows, err := waymark.ParseTrainingCSV([]byte("name,email,course,completed_on\n"+file), csvToday)
		if err != nil {
			t.Fatal(err)
		}
		return waymark.PlanTrainingImport(rows, importContext())
	}
	t.Run("a good file adds staff, known and new volunteers once each", func(t *testing.T) {
		rep := plan(t, "Ana,ANA@example.org,first responder TRAINING,05/03/2026\n"+
			"  bo   VOLUNTEER,,Modern slavery awareness,2026-02-01\n"+
			"New Person,,Modern slavery awareness,2026-02-01\n"+
			"new person,,c-fr,2026-02-02\n")
		want := []waymark.TrainingImportLine{
			{Row: 2, PersonName: "Ana Staff", Email: "ANA@example.org", UserID: "u1", CourseID: "c-fr", CourseName: "First Responder training", CompletedOn: "2026-03-05", ExpiresOn: "2029-03-05"},
			{Row: 3, PersonName: "Bo Volunteer", VolunteerID: "v1", CourseID: "c-aw", CourseName: "Modern slavery awareness", CompletedOn: "2026-02-01", ExpiresOn: "2028-02-01"},
			{Row: 4, PersonName: "New Person", NewVolunteer: true, CourseID: "c-aw", CourseName: "Modern slavery awareness", CompletedOn: "2026-02-01", ExpiresOn: "2028-02-01"},
			{Row: 5, PersonName: "new person", NewVolunteer: true, CourseID: "c-fr", CourseName: "First Responder training", CompletedOn: "2026-02-02", ExpiresOn: "2029-02-02"},
		}
		if diff := cmp.Diff(want, rep.Add); diff != "" {
			t.Errorf("added (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"New Person"}, rep.NewVolunteers); diff != "" {
			t.Errorf("new volunteers (-want +got):\n%s", diff)
		}
		if len(rep.Errors) != 0 || len(rep.Duplicates) != 0 {
			t.Errorf("errors %v, duplicates %v", rep.Errors, rep.Duplicates)
		}
	})
	t.Run("each bad row gets one line naming every problem", func(t *testing.T) {
		rep := plan(t, "Bo Volunteer,,Modern slavery awarenes,31/02/2026\n"+
			"Someone,nobody@example.org,Safeguarding adults,01/01/2026\n"+
			"Bo Volunteer,,Modern slavery awareness,01/01/2026\n")
		want := []string{
			"Row 2: the date '31/02/2026' is not a real date: write it as day/month/year, for example 05/03/2026; no course is called 'Modern slavery awarenes' — check the spelling against the catalogue",
			"Row 3: no member of staff of your organisation has the email address 'nobody@example.org': check it, or leave the email blank if the person is a volunteer; " +
				"2 courses are called 'Safeguarding adults': give the course's ID from the catalogue instead of its name",
		}
		if diff := cmp.Diff(want, rep.Errors); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
		if rep.BadRows != 2 || len(rep.Add) != 1 {
			t.Errorf("bad rows %d, added %d", rep.BadRows, len(rep.Add))
		}
	})
	t.Run("a member of staff is never made a volunteer, nor another person's email taken for theirs", func(t *testing.T) {
		rep := plan(t, "ana staff,,Modern slavery awareness,01/01/2026\n"+
			"Tom Reed,ana@example.org,Modern slavery awareness,01/01/2026\n")
		want := []string{
			"Row 2: 'ana staff' is the name of a member of staff: add their email address so the training is recorded against them",
			"Row 3: the email address 'ana@example.org' belongs to Ana Staff, not to 'Tom Reed': check which is right",
		}
		if diff := cmp.Diff(want, rep.Errors); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
		if len(rep.Add) != 0 || len(rep.NewVolunteers) != 0 {
			t.Errorf("added %v, new volunteers %v", rep.Add, rep.NewVolunteers)
		}
	})
	t.Run("rows already recorded or repeated in the file are skipped, not errors", func(t *testing.T) {
		rep := plan(t, "Ana,ana@example.org,Modern slavery awareness,05/01/2026\n"+
			"x,,c-sg1,2026-01-05\n"+
			"X,,c-sg1,05/01/2026\n")
		if len(rep.Errors) != 0 {
			t.Fatalf("errors: %v", rep.Errors)
		}
		var rows []int
		for _, d := range rep.Duplicates {
			rows = append(rows, d.Row)
		}
		if diff := cmp.Diff([]int{2, 4}, rows); diff != "" {
			t.Errorf("duplicate rows (-want +got):\n%s", diff)
		}
		if len(rep.Add) != 1 {
			t.Errorf("added %d, want 1", len(rep.Add))
		}
	})
	t.Run("a volunteer who stopped is not matched: a new one is added", func(t *testing.T) {
		rep := plan(t, "Cy Former,,c-aw,2026-01-05\n")
		if len(rep.Add) != 1 || !rep.Add[0].NewVolunteer {
			t.Errorf("added %+v", rep.Add)
		}
	})
	t.Run("a formula-looking cell is only text, shown quoted", func(t *testing.T) {
		rep := plan(t, "=HYPERLINK(\"x\"),,@SUM(A1),2026-01-05\n")
		if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "no course is called '@SUM(A1)'") {
			t.Errorf("errors %v", rep.Errors)
		}
	})
	t.Run("more bad rows than the report lists are counted", func(t *testing.T) {
		var b strings.Builder
		for i := range 250 {
			fmt.Fprintf(&b, "P%d,,nope,2026-01-01\n", i)
		}
		rep := plan(t, b.String())
		if rep.BadRows != 250 || len(rep.Errors) != waymark.MaxTrainingImportErrors+1 || !strings.Contains(rep.Errors[len(rep.Errors)-1], "50 more rows have problems") {
			t.Errorf("bad rows %d, %d lines, last %q", rep.BadRows, len(rep.Errors), rep.Errors[len(rep.Errors)-1])
		}
	})
}

// FuzzTrainingCSV feeds any file to the parser and the planner: nothing panics, and no row reported
// as bad is ever added or skipped as a duplicate.
func FuzzTrainingCSV(f *testing.F) {
	f.Add([]byte("name,email,course,completed_on\nAna,ana@example.org,c-aw,05/03/2026\n"))
	f.Add([]byte("name,course,completed_on\n\"Bo\nVol\",c-fr,2026-02-30\nx,,\n"))
	f.Add([]byte("COURSE;name\n=cmd|' /C calc'!A0,@x,+1,-2\n\"unterminated"))
	f.Add([]byte("\xef\xbb\xbfname,course,completed_on,extra\na,b,c,d,e\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := waymark.ParseTrainingCSV(data, csvToday)
		if err != nil {
			if waymark.ErrorCode(err) != waymark.EINVALID || waymark.ErrorFields(err)["file"] == "" {
				t.Fatalf("a file error without a message: %v", err)
			}
			return
		}
		rep := waymark.PlanTrainingImport(rows, importContext())
		bad := map[int]bool{}
		for _, e := range rep.Errors {
			var n int
			if _, err := fmt.Sscanf(e, "Row %d:", &n); err == nil {
				bad[n] = true
			}
		}
		for _, l := range append(rep.Add, rep.Duplicates...) {
			if bad[l.Row] {
				t.Errorf("row %d is reported bad but was accepted: %+v", l.Row, l)
			}
			if l.CourseID == "" || l.CompletedOn == "" || (l.UserID == "") == (l.VolunteerID == "" && !l.NewVolunteer) {
				t.Errorf("row %d accepted without a person, course or date: %+v", l.Row, l)
			}
		}
		if rep.BadRows+len(rep.Add)+len(rep.Duplicates) != len(rows) {
			t.Errorf("%d bad + %d added + %d duplicates != %d rows", rep.BadRows, len(rep.Add), len(rep.Duplicates), len(rows))
		}
	})
}
