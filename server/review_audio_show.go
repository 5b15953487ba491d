package server

import (
	"errors"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/review"
)

// reviewAudioShow plays the draft recording of a lesson in a language, for
// its reviewers and admins only: a draft is not public. Served in byte
// ranges (phones ask for them as they play), revalidated by its hash,
// never cached by a shared cache.
func (h *handlers) reviewAudioShow(c *fiber.Ctx) error {
	lang := c.Params("lang")
	course, lesson, _, err := h.reviewLesson(c, lang, errNotFound)
	if err != nil {
		return err
	}
	rec, err := h.Reviews.Recording(c.UserContext(), course.Def.Slug, lang, lesson.ID)
	if errors.Is(err, review.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.Set("Content-Security-Policy", mediaCSP)
	meta := fileMeta{ContentType: rec.ContentType, Size: rec.Size, ETag: `"` + rec.SHA256 + `"`, Modified: rec.At, Cache: "private, no-cache"}
	_, err = serveFile(c, meta, func(offset, length int64) (io.ReadCloser, error) {
		return h.Reviews.OpenRecording(c.UserContext(), rec.SHA256, offset, length)
	})
	if errors.Is(err, review.ErrNotFound) {
		return errNotFound
	}
	return err
}
