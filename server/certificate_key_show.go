package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/certificate"
)

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
