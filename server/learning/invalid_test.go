package learning

import (
	"errors"
	"fmt"
	"testing"
)

func TestInvalidAnswers(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("store: down"), false},
		{ErrNoAttemptsLeft, false},
		{fmt.Errorf("question %q: %w", "q1", ErrUnknownQuestion), true},
		{fmt.Errorf("question %q: %w", "q1", ErrUnknownOption), true},
		{fmt.Errorf("question %q: %w", "q1", ErrTooManyOptions), true},
	} {
		if got := InvalidAnswers(tc.err); got != tc.want {
			t.Errorf("InvalidAnswers(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
