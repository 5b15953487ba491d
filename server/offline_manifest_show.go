package server

import "github.com/gofiber/fiber/v2"

// offlineManifest lists what to download to read a course offline.
func (h *handlers) offlineManifest(c *fiber.Ctx) error {
	course, err := h.openCourse(c)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(h.planOffline(h.page(c), course, currentViewer(c) != nil, saverOn(c)))
}
