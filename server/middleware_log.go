package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"hash/maphash"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/kalan-platform/kalan/server/offline"
	"github.com/kalan-platform/kalan/server/outage"
)

const (
	localLang      = "lang"       // c.Locals key: the page language
	localRequestID = "request-id" // c.Locals key: short id that ties a log line to an error page
	langCookie     = "kalan_lang"
)

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

// limitBody refuses a body larger than its route allows (413), from the
// Content-Length, before anything reads it. A body without a length
// (chunked) is refused (411) outside the upload routes, which count what
// they read: forms and JSON from browsers always have a length.
func (h *handlers) limitBody(c *fiber.Ctx) error {
	n := c.Request().Header.ContentLength()
	if n == 0 || c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
		return c.Next()
	}
	limit := int64(maxBody)
	switch {
	case isStreamingUpload(c):
		limit = h.Library.MaxSize + 64<<10 // the file and its form fields
	case c.Path() == syncPath:
		limit = offline.MaxBytes
	}
	switch {
	case n == -1 && !isStreamingUpload(c):
		return c.SendStatus(fiber.StatusLengthRequired)
	case int64(n) > limit:
		return errTooLarge
	}
	return c.Next()
}

// securityHeaders applies to every response. Pages load nothing from
// elsewhere; lesson HTML is sanitised, and the CSP is the second line.
// X-Frame-Options says what frame-ancestors says, for browsers that read
// only the older header. Behind https, browsers are told to stay on https
// (a year, this host only: other hosts of the domain are not ours to say).
func (h *handlers) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	if h.SecureCookies {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}

// noStoreSignedIn: on a shared phone, nothing answered to a signed-in
// request may stay in the browser's cache or its back/forward cache (Back
// after signing out would show it without asking), so every response to
// one is no-store, unless it says it is public (static files, course
// media, the certificate key: the same for everybody).
func noStoreSignedIn(c *fiber.Ctx) {
	if currentViewer(c) == nil {
		return
	}
	if cc := string(c.Response().Header.Peek(fiber.HeaderCacheControl)); !strings.Contains(cc, "public") {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
}

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

// compress compresses text responses after they are complete, with brotli
// or gzip. Unlike a streaming compressor it never touches streamed bodies
// (media, downloads), which keep their Content-Length and byte ranges.
func (h *handlers) compress(c *fiber.Ctx) error {
	if err := c.Next(); err != nil {
		return err
	}
	h.compressResponse(c)
	return nil
}

// compressResponse is also called by the error handler, whose pages are
// written after the middleware chain has returned.
func (h *handlers) compressResponse(c *fiber.Ctx) {
	resp := c.Response()
	if !compressible(resp.Header.ContentType()) {
		return
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	body := resp.Body()
	if resp.IsBodyStream() || len(body) < 256 || len(resp.Header.Peek(fiber.HeaderContentEncoding)) > 0 {
		return
	}
	accept := c.Get(fiber.HeaderAcceptEncoding)
	switch {
	case acceptsEncoding(accept, "br"):
		resp.SetBodyRaw(h.compressed.get(body, "br"))
		resp.Header.Set(fiber.HeaderContentEncoding, "br")
	case acceptsEncoding(accept, "gzip"):
		resp.SetBodyRaw(h.compressed.get(body, "gzip"))
		resp.Header.Set(fiber.HeaderContentEncoding, "gzip")
	}
}

// compressCache remembers the compressed form of recent bodies, keyed by a
// 64-bit hash of their content: most pages are the same for every reader
// of a language (a public lesson), and brotli costs far more than hashing.
type compressCache struct {
	seed    maphash.Seed
	mu      sync.Mutex
	entries map[compressKey][]byte
	order   []compressKey // insertion order, for eviction
}

type compressKey struct {
	hash     uint64
	size     int
	encoding string
}

const compressCacheEntries = 2048

func newCompressCache() *compressCache {
	return &compressCache{seed: maphash.MakeSeed(), entries: map[compressKey][]byte{}}
}

func (cc *compressCache) get(body []byte, encoding string) []byte {
	key := compressKey{maphash.Bytes(cc.seed, body), len(body), encoding}
	cc.mu.Lock()
	out, ok := cc.entries[key]
	cc.mu.Unlock()
	if ok {
		return out
	}
	if encoding == "br" {
		out = fasthttp.AppendBrotliBytesLevel(nil, body, fasthttp.CompressBrotliDefaultCompression)
	} else {
		out = fasthttp.AppendGzipBytesLevel(nil, body, fasthttp.CompressDefaultCompression)
	}
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if _, ok := cc.entries[key]; !ok {
		if len(cc.order) >= compressCacheEntries {
			delete(cc.entries, cc.order[0])
			cc.order = cc.order[1:]
		}
		cc.entries[key] = out
		cc.order = append(cc.order, key)
	}
	return out
}

func compressible(ctype []byte) bool {
	for _, p := range []string{"text/", "image/svg+xml", "application/json", "application/javascript", "application/manifest+json"} {
		if bytes.HasPrefix(ctype, []byte(p)) {
			return true
		}
	}
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header allows coding
// (present and not with q=0).
func acceptsEncoding(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
		return true
	}
	return false
}

// language resolves the page language (docs/CONTRACT.md: ?lang=, remembered in
// the kalan_lang cookie, then the signed-in user's preference, then
// Accept-Language, then French) and remembers an explicit choice in the
// cookie. An unknown code is ignored, never an error.
func (h *handlers) language(c *fiber.Ctx) error {
	query := c.Query("lang")
	if query != "" && h.Locales.Supported(query) {
		c.Cookie(&fiber.Cookie{
			Name: langCookie, Value: query, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: fiber.CookieSameSiteLaxMode, Secure: h.SecureCookies, HTTPOnly: true,
		})
	}
	preferred := ""
	if v := currentViewer(c); v != nil {
		preferred = v.Lang
	}
	lang := h.Locales.Negotiate(c.Get(fiber.HeaderAcceptLanguage), query, c.Cookies(langCookie), preferred)
	c.Locals(localLang, lang)
	return c.Next()
}
