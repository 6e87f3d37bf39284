package tabular

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// hostile are cells a spreadsheet would run or evaluate if written as they are.
var hostile = []string{`=cmd|'/c calc'!A1`, "+1", "-1", "@SUM(1)", "\tx", "\r=1+1"}

func TestNeutralise(t *testing.T) {
	for _, s := range hostile {
		if got := Neutralise(s); got != "'"+s {
			t.Errorf("Neutralise(%q) = %q, want a quote in front", s, got)
		}
	}
	for _, s := range []string{"", "Harrowdale", "fewer than 5", "12", "a=b", " =1", "'quoted"} {
		if got := Neutralise(s); got != s {
			t.Errorf("Neutralise(%q) = %q, want it unchanged", s, got)
		}
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(bom)) {
		t.Error("the CSV file has no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(bom))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	in := [][]string{{"Area", "Count"}, append([]string{"Harrow, \"dale\""}, hostile...), {"12", "fewer than 5"}}
	if err := WriteCSV(&b, in); err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Area", "Count"}, {"Harrow, \"dale\""}, {"12", "fewer than 5"}}
	for _, s := range hostile {
		want[1] = append(want[1], "'"+s)
	}
	// encoding/csv drops a lone carriage return when it reads a quoted field back.
	want[1][len(want[1])-1] = "'=1+1"
	if diff := cmp.Diff(want, readCSV(t, b.Bytes())); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
}

func readXLSX(t *testing.T, b []byte, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

func TestWriteXLSX(t *testing.T) {
	var b bytes.Buffer
	in := [][]string{{"Area", "Count"}, {`=cmd|'/c calc'!A1`, "12"}, {"+1", "-1"}, {"@SUM(1)", "\tx"}, {"007", "fewer than 5"}}
	if err := WriteXLSX(&b, "Return", in); err != nil {
		t.Fatal(err)
	}
	f, rows := readXLSX(t, b.Bytes(), "Return")
	want := [][]string{{"Area", "Count"}, {`'=cmd|'/c calc'!A1`, "12"}, {"'+1", "'-1"}, {"'@SUM(1)", "'\tx"}, {"007", "fewer than 5"}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
	for _, cell := range []string{"A2", "B3", "A4"} {
		if formula, err := f.GetCellFormula("Return", cell); err != nil || formula != "" {
			t.Errorf("%s has the formula %q (%v)", cell, formula, err)
		}
	}
	if typ, err := f.GetCellType("Return", "B2"); err != nil || typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 is of type %v (%v), want a number", typ, err)
	}
	if typ, _ := f.GetCellType("Return", "A5"); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
		t.Error("007 was written as a number, losing its zeros")
	}
}

// FuzzNeutralise checks that no cell, whatever it holds, comes out of either writer starting a
// formula, and that a safe cell comes out as it went in.
func FuzzNeutralise(f *testing.F) {
	for _, s := range append(hostile, "Harrowdale", "", "12", "fewer than 5") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralise(s)
		if n != "" && strings.ContainsRune("=+-@\t\r", rune(n[0])) {
			t.Fatalf("Neutralise(%q) = %q starts a formula", s, n)
		}
		if n != s && n != "'"+s {
			t.Fatalf("Neutralise(%q) = %q changed more than the start", s, n)
		}
		var b bytes.Buffer
		if err := WriteCSV(&b, [][]string{{"h"}, {s}}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte(bom)))).ReadAll()
		if err != nil {
			t.Fatalf("the CSV written for %q cannot be read: %v", s, err)
		}
		for _, row := range rows {
			for _, c := range row {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Fatalf("the CSV cell %q (from %q) starts a formula", c, s)
				}
			}
		}
	})
}
