package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

var _ catalog.Store = (*Store)(nil)

// Collections of the course catalog:
//   - course_versions: one immutable document per imported version, _id "<slug>@<number>";
//   - courses: one document per course, _id the slug, pointing at the published version.
const (
	collVersions = "course_versions"
	collCourses  = "courses"
)

type pointerDoc struct {
	Slug        string    `bson:"_id"`
	VersionID   string    `bson:"version_id"`
	Hash        string    `bson:"hash"`
	PublishedAt time.Time `bson:"published_at"`
}

// Published lists the pointer of every published course.
func (s *Store) Published(ctx context.Context) ([]catalog.Pointer, error) {
	cur, err := s.db.Collection(collCourses).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: published courses: %w", classify(err))
	}
	var docs []pointerDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: published courses: %w", classify(err))
	}
	out := make([]catalog.Pointer, len(docs))
	for i, d := range docs {
		out[i] = catalog.Pointer{Slug: d.Slug, VersionID: d.VersionID, Hash: d.Hash, PublishedAt: d.PublishedAt}
	}
	return out, nil
}

// Version returns one version by id.
func (s *Store) Version(ctx context.Context, id string) (*catalog.Version, error) {
	return s.findVersion(ctx, bson.D{{Key: "_id", Value: id}}, id)
}

// VersionByHash returns the version of slug with that content hash.
func (s *Store) VersionByHash(ctx context.Context, slug, hash string) (*catalog.Version, error) {
	return s.findVersion(ctx, bson.D{{Key: "slug", Value: slug}, {Key: "hash", Value: hash}}, slug+"#"+hash)
}

func (s *Store) findVersion(ctx context.Context, filter bson.D, what string) (*catalog.Version, error) {
	var d versionDoc
	err := s.db.Collection(collVersions).FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("store: course version %q: %w", what, catalog.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: course version %q: %w", what, classify(err))
	}
	return d.version(), nil
}

// CreateVersion stores c as the next version of its course. Numbers come
// from the highest existing one; the unique _id settles a race between two
// imports, and the unique (slug, hash) index makes a repeated import of the
// same files return the version already written.
func (s *Store) CreateVersion(ctx context.Context, c *courses.Course, at time.Time) (*catalog.Version, error) {
	coll := s.db.Collection(collVersions)
	for attempt := 0; attempt < 5; attempt++ {
		var last struct {
			Number int `bson:"number"`
		}
		err := coll.FindOne(ctx, bson.D{{Key: "slug", Value: c.Slug}},
			options.FindOne().SetSort(bson.D{{Key: "number", Value: -1}}).SetProjection(bson.D{{Key: "number", Value: 1}})).Decode(&last)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, fmt.Errorf("store: create version of %s: %w", c.Slug, classify(err))
		}
		d := newVersionDoc(c, last.Number+1, at)
		_, err = coll.InsertOne(ctx, d)
		if err == nil {
			return d.version(), nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("store: create version of %s: %w", c.Slug, classify(err))
		}
		if v, err := s.VersionByHash(ctx, c.Slug, c.Hash); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("store: create version of %s: too many concurrent imports", c.Slug)
}

// Publish points the course of v at v; one single-document write.
func (s *Store) Publish(ctx context.Context, v *catalog.Version, at time.Time) error {
	publish := func() error {
		_, err := s.db.Collection(collCourses).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: v.Def.Slug}},
			bson.D{{Key: "$set", Value: bson.D{
				{Key: "version_id", Value: v.ID},
				{Key: "hash", Value: v.Def.Hash},
				{Key: "published_at", Value: at},
			}}},
			options.UpdateOne().SetUpsert(true))
		return err
	}
	err := publish()
	if mongo.IsDuplicateKeyError(err) {
		// Two first publications raced to insert the pointer; the loser
		// finds it now and updates it.
		err = publish()
	}
	if err != nil {
		return fmt.Errorf("store: publish %s: %w", v.ID, classify(err))
	}
	s.bumpStamp(ctx, StampCatalog)
	return nil
}

// PublishOver points the course of v at v if it still points at base (a
// version id), or at v already (a second publication of the same files):
// one conditional write by _id (updateIf: atomic on MongoDB and in a
// process that owns the embedded database). It reports whether it did.
func (s *Store) PublishOver(ctx context.Context, v *catalog.Version, base string, at time.Time) (bool, error) {
	holds := func(raw bson.Raw) bool {
		id, ok := raw.Lookup("version_id").StringValueOK()
		return ok && (id == base || id == v.ID)
	}
	cond := bson.E{Key: "version_id", Value: bson.D{{Key: "$in", Value: bson.A{base, v.ID}}}}
	ok, err := s.updateIf(ctx, collCourses, v.Def.Slug, cond, holds, bson.D{{Key: "$set", Value: bson.D{
		{Key: "version_id", Value: v.ID}, {Key: "hash", Value: v.Def.Hash}, {Key: "published_at", Value: at},
	}}})
	if err != nil {
		return false, fmt.Errorf("store: publish %s over %s: %w", v.ID, base, err)
	}
	if ok {
		s.bumpStamp(ctx, StampCatalog)
	}
	return ok, nil
}

// KeepFiles lists the files of a version imported before Kalan kept
// them. The list is the one its hash was taken from, so writing it twice,
// or from two instances at once, writes the same thing.
func (s *Store) KeepFiles(ctx context.Context, id string, files []courses.File) error {
	_, err := s.db.Collection(collVersions).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "files", Value: fileDocs(files)}}}})
	if err != nil {
		return fmt.Errorf("store: keep the files of %s: %w", id, classify(err))
	}
	return nil
}

// VersionID is the _id of version number n of a course.
func VersionID(slug string, n int) string { return slug + "@" + strconv.Itoa(n) }
