package server

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
)

// packDownload serves the offline pack of a course in a language
// (?lang=xx): built once per version and language, then served like a
// library download (Range, ETag). A language the course lacks gives the
// pack in the fallback language, which its first page says. With
// ?audio=1 the pack holds the lessons' recordings too.
func (h *handlers) packDownload(c *fiber.Ctx) error {
	course, err := h.openCourse(c)
	if err != nil {
		return err
	}
	lang := c.Query("lang")
	if !courses.ValidLang(lang) || (!h.Locales.Supported(lang) && !contains(course.Def.Languages, lang)) {
		lang = h.page(c).Lang
	}
	withAudio := c.Query("audio") == "1" // anything else: the pack without recordings
	p, err := h.Packs.Get(c.UserContext(), course, lang, withAudio)
	if err != nil {
		return err
	}
	name := "kalan-" + course.Def.Slug + "-" + lang + ".zip"
	if withAudio {
		name = "kalan-" + course.Def.Slug + "-" + lang + "-audio.zip"
	}
	meta := fileMeta{Name: name, ContentType: "application/zip", Size: p.Info.Size,
		ETag: `"` + p.Info.ETag + `"`, Modified: p.Info.ModTime}
	_, err = serveFile(c, meta, func(offset, length int64) (io.ReadCloser, error) {
		rc, _, err := h.Blobs.Open(c.UserContext(), p.Key, offset, length)
		return rc, err
	})
	return err
}
