package server

import "github.com/gofiber/fiber/v2"

type catalogPage struct {
	Page
	Courses []courseCard
}

func (h *handlers) catalogShow(c *fiber.Ctx) error {
	p := h.page(c)
	return h.render(c, fiber.StatusOK, "catalog", catalogPage{Page: p, Courses: courseCards(p, h.Catalog.Published())})
}
