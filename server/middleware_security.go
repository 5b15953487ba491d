package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// securityHeaders applies to every response. Pages load nothing from
// elsewhere; lesson HTML is sanitised, and the CSP is the second line.
// X-Frame-Options says what frame-ancestors says, for browsers that read
// only the older header. Behind https, browsers are told to stay on https
// (a year, this host only: other hosts of the domain are not ours to say).
func (h *handlers) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	if h.SecureCookies {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// noStoreSignedIn: on a shared phone, nothing answered to a signed-in
// request may stay in the browser's cache or its back/forward cache (Back
// after signing out would show it without asking), so every response to
// one is no-store, unless it says it is public (static files, course
// media, the certificate key: the same for everybody).
func noStoreSignedIn(c *fiber.Ctx) {
	if currentViewer(c) == nil {
		return
	}
	if cc := string(c.Response().Header.Peek(fiber.HeaderCacheControl)); !strings.Contains(cc, "public") {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
}
