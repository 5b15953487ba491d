// Package throttle limits repeated failures (wrong passwords, wrong cohort
// codes) per key: an account, a client address. Counts live in the
// database, so a restart does not reset them and every instance sees them.
// Windows are fixed (the key of a count includes its window), so counting
// is one atomic increment, with nothing to reset.
package throttle

import (
	"context"
	"fmt"
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

// window is the current window's number and end.
func (l *Limiter) window() (string, time.Time) {
	n := l.now().UnixNano() / int64(l.rule.Window)
	return strconv.FormatInt(n, 10), time.Unix(0, (n+1)*int64(l.rule.Window))
}

func (l *Limiter) key(subject, window string) string {
	return l.kind + "|" + subject + "|" + window
}

// Check returns a *LimitedError when subject failed too often in the
// current window.
func (l *Limiter) Check(ctx context.Context, subject string) error {
	w, end := l.window()
	k := l.key(subject, w)
	counts, err := l.store.Failures(ctx, []string{k})
	if err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	if counts[k] >= l.rule.Max {
		return &LimitedError{RetryAt: end}
	}
	return nil
}

// Fail records a failure of subject.
func (l *Limiter) Fail(ctx context.Context, subject string) error {
	w, end := l.window()
	if err := l.store.AddFailure(ctx, l.key(subject, w), end); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}

// Reset forgets the failures of subject in the current window, after a
// success.
func (l *Limiter) Reset(ctx context.Context, subject string) error {
	w, _ := l.window()
	if err := l.store.DeleteFailures(ctx, l.key(subject, w)); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}
