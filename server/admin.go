package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kalan/server/account"
	"kalan/server/store"
)

type adminPage struct{ Page }

func (h *handlers) adminShow(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "admin", adminPage{h.page(c)})
}

type userRow struct {
	URL, Name, Login, Role, Organisation, Region string
}

type adminUsersPage struct {
	Page
	Search string
	Roles  []option
	Users  []userRow
}

// adminUsers lists accounts, filtered by role and a search on name or login.
func (h *handlers) adminUsers(c *fiber.Ctx) error {
	m := adminUsersPage{Page: h.page(c), Search: strings.TrimSpace(c.Query("q"))}
	role := c.Query("role")
	if _, ok := account.ParseRole(role); !ok {
		role = ""
	}
	m.Roles = roleOptions(m.Page, role)
	if len(m.Search) > 100 {
		return errBadRequest
	}
	users, err := h.Accounts.Users(c.UserContext(), store.UserQuery{Role: role, Search: m.Search, Limit: 200})
	if err != nil {
		return err
	}
	for _, u := range users {
		m.Users = append(m.Users, userRow{URL: "/admin/users/" + u.ID, Name: u.Name, Login: u.Login.Value,
			Role: m.T("role." + string(u.Role)), Organisation: m.T("organisation." + u.Organisation), Region: m.T("region." + u.Region)})
	}
	return h.render(c, fiber.StatusOK, "admin_users", m)
}

func roleOptions(p Page, selected string) []option {
	var out []option
	for _, r := range []account.Role{account.RoleTrainee, account.RoleTrainer, account.RoleAdmin} {
		out = append(out, option{Value: string(r), Label: p.T("role." + string(r)), Selected: string(r) == selected})
	}
	return out
}

type adminUserPage struct {
	Page
	User    *account.User
	Role    string
	Roles   []option
	Org     string
	Region  string
	Cohorts []string
	Self    bool
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
		Org: p.T("organisation." + u.Organisation), Region: p.T("region." + u.Region), Self: u.ID == currentViewer(c).ID}
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

// adminUserRole changes a role. An admin cannot change their own role, so
// that the last admin cannot lock everyone out by mistake.
func (h *handlers) adminUserRole(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	role, ok := account.ParseRole(c.FormValue("role"))
	if !ok || u.ID == currentViewer(c).ID {
		return h.render(c, fiber.StatusBadRequest, "admin_user", h.adminUserPage(c, u, account.FieldErrors{{Field: "role", MessageID: "form.role.invalid"}}))
	}
	if role != u.Role {
		if err := h.Auth.SetRole(c.UserContext(), currentViewer(c).User, u, role, h.clientIP(c)); err != nil {
			return err
		}
	}
	h.flash(c, "flash.role_changed")
	return seeOther(c, "/admin/users/"+u.ID)
}

func (h *handlers) adminUserReset(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	return h.issueReset(c, u, "/admin/users/"+u.ID)
}
