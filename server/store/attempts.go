package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"kalan/server/learning"
	"kalan/server/training"
)

var _ training.Attempts = (*Store)(nil)

const collAttempts = "attempts"

// attemptDoc is one quiz attempt (see attempt_codec.go for the strings).
// Answers are saved as the trainee goes (the whole set each time: a
// repeated save changes nothing); the grading is written once, by the
// update that sets submitted_at. Attempt ids are deterministic (the n-th
// attempt of a person at a version), so a person's attempts are read by
// _id.
type attemptDoc struct {
	ID          string    `bson:"_id"`
	UserID      string    `bson:"user_id"`
	Course      string    `bson:"course"`
	Version     string    `bson:"version"`
	Lang        string    `bson:"lang"`
	Seed        int64     `bson:"seed"` // the bits of the uint64 seed
	Drawn       string    `bson:"drawn"`
	Answers     string    `bson:"answers"`
	StartedAt   time.Time `bson:"started_at"`
	UpdatedAt   time.Time `bson:"updated_at"`
	SubmittedAt time.Time `bson:"submitted_at,omitempty"`
	// The result, once submitted.
	Score   int    `bson:"score,omitempty"`
	Correct int    `bson:"correct,omitempty"`
	Total   int    `bson:"total,omitempty"`
	Passed  bool   `bson:"passed,omitempty"`
	Graded  string `bson:"graded,omitempty"`
	Review  string `bson:"review,omitempty"` // lessons to read again, comma-separated
}

func newAttemptDoc(a *training.Attempt) (attemptDoc, error) {
	d := attemptDoc{ID: a.ID, UserID: a.UserID, Course: a.Course, Version: a.Version, Lang: a.Lang, Seed: int64(a.Seed),
		StartedAt: a.StartedAt, UpdatedAt: a.UpdatedAt, SubmittedAt: a.SubmittedAt}
	var err error
	if d.Drawn, err = encodeDrawn(a.Drawn); err != nil {
		return d, err
	}
	if d.Answers, err = encodeAnswers(a.Answers); err != nil {
		return d, err
	}
	if a.Result != nil {
		r := a.Result
		d.Score, d.Correct, d.Total, d.Passed = r.Score, r.Correct, r.Total, r.Passed
		if d.Graded, d.Review, err = encodeResult(*r); err != nil {
			return d, err
		}
	}
	return d, nil
}

func encodeResult(r learning.Result) (graded, review string, err error) {
	if graded, err = encodeGraded(r.Questions); err != nil {
		return "", "", err
	}
	review, err = joinIDs(r.Review)
	return graded, review, err
}

func (d attemptDoc) attempt() (*training.Attempt, error) {
	a := &training.Attempt{ID: d.ID, UserID: d.UserID, Course: d.Course, Version: d.Version, Lang: d.Lang, Seed: uint64(d.Seed),
		StartedAt: d.StartedAt, UpdatedAt: d.UpdatedAt, SubmittedAt: d.SubmittedAt}
	var err error
	if a.Drawn, err = decodeDrawn(d.Drawn); err != nil {
		return nil, err
	}
	if a.Answers, err = decodeAnswers(d.Answers); err != nil {
		return nil, err
	}
	if a.Submitted() {
		r := learning.Result{Score: d.Score, Correct: d.Correct, Total: d.Total, Passed: d.Passed}
		if r.Questions, err = decodeGraded(d.Graded); err != nil {
			return nil, err
		}
		if d.Review != "" {
			r.Review = splitIDs(d.Review)
		}
		a.Result = &r
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
var notSubmitted = bson.E{Key: "submitted_at", Value: bson.D{{Key: "$exists", Value: false}}}

func isOpen(raw bson.Raw) bool { return !has(raw, "submitted_at") }

// SaveAnswers replaces the answers of an open attempt.
func (s *Store) SaveAnswers(ctx context.Context, id string, a learning.Answers, now time.Time) error {
	answers, err := encodeAnswers(a)
	if err != nil {
		return fmt.Errorf("store: save answers: %w", err)
	}
	matched, err := s.updateIf(ctx, collAttempts, id, notSubmitted, isOpen,
		bson.D{{Key: "$set", Value: bson.D{{Key: "answers", Value: answers}, {Key: "updated_at", Value: now.UTC()}}}})
	if err != nil {
		return fmt.Errorf("store: save answers: %w", err)
	}
	if !matched {
		return fmt.Errorf("store: save answers: %w", training.ErrSubmitted)
	}
	return nil
}

// FinishAttempt writes the result of an open attempt, once: the condition
// on submitted_at makes a second submission change nothing.
func (s *Store) FinishAttempt(ctx context.Context, id string, a learning.Answers, r learning.Result, now time.Time) (bool, error) {
	answers, err := encodeAnswers(a)
	if err != nil {
		return false, fmt.Errorf("store: finish attempt: %w", err)
	}
	graded, review, err := encodeResult(r)
	if err != nil {
		return false, fmt.Errorf("store: finish attempt: %w", err)
	}
	set := bson.D{{Key: "answers", Value: answers}, {Key: "score", Value: r.Score}, {Key: "correct", Value: r.Correct},
		{Key: "total", Value: r.Total}, {Key: "passed", Value: r.Passed}, {Key: "graded", Value: graded}, {Key: "review", Value: review},
		{Key: "submitted_at", Value: now.UTC()}, {Key: "updated_at", Value: now.UTC()}}
	finished, err := s.updateIf(ctx, collAttempts, id, notSubmitted, isOpen, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return false, fmt.Errorf("store: finish attempt: %w", err)
	}
	return finished, nil
}
