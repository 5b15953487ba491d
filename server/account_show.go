package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

type accountPage struct {
	Page
	Login                  string
	Profile                account.Profile
	Organisations, Regions []option
	LangOptions            []option
	MustChange             bool
	Cohorts                []memberOf // the cohorts the person is in
	Saver                  bool       // the data saver is on (a choice kept in a cookie, not in the account)
	Learner                learnerSummary
}

func (h *handlers) accountPage(c *fiber.Ctx, p account.Profile, errs account.FieldErrors) (accountPage, error) {
	v := currentViewer(c)
	m := accountPage{Page: h.page(c), Login: v.Login.Value, Profile: p, MustChange: v.MustChangePassword}
	m.Errors = errs
	m.Organisations = codeOptions(m.Page, "organisation.", account.Organisations(), p.Organisation)
	m.Regions = codeOptions(m.Page, "region.", account.Regions(), p.Region)
	m.LangOptions = h.languageOptions(p.Lang)
	m.Saver = saverOn(c)
	for _, co := range h.Cohorts.OfMember(c.UserContext(), v.Cohorts) {
		m.Cohorts = append(m.Cohorts, memberOf{Name: co.Name, Leave: leaveCohortURL(co.ID)})
	}
	var err error
	m.Learner, err = h.learnerSummary(c, m.Page)
	return m, err
}

// renderAccount renders the account page, with the form errors if any.
func (h *handlers) renderAccount(c *fiber.Ctx, status int, p account.Profile, errs account.FieldErrors) error {
	m, err := h.accountPage(c, p, errs)
	if err != nil {
		return err
	}
	return h.render(c, status, "account", m)
}

// memberOf is a cohort of the person's, with the form that leaves it.
type memberOf struct{ Name, Leave string }

func profileOf(u *account.User) account.Profile {
	return account.Profile{Name: u.Name, Organisation: u.Organisation, Region: u.Region, Lang: u.Lang}
}

func (h *handlers) accountShow(c *fiber.Ctx) error {
	return h.renderAccount(c, fiber.StatusOK, profileOf(currentViewer(c).User), nil)
}

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

// passwordUpdate changes the password (the current one is not asked after
// a one-time password) and signs out the other sessions.
func (h *handlers) passwordUpdate(c *fiber.Ctx) error {
	v := currentViewer(c)
	next := c.FormValue("password")
	var err error
	if next != c.FormValue("password_confirm") {
		err = account.FieldErrors{{Field: "password", MessageID: "form.password.mismatch"}}
	} else {
		err = h.Auth.ChangePassword(c.UserContext(), v.User, c.FormValue("current"), next, v.session.ID, h.clientIP(c))
	}
	if errs, ok := formErrors(err); ok {
		return h.renderAccount(c, fiber.StatusBadRequest, profileOf(v.User), errs)
	}
	if err != nil {
		return err
	}
	h.flash(c, flashPasswordChanged)
	if v.MustChangePassword {
		return seeOther(c, "/")
	}
	return seeOther(c, "/account")
}

func (h *handlers) sessionsEnd(c *fiber.Ctx) error {
	v := currentViewer(c)
	if _, err := h.Auth.SignOutEverywhere(c.UserContext(), v.User, v.session.ID); err != nil {
		return err
	}
	h.flash(c, flashSignedOutElsewhere)
	return seeOther(c, "/account")
}

// accountDelete anonymises the account after the password confirms it.
func (h *handlers) accountDelete(c *fiber.Ctx) error {
	v := currentViewer(c)
	err := h.Auth.Delete(c.UserContext(), v.User, c.FormValue("password"), h.clientIP(c))
	if errs, ok := formErrors(err); ok {
		errs[0].Field = "delete_password"
		return h.renderAccount(c, fiber.StatusBadRequest, profileOf(v.User), errs)
	}
	if err != nil {
		return err
	}
	h.clearSessionCookie(c)
	h.flash(c, flashAccountDeleted)
	return seeOther(c, "/")
}
