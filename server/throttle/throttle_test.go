package throttle_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kalan/server/testenv"
	"kalan/server/throttle"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

func TestLimitAcrossAWindowBoundary(t *testing.T) {
	ctx := context.Background()
	rule := throttle.Rule{Max: 5, Window: 15 * time.Minute}
	l := throttle.New("test", rule, mongo.Store(t))
	// Four failures a minute before a window ends, one just after it.
	now := time.Date(2027, 3, 1, 10, 14, 0, 0, time.UTC)
	l.SetClock(func() time.Time { return now })
	for i := 0; i < 4; i++ {
		if err := l.Check(ctx, "awa"); err != nil {
			t.Fatalf("failure %d refused: %v", i, err)
		}
		if err := l.Fail(ctx, "awa"); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(90 * time.Second) // 10:15:30, a new window
	if err := l.Fail(ctx, "awa"); err != nil {
		t.Fatal(err)
	}
	var limited *throttle.LimitedError
	if err := l.Check(ctx, "awa"); !errors.As(err, &limited) {
		t.Fatalf("five failures in 90 seconds across a boundary: %v, want limited", err)
	}
	if want := time.Date(2027, 3, 1, 10, 30, 0, 0, time.UTC); !limited.RetryAt.Equal(want) {
		t.Errorf("retry at %v, want %v", limited.RetryAt, want)
	}
	if err := l.Check(ctx, "seydou"); err != nil {
		t.Errorf("another subject is limited: %v", err)
	}
	// Late in the next window the old failures weigh little.
	now = time.Date(2027, 3, 1, 10, 29, 0, 0, time.UTC)
	if err := l.Check(ctx, "awa"); err != nil {
		t.Errorf("14 minutes later: %v, want allowed again", err)
	}
	// A success forgets everything.
	now = time.Date(2027, 3, 1, 10, 16, 0, 0, time.UTC)
	if err := l.Reset(ctx, "awa"); err != nil {
		t.Fatal(err)
	}
	if err := l.Check(ctx, "awa"); err != nil {
		t.Errorf("after a reset: %v", err)
	}
}
