package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

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
	users, err := h.Accounts.Users(c.UserContext(), account.UserQuery{Role: role, Search: m.Search, Limit: 200})
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
	for _, r := range account.Roles() {
		out = append(out, option{Value: string(r), Label: p.T("role." + string(r)), Selected: string(r) == selected})
	}
	return out
}
