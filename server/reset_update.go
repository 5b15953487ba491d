package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/auth"
)

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
