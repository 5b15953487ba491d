package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/cohort"
)

// errNotInCohort is a request to leave a cohort one is not in.
var errNotInCohort = &pageError{status: fiber.StatusNotFound, title: "error.not_found.title", body: "account.leave_not_member"}

// errNoInvitation is an answer to an invitation that is not (or no
// longer) open.
var errNoInvitation = &pageError{status: fiber.StatusNotFound, title: "error.not_found.title", body: "invitation.gone"}

// invitationAnswer accepts or declines an invitation to a cohort: only
// an accepted one lets the cohort's trainers see the person's work.
func (h *handlers) invitationAnswer(accept bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := h.Cohorts.AnswerInvitation(c.UserContext(), currentViewer(c).User, c.Params("cohort"), accept, h.clientIP(c))
		if errors.Is(err, cohort.ErrNoInvitation) {
			return errNoInvitation
		}
		if err != nil {
			return err
		}
		if accept {
			h.flash(c, flashInvitationAccepted)
		} else {
			h.flash(c, flashInvitationDeclined)
		}
		return seeOther(c, "/account")
	}
}
