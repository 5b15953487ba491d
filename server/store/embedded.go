package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses, for IndexByID
)

// ErrDataDirInUse is returned when another process holds the data
// directory: two FerretDB instances on one SQLite directory would corrupt it.
var ErrDataDirInUse = errors.New("store: the data directory is in use by another kalan process")

// Embedded is an in-process FerretDB serving SQLite files of the data
// directory over a Unix socket only this user can open.
type Embedded struct {
	uri    string
	dir    string // of the SQLite files, one per database
	lock   *os.File
	cancel context.CancelFunc
	done   chan struct{}
}

// StartEmbedded starts FerretDB on dataDir/db. Only one process may hold a
// data directory at a time; the lock is released by Stop (or when the
// process dies).
func StartEmbedded(ctx context.Context, dataDir string, log *slog.Logger) (*Embedded, error) {
	dbDir, err := filepath.Abs(filepath.Join(dataDir, "db"))
	if err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	if err := os.MkdirAll(dbDir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dbDir, err)
	}
	lock, err := lockDir(filepath.Join(dataDir, "LOCK"))
	if err != nil {
		return nil, err
	}
	listener := ferretdb.ListenerConfig{Unix: filepath.Join(dbDir, "mongodb.sock")}
	// A Unix socket path is limited to about 100 bytes; deep data
	// directories fall back to loopback TCP.
	if len(listener.Unix) > 100 {
		listener = ferretdb.ListenerConfig{TCP: "127.0.0.1:0"}
	} else {
		_ = os.Remove(listener.Unix) // left by a process that died; we hold the lock
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  listener,
		Handler:   "sqlite",
		SQLiteURL: "file:" + filepath.ToSlash(dbDir) + "/",
		// FerretDB logs every unsupported command the driver probes (for
		// example endSessions) as a warning; only its errors matter here.
		Logger: slog.New(errorsOnly{next: log.Handler()}).With("component", "ferretdb"),
	})
	if err != nil {
		_ = unlockDir(lock)
		return nil, fmt.Errorf("store: start embedded FerretDB: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Embedded{uri: f.MongoDBURI(), dir: dbDir, lock: lock, cancel: cancel, done: make(chan struct{})}
	if listener.Unix != "" {
		e.uri = "mongodb://" + url.QueryEscape(listener.Unix)
	}
	go func() {
		defer close(e.done)
		_ = f.Run(runCtx)
	}()
	return e, nil
}

// IndexByID works around FerretDB 1.24's SQLite backend, which indexes _id
// as _ferretdb_sjson->"_id" but looks a document up by
// _ferretdb_sjson->'$._id': SQLite cannot match the one expression to the
// other, so every lookup by _id read the table from the start (29 ms for
// the last of 20,000 accounts, against 1.6 ms with this index). It adds,
// to the table of each collection of a database, an index on the lookup's
// own expression; FerretDB never sees it, and dropping the collection
// drops it. Call it once the database's collections exist (store.Open
// creates them all); repeating it changes nothing.
func (e *Embedded) IndexByID(ctx context.Context, database string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(e.dir, database+".sqlite"))+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: index by _id: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("store: index by _id: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("store: index by _id: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: index by _id: %w", err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_kalan_id", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: index by _id on %s: %w", t, err)
		}
	}
	return nil
}

// URI is the connection string of the embedded server.
func (e *Embedded) URI() string { return e.uri }

// Stop shuts FerretDB down, waits for it, and releases the data directory.
func (e *Embedded) Stop() {
	e.cancel()
	<-e.done
	_ = unlockDir(e.lock)
}

func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s)", ErrDataDirInUse, filepath.Dir(path))
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	return f, nil
}

func unlockDir(f *os.File) error {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return f.Close()
}

// errorsOnly passes on error records only. FerretDB gives a logger the
// SQL arguments of each statement (whole documents) as attributes: a
// handler's WithAttrs formats them at once, which cost a national report's
// worth of CPU at every large write. They are kept as given, and applied
// only when an error is logged.
type errorsOnly struct {
	next  slog.Handler
	steps []func(slog.Handler) slog.Handler // WithAttrs and WithGroup calls, in order
}

func (h errorsOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && h.next.Enabled(ctx, l)
}

func (h errorsOnly) Handle(ctx context.Context, r slog.Record) error {
	next := h.next
	for _, step := range h.steps {
		next = step(next)
	}
	return next.Handle(ctx, r)
}

func (h errorsOnly) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.then(func(next slog.Handler) slog.Handler { return next.WithAttrs(attrs) })
}

func (h errorsOnly) WithGroup(name string) slog.Handler {
	return h.then(func(next slog.Handler) slog.Handler { return next.WithGroup(name) })
}

func (h errorsOnly) then(step func(slog.Handler) slog.Handler) errorsOnly {
	return errorsOnly{next: h.next, steps: append(slices.Clip(h.steps), step)}
}
