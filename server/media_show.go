package server

import (
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/picture"
)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// mediaCSP: a media file opened on its own (not through an <img> or an
// <audio>) runs nothing.
const mediaCSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// maxInlineMedia is the largest media file read whole so that it can be
// compressed (SVG diagrams); larger ones are streamed as they are.
const maxInlineMedia = 512 << 10

// errBadWidth answers a ?w= that is not one of the widths images are
// offered in.
var errBadWidth = &pageError{status: fiber.StatusBadRequest, title: "saver.bad_width.title", body: "saver.bad_width.body",
	data: map[string]any{"Widths": widthList()}}

func widthList() string {
	var s []string
	for _, w := range picture.Widths() {
		s = append(s, strconv.Itoa(w))
	}
	return strings.Join(s, ", ")
}

// mediaShow serves a course media file from object storage, or with ?w= an
// image's phone-sized copy (made on first demand). Its URL is its content
// hash, so it is cached for good and revalidated by that hash.
func (h *handlers) mediaShow(c *fiber.Ctx) error {
	hash := c.Params("hash")
	if !sha256Hex.MatchString(hash) {
		return errNotFound
	}
	width := 0
	if args := c.Request().URI().QueryArgs(); args.Has("w") {
		w, err := picture.ParseWidth(string(args.Peek("w")))
		if err != nil {
			return errBadWidth
		}
		width = w
	}
	etag := `"` + hash + `"`
	if width != 0 {
		etag = `"` + hash + "-" + strconv.Itoa(width) + `"`
	}
	if width == 0 && c.Get(fiber.HeaderRange) != "" {
		return h.mediaRange(c, hash, etag)
	}
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		c.Set(fiber.HeaderCacheControl, immutable)
		c.Set(fiber.HeaderETag, etag)
		return c.SendStatus(fiber.StatusNotModified)
	}
	r, info, err := h.Catalog.OpenMedia(c.UserContext(), hash, width)
	if errors.Is(err, catalog.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, immutable)
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderContentType, info.ContentType)
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	c.Set("Content-Security-Policy", mediaCSP)
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

// mediaRange answers a request for part of a media file: a recording that
// a phone plays asks for ranges as it goes (Chrome's first request is
// "bytes=0-"), and a download cut by the network resumes with one.
// Content-addressed, the file never changes, so any If-Range holds that
// names its hash.
func (h *handlers) mediaRange(c *fiber.Ctx, hash, etag string) error {
	info, err := h.Catalog.StatMedia(c.UserContext(), hash)
	if errors.Is(err, catalog.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	c.Set("Content-Security-Policy", mediaCSP)
	meta := fileMeta{ContentType: info.ContentType, Size: info.Size, ETag: etag, Cache: immutable}
	_, err = serveFile(c, meta, func(offset, length int64) (io.ReadCloser, error) {
		return h.Catalog.OpenMediaRange(c.UserContext(), hash, offset, length)
	})
	if errors.Is(err, catalog.ErrNotFound) {
		return errNotFound
	}
	return err
}
