package server

import "github.com/gofiber/fiber/v2"

func (h *handlers) logout(c *fiber.Ctx) error {
	if v := currentViewer(c); v != nil {
		if err := h.Auth.SignOut(c.UserContext(), v.token); err != nil {
			return err
		}
		h.flash(c, flashSignedOut)
	}
	h.clearSessionCookie(c)
	// The browser forgets every page and copy kept of this person: its
	// cache, the back/forward cache, the service worker's copies. The
	// service worker keeps the queue of events made offline through this
	// (see signOut in sw.js): they are someone's work not yet sent.
	c.Set("Clear-Site-Data", `"cache", "storage"`)
	return seeOther(c, "/")
}
