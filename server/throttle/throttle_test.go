package throttle_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/testenv"
	"github.com/kalan-platform/kalan/server/throttle"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

func TestLimitAcrossAWindowBoundary(t *testing.T) {
	ctx := context.Background()
	rule := throttle.Rule{Max: 5, Window: 15 * time.Minute}
	l := throttle.New("test", rule, mongo.Store(t))
	at := func(hour, min, sec int) time.Time { return time.Date(2027, 3, 1, hour, min, sec, 0, time.UTC) }
	// Four failures a minute before a window ends, one just after it.
	now := at(10, 14, 0)
	l.SetClock(func() time.Time { return now })
	for i := 0; i < 4; i++ {
		if _, err := l.Reserve(ctx, "awa"); err != nil {
			t.Fatalf("attempt %d refused: %v", i, err)
		}
	}
	now = at(10, 15, 30) // a new window
	if _, err := l.Reserve(ctx, "awa"); err != nil {
		t.Fatalf("the fifth attempt refused: %v", err)
	}
	var limited *throttle.LimitedError
	if _, err := l.Reserve(ctx, "awa"); !errors.As(err, &limited) {
		t.Fatalf("a sixth attempt in 90 seconds across a boundary: %v, want limited", err)
	}
	// Two attempts in this window, the refused one too: a third passes
	// once the previous window's four weigh two, half-way through.
	if want := at(10, 22, 31); !limited.RetryAt.Equal(want) {
		t.Errorf("retry at %v, want %v", limited.RetryAt, want)
	}
	if _, err := l.Reserve(ctx, "seydou"); err != nil {
		t.Errorf("another subject is limited: %v", err)
	}
	now = limited.RetryAt
	if _, err := l.Reserve(ctx, "awa"); err != nil {
		t.Errorf("at the time it was told: %v, want allowed again", err)
	}
	// Knocking on a closed door keeps it closed longer, and the time told
	// says how much longer.
	now = at(10, 23, 0)
	for range 11 {
		_, err := l.Reserve(ctx, "awa")
		if !errors.As(err, &limited) {
			t.Fatalf("knocking: %v, want limited", err)
		}
	}
	if limited.RetryAt.Before(at(10, 40, 0)) || limited.RetryAt.After(at(10, 41, 0)) {
		t.Errorf("after 14 attempts in a window, retry at %v, want about 10:40:43", limited.RetryAt)
	}
	now = limited.RetryAt
	if _, err := l.Reserve(ctx, "awa"); err != nil {
		t.Errorf("at the time it was told: %v, want allowed again", err)
	}
	// A success forgets everything.
	if err := l.Reset(ctx, "awa"); err != nil {
		t.Fatal(err)
	}
	for i := range rule.Max {
		if _, err := l.Reserve(ctx, "awa"); err != nil {
			t.Errorf("attempt %d after a reset: %v", i, err)
		}
	}
}

// An attempt given back is not a failure: a subject whose attempts all
// succeed is never limited.
func TestReleasedAttemptsDoNotCount(t *testing.T) {
	ctx := context.Background()
	l := throttle.New("test", throttle.Rule{Max: 3, Window: time.Hour}, mongo.Store(t))
	for i := range 10 {
		r, err := l.Reserve(ctx, "room")
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if err := r.Release(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		if _, err := l.Reserve(ctx, "room"); err != nil {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	var limited *throttle.LimitedError
	if _, err := l.Reserve(ctx, "room"); !errors.As(err, &limited) {
		t.Errorf("after 3 failures: %v, want limited", err)
	}
}

// Parallel attempts cannot all pass before any is counted: of 40 at once,
// exactly the rule's maximum is let through.
func TestParallelAttemptsStopAtTheLimit(t *testing.T) {
	ctx := context.Background()
	rule := throttle.Rule{Max: 5, Window: time.Hour}
	l := throttle.New("test", rule, mongo.Store(t))
	var allowed, limited atomic.Int32
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var le *throttle.LimitedError
			switch _, err := l.Reserve(ctx, "awa"); {
			case err == nil:
				allowed.Add(1)
			case errors.As(err, &le):
				limited.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != int32(rule.Max) || limited.Load() != 40-int32(rule.Max) {
		t.Errorf("%d allowed, %d limited; want %d allowed", allowed.Load(), limited.Load(), rule.Max)
	}
}
