package server

import (
	"github.com/gofiber/fiber/v2"
)

type adminLibraryRow struct {
	resourceCard
	ID        string
	Downloads int
	Withdrawn bool
}

type adminLibraryPage struct {
	Page
	Resources []adminLibraryRow
	Days      int
}

// downloadDays is the period of the download counts on the admin page.
const downloadDays = 30

func (h *handlers) adminLibrary(c *fiber.Ctx) error {
	p := h.page(c)
	all, err := h.Library.All(c.UserContext())
	if err != nil {
		return err
	}
	counts, err := h.Library.Downloads(c.UserContext(), downloadDays)
	if err != nil {
		return err
	}
	m := adminLibraryPage{Page: p, Days: downloadDays}
	for _, r := range all {
		m.Resources = append(m.Resources, adminLibraryRow{resourceCard: h.resourceCard(p, r), ID: r.ID, Downloads: counts[r.ID], Withdrawn: r.Withdrawn()})
	}
	return h.render(c, fiber.StatusOK, "admin_library", m)
}
