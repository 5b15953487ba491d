package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/review"
)

// lessonTextSave saves the Markdown of a lesson in a language as a draft
// (fields lang, markdown, revision, and title, optional; preview set: show
// it, save nothing).
// Drafts never change the published course. revision is the draft's
// revision the form was made from (missing: there was none); when another
// reviewer saved since, nothing is written and the page answers 409 with
// both texts, the reviewer's kept in the form.
func (h *handlers) lessonTextSave(c *fiber.Ctx) error {
	lang := c.FormValue("lang")
	course, lesson, i, err := h.reviewLesson(c, lang, errBadRequest)
	if err != nil {
		return err
	}
	revision, err := formRevision(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	current, err := h.Reviews.Draft(ctx, course.Def.Slug, lang, lesson.ID)
	if err != nil && !errors.Is(err, review.ErrNotFound) {
		return err
	}
	m := h.reviewLessonPage(c, course, lesson, i, lang, current)
	m.Markdown, m.Revision = c.FormValue("markdown"), revision
	title := c.FormValue("title") // optional: "" keeps the published title
	if title != "" {
		m.TitleValue = title
	}
	md, err := review.CleanMarkdown(m.Markdown)
	if err == nil && title != "" {
		title, err = review.CleanQuizText(title)
	}
	var te *review.TextError
	if errors.As(err, &te) {
		m.PreviewError = m.T(te.MessageID)
		return h.render(c, fiber.StatusBadRequest, "review_lesson", m)
	}
	m.Markdown = md
	if m.preview(course, md); m.PreviewError != "" {
		return h.render(c, fiber.StatusBadRequest, "review_lesson", m)
	}
	if c.FormValue("preview") != "" {
		return h.render(c, fiber.StatusOK, "review_lesson", m)
	}
	saved, err := h.Reviews.SaveText(ctx, currentViewer(c).User,
		review.Draft{Slug: course.Def.Slug, Lang: lang, Lesson: lesson.ID, Title: title, Markdown: md, Base: course.ID}, revision, h.clientIP(c))
	if errors.Is(err, review.ErrConflict) {
		// The form now carries the revision it conflicted with: sending it
		// again replaces that draft knowingly.
		m.Conflict, m.Draft = saved, saved
		if saved != nil {
			m.Revision = saved.Revision
		}
		return h.render(c, fiber.StatusConflict, "review_lesson", m)
	}
	if err != nil {
		return err
	}
	h.flash(c, flashDraftSaved)
	return seeOther(c, "/review/"+course.Def.Slug+"/"+lang+"/"+lesson.ID)
}
