// Package store keeps Kalan's data in MongoDB through the official driver,
// using only the subset that FerretDB 1.24 also serves (see
// MONGODB-SUBSET.md). With no MongoDB configured, StartEmbedded runs
// FerretDB in-process on SQLite files and the same code talks to it.
package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"
)

// ErrUnavailable wraps errors that mean the database did not answer, so
// that callers can answer 503 instead of 500.
var ErrUnavailable = errors.New("store: database unavailable")

// Store is the MongoDB database of one Kalan installation.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	owned  *docLocks // set by OwnDatabase (the embedded default)
}

// Open connects to uri, checks that the server answers, and makes sure the
// indexes exist.
func Open(ctx context.Context, uri, database string) (*Store, error) {
	opts := options.Client().ApplyURI(uri).
		SetAppName("kalan").
		// Fail fast when the server is away: pages answer 503 rather than hang.
		SetServerSelectionTimeout(3 * time.Second).
		SetConnectTimeout(3 * time.Second)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	s := &Store{client: client, db: client.Database(database)}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.ensureCollections(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

// collections are every collection the store writes.
var collections = []string{collVersions, collCourses, collUsers, collCohorts, collSessions, collFailures, collResets,
	collAttempts, collCertificates, collAudit, collLibrary, collDownloads, collReportMembers, collReportAnswers,
	collSyncEvents}

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

func (s *Store) ensureIndexes(ctx context.Context) error {
	indexes := map[string][]mongo.IndexModel{
		collVersions: {
			{Keys: bson.D{{Key: "slug", Value: 1}, {Key: "hash", Value: 1}}, Options: options.Index().SetUnique(true).SetName("slug_hash")},
			{Keys: bson.D{{Key: "slug", Value: 1}, {Key: "number", Value: -1}}, Options: options.Index().SetName("slug_number")},
		},
		collUsers: {
			{Keys: bson.D{{Key: "login", Value: 1}}, Options: options.Index().SetUnique(true).SetName("login")},
			{Keys: bson.D{{Key: "cohorts", Value: 1}}, Options: options.Index().SetName("cohorts")},
		},
		collCohorts: {
			{Keys: bson.D{{Key: "join_code", Value: 1}}, Options: options.Index().SetUnique(true).SetName("join_code")},
		},
		collSessions: {
			{Keys: bson.D{{Key: "user_id", Value: 1}}, Options: options.Index().SetName("user")},
			{Keys: bson.D{{Key: "expires_at", Value: 1}}, Options: options.Index().SetName("expires")},
		},
		collFailures: {
			{Keys: bson.D{{Key: "expires_at", Value: 1}}, Options: options.Index().SetName("expires")},
		},
		collResets: {
			{Keys: bson.D{{Key: "user_id", Value: 1}}, Options: options.Index().SetName("user")},
		},
		collAttempts: {
			{Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "version", Value: 1}}, Options: options.Index().SetName("user_version")},
			{Keys: bson.D{{Key: "course", Value: 1}, {Key: "submitted_at", Value: 1}}, Options: options.Index().SetName("course_submitted")},
		},
		collCertificates: {
			{Keys: bson.D{{Key: "user_id", Value: 1}, {Key: "course", Value: 1}}, Options: options.Index().SetUnique(true).SetName("user_course")},
		},
		collReportAnswers: {
			{Keys: bson.D{{Key: "course", Value: 1}, {Key: "month", Value: 1}}, Options: options.Index().SetName("course_month")},
		},
		collAudit: {
			{Keys: bson.D{{Key: "at", Value: -1}}, Options: options.Index().SetName("at")},
			{Keys: bson.D{{Key: "actor_id", Value: 1}, {Key: "at", Value: -1}}, Options: options.Index().SetName("actor_at")},
			{Keys: bson.D{{Key: "action", Value: 1}, {Key: "at", Value: -1}}, Options: options.Index().SetName("action_at")},
		},
	}
	for coll, models := range indexes {
		// One at a time: FerretDB 1.24 panics on a createIndexes command
		// with several indexes when they already exist after a restart.
		for _, m := range models {
			if _, err := s.db.Collection(coll).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("store: create indexes on %s: %w", coll, classify(err))
			}
		}
	}
	return nil
}

// classify marks connection and timeout errors as ErrUnavailable.
func classify(err error) error {
	var netErr net.Error
	switch {
	case err == nil:
		return nil
	case mongo.IsNetworkError(err), mongo.IsTimeout(err), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, mongo.ErrClientDisconnected), errors.As(err, &netErr), isServerSelection(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// isServerSelection reports the driver's "no server answered in time".
func isServerSelection(err error) bool {
	var sel topology.ServerSelectionError
	return errors.As(err, &sel)
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
