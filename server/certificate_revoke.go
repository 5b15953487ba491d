package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/training"
)

// certificateRevoke revokes a certificate with a reason (docs/CONTRACT.md: field
// reason): trainers of the holder's cohort for the course, and admins.
func (h *handlers) certificateRevoke(c *fiber.Ctx) error {
	cert, err := h.Training.Certificate(c.UserContext(), serialParam(c))
	if errors.Is(err, training.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	v := currentViewer(c)
	if v.Role != account.RoleAdmin {
		if ok, err := h.trainsHolder(c, v, cert); err != nil {
			return err
		} else if !ok {
			return errForbidden
		}
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if reason == "" || len([]rune(reason)) > 500 {
		return errReasonNeeded
	}
	if err := h.Training.Revoke(c.UserContext(), v.User, cert, reason, h.clientIP(c)); err != nil {
		return err
	}
	return seeOther(c, verifyURL(cert.Serial))
}
