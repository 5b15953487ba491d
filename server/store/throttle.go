package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"kalan/server/throttle"
)

var _ throttle.Store = (*Store)(nil)

const collFailures = "failures"

// Failures returns the failure counts of keys, each read by _id.
func (s *Store) Failures(ctx context.Context, keys []string) (map[string]int, error) {
	out := make(map[string]int, len(keys))
	for _, key := range keys {
		d, found, err := findByID[struct {
			Count int `bson:"count"`
		}](ctx, s, collFailures, key)
		if err != nil {
			return nil, fmt.Errorf("store: failures: %w", err)
		}
		if found {
			out[key] = d.Count
		}
	}
	return out, nil
}

// AddFailure increments a count, creating it when needed.
func (s *Store) AddFailure(ctx context.Context, key string, expires time.Time) error {
	if _, err := s.update(ctx, collFailures, key, bson.D{
		{Key: "$inc", Value: bson.D{{Key: "count", Value: 1}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "expires_at", Value: expires}}},
	}, true); err != nil {
		return fmt.Errorf("store: add failure: %w", err)
	}
	return nil
}

// DeleteFailures forgets a count.
func (s *Store) DeleteFailures(ctx context.Context, key string) error {
	if err := s.deleteByID(ctx, collFailures, key); err != nil {
		return fmt.Errorf("store: delete failures: %w", err)
	}
	return nil
}

// DeleteExpiredFailures is the periodic sweep.
func (s *Store) DeleteExpiredFailures(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.Collection(collFailures).DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, fmt.Errorf("store: sweep failures: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}
