package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

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
	resultURL := attemptURL(course.Def.Slug, a.ID)
	if c.FormValue("save") != "" && !a.Submitted() {
		err := h.Training.Save(c.UserContext(), v.User, course, a, answers)
		if errors.Is(err, training.ErrSubmitted) {
			return seeOther(c, resultURL)
		}
		if err != nil {
			return answerError(err)
		}
		h.flash(c, flashAnswersSaved)
		return seeOther(c, quizURL(course.Def.Slug))
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
