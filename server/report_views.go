package server

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/chart"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/sheet"
)

// Pct writes a share (0 to 1) as a whole percentage, the page's way.
func (p Page) Pct(share float64) string {
	return p.T("report.percent", "N", int(math.Round(share*100)))
}

// Dec writes a figure with two decimals, with the page's decimal mark.
func (p Page) Dec(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), ".", p.T("number.decimal_mark"), 1)
}

// Day writes the day of a moment, or a dash for none.
func (p Page) Day(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format(time.DateOnly)
}

// exportLinks are the CSV and XLSX links of a report, with its query.
type exportLinks struct{ CSV, XLSX string }

// exports makes the links of a report page: base + "/report.csv", with
// the same query string (filters, course) so that the file holds what the
// page shows.
func exports(c *fiber.Ctx, base string) exportLinks {
	q := string(c.Request().URI().QueryString())
	if q != "" {
		q = "?" + q
	}
	return exportLinks{CSV: base + "/report.csv" + q, XLSX: base + "/report.xlsx" + q}
}

// sendTable answers with a report as a file: CSV or XLSX, named name.
// Reports hold personal data: never kept by a cache.
func sendTable(c *fiber.Ctx, t sheet.Table, format, name string) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case "csv":
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		err = t.WriteCSV(&buf)
	default:
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		err = t.WriteXLSX(&buf)
	}
	if err != nil {
		return err
	}
	noStore(c)
	c.Set(fiber.HeaderContentDisposition, contentDisposition(name+"."+format))
	return c.Send(buf.Bytes())
}

// summaryColumns are the columns of a summary in every report that has
// them (dashboard, national view), after the columns naming the group.
func summaryColumns(p Page) []sheet.Column {
	return []sheet.Column{
		{Header: p.T("report.col.enrolled"), Kind: sheet.Int},
		{Header: p.T("report.col.started"), Kind: sheet.Int},
		{Header: p.T("report.col.completed"), Kind: sheet.Int},
		{Header: p.T("report.col.passed"), Kind: sheet.Int},
		{Header: p.T("report.col.completion_rate"), Kind: sheet.Percent},
		{Header: p.T("report.col.median"), Kind: sheet.Decimal},
		{Header: p.T("report.col.certificates"), Kind: sheet.Int},
		{Header: p.T("report.col.last_activity"), Kind: sheet.Date},
	}
}

// summaryCells are a summary's values for summaryColumns; no score and no
// activity are empty cells, not zeros.
func summaryCells(s report.Summary) []any {
	var median, last any
	if s.Scored > 0 {
		median = s.Median
	}
	if !s.Last.IsZero() {
		last = s.Last
	}
	return []any{s.Enrolled, s.Started, s.Completed, s.Passed, s.CompletionRate(), median, s.Certificates, last}
}

// scoreChart is the distribution of best scores, in ten bands; the bands
// at or above the pass mark are marked (passMark 0: none).
func scoreChart(p Page, id string, members []report.Member, passMark int) template.HTML {
	bands := report.Bands(members)
	c := chart.Chart{ID: id, Title: p.T("report.chart.scores"), Desc: p.T("report.chart.scores_desc")}
	total := 0
	for i, n := range bands {
		total += n
		label := strconv.Itoa(i*10) + "–" + strconv.Itoa(i*10+9)
		if i == 9 {
			label = "90–100"
		}
		c.Bars = append(c.Bars, chart.Bar{Label: label, Value: float64(n), Text: strconv.Itoa(n), Mark: passMark > 0 && i*10 >= passMark})
	}
	if total == 0 {
		return ""
	}
	return chart.Columns(c)
}
