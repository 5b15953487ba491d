package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
	"github.com/kalan-platform/kalan/server/training"
)

// The writes that must happen once (starting a course, finishing an
// attempt, completing a course) keep to it under concurrent requests as
// the embedded default does them (the process owns the database). The
// MongoDB way (the condition in the filter) is checked one request at a
// time: the embedded FerretDB does not apply a filtered update atomically
// (eight concurrent submissions finish an attempt two to seven times),
// which is why the embedded default does not rely on it; MongoDB does.
func TestConditionalWritesHappenOnce(t *testing.T) {
	owned := mongo.Store(t)
	shared, err := store.Open(context.Background(), store.Config{URI: mongo.URI, Database: testenv.DBName(t)}) // the same database, as MongoDB is used
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = shared.Close(context.Background()) })
	for name, s := range map[string]*store.Store{"owned": owned, "filter": shared} {
		concurrent := name == "owned"
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			login, _ := account.ParseLogin(name + "@kalan.test")
			u := &account.User{ID: account.NewID(), Name: "Awa Traoré", Login: login, Role: account.RoleTrainee, Lang: "fr"}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			if err := s.CompleteLesson(ctx, u.ID, "basics", "one", time.Now()); !errors.Is(err, account.ErrNotFound) {
				t.Errorf("a lesson of a course not started: %v, want not found", err)
			}
			a := &training.Attempt{ID: account.NewID(), UserID: u.ID, Course: "basics", Version: "basics@1",
				Answers: learning.Answers{}, StartedAt: time.Now(), UpdatedAt: time.Now()}
			if err := s.CreateAttempt(ctx, a); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			finished := 0
			for i := range 8 {
				if !concurrent {
					wg.Wait() // one request at a time
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := s.StartCourse(ctx, u.ID, "basics", []string{"basics@1", "basics@2"}[i%2], time.Now()); err != nil {
						t.Error(err)
					}
					done, err := s.FinishAttempt(ctx, a.ID, learning.Answers{}, learning.Result{Score: 10 * i}, time.Now())
					if err != nil {
						t.Error(err)
					}
					if err := s.SetCompleted(ctx, u.ID, "basics", []string{"AAA", "BBB"}[i%2], time.Now()); err != nil {
						t.Error(err)
					}
					if done {
						mu.Lock()
						finished++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if finished != 1 {
				t.Errorf("the attempt was finished %d times, want once", finished)
			}
			if err := s.SaveAnswers(ctx, a.ID, learning.Answers{}, time.Now()); !errors.Is(err, training.ErrSubmitted) {
				t.Errorf("saving a finished attempt: %v", err)
			}
			got, err := s.UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			p := got.Progress["basics"]
			if p.Version != "basics@1" && p.Version != "basics@2" || p.Certificate != "AAA" && p.Certificate != "BBB" {
				t.Errorf("progress %+v", p)
			}
			// The first values stay.
			_ = s.StartCourse(ctx, u.ID, "basics", "basics@9", time.Now())
			_ = s.SetCompleted(ctx, u.ID, "basics", "ZZZ", time.Now())
			if again, _ := s.UserByID(ctx, u.ID); again.Progress["basics"].Version != p.Version || again.Progress["basics"].Certificate != p.Certificate {
				t.Errorf("a second start or completion changed the progress: %+v", again.Progress["basics"])
			}
			if err := s.CompleteLesson(ctx, u.ID, "basics", "one", time.Now()); err != nil {
				t.Errorf("a lesson of a course started: %v", err)
			}
		})
	}
}
