// Package seed makes a synthetic installation for load tests (kalan seed,
// the benchmarks at scale), as Moodle's test-site generator does: trainees
// in cohorts of 50 following the published courses, with progress, quiz
// attempts drawn and graded by the real rules, the certificates they earn
// signed with the installation's key, and the report facts the training
// service would have recorded. It decides what to write; a Writer (the
// store) writes it, a cohort at a time.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/training"
)

// CohortSize is the number of trainees per synthetic cohort.
const CohortSize = 50

// Writer stores what the seed makes: the store's bulk writes.
type Writer interface {
	CreateUsers(ctx context.Context, users []*account.User) error
	CreateCohort(ctx context.Context, c *cohort.Cohort) error
	CreateAttempts(ctx context.Context, list []*training.Attempt) error
	CreateCertificates(ctx context.Context, list []*training.Certificate) error
	PutCohortLines(ctx context.Context, cohortID, course string, members map[string]string, answers map[string]map[string]string) error
}

// Options say what to make.
type Options struct {
	Trainees     int
	Attempts     int    // submitted quiz attempts of each trainee on the first course
	PasswordHash string // of every synthetic account (argon2id is slow: hash once)
	// Courses are those the cohorts follow, the first one taking the attempts.
	Courses []*catalog.Course
	Signer  training.Signer
	Now     time.Time
	// Progress is told after each cohort (may be nil).
	Progress func(trainees int)
}

// Made is what a seed wrote.
type Made struct {
	Trainees, Cohorts, Attempts, Certificates int
}

// Login is the login of synthetic trainee n (from 1).
func Login(n int) string { return fmt.Sprintf("seed-%d@example.org", n) }

// Staff logins: a trainer who runs every synthetic cohort and an admin.
const (
	TrainerLogin = "seed-trainer@example.org"
	AdminLogin   = "seed-admin@example.org"
)

// Synthetic reports whether a login is one a seed makes.
func Synthetic(login string) bool {
	return strings.HasPrefix(login, "seed-") && strings.HasSuffix(login, "@example.org")
}

// ErrNoCourse is returned when no course is published to follow.
var ErrNoCourse = errors.New("seed: no published course")

// Run writes the installation. The people, their pace and their answers
// come from a fixed seed: the same options make the same figures (join
// codes and certificate serials are random, as always).
func Run(ctx context.Context, w Writer, o Options) (Made, error) {
	var made Made
	if len(o.Courses) == 0 {
		return made, ErrNoCourse
	}
	g := &generator{o: o, rng: rand.New(rand.NewPCG(2027, uint64(o.Trainees)))}
	trainer := g.account(TrainerLogin, "Formateur Synthétique", account.RoleTrainer, nil)
	admin := g.account(AdminLogin, "Admin Synthétique", account.RoleAdmin, nil)
	if err := w.CreateUsers(ctx, []*account.User{trainer, admin}); err != nil {
		return made, err
	}
	for first := 1; first <= o.Trainees; first += CohortSize {
		n := min(CohortSize, o.Trainees-first+1)
		b := g.cohort(first, n, trainer.ID)
		if err := b.write(ctx, w); err != nil {
			return made, err
		}
		made.Trainees += n
		made.Cohorts++
		made.Attempts += len(b.attempts)
		made.Certificates += len(b.certs)
		if o.Progress != nil {
			o.Progress(made.Trainees)
		}
	}
	return made, nil
}

type generator struct {
	o   Options
	rng *rand.Rand
}

func (g *generator) id() string { return fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64()) }

func (g *generator) account(login, name string, role account.Role, cohorts []string) *account.User {
	l, _ := account.ParseLogin(login)
	return &account.User{ID: g.id(), Login: l, Name: name, Organisation: "other", Region: "bamako", Lang: "fr", Role: role,
		PasswordHash: g.o.PasswordHash, Cohorts: cohorts, Progress: map[string]account.CourseProgress{}, CreatedAt: g.o.Now, UpdatedAt: g.o.Now}
}

// batch is one cohort and everything of its members.
type batch struct {
	cohort   *cohort.Cohort
	users    []*account.User
	attempts []*training.Attempt
	certs    []*training.Certificate
	members  map[string]map[string]string            // course → user → line
	answers  map[string]map[string]map[string]string // course → month → attempt → line
}

func (b *batch) write(ctx context.Context, w Writer) error {
	for try := 0; ; try++ {
		err := w.CreateCohort(ctx, b.cohort)
		if err == nil {
			break
		}
		if !errors.Is(err, cohort.ErrCodeTaken) || try == 4 {
			return err
		}
		b.cohort.JoinCode = account.NewJoinCode()
	}
	if err := w.CreateUsers(ctx, b.users); err != nil {
		return err
	}
	if len(b.attempts) > 0 {
		if err := w.CreateAttempts(ctx, b.attempts); err != nil {
			return err
		}
	}
	if len(b.certs) > 0 {
		if err := w.CreateCertificates(ctx, b.certs); err != nil {
			return err
		}
	}
	for _, slug := range b.cohort.Courses {
		if err := w.PutCohortLines(ctx, b.cohort.ID, slug, b.members[slug], b.answers[slug]); err != nil {
			return err
		}
	}
	return nil
}

