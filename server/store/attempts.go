package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/training"
)

var _ training.Attempts = (*Store)(nil)

const collAttempts = "attempts"

// attemptDoc is one quiz attempt (see attempt_codec.go for the strings).
// Answers are saved as the trainee goes (the whole set each time: a
// repeated save changes nothing); the score is written once, by the
// update that sets submitted. Nothing derivable is stored: the course is
// the version's, and the grading of each question is done again from the
// immutable version when the attempt is read. Attempt ids are
// deterministic (the n-th attempt of a person at a version), so a
// person's attempts are read by _id.
type attemptDoc struct {
	ID          string    `bson:"_id"`
	UserID      string    `bson:"user"`
	Version     string    `bson:"version"`
	Lang        string    `bson:"lang"`
	Seed        int64     `bson:"seed"` // the bits of the uint64 seed
	Drawn       string    `bson:"drawn"`
	Answers     string    `bson:"answers"`
	StartedAt   time.Time `bson:"started"`
	UpdatedAt   time.Time `bson:"updated"`
	SubmittedAt time.Time `bson:"submitted,omitempty"`
	Score       int       `bson:"score,omitempty"`
	Passed      bool      `bson:"passed,omitempty"`
}

func newAttemptDoc(a *training.Attempt) (attemptDoc, error) {
	d := attemptDoc{ID: a.ID, UserID: a.UserID, Version: a.Version, Lang: a.Lang, Seed: int64(a.Seed),
		StartedAt: a.StartedAt, UpdatedAt: a.UpdatedAt, SubmittedAt: a.SubmittedAt}
	if a.Result != nil {
		d.Score, d.Passed = a.Result.Score, a.Result.Passed
	}
	var err error
	if d.Drawn, err = encodeDrawn(a.Drawn); err != nil {
		return d, err
	}
	d.Answers, err = encodeAnswers(a.Answers)
	return d, err
}

func (d attemptDoc) attempt() (*training.Attempt, error) {
	course, _, _ := strings.Cut(d.Version, "@")
	a := &training.Attempt{ID: d.ID, UserID: d.UserID, Course: course, Version: d.Version, Lang: d.Lang, Seed: uint64(d.Seed),
		StartedAt: d.StartedAt, UpdatedAt: d.UpdatedAt, SubmittedAt: d.SubmittedAt}
	var err error
	if a.Drawn, err = decodeDrawn(d.Drawn); err != nil {
		return nil, err
	}
	if a.Answers, err = decodeAnswers(d.Answers); err != nil {
		return nil, err
	}
	if a.Submitted() {
		a.Result = &learning.Result{Score: d.Score, Passed: d.Passed}
	}
	return a, nil
}

// CreateAttempt stores a new attempt.
func (s *Store) CreateAttempt(ctx context.Context, a *training.Attempt) error {
	d, err := newAttemptDoc(a)
	if err != nil {
		return fmt.Errorf("store: create attempt: %w", err)
	}
	_, err = s.db.Collection(collAttempts).InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create attempt: %w", training.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: create attempt: %w", classify(err))
	}
	return nil
}

// CreateAttempts stores many attempts in one round trip, for bulk loads
// (kalan seed); a taken id fails the batch from that attempt on.
func (s *Store) CreateAttempts(ctx context.Context, list []*training.Attempt) error {
	docs := make([]any, len(list))
	for i, a := range list {
		d, err := newAttemptDoc(a)
		if err != nil {
			return fmt.Errorf("store: create attempts: %w", err)
		}
		docs[i] = d
	}
	if _, err := s.db.Collection(collAttempts).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("store: create attempts: %w", classify(err))
	}
	return nil
}

// Attempt returns an attempt by id.
func (s *Store) Attempt(ctx context.Context, id string) (*training.Attempt, error) {
	d, found, err := findByID[attemptDoc](ctx, s, collAttempts, id)
	if err != nil {
		return nil, fmt.Errorf("store: attempt: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("store: attempt: %w", training.ErrNotFound)
	}
	a, err := d.attempt()
	if err != nil {
		return nil, fmt.Errorf("store: attempt %s: %w", id, err)
	}
	return a, nil
}

// notSubmitted is the condition of the writes of an open attempt.
var notSubmitted = bson.E{Key: "submitted", Value: bson.D{{Key: "$exists", Value: false}}}

func isOpen(raw bson.Raw) bool { return !has(raw, "submitted") }

// SaveAnswers replaces the answers of an open attempt.
func (s *Store) SaveAnswers(ctx context.Context, id string, a learning.Answers, now time.Time) error {
	answers, err := encodeAnswers(a)
	if err != nil {
		return fmt.Errorf("store: save answers: %w", err)
	}
	matched, err := s.updateIf(ctx, collAttempts, id, notSubmitted, isOpen,
		bson.D{{Key: "$set", Value: bson.D{{Key: "answers", Value: answers}, {Key: "updated", Value: now.UTC()}}}})
	if err != nil {
		return fmt.Errorf("store: save answers: %w", err)
	}
	if !matched {
		return fmt.Errorf("store: save answers: %w", training.ErrSubmitted)
	}
	return nil
}

// FinishAttempt writes the answers and score of an open attempt, once:
// the condition on submitted makes a second submission change nothing.
func (s *Store) FinishAttempt(ctx context.Context, id string, a learning.Answers, r learning.Result, now time.Time) (bool, error) {
	answers, err := encodeAnswers(a)
	if err != nil {
		return false, fmt.Errorf("store: finish attempt: %w", err)
	}
	set := bson.D{{Key: "answers", Value: answers}, {Key: "score", Value: r.Score}, {Key: "passed", Value: r.Passed},
		{Key: "submitted", Value: now.UTC()}, {Key: "updated", Value: now.UTC()}}
	finished, err := s.updateIf(ctx, collAttempts, id, notSubmitted, isOpen, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return false, fmt.Errorf("store: finish attempt: %w", err)
	}
	return finished, nil
}
