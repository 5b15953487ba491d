package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/cohort"
)

// Cohorts; their join codes, each the _id of a document naming its
// cohort; and the list of each cohort's members.
const (
	collCohorts       = "cohorts"
	collJoinCodes     = "join_codes"
	collCohortMembers = "cohort_members"
)

type joinCodeDoc struct {
	Code     string `bson:"_id"`
	CohortID string `bson:"cohort_id"`
}

type cohortMembersDoc struct {
	CohortID string   `bson:"_id"`
	Members  []string `bson:"members"`
}

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

// CreateCohort stores a new cohort, its join code first: a code is
// never given to two cohorts.
func (s *Store) CreateCohort(ctx context.Context, c *cohort.Cohort) error {
	_, err := s.db.Collection(collJoinCodes).InsertOne(ctx, joinCodeDoc{Code: c.JoinCode, CohortID: c.ID})
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create cohort: %w", cohort.ErrCodeTaken)
	}
	if err != nil {
		return fmt.Errorf("store: create cohort: %w", classify(err))
	}
	if _, err := s.db.Collection(collCohorts).InsertOne(ctx, cohortDoc(*c)); err != nil {
		_, _ = s.deleteIf(ctx, collJoinCodes, c.JoinCode, bson.E{Key: "cohort_id", Value: c.ID},
			func(raw bson.Raw) bool { return raw.Lookup("cohort_id").StringValue() == c.ID })
		return fmt.Errorf("store: create cohort: %w", classify(err))
	}
	s.bumpStamp(ctx, StampCohorts)
	return nil
}

// UpdateCohort saves the fields a trainer can change.
func (s *Store) UpdateCohort(ctx context.Context, c *cohort.Cohort) error {
	matched, err := s.update(ctx, collCohorts, c.ID, bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: c.Name}, {Key: "courses", Value: c.Courses}, {Key: "region", Value: c.Region},
		{Key: "organisation", Value: c.Organisation}, {Key: "starts", Value: c.Starts}, {Key: "ends", Value: c.Ends},
		{Key: "closed", Value: c.Closed},
	}}}, false)
	if err != nil {
		return fmt.Errorf("store: update cohort: %w", err)
	}
	if !matched {
		return fmt.Errorf("store: update cohort: %w", cohort.ErrNotFound)
	}
	s.bumpStamp(ctx, StampCohorts)
	return nil
}

// AddTrainer adds a trainer to a cohort; repeating it changes nothing.
func (s *Store) AddTrainer(ctx context.Context, cohortID, userID string) error {
	if _, err := s.update(ctx, collCohorts, cohortID, bson.D{{Key: "$addToSet", Value: bson.D{{Key: "trainers", Value: userID}}}}, false); err != nil {
		return fmt.Errorf("store: add trainer: %w", err)
	}
	s.bumpStamp(ctx, StampCohorts)
	return nil
}

// Cohort returns a cohort by id.
func (s *Store) Cohort(ctx context.Context, id string) (*cohort.Cohort, error) {
	d, found, err := findByID[cohortDoc](ctx, s, collCohorts, id)
	if err != nil {
		return nil, fmt.Errorf("store: cohort: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("store: cohort: %w", cohort.ErrNotFound)
	}
	c := cohort.Cohort(d)
	return &c, nil
}

// CohortByCode returns a cohort by its normalised join code.
func (s *Store) CohortByCode(ctx context.Context, code string) (*cohort.Cohort, error) {
	d, found, err := findByID[joinCodeDoc](ctx, s, collJoinCodes, code)
	if err != nil {
		return nil, fmt.Errorf("store: cohort by code: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("store: cohort by code: %w", cohort.ErrNotFound)
	}
	return s.Cohort(ctx, d.CohortID)
}

// Cohorts returns every cohort, newest first. A national deployment has
// hundreds, not millions: the server keeps them all in memory, and reads
// them here in the background.
func (s *Store) Cohorts(ctx context.Context) ([]*cohort.Cohort, error) {
	docs, err := findAll[cohortDoc](ctx, s, collCohorts, bson.D{}, options.Find().SetSort(bson.D{{Key: "created_at", Value: -1}}))
	if err != nil {
		return nil, fmt.Errorf("store: cohorts: %w", err)
	}
	out := make([]*cohort.Cohort, len(docs))
	for i, d := range docs {
		c := cohort.Cohort(d)
		out[i] = &c
	}
	return out, nil
}

// CohortMembers returns the ids of a cohort's members.
func (s *Store) CohortMembers(ctx context.Context, cohortID string) ([]string, error) {
	d, _, err := findByID[cohortMembersDoc](ctx, s, collCohortMembers, cohortID)
	if err != nil {
		return nil, fmt.Errorf("store: cohort members: %w", err)
	}
	return d.Members, nil
}

// addMembers puts people on a cohort's list; repeating it changes
// nothing. ($addToSet with $each: checked on FerretDB 1.24.2 as on MongoDB.)
func (s *Store) addMembers(ctx context.Context, cohortID string, userIDs ...string) error {
	_, err := s.update(ctx, collCohortMembers, cohortID, bson.D{{Key: "$addToSet", Value: bson.D{{Key: "members",
		Value: bson.D{{Key: "$each", Value: userIDs}}}}}}, true)
	return err
}
