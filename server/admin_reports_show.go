package server

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/chart"
	"github.com/kalan-platform/kalan/server/report"
)

// errDates is a date range that cannot be read or runs backwards.
var errDates = &pageError{status: fiber.StatusBadRequest, title: "error.bad_request.title", body: "report.error.dates"}

// nationalRow is one group of the national view.
type nationalRow struct {
	Label string
	report.Group
}

type nationalPage struct {
	Page
	By         report.Dimension
	Dimensions []sortLink
	From, To   string
	Rows       []nationalRow
	Total      report.Summary
	Cohorts    int
	Charts     []template.HTML
	Exports    exportLinks
	Courses    []courseTab // the question statistics of each course, all cohorts
}

// nationalQuery is what the national view was asked for.
type nationalQuery struct {
	by       report.Dimension
	period   report.Period
	from, to string
}

func parseNational(c *fiber.Ctx) (nationalQuery, error) {
	q := nationalQuery{by: report.ParseDimension(c.Query("by")), from: c.Query("from"), to: c.Query("to")}
	var err error
	if q.period, err = report.ParsePeriod(q.from, q.to); err != nil {
		return q, errDates
	}
	return q, nil
}

// national computes the groups of the national view: every cohort that
// starts within the period, each of its courses a unit.
func (h *handlers) national(c *fiber.Ctx, p Page, q nationalQuery) ([]nationalRow, []report.Member, error) {
	all := h.Cohorts.All()
	members, err := h.cohortMembers(c, all)
	if err != nil {
		return nil, nil, err
	}
	var units []report.Unit
	var everyone []report.Member
	for _, co := range all {
		if !q.period.Contains(co.Starts) {
			continue
		}
		for _, slug := range co.Courses {
			u := report.Unit{Cohort: co.ID, Region: co.Region, Organisation: co.Organisation, Course: slug, Starts: co.Starts,
				Members: members[report.Key{Cohort: co.ID, Course: slug}]}
			units = append(units, u)
			everyone = append(everyone, u.Members...)
		}
	}
	var rows []nationalRow
	for _, g := range report.GroupUnits(units, q.by) {
		rows = append(rows, nationalRow{Label: h.groupLabel(p, q.by, g.Key), Group: g})
	}
	return rows, everyone, nil
}

func (h *handlers) groupLabel(p Page, by report.Dimension, key string) string {
	switch by {
	case report.ByRegion:
		return p.T("region." + key)
	case report.ByOrganisation:
		return p.T("organisation." + key)
	case report.ByCourse:
		if pc, ok := h.Catalog.Lookup(key); ok {
			title, _ := text(p, pc.Def.Title)
			return title
		}
	}
	return key
}

// adminReports is the national view: the cohorts' figures grouped by
// region, organisation, course or month, within a date range.
func (h *handlers) adminReports(c *fiber.Ctx) error {
	q, err := parseNational(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	m := nationalPage{Page: p, By: q.by, From: q.from, To: q.to, Exports: exports(c, "/admin/reports")}
	rows, all, err := h.national(c, p, q)
	if err != nil {
		return err
	}
	m.Rows, m.Total = rows, report.Summarise(all)
	for _, r := range rows {
		m.Cohorts += r.Cohorts
	}
	for _, d := range report.Dimensions() {
		link := "/admin/reports?by=" + string(d)
		if q.from != "" {
			link += "&from=" + q.from
		}
		if q.to != "" {
			link += "&to=" + q.to
		}
		m.Dimensions = append(m.Dimensions, sortLink{Label: p.T("report.by." + string(d)), URL: link, Current: d == q.by})
	}
	ch := chart.Chart{ID: "completion", Title: p.T("report.chart.completion_by", "By", p.T("report.by."+string(q.by))),
		Desc: p.T("report.chart.completion_desc"), Max: 1}
	for _, r := range rows {
		ch.Bars = append(ch.Bars, chart.Bar{Label: r.Label, Value: r.CompletionRate(), Text: p.Pct(r.CompletionRate())})
	}
	if len(ch.Bars) > 0 {
		m.Charts = append(m.Charts, chart.Horizontal(ch))
	}
	if sc := scoreChart(p, "scores", all, 0); sc != "" {
		m.Charts = append(m.Charts, sc)
	}
	for _, pc := range h.Catalog.Published() {
		title, _ := text(p, pc.Def.Title)
		m.Courses = append(m.Courses, courseTab{Slug: pc.Def.Slug, Title: title, URL: "/admin/reports/questions?course=" + pc.Def.Slug})
	}
	return h.render(c, fiber.StatusOK, "national", m)
}
