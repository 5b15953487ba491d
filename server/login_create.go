package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/throttle"
)

// loginCreate signs in. Wrong login and wrong password get one message;
// repeated failures get 429 with when to try again.
func (h *handlers) loginCreate(c *fiber.Ctx) error {
	m := loginPage{Login: c.FormValue("login"), Next: safeNext(c.FormValue("next")), Remember: c.FormValue("remember") == "on"}
	token, u, err := h.Auth.SignIn(c.UserContext(), m.Login, c.FormValue("password"), h.clientIP(c), m.Remember)
	var limited *throttle.LimitedError
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		m.Page = h.page(c)
		m.Problem, m.Wrong = m.T("login.wrong"), true
		return h.render(c, fiber.StatusUnauthorized, "login", m)
	case errors.As(err, &limited):
		m.Page = h.page(c)
		m.Problem = m.T("error.throttled.body", "Minutes", minutesUntil(limited.RetryAt))
		c.Set(fiber.HeaderRetryAfter, retryAfter(limited.RetryAt))
		return h.render(c, fiber.StatusTooManyRequests, "login", m)
	case err != nil:
		return err
	}
	// A shared phone: whoever was signed in before is signed out.
	if v := currentViewer(c); v != nil {
		_ = h.Auth.SignOut(c.UserContext(), v.token)
	}
	h.setSessionCookie(c, token, u.ID, m.Remember)
	if u.MustChangePassword {
		return seeOther(c, "/account#password")
	}
	return seeOther(c, m.Next)
}
