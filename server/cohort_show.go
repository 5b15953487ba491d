package server

import (
	"github.com/gofiber/fiber/v2"

	"kalan/server/account"
	"kalan/server/certificate"
	"kalan/server/cohort"
)

// memberRow is a person in a cohort page.
type memberRow struct {
	ID, Name, Login, Organisation string
	Certificates                  []certRow // for the cohort's courses
}

// certRow is a member's certificate, with the revocation form.
type certRow struct {
	Serial, VerifyURL, RevokeURL string
	Revoked                      bool
}

type cohortPage struct {
	Page
	Cohort   *cohort.Cohort
	Code     string // formatted for reading aloud
	JoinLink string
	Dates    string
	Region   string
	Org      string
	Courses  []string // titles
	Trainers []string // names
	Members  []memberRow
	Edit     cohortFormPage
}

// cohortShow is a cohort's page for its trainers: the join code (in
// data-join-code, CONTRACT.md), the join link, the members, enrolment.
func (h *handlers) cohortShow(c *fiber.Ctx) error {
	co, err := h.managedCohort(c)
	if err != nil {
		return err
	}
	m, err := h.cohortPage(c, co, nil)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "cohort", m)
}

func (h *handlers) cohortPage(c *fiber.Ctx, co *cohort.Cohort, errs account.FieldErrors) (cohortPage, error) {
	ctx := c.UserContext()
	p := h.page(c)
	p.Errors = errs
	m := cohortPage{Page: p, Cohort: co, Code: account.FormatJoinCode(co.JoinCode),
		JoinLink: h.BaseURL + "/join?code=" + co.JoinCode, Dates: dates(co),
		Region: p.T("region." + co.Region), Org: p.T("organisation." + co.Organisation)}
	for _, slug := range co.Courses {
		if pc, ok := h.Catalog.Lookup(slug); ok {
			title, _ := text(p, pc.Course.Title)
			m.Courses = append(m.Courses, title)
		}
	}
	trainers, err := h.Accounts.UsersByIDs(ctx, co.Trainers)
	if err != nil {
		return m, err
	}
	for _, t := range trainers {
		m.Trainers = append(m.Trainers, t.Name)
	}
	members, err := h.Accounts.UsersInCohort(ctx, co.ID)
	if err != nil {
		return m, err
	}
	ids := make([]string, len(members))
	for i, u := range members {
		ids[i] = u.ID
	}
	certs, err := h.Training.CertificatesOf(ctx, ids)
	if err != nil {
		return m, err
	}
	for _, u := range members {
		row := memberRow{ID: u.ID, Name: u.Name, Login: u.Login.Value, Organisation: p.T("organisation." + u.Organisation)}
		for _, cert := range certs {
			if cert.UserID == u.ID && co.Includes(cert.Course) {
				row.Certificates = append(row.Certificates, certRow{Serial: certificate.FormatSerial(cert.Serial),
					VerifyURL: verifyURL(cert.Serial), RevokeURL: "/trainer/certificates/" + cert.Serial + "/revoke", Revoked: cert.Revoked()})
			}
		}
		if u.Deleted() {
			row.Name, row.Login = p.T("cohort.deleted_member"), ""
		}
		m.Members = append(m.Members, row)
	}
	m.Edit = h.cohortForm(c, cohortURL(co), cohort.FormOf(co), errs)
	return m, nil
}
