package server

import (
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"kalan/courses"
	"kalan/server/cohort"
)

type lessonPage struct {
	Page
	CourseURL, CourseTitle, CourseTitleLang string
	Number, Total                           int
	Title, TitleLang                        string
	Body                                    template.HTML
	BodyLang                                string
	FallbackNote                            string
	PrevURL, NextURL                        string
	SignIn                                  string // invitation to sign in, for anonymous readers
}

// lessonShow renders a lesson from the in-memory catalog: no database
// round trip for a public lesson.
func (h *handlers) lessonShow(c *fiber.Ctx) error {
	course, err := h.publishedCourse(c.Params("slug"))
	if err != nil {
		return err
	}
	id := c.Params("lesson")
	if !courses.ValidSlug(id) {
		return errNotFound
	}
	cc := course.Course
	lesson, i, ok := cc.Lesson(id)
	if !ok {
		return errNotFound
	}
	if !h.canRead(c, cc) {
		if currentViewer(c) == nil {
			return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return errNotMember
	}
	p := h.page(c)
	m := lessonPage{Page: p, CourseURL: courseURL(cc.Slug), Number: i + 1, Total: len(cc.Lessons)}
	if p.Viewer == nil {
		// Anyone may read a public lesson; signing in records progress.
		m.SignIn = "/login?next=" + url.QueryEscape(c.OriginalURL())
	}
	m.CourseTitle, m.CourseTitleLang = text(p, cc.Title)
	m.Title, m.TitleLang = text(p, lesson.Title)
	body, used := course.LessonHTML(i, p.Lang)
	m.Body = body
	if used != p.Lang {
		m.BodyLang = used
		m.FallbackNote = p.T("lesson.fallback_note", "Language", p.LangName(p.Lang), "Fallback", p.LangName(used))
	}
	if i > 0 {
		m.PrevURL = lessonURL(cc.Slug, cc.Lessons[i-1].ID)
	}
	if i+1 < len(cc.Lessons) {
		m.NextURL = lessonURL(cc.Slug, cc.Lessons[i+1].ID)
	}
	return h.render(c, fiber.StatusOK, "lesson", m)
}

// canRead applies the access rule of courses to the viewer.
func (h *handlers) canRead(c *fiber.Ctx, cc *courses.Course) bool {
	r := cohort.Reader{}
	if v := currentViewer(c); v != nil {
		r = cohort.Reader{UserID: v.ID, Role: v.Role, Cohorts: h.Cohorts.OfMember(c.UserContext(), v.Cohorts)}
	}
	return cohort.CanRead(r, cc.Access, cc.Slug, h.Cohorts.All())
}
