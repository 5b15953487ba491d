package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/offline"
)

// syncState tells the device's script who is signed in (it sends only
// that person's events) and the token its requests must carry.
type syncState struct {
	User      string `json:"user"`
	CSRF      string `json:"csrf"`
	MaxEvents int    `json:"max_events"`
}

func (h *handlers) syncShow(c *fiber.Ctx) error {
	noStore(c)
	return c.JSON(syncState{User: currentViewer(c).ID, CSRF: csrfToken(c), MaxEvents: offline.MaxEvents})
}
