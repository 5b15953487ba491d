package sheet_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/sheet"
)

// TestInvalidTables checks that a programming error in a table is an error
// from both writers, never a panic, and that the CSV writer writes nothing
// before it (so a handler can still answer with an error page).
func TestInvalidTables(t *testing.T) {
	now := time.Now()
	one := func(k sheet.Kind, v any) sheet.Table {
		return sheet.Table{Columns: []sheet.Column{{Header: "x", Kind: k}}, Rows: [][]any{{v}}}
	}
	two := []sheet.Column{{Header: "a", Kind: sheet.Text}, {Header: "b", Kind: sheet.Int}}
	tests := []struct {
		name  string
		table sheet.Table
		want  string // in the error message
	}{
		{"string in Int", one(sheet.Int, "12"), `Rows[0][0] ("x"): got string, want int or int64`},
		{"float64 in Int", one(sheet.Int, 12.0), "float64"},
		{"int32 in Int", one(sheet.Int, int32(12)), "int32"},
		{"uint in Int", one(sheet.Int, uint(12)), "uint"},
		{"int in Decimal", one(sheet.Decimal, 3), "int"},
		{"float32 in Percent", one(sheet.Percent, float32(0.5)), "float32"},
		{"NaN in Percent", one(sheet.Percent, math.NaN()), "NaN"},
		{"+Inf in Decimal", one(sheet.Decimal, math.Inf(1)), "Inf"},
		{"huge Percent", one(sheet.Percent, math.MaxFloat64), "number"},
		{"string in Date", one(sheet.Date, "2024-03-05"), "string"},
		{"*time.Time in Date", one(sheet.Date, &now), "*time.Time"},
		{"int in Text", one(sheet.Text, 5), "int"},
		{"[]byte in Text", one(sheet.Text, []byte("x")), "[]uint8"},
		{"time in Text", one(sheet.Text, now), "time.Time"},
		{"unknown kind", one(sheet.Kind(42), "x"), "kind"},
		{"negative kind", one(sheet.Kind(-1), nil), "kind"},
		{"short row", sheet.Table{Columns: two, Rows: [][]any{{"a", 1}, {"b"}}}, "Rows[1] has 1 values, want 2"},
		{"long row", sheet.Table{Columns: two, Rows: [][]any{{"a", 1, 2}}}, "Rows[0] has 3 values, want 2"},
		{"nil row", sheet.Table{Columns: two, Rows: [][]any{nil}}, "Rows[0] has 0 values"},
		{"no columns", sheet.Table{Rows: [][]any{{}}}, "no columns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var csvOut bytes.Buffer
			err := tt.table.WriteCSV(&csvOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteCSV error = %v, want one saying %q", err, tt.want)
			}
			if csvOut.Len() != 0 {
				t.Errorf("WriteCSV wrote %q before failing", csvOut.Bytes())
			}
			var xlsxOut bytes.Buffer
			err = tt.table.WriteXLSX(&xlsxOut)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteXLSX error = %v, want one saying %q", err, tt.want)
			}
			if xlsxOut.Len() != 0 {
				t.Errorf("WriteXLSX wrote %d bytes before failing", xlsxOut.Len())
			}
		})
	}
}

// TestNilEverywhere checks that nil is an empty cell in a column of any kind.
func TestNilEverywhere(t *testing.T) {
	tb := sheet.Table{
		Columns: []sheet.Column{
			{Header: "t", Kind: sheet.Text}, {Header: "i", Kind: sheet.Int}, {Header: "d", Kind: sheet.Decimal},
			{Header: "p", Kind: sheet.Percent}, {Header: "le", Kind: sheet.Date},
		},
		Rows: [][]any{{nil, nil, nil, nil, nil}},
	}
	if got, want := string(writeCSV(t, tb)), bom+"t,i,d,p,le\r\n,,,,\r\n"; got != want {
		t.Errorf("CSV = %q, want %q", got, want)
	}
	f, _ := writeXLSX(t, tb)
	rows, err := f.GetRows(onlySheet(t, f))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" {
				t.Errorf("row %q has a value", row)
			}
		}
	}
}
