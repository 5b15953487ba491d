package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// bom is the UTF-8 byte-order mark. Without it Excel reads a CSV in the
// machine's legacy code page, and Bambara letters (ɛ ɔ ɲ ŋ) and French
// accents come out as mojibake.
const bom = "\uFEFF"

// WriteCSV writes the table as RFC 4180 CSV: a UTF-8 byte-order mark, the
// header row, then one line per row, comma-separated, with CRLF line ends.
// Text cells that a spreadsheet would run as a formula get a leading '
// (OWASP "CSV injection"). Rows are written as they come; the file is never
// held in memory.
func (t Table) WriteCSV(w io.Writer) error {
	if err := t.validate(); err != nil {
		return err
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return fmt.Errorf("sheet: write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	record := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		record[i] = csvText(c.Header)
	}
	if err := writeRecord(w, cw, record); err != nil {
		return err
	}
	for _, row := range t.Rows {
		for i, v := range row {
			f, err := csvField(t.Columns[i].Kind, v)
			if err != nil {
				return err
			}
			record[i] = f
		}
		if err := writeRecord(w, cw, record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("sheet: write csv: %w", err)
	}
	return nil
}

// writeRecord writes one CSV line. encoding/csv writes a record of one
// empty field as an empty line, which readers (encoding/csv included) skip,
// losing the row; it is written as "" instead.
func writeRecord(w io.Writer, cw *csv.Writer, record []string) error {
	if len(record) == 1 && record[0] == "" {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("sheet: write csv: %w", err)
		}
		if _, err := io.WriteString(w, "\"\"\r\n"); err != nil {
			return fmt.Errorf("sheet: write csv: %w", err)
		}
		return nil
	}
	if err := cw.Write(record); err != nil {
		return fmt.Errorf("sheet: write csv: %w", err)
	}
	return nil
}

// csvField is the CSV text of a value already checked by validate.
func csvField(k Kind, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return csvText(v), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		if k == Percent {
			return percentText(v), nil
		}
		return decimalText(v), nil
	case time.Time:
		return dateText(v), nil
	}
	return "", fmt.Errorf("sheet: got %T, want %s", v, goTypes[k]) // unreachable after validate
}

// csvText guards a Text cell against formula injection: Excel, LibreOffice
// and Google Sheets run a cell starting with = + - @ (or a tab or CR before
// one) as a formula, e.g. =HYPERLINK to leak data. A leading ' makes it text.
// Numbers are never touched: -3 in an Int column stays a number.
func csvText(s string) string {
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@', '\t', '\r':
			s = "'" + s
		}
	}
	return lineEnds(s)
}
