package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/kalan-platform/kalan/server/store"
)

// Mongo is the database of one test package: an embedded FerretDB in a
// temporary directory, or the MongoDB named by KALAN_TEST_MONGODB_URI to run
// the same tests against a real server.
type Mongo struct {
	URI string
	// Monitor, when set, sees every command of the stores opened after.
	Monitor  *event.CommandMonitor
	embedded *store.Embedded
	dir      string
}

// StartMongo starts the package's database; call it from TestMain.
func StartMongo() (*Mongo, error) {
	if uri := os.Getenv("KALAN_TEST_MONGODB_URI"); uri != "" {
		return &Mongo{URI: uri}, nil
	}
	dir, err := os.MkdirTemp("", "kalan-test-db-")
	if err != nil {
		return nil, err
	}
	e, err := store.StartEmbedded(context.Background(), dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return &Mongo{URI: e.URI(), embedded: e, dir: dir}, nil
}

// External reports whether the tests run against KALAN_TEST_MONGODB_URI
// rather than the embedded FerretDB.
func (m *Mongo) External() bool { return m.embedded == nil }

// Stop stops the embedded server and removes its files.
func (m *Mongo) Stop() {
	if m.embedded != nil {
		m.embedded.Stop()
		_ = os.RemoveAll(m.dir)
	}
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9]+`)

// DBName derives a database name from the test name: readable, unique, and
// short enough for FerretDB.
func DBName(t testing.TB) string {
	sum := sha256.Sum256([]byte(t.Name()))
	name := strings.Trim(unsafeName.ReplaceAllString(t.Name(), "_"), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	return "t_" + name + "_" + hex.EncodeToString(sum[:4])
}

// Store opens a fresh database for the test, closed when it ends.
func (m *Mongo) Store(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{URI: m.URI, Database: DBName(t), Embedded: m.embedded, Monitor: m.Monitor})
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		if err := s.DropDatabase(ctx); err != nil {
			t.Errorf("drop test database: %v", err)
		}
		_ = s.Close(ctx)
	})
	return s
}

// Hooks are what a package's TestMain adds around its tests.
type Hooks struct {
	// Monitor sees the commands of every store the package's tests open.
	Monitor *event.CommandMonitor
	// After run once the tests are done; an error fails the run.
	After []func() error
}

// MainWithMongo is the TestMain of a package whose tests use the database:
// it starts it into *mongo, runs the tests, runs the hooks after them,
// stops the database, and exits. The embedded database is Go code of this
// module, so failing to start it is a failure, not a missing part.
func MainWithMongo(m *testing.M, mongo **Mongo, hooks Hooks) {
	var err error
	*mongo, err = StartMongo()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start the test database:", err)
		os.Exit(1)
	}
	(*mongo).Monitor = hooks.Monitor
	code := m.Run()
	for _, step := range hooks.After {
		if err := step(); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL:", err)
			code = 1
		}
	}
	(*mongo).Stop()
	os.Exit(code)
}
