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
