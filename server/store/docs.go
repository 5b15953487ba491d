package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// byID is the filter of every hot read and write.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// findByID decodes the document _id = id of coll; found is false when
// there is none.
func findByID[T any](ctx context.Context, s *Store, coll, id string) (doc T, found bool, err error) {
	raw, found, err := s.rawByID(ctx, coll, id)
	if err != nil || !found {
		return doc, found, err
	}
	if err := bson.Unmarshal(raw, &doc); err != nil {
		return doc, false, fmt.Errorf("store: decode %s %q: %w", coll, id, err)
	}
	return doc, true, nil
}

// rawByID reads a document by _id, through the cache of its collection
// when it has one.
func (s *Store) rawByID(ctx context.Context, coll, id string) (bson.Raw, bool, error) {
	cache := s.cacheOf(coll)
	if raw, ok := cache.get(id); ok {
		return raw, true, nil
	}
	gen := cache.gen(id)
	raw, err := s.db.Collection(coll).FindOne(ctx, byID(id)).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, classify(err)
	}
	raw = bson.Raw(append([]byte(nil), raw...))
	cache.put(id, raw, gen)
	return raw, true, nil
}

// findAll decodes every document a filter matches. It serves the
// listings that are not on a trainee's path (admin pages, reports,
// sweeps, migrations); each caller says how its cost is bounded.
func findAll[T any](ctx context.Context, s *Store, coll string, filter bson.D, opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := s.db.Collection(coll).Find(ctx, filter, opts...)
	if err != nil {
		return nil, classify(err)
	}
	var out []T
	if err := cur.All(ctx, &out); err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// update applies an update to the document _id = id (creating it when
// upsert is set) and reports whether a document matched. FerretDB 1.24
// reads, changes and writes back a document without a lock, so two
// concurrent updates of one document can lose one: a process that owns
// its database takes the document's lock first. Two first upserts at once
// on MongoDB: one inserts, the other gets a duplicate key and is tried
// again, now as an update.
func (s *Store) update(ctx context.Context, coll, id string, update bson.D, upsert bool) (bool, error) {
	defer s.lockDoc(coll, id)()
	defer s.cacheOf(coll).forget(id)
	for try := 0; ; try++ {
		res, err := s.db.Collection(coll).UpdateOne(ctx, byID(id), update, options.UpdateOne().SetUpsert(upsert))
		if upsert && try == 0 && mongo.IsDuplicateKeyError(err) {
			continue
		}
		if err != nil {
			return false, classify(err)
		}
		return res.MatchedCount+res.UpsertedCount > 0, nil
	}
}

// replace writes a whole document by _id, creating it if needed.
func (s *Store) replace(ctx context.Context, coll, id string, doc any) error {
	defer s.lockDoc(coll, id)()
	defer s.cacheOf(coll).forget(id)
	_, err := s.db.Collection(coll).ReplaceOne(ctx, byID(id), doc, options.Replace().SetUpsert(true))
	return classify(err)
}

// deleteByID deletes a document; a missing one is not an error.
func (s *Store) deleteByID(ctx context.Context, coll, id string) error {
	defer s.lockDoc(coll, id)()
	defer s.cacheOf(coll).forget(id)
	_, err := s.db.Collection(coll).DeleteOne(ctx, byID(id))
	return classify(err)
}

// lockDoc takes the in-process lock of a document when the process owns
// the database, and returns its release.
func (s *Store) lockDoc(coll, id string) (unlock func()) {
	if s.owned == nil {
		return func() {}
	}
	return s.owned.lock(coll + "\x00" + id)
}

// cacheOf is the cache of a collection's documents, nil for those not
// cached (a nil cache keeps nothing).
func (s *Store) cacheOf(coll string) *docCache {
	switch coll {
	case collUsers:
		return s.users
	case collSessions:
		return s.sess
	}
	return nil
}
