package server

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

type quizPage struct {
	Page
	CourseURL, CourseTitle, CourseTitleLang string
	Attempt                                 string // the attempt id, posted back (docs/CONTRACT.md: field attempt)
	Action                                  string
	Questions                               []quizQuestion
	ReviewNotes                             []reviewNote // the questions are an unreviewed translation
	PassMark                                int
	Left                                    int    // attempts left after this one, -1 for unlimited
	WaitRule                                string // when retakes wait, said before the first attempt
}

// quizShow starts an attempt, or resumes the open one in the same order
// with the answers saved so far. The page holds every question in one
// form that works without JavaScript; nothing in it tells which answers
// are right.
func (h *handlers) quizShow(c *fiber.Ctx) error {
	course, err := h.openCourse(c)
	if err != nil {
		return err
	}
	v := currentViewer(c)
	p := h.page(c)
	a, left, err := h.Training.Take(c.UserContext(), v.User, course, p.Lang)
	var wait *learning.WaitError
	switch {
	case errors.Is(err, training.ErrNoQuiz):
		return errNotFound
	case errors.Is(err, learning.ErrNoAttemptsLeft):
		return h.quizClosed(c, course, p.T("quiz.no_attempts_left"), fiber.StatusForbidden)
	case errors.As(err, &wait):
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(time.Until(wait.Until).Seconds())+1))
		return h.quizClosed(c, course, p.T("quiz.wait", "Time", wait.Until.UTC().Format("2006-01-02 15:04 UTC")), fiber.StatusTooManyRequests)
	case err != nil:
		return err
	}
	cc := course.Def
	m := quizPage{Page: p, CourseURL: courseURL(cc.Slug), Attempt: a.ID, Action: quizURL(cc.Slug), PassMark: cc.PassMark, Left: left}
	m.CourseTitle, m.CourseTitleLang = text(p, cc.Title)
	m.WaitRule = waitRule(p, cc.Quiz)
	m.Questions = quizQuestions(p, cc, a.Drawn, a.Answers, nil)
	m.ReviewNotes = reviewNotes(p, cc, questionLangs(p, m.Questions)...)
	noStore(c) // the saved answers are personal; a shared phone's back button must not show them
	return h.render(c, fiber.StatusOK, "quiz", m)
}

// waitRule says the quiz's waiting rule in the reader's language, or ""
// when retakes never wait.
func waitRule(p Page, q *courses.Quiz) string {
	if q.WaitMinutes <= 0 {
		return ""
	}
	wait := p.N("course.minutes", q.WaitMinutes)
	if q.WaitMinutes%60 == 0 {
		wait = p.N("quiz.hours", q.WaitMinutes/60)
	}
	if q.AttemptsBeforeWait > 1 {
		return p.T("quiz.rule_wait", "Attempts", q.AttemptsBeforeWait, "Wait", wait)
	}
	return p.T("quiz.rule_wait_each", "Wait", wait)
}

type quizClosedPage struct {
	Page
	CourseURL, Message string
}

func (h *handlers) quizClosed(c *fiber.Ctx, course *catalog.Course, msg string, status int) error {
	return h.render(c, status, "quiz_closed", quizClosedPage{Page: h.page(c), CourseURL: courseURL(course.Def.Slug), Message: msg})
}
