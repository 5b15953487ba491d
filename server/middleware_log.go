package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// localRequestID is the c.Locals key of the short id that ties a log line
// to an error page.
const localRequestID = "request-id"

// observe logs one line per request, without personal data: the route
// pattern rather than the path (a path can hold a reset token), no query
// string, no address, no user agent. It also feeds the metrics.
func (h *handlers) observe(c *fiber.Ctx) error {
	start := time.Now()
	id := requestID()
	c.Locals(localRequestID, id)
	req := &Request{ID: id}
	c.SetUserContext(context.WithValue(c.UserContext(), requestKey{}, req))
	err := c.Next()
	route := c.Route().Path
	if unmatched(err) {
		route = "unmatched" // one label for every unknown path
	}
	req.route.Store(c.Method() + " " + route)
	if err != nil {
		// Let the error handler write the response now, so that the status
		// logged is the one sent.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	elapsed := time.Since(start)
	h.metrics.observe(c.Method(), route, status, elapsed)
	if status >= 500 || elapsed >= slowRequest || h.LogSample.take(&h.logged) {
		h.Log.Info("request", "id", id, "method", c.Method(), "route", route, "status", status,
			"ms", float64(elapsed.Microseconds())/1000, "bytes", responseSize(c.Response()))
	}
	return nil
}

// slowRequest is how long a request must take to be logged whatever the
// sample.
const slowRequest = time.Second

// RequestSample is how many ordinary requests give one line of the
// request log: on a small disk, one in 100 keeps the log readable and
// small while /metrics counts every request. Server errors (5xx) and
// slow requests are always logged; so is what the error handler logs.
type RequestSample int

// LogSample is the sample of KALAN_LOG_SAMPLE: n = 1 every request, n > 1
// one in n, 0 none.
func LogSample(n int) RequestSample {
	if n == 0 {
		return -1
	}
	return RequestSample(n)
}

// take reports whether the next ordinary request is logged; count is the
// handlers' counter of requests.
func (s RequestSample) take(count *atomic.Uint64) bool {
	switch {
	case s == 0 || s == 1:
		return true
	case s < 0:
		return false
	}
	return count.Add(1)%uint64(s) == 1%uint64(s)
}

// Request is a request being served, carried by its context
// (c.UserContext()): what the handlers cause below them, such as database
// commands, can be tied to the route that served it.
type Request struct {
	ID    string // the id of its log line
	route atomic.Value
}

type requestKey struct{}

// RequestOf returns the request a context was made for, or nil.
func RequestOf(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// Route is the method and route pattern that served the request
// ("GET /courses/:slug"), once it is answered; "" before.
func (r *Request) Route() string {
	s, _ := r.route.Load().(string)
	return s
}

// responseSize is the length of a response body without reading it:
// Body() would drain a streamed download into memory. A streamed body of
// unknown length counts as -1.
func responseSize(resp *fiber.Response) int {
	if resp.IsBodyStream() {
		return resp.Header.ContentLength()
	}
	return len(resp.Body())
}

// unmatched reports Fiber's own "no route" error.
func unmatched(err error) bool {
	var fe *fiber.Error
	return errors.As(err, &fe) && fe.Code == fiber.StatusNotFound && strings.HasPrefix(fe.Message, "Cannot ")
}

func requestID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
