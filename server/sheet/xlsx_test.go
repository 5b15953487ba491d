package sheet_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/kalan-platform/kalan/server/sheet"
)

// TestWriteXLSXMatchesCSV reads the workbook back and compares it with
// the CSV of the same table.
//
// It compares formatted values (GetRows without RawCellValue): that is what
// the reader sees in Excel, and it checks the number formats too: "15.50"
// only comes out if the cell holds 15.5 and the format is 0.00. Raw values
// (0.833, the date serial 45356) would have to be re-derived from the CSV
// text with the package's own arithmetic, which proves nothing. The raw
// values are checked on their own in TestWriteXLSXNumbers.
//
// The two files differ on purpose in two ways only: a Percent cell shows
// a % sign in Excel (the CSV header carries it instead), and a Text cell
// has no injection guard (an XLSX string cell is never a formula).
func TestWriteXLSXMatchesCSV(t *testing.T) {
	tb := report()
	f, _ := writeXLSX(t, tb)
	name := onlySheet(t, f)
	if name != tb.Name {
		t.Errorf("sheet name = %q, want %q", name, tb.Name)
	}
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatalf("GetRows: %v", err)
	}
	// GetRows leaves out the empty cells that end a row.
	for i := range rows {
		for len(rows[i]) < len(tb.Columns) {
			rows[i] = append(rows[i], "")
		}
	}
	want := readCSV(t, writeCSV(t, tb))
	for r := range want {
		for c, col := range tb.Columns {
			cell := want[r][c]
			switch {
			case col.Kind == sheet.Text || r == 0:
				want[r][c] = unguard(cell)
			case col.Kind == sheet.Percent && cell != "":
				want[r][c] = cell + "%"
			}
		}
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("XLSX rows =\n%q\nwant (from the CSV)\n%q", rows, want)
	}
	if got, _ := f.GetCellValue(name, "A2"); got != bambaraName {
		t.Errorf("A2 = %q, want %q", got, bambaraName)
	}
}

// unguard removes the injection guard WriteCSV adds to a Text cell. A
// guarded CR comes back from the CSV as LF.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\n", rune(s[1])) {
		return s[1:]
	}
	return s
}

func TestWriteXLSXNumbers(t *testing.T) {
	f, _ := writeXLSX(t, report())
	name := onlySheet(t, f)
	tests := []struct {
		cell, raw string
	}{
		{"C2", "12"},
		{"C4", "-3"},
		{"C5", "7"},
		{"D2", "15.5"},
		{"D4", "-1.25"},
		{"D5", "0"}, // -0.001 shows as 0.00, and holds what it shows
		{"E2", "0.833"},
		{"E4", "1"},
		{"F2", "45356"}, // 2024-03-05, a whole day
		{"F4", "45657"}, // 2024-12-31
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			raw, err := f.GetCellValue(name, tt.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if raw != tt.raw {
				t.Errorf("raw value = %q, want %q", raw, tt.raw)
			}
			typ, err := f.GetCellType(name, tt.cell)
			if err != nil {
				t.Fatal(err)
			}
			// excelize reports a number cell as CellTypeUnset: it writes no
			// t attribute, and "n" (number) is the default.
			switch typ {
			case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
				t.Errorf("cell type = %v, want a number", typ)
			}
		})
	}
	for row := 2; row <= 6; row++ {
		for _, col := range "AB" {
			cell := fmt.Sprintf("%c%d", col, row)
			if v, _ := f.GetCellValue(name, cell); v == "" {
				continue
			}
			typ, err := f.GetCellType(name, cell)
			if err != nil {
				t.Fatal(err)
			}
			if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
				t.Errorf("%s: cell type = %v, want a string", cell, typ)
			}
			if formula, _ := f.GetCellFormula(name, cell); formula != "" {
				t.Errorf("%s: has formula %q", cell, formula)
			}
		}
	}
}

