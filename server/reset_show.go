package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/auth"
)

var errResetInvalid = &pageError{status: fiber.StatusNotFound, title: "error.reset.title", body: "error.reset.body"}

type resetPage struct {
	Page
	Name string
}

// resetShow is the page of a one-time reset link: choose a new password.
func (h *handlers) resetShow(c *fiber.Ctx) error {
	u, err := h.Auth.ResetUser(c.UserContext(), c.Params("token"))
	if errors.Is(err, auth.ErrResetInvalid) {
		return errResetInvalid
	}
	if err != nil {
		return err
	}
	noStore(c)
	return h.render(c, fiber.StatusOK, "reset", resetPage{Page: h.page(c), Name: u.Name})
}
