package server

import (
	"github.com/gofiber/fiber/v2"

	"kalan/courses"
	"kalan/server/catalog"
)

type coursePage struct {
	Page
	Title, TitleLang, Summary, SummaryLang string
	FallbackNote                           string
	Minutes                                int
	Audience, AccessLabel                  string
	ContentLanguages                       string
	FirstLesson                            string
	Lessons                                []lessonLink
	QuizInfo                               string
}

type lessonLink struct {
	URL, Title, TitleLang, Meta string
}

func (h *handlers) courseShow(c *fiber.Ctx) error {
	course, err := h.publishedCourse(c.Params("slug"))
	if err != nil {
		return err
	}
	p := h.page(c)
	cc := course.Course
	m := coursePage{
		Page:             p,
		Minutes:          cc.DurationMinutes,
		Audience:         audienceLabels(p, cc.Audience),
		AccessLabel:      p.T("course.access." + string(cc.Access)),
		ContentLanguages: languageNames(p, cc.Languages),
		FirstLesson:      lessonURL(cc.Slug, cc.Lessons[0].ID),
	}
	m.Title, m.TitleLang = text(p, cc.Title)
	m.Summary, m.SummaryLang = text(p, cc.Summary)
	if !courseComplete(cc, p.Lang) {
		m.FallbackNote = p.T("course.fallback_note", "Language", p.LangName(p.Lang))
	}
	for _, l := range cc.Lessons {
		link := lessonLink{URL: lessonURL(cc.Slug, l.ID)}
		link.Title, link.TitleLang = text(p, l.Title)
		if l.Minutes > 0 {
			link.Meta = p.N("course.minutes", l.Minutes)
		}
		if !l.Required {
			link.Meta += " · " + p.T("course.optional")
		}
		m.Lessons = append(m.Lessons, link)
	}
	if q := cc.Quiz; q != nil && q.Draw > 0 {
		m.QuizInfo = p.N("course.quiz_info", q.Draw, "PassMark", cc.PassMark)
	}
	return h.render(c, fiber.StatusOK, "course", m)
}

// publishedCourse finds a published course by the slug of a URL; a slug
// that is not even well-formed is simply not found.
func (h *handlers) publishedCourse(slug string) (*catalog.Course, error) {
	if !courses.ValidSlug(slug) {
		return nil, errNotFound
	}
	course, ok := h.Catalog.Lookup(slug)
	if !ok {
		return nil, errNotFound
	}
	return course, nil
}
