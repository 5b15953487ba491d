package server

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/library"
)

// libraryDownload streams the file, resumable (Range), revalidated by
// ETag, and counts the downloads of the day (those starting at byte 0).
func (h *handlers) libraryDownload(c *fiber.Ctx) error {
	r, err := h.resourceLoad(c, false)
	if err != nil {
		return err
	}
	meta := fileMeta{Name: downloadName(r), ContentType: r.ContentType, Size: r.Size, ETag: `"` + r.SHA256 + `"`, Modified: r.UpdatedAt}
	first, err := serveFile(c, meta, func(offset, length int64) (io.ReadCloser, error) {
		return h.Library.Open(c.UserContext(), r, offset, length)
	})
	if err == nil && first {
		if cerr := h.Library.CountDownload(c.UserContext(), r); cerr != nil {
			h.Log.Warn("download not counted", "resource", r.ID, "err", cerr)
		}
	}
	return err
}

// downloadName is the uploaded name, or one made from the title.
func downloadName(r *library.Resource) string {
	if r.FileName != "" && r.FileName != "file" {
		return r.FileName
	}
	title, _ := courses.Text(r.Title).Get(r.Language)
	return library.CleanFileName(title)
}
