package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kalan-platform/kalan/server/account"
)

// progressDoc is a person's work in one course, inside their user
// document: the lesson page reads it with the account, in the same round
// trip. Paths are "progress.<course slug>.<field>"; every write is one
// atomic update of the user document.
type progressDoc struct {
	Version     string    `bson:"version"`
	LessonsDone []string  `bson:"lessons_done"`
	Last        string    `bson:"last,omitempty"`
	QuizPassed  bool      `bson:"quiz_passed,omitempty"`
	BestScore   int       `bson:"best_score,omitempty"`
	StartedAt   time.Time `bson:"started_at"`
	UpdatedAt   time.Time `bson:"updated_at"`
	CompletedAt time.Time `bson:"completed_at,omitempty"`
	Certificate string    `bson:"certificate,omitempty"`
	Earlier     []string  `bson:"earlier_certificates,omitempty"`
}

func newProgressDocs(m map[string]account.CourseProgress) map[string]progressDoc {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]progressDoc, len(m))
	for slug, p := range m {
		out[slug] = progressDoc(p)
	}
	return out
}

func progressOf(m map[string]progressDoc) map[string]account.CourseProgress {
	out := make(map[string]account.CourseProgress, len(m))
	for slug, p := range m {
		if p.LessonsDone == nil {
			p.LessonsDone = []string{}
		}
		out[slug] = account.CourseProgress(p)
	}
	return out
}

func progressPath(slug, field string) string { return "progress." + slug + "." + field }

// StartCourse pins a person to a course version, unless they started the
// course already (then nothing changes: their version stays).
func (s *Store) StartCourse(ctx context.Context, userID, slug, version string, now time.Time) error {
	_, err := s.updateIf(ctx, collUsers, userID,
		bson.E{Key: "progress." + slug, Value: bson.D{{Key: "$exists", Value: false}}},
		func(raw bson.Raw) bool { return !has(raw, "progress", slug) },
		bson.D{{Key: "$set", Value: bson.D{{Key: "progress." + slug, Value: progressDoc{
			Version: version, LessonsDone: []string{}, StartedAt: now.UTC(), UpdatedAt: now.UTC(),
		}}}}})
	if err != nil {
		return fmt.Errorf("store: start course: %w", err)
	}
	return nil
}

// CompleteLesson records a lesson as done; repeating it changes nothing.
func (s *Store) CompleteLesson(ctx context.Context, userID, slug, lesson string, now time.Time) error {
	return s.updateProgress(ctx, userID, slug, bson.D{
		{Key: "$addToSet", Value: bson.D{{Key: progressPath(slug, "lessons_done"), Value: lesson}}},
		{Key: "$set", Value: bson.D{{Key: progressPath(slug, "last"), Value: lesson}, {Key: progressPath(slug, "updated_at"), Value: now.UTC()}}},
	})
}

// SetLastLesson remembers where to continue.
func (s *Store) SetLastLesson(ctx context.Context, userID, slug, lesson string) error {
	return s.updateProgress(ctx, userID, slug, bson.D{{Key: "$set", Value: bson.D{{Key: progressPath(slug, "last"), Value: lesson}}}})
}

// RecordScore keeps the best score and, once passed, that the final quiz
// was passed.
func (s *Store) RecordScore(ctx context.Context, userID, slug string, score int, passed bool, now time.Time) error {
	set := bson.D{{Key: progressPath(slug, "updated_at"), Value: now.UTC()}}
	if passed {
		set = append(set, bson.E{Key: progressPath(slug, "quiz_passed"), Value: true})
	}
	return s.updateProgress(ctx, userID, slug, bson.D{
		{Key: "$max", Value: bson.D{{Key: progressPath(slug, "best_score"), Value: score}}},
		{Key: "$set", Value: set},
	})
}

// SetCompleted records completion and the certificate's serial, once: a
// second call keeps the first values.
func (s *Store) SetCompleted(ctx context.Context, userID, slug, serial string, at time.Time) error {
	_, err := s.updateIf(ctx, collUsers, userID,
		bson.E{Key: progressPath(slug, "certificate"), Value: bson.D{{Key: "$exists", Value: false}}},
		func(raw bson.Raw) bool { return !has(raw, "progress", slug, "certificate") },
		bson.D{{Key: "$set", Value: bson.D{{Key: progressPath(slug, "completed_at"), Value: at.UTC()}, {Key: progressPath(slug, "certificate"), Value: serial}}}})
	if err != nil {
		return fmt.Errorf("store: set completed: %w", err)
	}
	return nil
}

// ReplaceCertificate puts a new serial in place of a revoked one, with
// the new completion date, if the progress still holds the revoked one:
// of concurrent replacements, the first wins and reports true. The old
// serial is kept in the list of earlier ones.
func (s *Store) ReplaceCertificate(ctx context.Context, userID, slug, revoked, serial string, at time.Time) (bool, error) {
	replaced, err := s.updateIf(ctx, collUsers, userID,
		bson.E{Key: progressPath(slug, "certificate"), Value: revoked},
		func(raw bson.Raw) bool {
			v, ok := raw.Lookup("progress", slug, "certificate").StringValueOK()
			return ok && v == revoked
		},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: progressPath(slug, "completed_at"), Value: at.UTC()}, {Key: progressPath(slug, "certificate"), Value: serial}}},
			{Key: "$addToSet", Value: bson.D{{Key: progressPath(slug, "earlier_certificates"), Value: revoked}}},
		})
	if err != nil {
		return false, fmt.Errorf("store: replace certificate: %w", err)
	}
	return replaced, nil
}

func (s *Store) updateProgress(ctx context.Context, userID, slug string, update bson.D) error {
	matched, err := s.updateIf(ctx, collUsers, userID,
		bson.E{Key: "progress." + slug, Value: bson.D{{Key: "$exists", Value: true}}},
		func(raw bson.Raw) bool { return has(raw, "progress", slug) }, update)
	if err != nil {
		return fmt.Errorf("store: update progress: %w", err)
	}
	if !matched {
		return fmt.Errorf("store: update progress of %s: %w", slug, account.ErrNotFound)
	}
	return nil
}
