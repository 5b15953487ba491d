package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"kalan/server/cohort"
)

const collCohorts = "cohorts"

var _ cohort.Store = (*Store)(nil)

type cohortDoc struct {
	ID           string    `bson:"_id"`
	Name         string    `bson:"name"`
	Courses      []string  `bson:"courses"`
	Region       string    `bson:"region"`
	Organisation string    `bson:"organisation"`
	Starts       time.Time `bson:"starts"`
	Ends         time.Time `bson:"ends"`
	JoinCode     string    `bson:"join_code"`
	Trainers     []string  `bson:"trainers"`
	Closed       bool      `bson:"closed"`
	CreatedBy    string    `bson:"created_by"`
	CreatedAt    time.Time `bson:"created_at"`
}

// CreateCohort stores a new cohort.
func (s *Store) CreateCohort(ctx context.Context, c *cohort.Cohort) error {
	_, err := s.db.Collection(collCohorts).InsertOne(ctx, cohortDoc(*c))
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create cohort: %w", cohort.ErrCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("store: create cohort: %w", classify(err))
	}
	return nil
}

// UpdateCohort saves the fields a trainer can change.
func (s *Store) UpdateCohort(ctx context.Context, c *cohort.Cohort) error {
	res, err := s.db.Collection(collCohorts).UpdateOne(ctx, bson.D{{Key: "_id", Value: c.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: c.Name}, {Key: "courses", Value: c.Courses}, {Key: "region", Value: c.Region},
		{Key: "organisation", Value: c.Organisation}, {Key: "starts", Value: c.Starts}, {Key: "ends", Value: c.Ends},
		{Key: "closed", Value: c.Closed},
	}}})
	if err != nil {
		return fmt.Errorf("store: update cohort: %w", classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("store: update cohort: %w", cohort.ErrNotFound)
	}
	return nil
}

// AddTrainer adds a trainer to a cohort; repeating it changes nothing.
func (s *Store) AddTrainer(ctx context.Context, cohortID, userID string) error {
	_, err := s.db.Collection(collCohorts).UpdateOne(ctx, bson.D{{Key: "_id", Value: cohortID}},
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "trainers", Value: userID}}}})
	if err != nil {
		return fmt.Errorf("store: add trainer: %w", classify(err))
	}
	return nil
}

func (s *Store) findCohort(ctx context.Context, filter bson.D) (*cohort.Cohort, error) {
	var d cohortDoc
	err := s.db.Collection(collCohorts).FindOne(ctx, filter).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("store: cohort: %w", cohort.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: cohort: %w", classify(err))
	}
	c := cohort.Cohort(d)
	return &c, nil
}

// Cohort returns a cohort by id.
func (s *Store) Cohort(ctx context.Context, id string) (*cohort.Cohort, error) {
	return s.findCohort(ctx, bson.D{{Key: "_id", Value: id}})
}

// CohortByCode returns a cohort by its normalised join code.
func (s *Store) CohortByCode(ctx context.Context, code string) (*cohort.Cohort, error) {
	return s.findCohort(ctx, bson.D{{Key: "join_code", Value: code}})
}

// Cohorts returns every cohort, newest first. A national deployment has
// hundreds, not millions: the server keeps them all in memory.
func (s *Store) Cohorts(ctx context.Context) ([]*cohort.Cohort, error) {
	cur, err := s.db.Collection(collCohorts).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}))
	if err != nil {
		return nil, fmt.Errorf("store: cohorts: %w", classify(err))
	}
	var docs []cohortDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: cohorts: %w", classify(err))
	}
	out := make([]*cohort.Cohort, len(docs))
	for i, d := range docs {
		c := cohort.Cohort(d)
		out[i] = &c
	}
	return out, nil
}
