package learning_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

func TestCanStart(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	at := func(d ...time.Duration) learning.History {
		var h learning.History
		for _, x := range d {
			h.Submitted = append(h.Submitted, t0.Add(x))
		}
		return h
	}
	tests := []struct {
		name      string
		q         *courses.Quiz
		h         learning.History
		now       time.Time
		wantErr   error
		wantUntil time.Time // set when a *WaitError is expected
		left      int
	}{
		{name: "unlimited, first attempt", q: &courses.Quiz{}, now: t0, left: -1},
		{name: "unlimited, many attempts", q: &courses.Quiz{}, h: at(0, time.Minute, 2*time.Minute, 3*time.Minute), now: t0.Add(3 * time.Minute), left: -1},
		{name: "limited, attempts left", q: &courses.Quiz{MaxAttempts: 3}, h: at(0, time.Hour), now: t0.Add(time.Hour), left: 1},
		{name: "max reached", q: &courses.Quiz{MaxAttempts: 3}, h: at(0, time.Hour, 2*time.Hour), now: t0.Add(48 * time.Hour), wantErr: learning.ErrNoAttemptsLeft, left: 0},
		{name: "over the max (limit lowered)", q: &courses.Quiz{MaxAttempts: 1}, h: at(0, time.Hour), now: t0.Add(48 * time.Hour), wantErr: learning.ErrNoAttemptsLeft, left: 0},
		{name: "waiting", q: &courses.Quiz{WaitMinutes: 60}, h: at(0), now: t0.Add(59 * time.Minute), wantUntil: t0.Add(time.Hour), left: -1},
		{name: "one nanosecond early", q: &courses.Quiz{MaxAttempts: 3, WaitMinutes: 60}, h: at(0), now: t0.Add(time.Hour - 1), wantUntil: t0.Add(time.Hour), left: 2},
		{name: "wait over exactly at the boundary", q: &courses.Quiz{MaxAttempts: 3, WaitMinutes: 60}, h: at(0), now: t0.Add(time.Hour), left: 2},
		{name: "wait counts from the latest submission", q: &courses.Quiz{WaitMinutes: 60}, h: at(0, -2*time.Hour, -time.Hour), now: t0.Add(30 * time.Minute), wantUntil: t0.Add(time.Hour), left: -1},
		{name: "no wait for the first attempt", q: &courses.Quiz{MaxAttempts: 2, WaitMinutes: 60}, now: t0, left: 2},
		{name: "three at once", q: &courses.Quiz{WaitMinutes: 60, AttemptsBeforeWait: 3}, h: at(0, time.Minute), now: t0.Add(2 * time.Minute), left: -1},
		{name: "then a wait", q: &courses.Quiz{WaitMinutes: 60, AttemptsBeforeWait: 3}, h: at(0, time.Minute, 2*time.Minute), now: t0.Add(3 * time.Minute), wantUntil: t0.Add(62 * time.Minute), left: -1},
		{name: "and a wait before each later one", q: &courses.Quiz{WaitMinutes: 60, AttemptsBeforeWait: 3}, h: at(0, time.Minute, 2*time.Minute, 62*time.Minute), now: t0.Add(100 * time.Minute), wantUntil: t0.Add(122 * time.Minute), left: -1},
		{name: "limit before waiting", q: &courses.Quiz{MaxAttempts: 1, WaitMinutes: 60}, h: at(0), now: t0.Add(time.Minute), wantErr: learning.ErrNoAttemptsLeft, left: 0},
		{name: "no quiz", q: nil, now: t0, wantErr: learning.ErrNoAttemptsLeft, left: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := learning.CanStart(tt.q, tt.h, tt.now)
			var we *learning.WaitError
			switch {
			case !tt.wantUntil.IsZero():
				if !errors.As(err, &we) || !we.Until.Equal(tt.wantUntil) {
					t.Fatalf("err = %v, want a wait until %v", err, tt.wantUntil)
				}
				if !strings.Contains(err.Error(), tt.wantUntil.Format(time.RFC3339)) {
					t.Errorf("error %q does not say until when", err)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			default:
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
			}
			if got := learning.AttemptsLeft(tt.q, tt.h); got != tt.left {
				t.Errorf("AttemptsLeft = %d, want %d", got, tt.left)
			}
		})
	}
}
