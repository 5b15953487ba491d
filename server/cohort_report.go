package server

import (
	"html/template"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/chart"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/report"
)

// cohortRows are the members of a cohort in one course, sorted, with
// their facts. The members are those the reports recorded (every join is),
// their accounts read by id.
func (h *handlers) cohortRows(c *fiber.Ctx, p Page, co *cohort.Cohort, view reportView) ([]report.Row, error) {
	ctx := c.UserContext()
	b, err := h.Reports.Cohort(ctx, co.ID, view.Course.Def.Slug)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(b.Members))
	for id := range b.Members {
		ids = append(ids, id)
	}
	users, err := h.Accounts.UsersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	people := make([]report.Person, 0, len(users))
	for _, u := range users {
		if !slices.Contains(u.Cohorts, co.ID) { // left the cohort: their work is no longer its trainers' to see
			continue
		}
		person := report.Person{ID: u.ID, Name: u.Name, Organisation: u.Organisation, Login: u.Login.Value}
		if u.Deleted() {
			person.Name, person.Login = p.T("cohort.deleted_member"), ""
		}
		people = append(people, person)
	}
	rows := report.Rows(people, b.Members, time.Now(), time.Duration(view.Stalled)*24*time.Hour)
	report.SortRows(rows, view.Sort, view.Desc, p.Lang)
	return rows, nil
}

// memberRows are report rows as the page and the exports show them.
func memberRows(p Page, view reportView, rows []report.Row) []memberRow {
	out := make([]memberRow, len(rows))
	for i, r := range rows {
		row := memberRow{Row: r, Organisation: p.T("organisation." + r.Organisation), Lessons: len(view.Course.Def.Lessons)}
		if r.Certificate != "" {
			row.Certificates = []certRow{{Serial: certificate.FormatSerial(r.Certificate), VerifyURL: verifyURL(r.Certificate),
				RevokeURL: revokeURL(r.Certificate), Revoked: r.Revoked}}
		}
		out[i] = row
	}
	return out
}

// statusChart shows how many members have not started, are in progress,
// have completed.
func statusChart(p Page, s report.Summary) template.HTML {
	if s.Enrolled == 0 {
		return ""
	}
	n := []int{s.Enrolled - s.Started, s.Started - s.Completed, s.Completed}
	c := chart.Chart{ID: "status", Title: p.T("report.chart.status"), Desc: p.T("report.chart.status_desc"), Max: float64(s.Enrolled)}
	for i, st := range report.Statuses() {
		c.Bars = append(c.Bars, chart.Bar{Label: p.T("report.status." + string(st)), Value: float64(n[i]), Text: strconv.Itoa(n[i]), Mark: st == report.Completed})
	}
	return chart.Horizontal(c)
}
