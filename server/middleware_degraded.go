package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/outage"
)

// identityBudget bounds the reading of a session and its account: with
// the database going away, a request must not wait a server selection
// timeout for each, then another for its page.
const identityBudget = outage.DatabaseWait

// degraded serves a request that carries a session while the database
// cannot say whose it is: as a visitor's. Public lessons and media, read
// from memory, keep working; nothing of any person is shown, and nothing
// is kept by the browser (no-store). What needs the person answers 503 at
// once with the "temporarily unavailable" page: a change (any POST), a
// page that asks to sign in (which would be a lie: the reader is signed
// in), the API. The session cookie is left alone: the reader is signed in
// again as soon as the database answers.
func (h *handlers) degraded(c *fiber.Ctx) error {
	c.Locals(localDegraded, true)
	c.Set(fiber.HeaderCacheControl, "no-store")
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead:
	default:
		return errSignedInUnavailable
	}
	err := c.Next()
	if errors.Is(err, errSignInNeeded) || err == nil && isSignInRedirect(c) {
		c.Response().Header.Del(fiber.HeaderLocation)
		err = errSignedInUnavailable
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return err
}

// localDegraded is the c.Locals key set on requests served by degraded.
const localDegraded = "degraded"

// isSignInRedirect reports a response that sends the reader to sign in.
func isSignInRedirect(c *fiber.Ctx) bool {
	status := c.Response().StatusCode()
	return status >= 300 && status < 400 && strings.HasPrefix(string(c.Response().Header.Peek(fiber.HeaderLocation)), "/login")
}
