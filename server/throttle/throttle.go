// Package throttle limits repeated failures (wrong passwords, wrong cohort
// codes) per key: an account, a client address. Counts live in the
// database, so a restart does not reset them and every instance sees them.
// Each count belongs to a fixed window (its key holds the window's
// number), so counting is one atomic increment with nothing to reset; the
// check weighs the previous window too (a sliding-window estimate), so
// failures just before and just after a window's end still add up.
package throttle

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"
)

// LimitedError says that a subject failed too often, and when it may try
// again.
type LimitedError struct{ RetryAt time.Time }

func (e *LimitedError) Error() string {
	return "throttle: too many failures, retry at " + e.RetryAt.Format(time.RFC3339)
}

// Rule allows Max failures per Window.
type Rule struct {
	Max    int
	Window time.Duration
}

// Store counts failures.
type Store interface {
	// Failures returns the counts of the given keys (absent keys count 0).
	Failures(ctx context.Context, keys []string) (map[string]int, error)
	// AddFailure increments the count of key, which may be deleted after expires.
	AddFailure(ctx context.Context, key string, expires time.Time) error
	DeleteFailures(ctx context.Context, key string) error
}

// Limiter applies one rule to keys of one kind ("login-account", "login-ip").
type Limiter struct {
	kind  string
	rule  Rule
	store Store
	now   func() time.Time
}

// New returns a limiter for keys of a kind.
func New(kind string, rule Rule, store Store) *Limiter {
	return &Limiter{kind: kind, rule: rule, store: store, now: time.Now}
}

// SetClock replaces the clock, for tests that cross window boundaries.
func (l *Limiter) SetClock(now func() time.Time) { l.now = now }

// window is the number of the current window, its start and its end.
func (l *Limiter) window() (n int64, start, end time.Time) {
	w := int64(l.rule.Window)
	n = l.now().UnixNano() / w
	return n, time.Unix(0, n*w), time.Unix(0, (n+1)*w)
}

func (l *Limiter) key(subject string, window int64) string {
	return l.kind + "|" + subject + "|" + strconv.FormatInt(window, 10)
}

// Check returns a *LimitedError when subject failed too often: the count
// of the current window plus the share of the previous window that the
// sliding window still covers reaches the rule's maximum.
func (l *Limiter) Check(ctx context.Context, subject string) error {
	n, start, end := l.window()
	cur, prev := l.key(subject, n), l.key(subject, n-1)
	counts, err := l.store.Failures(ctx, []string{cur, prev})
	if err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	elapsed := float64(l.now().Sub(start)) / float64(l.rule.Window)
	// Rounded up: when in doubt, the estimate counts one failure more.
	if math.Ceil(float64(counts[cur])+float64(counts[prev])*(1-elapsed)) >= float64(l.rule.Max) {
		return &LimitedError{RetryAt: end}
	}
	return nil
}

// Fail records a failure of subject. The count lives two windows: its own,
// and the next, where it still weighs.
func (l *Limiter) Fail(ctx context.Context, subject string) error {
	n, _, end := l.window()
	if err := l.store.AddFailure(ctx, l.key(subject, n), end.Add(l.rule.Window)); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}

// Reset forgets the failures of subject, after a success.
func (l *Limiter) Reset(ctx context.Context, subject string) error {
	n, _, _ := l.window()
	for _, w := range []int64{n, n - 1} {
		if err := l.store.DeleteFailures(ctx, l.key(subject, w)); err != nil {
			return fmt.Errorf("throttle: %w", err)
		}
	}
	return nil
}
