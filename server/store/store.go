// Package store keeps Kalan's data in MongoDB through the official driver,
// using only the subset that FerretDB 1.24 also serves (see
// docs/MONGODB-SUBSET.md). With no MongoDB configured, StartEmbedded runs
// FerretDB in-process on SQLite files and the same code talks to it.
//
// Every request a trainee, trainer or facilitator makes reads and writes
// documents by _id: the one index every MongoDB deployment has, and the
// only filter FerretDB 1.24 does not answer by reading and decoding the
// whole collection. Where data must be found by something else (an
// account by its login, a cohort by its join code, a person's sessions),
// a small lookup document keyed by that value is kept in step with it.
package store

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/kalan-platform/kalan/server/outage"
)

// ErrUnavailable wraps errors that mean the database did not answer, so
// that callers can answer 503 instead of 500. It is outage.ErrDatabase,
// which the HTTP package tests without importing the store.
var ErrUnavailable = outage.ErrDatabase

// Store is the MongoDB database of one Kalan installation.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	owned  *docLocks // set when the process owns the database (the embedded default)
	users  *docCache // user documents by _id
	sess   *docCache // session documents by _id
	zlines *linesCodec
	log    *slog.Logger
	health *health // whether the database answers, from what the driver sees (monitor.go)
}

// Config is how to reach a database and how this process uses it.
type Config struct {
	URI, Database string
	// Embedded is the in-process FerretDB serving URI, if it is one. The
	// process then owns the database (its data directory is locked to
	// it): conditional writes are checked under in-process document
	// locks, cached documents live until this process changes them, and
	// only the indexes that enforce a rule are kept (FerretDB 1.24 uses
	// none for its reads).
	Embedded *Embedded
	// SingleInstance says this process is the only server writing to an
	// external database (KALAN_SINGLE_INSTANCE): conditional writes are
	// then checked under in-process document locks, as with Embedded,
	// which an external FerretDB needs (its filtered updates are not
	// atomic). Cached documents still expire after sharedCacheTTL: the
	// command line (users, courses import) may write while it serves.
	SingleInstance bool
	// Monitor, when set, sees every command sent (the tests check with
	// it that hot requests read and write by _id).
	Monitor *event.CommandMonitor
	// Log receives the progress of migrations; nil discards it.
	Log *slog.Logger
}

// UnavailableAfter is how long a command waits for a server that does
// not answer before it fails with ErrUnavailable: a page that needs the
// database answers 503 within 3 s, this plus its rendering.
const UnavailableAfter = outage.DatabaseWait

// sharedCacheTTL bounds how long an instance that shares its database
// with others may use a cached session or account: a sign-out, a role
// change or a deletion on another instance takes effect here within it.
const sharedCacheTTL = time.Second

// cacheSize bounds the documents cached per kind (about 1 KB each).
const cacheSize = 20_000

// Open connects, checks that the server answers, makes sure the
// collections and indexes exist, and migrates the database to the
// current schema (see migrate.go): no code runs on a half-migrated one.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	opts := options.Client().ApplyURI(cfg.URI).
		SetAppName("kalan").
		// Fail fast when the server is away: pages answer 503 rather than hang.
		SetServerSelectionTimeout(UnavailableAfter).
		SetConnectTimeout(UnavailableAfter)
	if opts.HeartbeatInterval == nil {
		// The driver's 10 s default would keep a database that came back
		// marked away for that long (see Store.Available); a hello every
		// 2 s is nothing for any server.
		opts.SetHeartbeatInterval(2 * time.Second)
	}
	hl := newHealth()
	opts.SetMonitor(hl.commandMonitor(cfg.Monitor)).SetServerMonitor(hl.serverMonitor())
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ttl := sharedCacheTTL
	zlines, err := newLinesCodec()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{client: client, db: client.Database(cfg.Database), zlines: zlines, log: log, health: hl}
	if cfg.Embedded != nil || cfg.SingleInstance {
		s.owned = &docLocks{seed: maphash.MakeSeed()}
	}
	if cfg.Embedded != nil {
		ttl = 0 // every write goes through this process
	}
	s.users, s.sess = newDocCache(ttl, cacheSize, time.Now), newDocCache(ttl, cacheSize, time.Now)
	fail := func(err error) (*Store, error) {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		return fail(err)
	}
	if err := s.ensureCollections(ctx); err != nil {
		return fail(err)
	}
	if cfg.Embedded != nil {
		if err := cfg.Embedded.IndexByID(ctx, cfg.Database); err != nil {
			return fail(err)
		}
	}
	if err := s.ensureIndexes(ctx); err != nil {
		return fail(err)
	}
	if err := s.migrate(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

// collections are every collection the store writes.
var collections = []string{collVersions, collCourses, collUsers, collLogins, collCohorts, collJoinCodes, collCohortMembers,
	collSessions, collUserSessions, collFailures, collResets, collAttempts, collCertificates, collAudit, collLibrary,
	collDownloads, collReportMembers, collReportAnswers, collSyncEvents, collMeta}

// ensureCollections creates the collections that do not exist yet, so
// that they exist from the start (the embedded database's IndexByID
// indexes those it finds).
func (s *Store) ensureCollections(ctx context.Context) error {
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("store: list collections: %w", classify(err))
	}
	for _, name := range collections {
		if slices.Contains(existing, name) {
			continue
		}
		var ce mongo.CommandError
		if err := s.db.CreateCollection(ctx, name); err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: created meanwhile
			return fmt.Errorf("store: create collection %s: %w", name, classify(err))
		}
	}
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
		return fmt.Errorf("store: ping: %w", classify(err))
	}
	return nil
}

// Close disconnects from the database.
func (s *Store) Close(ctx context.Context) error {
	return s.client.Disconnect(ctx)
}

