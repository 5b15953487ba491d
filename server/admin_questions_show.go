package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/catalog"
)

// adminQuestionsScope reads ?course= (a published course; 404 otherwise,
// the first one when absent) and the date range.
func (h *handlers) adminQuestionsScope(c *fiber.Ctx) (questionsScope, nationalQuery, error) {
	q, err := parseNational(c)
	if err != nil {
		return questionsScope{}, q, err
	}
	var course *catalog.Course
	if slug := c.Query("course"); slug != "" {
		pc, ok := h.Catalog.Lookup(slug)
		if !ok {
			return questionsScope{}, q, errNotFound
		}
		course = pc
	} else if published := h.Catalog.Published(); len(published) > 0 {
		course = published[0]
	} else {
		return questionsScope{}, q, errNotFound
	}
	return questionsScope{period: q.period, course: course}, q, nil
}

// adminQuestions is the question statistics of a course over all cohorts.
func (h *handlers) adminQuestions(c *fiber.Ctx) error {
	s, q, err := h.adminQuestionsScope(c)
	if err != nil {
		return err
	}
	p := h.page(c)
	m := questionsPage{Page: p, Scope: p.T("report.all_cohorts"), Back: "/admin/reports", Period: true, From: q.from, To: q.to,
		Exports: exports(c, "/admin/reports/questions")}
	for _, pc := range h.Catalog.Published() {
		title, _ := text(p, pc.Def.Title)
		m.Tabs = append(m.Tabs, courseTab{Slug: pc.Def.Slug, Title: title, URL: "/admin/reports/questions?course=" + pc.Def.Slug,
			Current: pc.Def.Slug == s.course.Def.Slug})
	}
	return h.renderQuestions(c, m, s)
}
