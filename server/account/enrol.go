package account

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// EnrolRow is one valid person of an enrolment file.
type EnrolRow struct {
	Line  int // the file line where the row starts (the header is line 1)
	Name  string
	Login Login
	// Organisation and Region are codes, or "" when the cell is empty: the
	// caller then uses the cohort's.
	Organisation, Region string
}

// RowError is one problem of an enrolment file, for a line-by-line report.
// Line is the file line (the header is line 1); Field is the column, one
// of "name", "login", "organisation", "region".
type RowError struct {
	Line      int
	Field     string
	MessageID string
	Data      map[string]any
}

// EnrolOptions tunes ParseEnrolCSV.
type EnrolOptions struct {
	// MaxRows bounds the number of data rows; more is the file-level error
	// "csv.too_many_rows" (Data {"Max": MaxRows}). Zero or less: no bound
	// beyond the caller's byte limit.
	MaxRows int
	// Organisations and Regions map a normalised label (see NormalizeLabel)
	// to its code, so that a trainer can write "Gendarmerie", "Services
	// sociaux", "Ségou" or "segou". The caller builds them from the locale
	// files; the codes themselves always match, even when the maps are nil.
	Organisations, Regions map[string]string
}

// maxCSVField bounds one cell of a recognised column, in bytes.
const maxCSVField = 500

// The columns of an enrolment file.
const (
	colName         = "name"
	colFirstName    = "first-name" // optional; joined before the name, for sheets with "Nom" and "Prénom"
	colLogin        = "login"
	colOrganisation = "organisation"
	colRegion       = "region"
)

// columnOf maps a header cell, normalised by NormalizeLabel, to a column:
// the English and French names people give them.
func columnOf(label string) string {
	switch strings.TrimRight(label, ".:* ") {
	case "name", "nom", "full name", "nom complet", "nom et prenom", "nom et prenoms", "nom prenom", "nom prenoms", "prenom et nom", "prenom nom":
		return colName
	case "prenom", "prenoms", "first name", "given name":
		return colFirstName
	case "login", "identifiant", "email", "e mail", "mail", "courriel", "adresse email", "adresse e mail",
		"phone", "telephone", "tel", "mobile", "portable", "numero de telephone":
		return colLogin
	case "organisation", "organization", "structure", "service", "organisme":
		return colOrganisation
	case "region":
		return colRegion
	}
	return ""
}

// ParseEnrolCSV reads a trainer's enrolment file whole and returns its
// valid rows and, separately, one RowError per problem, so that the caller
// can refuse the import unless every row is valid and show a line-by-line
// report. A file-level problem is a *FieldError on the field "file":
// "csv.empty" (no data row), "csv.unreadable" (not text), "csv.no_header",
// "csv.missing_column" (Data {"Column": "name"|"login"}),
// "csv.too_many_rows". A read error of r (such as the caller's size limit)
// is returned wrapped, as it is, for the caller to map.
//
// Files come from Excel in French, so it strips a byte order mark, reads
// UTF-8 or else Windows-1252 (and UTF-16 with a byte order mark: Excel's
// "Unicode text"), CRLF or CR line ends, and takes as separator ';', ','
// or a tab, whichever splits the header into most columns. Blank lines are
// skipped but counted, so line numbers match what the trainer sees. The
// header names the columns in any order, in English or French, ignoring
// case and accents; name and login are required, organisation and region
// optional, other columns ignored. Several login columns (say "Email" and
// "Téléphone") are allowed: a row's login is its first non-empty one.
func ParseEnrolCSV(r io.Reader, opts EnrolOptions) ([]EnrolRow, []RowError, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("account: read enrolment file: %w", err)
	}
	text, fe := decodeText(raw)
	if fe != nil {
		return nil, nil, fe
	}
	sep := chooseSeparator(text)
	cr := newCSVReader(text, sep)
	header, headerLine, err := nextRecord(cr)
	if err == io.EOF {
		return nil, nil, fileError("csv.empty", nil)
	}
	if err != nil {
		return nil, nil, fileError("csv.unreadable", map[string]any{"Line": headerLine})
	}
	cols, fe := mapColumns(header)
	if fe != nil {
		return nil, nil, fe
	}

	p := rowParser{
		cols:  cols,
		orgs:  labelIndex(Organisations(), opts.Organisations),
		regs:  labelIndex(Regions(), opts.Regions),
		seen:  map[string]int{},
		valid: []EnrolRow{},
	}
	n := 0
	for {
		rec, line, err := nextRecord(cr)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fileError("csv.unreadable", map[string]any{"Line": line})
		}
		n++
		if opts.MaxRows > 0 && n > opts.MaxRows {
			return nil, nil, fileError("csv.too_many_rows", map[string]any{"Max": opts.MaxRows})
		}
		p.row(rec, line)
	}
	if n == 0 {
		return nil, nil, fileError("csv.empty", nil)
	}
	return p.valid, p.errs, nil
}

