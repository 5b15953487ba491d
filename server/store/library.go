package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/library"
)

var _ library.Store = (*Store)(nil)

const (
	collLibrary   = "library"
	collDownloads = "downloads"
)

type resourceDoc struct {
	ID          string            `bson:"_id"`
	Title       map[string]string `bson:"title"`
	Description map[string]string `bson:"description"`
	Topic       string            `bson:"topic"`
	Audience    string            `bson:"audience"`
	Format      string            `bson:"format"`
	Language    string            `bson:"language"`
	FileName    string            `bson:"file_name"`
	ContentType string            `bson:"content_type"`
	Size        int64             `bson:"size"`
	SHA256      string            `bson:"sha256"`
	Key         string            `bson:"key"`
	DurationMS  int64             `bson:"duration_ms,omitempty"` // of an audio file
	Licence     string            `bson:"licence"`
	Credit      string            `bson:"credit"`
	Courses     []string          `bson:"courses"`
	CreatedAt   time.Time         `bson:"created_at"`
	UpdatedAt   time.Time         `bson:"updated_at"`
	WithdrawnAt time.Time         `bson:"withdrawn_at,omitempty"`
}

func newResourceDoc(r *library.Resource) resourceDoc {
	tags := r.Courses
	if tags == nil {
		tags = []string{}
	}
	return resourceDoc{ID: r.ID, Title: r.Title, Description: r.Description, Topic: r.Topic, Audience: r.Audience,
		Format: r.Format, Language: r.Language, FileName: r.FileName, ContentType: r.ContentType, Size: r.Size,
		SHA256: r.SHA256, Key: r.Key, DurationMS: r.Duration.Milliseconds(), Licence: r.Licence, Credit: r.Credit, Courses: tags,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, WithdrawnAt: r.WithdrawnAt}
}

func (d resourceDoc) resource() *library.Resource {
	return &library.Resource{ID: d.ID, Title: courses.Text(d.Title), Description: courses.Text(d.Description), Topic: d.Topic,
		Audience: d.Audience, Format: d.Format, Language: d.Language, FileName: d.FileName, ContentType: d.ContentType,
		Size: d.Size, SHA256: d.SHA256, Key: d.Key, Duration: time.Duration(d.DurationMS) * time.Millisecond, Licence: d.Licence, Credit: d.Credit, Courses: d.Courses,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, WithdrawnAt: d.WithdrawnAt}
}

// CreateResource stores a new resource.
func (s *Store) CreateResource(ctx context.Context, r *library.Resource) error {
	_, err := s.db.Collection(collLibrary).InsertOne(ctx, newResourceDoc(r))
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create resource: %w", library.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: create resource: %w", classify(err))
	}
	s.bumpStamp(ctx, StampLibrary)
	return nil
}

// UpdateResource replaces a resource's document (one atomic write).
func (s *Store) UpdateResource(ctx context.Context, r *library.Resource) error {
	res, err := s.db.Collection(collLibrary).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, newResourceDoc(r))
	if err != nil {
		return fmt.Errorf("store: update resource: %w", classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("store: update resource: %w", library.ErrNotFound)
	}
	s.bumpStamp(ctx, StampLibrary)
	return nil
}

// Resource returns one resource.
func (s *Store) Resource(ctx context.Context, id string) (*library.Resource, error) {
	var d resourceDoc
	err := s.db.Collection(collLibrary).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("store: resource: %w", library.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: resource: %w", classify(err))
	}
	return d.resource(), nil
}

// Resources returns every resource.
func (s *Store) Resources(ctx context.Context) ([]*library.Resource, error) {
	cur, err := s.db.Collection(collLibrary).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}))
	if err != nil {
		return nil, fmt.Errorf("store: resources: %w", classify(err))
	}
	var docs []resourceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: resources: %w", classify(err))
	}
	out := make([]*library.Resource, len(docs))
	for i, d := range docs {
		out[i] = d.resource()
	}
	return out, nil
}

// CountDownload adds one to a resource's count of the day.
func (s *Store) CountDownload(ctx context.Context, id, day string) error {
	if _, err := s.update(ctx, collDownloads, id+"|"+day, bson.D{
		{Key: "$inc", Value: bson.D{{Key: "count", Value: 1}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "resource", Value: id}, {Key: "day", Value: day}}},
	}, true); err != nil {
		return fmt.Errorf("store: count download: %w", err)
	}
	return nil
}

// Downloads sums downloads per resource since a day.
func (s *Store) Downloads(ctx context.Context, since string) (map[string]int, error) {
	cur, err := s.db.Collection(collDownloads).Aggregate(ctx, mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "day", Value: bson.D{{Key: "$gte", Value: since}}}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$resource"}, {Key: "count", Value: bson.D{{Key: "$sum", Value: "$count"}}}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("store: downloads: %w", classify(err))
	}
	var rows []struct {
		ID    string `bson:"_id"`
		Count int    `bson:"count"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("store: downloads: %w", classify(err))
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Count
	}
	return out, nil
}
