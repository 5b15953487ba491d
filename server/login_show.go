package server

import (
	"github.com/gofiber/fiber/v2"
)

type loginPage struct {
	Page
	Login, Next string
	Remember    bool
	Problem     string // why signing in failed, translated
	Wrong       bool   // the login or the password is wrong (not said which): both fields are marked invalid
}

func (h *handlers) loginShow(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if currentViewer(c) != nil {
		return seeOther(c, next)
	}
	return h.render(c, fiber.StatusOK, "login", loginPage{Page: h.page(c), Next: next})
}
