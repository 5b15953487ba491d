package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/offline"
)

// limitBody refuses a body larger than its route allows (413), from the
// Content-Length, before anything reads it. A body without a length
// (chunked) is refused (411) outside the upload routes, which count what
// they read: forms and JSON from browsers always have a length.
func (h *handlers) limitBody(c *fiber.Ctx) error {
	n := c.Request().Header.ContentLength()
	if n == 0 || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return c.Next()
	}
	limit := int64(maxBody)
	switch {
	case isRecordingUpload(c):
		limit = courses.MaxLessonRecordingSize + 64<<10 // the file and its form fields
	case isStreamingUpload(c):
		limit = h.Library.MaxSize + 64<<10 // the file and its form fields
	case c.Path() == syncPath:
		limit = offline.MaxBytes
	}
	switch {
	case n == -1 && !isStreamingUpload(c):
		return c.SendStatus(fiber.StatusLengthRequired)
	case int64(n) > limit:
		return errTooLarge
	}
	return c.Next()
}
