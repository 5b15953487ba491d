package server

import (
	"github.com/gofiber/fiber/v2"
)

// immutable is the cache policy of content-addressed URLs: the URL changes
// when the content does, so a phone never asks twice.
const immutable = "public, max-age=31536000, immutable"

func (h *handlers) staticShow(c *fiber.Ctx) error {
	a, ok := h.View.Static(c.Params("*"))
	if !ok {
		return errNotFound
	}
	c.Set(fiber.HeaderCacheControl, immutable)
	c.Set(fiber.HeaderETag, a.ETag)
	if c.Get(fiber.HeaderIfNoneMatch) == a.ETag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	return c.Send(a.Body)
}
