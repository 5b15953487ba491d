package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

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
	h.flash(c, flashRoleChanged)
	return seeOther(c, "/admin/users/"+u.ID)
}

func (h *handlers) adminUserReset(c *fiber.Ctx) error {
	u, err := h.adminUser(c)
	if err != nil {
		return err
	}
	return h.issueReset(c, u, "/admin/users/"+u.ID)
}
