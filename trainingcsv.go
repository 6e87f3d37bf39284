package waymark

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Importing training records from a spreadsheet saved as CSV. The file is outside input: parsing
// never fails on a bad row, it says what is wrong with each, and nothing is stored while any row
// is bad. A cell that looks like a spreadsheet formula (starting = + - @ or a tab) is only text
// here; every page and message that shows it escapes it.

// MaxTrainingImportBytes bounds the size of one CSV import.
const MaxTrainingImportBytes = 1_000_000

// MaxTrainingImportRows bounds the rows of one CSV import, header not counted.
const MaxTrainingImportRows = 10000

// MaxTrainingImportErrors is the most bad rows an import report lists.
const MaxTrainingImportErrors = 200

// TrainingImportColumns are the columns a training CSV file has, in any order.
var TrainingImportColumns = []string{"name", "email", "course", "completed_on"}

// TrainingImportRow is one data row of a CSV import, as typed, with the problems the file alone
// shows (a missing course, a date that is not a date).
type TrainingImportRow struct {
	// Row is the row's line number in the file, the header being row 1, as a spreadsheet numbers it.
	Row                               int
	Name, Email, Course, CompletedRaw string
	// CompletedOn is the date read from CompletedRaw, "YYYY-MM-DD", or "" when it is not one.
	CompletedOn string
	Problems    []string
}

// ParseTrainingCSV reads a CSV import against the London date today. It fails (EINVALID, with the
// field "file") only when the file as a whole cannot be read: too big, empty, no header or a
// header without the columns. Problems of single rows are kept on the rows.
func ParseTrainingCSV(data []byte, today string) ([]TrainingImportRow, error) {
	fileErr := func(format string, args ...any) error {
		return Invalid(map[string]string{"file": fmt.Sprintf(format, args...)})
	}
	if len(data) > MaxTrainingImportBytes {
		return nil, fileErr("The file is %s: import at most 1 MB (about 10,000 rows) at a time, splitting a bigger file into parts", byteSize(len(data)))
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // the byte order mark spreadsheets write
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileErr("The file is empty: it needs a header row (name, email, course, completed_on) and a row for each completion")
	}
	if !utf8.Valid(data) {
		return nil, fileErr("The file is not plain text in UTF-8: save it from your spreadsheet as \"CSV UTF-8\" and try again")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, fileErr("The header row could not be read: the first row must name the columns name, email, course and completed_on, separated by commas")
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		h = strings.NewReplacer(" ", "_", "-", "_").Replace(h)
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	var missing []string
	for _, c := range []string{"name", "course", "completed_on"} {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fileErr("The header row has no %s column: the first row must name the columns name, email, course and completed_on (email may be left blank for volunteers)",
			strings.Join(missing, " or "))
	}
	cell := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var rows []TrainingImportRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// FieldPos is only safe on a record read without error.
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rows = append(rows, TrainingImportRow{Row: line, Problems: []string{"the row could not be read as CSV: check its quotation marks"}})
			if len(rows) > MaxTrainingImportRows {
				break
			}
			continue
		}
		if blank(rec) {
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rows) >= MaxTrainingImportRows {
			return nil, fileErr("The file has more than %d rows: import at most %d at a time, splitting the file into parts", MaxTrainingImportRows, MaxTrainingImportRows)
		}
		row := TrainingImportRow{Row: line, Name: cell(rec, "name"), Email: cell(rec, "email"), Course: cell(rec, "course"), CompletedRaw: cell(rec, "completed_on")}
		if len(rec) > len(header) {
			row.Problems = append(row.Problems, fmt.Sprintf("the row has %d cells but the header has %d columns: check for a stray comma", len(rec), len(header)))
		}
		if row.Name == "" && row.Email == "" {
			row.Problems = append(row.Problems, "the name is missing: give the person's name, and for staff their email address too")
		}
		if hasControl(row.Name) || hasControl(row.Email) || hasControl(row.Course) {
			row.Problems = append(row.Problems, "a cell holds a line break or another control character: keep each cell on one line")
		}
		if len(row.Name) > 200 {
			row.Problems = append(row.Problems, "the name is longer than 200 characters")
		}
		if row.Course == "" {
			row.Problems = append(row.Problems, "the course is missing: give the course's name as the catalogue has it")
		}
		var p string
		row.CompletedOn, p = parseTrainingDate(row.CompletedRaw, today)
		if p != "" {
			row.Problems = append(row.Problems, p)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fileErr("The file has a header row but no completions: add a row for each course someone completed")
	}
	if len(rows) > MaxTrainingImportRows {
		return nil, fileErr("The file has more than %d rows: import at most %d at a time, splitting the file into parts", MaxTrainingImportRows, MaxTrainingImportRows)
	}
	return rows, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func byteSize(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%.1f MB", float64(n)/1_000_000)
	}
	return fmt.Sprintf("%d KB", (n+999)/1000)
}

