package server

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/outage"
	"github.com/kalan-platform/kalan/server/throttle"
)

// pageError is an answer to the reader: a status and the message ids of
// the page that explains it.
type pageError struct {
	status      int
	title, body string
	data        map[string]any // template data of body
}

func (e *pageError) Error() string { return e.title }

var (
	errBadRequest   = &pageError{status: fiber.StatusBadRequest, title: "error.bad_request.title", body: "error.bad_request.body"}
	errSignInNeeded = &pageError{status: fiber.StatusUnauthorized, title: "error.sign_in.title", body: "error.sign_in.body"}
	errForbidden    = &pageError{status: fiber.StatusForbidden, title: "error.forbidden.title", body: "error.forbidden.body"}
	errNotMember    = &pageError{status: fiber.StatusForbidden, title: "error.members_only.title", body: "error.members_only.body"}
	errBadAnswers   = &pageError{status: fiber.StatusBadRequest, title: "error.answers.title", body: "error.answers.body"}
	errReasonNeeded = &pageError{status: fiber.StatusBadRequest, title: "error.reason.title", body: "error.reason.body"}
	errCSRF         = &pageError{status: fiber.StatusForbidden, title: "error.csrf.title", body: "error.csrf.body"}
	errNotFound     = &pageError{status: fiber.StatusNotFound, title: "error.not_found.title", body: "error.not_found.body"}
	errTooLarge     = &pageError{status: fiber.StatusRequestEntityTooLarge, title: "error.too_large.title", body: "error.too_large.body"}
	errUploadCut    = &pageError{status: fiber.StatusBadRequest, title: "error.upload_cut.title", body: "error.upload_cut.body"}
	errUnavailable  = &pageError{status: fiber.StatusServiceUnavailable, title: "error.unavailable.title", body: "error.unavailable.body"}
	// errSignedInUnavailable: what needs the signed-in person while the
	// database is away (see degraded); public pages still work.
	errSignedInUnavailable = &pageError{status: fiber.StatusServiceUnavailable, title: "error.unavailable.title", body: "degradation.signed_in.body"}
	errServer              = &pageError{status: fiber.StatusInternalServerError, title: "error.server.title", body: "error.server.body"}
)

// errorPage is the model of pages/error.html.
type errorPage struct {
	Page
	Heading, Message string
	Reference        string // request id, shown on server errors so a report can be matched to the log
	SignIn           string // sign-in link, when signing in would help
}

// handleError is Fiber's central error handler: it maps an error to a
// status and a page in the reader's language, and logs what the reader
// must not see. err.Error() never reaches the browser.
func (h *handlers) handleError(c *fiber.Ctx, err error) error {
	pe := h.classify(c, err)
	p := h.page(c)
	model := errorPage{Page: p, Heading: p.T(pe.title), Message: p.loc.T(pe.body, pe.data)}
	if pe.status == fiber.StatusUnauthorized {
		model.SignIn = "/login?next=" + url.QueryEscape(safeNext(c.OriginalURL()))
	}
	if pe.status >= 500 {
		model.Reference, _ = c.Locals(localRequestID).(string)
	}
	if pe.status == fiber.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "60")
	}
	c.Response().ResetBody()
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Status(pe.status).JSON(apiError{Error: model.Message})
	}
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
	var limited *throttle.LimitedError
	id, _ := c.Locals(localRequestID).(string)
	switch {
	case errors.As(err, &pe):
		if pe.status == fiber.StatusServiceUnavailable {
			h.Log.Warn("dependency unavailable", "id", id, "route", c.Route().Path, "err", err)
		}
		return pe
	case errors.As(err, &limited):
		c.Set(fiber.HeaderRetryAfter, retryAfter(limited.RetryAt))
		return &pageError{status: fiber.StatusTooManyRequests, title: "error.throttled.title", body: "error.throttled.body",
			data: map[string]any{"Minutes": minutesUntil(limited.RetryAt)}}
	case errors.As(err, &fe):
		switch {
		case fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed:
			return errNotFound
		case fe.Code == fiber.StatusRequestEntityTooLarge:
			return errTooLarge
		case fe.Code < 500:
			return &pageError{status: fe.Code, title: errBadRequest.title, body: errBadRequest.body}
		}
	case errors.Is(err, outage.ErrDatabase), errors.Is(err, blob.ErrUnavailable):
		h.Log.Warn("dependency unavailable", "id", id, "route", c.Route().Path, "err", err)
		return errUnavailable
	}
	h.Log.Error("request failed", "id", id, "method", c.Method(), "route", c.Route().Path, "err", err)
	return errServer
}

// minutesUntil is a wait rounded up to whole minutes, at least one.
func minutesUntil(t time.Time) int {
	return max(int(math.Ceil(time.Until(t).Minutes())), 1)
}

// retryAfter is the Retry-After header for a wait until t.
func retryAfter(t time.Time) string {
	return strconv.Itoa(60 * minutesUntil(t))
}
