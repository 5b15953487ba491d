package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/throttle"
)

var _ throttle.Store = (*Store)(nil)

// collFailures holds the attempt counts of the throttle (the name is older
// than counting attempts before they are made).
const collFailures = "failures"

type attemptsDoc struct {
	Count int `bson:"count"`
}

// AddAttempt increments a count, creating it when needed, and returns the
// new count, in one findOneAndUpdate. FerretDB 1.24 reads, changes and
// writes back a document without a lock, so a process that owns its
// database takes the document's lock first, as update does. Two first
// upserts at once on MongoDB: one inserts, the other gets a duplicate key
// and is tried again, now as an update.
func (s *Store) AddAttempt(ctx context.Context, key string, expires time.Time) (int, error) {
	defer s.lockDoc(collFailures, key)()
	update := bson.D{
		{Key: "$inc", Value: bson.D{{Key: "count", Value: 1}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "expires_at", Value: expires}}},
	}
	opts := options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)
	for try := 0; ; try++ {
		var d attemptsDoc
		err := s.db.Collection(collFailures).FindOneAndUpdate(ctx, byID(key), update, opts).Decode(&d)
		if try == 0 && mongo.IsDuplicateKeyError(err) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("store: add attempt: %w", classify(err))
		}
		return d.Count, nil
	}
}

// RemoveAttempt decrements a count; a missing one stays missing.
func (s *Store) RemoveAttempt(ctx context.Context, key string) error {
	if _, err := s.update(ctx, collFailures, key, bson.D{{Key: "$inc", Value: bson.D{{Key: "count", Value: -1}}}}, false); err != nil {
		return fmt.Errorf("store: remove attempt: %w", err)
	}
	return nil
}

// Attempts returns a count, read by _id.
func (s *Store) Attempts(ctx context.Context, key string) (int, error) {
	d, _, err := findByID[attemptsDoc](ctx, s, collFailures, key)
	if err != nil {
		return 0, fmt.Errorf("store: attempts: %w", err)
	}
	return d.Count, nil
}

// DeleteAttempts forgets a count.
func (s *Store) DeleteAttempts(ctx context.Context, key string) error {
	if err := s.deleteByID(ctx, collFailures, key); err != nil {
		return fmt.Errorf("store: delete attempts: %w", err)
	}
	return nil
}

// DeleteExpiredFailures is the periodic sweep of the counts.
func (s *Store) DeleteExpiredFailures(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.Collection(collFailures).DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, fmt.Errorf("store: sweep failures: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}
