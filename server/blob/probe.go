package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// ProbePrefix holds the objects of write probes. Each lives for the time
// of one Put and one Delete; a listing of the whole store (a backup) may
// meet one and should skip this prefix.
const ProbePrefix = "health/"

// WriteProbe checks that a store accepts writes, by putting and deleting
// a tiny object of its own. Ping only proves that the storage answers:
// MinIO erasure-coded over 4 drives with 2 gone still reads (read
// quorum) but refuses every write (write quorum). A probe runs at most
// once per interval; callers in between get the last result.
type WriteProbe struct {
	store Store
	key   string // one per process: instances sharing a bucket never delete each other's object
	every time.Duration

	mu   sync.Mutex // held during a probe: concurrent callers wait for its result
	last time.Time
	err  error
}

// NewWriteProbe returns a probe of s that writes at most once per every.
func NewWriteProbe(s Store, every time.Duration) *WriteProbe {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &WriteProbe{store: s, key: ProbePrefix + "probe-" + hex.EncodeToString(b[:]), every: every}
}

// Check returns the result of the latest probe, probing first when the
// latest is older than the interval.
func (p *WriteProbe) Check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.last.IsZero() && time.Since(p.last) < p.every {
		return p.err
	}
	p.err = p.probe(ctx)
	p.last = time.Now()
	return p.err
}

func (p *WriteProbe) probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	body := []byte("kalan write probe\n")
	if _, err := p.store.Put(ctx, p.key, bytes.NewReader(body), int64(len(body)), "text/plain"); err != nil {
		return fmt.Errorf("blob: write probe: %w", err)
	}
	if err := p.store.Delete(ctx, p.key); err != nil {
		return fmt.Errorf("blob: write probe: %w", err)
	}
	return nil
}
