package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"kalan/server/throttle"
)

var _ throttle.Store = (*Store)(nil)

const collFailures = "failures"

// Failures returns the failure counts of keys.
func (s *Store) Failures(ctx context.Context, keys []string) (map[string]int, error) {
	cur, err := s.db.Collection(collFailures).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: keys}}}})
	if err != nil {
		return nil, fmt.Errorf("store: failures: %w", classify(err))
	}
	var docs []struct {
		ID    string `bson:"_id"`
		Count int    `bson:"count"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: failures: %w", classify(err))
	}
	out := make(map[string]int, len(docs))
	for _, d := range docs {
		out[d.ID] = d.Count
	}
	return out, nil
}

// AddFailure increments a count atomically, creating it when needed.
func (s *Store) AddFailure(ctx context.Context, key string, expires time.Time) error {
	_, err := s.db.Collection(collFailures).UpdateOne(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{
			{Key: "$inc", Value: bson.D{{Key: "count", Value: 1}}},
			{Key: "$setOnInsert", Value: bson.D{{Key: "expires_at", Value: expires}}},
		}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("store: add failure: %w", classify(err))
	}
	return nil
}

// DeleteFailures forgets a count.
func (s *Store) DeleteFailures(ctx context.Context, key string) error {
	if _, err := s.db.Collection(collFailures).DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
		return fmt.Errorf("store: delete failures: %w", classify(err))
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
