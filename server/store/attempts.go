package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"kalan/server/learning"
	"kalan/server/training"
)

var _ training.Attempts = (*Store)(nil)

const collAttempts = "attempts"

type drawnDoc struct {
	Question string   `bson:"q"`
	Options  []string `bson:"o"`
}

type questionResultDoc struct {
	Question       string   `bson:"q"`
	Correct        bool     `bson:"correct"`
	Chosen         []string `bson:"chosen"`
	CorrectOptions []string `bson:"correct_options"`
}

type resultDoc struct {
	Score     int                 `bson:"score"`
	Correct   int                 `bson:"correct"`
	Total     int                 `bson:"total"`
	Passed    bool                `bson:"passed"`
	Questions []questionResultDoc `bson:"questions"`
	Review    []string            `bson:"review"`
}

// attemptDoc is one quiz attempt. Answers are saved as the trainee goes
// (the whole set each time: a repeated save changes nothing); the result
// is written once, by the update that sets submitted_at.
type attemptDoc struct {
	ID          string              `bson:"_id"`
	UserID      string              `bson:"user_id"`
	Course      string              `bson:"course"`
	Version     string              `bson:"version"`
	Lang        string              `bson:"lang"`
	Seed        int64               `bson:"seed"` // the bits of the uint64 seed
	Drawn       []drawnDoc          `bson:"drawn"`
	Answers     map[string][]string `bson:"answers"`
	StartedAt   time.Time           `bson:"started_at"`
	UpdatedAt   time.Time           `bson:"updated_at"`
	SubmittedAt time.Time           `bson:"submitted_at,omitempty"`
	Result      *resultDoc          `bson:"result,omitempty"`
}

func newAttemptDoc(a *training.Attempt) attemptDoc {
	d := attemptDoc{ID: a.ID, UserID: a.UserID, Course: a.Course, Version: a.Version, Lang: a.Lang, Seed: int64(a.Seed),
		Answers: answersDoc(a.Answers), StartedAt: a.StartedAt, UpdatedAt: a.UpdatedAt, SubmittedAt: a.SubmittedAt}
	for _, q := range a.Drawn {
		d.Drawn = append(d.Drawn, drawnDoc{Question: q.Question, Options: q.Options})
	}
	if a.Result != nil {
		r := newResultDoc(*a.Result)
		d.Result = &r
	}
	return d
}

func answersDoc(a learning.Answers) map[string][]string {
	out := map[string][]string{}
	for q, opts := range a {
		out[q] = opts
	}
	return out
}

func newResultDoc(r learning.Result) resultDoc {
	d := resultDoc{Score: r.Score, Correct: r.Correct, Total: r.Total, Passed: r.Passed, Review: r.Review}
	for _, q := range r.Questions {
		d.Questions = append(d.Questions, questionResultDoc(q))
	}
	return d
}

func (d attemptDoc) attempt() *training.Attempt {
	a := &training.Attempt{ID: d.ID, UserID: d.UserID, Course: d.Course, Version: d.Version, Lang: d.Lang, Seed: uint64(d.Seed),
		Answers: learning.Answers(d.Answers), StartedAt: d.StartedAt, UpdatedAt: d.UpdatedAt, SubmittedAt: d.SubmittedAt}
	if a.Answers == nil {
		a.Answers = learning.Answers{}
	}
	for _, q := range d.Drawn {
		a.Drawn = append(a.Drawn, learning.Drawn(q))
	}
	if d.Result != nil {
		r := learning.Result{Score: d.Result.Score, Correct: d.Result.Correct, Total: d.Result.Total, Passed: d.Result.Passed, Review: d.Result.Review}
		for _, q := range d.Result.Questions {
			r.Questions = append(r.Questions, learning.QuestionResult(q))
		}
		a.Result = &r
	}
	return a
}

// CreateAttempt stores a new attempt.
func (s *Store) CreateAttempt(ctx context.Context, a *training.Attempt) error {
	_, err := s.db.Collection(collAttempts).InsertOne(ctx, newAttemptDoc(a))
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
	var d attemptDoc
	err := s.db.Collection(collAttempts).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("store: attempt: %w", training.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: attempt: %w", classify(err))
	}
	return d.attempt(), nil
}

// UserAttempts returns a person's attempts at a version, oldest first.
func (s *Store) UserAttempts(ctx context.Context, userID, version string) ([]*training.Attempt, error) {
	cur, err := s.db.Collection(collAttempts).Find(ctx, bson.D{{Key: "user_id", Value: userID}, {Key: "version", Value: version}},
		options.Find().SetSort(bson.D{{Key: "started_at", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("store: attempts: %w", classify(err))
	}
	var docs []attemptDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: attempts: %w", classify(err))
	}
	out := make([]*training.Attempt, len(docs))
	for i, d := range docs {
		out[i] = d.attempt()
	}
	return out, nil
}

// notSubmitted is the condition of the writes of an open attempt.
var notSubmitted = bson.E{Key: "submitted_at", Value: bson.D{{Key: "$exists", Value: false}}}

func isOpen(raw bson.Raw) bool { return !has(raw, "submitted_at") }

// SaveAnswers replaces the answers of an open attempt.
func (s *Store) SaveAnswers(ctx context.Context, id string, a learning.Answers, now time.Time) error {
	matched, err := s.updateIf(ctx, collAttempts, id, notSubmitted, isOpen,
		bson.D{{Key: "$set", Value: bson.D{{Key: "answers", Value: answersDoc(a)}, {Key: "updated_at", Value: now.UTC()}}}})
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
	finished, err := s.updateIf(ctx, collAttempts, id, notSubmitted, isOpen,
		bson.D{{Key: "$set", Value: bson.D{{Key: "answers", Value: answersDoc(a)}, {Key: "result", Value: newResultDoc(r)},
			{Key: "submitted_at", Value: now.UTC()}, {Key: "updated_at", Value: now.UTC()}}}})
	if err != nil {
		return false, fmt.Errorf("store: finish attempt: %w", err)
	}
	return finished, nil
}
