package sheet_test

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/sheet"
)

func TestWriteCSV(t *testing.T) {
	oneColumn := sheet.Table{
		Columns: []sheet.Column{{Header: "Nom", Kind: sheet.Text}},
		Rows:    [][]any{{nil}, {""}, {"Awa"}},
	}
	tests := []struct {
		name  string
		table sheet.Table
		want  string
		cells [][]string
	}{
		{"report", report(), reportCSV, reportCells},
		{
			"header only",
			sheet.Table{Columns: []sheet.Column{{Header: "Nom", Kind: sheet.Text}, {Header: "Le", Kind: sheet.Date}}},
			bom + "Nom,Le\r\n",
			[][]string{{"Nom", "Le"}},
		},
		{
			// encoding/csv alone would write an empty line, which readers skip.
			"one column with empty cells",
			oneColumn,
			bom + "Nom\r\n\"\"\r\n\"\"\r\nAwa\r\n",
			[][]string{{"Nom"}, {""}, {""}, {"Awa"}},
		},
		{
			"numbers are never guarded",
			sheet.Table{
				Columns: []sheet.Column{{Header: "-", Kind: sheet.Text}, {Header: "n", Kind: sheet.Int}, {Header: "d", Kind: sheet.Decimal}, {Header: "p", Kind: sheet.Percent}},
				Rows:    [][]any{{"-", -1, -2.5, -0.5}, {"a-b", 0, 0.005, 0.00049}},
			},
			bom + "'-,n,d,p\r\n'-,-1,-2.50,-50.0\r\n" + "a-b,0,0.01,0.0\r\n",
			[][]string{{"'-", "n", "d", "p"}, {"'-", "-1", "-2.50", "-50.0"}, {"a-b", "0", "0.01", "0.0"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeCSV(t, tt.table)
			if string(got) != tt.want {
				t.Errorf("WriteCSV =\n%q\nwant\n%q", got, tt.want)
			}
			if !bytes.HasPrefix(got, []byte{0xEF, 0xBB, 0xBF}) {
				t.Errorf("no UTF-8 byte-order mark first")
			}
			if n, crlf := bytes.Count(got, []byte("\n")), bytes.Count(got, []byte("\r\n")); n != crlf {
				t.Errorf("%d line feeds, only %d after a CR", n, crlf)
			}
			if cells := readCSV(t, got); !reflect.DeepEqual(cells, tt.cells) {
				t.Errorf("read back =\n%q\nwant\n%q", cells, tt.cells)
			}
		})
	}
}

// guarded reports whether WriteCSV must prefix a Text cell with '.
func guarded(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// FuzzWriteCSV checks that any two strings survive a CSV round trip, apart
// from the injection guard and line ends: a CSV reader gives a CRLF inside
// a cell back as LF, and WriteCSV turns a lone CR into LF (encoding/csv
// would drop it), so CR never comes back.
func FuzzWriteCSV(f *testing.F) {
	for _, seed := range [][2]string{
		{"", ""},
		{bambaraName, "Détecter la traite : l'essentiel"},
		{"a,b", `"quoted"`},
		{"line\r\nbreak", "lone\rcr"},
		{"=1+1", "+33 6 00"},
		{"-2", "@SUM(A1)"},
		{"\t=cmd", "\r=cmd"},
		{" leading space", "trailing space "},
		{bom + "x", "\\."},
		{"\xff\xfe invalid", "\x00"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		tb := sheet.Table{
			Columns: []sheet.Column{{Header: "a", Kind: sheet.Text}, {Header: "b", Kind: sheet.Text}},
			Rows:    [][]any{{a, b}},
		}
		records := readCSV(t, writeCSV(t, tb))
		if len(records) != 2 || len(records[1]) != 2 {
			t.Fatalf("read back %q, want a header and one row of two cells", records)
		}
		crlf := strings.NewReplacer("\r\n", "\n", "\r", "\n")
		for i, in := range []string{a, b} {
			want := in
			if guarded(in) {
				want = "'" + in
			}
			want = crlf.Replace(want)
			if got := records[1][i]; got != want {
				t.Errorf("cell %d: got %q, want %q (input %q)", i, got, want, in)
			}
		}
	})
}

func BenchmarkWriteCSV(b *testing.B) {
	tb := bigTable(20000)
	b.ReportAllocs()
	for b.Loop() {
		if err := tb.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
