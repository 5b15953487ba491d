package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/training"
)

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
