package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

const collResets = "password_resets"

// ErrResetNotFound is returned for an unknown, used or expired reset link.
var ErrResetNotFound = errors.New("store: reset link not found")

// CreateReset stores the hash of a one-time reset link of a user; links
// issued before for that user stop working.
func (s *Store) CreateReset(ctx context.Context, hash, userID string, expires time.Time) error {
	coll := s.db.Collection(collResets)
	if _, err := coll.DeleteMany(ctx, bson.D{{Key: "user_id", Value: userID}}); err != nil {
		return fmt.Errorf("store: create reset: %w", classify(err))
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: hash}, {Key: "user_id", Value: userID}, {Key: "expires_at", Value: expires}}); err != nil {
		return fmt.Errorf("store: create reset: %w", classify(err))
	}
	return nil
}

// Reset returns the user of a live reset link.
func (s *Store) Reset(ctx context.Context, hash string, now time.Time) (string, error) {
	var d struct {
		UserID    string    `bson:"user_id"`
		ExpiresAt time.Time `bson:"expires_at"`
	}
	err := s.db.Collection(collResets).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) || (err == nil && !now.Before(d.ExpiresAt)) {
		return "", ErrResetNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: reset: %w", classify(err))
	}
	return d.UserID, nil
}

// DeleteReset uses up a reset link.
func (s *Store) DeleteReset(ctx context.Context, hash string) error {
	if _, err := s.db.Collection(collResets).DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}}); err != nil {
		return fmt.Errorf("store: delete reset: %w", classify(err))
	}
	return nil
}

// DeleteExpiredResets is part of the periodic sweep.
func (s *Store) DeleteExpiredResets(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.Collection(collResets).DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, fmt.Errorf("store: sweep resets: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}
