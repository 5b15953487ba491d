package store

import (
	"hash/maphash"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// docCache keeps documents read by _id, so that a signed-in page costs no
// database round trip for its session and account. Every write of a
// cached collection goes through the store, which forgets the document
// after writing it. A read that raced a write must not put back what it
// read before the write: each read notes the generation of the
// document's stripe before asking the database, and its result is kept
// only if no write of that stripe happened meanwhile.
//
// A nil *docCache keeps nothing.
type docCache struct {
	ttl time.Duration // 0: until forgotten (the process owns the database)
	max int
	now func() time.Time

	mu   sync.Mutex
	docs map[string]cachedDoc
	seed maphash.Seed
	gens [64]uint64
}

type cachedDoc struct {
	raw bson.Raw
	at  time.Time
}

func newDocCache(ttl time.Duration, max int, now func() time.Time) *docCache {
	return &docCache{ttl: ttl, max: max, now: now, docs: map[string]cachedDoc{}, seed: maphash.MakeSeed()}
}

func (c *docCache) stripe(id string) int {
	return int(maphash.String(c.seed, id) % uint64(len(c.gens)))
}

// get returns a cached document; callers decode it into their own value.
func (c *docCache) get(id string) (bson.Raw, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.docs[id]
	if !ok {
		return nil, false
	}
	if c.ttl > 0 && c.now().Sub(d.at) >= c.ttl {
		delete(c.docs, id)
		return nil, false
	}
	return d.raw, true
}

// gen is the generation to pass to put for a read starting now.
func (c *docCache) gen(id string) uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gens[c.stripe(id)]
}

// put keeps a document read from the database, unless a write of its
// stripe happened since gen was taken. When full, an arbitrary document
// makes room (Go's map order): the cache holds the active people.
func (c *docCache) put(id string, raw bson.Raw, gen uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gens[c.stripe(id)] != gen {
		return
	}
	if _, ok := c.docs[id]; !ok && len(c.docs) >= c.max {
		for k := range c.docs {
			delete(c.docs, k)
			break
		}
	}
	c.docs[id] = cachedDoc{raw: raw, at: c.now()}
}

// forget drops a document after a write (or a delete) of it.
func (c *docCache) forget(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gens[c.stripe(id)]++
	delete(c.docs, id)
}
