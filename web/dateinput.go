package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"waymark"
)

// A date is typed in the three boxes of a GOV.UK date input, name-day, name-month and name-year.
// The handlers join the boxes into the one value the domain reads ("2024", "2024-03" or
// "2024-03-15") before anything else looks at the form; a form posted with the single field (as
// older links and the tests of the API's twin do) is read as it is.

// dateInput names a date field of a form and how precisely it may be known.
type dateInput struct {
	name, label string
	// partial allows a year alone, or a month and year, for dates known only roughly.
	partial bool
}

// joinDates writes into v each date typed in boxes and returns what is wrong with any that is not a
// date, by field name, with a message saying how to put it right.
func joinDates(v url.Values, inputs ...dateInput) map[string]string {
	fields := map[string]string{}
	for _, in := range inputs {
		day, month, year := v.Get(in.name+"-day"), v.Get(in.name+"-month"), v.Get(in.name+"-year")
		if !v.Has(in.name+"-day") && !v.Has(in.name+"-month") && !v.Has(in.name+"-year") {
			continue
		}
		date, msg := readDate(in, day, month, year)
		if msg != "" {
			fields[in.name] = msg
		}
		v.Set(in.name, date)
	}
	return fields
}

// readDate reads the boxes of one date input. All blank is no date.
func readDate(in dateInput, day, month, year string) (string, string) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return "", ""
	}
	switch {
	case year == "":
		return "", in.label + " must include a year"
	case len(year) != 4 || strings.Trim(year, "0123456789") != "":
		return "", in.label + ": enter the year as 4 digits, like 2024"
	case !in.partial && (day == "" || month == ""):
		return "", in.label + " must include a day, a month and a year"
	case day != "" && month == "":
		return "", in.label + " must include a month"
	}
	if month == "" {
		return year, ""
	}
	m, ok := monthNumber(month)
	if !ok {
		return "", in.label + ": enter the month as a number from 1 to 12, or its name"
	}
	if day == "" {
		return fmt.Sprintf("%s-%02d", year, m), ""
	}
	d, err := strconv.Atoi(day)
	date := fmt.Sprintf("%s-%02d-%02d", year, m, d)
	if _, perr := time.Parse(time.DateOnly, date); err != nil || perr != nil {
		return "", in.label + " must be a real date: check the day"
	}
	return date, ""
}

// monthNumber reads a month as a number (4 or 04) or a name (Apr, April).
func monthNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 1 && n <= 12
	}
	s = strings.ToLower(s)
	for i, name := range monthNames {
		if len(s) >= 3 && strings.HasPrefix(name, s) {
			return i + 1, true
		}
	}
	return 0, false
}

var monthNames = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// DateInput is the data of the "date" partial: the three boxes of a date with their label and error.
type DateInput struct {
	F                 Form
	Name, Label, Hint string
	Day, Month, Year  string
}

// newDateInput shows what was typed in the boxes, or else the stored date split into them.
func newDateInput(f Form, name, label, hint string) DateInput {
	in := DateInput{F: f, Name: name, Label: label, Hint: hint}
	if f.Values.Has(name+"-day") || f.Values.Has(name+"-month") || f.Values.Has(name+"-year") {
		in.Day, in.Month, in.Year = f.Get(name+"-day"), f.Get(name+"-month"), f.Get(name+"-year")
		return in
	}
	parts := strings.SplitN(f.Get(name), "-", 3)
	in.Year = parts[0]
	if len(parts) > 1 {
		in.Month = strings.TrimPrefix(parts[1], "0")
	}
	if len(parts) > 2 {
		in.Day = strings.TrimPrefix(parts[2], "0")
	}
	return in
}

// withFormErrors adds what is wrong with the form itself (fields, such as a date typed wrongly) to
// what validating the record found (err), so that one submission shows every problem.
func withFormErrors(fields map[string]string, err error) error {
	if len(fields) == 0 {
		return err
	}
	for k, msg := range waymark.ErrorFields(err) {
		if _, ok := fields[k]; !ok {
			fields[k] = msg
		}
	}
	return waymark.Invalid(fields)
}
