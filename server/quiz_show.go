package server

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

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
	PassMark                                int
	Left                                    int // attempts left after this one, -1 for unlimited
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
	cc := course.Course
	m := quizPage{Page: p, CourseURL: courseURL(cc.Slug), Attempt: a.ID, Action: quizURL(cc.Slug), PassMark: cc.PassMark, Left: left}
	m.CourseTitle, m.CourseTitleLang = text(p, cc.Title)
	m.Questions = quizQuestions(p, cc, a.Drawn, a.Answers, nil)
	noStore(c) // the saved answers are personal; a shared phone's back button must not show them
	return h.render(c, fiber.StatusOK, "quiz", m)
}

type quizClosedPage struct {
	Page
	CourseURL, Message string
}

func (h *handlers) quizClosed(c *fiber.Ctx, course *catalog.Course, msg string, status int) error {
	return h.render(c, status, "quiz_closed", quizClosedPage{Page: h.page(c), CourseURL: courseURL(course.Course.Slug), Message: msg})
}

// quizSubmit saves or submits the answers of the attempt the form names
// (docs/CONTRACT.md: attempt, and q-{question id} per question). Submitting an
// attempt twice gives its first result; answers that are not options of
// the questions are refused and nothing is saved.
func (h *handlers) quizSubmit(c *fiber.Ctx) error {
	course, err := h.openCourse(c)
	if err != nil {
		return err
	}
	a, err := h.ownedAttempt(c, c.FormValue("attempt"), course)
	if err != nil {
		return err
	}
	answers := answersOf(c)
	v := currentViewer(c)
	resultURL := attemptURL(course.Course.Slug, a.ID)
	if c.FormValue("save") != "" && !a.Submitted() {
		err := h.Training.Save(c.UserContext(), v.User, course, a, answers)
		if errors.Is(err, training.ErrSubmitted) {
			return seeOther(c, resultURL)
		}
		if err != nil {
			return answerError(err)
		}
		h.flash(c, flashAnswersSaved)
		return seeOther(c, quizURL(course.Course.Slug))
	}
	if _, err := h.Training.Submit(c.UserContext(), v.User, course, a, answers); err != nil {
		return answerError(err)
	}
	return seeOther(c, resultURL)
}

// ownedAttempt loads an attempt of the viewer at this course version.
func (h *handlers) ownedAttempt(c *fiber.Ctx, id string, course *catalog.Course) (*training.Attempt, error) {
	if len(id) != 24 {
		return nil, errBadRequest
	}
	a, err := h.Training.Owned(c.UserContext(), currentViewer(c).User, id)
	switch {
	case errors.Is(err, training.ErrNotFound):
		return nil, errNotFound
	case errors.Is(err, training.ErrNotYours):
		return nil, errForbidden
	case err != nil:
		return nil, err
	}
	if a.Version != course.ID {
		return nil, errBadRequest
	}
	return a, nil
}

// answerError maps invalid answers to 400; other errors pass through.
func answerError(err error) error {
	if learning.InvalidAnswers(err) {
		return errBadAnswers
	}
	return err
}
