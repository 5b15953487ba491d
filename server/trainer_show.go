package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/chart"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/report"
)

// dashboardRow is one cohort and course of the trainer's dashboard.
type dashboardRow struct {
	URL, Cohort, Course, Region, Dates string
	Closed                             bool
	report.Summary
}

type trainerPage struct {
	Page
	Rows    []dashboardRow
	Chart   template.HTML
	Exports exportLinks
}

// trainerShow is the trainer's dashboard: each cohort they run (all of
// them for admins), one line per course, with its figures.
func (h *handlers) trainerShow(c *fiber.Ctx) error {
	m := trainerPage{Page: h.page(c), Exports: exports(c, "/trainer")}
	rows, err := h.dashboard(c, m.Page)
	if err != nil {
		return err
	}
	m.Rows = rows
	ch := chart.Chart{ID: "completion", Title: m.T("report.chart.completion_by_cohort"), Desc: m.T("report.chart.completion_desc"), Max: 1}
	for _, r := range rows {
		ch.Bars = append(ch.Bars, chart.Bar{Label: r.Cohort + " · " + r.Course, Value: r.CompletionRate(), Text: m.Pct(r.CompletionRate())})
	}
	if len(ch.Bars) > 0 {
		m.Chart = chart.Horizontal(ch)
	}
	return h.render(c, fiber.StatusOK, "trainer", m)
}

// dashboard computes the rows of the viewer's cohorts.
func (h *handlers) dashboard(c *fiber.Ctx, p Page) ([]dashboardRow, error) {
	v := currentViewer(c)
	managed := h.Cohorts.Managed(v.ID, v.Role)
	members, err := h.cohortMembers(c, managed)
	if err != nil {
		return nil, err
	}
	var rows []dashboardRow
	for _, co := range managed {
		for _, slug := range co.Courses {
			title := slug
			if pc, ok := h.Catalog.Lookup(slug); ok {
				title, _ = text(p, pc.Def.Title)
			}
			rows = append(rows, dashboardRow{URL: cohortURL(co) + "?course=" + slug, Cohort: co.Name, Course: title,
				Region: p.T("region." + co.Region), Dates: dates(co), Closed: co.Closed,
				Summary: report.Summarise(members[report.Key{Cohort: co.ID, Course: slug}])})
		}
	}
	return rows, nil
}

// cohortMembers returns the members of cohorts in each of their courses
// (report.Service.Members chooses how to read them).
func (h *handlers) cohortMembers(c *fiber.Ctx, cohorts []*cohort.Cohort) (map[report.Key][]report.Member, error) {
	list := make([]report.Courses, len(cohorts))
	for i, co := range cohorts {
		list[i] = report.Courses{Cohort: co.ID, Courses: co.Courses}
	}
	return h.Reports.Members(c.UserContext(), list)
}

func dates(co *cohort.Cohort) string {
	return co.Starts.Format("2006-01-02") + " → " + co.Ends.Format("2006-01-02")
}
