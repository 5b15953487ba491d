package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/sheet"
)

// trainerExport is the dashboard as a file.
func (h *handlers) trainerExport(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := h.page(c)
		rows, err := h.dashboard(c, p)
		if err != nil {
			return err
		}
		t := sheet.Table{Name: p.T("trainer.title"), Columns: append([]sheet.Column{
			{Header: p.T("report.col.cohort"), Kind: sheet.Text},
			{Header: p.T("report.col.course"), Kind: sheet.Text},
			{Header: p.T("form.region.label"), Kind: sheet.Text},
			{Header: p.T("cohort.dates"), Kind: sheet.Text},
		}, summaryColumns(p)...)}
		for _, r := range rows {
			t.Rows = append(t.Rows, append([]any{r.Cohort, r.Course, r.Region, r.Dates}, summaryCells(r.Summary)...))
		}
		return sendTable(c, t, format, "kalan-cohorts")
	}
}
