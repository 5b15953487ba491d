package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

type adminUserPage struct {
	Page
	User    *account.User
	Role    string
	Roles   []option
	Org     string
	Region  string
	Cohorts []string
	Self    bool
	// Reviews are a reviewer's content languages as the form shows them.
	Reviews string
}

// adminUser loads the account of the URL.
func (h *handlers) adminUser(c *fiber.Ctx) (*account.User, error) {
	id := c.Params("user")
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, errNotFound
	}
	u, err := h.Accounts.UserByID(c.UserContext(), id)
	if errors.Is(err, account.ErrNotFound) || (err == nil && u.Deleted()) {
		return nil, errNotFound
	}
	return u, err
}

func (h *handlers) adminUserPage(c *fiber.Ctx, u *account.User, errs account.FieldErrors) adminUserPage {
	p := h.page(c)
	p.Errors = errs
	m := adminUserPage{Page: p, User: u, Role: p.T("role." + string(u.Role)), Roles: roleOptions(p, string(u.Role)),
		Org: p.T("organisation." + u.Organisation), Region: p.T("region." + u.Region), Self: u.ID == currentViewer(c).ID,
		Reviews: strings.Join(u.Languages, ", ")}
	for _, co := range h.Cohorts.OfMember(c.UserContext(), u.Cohorts) {
		m.Cohorts = append(m.Cohorts, co.Name)
	}
	return m
}

func (h *handlers) adminUserShow(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_user", h.adminUserPage(c, u, nil))
}
