package training

import (
	"context"
	"log/slog"
	"strings"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/report"
)

// Users is what the recorder needs of the accounts.
type Users interface {
	UserByID(ctx context.Context, id string) (*account.User, error)
}

// Recorder writes the facts trainer reports are computed from, as
// trainees work and as people join cohorts. It is apart from the Service
// so that the services that enrol people (auth, cohort) are handed it
// when they are built, before the training service.
type Recorder struct {
	users    Users
	attempts Attempts
	certs    Certificates
	catalog  *catalog.Catalog
	facts    *report.Service
	cohorts  Cohorts
	log      *slog.Logger
}

// RecorderDeps are what a recorder is built from.
type RecorderDeps struct {
	Users        Users
	Attempts     Attempts
	Certificates Certificates
	Catalog      *catalog.Catalog
	Facts        *report.Service // where the facts are written
	Cohorts      Cohorts         // a person's cohorts, which decide the reports written
	Log          *slog.Logger
}

// NewRecorder returns a recorder.
func NewRecorder(d RecorderDeps) *Recorder {
	return &Recorder{users: d.Users, attempts: d.Attempts, certs: d.Certificates, catalog: d.Catalog, facts: d.Facts,
		cohorts: d.Cohorts, log: d.Log}
}

// followers are the ids of the person's cohorts that follow a course.
func (r *Recorder) followers(ctx context.Context, u *account.User, slug string) []string {
	var ids []string
	for _, co := range r.cohorts.OfMember(ctx, u.Cohorts) {
		if co.Includes(slug) {
			ids = append(ids, co.ID)
		}
	}
	return ids
}

// member writes a person's facts in a course into the reports of their
// cohorts that follow it. Reports are derived from the person's progress:
// a failure here is logged and the trainee's request goes on, their own
// work being saved already.
func (r *Recorder) member(ctx context.Context, userID, slug string) {
	if err := r.writeMember(ctx, userID, slug); err != nil {
		r.log.Warn("report facts not recorded", "course", slug, "err", err)
	}
}

func (r *Recorder) writeMember(ctx context.Context, userID, slug string) error {
	u, err := r.users.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	cohorts := r.followers(ctx, u, slug)
	if len(cohorts) == 0 {
		return nil
	}
	m, err := r.memberFacts(ctx, u, slug)
	if err != nil {
		return err
	}
	return r.facts.RecordMember(ctx, cohorts, slug, u.ID, m)
}

// memberFacts is a person's work in a course as reports count it.
func (r *Recorder) memberFacts(ctx context.Context, u *account.User, slug string) (report.Member, error) {
	p, ok := u.Progress[slug]
	if !ok {
		return report.Member{}, nil
	}
	version, err := r.catalog.Get(ctx, p.Version)
	if err != nil {
		return report.Member{}, err
	}
	attempts, err := attemptsAt(ctx, r.attempts, r.catalog, u.ID, p.Version)
	if err != nil {
		return report.Member{}, err
	}
	var cert *Certificate
	if p.Certificate != "" {
		if cert, err = r.certs.CertificateBySerial(ctx, p.Certificate); err != nil {
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
	m.Percent = learning.Percent(version.Def, learning.Progress{LessonsDone: p.LessonsDone, QuizPassed: p.QuizPassed})
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

// answer writes a submitted attempt into the question statistics of the
// person's cohorts that follow the course; failures as member.
func (r *Recorder) answer(ctx context.Context, u *account.User, c *catalog.Course, a *Attempt) {
	cohorts := r.followers(ctx, u, c.Def.Slug)
	if len(cohorts) == 0 || a.Result == nil {
		return
	}
	if err := r.facts.RecordAnswer(ctx, cohorts, c.Def.Slug, AnswerFacts(a)); err != nil {
		r.log.Warn("report facts not recorded", "course", c.Def.Slug, "err", err)
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
func (r *Recorder) Joined(ctx context.Context, userID, cohortID string) {
	for _, co := range r.cohorts.OfMember(ctx, []string{cohortID}) {
		for _, slug := range co.Courses {
			r.member(ctx, userID, slug)
		}
	}
}

// Joined is Recorder.Joined: members already in a cohort are counted in
// the courses just added to it.
func (s *Service) Joined(ctx context.Context, userID, cohortID string) {
	s.recorder.Joined(ctx, userID, cohortID)
}
