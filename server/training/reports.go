package training

import (
	"context"
	"strings"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/report"
)

// Reporting is where the service writes the facts trainer reports are
// computed from, as trainees work.
type Reporting struct {
	Facts *report.Service
	// CohortsOf returns the cohorts of these ids (a person's).
	CohortsOf func(ctx context.Context, ids []string) []*cohort.Cohort
}

// followers are the ids of the person's cohorts that follow a course.
func (s *Service) followers(ctx context.Context, u *account.User, slug string) []string {
	var ids []string
	for _, co := range s.reporting.CohortsOf(ctx, u.Cohorts) {
		if co.Includes(slug) {
			ids = append(ids, co.ID)
		}
	}
	return ids
}

// recordMember writes a person's facts in a course into the reports of
// their cohorts that follow it. Reports are derived from the person's
// progress: a failure here is logged and the trainee's request goes on,
// their own work being saved already.
func (s *Service) recordMember(ctx context.Context, userID, slug string) {
	if err := s.writeMember(ctx, userID, slug); err != nil {
		s.log.Warn("report facts not recorded", "course", slug, "err", err)
	}
}

func (s *Service) writeMember(ctx context.Context, userID, slug string) error {
	u, err := s.progress.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	cohorts := s.followers(ctx, u, slug)
	if len(cohorts) == 0 {
		return nil
	}
	m, err := s.memberFacts(ctx, u, slug)
	if err != nil {
		return err
	}
	return s.reporting.Facts.RecordMember(ctx, cohorts, slug, u.ID, m)
}

// memberFacts is a person's work in a course as reports count it.
func (s *Service) memberFacts(ctx context.Context, u *account.User, slug string) (report.Member, error) {
	p, ok := u.Progress[slug]
	if !ok {
		return report.Member{}, nil
	}
	version, err := s.catalog.Get(ctx, p.Version)
	if err != nil {
		return report.Member{}, err
	}
	attempts, err := s.attemptsAt(ctx, u.ID, p.Version)
	if err != nil {
		return report.Member{}, err
	}
	var cert *Certificate
	if p.Certificate != "" {
		if cert, err = s.certs.CertificateBySerial(ctx, p.Certificate); err != nil {
			return report.Member{}, err
		}
	}
	return MemberFacts(p, version, attempts, cert), nil
}

// MemberFacts is a person's work in a course as reports count it: their
// progress, the version they follow, their attempts at it and their
// certificate (nil when none).
func MemberFacts(p account.CourseProgress, version *catalog.Course, attempts []*Attempt, cert *Certificate) report.Member {
	m := report.Member{Started: p.StartedAt, Updated: p.UpdatedAt, LessonsDone: len(p.LessonsDone), Passed: p.QuizPassed,
		BestScore: p.BestScore, Completed: p.CompletedAt}
	m.Percent = learning.Percent(version.Course, learning.Progress{LessonsDone: p.LessonsDone, QuizPassed: p.QuizPassed})
	for _, a := range attempts {
		if a.Submitted() {
			m.Attempts++
		}
	}
	if cert != nil {
		m.Certificate, m.Revoked = cert.Serial, cert.Revoked()
	}
	return m
}

// recordAnswer writes a submitted attempt into the question statistics of
// the person's cohorts that follow the course; failures as recordMember.
func (s *Service) recordAnswer(ctx context.Context, u *account.User, c *catalog.Course, a *Attempt) {
	cohorts := s.followers(ctx, u, c.Course.Slug)
	if len(cohorts) == 0 || a.Result == nil {
		return
	}
	if err := s.reporting.Facts.RecordAnswer(ctx, cohorts, c.Course.Slug, AnswerFacts(a)); err != nil {
		s.log.Warn("report facts not recorded", "course", c.Course.Slug, "err", err)
	}
}

// AnswerFacts is a submitted attempt as the question statistics count it.
func AnswerFacts(a *Attempt) report.Answer {
	out := report.Answer{AttemptID: a.ID, UserID: a.UserID, Lang: a.Lang, Score: a.Result.Score, Passed: a.Result.Passed, At: a.SubmittedAt}
	for _, q := range a.Result.Questions {
		out.Questions = append(out.Questions, report.QuestionAnswer{ID: q.Question, Correct: q.Correct, Chosen: strings.Join(q.Chosen, ",")})
	}
	return out
}

// Joined records a member of a cohort in the reports of each of its
// courses, started or not, so that the cohort's figures count them.
func (s *Service) Joined(ctx context.Context, userID, cohortID string) {
	for _, co := range s.reporting.CohortsOf(ctx, []string{cohortID}) {
		for _, slug := range co.Courses {
			s.recordMember(ctx, userID, slug)
		}
	}
}
