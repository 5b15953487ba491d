package server

import "github.com/gofiber/fiber/v2"

func (h *handlers) sessionsEnd(c *fiber.Ctx) error {
	v := currentViewer(c)
	if _, err := h.Auth.SignOutEverywhere(c.UserContext(), v.User, v.session.ID); err != nil {
		return err
	}
	h.flash(c, flashSignedOutElsewhere)
	return seeOther(c, "/account")
}
