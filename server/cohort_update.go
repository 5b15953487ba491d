package server

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/cohort"
)

func (h *handlers) cohortUpdate(c *fiber.Ctx) error {
	co, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	f := parseCohortForm(c)
	errs, err := h.Cohorts.Update(c.UserContext(), currentViewer(c).User, co, f, h.publishedSlug, h.clientIP(c))
	if err != nil {
		return err
	}
	if errs != nil {
		return h.render(c, fiber.StatusBadRequest, "cohort_form", h.cohortForm(c, cohortURL(co), f, errs))
	}
	if err := h.countInNewCourses(c, co); err != nil {
		return err
	}
	h.flash(c, flashCohortSaved)
	return seeOther(c, cohortURL(co))
}

// countInNewCourses records the members of a cohort in the reports of the
// courses just added to it, so that its figures count them there too.
func (h *handlers) countInNewCourses(c *fiber.Ctx, before *cohort.Cohort) error {
	ctx := c.UserContext()
	after, err := h.Cohorts.Get(ctx, before.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(after.Courses, func(s string) bool { return !before.Includes(s) }) {
		return nil
	}
	members, err := h.Accounts.UsersInCohort(ctx, before.ID)
	if err != nil {
		return err
	}
	for _, u := range members {
		h.Training.Joined(ctx, u.ID, before.ID)
	}
	return nil
}

func (h *handlers) cohortClose(c *fiber.Ctx) error { return h.cohortSetClosed(c, true) }

func (h *handlers) cohortOpen(c *fiber.Ctx) error { return h.cohortSetClosed(c, false) }

func (h *handlers) cohortSetClosed(c *fiber.Ctx, closed bool) error {
	co, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	if err := h.Cohorts.SetClosed(c.UserContext(), currentViewer(c).User, co, closed, h.clientIP(c)); err != nil {
		return err
	}
	h.flash(c, flashCohortSaved)
	return seeOther(c, cohortURL(co))
}
