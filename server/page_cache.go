package server

import (
	"sync"

	"github.com/gofiber/fiber/v2"
)

// pageCache keeps the rendered HTML of public pages as a visitor who is
// not signed in sees them: executing a template costs more than
// everything else of a public lesson together. A page is kept only for a
// request without a signed-in person, a flash message or a query other
// than lang and saver, under a key that names everything its body
// depends on (see publicPageKey).
type pageCache struct {
	mu      sync.Mutex
	entries map[string][]byte
	order   []string // insertion order, for eviction
	// epoch, when set, says when kept pages are stale although their
	// course version is the same (a language marked reviewed changes the
	// notices of its pages: catalog.Catalog.Epoch); seen is its value
	// when the entries were kept.
	epoch func() uint64
	seen  uint64
}

const pageCacheEntries = 512

func newPageCache() *pageCache { return &pageCache{entries: map[string][]byte{}} }

// follow makes the cache forget its pages whenever epoch changes.
func (pc *pageCache) follow(epoch func() uint64) *pageCache {
	pc.epoch, pc.seen = epoch, epoch()
	return pc
}

// expire forgets every page when the epoch moved; pc.mu is held.
func (pc *pageCache) expire() {
	if pc.epoch == nil {
		return
	}
	if e := pc.epoch(); e != pc.seen {
		pc.entries, pc.order, pc.seen = map[string][]byte{}, nil, e
	}
}

func (pc *pageCache) get(key string) ([]byte, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.expire()
	b, ok := pc.entries[key]
	return b, ok
}

func (pc *pageCache) put(key string, body []byte) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.expire()
	if _, ok := pc.entries[key]; ok {
		return
	}
	if len(pc.order) >= pageCacheEntries {
		delete(pc.entries, pc.order[0])
		pc.order = pc.order[1:]
	}
	pc.entries[key] = body
	pc.order = append(pc.order, key)
}

// publicPageKey is the cache key of a public page for this request, or ""
// when the page must be rendered for it alone. version names the content
// (a course version: a new one is a new key).
func publicPageKey(c *fiber.Ctx, version string) string {
	if currentViewer(c) != nil || c.Cookies(flashCookie) != "" {
		return ""
	}
	if !plainQuery(c) {
		return ""
	}
	saver := "0"
	if saverOn(c) {
		saver = "1"
	}
	lang, _ := c.Locals(localLang).(string)
	return version + "|" + lang + "|" + saver + "|" + c.OriginalURL()
}

// plainQuery reports a query with no parameter but lang and saver: the
// pages kept are the ones every reader of a language asks for.
func plainQuery(c *fiber.Ctx) bool {
	plain := true
	c.Request().URI().QueryArgs().VisitAll(func(k, _ []byte) {
		if s := string(k); s != "lang" && s != "saver" {
			plain = false
		}
	})
	return plain
}

// sendCached answers with a kept page, with the headers render sets.
func (h *handlers) sendCached(c *fiber.Ctx, key string) bool {
	if key == "" {
		return false
	}
	body, ok := h.publicPages.get(key)
	if !ok {
		return false
	}
	c.Status(fiber.StatusOK)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
	c.Response().SetBody(body)
	return true
}

// keepRendered keeps the page just rendered under key, if it has one.
func (h *handlers) keepRendered(c *fiber.Ctx, key string) {
	if key != "" && c.Response().StatusCode() == fiber.StatusOK {
		h.publicPages.put(key, append([]byte(nil), c.Response().Body()...))
	}
}
