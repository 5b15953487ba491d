package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Every way the database can fail to do the work is ErrUnavailable (503,
// logged as unavailability); a fault of the command is not. The FerretDB
// messages are what v1.24.2 sends when the PostgreSQL behind it is gone
// (handlererrors.ProtocolError: any storage failure is InternalError,
// code 1, with pgx's message), or its SQLite files fail.
func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"postgresql refused", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: "[pool.go:128 pool.(*Pool).Get] failed to connect to `host=db user=kalan database=ferretdb`: dial error (dial tcp 10.0.0.5:5432: connect: connection refused)"}, true},
		{"postgresql shut down", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: "FATAL: terminating connection due to administrator command (SQLSTATE 57P01)"}, true},
		{"sqlite disk", mongo.CommandError{Code: 1, Name: "InternalError", Message: "disk I/O error (10)"}, true},
		{"write on postgresql gone", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 1, Message: "conn closed"}}}, true},
		{"primary stepped down", mongo.CommandError{Code: 189, Name: "PrimarySteppedDown"}, true},
		{"no primary", mongo.WriteException{WriteConcernError: &mongo.WriteConcernError{Code: 10107, Name: "NotWritablePrimary"}}, true},
		{"retryable label", mongo.CommandError{Code: 12345, Labels: []string{"RetryableWriteError"}}, true},
		{"deadline", fmt.Errorf("store: session: %w", context.DeadlineExceeded), true},
		{"already classified", fmt.Errorf("store: x: %w", ErrUnavailable), true},
		{"bad value: a bug", mongo.CommandError{Code: 2, Name: "BadValue", Message: "unknown operator"}, false},
		{"duplicate key: an answer", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000 duplicate key"}}}, false},
		{"not found", mongo.ErrNoDocuments, false},
		{"cancelled by the caller", context.Canceled, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := classify(tc.err)
			if got := errors.Is(err, ErrUnavailable); got != tc.unavailable {
				t.Errorf("classify(%v) unavailable = %v, want %v", tc.err, got, tc.unavailable)
			}
			if !strings.Contains(err.Error(), tc.err.Error()) {
				t.Errorf("classify(%v) lost the original error: %v", tc.err, err)
			}
		})
	}
}

// Available follows a real database going away and coming back, without
// sending anything itself; a command sent meanwhile fails with
// ErrUnavailable within UnavailableAfter.
func TestAvailableFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	emb, err := StartEmbedded(ctx, dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Config{URI: emb.URI(), Database: "kalan", Embedded: emb})
	if err != nil {
		emb.Stop()
		t.Fatal(err)
	}
	defer func() { _ = s.Close(ctx) }()
	if !s.Available() {
		t.Fatal("Available is false with the database up")
	}
	emb.Stop()
	start := time.Now()
	err = s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
	if err = classify(err); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("a command with the database stopped: %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > UnavailableAfter+500*time.Millisecond {
		t.Errorf("a command with the database stopped failed after %v, want at most %v", d, UnavailableAfter)
	}
	if !waitFor(func() bool { return !s.Available() }, 5*time.Second) {
		t.Fatal("Available stayed true with the database stopped")
	}
}

func waitFor(cond func() bool, within time.Duration) bool {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}
