package server

import (
	"bytes"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
)

// Enrolment files: a few hundred people, well under the body limit.
const (
	maxEnrolBytes = 1 << 20
	maxEnrolRows  = 1000
)

// enrolRowError is one line of the error report.
type enrolRowError struct {
	Line    int
	Problem string
}

// enrolledRow is one line of the result, with the one-time password of a
// new account, shown this once.
type enrolledRow struct {
	Name, Login, OneTime string
	New                  bool
}

type enrolPage struct {
	Page
	Cohort    *cohort.Cohort
	CohortURL string
	Problem   string // a problem with the file as a whole
	Rows      []enrolRowError
	Enrolled  []enrolledRow
}

// cohortEnrol enrols the people of a CSV file. Any bad row stops the
// whole file: the report lists every problem by line, and nobody is
// enrolled until the file is clean.
func (h *handlers) cohortEnrol(c *fiber.Ctx) error {
	co, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	m := enrolPage{Page: h.page(c), Cohort: co, CohortURL: cohortURL(co)}
	data, ferr := readUpload(c, "file", maxEnrolBytes)
	if ferr != nil {
		m.Problem = m.T(ferr.MessageID, toPairs(ferr.Data)...)
		return h.render(c, fiber.StatusBadRequest, "enrol", m)
	}
	rows, rowErrs, err := account.ParseEnrolCSV(bytes.NewReader(data), account.EnrolOptions{
		MaxRows: maxEnrolRows, Organisations: h.labels("organisation.", account.Organisations()), Regions: h.labels("region.", account.Regions()),
	})
	if fe, ok := err.(*account.FieldError); ok {
		m.Problem = m.T(fe.MessageID, toPairs(fe.Data)...)
		return h.render(c, fiber.StatusBadRequest, "enrol", m)
	}
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		for _, re := range rowErrs {
			m.Rows = append(m.Rows, enrolRowError{Line: re.Line, Problem: m.T(re.MessageID, toPairs(re.Data)...)})
		}
		return h.render(c, fiber.StatusBadRequest, "enrol", m)
	}
	done, err := h.Cohorts.Enrol(c.UserContext(), currentViewer(c).User, co, rows, m.Lang, h.clientIP(c))
	if err != nil {
		return err
	}
	for _, e := range done {
		row := enrolledRow{Login: e.Row.Login.Value, OneTime: e.OneTime, New: e.New}
		if !e.Invited { // an invited person's name is theirs to show, once they accept
			row.Name = e.User.Name
		}
		m.Enrolled = append(m.Enrolled, row)
	}
	noStore(c)
	return h.render(c, fiber.StatusOK, "enrol", m)
}

// readUpload reads one uploaded file of a multipart form, at most max bytes.
func readUpload(c *fiber.Ctx, field string, max int64) ([]byte, *account.FieldError) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, &account.FieldError{Field: field, MessageID: "form.file.required"}
	}
	if fh.Size > max {
		return nil, &account.FieldError{Field: field, MessageID: "form.file.too_large", Data: map[string]any{"MaxKB": max >> 10}}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, &account.FieldError{Field: field, MessageID: "form.file.required"}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(data)) > max {
		return nil, &account.FieldError{Field: field, MessageID: "form.file.too_large", Data: map[string]any{"MaxKB": max >> 10}}
	}
	return data, nil
}

// labels maps every language's label of some codes ("Ségou", "Services
// sociaux") to the code, for reading what trainers type in files.
func (h *handlers) labels(prefix string, codes []string) map[string]string {
	out := map[string]string{}
	for _, l := range h.Locales.Languages() {
		loc := h.Locales.Localizer(l.Code)
		for _, code := range codes {
			out[account.NormalizeLabel(loc.T(prefix+code, nil))] = code
		}
	}
	return out
}

// toPairs turns template data into the name/value pairs of Page.T.
func toPairs(data map[string]any) []any {
	var kv []any
	for k, v := range data {
		kv = append(kv, k, v)
	}
	return kv
}
