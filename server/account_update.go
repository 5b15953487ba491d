package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

func (h *handlers) accountUpdate(c *fiber.Ctx) error {
	p := account.Profile{Name: c.FormValue("name"), Organisation: c.FormValue("organisation"), Region: c.FormValue("region"), Lang: c.FormValue("lang")}
	err := h.Auth.UpdateProfile(c.UserContext(), currentViewer(c).User, p, h.Locales.Supported)
	if errs, ok := formErrors(err); ok {
		return h.renderAccount(c, fiber.StatusBadRequest, p, errs)
	}
	if err != nil {
		return err
	}
	// The new language takes effect at once, without a stale cookie.
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: p.Lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies, HTTPOnly: true})
	h.flash(c, flashProfileSaved)
	return seeOther(c, "/account")
}
