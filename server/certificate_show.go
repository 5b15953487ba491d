package server

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/training"
)

// errWithdrawn answers for the PDF of a certificate whose holder deleted
// their account: it existed, and is gone for good.
var errWithdrawn = &pageError{status: fiber.StatusGone, title: "error.withdrawn.title", body: "error.withdrawn.body"}

// serialParam is the route's serial as typed: Fiber leaves the path
// percent-encoded, and a serial copied with spaces arrives as "%20".
// NormalizeSerial (in Training.Certificate) does the rest.
func serialParam(c *fiber.Ctx) string {
	raw := c.Params("serial")
	if s, err := url.PathUnescape(raw); err == nil {
		return s
	}
	return raw
}

// mayHold reports whether the viewer may see a certificate's PDF: its
// holder, a trainer of a cohort of the holder that follows the course,
// an admin.
func (h *handlers) mayHold(c *fiber.Ctx, cert *training.Certificate) (bool, error) {
	v := currentViewer(c)
	if v.ID == cert.UserID || v.Role == account.RoleAdmin {
		return true, nil
	}
	return h.trainsHolder(c, v, cert)
}

// trainsHolder reports whether the viewer is a trainer of a cohort in
// which the holder earned the certificate: authority does not follow the
// holder into cohorts they join later. For a certificate issued before
// those cohorts were recorded, it falls back to a cohort the holder is
// still a member of, that follows the course and that existed when the
// certificate was issued: such a cohort may be where it was earned, while
// a cohort made later (the hole this closes) never is.
func (h *handlers) trainsHolder(c *fiber.Ctx, v *viewer, cert *training.Certificate) (bool, error) {
	if v.Role != account.RoleTrainer {
		return false, nil
	}
	if cert.EarnedIn != nil {
		for _, co := range h.Cohorts.OfMember(c.UserContext(), cert.EarnedIn) {
			if cohort.CanManage(v.ID, v.Role, co) {
				return true, nil
			}
		}
		return false, nil
	}
	holder, err := h.Accounts.UserByID(c.UserContext(), cert.UserID)
	if err != nil {
		return false, err
	}
	for _, co := range h.Cohorts.OfMember(c.UserContext(), holder.Cohorts) {
		if co.Includes(cert.Course) && cohort.CanManage(v.ID, v.Role, co) && !co.CreatedAt.After(cert.IssuedAt) {
			return true, nil
		}
	}
	return false, nil
}

// certificatePDF renders the certificate, in its holder's language, with
// the QR code that carries the signed statement.
func (h *handlers) certificatePDF(c *fiber.Ctx) error {
	cert, err := h.Training.Certificate(c.UserContext(), serialParam(c))
	if errors.Is(err, training.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if cert.Withdrawn() { // nothing left to print: /verify says why
		return errWithdrawn
	}
	if ok, err := h.mayHold(c, cert); err != nil {
		return err
	} else if !ok {
		return errForbidden
	}
	loc := h.Locales.Localizer(cert.Lang)
	t := func(id string, data map[string]any) string { return loc.T(id, data) }
	text := certificate.Text{
		Heading: t("certificate.heading", nil), Intro: t("certificate.intro", nil), Completed: t("certificate.completed", nil),
		DateLabel: t("certificate.date", nil), DurationText: loc.N("course.minutes", cert.Minutes, nil),
		OrgLabel: t("certificate.organisation", nil), SerialLabel: t("certificate.serial", nil),
		VerifyText: t("certificate.verify", map[string]any{"URL": h.BaseURL + verifyURL(cert.Serial)}),
		Date:       cert.Completed.Format("2006-01-02"),
	}
	if cert.Revoked() {
		text.Revoked = t("certificate.revoked_banner", map[string]any{"Date": cert.RevokedAt.Format("2006-01-02"), "Reason": cert.Reason})
	}
	regular, err := assets.Font("DejaVuSans.ttf")
	if err != nil {
		return err
	}
	bold, err := assets.Font("DejaVuSans-Bold.ttf")
	if err != nil {
		return err
	}
	pdf, err := certificate.PDF(cert.Certificate, text, certificate.QRContent(h.BaseURL, cert.Payload, cert.Signature), regular, bold)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="kalan-`+certificate.FormatSerial(cert.Serial)+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.Send(pdf)
}
