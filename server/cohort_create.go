package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
)

// cohortFormPage is the model of the cohort form, new or existing.
type cohortFormPage struct {
	Page
	Action                 string // where the form posts
	Form                   cohort.Form
	Courses                []option
	Regions, Organisations []option
}

func (h *handlers) cohortForm(c *fiber.Ctx, action string, f cohort.Form, errs account.FieldErrors) cohortFormPage {
	m := cohortFormPage{Page: h.page(c), Action: action, Form: f}
	m.Errors = errs
	for _, pc := range h.Catalog.Published() {
		title, _ := text(m.Page, pc.Def.Title)
		m.Courses = append(m.Courses, option{Value: pc.Def.Slug, Label: title, Selected: contains(f.Courses, pc.Def.Slug)})
	}
	m.Regions = codeOptions(m.Page, "region.", account.Regions(), f.Region)
	m.Organisations = codeOptions(m.Page, "organisation.", account.Organisations(), f.Organisation)
	return m
}

// parseCohortForm reads the fields fixed by docs/CONTRACT.md.
func parseCohortForm(c *fiber.Ctx) cohort.Form {
	f := cohort.Form{Name: c.FormValue("name"), Region: c.FormValue("region"), Organisation: c.FormValue("organisation"),
		Starts: c.FormValue("starts"), Ends: c.FormValue("ends")}
	for _, v := range c.Request().PostArgs().PeekMulti("courses") {
		f.Courses = append(f.Courses, string(v))
	}
	if form, err := c.MultipartForm(); err == nil {
		f.Courses = append(f.Courses, form.Value["courses"]...)
	}
	return f
}

// publishedSlug says whether a course is published, for cohort forms.
func (h *handlers) publishedSlug(slug string) bool {
	_, ok := h.Catalog.Lookup(slug)
	return ok
}

func (h *handlers) cohortNew(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "cohort_form", h.cohortForm(c, "/trainer/cohorts", cohort.Form{}, nil))
}

// cohortCreate makes a cohort and shows it, with its join code.
func (h *handlers) cohortCreate(c *fiber.Ctx) error {
	f := parseCohortForm(c)
	co, errs, err := h.Cohorts.Create(c.UserContext(), currentViewer(c).User, f, h.publishedSlug, h.clientIP(c))
	if err != nil {
		return err
	}
	if errs != nil {
		return h.render(c, fiber.StatusBadRequest, "cohort_form", h.cohortForm(c, "/trainer/cohorts", f, errs))
	}
	return seeOther(c, cohortURL(co))
}
