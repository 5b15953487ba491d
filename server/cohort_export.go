package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/sheet"
)

// cohortExport is the cohort report as a file, with the page's course and
// filter.
func (h *handlers) cohortExport(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		co, view, err := h.reportOf(c)
		if err != nil {
			return err
		}
		p := h.page(c)
		rows, err := h.cohortRows(c, p, co, view)
		if err != nil {
			return err
		}
		return sendTable(c, cohortTable(p, co, view, rows), format, "kalan-"+co.Name+"-"+view.Course.Def.Slug)
	}
}

// cohortTable is the cohort report as a table, with the page's filter.
func cohortTable(p Page, co *cohort.Cohort, view reportView, rows []report.Row) sheet.Table {
	title, _ := text(p, view.Course.Def.Title)
	t := sheet.Table{Name: co.Name, Columns: []sheet.Column{
		{Header: p.T("form.name.label"), Kind: sheet.Text},
		{Header: p.T("form.login.label"), Kind: sheet.Text},
		{Header: p.T("form.organisation.label"), Kind: sheet.Text},
		{Header: p.T("report.col.course"), Kind: sheet.Text},
		{Header: p.T("report.col.status"), Kind: sheet.Text},
		{Header: p.T("report.col.progress"), Kind: sheet.Percent},
		{Header: p.T("report.col.lessons_done"), Kind: sheet.Int},
		{Header: p.T("report.col.attempts"), Kind: sheet.Int},
		{Header: p.T("report.col.best_score"), Kind: sheet.Percent},
		{Header: p.T("report.col.passed"), Kind: sheet.Text},
		{Header: p.T("report.col.certificate"), Kind: sheet.Text},
		{Header: p.T("report.col.last_activity"), Kind: sheet.Date},
		{Header: p.T("report.col.stalled"), Kind: sheet.Text},
	}}
	yes := func(b bool) string {
		if b {
			return p.T("report.yes")
		}
		return p.T("report.no")
	}
	for _, r := range memberRows(p, view, report.Filter(rows, view.Status)) {
		var best, last any
		if r.Attempts > 0 {
			best = float64(r.BestScore) / 100
		}
		if !r.Updated.IsZero() {
			last = r.Updated
		}
		serial := ""
		for _, cert := range r.Certificates {
			if !cert.Revoked {
				serial = cert.Serial
			}
		}
		t.Rows = append(t.Rows, []any{r.Name, r.Login, r.Organisation, title, p.T("report.status." + string(r.Status)),
			float64(r.Percent) / 100, r.LessonsDone, r.Attempts, best, yes(r.Passed), serial, last, yes(r.Stalled)})
	}
	return t
}
