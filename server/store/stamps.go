package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Kinds of data every instance keeps in memory, each with a stamp in
// {_id: "stamps"} of collMeta. Every write of a kind sets its stamp to a
// new random value after the data is written, so an instance that reads
// a stamp different from the one it last loaded at knows that its copy
// is old (a random value, not a counter: two concurrent writers cannot
// leave the same value behind, whatever the server does with $inc).
const (
	StampCatalog = "catalog"
	StampCohorts = "cohorts"
	StampLibrary = "library"
)

const stampsID = "stamps"

// Stamps reads the stamps, one document by _id: every instance does it
// every second. A kind never written has no stamp.
func (s *Store) Stamps(ctx context.Context) (map[string]string, error) {
	raw, err := s.db.Collection(collMeta).FindOne(ctx, byID(stampsID)).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: stamps: %w", classify(err))
	}
	out := map[string]string{}
	for _, kind := range []string{StampCatalog, StampCohorts, StampLibrary} {
		if v, ok := raw.Lookup(kind).StringValueOK(); ok {
			out[kind] = v
		}
	}
	return out, nil
}

// bumpStamp gives a kind a new stamp after a write of it. The write is
// done and is not undone when this fails: other instances then see it at
// their next full refresh, which the warning says.
func (s *Store) bumpStamp(ctx context.Context, kind string) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	if _, err := s.update(ctx, collMeta, stampsID, bson.D{{Key: "$set", Value: bson.D{{Key: kind, Value: hex.EncodeToString(b[:])}}}}, true); err != nil {
		s.log.Warn("other instances will see this change at their next full refresh", "kind", kind, "err", err)
	}
}
