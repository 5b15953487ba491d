package blob_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/blob"
)

// counter is a blob.Observer that counts operations.
type counter struct {
	mu     sync.Mutex
	ops    map[string]int
	failed map[string]int
}

func (c *counter) ObserveBlob(op string, _ time.Duration, failed, _ bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ops[op]++
	if failed {
		c.failed[op]++
	}
}

// The probe writes and deletes its own object, at most once per
// interval, and reports a store that refuses writes.
func TestWriteProbe(t *testing.T) {
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &counter{ops: map[string]int{}, failed: map[string]int{}}
	s := blob.Observed(d, c)
	ctx := context.Background()

	p := blob.NewWriteProbe(s, time.Hour)
	for range 3 {
		if err := p.Check(ctx); err != nil {
			t.Fatalf("probe of a writable store: %v", err)
		}
	}
	if c.ops["put"] != 1 || c.ops["delete"] != 1 {
		t.Errorf("3 checks within the interval wrote %d times and deleted %d, want once each", c.ops["put"], c.ops["delete"])
	}
	if left, err := s.List(ctx, strings.TrimSuffix(blob.ProbePrefix, "/")+"/"); err != nil || len(left) != 0 {
		t.Errorf("the probe left %v (%v)", left, err)
	}

	// The disk's temporary directory gone (replaced by a file): every
	// write fails, reads do not.
	if _, err := s.Put(ctx, "kept", strings.NewReader("x"), 1, ""); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.RemoveAll(tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p = blob.NewWriteProbe(s, 0)
	if err := p.Check(ctx); err == nil {
		t.Error("the probe of a store that refuses writes passed")
	}
	if _, err := s.Stat(ctx, "kept"); err != nil {
		t.Errorf("a read with writes refused: %v", err)
	}
	if c.failed["put"] != 1 || c.failed["stat"] != 0 {
		t.Errorf("failures counted: %v, want one put", c.failed)
	}
	if _, err := s.Stat(ctx, "missing"); err == nil || c.failed["stat"] != 0 {
		t.Errorf("a missing object counted as a failure: %v", c.failed)
	}
}
