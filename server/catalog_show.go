package server

import "github.com/gofiber/fiber/v2"

type catalogPage struct {
	Page
	Courses []courseCard
}

func (h *handlers) catalogShow(c *fiber.Ctx) error {
	p := h.page(c)
	list := h.Catalog.Published()
	cards := courseCards(p, list)
	if err := h.withProgress(c, cards, list); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "catalog", catalogPage{Page: p, Courses: cards})
}
