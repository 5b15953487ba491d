// Package throttle limits repeated attempts (passwords, cohort codes) per
// key: an account and client address together, a client address. Counts
// live in the database, so a restart does not reset them and every
// instance sees them.
//
// An attempt is counted before it is made: Reserve adds one to the count
// and gets the new count back in one atomic step, and refuses the attempt
// when that count is over the limit. Checking first and counting after a
// failure would let parallel attempts all pass the check before any of them
// is counted. An attempt that turns out not to be a failure is given back
// (Release), and a success may forget its subject's counts (Reset), so the
// counts are failures, refused attempts and attempts under way.
//
// Each count belongs to a fixed window (its key holds the window's
// number), so nothing needs resetting when a window ends; the limit weighs
// the previous window too (a sliding-window estimate), so failures just
// before and just after a window's end still add up.
package throttle

import (
	"context"
	"errors"
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

// Rule allows Max attempts per Window, counting failures, refused
// attempts and attempts under way.
type Rule struct {
	Max    int
	Window time.Duration
}

// Store keeps counts by key.
type Store interface {
	// AddAttempt adds one to the count of key in one atomic step, creating
	// it when needed (it may be deleted after expires), and returns the
	// new count: concurrent calls on one key get different counts.
	AddAttempt(ctx context.Context, key string, expires time.Time) (int, error)
	// RemoveAttempt takes one from the count of key, if it still exists.
	RemoveAttempt(ctx context.Context, key string) error
	// Attempts returns the count of key (0 when absent).
	Attempts(ctx context.Context, key string) (int, error)
	// DeleteAttempts forgets the count of key.
	DeleteAttempts(ctx context.Context, key string) error
}

// Limiter applies one rule to keys of one kind ("login-pair",
// "login-address").
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
func (l *Limiter) window(now time.Time) (n int64, start, end time.Time) {
	w := int64(l.rule.Window)
	n = now.UnixNano() / w
	return n, time.Unix(0, n*w), time.Unix(0, (n+1)*w)
}

func (l *Limiter) key(subject string, window int64) string {
	return l.kind + "|" + subject + "|" + strconv.FormatInt(window, 10)
}

// Reservation is one attempt counted by Reserve.
type Reservation struct {
	store Store
	key   string
}

// Release gives the attempt back: it was not a failure (a right code, a
// right password), or it was never made (another limit refused it, the
// check failed for want of the database). A nil reservation does nothing.
func (r *Reservation) Release(ctx context.Context) error {
	if r == nil {
		return nil
	}
	if err := r.store.RemoveAttempt(ctx, r.key); err != nil {
		return fmt.Errorf("throttle: %w", err)
	}
	return nil
}

// Reserve counts an attempt of subject before it is made. It returns a
// *LimitedError when the attempt goes over the rule: its rank in the
// current window plus the share of the previous window that the sliding
// window still covers is above the maximum. A refused attempt stays
// counted, so a source that keeps knocking on a closed door keeps it
// closed longer (RetryAt says until when); the attempt let through stays
// counted as a failure unless it is released.
//
// Refused attempts are not given back because a count that a success
// deletes (Reset) could then be lowered by attempts made before the
// deletion and refused after it, letting more through than the rule.
func (l *Limiter) Reserve(ctx context.Context, subject string) (*Reservation, error) {
	now := l.now()
	n, start, end := l.window(now)
	r := &Reservation{store: l.store, key: l.key(subject, n)}
	rank, err := l.store.AddAttempt(ctx, r.key, end.Add(l.rule.Window))
	if err != nil {
		return nil, fmt.Errorf("throttle: %w", err)
	}
	if rank > l.rule.Max {
		return nil, &LimitedError{RetryAt: l.retryAt(start, rank, 0)}
	}
	// The previous window is closed: a plain read is enough.
	prev, err := l.store.Attempts(ctx, l.key(subject, n-1))
	if err != nil {
		return nil, fmt.Errorf("throttle: %w", errors.Join(err, r.Release(ctx)))
	}
	elapsed := float64(now.Sub(start)) / float64(l.rule.Window)
	// Rounded up: when in doubt, the estimate counts one failure more.
	if math.Ceil(float64(rank)+float64(prev)*(1-elapsed)) > float64(l.rule.Max) {
		return nil, &LimitedError{RetryAt: l.retryAt(start, rank, prev)}
	}
	return r, nil
}

// retryAt is when the next attempt will be let through if none is made
// meanwhile: later in this window, as the previous window weighs less,
// when this window's count leaves room; otherwise in the next window, once
// this window's count (then the previous one) weighs no more than the
// maximum less one. A second is added against rounding.
func (l *Limiter) retryAt(start time.Time, rank, prev int) time.Time {
	max, w := float64(l.rule.Max), float64(l.rule.Window)
	if next := float64(rank + 1); next <= max && prev > 0 {
		if e := 1 - (max-next)/float64(prev); e < 1 {
			return start.Add(time.Duration(e*w) + time.Second).Truncate(time.Second)
		}
	}
	end := start.Add(l.rule.Window)
	e := 1 - (max-1)/float64(rank)
	if e <= 0 {
		return end
	}
	return end.Add(time.Duration(e*w) + time.Second).Truncate(time.Second)
}

// Reset forgets the counts of subject, after a success.
func (l *Limiter) Reset(ctx context.Context, subject string) error {
	n, _, _ := l.window(l.now())
	for _, w := range []int64{n, n - 1} {
		if err := l.store.DeleteAttempts(ctx, l.key(subject, w)); err != nil {
			return fmt.Errorf("throttle: %w", err)
		}
	}
	return nil
}
