package account

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// decodeText turns the file's bytes into UTF-8 text with '\n' line ends,
// or says why it cannot.
func decodeText(raw []byte) (string, *FieldError) {
	var text string
	switch {
	case bytes.HasPrefix(raw, []byte{0xff, 0xfe}), bytes.HasPrefix(raw, []byte{0xfe, 0xff}):
		b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", fileError("csv.unreadable", nil)
		}
		text = string(b)
	case utf8.Valid(raw):
		text = string(raw)
	default:
		// Not UTF-8: Excel's "CSV (separator: semicolon)" in a French
		// Windows writes Windows-1252, which decodes any byte.
		b, err := charmap.Windows1252.NewDecoder().Bytes(raw)
		if err != nil {
			return "", fileError("csv.unreadable", nil)
		}
		text = string(b)
	}
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.TrimRight(text, "\x1a") // the end-of-file mark of old DOS tools
	if strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ';' || r == ',' }) == "" {
		return "", fileError("csv.empty", nil)
	}
	for _, r := range text {
		if r != '\t' && r != '\n' && r != '\r' && unicode.IsControl(r) {
			return "", fileError("csv.unreadable", nil) // binary: an image, a zip, an .xlsx sent as is
		}
	}
	if !strings.Contains(text, "\n") {
		text = strings.ReplaceAll(text, "\r", "\n") // classic Mac line ends
	}
	return text, nil
}

// chooseSeparator returns the separator that splits the header, the first
// non-blank record, into most columns; ';' on a tie, as French Excel
// writes.
func chooseSeparator(text string) rune {
	best, most := ';', 0
	for _, sep := range []rune{';', ',', '\t'} {
		rec, _, err := nextRecord(newCSVReader(text, sep))
		if err == nil && len(rec) > most {
			best, most = sep, len(rec)
		}
	}
	return best
}

func newCSVReader(text string, sep rune) *csv.Reader {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1 // Excel drops trailing empty cells
	cr.LazyQuotes = true    // a stray quote in a name is the name's, not an error
	return cr
}

// nextRecord returns the next record that has a non-blank cell (Excel
// writes an empty row as ";;;"), its cells trimmed, and the line where it
// starts.
func nextRecord(cr *csv.Reader) ([]string, int, error) {
	for {
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.StartLine, err
			}
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		blank := true
		for i, c := range rec {
			rec[i] = strings.TrimSpace(c)
			if rec[i] != "" {
				blank = false
			}
		}
		if !blank {
			return rec, line, nil
		}
	}
}
