package training

import (
	"context"
	"errors"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/offline"
)

// Sync applies a batch of events a person queued offline (offline.Sync:
// each once, in order, refusals with their code) as the forms they stand
// for would have: lessons done, answers saved, attempts submitted (graded
// here, on arrival, never on the device).
func (s *Service) Sync(ctx context.Context, u *account.User, events []offline.Event, now time.Time) ([]offline.Result, error) {
	return offline.Sync(ctx, s.syncLog, u.ID, events, now, func(ctx context.Context, e offline.Event) (string, error) {
		_, started := u.Progress[e.Course]
		code, err := s.apply(ctx, u, e)
		if err == nil && code == "" && !started {
			// The event started the course: the next ones must see it.
			u, err = s.progress.UserByID(ctx, u.ID)
		}
		return code, err
	})
}

// apply does what the event's form would have done, or says with a
// refusal code why it cannot.
func (s *Service) apply(ctx context.Context, u *account.User, e offline.Event) (string, error) {
	if e.Kind == offline.KindLesson {
		return s.syncLesson(ctx, u, e)
	}
	return s.syncAttempt(ctx, u, e)
}

// refusedCourse tells the refusals of Open from a failure.
func refusedCourse(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, ErrSignInNeeded) || errors.Is(err, ErrNotMember)
}

// syncLesson marks a lesson done; refused when the course or lesson is
// unknown or not the person's to read.
func (s *Service) syncLesson(ctx context.Context, u *account.User, e offline.Event) (string, error) {
	c, err := s.Open(ctx, u, e.Course)
	switch {
	case refusedCourse(err):
		return offline.RefusedCourse, nil
	case err != nil:
		return "", err
	}
	if _, _, ok := c.Def.Lesson(e.Lesson); !ok {
		return offline.RefusedLesson, nil
	}
	return "", s.CompleteLesson(ctx, u, c, e.Lesson)
}

// syncAttempt saves or submits the answers of one of the person's open
// attempts, at the version it was started on.
func (s *Service) syncAttempt(ctx context.Context, u *account.User, e offline.Event) (string, error) {
	a, err := s.Owned(ctx, u, e.Attempt)
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNotYours):
		return offline.RefusedAttempt, nil
	case err != nil:
		return "", err
	case a.Course != e.Course:
		return offline.RefusedAttempt, nil
	}
	_, err = s.readable(ctx, u, a.Course)
	switch {
	case refusedCourse(err):
		return offline.RefusedCourse, nil
	case err != nil:
		return "", err
	case a.Submitted():
		return offline.RefusedFinished, nil
	}
	c, err := s.catalog.Get(ctx, a.Version)
	if err != nil {
		return "", err
	}
	answers := learning.Answers(e.Answers)
	if e.Kind == offline.KindAnswers {
		err = s.Save(ctx, u, c, a, answers)
	} else {
		_, err = s.Submit(ctx, u, c, a, answers)
	}
	switch {
	case errors.Is(err, ErrSubmitted):
		return offline.RefusedFinished, nil
	case learning.InvalidAnswers(err):
		return offline.RefusedAnswers, nil
	}
	return "", err
}
