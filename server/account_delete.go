package server

import "github.com/gofiber/fiber/v2"

// accountDelete anonymises the account after the password confirms it.
func (h *handlers) accountDelete(c *fiber.Ctx) error {
	v := currentViewer(c)
	err := h.Auth.Delete(c.UserContext(), v.User, c.FormValue("password"), h.clientIP(c))
	if errs, ok := formErrors(err); ok {
		errs[0].Field = "delete_password"
		return h.renderAccount(c, fiber.StatusBadRequest, profileOf(v.User), errs)
	}
	if err != nil {
		return err
	}
	h.clearSessionCookie(c)
	h.flash(c, flashAccountDeleted)
	return seeOther(c, "/")
}
