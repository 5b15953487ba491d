package server

import (
	"hash/crc32"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// pageETag gives a finished page a weak validator (its length and
// CRC-32) and answers 304 when the browser already has it. Unlike Fiber's
// etag middleware it never reads a streamed body (a download would be
// drained into memory) nor replaces a handler's own ETag.
func pageETag(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	resp := c.Response()
	if resp.StatusCode() != fiber.StatusOK || resp.IsBodyStream() || resp.Header.Peek(fiber.HeaderETag) != nil {
		return nil
	}
	body := resp.Body()
	if len(body) == 0 {
		return nil
	}
	tag := `"` + strconv.Itoa(len(body)) + "-" + strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10) + `"`
	c.Set(fiber.HeaderETag, "W/"+tag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), tag) {
		resp.ResetBody()
		return c.SendStatus(fiber.StatusNotModified)
	}
	return nil
}
