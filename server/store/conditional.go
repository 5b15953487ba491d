package store

import (
	"context"
	"errors"
	"hash/maphash"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// updateIf updates the document _id = id of coll when cond holds, and
// reports whether it did. With MongoDB, cond is part of the filter and the
// server applies it atomically. The embedded FerretDB (1.24) uses its _id
// index only for a filter that is a bare _id: any other filter reads and
// decodes the whole collection, at every lesson done or answer saved; nor
// is its read-then-write atomic. In a process that owns the database, the
// document is read by _id and the condition checked (holds, the same
// condition in Go) under the document's lock, then written by _id. Every
// write that can change such a condition goes through here or update.
func (s *Store) updateIf(ctx context.Context, coll, id string, cond bson.E, holds func(bson.Raw) bool, update bson.D) (bool, error) {
	defer s.lockDoc(coll, id)()
	defer s.cacheOf(coll).forget(id)
	filter, ok, err := s.conditionFilter(ctx, coll, id, cond, holds)
	if !ok || err != nil {
		return false, err
	}
	res, err := s.db.Collection(coll).UpdateOne(ctx, filter, update)
	if err != nil {
		return false, classify(err)
	}
	return res.MatchedCount == 1, nil
}

// deleteIf deletes the document _id = id of coll when cond holds, the
// same way updateIf updates, and reports whether it did.
func (s *Store) deleteIf(ctx context.Context, coll, id string, cond bson.E, holds func(bson.Raw) bool) (bool, error) {
	defer s.lockDoc(coll, id)()
	defer s.cacheOf(coll).forget(id)
	filter, ok, err := s.conditionFilter(ctx, coll, id, cond, holds)
	if !ok || err != nil {
		return false, err
	}
	res, err := s.db.Collection(coll).DeleteOne(ctx, filter)
	if err != nil {
		return false, classify(err)
	}
	return res.DeletedCount == 1, nil
}

// conditionFilter is the filter of a conditional write, taken under the
// document's lock: with MongoDB, _id and the condition; in a process that
// owns the database, _id alone once the condition was checked here (ok
// is false when it does not hold, or the document is missing).
func (s *Store) conditionFilter(ctx context.Context, coll, id string, cond bson.E, holds func(bson.Raw) bool) (filter bson.D, ok bool, err error) {
	if s.owned == nil {
		return append(byID(id), cond), true, nil
	}
	raw, err := s.db.Collection(coll).FindOne(ctx, byID(id)).Raw()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, false, nil
	case err != nil:
		return nil, false, classify(err)
	}
	return byID(id), holds(raw), nil
}

// has reports whether a document has a value at a path.
func has(raw bson.Raw, path ...string) bool {
	_, err := raw.LookupErr(path...)
	return err == nil
}

// docLocks are striped locks of documents: two writes of one document
// never interleave; two of different documents rarely wait for each other.
type docLocks struct {
	seed    maphash.Seed
	stripes [256]sync.Mutex
}

func (l *docLocks) lock(key string) (unlock func()) {
	m := &l.stripes[maphash.String(l.seed, key)%uint64(len(l.stripes))]
	m.Lock()
	return m.Unlock
}
