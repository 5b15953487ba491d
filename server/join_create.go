package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/cohort"
)

// joinCreate adds the person to the cohort of the code: the signed-in
// viewer, the owner of an existing login (with its password), or a new
// trainee account.
func (h *handlers) joinCreate(c *fiber.Ctx) error {
	f := auth.JoinForm{Code: c.FormValue("code"), Name: c.FormValue("name"), Login: c.FormValue("login"), Password: c.FormValue("password")}
	m := joinPage{Page: h.page(c), Code: f.Code, Name: f.Name, Login: f.Login}
	co, err := h.Cohorts.ByCode(c.UserContext(), f.Code, h.clientIP(c))
	switch {
	case errors.Is(err, cohort.ErrUnknownCode):
		m.Errors = account.FieldErrors{{Field: "code", MessageID: "form.code.unknown"}}
		return h.render(c, fiber.StatusBadRequest, "join", m)
	case errors.Is(err, cohort.ErrClosed):
		m.Errors = account.FieldErrors{{Field: "code", MessageID: "form.code.closed"}}
		return h.render(c, fiber.StatusBadRequest, "join", m)
	case err != nil:
		return err
	}
	var viewerUser *account.User
	if v := currentViewer(c); v != nil {
		viewerUser = v.User
	}
	defaults := account.Profile{Organisation: co.Organisation, Region: co.Region, Lang: m.Lang}
	token, joined, err := h.Auth.Join(c.UserContext(), viewerUser, co.ID, defaults, f, h.clientIP(c), h.Locales.Supported)
	if errs, ok := formErrors(err); ok {
		m.Errors = errs
		return h.render(c, fiber.StatusBadRequest, "join", m)
	}
	if err != nil {
		return err
	}
	if token != "" {
		h.setSessionCookie(c, token, joined.ID, false)
	}
	h.flash(c, flashJoined)
	if len(co.Courses) > 0 {
		return seeOther(c, courseURL(co.Courses[0]))
	}
	return seeOther(c, "/")
}
