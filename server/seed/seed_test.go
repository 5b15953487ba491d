package seed_test

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/seed"
	"github.com/kalan-platform/kalan/server/training"
)

// written keeps what a seed hands its writer (the store's bulk writes are
// tested against the database in package store and by kalan seed).
type written struct {
	users    []*account.User
	cohorts  []*cohort.Cohort
	attempts []*training.Attempt
	certs    []*training.Certificate
	members  map[string]map[string]string // cohort/course → user → line
}

func (w *written) CreateUsers(_ context.Context, u []*account.User) error {
	w.users = append(w.users, u...)
	return nil
}
func (w *written) CreateCohort(_ context.Context, c *cohort.Cohort) error {
	w.cohorts = append(w.cohorts, c)
	return nil
}
func (w *written) CreateAttempts(_ context.Context, a []*training.Attempt) error {
	w.attempts = append(w.attempts, a...)
	return nil
}
func (w *written) CreateCertificates(_ context.Context, c []*training.Certificate) error {
	w.certs = append(w.certs, c...)
	return nil
}
func (w *written) PutCohortLines(_ context.Context, cohortID, course string, members map[string]string, _ map[string]map[string]string) error {
	w.members[cohortID+"/"+course] = members
	return nil
}

func bundled(t *testing.T) []*catalog.Course {
	t.Helper()
	list, problems := courses.LoadAll(courses.Bundle())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var out []*catalog.Course
	for _, c := range list {
		out = append(out, &catalog.Course{Version: &catalog.Version{ID: c.Slug + "@1", Number: 1, Def: c}})
	}
	return out
}

// What a seed writes holds together as the training service would have
// written it: cohorts of 50, deterministic attempt ids, scores the real
// grading gives, a certificate exactly for each completed course, signed,
// and report lines that count the attempts.
func TestSeedHoldsTogether(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	list := bundled(t)
	w := &written{members: map[string]map[string]string{}}
	made, err := seed.Run(context.Background(), w, seed.Options{Trainees: 120, Attempts: 3, PasswordHash: "hash", Courses: list,
		Now: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), Signer: training.Signer{Key: key, Issuer: "Kalan test", Labels: func(_, id string, _ map[string]any) string { return id }}})
	if err != nil {
		t.Fatal(err)
	}
	if made.Trainees != 120 || made.Cohorts != 3 || len(w.cohorts) != 3 || len(w.users) != 122 {
		t.Fatalf("made %+v: %d cohorts, %d accounts", made, len(w.cohorts), len(w.users))
	}
	first := list[0]
	byUser := map[string][]*training.Attempt{}
	for _, a := range w.attempts {
		byUser[a.UserID] = append(byUser[a.UserID], a)
	}
	certs := map[string]*training.Certificate{}
	for _, c := range w.certs {
		certs[c.Serial] = c
		if _, err := certificate.Verify(key.Public().(ed25519.PublicKey), c.Payload, c.Signature); err != nil {
			t.Errorf("certificate %s does not verify: %v", c.Serial, err)
		}
	}
	for _, u := range w.users[2:] {
		if !seed.Synthetic(u.Login.Value) || u.PasswordHash != "hash" || len(u.Cohorts) != 1 {
			t.Fatalf("trainee %+v", u)
		}
		p, started := u.Progress[first.Def.Slug]
		attempts := byUser[u.ID]
		if started != (len(attempts) == 3) {
			t.Errorf("%s: started %v, %d attempts", u.Login.Value, started, len(attempts))
		}
		best := 0
		for n, a := range attempts {
			if a.ID != training.AttemptID(u.ID, first.ID, n+1) || !a.Submitted() {
				t.Errorf("attempt %d of %s: id %s", n+1, u.Login.Value, a.ID)
			}
			if r := learning.Grade(first.Def, a.Drawn, a.Answers); r.Score != a.Result.Score {
				t.Errorf("attempt %s: score %d, grading gives %d", a.ID, a.Result.Score, r.Score)
			}
			best = max(best, a.Result.Score)
		}
		if p.BestScore != best {
			t.Errorf("%s: best score %d, attempts' best %d", u.Login.Value, p.BestScore, best)
		}
		complete := started && learning.Complete(first.Def, learning.Progress{LessonsDone: p.LessonsDone, QuizPassed: p.QuizPassed})
		if complete != (p.Certificate != "") || complete && certs[p.Certificate] == nil {
			t.Errorf("%s: complete %v, certificate %q", u.Login.Value, complete, p.Certificate)
		}
		line, err := report.DecodeMember(w.members[u.Cohorts[0]+"/"+first.Def.Slug][u.ID])
		if err != nil || line.Attempts != len(attempts) || line.Certificate != p.Certificate {
			t.Errorf("%s: report line %+v, %v", u.Login.Value, line, err)
		}
	}
	if len(w.certs) == 0 || len(w.certs) == 120 {
		t.Errorf("%d certificates of 120: the seed should make some, not all", len(w.certs))
	}
}
