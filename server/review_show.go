package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/review"
)

type reviewPage struct {
	Page
	Slug, Target, TargetName, Course string
	Version                          int
	Lessons                          []reviewLessonLink
	// Quiz counts the quiz's questions and scenarios (0: no quiz), and
	// QuizDrafts those with a draft.
	Quiz, QuizDrafts int
	// The course's own texts: the source's, and in the form the draft's
	// (or the published ones, or what the reviewer sent), its revision,
	// and why they were not saved.
	SourceTitle, SourceSummary, SourceLang string
	CourseTitle, CourseSummary             string
	CourseRevision                         int
	CourseDraft, CourseConflict            *review.Draft
	CourseError                            string
	// Reviewed: the published version is reviewed in Target, by the course
	// file or by Mark (nil when the file says so, or nobody marked it).
	Reviewed bool
	Mark     *review.Mark
	MarkedOn string // the mark's date, in the reader's language
}

type reviewLessonLink struct {
	URL, Title string
	Translated bool   // the published version has the lesson in Target
	Draft      bool   // a reviewer saved a draft of it
	DraftBy    string // who saved the last revision
	Revision   int
}

// reviewShow lists the lessons of a course for the review of one
// language: which have a draft, and the "reviewed" mark of the published
// version.
func (h *handlers) reviewShow(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, err := h.reviewTarget(c, lang)
	if err != nil {
		return err
	}
	m, err := h.reviewPageModel(c, course, lang)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "review", m)
}

// reviewPageModel is a course's review page as it stands.
func (h *handlers) reviewPageModel(c *fiber.Ctx, course *catalog.Course, lang string) (reviewPage, error) {
	ctx := c.UserContext()
	drafts, err := h.Reviews.Drafts(ctx, course.Def.Slug, lang)
	if err != nil {
		return reviewPage{}, err
	}
	mark, err := h.Reviews.MarkOf(ctx, course.Def.Slug, course.ID, lang)
	if err != nil {
		return reviewPage{}, err
	}
	p := h.page(c)
	title, _ := text(p, course.Def.Title)
	src := courses.SourceLang(course.Def)
	m := reviewPage{Page: p, Slug: course.Def.Slug, Target: lang, TargetName: p.LangName(lang), Course: title, Version: course.Number,
		Reviewed: course.Def.Translations[lang].Reviewed, Mark: mark, SourceLang: src,
		SourceTitle: course.Def.Title[src], SourceSummary: course.Def.Summary[src],
		CourseTitle: course.Def.Title[lang], CourseSummary: course.Def.Summary[lang]}
	if d, ok := drafts[review.CourseItem]; ok {
		m.CourseDraft, m.CourseTitle, m.CourseSummary, m.CourseRevision = &d, d.Title, d.Markdown, d.Revision
	}
	if mark != nil {
		m.MarkedOn = p.Day(mark.At)
	}
	if q := course.Def.Quiz; q != nil {
		m.Quiz = len(q.Questions) + len(q.Scenarios)
		for key := range drafts {
			if _, _, ok := review.ParseItem(key); ok {
				m.QuizDrafts++
			}
		}
	}
	for _, l := range course.Def.Lessons {
		t, _ := text(p, l.Title)
		d, has := drafts[l.ID]
		m.Lessons = append(m.Lessons, reviewLessonLink{URL: "/review/" + course.Def.Slug + "/" + lang + "/" + l.ID, Title: t,
			Translated: l.Body[lang] != "", Draft: has, DraftBy: d.ByName, Revision: d.Revision})
	}
	return m, nil
}
