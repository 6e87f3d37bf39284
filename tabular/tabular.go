// Package tabular writes tables of text as CSV and XLSX files for spreadsheets, safely: a cell
// that a spreadsheet would take for a formula (starting = + - @, a tab or a carriage return) is
// written as plain text with a leading single quote (ASVS 1.2.10), so a name typed into Waymark
// cannot run a command on the computer of someone who opens an export.
package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Neutralise makes s inert in a spreadsheet: a value starting with a character that begins a
// formula gets a single quote in front of it. Anything else is unchanged.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// bom is the byte order mark that makes Excel read a CSV file as UTF-8.
const bom = "\ufeff"

// WriteCSV writes rows as CSV in UTF-8 with a byte order mark, every cell neutralised.
func WriteCSV(w io.Writer, rows [][]string) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	// Windows line endings: what spreadsheets write, and read without surprises.
	cw.UseCRLF = true
	for _, row := range rows {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = Neutralise(c)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// number reports whether s is a whole number written plainly ("0", "42"), which WriteXLSX writes
// as a number so that a spreadsheet can add it up; anything else is text.
func number(s string) (int, bool) {
	if s == "" || len(s) > 15 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// WriteXLSX writes rows as a workbook of one sheet with the name given, the first row in bold as
// the header. Plain whole numbers are written as numbers, every other cell as neutralised text.
func WriteXLSX(w io.Writer, sheet string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("name the sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, c := range row {
			var v any = Neutralise(c)
			if n, ok := number(c); ok && i > 0 {
				v = n
			}
			if i == 0 {
				v = excelize.Cell{StyleID: bold, Value: v}
			}
			cells[j] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
