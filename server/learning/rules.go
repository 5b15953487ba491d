package learning

import (
	"errors"
	"time"

	"github.com/kalan-platform/kalan/courses"
)

// History is what the attempt rules need of one person's final-quiz
// attempts on one course version.
type History struct {
	// Submitted holds the submission times of the finished attempts, in any
	// order. An attempt started but not submitted is not here: the caller
	// resumes it instead of starting a new one.
	Submitted []time.Time
}

// ErrNoAttemptsLeft says that every allowed attempt has been used.
var ErrNoAttemptsLeft = errors.New("learning: no attempts left")

// WaitError says when the next attempt may start.
type WaitError struct{ Until time.Time }

// Error says until when to wait, for logs; pages show Until in the
// reader's language.
func (e *WaitError) Error() string {
	return "learning: next attempt from " + e.Until.Format(time.RFC3339)
}

// CanStart reports whether a new attempt may start at now: nil,
// ErrNoAttemptsLeft, or *WaitError when now is before the last submission
// plus WaitMinutes (exactly at that time it may start). The first
// AttemptsBeforeWait attempts never wait. The attempt limit
// is checked first: there is no point waiting for an attempt that will
// never come. A course without a quiz has no attempt to start.
func CanStart(q *courses.Quiz, h History, now time.Time) error {
	if AttemptsLeft(q, h) == 0 {
		return ErrNoAttemptsLeft
	}
	if q.WaitMinutes <= 0 || len(h.Submitted) == 0 || len(h.Submitted) < q.AttemptsBeforeWait {
		return nil
	}
	last := h.Submitted[0]
	for _, t := range h.Submitted[1:] {
		if t.After(last) {
			last = t
		}
	}
	if until := last.Add(time.Duration(q.WaitMinutes) * time.Minute); now.Before(until) {
		return &WaitError{Until: until}
	}
	return nil
}

// AttemptsLeft returns how many more attempts may start (-1 for unlimited,
// 0 for a course without a quiz). It ignores the waiting time.
func AttemptsLeft(q *courses.Quiz, h History) int {
	switch {
	case q == nil:
		return 0
	case q.MaxAttempts <= 0:
		return -1
	}
	return max(q.MaxAttempts-len(h.Submitted), 0)
}
