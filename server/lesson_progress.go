package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
)

// lessonOf finds the course version the viewer follows and one of its
// lessons, after the access check: the shared first steps of the lesson
// page and of its forms.
func (h *handlers) lessonOf(c *fiber.Ctx) (*catalog.Course, courses.Lesson, int, error) {
	published, err := h.publishedCourse(c.Params("slug"))
	if err != nil {
		return nil, courses.Lesson{}, 0, err
	}
	id := c.Params("lesson")
	if !courses.ValidSlug(id) {
		return nil, courses.Lesson{}, 0, errNotFound
	}
	if !h.canRead(c, published.Course) {
		if currentViewer(c) == nil {
			return nil, courses.Lesson{}, 0, errSignInNeeded
		}
		return nil, courses.Lesson{}, 0, errNotMember
	}
	course := published
	if v := currentViewer(c); v != nil {
		if course, err = h.Training.Version(c.UserContext(), v.User, published); err != nil {
			return nil, courses.Lesson{}, 0, err
		}
	}
	lesson, i, ok := course.Course.Lesson(id)
	if !ok {
		return nil, courses.Lesson{}, 0, errNotFound
	}
	return course, lesson, i, nil
}

// lessonComplete marks a lesson done (idempotent) and goes on to the next
// lesson, or to the course page after the last one.
func (h *handlers) lessonComplete(c *fiber.Ctx) error {
	v := currentViewer(c)
	if v == nil {
		return errSignInNeeded
	}
	course, lesson, i, err := h.lessonOf(c)
	if err != nil {
		return err
	}
	if err := h.Training.CompleteLesson(c.UserContext(), v.User, course, lesson.ID); err != nil {
		return err
	}
	if i+1 < len(course.Course.Lessons) {
		return seeOther(c, lessonURL(course.Course.Slug, course.Course.Lessons[i+1].ID))
	}
	return seeOther(c, courseURL(course.Course.Slug))
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

// answersOf reads the answers of a posted quiz form (CONTRACT.md:
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
