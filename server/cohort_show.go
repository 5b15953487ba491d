package server

import (
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/report"
)

// memberRow is a trainee in the cohort report.
type memberRow struct {
	report.Row
	Organisation string    // in the reader's language
	Lessons      int       // of the course
	Certificates []certRow // for the report's course
}

// certRow is a member's certificate, with the revocation form.
type certRow struct {
	Serial, VerifyURL, RevokeURL string
	Revoked                      bool
}

// courseTab is one course of the cohort, for the course switch.
type courseTab struct {
	Slug, Title, URL string
	Current          bool
}

// reportView is what the cohort report was asked for: the query string.
type reportView struct {
	Course  *catalog.Course
	Status  report.Status
	Sort    report.Sort
	Desc    bool
	Stalled int // days
}

// defaultStalledDays is when a trainee in progress counts as stalled.
const defaultStalledDays = 14

type cohortPage struct {
	Page
	Cohort     *cohort.Cohort
	Code       string // formatted for reading aloud
	JoinLink   string
	Dates      string
	Region     string
	Org        string
	Courses    []string // titles
	Trainers   []string // names
	Tabs       []courseTab
	View       reportView
	Summary    report.Summary
	Members    []memberRow // filtered and sorted
	Stalled    []memberRow
	SortLinks  []sortLink
	Filters    []sortLink
	Charts     []template.HTML
	Exports    exportLinks
	Questions  string // the question statistics page
	TotalCount int    // members before the filter
	Edit       cohortFormPage
}

// sortLink is a link that changes the order or the filter of the report.
type sortLink struct {
	Label, URL string
	Current    bool
}

// cohortShow is a cohort's page for its trainers: the join code (in
// data-join-code, docs/CONTRACT.md), the join link, the report of one of its
// courses, enrolment.
func (h *handlers) cohortShow(c *fiber.Ctx) error {
	co, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	m, err := h.cohortPage(c, co, nil)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "cohort", m)
}

// reportOf is the cohort a report is asked of, checked against the
// viewer, and what the query asks of it.
func (h *handlers) reportOf(c *fiber.Ctx) (*cohort.Cohort, reportView, error) {
	co, err := h.managedCohort(c)
	if err != nil {
		return nil, reportView{}, err
	}
	view, err := h.parseReportView(c, co)
	return co, view, err
}

// courseTabs are the links to one report of each course of a cohort;
// suffix is the report's path after the cohort's ("" or "/questions").
func (h *handlers) courseTabs(p Page, co *cohort.Cohort, current, suffix string) []courseTab {
	var tabs []courseTab
	for _, slug := range co.Courses {
		if pc, ok := h.Catalog.Lookup(slug); ok {
			title, _ := text(p, pc.Def.Title)
			tabs = append(tabs, courseTab{Slug: slug, Title: title, URL: cohortURL(co) + suffix + "?course=" + slug, Current: slug == current})
		}
	}
	return tabs
}

// parseReportView reads the report's query: ?course= must be one of the
// cohort's (404 otherwise: that report does not exist); an unknown order,
// filter or number of days falls back to the default.
func (h *handlers) parseReportView(c *fiber.Ctx, co *cohort.Cohort) (reportView, error) {
	v := reportView{Status: report.ParseStatus(c.Query("status")), Sort: report.ParseSort(c.Query("sort")),
		Desc: c.Query("desc") == "1", Stalled: defaultStalledDays}
	slug := c.Query("course")
	if slug == "" && len(co.Courses) > 0 {
		slug = co.Courses[0]
	}
	if !co.Includes(slug) {
		return v, errNotFound
	}
	pc, ok := h.Catalog.Lookup(slug)
	if !ok {
		return v, errNotFound
	}
	v.Course = pc
	if n, err := strconv.Atoi(c.Query("stalled")); err == nil && n >= 1 && n <= 365 {
		v.Stalled = n
	}
	return v, nil
}

// link is the query string of the report as v asks for it.
func (v reportView) link() string {
	q := url.Values{"course": {v.Course.Def.Slug}}
	if v.Status != "" {
		q.Set("status", string(v.Status))
	}
	if v.Sort != report.ByName {
		q.Set("sort", string(v.Sort))
	}
	if v.Desc {
		q.Set("desc", "1")
	}
	if v.Stalled != defaultStalledDays {
		q.Set("stalled", strconv.Itoa(v.Stalled))
	}
	return "?" + q.Encode()
}

func (h *handlers) cohortPage(c *fiber.Ctx, co *cohort.Cohort, errs account.FieldErrors) (cohortPage, error) {
	ctx := c.UserContext()
	p := h.page(c)
	p.Errors = errs
	m := cohortPage{Page: p, Cohort: co, Code: account.FormatJoinCode(co.JoinCode),
		JoinLink: h.BaseURL + joinURL(co.JoinCode), Dates: dates(co),
		Region: p.T("region." + co.Region), Org: p.T("organisation." + co.Organisation)}
	view, err := h.parseReportView(c, co)
	if err != nil {
		return m, err
	}
	m.View = view
	m.Tabs = h.courseTabs(p, co, view.Course.Def.Slug, "")
	for _, t := range m.Tabs {
		m.Courses = append(m.Courses, t.Title)
	}
	trainers, err := h.Accounts.UsersByIDs(ctx, co.Trainers)
	if err != nil {
		return m, err
	}
	for _, t := range trainers {
		m.Trainers = append(m.Trainers, t.Name)
	}
	rows, err := h.cohortRows(c, p, co, view)
	if err != nil {
		return m, err
	}
	all := make([]report.Member, len(rows))
	for i, r := range rows {
		all[i] = r.Member
	}
	m.Summary, m.TotalCount = report.Summarise(all), len(rows)
	m.Stalled = memberRows(p, view, report.StalledRows(rows))
	m.Members = memberRows(p, view, report.Filter(rows, view.Status))
	slug := view.Course.Def.Slug
	m.Charts = []template.HTML{statusChart(p, m.Summary), scoreChart(p, "scores", all, view.Course.Def.PassMark)}
	m.Exports = exports(c, cohortURL(co))
	m.Questions = cohortQuestionsURL(co) + "?course=" + url.QueryEscape(slug)
	for _, s := range report.Sorts() {
		w := view
		w.Sort, w.Desc = s, s == view.Sort && !view.Desc // a second click reverses the order
		m.SortLinks = append(m.SortLinks, sortLink{Label: p.T("report.sort." + string(s)), URL: w.link(), Current: s == view.Sort})
	}
	for _, s := range append([]report.Status{""}, report.Statuses()...) {
		w := view
		w.Status = s
		label := p.T("report.status.all")
		if s != "" {
			label = p.T("report.status." + string(s))
		}
		m.Filters = append(m.Filters, sortLink{Label: label, URL: w.link(), Current: s == view.Status})
	}
	m.Edit = h.cohortForm(c, cohortURL(co), cohort.FormOf(co), errs)
	return m, nil
}
