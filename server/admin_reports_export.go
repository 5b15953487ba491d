package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/sheet"
)

// adminReportsExport is the national view as a file.
func (h *handlers) adminReportsExport(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, err := parseNational(c)
		if err != nil {
			return err
		}
		p := h.page(c)
		rows, _, err := h.national(c, p, q)
		if err != nil {
			return err
		}
		t := sheet.Table{Name: p.T("report.national.title"), Columns: append([]sheet.Column{
			{Header: p.T("report.by." + string(q.by)), Kind: sheet.Text},
			{Header: p.T("report.col.cohorts"), Kind: sheet.Int},
		}, summaryColumns(p)...)}
		for _, r := range rows {
			t.Rows = append(t.Rows, append([]any{r.Label, r.Cohorts}, summaryCells(r.Summary)...))
		}
		return sendTable(c, t, format, "kalan-national-"+string(q.by))
	}
}
