package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/kalan-platform/kalan/server/learning"
)

// lessonComplete marks a lesson done (idempotent) and goes on to the next
// lesson, or to the course page after the last one.
func (h *handlers) lessonComplete(c *fiber.Ctx) error {
	v := currentViewer(c)
	if v == nil {
		return errSignInNeeded
	}
	course, lesson, i, err := h.Training.OpenLesson(c.UserContext(), v.User, c.Params("slug"), c.Params("lesson"))
	if err != nil {
		return courseError(err)
	}
	if err := h.Training.CompleteLesson(c.UserContext(), v.User, course, lesson.ID); err != nil {
		return err
	}
	if i+1 < len(course.Def.Lessons) {
		return seeOther(c, lessonURL(course.Def.Slug, course.Def.Lessons[i+1].ID))
	}
	return seeOther(c, courseURL(course.Def.Slug))
}

// checkSeed orders a lesson's check the same way for everyone: it is not
// an exam, only a way to think again.
func checkSeed(lessonID string) uint64 {
	var s uint64 = 1469598103934665603
	for _, b := range []byte(lessonID) {
		s = (s ^ uint64(b)) * 1099511628211
	}
	return s
}

// answersOf reads the answers of a posted quiz form (docs/CONTRACT.md:
// q-{question id}, one value per chosen option).
func answersOf(c *fiber.Ctx) learning.Answers { return answersIn(c.Request().PostArgs()) }

// answersIn reads q-{question id} fields of form or query arguments.
func answersIn(args *fasthttp.Args) learning.Answers {
	a := learning.Answers{}
	args.VisitAll(func(k, v []byte) {
		key := string(k)
		if len(key) > 2 && key[:2] == "q-" {
			a[key[2:]] = append(a[key[2:]], string(v))
		}
	})
	return a
}