func TestWriteXLSXLayout(t *testing.T) {
	tb := report()
	f, file := writeXLSX(t, tb)
	name := onlySheet(t, f)

	panes, err := f.GetPanes(name)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, want the first row frozen", panes)
	}

	sheetXML := worksheetXML(t, file)
	m := regexp.MustCompile(`<autoFilter ref="([^"]+)"`).FindStringSubmatch(sheetXML)
	if m == nil {
		t.Errorf("no autoFilter in the worksheet")
	} else if ref := strings.ReplaceAll(m[1], "$", ""); ref != "A1:F6" {
		t.Errorf("autoFilter ref = %q, want header and data A1:F6", m[1])
	}
	var filterDB bool
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == name {
			filterDB = strings.ReplaceAll(dn.RefersTo, "$", "") == "'"+name+"'!A1:F6"
		}
	}
	if !filterDB {
		t.Errorf("defined names = %+v, want _xlnm._FilterDatabase for A1:F6", f.GetDefinedName())
	}

	for c, col := range tb.Columns {
		header, _ := excelize.CoordinatesToCellName(c+1, 1)
		if style := cellStyle(t, f, name, header); style.Font == nil || !style.Font.Bold {
			t.Errorf("%s: header not bold", header)
		}
		cell, _ := excelize.CoordinatesToCellName(c+1, 2)
		style := cellStyle(t, f, name, cell)
		want := map[sheet.Kind]string{sheet.Int: "0", sheet.Decimal: "0.00", sheet.Percent: "0.0%", sheet.Date: "yyyy-mm-dd"}[col.Kind]
		got := ""
		if style.CustomNumFmt != nil {
			got = *style.CustomNumFmt
		}
		if got != want {
			t.Errorf("%s (%s): number format %q, want %q", cell, col.Header, got, want)
		}
	}

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != tb.Name {
		t.Errorf("title = %q, want %q", props.Title, tb.Name)
	}
}

// cellStyle returns the style of a cell.
func cellStyle(t *testing.T, f *excelize.File, name, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(name, cell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return style
}

// worksheetXML returns the XML of the only worksheet in an XLSX file.
func worksheetXML(t *testing.T, file []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	t.Fatal("no worksheet in the file")
	return ""
}

func TestWriteXLSXColumnWidths(t *testing.T) {
	tb := sheet.Table{
		Columns: []sheet.Column{
			{Header: "N", Kind: sheet.Int},
			{Header: "Nom", Kind: sheet.Text},
			{Header: "Note", Kind: sheet.Text},
			{Header: "Commentaire", Kind: sheet.Text},
			{Header: "Réussite (%)", Kind: sheet.Percent},
		},
		Rows: [][]any{
			{1, bambaraName, strings.Repeat("x", 100), "court\nune ligne plus longue", 1.0},
			{int64(1234567890123), nil, nil, nil, nil},
		},
	}
	f, _ := writeXLSX(t, tb)
	name := onlySheet(t, f)
	tests := []struct {
		col  string
		want float64
		why  string
	}{
		{"A", 15, "13 digits, +2"},
		{"B", float64(utf8.RuneCountInString(bambaraName)) + 2, "runes, not bytes, +2"},
		{"C", 60, "at most 60"},
		{"D", 23, "the longest line (21 runes), +2"},
		{"E", 14, "the header, longer than 100.0%, +2"},
	}
	for _, tt := range tests {
		got, err := f.GetColWidth(name, tt.col)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("column %s: width %v, want %v (%s)", tt.col, got, tt.want, tt.why)
		}
	}
	short := sheet.Table{Columns: []sheet.Column{{Header: "N", Kind: sheet.Int}}, Rows: [][]any{{1}}}
	f, _ = writeXLSX(t, short)
	if got, _ := f.GetColWidth(onlySheet(t, f), "A"); got != 8 {
		t.Errorf("short column: width %v, want at least 8", got)
	}
}

