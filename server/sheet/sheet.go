// Package sheet writes report tables as CSV (RFC 4180, for any tool) and
// XLSX (for Excel), with the same columns and rows.
//
// Both writers check the whole table before writing a byte, so a bad value
// never leaves half a file in an HTTP response: the handler can still
// answer with an error page.
package sheet

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a column's values; it decides how a cell is written.
type Kind int

// The kinds of column.
const (
	Text    Kind = iota // a string
	Int                 // int or int64
	Decimal             // float64, two decimals
	Percent             // float64 share between 0 and 1, shown as a percentage
	Date                // time.Time, a day (UTC), written YYYY-MM-DD
)

// Column is one column of a report.
type Column struct {
	Header string // in the reader's language
	Kind   Kind
}

// Table is one report. Each row has one value per column: string for Text,
// int/int64 for Int, float64 for Decimal and Percent, time.Time for Date,
// or nil for an empty cell (whatever the kind). A value of the wrong type
// is an error from the writers (a programming error, but never a panic).
//
// Decimal and Percent values must be finite: NaN or ±Inf (a 0/0 share, say)
// is an error too, since Excel has no such numbers; pass nil for "no value".
//
// Name's 31-rune limit is counted in UTF-16 units, as Excel counts (an emoji
// takes two); see sheetName for the rest of the sanitising.
type Table struct {
	Name    string // the XLSX sheet name; sanitised (no []:*?/\, at most 31 runes, never empty)
	Columns []Column
	Rows    [][]any
}

// goTypes names the Go types a column of each kind takes.
var goTypes = map[Kind]string{
	Text:    "string",
	Int:     "int or int64",
	Decimal: "float64",
	Percent: "float64",
	Date:    "time.Time",
}

// validate checks the shape of the table and the type of every value.
func (t Table) validate() error {
	if len(t.Columns) == 0 {
		return errors.New("sheet: table has no columns")
	}
	for i, c := range t.Columns {
		if c.Kind < Text || c.Kind > Date {
			return fmt.Errorf("sheet: column %d (%q): unknown kind %d", i, c.Header, int(c.Kind))
		}
	}
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("sheet: Rows[%d] has %d values, want %d", r, len(row), len(t.Columns))
		}
		for c, v := range row {
			if err := checkValue(t.Columns[c].Kind, v); err != nil {
				return fmt.Errorf("sheet: Rows[%d][%d] (%q): %w", r, c, t.Columns[c].Header, err)
			}
		}
	}
	return nil
}

// checkValue returns an error unless v is a valid value for a column of kind k.
func checkValue(k Kind, v any) error {
	if v == nil {
		return nil
	}
	ok := false
	switch v := v.(type) {
	case string:
		ok = k == Text
	case int, int64:
		ok = k == Int
	case float64:
		if k == Decimal || k == Percent {
			// A Percent is shown ×100, which must stay finite too.
			if math.IsNaN(v) || math.IsInf(v, 0) || (k == Percent && math.IsInf(v*100, 0)) {
				return fmt.Errorf("%v is not a number Excel can hold", v)
			}
			ok = true
		}
	case time.Time:
		ok = k == Date
	}
	if !ok {
		return fmt.Errorf("got %T, want %s", v, goTypes[k])
	}
	return nil
}

// decimalText is a Decimal value as both files show it.
func decimalText(v float64) string {
	return roundedText(v, 2)
}

// percentText is a Percent share as a percentage with one decimal, without
// the % sign (the header says it).
func percentText(v float64) string {
	return roundedText(v*100, 1)
}

// roundedText formats v with prec decimals, never as "-0.00".
func roundedText(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if s[0] == '-' && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// day is the calendar day of a Date value, at midnight UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateText is a Date value as written in the CSV.
func dateText(t time.Time) string {
	return day(t).Format(time.DateOnly)
}

// lineEnds turns CRLF and lone CR into LF, the line break inside an Excel
// cell. encoding/csv with UseCRLF would otherwise drop a lone CR silently
// ("a\rb" → "ab"), and a CR in an XLSX string shows as a stray character.
// Browsers send textarea input with CRLF, so this is common, not exotic.
func lineEnds(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
