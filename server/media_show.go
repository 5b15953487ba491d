package server

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kalan/server/blob"
	"kalan/server/catalog"
)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// maxInlineMedia is the largest media file read whole so that it can be
// compressed (SVG diagrams); larger ones are streamed as they are.
const maxInlineMedia = 512 << 10

// mediaShow serves a course media file from object storage. Its URL is its
// content hash, so it is cached for good and revalidated by that hash.
func (h *handlers) mediaShow(c *fiber.Ctx) error {
	hash := c.Params("hash")
	if !sha256Hex.MatchString(hash) {
		return errNotFound
	}
	etag := `"` + hash + `"`
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		c.Set(fiber.HeaderCacheControl, immutable)
		c.Set(fiber.HeaderETag, etag)
		return c.SendStatus(fiber.StatusNotModified)
	}
	r, info, err := h.Blobs.Open(c.UserContext(), catalog.MediaKey(hash), 0, -1)
	if errors.Is(err, blob.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, immutable)
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderContentType, info.ContentType)
	// A media file opened on its own (not through an <img>) runs nothing.
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	if strings.HasPrefix(info.ContentType, "image/svg+xml") && info.Size <= maxInlineMedia {
		defer r.Close()
		buf := make([]byte, info.Size)
		if _, err := io.ReadFull(r, buf); err != nil {
			return err
		}
		return c.Send(buf)
	}
	c.Set(fiber.HeaderContentLength, strconv.FormatInt(info.Size, 10))
	return c.SendStream(r, int(info.Size))
}
