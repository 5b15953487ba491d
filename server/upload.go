package server

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/library"
)

// multipartStream reads a multipart form part by part as it arrives: the
// file goes to object storage without ever being held in memory.
func (h *handlers) multipartStream(c *fiber.Ctx) (*multipart.Reader, error) {
	_, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || params["boundary"] == "" {
		return nil, errBadRequest
	}
	s := c.Context().RequestBodyStream()
	if s == nil { // the body was read before the handler ran
		return multipart.NewReader(bytes.NewReader(c.Body()), params["boundary"]), nil
	}
	return multipart.NewReader(&stallReader{r: s, conn: c.Context().Conn(), idle: h.ReadTimeout}, params["boundary"]), nil
}

// stallReader moves the connection's read deadline forward before each
// read: the server's read timeout then cuts an upload that stalls, not
// one that is merely long. A body that stops short (a stall, a dropped
// connection) is the client's failure, not the storage's: errUploadCut.
type stallReader struct {
	r    io.Reader
	conn net.Conn
	idle time.Duration
}

func (s *stallReader) Read(p []byte) (int, error) {
	if err := s.conn.SetReadDeadline(time.Now().Add(s.idle)); err != nil {
		return 0, fmt.Errorf("%w: %w", errUploadCut, err)
	}
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %w", errUploadCut, err)
	}
	return n, err
}

// maxField bounds one text field of a streamed form.
const maxField = 16 << 10

// eachUpload walks a streamed multipart form: text fields are gathered
// (the CSRF token must come before any file, and is checked here: the
// middleware cannot read a streamed body), then fn is called for each file.
func (h *handlers) eachUpload(c *fiber.Ctx, fn func(fields url.Values, u *library.Upload) error) (url.Values, int, error) {
	mr, err := h.multipartStream(c)
	if err != nil {
		return nil, 0, err
	}
	fields := url.Values{}
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return fields, files, nil
		}
		if errors.Is(err, errUploadCut) {
			return fields, files, err
		}
		if err != nil {
			return fields, files, errBadRequest
		}
		if part.FileName() == "" {
			value, err := io.ReadAll(io.LimitReader(part, maxField+1))
			if errors.Is(err, errUploadCut) {
				return fields, files, err
			}
			if err != nil || len(value) > maxField || len(fields) > 100 {
				return fields, files, errBadRequest
			}
			fields.Add(part.FormName(), string(value))
			continue
		}
		if subtle.ConstantTimeCompare([]byte(fields.Get(csrfField)), []byte(csrfToken(c))) != 1 {
			return fields, files, errCSRF
		}
		files++
		if err := fn(fields, &library.Upload{Name: part.FileName(), Body: part}); err != nil {
			return fields, files, err
		}
	}
}

// errFormShown stops a streamed upload after its form was shown again.
var errFormShown = errors.New("form shown again")

// uploadError is the answer to a streamed upload that stopped: nothing
// more when its form was shown again.
func uploadError(err error) error {
	switch {
	case errors.Is(err, errFormShown):
		return nil
	case errors.Is(err, library.ErrTooLarge):
		return errTooLarge
	}
	return err
}

// isStreamingUpload names the routes whose multipart body is read as it
// arrives (library files, lesson recordings): the CSRF token is checked by
// the handler, and the body may be as large as the library allows (a
// recording: see isRecordingUpload).
func isStreamingUpload(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost {
		return false
	}
	p := c.Path()
	return p == "/admin/library" || (strings.HasPrefix(p, "/admin/library/") && strings.HasSuffix(p, "/file")) || isRecordingUpload(c)
}

// isRecordingUpload names the route of a lesson's draft recording
// (POST /admin/courses/{slug}/lessons/{lesson}/audio), whose body may
// weigh the lesson limit and its form fields.
func isRecordingUpload(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost {
		return false
	}
	rest, ok := strings.CutPrefix(c.Path(), "/admin/courses/")
	parts := strings.Split(rest, "/")
	return ok && len(parts) == 4 && parts[1] == "lessons" && parts[3] == "audio"
}
