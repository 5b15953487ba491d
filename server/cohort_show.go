package server

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/chart"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/sheet"
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
			title, _ := text(p, pc.Course.Title)
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
	q := url.Values{"course": {v.Course.Course.Slug}}
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
	m.Tabs = h.courseTabs(p, co, view.Course.Course.Slug, "")
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
	slug := view.Course.Course.Slug
	m.Charts = []template.HTML{statusChart(p, m.Summary), scoreChart(p, "scores", all, view.Course.Course.PassMark)}
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

// cohortRows are the members of a cohort in one course, sorted, with
// their facts. The members are those the reports recorded (every join is),
// their accounts read by id.
func (h *handlers) cohortRows(c *fiber.Ctx, p Page, co *cohort.Cohort, view reportView) ([]report.Row, error) {
	ctx := c.UserContext()
	b, err := h.Reports.Cohort(ctx, co.ID, view.Course.Course.Slug)
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
		row := memberRow{Row: r, Organisation: p.T("organisation." + r.Organisation), Lessons: len(view.Course.Course.Lessons)}
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
		return sendTable(c, cohortTable(p, co, view, rows), format, "kalan-"+co.Name+"-"+view.Course.Course.Slug)
	}
}

// cohortTable is the cohort report as a table, with the page's filter.
func cohortTable(p Page, co *cohort.Cohort, view reportView, rows []report.Row) sheet.Table {
	title, _ := text(p, view.Course.Course.Title)
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
