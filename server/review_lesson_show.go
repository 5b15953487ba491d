package server

import (
	"errors"
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/review"
)

// reviewLessonPage shows one lesson for review: the source text beside
// the translation's edit form, and a preview of the translation rendered
// and sanitised as learners will see it.
type reviewLessonPage struct {
	Page
	Slug, Target, TargetName, Course string
	Lesson, Title                    string
	Action                           string // where the form posts
	Source                           template.HTML
	SourceLang, SourceName           string
	Markdown                         string // the textarea: the draft, the published text, or what the reviewer sent
	Revision                         int    // the draft's revision the form was made from
	Draft                            *review.Draft
	Preview                          template.HTML
	PreviewError                     string // why the text cannot be previewed (and was not saved)
	// Conflict is the draft another reviewer saved since this one read
	// it: shown beside the reviewer's own text, which the form keeps.
	Conflict *review.Draft
}

// reviewLessonShow is a lesson's review page: the draft when there is one,
// otherwise the published text in the language.
func (h *handlers) reviewLessonShow(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, err := h.reviewTarget(c, lang)
	if err != nil {
		return err
	}
	lesson, i, ok := course.Def.Lesson(c.Params("lesson"))
	if !ok {
		return errNotFound
	}
	draft, err := h.Reviews.Draft(c.UserContext(), course.Def.Slug, lang, lesson.ID)
	if err != nil && !errors.Is(err, review.ErrNotFound) {
		return err
	}
	m := h.reviewLessonPage(c, course, lesson, i, lang, draft)
	if draft != nil {
		m.Markdown, m.Revision = draft.Markdown, draft.Revision
	} else {
		m.Markdown = lesson.Body[lang]
	}
	m.preview(course, m.Markdown)
	return h.render(c, fiber.StatusOK, "review_lesson", m)
}

func (h *handlers) reviewLessonPage(c *fiber.Ctx, course *catalog.Course, lesson courses.Lesson, i int, lang string, draft *review.Draft) reviewLessonPage {
	p := h.page(c)
	title, _ := text(p, course.Def.Title)
	lt, _ := lesson.Title.Get(lang)
	src := courses.SourceLang(course.Def)
	source, _ := course.LessonHTML(i, src)
	return reviewLessonPage{Page: p, Slug: course.Def.Slug, Target: lang, TargetName: p.LangName(lang), Course: title, Lesson: lesson.ID,
		Title: lt, Action: "/admin/courses/" + course.Def.Slug + "/lessons/" + lesson.ID + "/text", Source: source, SourceLang: src, SourceName: p.LangName(src),
		Draft: draft}
}

// preview renders markdown as the lesson would show it, or says why not.
func (m *reviewLessonPage) preview(course *catalog.Course, markdown string) {
	if markdown == "" {
		return
	}
	html, err := catalog.Preview(course, m.Target, markdown)
	if err != nil {
		m.PreviewError = m.T("review.error.reference")
		return
	}
	m.Preview = html
}
