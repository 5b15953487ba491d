package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

// cohortTrainerAdd lets another trainer (by login) run the cohort.
func (h *handlers) cohortTrainerAdd(c *fiber.Ctx) error {
	co, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	login, lerr := account.ParseLogin(c.FormValue("login"))
	var t *account.User
	if lerr == nil {
		t, err = h.Accounts.UserByLogin(c.UserContext(), login.Value)
	}
	if lerr != nil || errors.Is(err, account.ErrNotFound) || (err == nil && (t.Deleted() || t.Role == account.RoleTrainee)) {
		m, perr := h.cohortPage(c, co, account.FieldErrors{{Field: "trainer", MessageID: "form.trainer.unknown"}})
		if perr != nil {
			return perr
		}
		return h.render(c, fiber.StatusBadRequest, "cohort", m)
	}
	if err != nil {
		return err
	}
	if err := h.Cohorts.AddTrainer(c.UserContext(), currentViewer(c).User, co, t, h.clientIP(c)); err != nil {
		return err
	}
	h.flash(c, flashCohortSaved)
	return seeOther(c, cohortURL(co))
}

type resetLinkPage struct {
	Page
	Name, Link, Back string
}

// issueReset shows a fresh reset link once.
func (h *handlers) issueReset(c *fiber.Ctx, u *account.User, back string) error {
	token, err := h.Auth.IssueReset(c.UserContext(), currentViewer(c).User, u, h.clientIP(c))
	if err != nil {
		return err
	}
	noStore(c)
	return h.render(c, fiber.StatusOK, "reset_link", resetLinkPage{Page: h.page(c), Name: u.Name, Link: h.BaseURL + resetURL(token), Back: back})
}
