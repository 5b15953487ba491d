package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/learning"
)

type quizResultPage struct {
	Page
	CourseURL, CourseTitle, CourseTitleLang string
	Score, PassMark, Correct, Total         int
	Passed                                  bool
	Questions                               []quizQuestion
	ReviewNotes                             []reviewNote // the questions are an unreviewed translation
	Review                                  []lessonLink // lessons to read again
	CertificateURL                          string
	AgainURL                                string // after a fail
	ContinueURL                             string // after a pass, when lessons are still to do
}

// quizResult shows a submitted attempt: score, pass or fail, feedback on
// every answer, the lessons to review.
func (h *handlers) quizResult(c *fiber.Ctx) error {
	course, err := h.openCourse(c)
	if err != nil {
		return err
	}
	a, err := h.ownedAttempt(c, c.Params("id"), course)
	if err != nil {
		return err
	}
	cc := course.Def
	if !a.Submitted() {
		return seeOther(c, quizURL(cc.Slug))
	}
	p := h.page(c)
	r := a.Result
	m := quizResultPage{Page: p, CourseURL: courseURL(cc.Slug), Score: r.Score, PassMark: cc.PassMark, Correct: r.Correct,
		Total: r.Total, Passed: r.Passed, Questions: quizQuestions(p, cc, a.Drawn, a.Answers, r)}
	m.CourseTitle, m.CourseTitleLang = text(p, cc.Title)
	m.ReviewNotes = reviewNotes(p, cc, questionLangs(p, m.Questions)...)
	for _, id := range r.Review {
		if l, _, ok := cc.Lesson(id); ok {
			link := lessonLink{URL: lessonURL(cc.Slug, id)}
			link.Title, link.TitleLang = text(p, l.Title)
			m.Review = append(m.Review, link)
		}
	}
	cp := currentViewer(c).Progress[cc.Slug]
	switch {
	case cp.Certificate != "":
		m.CertificateURL = certificatePDFURL(cp.Certificate)
	case !r.Passed:
		m.AgainURL = quizURL(cc.Slug)
	default:
		if next := learning.Next(cc, learning.Progress{LessonsDone: cp.LessonsDone, QuizPassed: true}); next != "" {
			m.ContinueURL = lessonURL(cc.Slug, next)
		}
	}
	noStore(c)
	return h.render(c, fiber.StatusOK, "quiz_result", m)
}
