package server

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

// apiError is the JSON answer of /api/v1 for bad requests (docs/DESIGN.md §6).
type apiError struct {
	Error string `json:"error"`
}

// apiAnswersBody is what the quiz page's script sends as the trainee
// answers: the whole set each time, so a repeat changes nothing.
type apiAnswersBody struct {
	Answers map[string][]string `json:"answers"`
}

// apiAnswers saves the answers of an open attempt as the trainee goes, so
// that a dropped connection or a closed browser loses nothing. The
// X-CSRF-Token header carries the token (the csrf middleware checks it).
func (h *handlers) apiAnswers(c *fiber.Ctx) error {
	v := currentViewer(c)
	p := h.page(c)
	if v == nil {
		return c.Status(fiber.StatusUnauthorized).JSON(apiError{p.T("error.sign_in.body")})
	}
	a, err := h.Training.Owned(c.UserContext(), v.User, c.Params("id"))
	switch {
	case errors.Is(err, training.ErrNotFound):
		return c.Status(fiber.StatusNotFound).JSON(apiError{p.T("error.not_found.body")})
	case errors.Is(err, training.ErrNotYours):
		return c.Status(fiber.StatusForbidden).JSON(apiError{p.T("error.forbidden.body")})
	case err != nil:
		return err
	}
	var body apiAnswersBody
	if err := json.Unmarshal(c.Body(), &body); err != nil || body.Answers == nil {
		return c.Status(fiber.StatusBadRequest).JSON(apiError{p.T("error.answers.body")})
	}
	course, err := h.Catalog.Get(c.UserContext(), a.Version)
	if err != nil {
		return err
	}
	err = h.Training.Save(c.UserContext(), v.User, course, a, learning.Answers(body.Answers))
	switch {
	case errors.Is(err, training.ErrSubmitted):
		return c.Status(fiber.StatusConflict).JSON(apiError{p.T("quiz.already_submitted")})
	case errors.Is(answerError(err), errBadAnswers):
		return c.Status(fiber.StatusBadRequest).JSON(apiError{p.T("error.answers.body")})
	case err != nil:
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
