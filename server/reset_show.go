package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
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

func (h *handlers) resetUpdate(c *fiber.Ctx) error {
	token := c.Params("token")
	password := c.FormValue("password")
	var err error
	if password != c.FormValue("password_confirm") {
		err = account.FieldErrors{{Field: "password", MessageID: "form.password.mismatch"}}
	} else {
		_, err = h.Auth.CompleteReset(c.UserContext(), token, password)
	}
	if errors.Is(err, auth.ErrResetInvalid) {
		return errResetInvalid
	}
	if errs, ok := formErrors(err); ok {
		u, uerr := h.Auth.ResetUser(c.UserContext(), token)
		if uerr != nil {
			return errResetInvalid
		}
		m := resetPage{Page: h.page(c), Name: u.Name}
		m.Errors = errs
		noStore(c)
		return h.render(c, fiber.StatusBadRequest, "reset", m)
	}
	if err != nil {
		return err
	}
	h.flash(c, flashPasswordChanged)
	return seeOther(c, "/login")
}
