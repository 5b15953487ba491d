package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

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

// certificateKey publishes the public key that signs certificates, in PEM:
// with it, anyone checks a certificate's QR code offline.
func (h *handlers) certificateKey(c *fiber.Ctx) error {
	pem, err := certificate.EncodePublicKey(h.Training.PublicKey())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/x-pem-file")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(pem)
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

// verifyJSON is the answer of /verify/{serial} to Accept: application/json.
type verifyJSON struct {
	Status       string     `json:"status"`              // valid, revoked or unknown
	Withdrawn    bool       `json:"withdrawn,omitempty"` // revoked because the holder deleted their account
	QR           string     `json:"qr,omitempty"`        // with ?p=&s=: "genuine" or "altered"
	Serial       string     `json:"serial,omitempty"`
	Holder       string     `json:"holder,omitempty"`
	Course       string     `json:"course,omitempty"`
	Title        string     `json:"title,omitempty"`
	Completed    string     `json:"completed,omitempty"`
	Minutes      int        `json:"minutes,omitempty"`
	Organisation string     `json:"organisation,omitempty"`
	Issuer       string     `json:"issuer,omitempty"`
	IssuedAt     *time.Time `json:"issued_at,omitempty"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	Reason       string     `json:"reason,omitempty"`
	Payload      []byte     `json:"payload,omitempty"`   // the signed statement, base64
	Signature    []byte     `json:"signature,omitempty"` // Ed25519, base64
	PublicKey    string     `json:"public_key_url"`
}

type verifyPage struct {
	Page
	Status                                                 string // valid, revoked, withdrawn or unknown
	Altered                                                bool   // the QR code's statement does not verify
	Serial, Holder, Title, Completed, Organisation, Issuer string
	Minutes                                                int
	RevokedAt, Reason                                      string
	KeyURL                                                 string
}

// qrAltered reports whether the QR code's statement that came with the
// request (?p= payload, &s= signature, see certificate.QRContent) fails:
// a signature that does not verify with this installation's key, a
// statement about another serial, or one that differs from the one
// stored. Only one of the two, or either malformed, fails too.
func (h *handlers) qrAltered(c *fiber.Ctx, serial string, cert *training.Certificate) bool {
	payload, err := base64.RawURLEncoding.DecodeString(c.Query("p"))
	if err != nil {
		return true
	}
	sig, err := base64.RawURLEncoding.DecodeString(c.Query("s"))
	if err != nil {
		return true
	}
	stated, err := certificate.Verify(h.Training.PublicKey(), payload, sig)
	if err != nil {
		return true
	}
	if s, ok := certificate.NormalizeSerial(serial); !ok || stated.Serial != s {
		return true
	}
	// A withdrawn certificate's statement is gone: its genuine old QR
	// code still verifies, and the page says it was withdrawn.
	return cert != nil && cert.Payload != nil && !bytes.Equal(cert.Payload, payload)
}

// verifyShow tells anyone whether a certificate is valid, revoked (when
// and why), withdrawn with its holder's account, or unknown, as a page in
// the reader's language or as JSON. A serial that does not even have the
// right form is simply unknown. Opened from a QR code, it first checks
// the statement the code carries.
func (h *handlers) verifyShow(c *fiber.Ctx) error {
	keyURL := h.BaseURL + signingKeyURL
	serial := serialParam(c)
	cert, err := h.Training.Certificate(c.UserContext(), serial)
	if err != nil && !errors.Is(err, training.ErrNotFound) {
		return err
	}
	args := c.Request().URI().QueryArgs()
	fromQR := args.Has("p") || args.Has("s")
	altered := fromQR && h.qrAltered(c, serial, cert)
	out := verifyJSON{Status: "unknown", PublicKey: keyURL}
	if cert != nil {
		issued := cert.IssuedAt
		out = verifyJSON{Status: "valid", Serial: certificate.FormatSerial(cert.Serial), Holder: cert.Holder, Course: cert.Course,
			Title: cert.Title, Completed: cert.Completed.Format("2006-01-02"), Minutes: cert.Minutes, Organisation: cert.Organisation,
			Issuer: cert.Issuer, IssuedAt: &issued, Payload: cert.Payload, Signature: cert.Signature, PublicKey: keyURL}
		switch {
		case cert.Withdrawn():
			withdrawn := cert.WithdrawnAt
			out.Status, out.Withdrawn, out.RevokedAt = "revoked", true, &withdrawn
		case cert.Revoked():
			revoked := cert.RevokedAt
			out.Status, out.RevokedAt, out.Reason = "revoked", &revoked, cert.Reason
		}
	}
	if fromQR {
		out.QR = "genuine"
		if altered {
			out.QR = "altered"
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Vary(fiber.HeaderAccept)
	if strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		if altered { // what the code states is not what was issued: nothing about it is valid
			return c.JSON(verifyJSON{Status: "unknown", QR: out.QR, PublicKey: keyURL})
		}
		return c.JSON(out)
	}
	status := fiber.StatusOK
	if cert == nil {
		status = fiber.StatusNotFound
	}
	m := verifyPage{Page: h.page(c), Status: out.Status, Altered: altered, Serial: out.Serial, Holder: out.Holder, Title: out.Title,
		Completed: out.Completed, Minutes: out.Minutes, Organisation: out.Organisation, Issuer: out.Issuer,
		Reason: out.Reason, KeyURL: keyURL}
	if out.Withdrawn {
		m.Status, m.Holder = "withdrawn", m.T("verify.holder_deleted")
	}
	if out.RevokedAt != nil {
		m.RevokedAt = out.RevokedAt.Format("2006-01-02")
	}
	return h.render(c, status, "verify", m)
}

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
