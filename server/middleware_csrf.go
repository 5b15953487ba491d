package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
)

const (
	csrfCookie = "kalan_csrf"
	localCSRF  = "csrf" // c.Locals key: the token forms carry
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// csrf protects every state-changing request (docs/CONTRACT.md: the form field
// _csrf or the header X-CSRF-Token; never the query string, which ends up
// in logs, histories and Referer headers). A signed-in person's token is
// an HMAC of their session token, which pages cannot read: it changes with
// each session and is worth nothing in another one. Before signing in, the
// token is a random value held in a cookie that pages cannot read and
// repeated in each form: a page of another site can make the browser send
// the cookie, but cannot know the value to put in the form. The Origin
// header, when the browser sends one, must be this site's as well.
func (h *handlers) csrf(c *fiber.Ctx) error {
	var token string
	fresh := false
	if v := currentViewer(c); v != nil {
		token = sessionCSRF(v.token)
	} else {
		token = c.Cookies(csrfCookie)
		if fresh = len(token) != 43; fresh {
			token = h.newCSRF(c)
		}
	}
	c.Locals(localCSRF, token)
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if isStreamingUpload(c) {
		// The token is a field of a body read as it streams: the handler
		// checks it before storing any file (see eachUpload).
		if !h.sameOrigin(c) {
			return errCSRF
		}
		return c.Next()
	}
	sent := c.Get(csrfHeader)
	if sent == "" {
		sent = bodyField(c, csrfField)
	}
	if fresh || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 || !h.sameOrigin(c) {
		return errCSRF
	}
	return c.Next()
}

// newCSRF gives the browser a new token. Besides the first visit, it is
// called whenever who is signed in changes, so that a token planted before
// signing in is worth nothing after.
func (h *handlers) newCSRF(c *fiber.Ctx) string {
	token, _ := account.NewToken()
	c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: token, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies})
	return token
}

// sameOrigin accepts a request without Origin (older browsers) or with
// this site's origin, as the browser or the public URL names it.
func (h *handlers) sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return u.Host == string(c.Request().Host()) || u.Host == h.publicHost
}

// csrfToken is the token for the forms of this page.
func csrfToken(c *fiber.Ctx) string {
	t, _ := c.Locals(localCSRF).(string)
	return t
}

// sessionCSRF is the CSRF token of a session: an HMAC keyed by the
// session's secret token, the same on every instance, changing with it.
func sessionCSRF(sessionToken string) string {
	mac := hmac.New(sha256.New, []byte(sessionToken))
	mac.Write([]byte("kalan csrf"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// bodyField is a field of a form body (URL-encoded or multipart), never
// of the query string.
func bodyField(c *fiber.Ctx, name string) string {
	if v := c.Request().PostArgs().Peek(name); len(v) > 0 {
		return string(v)
	}
	if form, err := c.MultipartForm(); err == nil && len(form.Value[name]) > 0 {
		return form.Value[name][0]
	}
	return ""
}
