package server

import (
	"github.com/gofiber/fiber/v2"

	"kalan/server/library"
)

// homeCourses is how many courses the home page highlights.
const homeCourses = 3

type homePage struct {
	Page
	Courses   []courseCard
	Resources []resourceCard // library highlights in the reader's language first
}

// homeResources is how many library items the home page highlights.
const homeResources = 3

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
	m := homePage{Page: p, Courses: cards}
	items, err := h.Library.List(c.UserContext(), library.Filter{Language: p.Lang})
	if err != nil {
		return err
	}
	for i, r := range items {
		if i == homeResources {
			break
		}
		m.Resources = append(m.Resources, h.resourceCard(p, r))
	}
	return h.render(c, fiber.StatusOK, "home", m)
}