func TestWriteXLSXDates(t *testing.T) {
	tb := sheet.Table{
		Columns: []sheet.Column{{Header: "Le", Kind: sheet.Date}},
		Rows: [][]any{
			{time.Time{}}, // before Excel's first day: text, as in the CSV
			{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
			{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)}, // after Excel's fictional 1900-02-29
		},
	}
	if got, want := string(writeCSV(t, tb)), bom+"Le\r\n0001-01-01\r\n1900-01-01\r\n1900-03-01\r\n"; got != want {
		t.Errorf("CSV = %q, want %q", got, want)
	}
	f, _ := writeXLSX(t, tb)
	name := onlySheet(t, f)
	tests := []struct {
		cell, shown, raw string
		text             bool
	}{
		{"A2", "0001-01-01", "0001-01-01", true},
		{"A3", "1900-01-01", "1", false},
		{"A4", "1900-03-01", "61", false},
	}
	for _, tt := range tests {
		shown, _ := f.GetCellValue(name, tt.cell)
		raw, _ := f.GetCellValue(name, tt.cell, excelize.Options{RawCellValue: true})
		typ, _ := f.GetCellType(name, tt.cell)
		if shown != tt.shown || raw != tt.raw || (typ == excelize.CellTypeInlineString) != tt.text {
			t.Errorf("%s: shown %q, raw %q, type %v; want %q, %q, text %v", tt.cell, shown, raw, typ, tt.shown, tt.raw, tt.text)
		}
	}
}

func TestWriteXLSXSheetName(t *testing.T) {
	tests := []struct {
		name, want string
	}{
		{`a/b:c*d?[e]`, "a-b-c-d-(e)"},
		{strings.Repeat("Ŋ", 10) + strings.Repeat("a", 30), strings.Repeat("Ŋ", 10) + strings.Repeat("a", 21)},
		{"", "Report"},
		{"   ", "Report"},
		{"/", "-"},
		{"Taux d'achèvement", "Taux d’achèvement"},
		{"'cité'", "’cité’"},
		{"ligne\nsuivante", "ligne suivante"},
		{strings.Repeat("a", 30) + "📊", strings.Repeat("a", 30)},  // 📊 is two UTF-16 units, as Excel counts
		{strings.Repeat("a", 30) + " b", strings.Repeat("a", 30)}, // no trailing space after the cut
		{"history", "history (1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := sheet.Table{Name: tt.name, Columns: []sheet.Column{{Header: "Nom", Kind: sheet.Text}}}
			f, _ := writeXLSX(t, tb)
			if got := onlySheet(t, f); got != tt.want {
				t.Errorf("sheet name = %q, want %q", got, tt.want)
			}
			props, err := f.GetDocProps()
			if err != nil {
				t.Fatal(err)
			}
			wantTitle := tt.name
			if strings.TrimSpace(wantTitle) == "" {
				wantTitle = tt.want
			}
			if props.Title != wantTitle {
				t.Errorf("title = %q, want %q", props.Title, wantTitle)
			}
		})
	}
}

// bigTable is a report of n rows and 10 columns of every kind.
func bigTable(n int) sheet.Table {
	tb := sheet.Table{
		Name: "Cohortes",
		Columns: []sheet.Column{
			{Header: "Nom", Kind: sheet.Text},
			{Header: "Commune", Kind: sheet.Text},
			{Header: "Cohorte", Kind: sheet.Text},
			{Header: "Modules", Kind: sheet.Int},
			{Header: "Heures", Kind: sheet.Int},
			{Header: "Score", Kind: sheet.Decimal},
			{Header: "Moyenne", Kind: sheet.Decimal},
			{Header: "Réussite (%)", Kind: sheet.Percent},
			{Header: "Inscrit le", Kind: sheet.Date},
			{Header: "Terminé le", Kind: sheet.Date},
		},
		Rows: make([][]any, n),
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range tb.Rows {
		tb.Rows[i] = []any{
			fmt.Sprintf("%s %d", bambaraName, i),
			[]string{"Bamako", "Ségou", "Kayes", "Mopti"}[i%4],
			fmt.Sprintf("C-%03d", i%200),
			i % 12,
			int64(i % 40),
			float64(i%2000) / 100,
			float64(i%1000) / 7,
			float64(i%1000) / 1000,
			start.AddDate(0, 0, i%365),
			start.AddDate(0, 0, i%365+30),
		}
	}
	return tb
}

func BenchmarkWriteXLSX(b *testing.B) {
	tb := bigTable(20000)
	b.ReportAllocs()
	for b.Loop() {
		if err := tb.WriteXLSX(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
