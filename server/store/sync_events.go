package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kalan-platform/kalan/server/offline"
)

// collSyncEvents holds the id of every offline event applied, so that a
// batch sent again is acknowledged without being applied twice. The _id
// is the user and the device's event id: ids are unique per user only.
// An event is claimed (state "claimed") before it is applied and marked
// applied after; documents without a state were written applied.
const collSyncEvents = "sync_events"

// staleSyncClaim is how long a claim may wait to be marked applied before a
// later send takes it over: the send that claimed it died (a batch takes
// a few seconds at most).
const staleSyncClaim = 2 * time.Minute

const syncClaimed = "claimed"

type syncEventDoc struct {
	ID       string    `bson:"_id"` // user id "/" event id
	UserID   string    `bson:"user_id"`
	Kind     string    `bson:"kind"`
	At       time.Time `bson:"at"` // the device's clock
	Received time.Time `bson:"received"`
	State    string    `bson:"state,omitempty"` // "claimed" while being applied
	Claimed  time.Time `bson:"claimed,omitempty"`
}

func syncEventKey(userID, eventID string) string { return userID + "/" + eventID }

// ClaimSyncEvent takes an offline event to apply it. Its document is
// created with the event's _id, which only one send can do; a send that
// finds it learns whether the event was applied or is being applied.
func (s *Store) ClaimSyncEvent(ctx context.Context, userID, eventID, kind string, at, now time.Time) (offline.Claim, error) {
	key := syncEventKey(userID, eventID)
	_, err := s.db.Collection(collSyncEvents).InsertOne(ctx, syncEventDoc{ID: key, UserID: userID, Kind: kind, At: at.UTC(),
		Received: now.UTC(), State: syncClaimed, Claimed: now.UTC()})
	switch {
	case err == nil:
		return offline.Claimed, nil
	case !mongo.IsDuplicateKeyError(err):
		return 0, fmt.Errorf("store: claim sync event: %w", classify(err))
	}
	d, found, err := findByID[syncEventDoc](ctx, s, collSyncEvents, key)
	switch {
	case err != nil:
		return 0, fmt.Errorf("store: claim sync event: %w", err)
	case !found: // given back just now: the device sends it again
		return offline.Busy, nil
	case d.State != syncClaimed:
		return offline.AlreadyApplied, nil
	case now.Sub(d.Claimed) < staleSyncClaim:
		return offline.Busy, nil
	}
	took, err := s.updateIf(ctx, collSyncEvents, key, bson.E{Key: "claimed", Value: d.Claimed},
		func(raw bson.Raw) bool { t, ok := raw.Lookup("claimed").TimeOK(); return ok && t.Equal(d.Claimed) },
		bson.D{{Key: "$set", Value: bson.D{{Key: "claimed", Value: now.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("store: claim sync event: %w", err)
	}
	if !took {
		return offline.Busy, nil
	}
	return offline.Claimed, nil
}

// MarkSyncEvent records a claimed event as applied.
func (s *Store) MarkSyncEvent(ctx context.Context, userID, eventID string, now time.Time) error {
	if _, err := s.update(ctx, collSyncEvents, syncEventKey(userID, eventID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "state", Value: "applied"}, {Key: "received", Value: now.UTC()}}}}, false); err != nil {
		return fmt.Errorf("store: mark sync event: %w", err)
	}
	return nil
}

// ReleaseSyncEvent gives back the claim of an event that was not applied;
// an event marked applied stays.
func (s *Store) ReleaseSyncEvent(ctx context.Context, userID, eventID string) error {
	if _, err := s.deleteIf(ctx, collSyncEvents, syncEventKey(userID, eventID), bson.E{Key: "state", Value: syncClaimed},
		func(raw bson.Raw) bool { st, _ := raw.Lookup("state").StringValueOK(); return st == syncClaimed }); err != nil {
		return fmt.Errorf("store: release sync event: %w", err)
	}
	return nil
}