const dateHint = "write it as day/month/year, for example 05/03/2026"

// parseTrainingDate reads a completion date written YYYY-MM-DD or DD/MM/YYYY, and says what is
// wrong with it.
func parseTrainingDate(s, today string) (string, string) {
	if s == "" {
		return "", "the completion date is missing: " + dateHint
	}
	shown := quoteCell(s)
	var y, m, d int
	var parsed bool
	if len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]+s[5:7]+s[8:]) {
		fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d)
		parsed = true
	} else if parts := strings.Split(s, "/"); len(parts) == 3 && len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		_, e1 := fmt.Sscanf(parts[0], "%d", &d)
		_, e2 := fmt.Sscanf(parts[1], "%d", &m)
		_, e3 := fmt.Sscanf(parts[2], "%d", &y)
		parsed = e1 == nil && e2 == nil && e3 == nil && allDigits(parts[0]+parts[1]+parts[2])
	}
	if !parsed {
		return "", "the date " + shown + " is not a date Waymark can read: " + dateHint
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d || y < 1 {
		return "", "the date " + shown + " is not a real date: " + dateHint
	}
	iso := t.Format(time.DateOnly)
	switch {
	case iso > today:
		return "", "the date " + shown + " is in the future: give the date the course was completed"
	case iso < EarliestTrainingDate:
		return "", "the date " + shown + " is before 2000: check the year"
	}
	return iso, ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// quoteCell shows what was typed in a cell inside a message: quoted, clipped, on one line.
func quoteCell(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return "'" + clip(s, 60) + "'"
}

// TrainingImportContext is what a CSV import is checked against: the region's catalogue, the
// importing organisation's enabled staff (with their emails) and active volunteers, and the
// completions already recorded there.
type TrainingImportContext struct {
	Courses    []*Course
	Staff      []TrainingPerson
	Volunteers []*Volunteer
	Existing   []*TrainingCompletion
}

// TrainingImportLine is one completion an import adds (or would add), or skips as already recorded.
type TrainingImportLine struct {
	Row         int
	PersonName  string
	Email       string
	UserID      string
	VolunteerID string
	// NewVolunteer is set when the person is a volunteer the import adds.
	NewVolunteer bool
	CourseID     string
	CourseName   string
	CompletedOn  string
	ExpiresOn    string
}

// TrainingImportReport says what an import did or, on a dry run, would do.
type TrainingImportReport struct {
	// Rows is the number of data rows read.
	Rows int
	// Add lists the completions added (or to add); Duplicates the rows skipped because the
	// completion is already recorded or appears earlier in the file.
	Add        []TrainingImportLine
	Duplicates []TrainingImportLine
	// NewVolunteers names the volunteers added (or to add), once each.
	NewVolunteers []string
	// Errors holds one line per bad row, naming the row and every problem in it; while there is
	// any, nothing is stored.
	Errors []string
	// BadRows counts the bad rows, listed in Errors or not (Errors lists at most MaxTrainingImportErrors).
	BadRows int
	DryRun  bool
	// Stored is set when the completions were stored.
	Stored bool
}

// PlanTrainingImport matches every row to a person and a course and says what the import adds,
// what it skips and what is wrong, without changing anything. A row with an email is a member of
// staff, matched to an enabled user by email; a row without is a volunteer, matched by name (case
// and spaces aside) to an active volunteer, or else a new volunteer to add. The course is matched
// by name (case aside) or by ID; a name two courses share must be given as an ID.
func PlanTrainingImport(rows []TrainingImportRow, ic TrainingImportContext) *TrainingImportReport {
	rep := &TrainingImportReport{Rows: len(rows)}
	byName := map[string][]*Course{}
	byID := map[string]*Course{}
	for _, c := range ic.Courses {
		byName[PersonKey(c.Name)] = append(byName[PersonKey(c.Name)], c)
		byID[c.ID] = c
	}
	staff, staffNames := map[string]TrainingPerson{}, map[string]bool{}
	for _, p := range ic.Staff {
		staff[strings.ToLower(p.Email)] = p
		staffNames[PersonKey(p.Name)] = true
	}
	vols := map[string]*Volunteer{}
	for _, v := range ic.Volunteers {
		if v.Active {
			if _, ok := vols[PersonKey(v.Name)]; !ok {
				vols[PersonKey(v.Name)] = v
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range ic.Existing {
		seen[CompletionPersonKey(c)+"|"+c.CourseID+"|"+c.CompletedOn] = true
	}
	newVols := map[string]bool{}
	for _, row := range rows {
		problems := append([]string(nil), row.Problems...)
		line := TrainingImportLine{Row: row.Row, PersonName: row.Name, Email: row.Email, CompletedOn: row.CompletedOn}
		var person string
		switch {
		case row.Email != "":
			p, ok := staff[strings.ToLower(row.Email)]
			if !ok {
				problems = append(problems, "no member of staff of your organisation has the email address "+quoteCell(row.Email)+
					": check it, or leave the email blank if the person is a volunteer")
				break
			}
			if row.Name != "" && !shareAName(row.Name, p.Name) {
				problems = append(problems, "the email address "+quoteCell(row.Email)+" belongs to "+p.Name+", not to "+quoteCell(row.Name)+
					": check which is right")
				break
			}
			line.UserID, line.PersonName = p.UserID, p.Name
			person = "u:" + p.UserID
		case row.Name != "" && len(row.Name) <= 200 && !hasControl(row.Name):
			key := PersonKey(row.Name)
			if v, ok := vols[key]; ok {
				line.VolunteerID, line.PersonName = v.ID, v.Name
				person = "v:" + v.ID
			} else if staffNames[key] {
				// Not a new volunteer: a member of staff of that name, whose training is recorded
				// against their account.
				problems = append(problems, quoteCell(row.Name)+" is the name of a member of staff: add their email address so the training is recorded against them")
			} else {
				line.NewVolunteer, line.PersonName = true, strings.Join(strings.Fields(row.Name), " ")
				person = "new:" + key
			}
		}
		if row.Course != "" {
			if c, ok := byID[row.Course]; ok {
				line.CourseID, line.CourseName, line.ExpiresOn = c.ID, c.Name, c.ExpiresOn(row.CompletedOn)
			} else {
				switch list := byName[PersonKey(row.Course)]; len(list) {
				case 0:
					problems = append(problems, "no course is called "+quoteCell(row.Course)+" — check the spelling against the catalogue")
				case 1:
					line.CourseID, line.CourseName, line.ExpiresOn = list[0].ID, list[0].Name, list[0].ExpiresOn(row.CompletedOn)
				default:
					problems = append(problems, fmt.Sprintf("%d courses are called %s: give the course's ID from the catalogue instead of its name", len(list), quoteCell(row.Course)))
				}
			}
		}
		if row.CompletedOn == "" {
			line.ExpiresOn = ""
		}
		if len(problems) > 0 {
			rep.BadRows++
			if len(rep.Errors) < MaxTrainingImportErrors {
				rep.Errors = append(rep.Errors, fmt.Sprintf("Row %d: %s", row.Row, strings.Join(problems, "; ")))
			}
			continue
		}
		key := person + "|" + line.CourseID + "|" + line.CompletedOn
		if seen[key] {
			rep.Duplicates = append(rep.Duplicates, line)
			continue
		}
		seen[key] = true
		if line.NewVolunteer && !newVols[PersonKey(line.PersonName)] {
			newVols[PersonKey(line.PersonName)] = true
			rep.NewVolunteers = append(rep.NewVolunteers, line.PersonName)
		}
		rep.Add = append(rep.Add, line)
	}
	if rep.BadRows > len(rep.Errors) {
		rep.Errors = append(rep.Errors, fmt.Sprintf("%d more rows have problems: correct those listed, then check the file again to see the rest", rep.BadRows-len(rep.Errors)))
	}
	return rep
}

// shareAName reports whether two people's names have a word in common, case aside: "Ana" and
// "Ana Kowalska" may be one person, "Ana Kowalska" and "Tom Reed" are not.
func shareAName(a, b string) bool {
	words := strings.Fields(PersonKey(b))
	for _, w := range strings.Fields(PersonKey(a)) {
		if slices.Contains(words, w) {
			return true
		}
	}
	return false
}