// index is a secondary index. No request of a trainee, trainer or
// facilitator needs one; these serve the rest on MongoDB (the periodic
// sweeps, admin listings, national reports), or enforce a rule. Only
// those are kept on the embedded database, which uses no secondary index
// for its reads but still pays for each at every write.
type index struct {
	coll, name string
	model      mongo.IndexModel
	rule       bool // enforces uniqueness
}

func indexOn(coll, name string, keys bson.D) index {
	return index{coll: coll, name: name, model: mongo.IndexModel{Keys: keys, Options: options.Index().SetName(name)}}
}

var indexes = []index{
	{coll: collVersions, name: "slug_hash", rule: true, model: mongo.IndexModel{Keys: bson.D{{Key: "slug", Value: 1}, {Key: "hash", Value: 1}},
		Options: options.Index().SetUnique(true).SetName("slug_hash")}},
	indexOn(collVersions, "slug_number", bson.D{{Key: "slug", Value: 1}, {Key: "number", Value: -1}}),
	indexOn(collSessions, "expires", bson.D{{Key: "expires_at", Value: 1}}),
	indexOn(collFailures, "expires", bson.D{{Key: "expires_at", Value: 1}}),
	indexOn(collResets, "user", bson.D{{Key: "user_id", Value: 1}}),
	indexOn(collReportAnswers, "course_month", bson.D{{Key: "course", Value: 1}, {Key: "month", Value: 1}}),
	indexOn(collAudit, "at", bson.D{{Key: "at", Value: -1}}),
	indexOn(collAudit, "actor_at", bson.D{{Key: "actor_id", Value: 1}, {Key: "at", Value: -1}}),
	indexOn(collAudit, "action_at", bson.D{{Key: "action", Value: 1}, {Key: "at", Value: -1}}),
}

// wantedIndexes are the indexes this store keeps, by collection.
func (s *Store) wantedIndexes() map[string][]index {
	out := map[string][]index{}
	for _, ix := range indexes {
		if s.owned == nil || ix.rule {
			out[ix.coll] = append(out[ix.coll], ix)
		}
	}
	return out
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	for coll, list := range s.wantedIndexes() {
		// One at a time: FerretDB 1.24 panics on a createIndexes command
		// with several indexes when they already exist after a restart.
		for _, ix := range list {
			if _, err := s.db.Collection(coll).Indexes().CreateOne(ctx, ix.model); err != nil {
				return fmt.Errorf("store: create indexes on %s: %w", coll, classify(err))
			}
		}
	}
	return nil
}

// classify marks as ErrUnavailable every error that means the database
// did not do the work, as opposed to a fault of the command: a pages
// answers 503 for it and logs it as unavailability, not as a bug.
// That is:
//   - the driver's network errors, timeouts, failed server selection and
//     failed connection handshakes;
//   - the server's codes for "not now" (shutting down, no primary,
//     stepping down, exceeded time limit, interrupted);
//   - InternalError (code 1): what FerretDB answers for any failure of its
//     storage, such as the PostgreSQL behind it gone (pgx's "failed to
//     connect", "conn closed", SQLSTATE 57P01) or SQLite's "disk I/O
//     error" and "database or disk is full". FerretDB then still answers
//     hello, so the driver sees a healthy server and only the commands
//     fail. MongoDB uses the code for server-side failures too.
func classify(err error) error {
	var netErr net.Error
	var conn topology.ConnectionError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrUnavailable):
		return err
	case mongo.IsNetworkError(err), mongo.IsTimeout(err), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, mongo.ErrClientDisconnected), errors.As(err, &netErr), isServerSelection(err),
		errors.As(err, &conn), unavailableCode(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// isServerSelection reports the driver's "no server answered in time".
func isServerSelection(err error) bool {
	var sel topology.ServerSelectionError
	return errors.As(err, &sel)
}

// unavailableCodes are server error codes that mean "the server cannot do
// it now", not "the command is wrong".
var unavailableCodes = []int{
	1,     // InternalError (FerretDB: its storage failed)
	6,     // HostUnreachable
	7,     // HostNotFound
	50,    // MaxTimeMSExpired
	89,    // NetworkTimeout
	91,    // ShutdownInProgress
	133,   // FailedToSatisfyReadPreference
	189,   // PrimarySteppedDown
	262,   // ExceededTimeLimit
	9001,  // SocketException
	10107, // NotWritablePrimary
	11600, // InterruptedAtShutdown
	11602, // InterruptedDueToReplStateChange
	13435, // NotPrimaryNoSecondaryOk
	13436, // NotPrimaryOrSecondary
}

// unavailableCode reports a server error (a command error, a write error
// or a write concern error) whose code is one of unavailableCodes, or
// that the server labels as retryable.
func unavailableCode(err error) bool {
	var se mongo.ServerError
	if !errors.As(err, &se) {
		return false
	}
	if se.HasErrorLabel("RetryableWriteError") || se.HasErrorLabel("TransientTransactionError") {
		return true
	}
	for _, code := range unavailableCodes {
		if se.HasErrorCode(code) {
			return true
		}
	}
	return false
}

// DropDatabase deletes the whole database; tests use it to clean up.
func (s *Store) DropDatabase(ctx context.Context) error {
	return classify(s.db.Drop(ctx))
}

// Sweep deletes what has expired: sessions, failure counts and reset
// links. MongoDB would do it with TTL indexes; FerretDB has none, so
// serve runs this every few minutes.
func (s *Store) Sweep(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for _, sweep := range []func(context.Context, time.Time) (int, error){s.DeleteExpiredSessions, s.DeleteExpiredFailures, s.DeleteExpiredResets} {
		n, err := sweep(ctx, now)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
