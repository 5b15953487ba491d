package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"kalan/server/blob"
	"kalan/server/store"
)

// pageError is an answer to the reader: a status and the message ids of
// the page that explains it.
type pageError struct {
	status      int
	title, body string
}

func (e *pageError) Error() string { return e.title }

var (
	errBadRequest  = &pageError{fiber.StatusBadRequest, "error.bad_request.title", "error.bad_request.body"}
	errMembersOnly = &pageError{fiber.StatusUnauthorized, "error.members_only.title", "error.members_only.body"}
	errNotFound    = &pageError{fiber.StatusNotFound, "error.not_found.title", "error.not_found.body"}
	errTooLarge    = &pageError{fiber.StatusRequestEntityTooLarge, "error.too_large.title", "error.too_large.body"}
	errUnavailable = &pageError{fiber.StatusServiceUnavailable, "error.unavailable.title", "error.unavailable.body"}
	errServer      = &pageError{fiber.StatusInternalServerError, "error.server.title", "error.server.body"}
)

// errorPage is the model of pages/error.html.
type errorPage struct {
	Page
	Heading, Message string
	Reference        string // request id, shown on server errors so a report can be matched to the log
}

// handleError is Fiber's central error handler: it maps an error to a
// status and a page in the reader's language, and logs what the reader
// must not see. err.Error() never reaches the browser.
func (h *handlers) handleError(c *fiber.Ctx, err error) error {
	pe := h.classify(c, err)
	p := h.page(c)
	model := errorPage{Page: p, Heading: p.T(pe.title), Message: p.T(pe.body)}
	if pe.status >= 500 {
		model.Reference, _ = c.Locals(localRequestID).(string)
	}
	if pe.status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "60")
	}
	c.Response().ResetBody()
	if rerr := h.render(c, pe.status, "error", model); rerr != nil {
		h.Log.Error("render error page", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(pe.status).SendString(model.Heading)
	}
	h.compressResponse(c)
	return nil
}

func (h *handlers) classify(c *fiber.Ctx, err error) *pageError {
	var pe *pageError
	var fe *fiber.Error
	id, _ := c.Locals(localRequestID).(string)
	switch {
	case errors.As(err, &pe):
		return pe
	case errors.As(err, &fe):
		switch {
		case fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed:
			return errNotFound
		case fe.Code == fiber.StatusRequestEntityTooLarge:
			return errTooLarge
		case fe.Code < 500:
			return &pageError{fe.Code, errBadRequest.title, errBadRequest.body}
		}
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, blob.ErrUnavailable):
		h.Log.Warn("dependency unavailable", "id", id, "path", c.Path(), "err", err)
		return errUnavailable
	}
	h.Log.Error("request failed", "id", id, "method", c.Method(), "path", c.Path(), "err", err)
	return errServer
}
