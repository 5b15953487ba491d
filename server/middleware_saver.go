package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

const (
	saverCookie = "kalan_saver" // "on" or "off": the reader's data-saver choice
	localSaver  = "saver"       // c.Locals key: whether the data saver is on
)

// parseSaver reads an explicit data-saver choice, from ?saver= or the
// kalan_saver cookie: "on" or "off". Anything else is no choice.
func parseSaver(s string) (on, ok bool) {
	switch s {
	case "on":
		return true, true
	case "off":
		return false, true
	}
	return false, false
}

// saverWanted decides the data saver of a request: an explicit choice
// wins (the query, then the cookie); without one, the browser's Save-Data
// header, which browsers send in their own data-saving mode.
func saverWanted(query, cookie, saveData string) bool {
	if on, ok := parseSaver(query); ok {
		return on
	}
	if on, ok := parseSaver(cookie); ok {
		return on
	}
	return strings.EqualFold(strings.TrimSpace(saveData), "on")
}

// dataSaver resolves the data saver for the pages and remembers a
// ?saver= choice in the cookie, the way ?lang= is remembered. The cookie
// is not HttpOnly on purpose: the page script sets it from the Network
// Information API (2G) when there is none, and must see a choice made
// here. It holds nothing secret.
func (h *handlers) dataSaver(c *fiber.Ctx) error {
	query := c.Query("saver")
	if _, ok := parseSaver(query); ok {
		c.Cookie(&fiber.Cookie{
			Name: saverCookie, Value: query, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies,
		})
	}
	c.Locals(localSaver, saverWanted(query, c.Cookies(saverCookie), c.Get("Save-Data")))
	return c.Next()
}

// saverOn reports whether the data saver is on, for a page whose HTML
// depends on it, and tells caches so: the same URL differs with the
// Save-Data header (the cookie is already in Vary, see render).
func saverOn(c *fiber.Ctx) bool {
	c.Vary("Save-Data")
	on, _ := c.Locals(localSaver).(bool)
	return on
}

// saverURL is the current page with the data saver turned on or off, its
// other parameters kept.
func saverURL(c *fiber.Ctx, on bool) string {
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	c.Request().URI().QueryArgs().CopyTo(args)
	value := "off"
	if on {
		value = "on"
	}
	args.Set("saver", value)
	return c.Path() + "?" + args.String()
}
