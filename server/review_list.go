package server

import "github.com/gofiber/fiber/v2"

type reviewListPage struct {
	Page
	Links []reviewLink
}

// reviewList is the reviewer's start page: the course translations they
// may review, and whether each is reviewed.
func (h *handlers) reviewList(c *fiber.Ctx) error {
	p := h.page(c)
	return h.render(c, fiber.StatusOK, "review_list", reviewListPage{Page: p, Links: h.reviewLinks(c, p)})
}
