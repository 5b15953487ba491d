// Package freshness keeps what an instance holds in memory (the catalog,
// the cohorts, the library) in step with the writes of other instances
// and of the command line. Every such write gives its kind a new stamp in
// the database (store.Stamps); Check reads the stamps, one document, and
// reloads each kind whose stamp is not the one it last loaded at. Serve
// checks every second.
package freshness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is one kind of data held in memory and how to reload it.
type Kind struct {
	Name   string
	Reload func(context.Context) error
}

// Watcher reloads the kinds whose stamp changed.
type Watcher struct {
	stamps func(context.Context) (map[string]string, error)
	kinds  []Kind
	now    func() time.Time

	mu       sync.Mutex // one check at a time
	loadedAt map[string]string
	started  atomic.Int64 // when the last successful check started, Unix ns
}

// New returns a watcher of kinds; no kind counts as loaded until the
// first Check reloads it.
func New(stamps func(context.Context) (map[string]string, error), kinds ...Kind) *Watcher {
	return &Watcher{stamps: stamps, kinds: kinds, now: time.Now, loadedAt: map[string]string{}}
}

// Check reads the stamps and reloads every kind whose stamp changed since
// it was last loaded (every kind, the first time). A kind whose reload
// fails is tried again at the next check.
func (w *Watcher) Check(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.check(ctx)
}

// Reload reloads every kind whatever the stamps say: the safety net for a
// change made to the database by hand.
func (w *Watcher) Reload(ctx context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	clear(w.loadedAt)
	return w.check(ctx)
}

func (w *Watcher) check(ctx context.Context) error {
	start := w.now()
	stamps, err := w.stamps(ctx)
	if err != nil {
		return fmt.Errorf("freshness: %w", err)
	}
	var errs []error
	for _, k := range w.kinds {
		stamp := stamps[k.Name]
		if loaded, ok := w.loadedAt[k.Name]; ok && loaded == stamp {
			continue
		}
		if err := k.Reload(ctx); err != nil {
			errs = append(errs, fmt.Errorf("freshness: reload %s: %w", k.Name, err))
			continue
		}
		w.loadedAt[k.Name] = stamp
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	w.started.Store(start.UnixNano())
	return nil
}

// FreshAt is when everything held in memory was last known to match the
// database (the start of the last successful check; zero before one):
// the metrics show how old it is, without waiting for a check under way.
func (w *Watcher) FreshAt() time.Time {
	if ns := w.started.Load(); ns != 0 {
		return time.Unix(0, ns)
	}
	return time.Time{}
}
