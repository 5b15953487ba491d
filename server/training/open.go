package training

import (
	"context"
	"errors"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
)

// Why a course is not opened to a person.
var (
	ErrSignInNeeded = errors.New("training: sign in to read this course")
	ErrNotMember    = errors.New("training: course of cohorts the person is not in")
)

// Cohorts is what the access rule needs of cohorts (cohort.Service): they
// are held in memory, so that opening a lesson asks nothing of the
// database.
type Cohorts interface {
	All() []*cohort.Cohort
	OfMember(ctx context.Context, ids []string) []*cohort.Cohort
	// Reload reads these cohorts again from the database.
	Reload(ctx context.Context, ids []string) error
}

// Course returns the version of a published course a person follows (u
// nil: a visitor, who sees the published one), or ErrNotFound. It does
// not check access: a course's page is everyone's, its lessons are not.
func (s *Service) Course(ctx context.Context, u *account.User, slug string) (*catalog.Course, error) {
	published, err := s.published(slug)
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, u, published)
}

// Open returns the version of a published course a person follows once
// they may read it (u nil: a visitor): ErrNotFound for no such course,
// ErrSignInNeeded for a visitor and ErrNotMember for a person refused.
func (s *Service) Open(ctx context.Context, u *account.User, slug string) (*catalog.Course, error) {
	published, err := s.readable(ctx, u, slug)
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, u, published)
}

// OpenLesson is Open, and a lesson of the version followed with its index.
// A lesson id that cannot exist is not found before access is checked, as
// a course slug is.
func (s *Service) OpenLesson(ctx context.Context, u *account.User, slug, lesson string) (*catalog.Course, courses.Lesson, int, error) {
	if !courses.ValidSlug(lesson) {
		return nil, courses.Lesson{}, 0, ErrNotFound
	}
	c, err := s.Open(ctx, u, slug)
	if err != nil {
		return nil, courses.Lesson{}, 0, err
	}
	l, i, ok := c.Def.Lesson(lesson)
	if !ok {
		return nil, courses.Lesson{}, 0, ErrNotFound
	}
	return c, l, i, nil
}

// published finds a published course by slug; a slug that is not even
// well-formed is simply not found.
func (s *Service) published(slug string) (*catalog.Course, error) {
	if !courses.ValidSlug(slug) {
		return nil, ErrNotFound
	}
	c, ok := s.catalog.Lookup(slug)
	if !ok {
		return nil, ErrNotFound
	}
	return c, nil
}

// readable is the published course of a slug, after the access check.
func (s *Service) readable(ctx context.Context, u *account.User, slug string) (*catalog.Course, error) {
	published, err := s.published(slug)
	if err != nil {
		return nil, err
	}
	switch {
	case s.mayRead(ctx, u, published.Def):
		return published, nil
	case u == nil:
		return nil, ErrSignInNeeded
	}
	return nil, ErrNotMember
}

// mayRead applies the access rule of courses (cohort.CanRead). Before it
// refuses a member of cohorts, it reads their cohorts again: a course
// added to one on another instance a moment ago must not be refused here
// until this instance's next check of the stamps (server/freshness).
func (s *Service) mayRead(ctx context.Context, u *account.User, cc *courses.Course) bool {
	allowed := func() bool {
		r := cohort.Reader{}
		if u != nil {
			r = cohort.Reader{UserID: u.ID, Role: u.Role, Cohorts: s.cohorts.OfMember(ctx, u.Cohorts)}
		}
		return cohort.CanRead(r, cc.Access, cc.Slug, s.cohorts.All())
	}
	if allowed() {
		return true
	}
	if u == nil || len(u.Cohorts) == 0 {
		return false
	}
	if err := s.cohorts.Reload(ctx, u.Cohorts); err != nil {
		s.log.Warn("cannot read a member's cohorts again before refusing a course", "course", cc.Slug, "err", err)
		return false
	}
	return allowed()
}

// ReadLesson is OpenLesson for the lesson page: a person's reading is
// recorded (Opened), for them to continue from there.
func (s *Service) ReadLesson(ctx context.Context, u *account.User, slug, lesson string) (*catalog.Course, courses.Lesson, int, error) {
	c, l, i, err := s.OpenLesson(ctx, u, slug, lesson)
	if err != nil || u == nil {
		return c, l, i, err
	}
	return c, l, i, s.Opened(ctx, u, c, l.ID)
}
