package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

// passwordUpdate changes the password (the current one is not asked after
// a one-time password) and signs out the other sessions.
func (h *handlers) passwordUpdate(c *fiber.Ctx) error {
	v := currentViewer(c)
	next := c.FormValue("password")
	var err error
	if next != c.FormValue("password_confirm") {
		err = account.FieldErrors{{Field: "password", MessageID: "form.password.mismatch"}}
	} else {
		err = h.Auth.ChangePassword(c.UserContext(), v.User, c.FormValue("current"), next, v.session.ID, h.clientIP(c))
	}
	if errs, ok := formErrors(err); ok {
		return h.renderAccount(c, fiber.StatusBadRequest, profileOf(v.User), errs)
	}
	if err != nil {
		return err
	}
	h.flash(c, flashPasswordChanged)
	if v.MustChangePassword {
		return seeOther(c, "/")
	}
	return seeOther(c, "/account")
}
