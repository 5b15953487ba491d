package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/cohort"
)

// cohortLeave takes the viewer out of one of their cohorts.
func (h *handlers) cohortLeave(c *fiber.Ctx) error {
	err := h.Cohorts.Leave(c.UserContext(), currentViewer(c).User, c.Params("cohort"), h.clientIP(c))
	if errors.Is(err, cohort.ErrNotMember) {
		return errNotInCohort
	}
	if err != nil {
		return err
	}
	h.flash(c, flashCohortLeft)
	return seeOther(c, "/account")
}
