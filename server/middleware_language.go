package server

import "github.com/gofiber/fiber/v2"

const (
	localLang  = "lang" // c.Locals key: the page language
	langCookie = "kalan_lang"
)

// language resolves the page language (docs/CONTRACT.md: ?lang=, remembered in
// the kalan_lang cookie, then the signed-in user's preference, then
// Accept-Language, then French) and remembers an explicit choice in the
// cookie. An unknown code is ignored, never an error.
func (h *handlers) language(c *fiber.Ctx) error {
	query := c.Query("lang")
	if query != "" && h.Locales.Supported(query) {
		c.Cookie(&fiber.Cookie{
			Name: langCookie, Value: query, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies, HTTPOnly: true,
		})
	}
	preferred := ""
	if v := currentViewer(c); v != nil {
		preferred = v.Lang
	}
	lang := h.Locales.Negotiate(c.Get(fiber.HeaderAcceptLanguage), query, c.Cookies(langCookie), preferred)
	c.Locals(localLang, lang)
	return c.Next()
}
