package web

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadDate(t *testing.T) {
	rough := dateInput{"date_of_birth", "Date of birth", true}
	exact := dateInput{"start", "The start date", false}
	for _, tc := range []struct {
		name             string
		in               dateInput
		day, month, year string
		want             string
		wantMsg          string
	}{
		{"all three boxes give a date", exact, "27", "3", "2026", "2026-03-27", ""},
		{"a month may be given by name", exact, "1", "Sept", "2025", "2025-09-01", ""},
		{"spaces around a box are ignored", exact, " 5 ", " 04 ", " 2026 ", "2026-04-05", ""},
		{"all blank is no date", exact, "", " ", "", "", ""},
		{"a year alone is a rough date", rough, "", "", "1990", "1990", ""},
		{"a month and year is a rough date", rough, "", "april", "1990", "1990-04", ""},
		{"a rough date may be exact", rough, "23", "4", "1990", "1990-04-23", ""},
		{"no year is refused", rough, "23", "4", "", "", "Date of birth must include a year"},
		{"a two-digit year is refused", rough, "", "", "90", "", "Date of birth: enter the year as 4 digits, like 2024"},
		{"a day without a month is refused", rough, "23", "", "1990", "", "Date of birth must include a month"},
		{"a date that must be exact needs all three boxes", exact, "", "3", "2026", "", "The start date must include a day, a month and a year"},
		{"month 13 is refused", exact, "1", "13", "2026", "", "The start date: enter the month as a number from 1 to 12, or its name"},
		{"a word that is not a month is refused", exact, "1", "ma", "2026", "", "The start date: enter the month as a number from 1 to 12, or its name"},
		{"30 February is refused", exact, "30", "2", "2026", "", "The start date must be a real date: check the day"},
		{"29 February in a leap year is a date", exact, "29", "2", "2024", "2024-02-29", ""},
		{"a day that is not a number is refused", exact, "first", "2", "2026", "", "The start date must be a real date: check the day"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, msg := readDate(tc.in, tc.day, tc.month, tc.year)
			if diff := cmp.Diff([]string{tc.want, tc.wantMsg}, []string{got, msg}); diff != "" {
				t.Errorf("readDate(%q, %q, %q) (-want +got):\n%s", tc.day, tc.month, tc.year, diff)
			}
		})
	}
}

func TestJoinDates(t *testing.T) {
	t.Run("boxes are joined into the field and a bad date is reported by field", func(t *testing.T) {
		v := url.Values{"start-day": {"12"}, "start-month": {"1"}, "start-year": {"2026"}, "end-day": {"31"}, "end-month": {"4"}, "end-year": {"2026"}}
		fields := joinDates(v, dateInput{"start", "The start date", false}, dateInput{"end", "The end date", false})
		if diff := cmp.Diff(map[string]string{"end": "The end date must be a real date: check the day"}, fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		if got := []string{v.Get("start"), v.Get("end"), v.Get("end-day")}; !cmp.Equal(got, []string{"2026-01-12", "", "31"}) {
			t.Errorf("values start, end, end-day = %q; want the joined date, no date, and what was typed kept", got)
		}
	})
	t.Run("a form with the single field is read as it is", func(t *testing.T) {
		v := url.Values{"start": {"2026-01-12"}}
		if fields := joinDates(v, dateInput{"start", "The start date", false}); len(fields) > 0 || v.Get("start") != "2026-01-12" {
			t.Errorf("fields %v, start %q; want the field untouched", fields, v.Get("start"))
		}
	})
	t.Run("a stored date shows in the boxes, and what was typed shows over it", func(t *testing.T) {
		got := newDateInput(Form{Values: url.Values{"d": {"1990-04-03"}}}, "d", "", "")
		if diff := cmp.Diff([]string{"3", "4", "1990"}, []string{got.Day, got.Month, got.Year}); diff != "" {
			t.Errorf("boxes (-want +got):\n%s", diff)
		}
		got = newDateInput(Form{Values: url.Values{"d": {""}, "d-day": {"x"}, "d-year": {"1990"}}}, "d", "", "")
		if diff := cmp.Diff([]string{"x", "", "1990"}, []string{got.Day, got.Month, got.Year}); diff != "" {
			t.Errorf("boxes (-want +got):\n%s", diff)
		}
	})
}