// cohort makes trainees first … first+n-1, who started a month or two
// ago, each at their own pace and ability.
func (g *generator) cohort(first, n int, trainerID string) *batch {
	k := (first - 1) / CohortSize
	regions, orgs, langs := account.Regions(), account.Organisations(), []string{"fr", "fr", "fr", "bm", "bm", "en"}
	starts := g.o.Now.AddDate(0, 0, -30-g.rng.IntN(60)).Truncate(24 * time.Hour)
	co := &cohort.Cohort{ID: g.id(), Name: fmt.Sprintf("Cohorte synthétique %d", k+1), Region: regions[k%len(regions)],
		Organisation: orgs[k%len(orgs)], Starts: starts, Ends: starts.AddDate(0, 2, 0), JoinCode: account.NewJoinCode(),
		Trainers: []string{trainerID}, CreatedBy: trainerID, CreatedAt: starts}
	for _, c := range g.o.Courses {
		co.Courses = append(co.Courses, c.Def.Slug)
	}
	b := &batch{cohort: co, members: map[string]map[string]string{}, answers: map[string]map[string]map[string]string{}}
	for _, slug := range co.Courses {
		b.members[slug] = map[string]string{}
		b.answers[slug] = map[string]map[string]string{}
	}
	for i := range n {
		u := g.account(Login(first+i), fmt.Sprintf("Stagiaire %d", first+i), account.RoleTrainee, []string{co.ID})
		u.Organisation, u.Region, u.Lang = co.Organisation, co.Region, langs[g.rng.IntN(len(langs))]
		ability := g.rng.Float64()
		for ci, c := range g.o.Courses {
			g.follow(b, u, c, ci == 0, starts, ability)
		}
		b.users = append(b.users, u)
	}
	return b
}

// follow makes a trainee's work in a course: the first course is started
// by nearly everyone and gets the quiz attempts, the others by some.
func (g *generator) follow(b *batch, u *account.User, c *catalog.Course, first bool, starts time.Time, ability float64) {
	slug := c.Def.Slug
	chance := 0.3
	if first {
		chance = 0.95
	}
	if g.rng.Float64() >= chance { // not started: counted as enrolled
		b.members[slug][u.ID] = report.Member{}.Encode()
		return
	}
	started := starts.Add(time.Duration(g.rng.IntN(72)) * time.Hour)
	p := account.CourseProgress{Version: c.ID, LessonsDone: []string{}, StartedAt: started, UpdatedAt: started}
	lessons := c.Def.Lessons
	done := g.rng.IntN(len(lessons) + 1)
	if first && g.rng.Float64() < 0.6 {
		done = len(lessons)
	}
	for _, l := range lessons[:done] {
		p.LessonsDone = append(p.LessonsDone, l.ID)
		p.Last = l.ID
	}
	at := started
	var attempts []*training.Attempt
	if first && c.Def.Quiz != nil {
		for n := 1; n <= g.o.Attempts; n++ {
			at = at.Add(time.Duration(24+g.rng.IntN(48)) * time.Hour)
			a := training.NewAttempt(u.ID, c, u.Lang, n, at.Add(-20*time.Minute))
			a.Answers = g.answer(c, a.Drawn, ability)
			r := learning.Grade(c.Def, a.Drawn, a.Answers)
			a.Result, a.SubmittedAt, a.UpdatedAt = &r, at, at
			p.BestScore = max(p.BestScore, r.Score)
			p.QuizPassed = p.QuizPassed || r.Passed
			attempts = append(attempts, a)
			month := at.Format("2006-01")
			if b.answers[slug][month] == nil {
				b.answers[slug][month] = map[string]string{}
			}
			b.answers[slug][month][a.ID] = training.AnswerFacts(a).Encode()
		}
	}
	p.UpdatedAt = at
	var cert *training.Certificate
	if learning.Complete(c.Def, learning.Progress{LessonsDone: p.LessonsDone, QuizPassed: p.QuizPassed}) {
		p.CompletedAt, p.Certificate = at, certificate.NewSerial()
		u.Progress[slug] = p
		cert = training.NewCertificate(g.o.Signer, u, c, at)
		b.certs = append(b.certs, cert)
	}
	u.Progress[slug] = p
	b.attempts = append(b.attempts, attempts...)
	b.members[slug][u.ID] = training.MemberFacts(p, c, attempts, cert).Encode()
}

// answer chooses each question's options: the right ones with a chance
// that grows with the trainee's ability, else one wrong option.
func (g *generator) answer(c *catalog.Course, drawn []learning.Drawn, ability float64) learning.Answers {
	out := learning.Answers{}
	for _, d := range drawn {
		right := g.rng.Float64() < 0.35+0.6*ability
		for _, q := range c.Def.Quiz.Questions {
			if q.ID != d.Question {
				continue
			}
			for _, o := range q.Options {
				if o.Correct == right {
					out[q.ID] = append(out[q.ID], o.ID)
					if !right {
						break
					}
				}
			}
		}
	}
	return out
}
