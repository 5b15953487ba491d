package server

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/outage"
	"github.com/kalan-platform/kalan/server/session"
)

const (
	sessionCookie = "kalan_session"
	// whoCookie names the signed-in person (their account id, no secret)
	// for the service worker, which cannot read the session cookie: it
	// serves pages kept for a person only while this cookie names them,
	// and it lives exactly as long as the session cookie (a closed
	// browser drops both).
	whoCookie   = "kalan_who"
	localViewer = "viewer" // c.Locals key: *viewer of a signed-in request
)

// viewer is who makes a signed-in request.
type viewer struct {
	*account.User
	session session.Session
	token   string
}

// Accounts is what pages read of the accounts.
type Accounts interface {
	UserByID(ctx context.Context, id string) (*account.User, error)
	UserByLogin(ctx context.Context, login string) (*account.User, error)
	UsersByIDs(ctx context.Context, ids []string) ([]*account.User, error)
	UsersInCohort(ctx context.Context, cohortID string) ([]*account.User, error)
	Users(ctx context.Context, q account.UserQuery) ([]*account.User, error)
}

// user is the viewer's account; nil for a visitor (a nil viewer).
func (v *viewer) user() *account.User {
	if v == nil {
		return nil
	}
	return v.User
}

// currentViewer returns the signed-in viewer, or nil.
func currentViewer(c *fiber.Ctx) *viewer {
	v, _ := c.Locals(localViewer).(*viewer)
	return v
}

// identity finds who is signed in from the session cookie. A cookie that
// leads nowhere (tampered, expired, signed out elsewhere) is cleared: the
// reader is simply signed out. While the database is away the request is
// served as a visitor's (see degraded), without waiting for it when it is
// known to be away, and within identityBudget when it goes away meanwhile.
func (h *handlers) identity(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	if h.DatabaseUp != nil && !h.DatabaseUp() {
		return h.degraded(c)
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), identityBudget)
	defer cancel()
	s, err := h.Auth.Sessions().Lookup(ctx, token)
	if errors.Is(err, session.ErrNoSession) {
		h.clearSessionCookie(c)
		return c.Next()
	}
	if errors.Is(err, outage.ErrDatabase) {
		return h.degraded(c)
	}
	if err != nil {
		return err
	}
	u, err := h.Accounts.UserByID(ctx, s.UserID)
	if errors.Is(err, account.ErrNotFound) || (err == nil && u.Deleted()) {
		_ = h.Auth.SignOut(ctx, token)
		h.clearSessionCookie(c)
		return c.Next()
	}
	if errors.Is(err, outage.ErrDatabase) {
		return h.degraded(c)
	}
	if err != nil {
		return err
	}
	c.Locals(localViewer, &viewer{User: u, session: s, token: token})
	if c.Cookies(whoCookie) != u.ID { // a session begun before the cookie existed
		h.setWhoCookie(c, u.ID, 0)
	}
	err = c.Next()
	noStoreSignedIn(c)
	return err
}

// setSessionCookie hands a new session to the browser. Without "remember
// me" it is a browser-session cookie, gone when the browser closes.
func (h *handlers) setSessionCookie(c *fiber.Ctx, token, userID string, remember bool) {
	ck := &fiber.Cookie{Name: sessionCookie, Value: token, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies}
	if remember {
		ck.MaxAge = int(h.Auth.Sessions().Policy().RememberAbsolute / time.Second)
	}
	c.Cookie(ck)
	h.setWhoCookie(c, userID, ck.MaxAge)
	h.newCSRF(c)
}

func (h *handlers) setWhoCookie(c *fiber.Ctx, userID string, maxAge int) {
	c.Cookie(&fiber.Cookie{Name: whoCookie, Value: userID, Path: "/", MaxAge: maxAge,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies})
}

func (h *handlers) clearSessionCookie(c *fiber.Ctx) {
	for _, name := range []string{sessionCookie, whoCookie} {
		c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: name == sessionCookie, MaxAge: -1,
			Expires: time.Unix(1, 0), SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies})
	}
	h.newCSRF(c)
}

// requireUser lets signed-in requests through. Others are sent to the
// sign-in page (GET) or answered 401 (anything else).
func (h *handlers) requireUser(c *fiber.Ctx) error {
	v := currentViewer(c)
	if v == nil {
		if (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) && !strings.HasPrefix(c.Path(), "/api/") {
			return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
		}
		return errSignInNeeded
	}
	// A one-time password must be replaced before anything else.
	if v.MustChangePassword && c.Path() != "/account" && c.Path() != "/account/password" && c.Path() != "/logout" {
		return c.Redirect("/account#password", fiber.StatusSeeOther)
	}
	return c.Next()
}

// requireRole lets through signed-in users with one of the roles; the
// others get 403. It runs after requireUser.
func requireRole(roles ...account.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := currentViewer(c)
		for _, r := range roles {
			if v != nil && v.Role == r {
				return c.Next()
			}
		}
		return errForbidden
	}
}

// managedCohort loads the cohort of the URL and checks, in one place for
// every trainer page of a cohort, that the viewer runs it (or is admin).
func (h *handlers) managedCohort(c *fiber.Ctx) (*cohort.Cohort, error) {
	id := c.Params("id")
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, errNotFound
	}
	co, err := h.Cohorts.Get(c.UserContext(), id)
	if errors.Is(err, cohort.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	v := currentViewer(c)
	if v == nil || !cohort.CanManage(v.ID, v.Role, co) {
		return nil, errForbidden
	}
	return co, nil
}

// safeNext keeps a ?next= target on this site: a path, never "//host", a
// scheme or a backslash (which browsers read as a slash). Browsers drop
// tabs and newlines from URLs ("/\t/evil.example" goes to
// //evil.example), so they are removed before the target is judged.
func safeNext(next string) string {
	next = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, next)
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r == '\\' || r < 0x20 || r == 0x7f
	}) {
		return "/"
	}
	return next
}
