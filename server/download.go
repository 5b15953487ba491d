package server

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// fileMeta is what a download needs to know of a stored file.
type fileMeta struct {
	Name        string // download name, any language; "" to play or show it in place (no Content-Disposition)
	ContentType string
	Size        int64
	ETag        string    // quoted
	Modified    time.Time // zero when unknown: no Last-Modified
	Cache       string    // Cache-Control; "" for an hour
}

// serveFile streams a file so that a bad network does not waste what was
// already received: Content-Length, ETag and Last-Modified, 304 for an
// unchanged file, 206 for a single byte range (what `curl -C -` and phone
// download managers send to resume), 416 for a range past the end. A
// malformed Range is ignored and the whole file sent (RFC 9110 §14.2).
// It returns whether the download starts at the first byte (for counting).
func serveFile(c *fiber.Ctx, m fileMeta, open func(offset, length int64) (io.ReadCloser, error)) (bool, error) {
	c.Set(fiber.HeaderETag, m.ETag)
	if !m.Modified.IsZero() {
		c.Set(fiber.HeaderLastModified, m.Modified.UTC().Format(http1123))
	}
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	c.Set(fiber.HeaderContentType, m.ContentType)
	if m.Name != "" {
		c.Set(fiber.HeaderContentDisposition, contentDisposition(m.Name))
	}
	if m.Cache == "" {
		m.Cache = "public, max-age=3600"
	}
	c.Set(fiber.HeaderCacheControl, m.Cache)
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatches(inm, m.ETag) {
		return false, c.SendStatus(fiber.StatusNotModified)
	}
	offset, length, status := int64(0), m.Size, fiber.StatusOK
	if header := c.Get(fiber.HeaderRange); header != "" && ifRangeHolds(c.Get(fiber.HeaderIfRange), m) {
		start, end, ok, satisfiable := parseRange(header, m.Size)
		switch {
		case ok && !satisfiable:
			c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(m.Size, 10))
			c.Response().Header.Del(fiber.HeaderContentDisposition)
			return false, c.SendStatus(fiber.StatusRequestedRangeNotSatisfiable)
		case ok:
			offset, length, status = start, end-start+1, fiber.StatusPartialContent
			c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(end, 10)+"/"+strconv.FormatInt(m.Size, 10))
		}
	}
	c.Status(status)
	if c.Method() == fiber.MethodHead {
		c.Response().Header.SetContentLength(int(length))
		return false, nil
	}
	body, err := open(offset, length)
	if err != nil {
		c.Response().Header.Del(fiber.HeaderContentDisposition)
		return false, err
	}
	return offset == 0, c.SendStream(body, int(length))
}

// http1123 is the date format of HTTP headers.
const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"

// parseRange reads a single-range header "bytes=a-b", "bytes=a-" or
// "bytes=-n". ok is false when the header is not one range of bytes (then
// the whole file is sent); satisfiable is false when the range starts past
// the end.
func parseRange(header string, size int64) (start, end int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false, false
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" { // suffix: the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		return max(size-n, 0), size - 1, true, true
	}
	a, err := strconv.ParseInt(first, 10, 64)
	if err != nil || a < 0 {
		return 0, 0, false, false
	}
	b := size - 1
	if last != "" {
		if b, err = strconv.ParseInt(last, 10, 64); err != nil || b < a {
			return 0, 0, false, false
		}
	}
	if a >= size {
		return 0, 0, true, false
	}
	return a, min(b, size-1), true, true
}

// etagMatches reads an If-None-Match list ("*" or quoted tags, weak ones
// compared weakly).
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// ifRangeHolds applies If-Range: a range is served only when the file is
// still the one the client has part of; otherwise the whole file.
func ifRangeHolds(header string, m fileMeta) bool {
	if header == "" {
		return true
	}
	if strings.HasPrefix(header, `"`) {
		return header == m.ETag
	}
	t, err := time.Parse(http1123, header)
	return err == nil && !m.Modified.IsZero() && !m.Modified.Truncate(time.Second).After(t)
}

// contentDisposition names a download: an ASCII fallback for old
// clients and the exact name (any language) in RFC 5987 form.
func contentDisposition(name string) string {
	ascii := make([]rune, 0, len(name))
	for _, r := range name {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			r = '_'
		}
		ascii = append(ascii, r)
	}
	return `attachment; filename="` + string(ascii) + `"; filename*=UTF-8''` + rfc5987(name)
}

// rfc5987 percent-encodes everything but RFC 5987's attr-char.
func rfc5987(s string) string {
	const keep = "!#$&+-.^_`|~"
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
	}
	return b.String()
}
