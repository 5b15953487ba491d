package store_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Concurrent attempts on one key each get their own count, 1 to N, as the
// embedded default runs (the process owns the database): checking and
// counting a sign-in attempt are one step only if this holds.
func TestAddAttemptCountsEachOnce(t *testing.T) {
	s := mongo.Store(t)
	ctx := context.Background()
	const n = 40
	expires := time.Now().Add(time.Hour)
	counts := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.AddAttempt(ctx, "login-pair|10.0.0.1|awa@kalan.test|1", expires)
			if err != nil {
				t.Error(err)
				return
			}
			counts <- c
		}()
	}
	wg.Wait()
	close(counts)
	seen := map[int]bool{}
	for c := range counts {
		if seen[c] || c < 1 || c > n {
			t.Errorf("count %d given twice or out of 1..%d", c, n)
		}
		seen[c] = true
	}
	if len(seen) != n {
		t.Errorf("%d different counts, want %d", len(seen), n)
	}
	if got, err := s.Attempts(ctx, "login-pair|10.0.0.1|awa@kalan.test|1"); err != nil || got != n {
		t.Errorf("stored count %d (%v), want %d", got, err, n)
	}
}

// A count goes down when an attempt is given back, is gone once deleted,
// and is swept once expired.
func TestAttemptsReleaseDeleteAndSweep(t *testing.T) {
	s := mongo.Store(t)
	ctx := context.Background()
	now := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, key := range []string{"a", "a", "b"} {
		if _, err := s.AddAttempt(ctx, key, now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddAttempt(ctx, "late", now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAttempt(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAttempt(ctx, "missing"); err != nil {
		t.Errorf("giving back an attempt of a missing count: %v", err)
	}
	if err := s.DeleteAttempts(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{"a": 1, "b": 0, "missing": 0, "late": 1} {
		if got, err := s.Attempts(ctx, key); err != nil || got != want {
			t.Errorf("count of %q = %d (%v), want %d", key, got, err, want)
		}
	}
	if n, err := s.Sweep(ctx, now.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("sweep deleted %d (%v), want the one expired count", n, err)
	}
	if got, _ := s.Attempts(ctx, "a"); got != 0 {
		t.Errorf("an expired count survived the sweep: %d", got)
	}
	if got, _ := s.Attempts(ctx, "late"); got != 1 {
		t.Errorf("the sweep took a count not yet expired: %d", got)
	}
}
