package server

import (
	"github.com/gofiber/fiber/v2"

	"kalan/server/cohort"
)

// cohortRow is a cohort in the trainer's list.
type cohortRow struct {
	URL, Name, Dates, Region string
	Courses                  int
	Closed                   bool
}

type trainerPage struct {
	Page
	Cohorts []cohortRow
}

// trainerShow lists the cohorts the viewer runs (all of them for admins).
func (h *handlers) trainerShow(c *fiber.Ctx) error {
	v := currentViewer(c)
	m := trainerPage{Page: h.page(c)}
	for _, co := range h.Cohorts.Managed(v.ID, v.Role) {
		m.Cohorts = append(m.Cohorts, cohortRow{URL: cohortURL(co), Name: co.Name, Dates: dates(co),
			Region: m.T("region." + co.Region), Courses: len(co.Courses), Closed: co.Closed})
	}
	return h.render(c, fiber.StatusOK, "trainer", m)
}

func cohortURL(co *cohort.Cohort) string { return "/trainer/cohorts/" + co.ID }

func dates(co *cohort.Cohort) string {
	return co.Starts.Format("2006-01-02") + " → " + co.Ends.Format("2006-01-02")
}
