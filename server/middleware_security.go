package server

import (
	"strings"

	"github.com/kalan-platform/kalan/server/view"

	"github.com/gofiber/fiber/v2"
)

// securityHeaders applies to every response. Behind https, browsers are
// told to stay on https (a year, this host only: other hosts of the
// domain are not ours to say).
func (h *handlers) securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	if h.SecureCookies {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// pageHeaders apply to pages and everything after them in the routes, not
// to the static files, course media and the service worker, which are
// registered before: those are our own files (media carry their own,
// stricter policy) and on 2G each header of each file is paid for. Pages
// load nothing from elsewhere; lesson HTML is sanitised, and the CSP is
// the second line. X-Frame-Options says what frame-ancestors says, for
// browsers that read only the older header.
func (h *handlers) pageHeaders(c *fiber.Ctx) error {
	h.setDocumentHeaders(c)
	return c.Next()
}

// contentSecurityPolicy is the policy of every page: default-src 'self'
// covers scripts; styles are the page's own <style> (by hash) and
// nothing else.
func contentSecurityPolicy(v *view.View) (string, error) {
	style, err := v.StyleHash(pageStyle)
	if err != nil {
		return "", err
	}
	return "default-src 'self'; img-src 'self' data:; style-src " + style + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", nil
}

func (h *handlers) setDocumentHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", h.csp)
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
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
