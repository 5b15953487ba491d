package training

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
)

// Summary is a person's own work, as their home and account pages show it.
type Summary struct {
	Continue     []Continuing      // courses in progress, most recent first
	Certificates []Earned          // most recent first
	ToStart      []*catalog.Course // published courses of their cohorts not started yet
}

// Continuing is a course in progress and the step to take next in the
// version the person follows.
type Continuing struct {
	Course  *catalog.Course // the version followed
	Slug    string
	Step    learning.Step // a lesson, or the quiz
	Updated time.Time
}

// Earned is a certificate the person holds.
type Earned struct {
	Course    *catalog.Course // the version it was earned on
	Serial    string
	Completed time.Time
}

// Summary is built from the account document (already read for the
// session) and the in-memory catalog and cohorts: it costs no database
// query, so the home page stays cheap at any scale.
func (s *Service) Summary(ctx context.Context, u *account.User) (Summary, error) {
	var out Summary
	member := s.cohorts.OfMember(ctx, u.Cohorts)
	reader, all := cohort.Reader{UserID: u.ID, Role: u.Role, Cohorts: member}, s.cohorts.All()
	for slug, cp := range u.Progress {
		course, err := s.catalog.Get(ctx, cp.Version) // in memory once loaded
		if errors.Is(err, catalog.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		if cp.Certificate != "" {
			out.Certificates = append(out.Certificates, Earned{Course: course, Serial: cp.Certificate, Completed: cp.CompletedAt})
			continue
		}
		// Lessons are read on the published course's URLs: a withdrawn
		// course, or one whose cohort the person left, has nowhere to go.
		published, ok := s.catalog.Lookup(slug)
		if !ok || !cohort.CanRead(reader, published.Def.Access, slug, all) {
			continue
		}
		prog := learning.Progress{LessonsDone: cp.LessonsDone, QuizPassed: cp.QuizPassed}
		if learning.Complete(course.Def, prog) {
			continue
		}
		step := learning.Resume(course.Def, prog, cp.Last)
		if step.Lesson == "" && !step.Quiz {
			continue
		}
		out.Continue = append(out.Continue, Continuing{Course: course, Slug: slug, Step: step, Updated: cp.UpdatedAt})
	}
	// Most recent first; the slug or serial breaks ties, so the order is stable.
	slices.SortFunc(out.Continue, func(a, b Continuing) int {
		return cmp.Or(b.Updated.Compare(a.Updated), cmp.Compare(a.Slug, b.Slug))
	})
	slices.SortFunc(out.Certificates, func(a, b Earned) int {
		return cmp.Or(b.Completed.Compare(a.Completed), cmp.Compare(a.Serial, b.Serial))
	})
	seen := map[string]bool{}
	for _, co := range member {
		for _, slug := range co.Courses {
			if _, started := u.Progress[slug]; started || seen[slug] {
				continue
			}
			seen[slug] = true
			if course, ok := s.catalog.Lookup(slug); ok {
				out.ToStart = append(out.ToStart, course)
			}
		}
	}
	return out, nil
}
