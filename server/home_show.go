package server

import "github.com/gofiber/fiber/v2"

// homeCourses is how many courses the home page highlights.
const homeCourses = 3

type homePage struct {
	Page
	Courses []courseCard
}

func (h *handlers) homeShow(c *fiber.Ctx) error {
	p := h.page(c)
	list := h.Catalog.Published()
	if len(list) > homeCourses {
		list = list[:homeCourses]
	}
	cards := courseCards(p, list)
	if err := h.withProgress(c, cards, list); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "home", homePage{Page: p, Courses: cards})
}
