package store_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/session"
	"github.com/kalan-platform/kalan/server/store"
)

// slowTouches counts the last-seen writes of sessions and makes each take
// a while, as the database's one writer does under load.
type slowTouches struct {
	*store.Store
	touches atomic.Int32
}

func (s *slowTouches) TouchSession(ctx context.Context, id string, lastSeen, expiresAt time.Time) error {
	s.touches.Add(1)
	time.Sleep(50 * time.Millisecond)
	return s.Store.TouchSession(ctx, id, lastSeen, expiresAt)
}

// Fifty requests of one session arrive when its last-seen is due: it is
// written once, not fifty times in a queue behind the database's writer.
func TestBusySessionIsTouchedOnce(t *testing.T) {
	ctx := context.Background()
	st := &slowTouches{Store: mongo.Store(t)}
	token, hash := account.NewToken()
	now := time.Now().UTC()
	if err := st.CreateSession(ctx, session.Session{ID: hash, UserID: "u1", CreatedAt: now.Add(-2 * time.Minute),
		LastSeen: now.Add(-2 * time.Minute), ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	m := session.NewManager(st, session.DefaultPolicy(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, err := m.Lookup(ctx, token); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := st.touches.Load(); n != 1 {
		t.Errorf("last-seen written %d times, want once", n)
	}
}
