package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

// adminUserRole changes a role, and a reviewer's content languages (the
// field languages, "bm, ff"). An admin cannot change their own role, so
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
	var languages []string
	if role == account.RoleReviewer {
		if languages, err = account.ParseLanguages(c.FormValue("languages")); err != nil {
			fe, _ := err.(*account.FieldError)
			m := h.adminUserPage(c, u, account.FieldErrors{fe})
			m.Reviews = c.FormValue("languages")
			return h.render(c, fiber.StatusBadRequest, "admin_user", m)
		}
	}
	if role != u.Role || !slices.Equal(languages, u.Languages) {
		if err := h.Auth.SetRole(c.UserContext(), currentViewer(c).User, u, role, languages, h.clientIP(c)); err != nil {
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
