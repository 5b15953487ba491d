package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// SessionCollections hold sign-in sessions. Backups leave them out and a
// restore starts with none: a restored installation asks everyone to sign
// in again, and an archive holds no token that could resume a session.
var SessionCollections = []string{collSessions, collUserSessions}

// MetaCollection holds the schema version; a database holding nothing
// but it is still empty for a restore (a command that opened the
// database once wrote it).
const MetaCollection = collMeta

// Raw is a database read and written as raw BSON documents, whatever
// they hold: what backups dump and restores insert, so that an archive
// restores into the embedded database and MongoDB alike.
type Raw struct {
	client *mongo.Client
	db     *mongo.Database
	close  func()
}

// OpenRaw connects to database on the server at uri without touching it
// (no collection, index or migration is made).
func OpenRaw(ctx context.Context, uri, database string) (*Raw, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetAppName("kalan-backup").
		SetServerSelectionTimeout(5 * time.Second).SetConnectTimeout(5 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	r := &Raw{client: client, db: client.Database(database)}
	if err := r.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("store: ping: %w", classify(err))
	}
	return r, nil
}

// Raw is this store's database as raw documents, on its own connection.
func (s *Store) Raw() *Raw { return &Raw{client: s.client, db: s.db, close: func() {}} }

// Close disconnects (a Raw of a Store leaves the store's connection open)
// and releases what the Raw was opened on, such as a snapshot.
func (r *Raw) Close(ctx context.Context) error {
	if r.close != nil {
		r.close()
		return nil
	}
	return r.client.Disconnect(context.WithoutCancel(ctx))
}

// Collections lists the database's collections, sorted, without the
// server's own (system.*).
func (r *Raw) Collections(ctx context.Context) ([]string, error) {
	names, err := r.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: list collections: %w", classify(err))
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	slices.Sort(names)
	return names, nil
}

// Each calls fn with every document of coll, in no particular order. The
// slice is reused after fn returns.
func (r *Raw) Each(ctx context.Context, coll string, fn func(doc []byte) error) error {
	cur, err := r.db.Collection(coll).Find(ctx, bson.D{}, options.Find().SetBatchSize(1000))
	if err != nil {
		return fmt.Errorf("store: read %s: %w", coll, classify(err))
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		if err := fn(cur.Current); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("store: read %s: %w", coll, classify(err))
	}
	return nil
}

// Count is the number of documents in coll.
func (r *Raw) Count(ctx context.Context, coll string) (int64, error) {
	n, err := r.db.Collection(coll).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("store: count %s: %w", coll, classify(err))
	}
	return n, nil
}

// Insert adds documents to coll as they are. Each must be valid BSON
// with an _id; an archive is checked before it is restored, so an error
// here is the database's.
func (r *Raw) Insert(ctx context.Context, coll string, docs [][]byte) error {
	batch := make([]any, 0, len(docs))
	for _, d := range docs {
		raw := bson.Raw(d)
		if err := raw.Validate(); err != nil {
			return fmt.Errorf("store: insert into %s: invalid document: %w", coll, err)
		}
		batch = append(batch, raw)
	}
	if len(batch) == 0 {
		return nil
	}
	if _, err := r.db.Collection(coll).InsertMany(ctx, batch); err != nil {
		return fmt.Errorf("store: insert into %s: %w", coll, classify(err))
	}
	return nil
}

// Clear deletes every document of coll.
func (r *Raw) Clear(ctx context.Context, coll string) error {
	if _, err := r.db.Collection(coll).DeleteMany(ctx, bson.D{}); err != nil {
		return fmt.Errorf("store: clear %s: %w", coll, classify(err))
	}
	return nil
}

// Schema is the schema version the database holds (0 when none is
// written).
func (r *Raw) Schema(ctx context.Context) (int, error) {
	var doc schemaDoc
	err := r.db.Collection(collMeta).FindOne(ctx, byID("schema")).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: read the schema version: %w", classify(err))
	}
	return doc.Version, nil
}

// ErrNoDatabase means a data directory holds no embedded database.
var ErrNoDatabase = errors.New("store: no embedded database in the data directory")

// SnapshotEmbedded takes a consistent copy of the embedded database of
// dataDir, which a running server may be writing meanwhile, and serves
// it read-only from a temporary FerretDB: the Raw it returns reads the
// database as it was at one instant. Close removes the copy.
//
// FerretDB 1.24's SQLite backend keeps each database in one file,
// <dataDir>/db/<database>.sqlite, in WAL mode (see its
// internal/backends/sqlite/metadata/pool). SQLite's VACUUM INTO copies a
// database inside one read transaction, so the copy is the database as
// of one commit, while FerretDB keeps writing to the WAL.
func SnapshotEmbedded(ctx context.Context, dataDir, database string, log *slog.Logger) (*Raw, error) {
	src := filepath.Join(dataDir, "db", database+".sqlite")
	if _, err := os.Stat(src); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNoDatabase, src, err)
	}
	// The copy lives beside the database: same disk, and never in a
	// backup directory that may be a slow mounted drive.
	tmp, err := os.MkdirTemp(dataDir, ".backup-snapshot-")
	if err != nil {
		return nil, fmt.Errorf("store: snapshot: %w", err)
	}
	cleanup := func() { _ = os.RemoveAll(tmp) }
	if err := os.Mkdir(filepath.Join(tmp, "db"), 0o700); err != nil {
		cleanup()
		return nil, fmt.Errorf("store: snapshot: %w", err)
	}
	if err := vacuumInto(ctx, src, filepath.Join(tmp, "db", database+".sqlite")); err != nil {
		cleanup()
		return nil, err
	}
	e, err := StartEmbedded(ctx, tmp, log)
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("store: serve the snapshot: %w", err)
	}
	r, err := OpenRaw(ctx, e.URI(), database)
	if err != nil {
		e.Stop()
		cleanup()
		return nil, err
	}
	r.close = func() {
		_ = r.client.Disconnect(context.Background())
		e.Stop()
		cleanup()
	}
	return r, nil
}

// RemoveStaleSnapshots deletes the copies left by a backup that a crash
// interrupted. A recent one may belong to a backup running now (the
// server's and `kalan backup` can run at once): it is left alone.
func RemoveStaleSnapshots(dataDir string) {
	old, _ := filepath.Glob(filepath.Join(dataDir, ".backup-snapshot-*"))
	for _, dir := range old {
		if info, err := os.Stat(dir); err == nil && time.Since(info.ModTime()) > 12*time.Hour {
			_ = os.RemoveAll(dir)
		}
	}
}

func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(src)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("store: snapshot %s: %w", src, err)
	}
	return nil
}
