package sheet

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Sheet name rules (Excel's, checked by excelize too).
const (
	defaultSheetName = "Report"
	maxSheetName     = 31 // UTF-16 units, as Excel counts
)

// Column widths, in Excel's character units.
const (
	minWidth   = 8
	maxWidth   = 60
	widthSlack = 2 // room for the header's filter button
)

// Number formats of the numeric kinds. Percent keeps the share (0.833) and
// lets Excel show 83.3%; Date is ISO so that a French and an English Excel
// show the same day the same way (built-in date formats follow the locale).
var numFmts = map[Kind]string{
	Int:     "0",
	Decimal: "0.00",
	Percent: "0.0%",
	Date:    "yyyy-mm-dd",
}

// WriteXLSX writes the table as an Excel workbook of one sheet: a bold,
// frozen header row with an autofilter, numbers and dates stored as numbers
// with a number format, and columns as wide as their longest value.
//
// Decimal and Percent cells hold the value rounded as the CSV shows it, so
// both files agree cell for cell and Excel sums what the reader sees.
//
// excelize streams the rows, but builds the zipped file in memory before
// writing it to w (a 20,000-row report is about a megabyte). It cuts a
// text at Excel's limit of 32,767 characters; the CSV keeps it whole.
func (t Table) WriteXLSX(w io.Writer) (err error) {
	if err := t.validate(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("sheet: close xlsx: %w", cerr)
		}
	}()
	if err := t.buildXLSX(f); err != nil {
		return fmt.Errorf("sheet: build xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("sheet: write xlsx: %w", err)
	}
	return nil
}

// buildXLSX fills the new file f with the table.
func (t Table) buildXLSX(f *excelize.File) error {
	name := sheetName(t.Name)
	// Rename the default sheet rather than add one and delete Sheet1: the
	// workbook then has exactly one sheet, active, with no leftovers.
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return err
	}
	title := t.Name
	if strings.TrimSpace(title) == "" {
		title = name
	}
	now := time.Now().UTC().Format(time.RFC3339)
	// excelize's template says the file was created in 2006 by "xuri".
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: title, Creator: "Kalan", LastModifiedBy: "Kalan", Created: now, Modified: now,
	}); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	// Widths, styles and panes must be set before the first row: the
	// stream writer writes them out then.
	for i, width := range t.widths() {
		col := i + 1
		if err := sw.SetColWidth(col, col, width); err != nil {
			return err
		}
		format, ok := numFmts[t.Columns[i].Kind]
		if !ok {
			continue
		}
		style, err := f.NewStyle(&excelize.Style{CustomNumFmt: &format})
		if err != nil {
			return err
		}
		// A column style (not one per cell) costs nothing per row, and a
		// value the reader types below the table gets the format too.
		if err := sw.SetColStyle(col, col, style); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
	if err != nil {
		return err // more rows or columns than Excel holds
	}
	// The stream writer shares its worksheet with the file, so this lands
	// in the streamed sheet as long as it comes before Flush.
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return err
	}
	values := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		values[i] = excelize.Cell{StyleID: bold, Value: lineEnds(c.Header)}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	for r, row := range t.Rows {
		for i, v := range row {
			if values[i], err = xlsxValue(t.Columns[i].Kind, v); err != nil {
				return err
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// xlsxValue is the cell value excelize should write for a value already
// checked by validate. Strings stay strings (inline strings, never a
// formula), so Text needs no injection guard here.
func xlsxValue(k Kind, v any) (any, error) {
	switch v := v.(type) {
	case string:
		return lineEnds(v), nil
	case float64:
		// Parsing the shown text gives the nearest float64 to it: 83.3e-2
		// is 0.833 exactly as Excel would store a typed 83.3%.
		if k == Percent {
			return strconv.ParseFloat(percentText(v)+"e-2", 64)
		}
		return strconv.ParseFloat(decimalText(v), 64)
	case time.Time:
		d := day(v)
		// Excel dates run from 1900 to 9999; outside, excelize would write
		// an RFC 3339 string. Write the CSV's text instead.
		if d.Year() < 1900 || d.Year() > 9999 {
			return dateText(d), nil
		}
		return d, nil
	}
	return v, nil // nil, int, int64
}

// widths is the width of each column: its longest value as shown (header
// included, longest line of a multi-line cell), in runes, plus slack,
// between minWidth and maxWidth.
func (t Table) widths() []float64 {
	longest := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		longest[i] = longestLine(c.Header)
	}
	var buf []byte
	for _, row := range t.Rows {
		for i, v := range row {
			n := 0
			switch v := v.(type) {
			case string:
				n = longestLine(v)
			case int:
				buf = strconv.AppendInt(buf[:0], int64(v), 10)
				n = len(buf)
			case int64:
				buf = strconv.AppendInt(buf[:0], v, 10)
				n = len(buf)
			case float64:
				if t.Columns[i].Kind == Percent {
					n = len(percentText(v)) + 1 // the % sign
				} else {
					n = len(decimalText(v))
				}
			case time.Time:
				n = len(time.DateOnly)
			}
			longest[i] = max(longest[i], n)
		}
	}
	widths := make([]float64, len(longest))
	for i, n := range longest {
		widths[i] = float64(min(max(n+widthSlack, minWidth), maxWidth))
	}
	return widths
}

// longestLine is the length in runes of the longest line of s.
func longestLine(s string) int {
	longest := 0
	for line := range strings.Lines(lineEnds(s)) {
		longest = max(longest, utf8.RuneCountInString(strings.TrimSuffix(line, "\n")))
	}
	return longest
}

// sheetName turns a report name into a valid Excel sheet name: [ and ]
// become ( and ), the other forbidden characters : * ? / \ become -,
// control characters become spaces, and a straight apostrophe becomes ’.
// Excel forbids ' only at either end, but excelize writes the autofilter's
// defined name as '<sheet>'!A1:B2 without doubling an inner ', which
// Excel rejects; French names ("Taux d'achèvement") would hit that.
// The result is cut to 31 UTF-16 units and is never empty.
func sheetName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == '[':
			b.WriteRune('(')
		case r == ']':
			b.WriteRune(')')
		case strings.ContainsRune(`:*?/\`, r):
			b.WriteRune('-')
		case r == '\'':
			b.WriteRune('’')
		case unicode.IsControl(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimSpace(b.String())
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > maxSheetName {
			s = strings.TrimSpace(s[:i])
			break
		}
	}
	switch {
	case s == "":
		return defaultSheetName
	case strings.EqualFold(s, "History"):
		return s + " (1)" // Excel reserves "History" for change tracking
	}
	return s
}
