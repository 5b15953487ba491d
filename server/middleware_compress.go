package server

import (
	"bytes"
	"hash/maphash"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

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
