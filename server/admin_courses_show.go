package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
)

// courseRow is a published course in the admin list, with the state of
// each language so that reviewers know what to check.
type courseRow struct {
	URL, Slug, Title, TitleLang, Version, Published string
	Languages                                       []coverageRow
}

type coverageRow struct {
	Lang, Name, State, By string
	Lessons, Texts        string
	Reviewed              bool
}

type adminCoursesPage struct {
	Page
	Courses []courseRow
}

// adminCourses lists the published course versions and their translation
// state; new versions come from `kalan courses import`.
func (h *handlers) adminCourses(c *fiber.Ctx) error {
	p := h.page(c)
	m := adminCoursesPage{Page: p}
	var langs []string
	for _, l := range h.Locales.Languages() {
		langs = append(langs, l.Code)
	}
	for _, pc := range h.Catalog.Published() {
		row := courseRow{URL: courseURL(pc.Def.Slug), Slug: pc.Def.Slug, Version: pc.ID, Published: pc.CreatedAt.Format("2006-01-02 15:04")}
		row.Title, row.TitleLang = text(p, pc.Def.Title)
		for _, cv := range courses.CoverageOf(pc.Def, langs) {
			state := p.T("admin.course.complete")
			if !cv.Complete {
				state = p.T("admin.course.fallback", "Language", p.LangName(cv.Fallback))
			}
			row.Languages = append(row.Languages, coverageRow{Lang: cv.Lang, Name: p.LangName(cv.Lang), State: state, By: cv.By,
				Lessons: ratio(cv.Lessons, cv.LessonsTotal), Texts: ratio(cv.Texts, cv.TextsTotal), Reviewed: cv.Reviewed})
		}
		m.Courses = append(m.Courses, row)
	}
	return h.render(c, fiber.StatusOK, "admin_courses", m)
}

func ratio(a, b int) string { return strconv.Itoa(a) + "/" + strconv.Itoa(b) }
