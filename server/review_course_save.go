package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/review"
)

// reviewCourseSave saves the course's own texts in a language, its title
// and summary, as a draft (fields title, summary, revision), as a lesson's
// text is saved (lessonTextSave): one paragraph each, refused (400) when
// empty or bad, 409 when another reviewer saved since.
func (h *handlers) reviewCourseSave(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, err := h.reviewTarget(c, lang)
	if err != nil {
		return err
	}
	revision, err := formRevision(c)
	if err != nil {
		return err
	}
	title, err := review.CleanQuizText(c.FormValue("title"))
	summary := ""
	if err == nil {
		summary, err = review.CleanQuizText(c.FormValue("summary"))
	}
	m, merr := h.reviewPageModel(c, course, lang)
	if merr != nil {
		return merr
	}
	m.CourseTitle, m.CourseSummary, m.CourseRevision = c.FormValue("title"), c.FormValue("summary"), revision
	var te *review.TextError
	if errors.As(err, &te) {
		m.CourseError = m.T(te.MessageID)
		return h.render(c, fiber.StatusBadRequest, "review", m)
	}
	saved, err := h.Reviews.SaveText(c.UserContext(), currentViewer(c).User,
		review.Draft{Slug: course.Def.Slug, Lang: lang, Lesson: review.CourseItem, Title: title, Markdown: summary, Base: course.ID}, revision, h.clientIP(c))
	if errors.Is(err, review.ErrConflict) {
		m.CourseConflict = saved
		if saved != nil {
			m.CourseRevision = saved.Revision
		}
		return h.render(c, fiber.StatusConflict, "review", m)
	}
	if err != nil {
		return err
	}
	h.flash(c, flashDraftSaved)
	return seeOther(c, "/review/"+course.Def.Slug+"/"+lang)
}