func fileError(id string, data map[string]any) *FieldError {
	return &FieldError{Field: "file", MessageID: id, Data: data}
}

// columns says which cells of a record hold what: the index of each
// column, and every index of the login columns.
type columns struct {
	name, firstName, organisation, region int // -1 when absent
	logins                                []int
}

// mapColumns reads the header.
func mapColumns(header []string) (columns, *FieldError) {
	c := columns{name: -1, firstName: -1, organisation: -1, region: -1}
	found := false
	for i, h := range header {
		if len(h) > maxCSVField {
			continue
		}
		col := columnOf(NormalizeLabel(h))
		if col != "" {
			found = true
		}
		switch {
		case col == colName && c.name < 0:
			c.name = i
		case col == colFirstName && c.firstName < 0:
			c.firstName = i
		case col == colOrganisation && c.organisation < 0:
			c.organisation = i
		case col == colRegion && c.region < 0:
			c.region = i
		case col == colLogin:
			c.logins = append(c.logins, i)
		}
	}
	switch {
	case !found:
		return c, fileError("csv.no_header", nil)
	case c.name < 0:
		return c, fileError("csv.missing_column", map[string]any{"Column": colName})
	case len(c.logins) == 0:
		return c, fileError("csv.missing_column", map[string]any{"Column": colLogin})
	}
	return c, nil
}

// labelIndex maps the normalised labels of codes, and of the caller's
// labels, to codes.
func labelIndex(codes []string, labels map[string]string) map[string]string {
	idx := make(map[string]string, len(codes)+len(labels))
	for label, code := range labels {
		if slices.Contains(codes, code) {
			idx[NormalizeLabel(label)] = code
		}
	}
	for _, code := range codes {
		idx[NormalizeLabel(code)] = code
	}
	return idx
}

// rowParser checks the data rows one by one.
type rowParser struct {
	cols       columns
	orgs, regs map[string]string
	seen       map[string]int // login value → line where it first appeared
	valid      []EnrolRow
	errs       []RowError
}

// fail records one problem of a row.
func (p *rowParser) fail(line int, field, id string, data map[string]any) {
	p.errs = append(p.errs, RowError{Line: line, Field: field, MessageID: id, Data: data})
}

// cell returns a record's cell i, "" when the row is shorter; ok is false,
// and the error recorded, when the cell is too long.
func (p *rowParser) cell(rec []string, i, line int, field string) (string, bool) {
	if i < 0 || i >= len(rec) {
		return "", true
	}
	if len(rec[i]) > maxCSVField {
		p.fail(line, field, "csv.field_too_long", map[string]any{"Max": maxCSVField})
		return "", false
	}
	return rec[i], true
}

// row checks one data row; it is kept only when it adds no error.
func (p *rowParser) row(rec []string, line int) {
	before := len(p.errs)
	row := EnrolRow{Line: line}

	name, okName := p.cell(rec, p.cols.name, line, colName)
	first, okFirst := p.cell(rec, p.cols.firstName, line, colName)
	if okName && okFirst {
		row.Name = NormalizeName(first + " " + name)
		if id := checkName(row.Name); id != "" {
			p.fail(line, colName, id, nil)
		}
	}

	login, okLogin := "", true
	for _, i := range p.cols.logins {
		v, ok := p.cell(rec, i, line, colLogin)
		if !ok {
			okLogin = false
			break
		}
		if v != "" {
			login = v
			break
		}
	}
	if okLogin {
		l, err := ParseLogin(login)
		var fe *FieldError
		switch {
		case errors.As(err, &fe):
			p.fail(line, colLogin, fe.MessageID, nil)
		case err != nil:
			p.fail(line, colLogin, "form.login.invalid", nil)
		default:
			if first, dup := p.seen[l.Value]; dup {
				p.fail(line, colLogin, "csv.duplicate_login", map[string]any{"Line": first})
			} else {
				p.seen[l.Value] = line
			}
			row.Login = l
		}
	}

	row.Organisation = p.code(rec, p.cols.organisation, line, colOrganisation, p.orgs)
	row.Region = p.code(rec, p.cols.region, line, colRegion, p.regs)

	if len(p.errs) == before {
		p.valid = append(p.valid, row)
	}
}

// code reads an optional organisation or region cell: "" when empty, else
// the code its label stands for, or an error "form.<field>.invalid".
func (p *rowParser) code(rec []string, i, line int, field string, index map[string]string) string {
	v, ok := p.cell(rec, i, line, field)
	if !ok || v == "" {
		return ""
	}
	code, known := index[NormalizeLabel(v)]
	if !known {
		p.fail(line, field, "form."+field+".invalid", map[string]any{"Value": v})
	}
	return code
}
