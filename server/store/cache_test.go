package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/session"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
)

func newPerson(t *testing.T, s *store.Store, login string) *account.User {
	t.Helper()
	l, _ := account.ParseLogin(login)
	u := &account.User{ID: account.NewID(), Login: l, Name: "Awa", Role: account.RoleTrainee, Progress: map[string]account.CourseProgress{}}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func newSession(t *testing.T, s *store.Store, userID string) session.Session {
	t.Helper()
	now := time.Now().UTC()
	ss := session.Session{ID: account.NewID(), UserID: userID, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateSession(context.Background(), ss); err != nil {
		t.Fatal(err)
	}
	return ss
}

// In the process that owns the database, sessions and accounts are read
// from memory, and every change is seen at once: a signed-out session is
// gone, a new role is the role.
func TestOwnedCacheFollowsEveryWrite(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	u := newPerson(t, s, "cache@kalan.test")
	ss := newSession(t, s, u.ID)
	for range 2 { // the second read is from memory
		if got, err := s.Session(ctx, ss.ID); err != nil || got.UserID != u.ID {
			t.Fatalf("session: %+v, %v", got, err)
		}
		if got, err := s.UserByID(ctx, u.ID); err != nil || got.Role != account.RoleTrainee {
			t.Fatalf("account: %+v, %v", got, err)
		}
	}
	if err := s.SetRole(ctx, u.ID, account.RoleTrainer, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(ctx, u.ID); got.Role != account.RoleTrainer {
		t.Errorf("role after a change: %s", got.Role)
	}
	if err := s.DeleteSession(ctx, ss.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, ss.ID); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("a signed-out session: %v", err)
	}
	// A copy handed out is the caller's: changing it changes no one else's.
	got, _ := s.UserByID(ctx, u.ID)
	got.Name = "changed"
	if again, _ := s.UserByID(ctx, u.ID); again.Name != "Awa" {
		t.Errorf("the cached account was changed through a copy: %q", again.Name)
	}
}

// Lessons marked done at the same moment (five phones, or a sync batch
// and a form) are all kept, and the cached account shows every one.
func TestConcurrentLessonsAllKept(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	u := newPerson(t, s, "lessons@kalan.test")
	if err := s.StartCourse(ctx, u.ID, "basics", "basics@1", time.Now()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var want []string
	for i := range 20 {
		lesson := fmt.Sprintf("lesson-%02d", i)
		want = append(want, lesson)
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := s.CompleteLesson(ctx, u.ID, "basics", lesson, time.Now()); err != nil {
				t.Error(err)
			}
		}()
		go func() { // readers racing the writes, putting what they read in the cache
			defer wg.Done()
			if _, err := s.UserByID(ctx, u.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := slices.Sorted(slices.Values(got.Progress["basics"].LessonsDone))
	if !slices.Equal(done, want) {
		t.Errorf("lessons kept: %d of 20 (%v)", len(done), done)
	}
}

// Instances that share a database keep a session or an account at most a
// second: a sign-out or a role change on one instance holds on the other
// within it.
func TestSharedCacheExpiresWithinASecond(t *testing.T) {
	ctx := context.Background()
	open := func() *store.Store {
		s, err := store.Open(ctx, store.Config{URI: mongo.URI, Database: testenv.DBName(t)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close(ctx) })
		return s
	}
	a, b := open(), open()
	t.Cleanup(func() { _ = a.DropDatabase(ctx) })
	u := newPerson(t, a, "shared@kalan.test")
	ss := newSession(t, a, u.ID)
	if _, err := b.Session(ctx, ss.ID); err != nil { // b keeps it
		t.Fatal(err)
	}
	if _, err := b.UserByID(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteSession(ctx, ss.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.SetRole(ctx, u.ID, account.RoleAdmin, nil); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(1100 * time.Millisecond)
	time.Sleep(time.Until(deadline))
	if _, err := b.Session(ctx, ss.ID); !errors.Is(err, session.ErrNotFound) {
		t.Errorf("a session signed out on another instance still works here after a second: %v", err)
	}
	if got, err := b.UserByID(ctx, u.ID); err != nil || got.Role != account.RoleAdmin {
		t.Errorf("a role changed on another instance is still the old one here after a second: %v, %v", got.Role, err)
	}
}

// Twenty accounts created at once with one login: one gets it, the others
// are told it is taken, and the login leads to the one that got it.
func TestConcurrentSameLoginOneWins(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	l, _ := account.ParseLogin("race@kalan.test")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won []string
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := &account.User{ID: account.NewID(), Login: l, Name: "Race", Role: account.RoleTrainee}
			err := s.CreateUser(ctx, u)
			switch {
			case err == nil:
				mu.Lock()
				won = append(won, u.ID)
				mu.Unlock()
			case !errors.Is(err, account.ErrLoginTaken):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(won) != 1 {
		t.Fatalf("%d accounts got the login, want 1", len(won))
	}
	if u, err := s.UserByLogin(ctx, l.Value); err != nil || u.ID != won[0] {
		t.Errorf("the login leads to %v (%v), want %s", u, err, won[0])
	}
}

// Attempts of one cohort and month recorded at once are all kept.
func TestConcurrentAnswerLinesAllKept(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.SetAnswer(ctx, "c1", "basics", "2027-03", fmt.Sprintf("attempt-%02d", i), fmt.Sprintf("line %d", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.CohortAnswerLines(ctx, "c1", "basics", []string{"2027-03"})
	if err != nil || len(got) != 1 || got[0].Len() != 20 {
		t.Fatalf("answer lines: %v, %v", got, err)
	}
}
