package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// collSyncEvents holds the id of every offline event applied, so that a
// batch sent again is acknowledged without being applied twice. The _id
// is the user and the device's event id: ids are unique per user only.
const collSyncEvents = "sync_events"

type syncEventDoc struct {
	ID       string    `bson:"_id"` // user id "/" event id
	UserID   string    `bson:"user_id"`
	Kind     string    `bson:"kind"`
	At       time.Time `bson:"at"` // the device's clock
	Received time.Time `bson:"received"`
}

func syncEventKey(userID, eventID string) string { return userID + "/" + eventID }

// SyncEventSeen reports whether an offline event of a person was applied.
func (s *Store) SyncEventSeen(ctx context.Context, userID, eventID string) (bool, error) {
	err := s.db.Collection(collSyncEvents).FindOne(ctx, bson.D{{Key: "_id", Value: syncEventKey(userID, eventID)}}).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("store: sync event: %w", classify(err))
	}
	return true, nil
}

// RecordSyncEvent notes that an offline event was applied. Recording it
// again (a retry that raced the first) is not an error.
func (s *Store) RecordSyncEvent(ctx context.Context, userID, eventID, kind string, at, received time.Time) error {
	_, err := s.db.Collection(collSyncEvents).InsertOne(ctx, syncEventDoc{ID: syncEventKey(userID, eventID),
		UserID: userID, Kind: kind, At: at.UTC(), Received: received.UTC()})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: record sync event: %w", classify(err))
	}
	return nil
}
