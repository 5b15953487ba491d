package server

import (
	"github.com/gofiber/fiber/v2"
)

type joinPage struct {
	Page
	Code, Name, Login string
}

// joinShow is the join form; a join link fills in the code.
func (h *handlers) joinShow(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "join", joinPage{Page: h.page(c), Code: c.Query("code")})
}
