package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/learning"
	"github.com/kalan-platform/kalan/server/offline"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
	"github.com/kalan-platform/kalan/server/training"
)

// FerretDB is recognised behind a connection string (serve refuses it for
// several instances); MongoDB is not taken for it.
func TestFerretDBVersion(t *testing.T) {
	v, err := store.FerretDBVersion(context.Background(), mongo.URI)
	if err != nil {
		t.Fatal(err)
	}
	if mongo.External() {
		if v != "" {
			t.Errorf("MongoDB taken for FerretDB %q", v)
		}
		return
	}
	if v == "" {
		t.Error("the embedded FerretDB was not recognised")
	}
}

// An external FerretDB used by one instance (KALAN_SINGLE_INSTANCE) takes
// the in-process document locks: the same submission twenty times at
// once finishes the attempt once, five lessons done at once are all kept,
// and one offline event sent twenty times at once is claimed once. The
// embedded FerretDB's listener stands for the external server (the same
// FerretDB, reached as any external client reaches it).
func TestSingleInstanceWritesHappenOnce(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{URI: mongo.URI, Database: testenv.DBName(t), SingleInstance: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.DropDatabase(ctx); _ = s.Close(ctx) })
	u := newPerson(t, s, "single@kalan.test")
	if err := s.StartCourse(ctx, u.ID, "basics", "basics@1", time.Now()); err != nil {
		t.Fatal(err)
	}
	a := &training.Attempt{ID: account.NewID(), UserID: u.ID, Course: "basics", Version: "basics@1",
		Answers: learning.Answers{}, StartedAt: time.Now(), UpdatedAt: time.Now()}
	if err := s.CreateAttempt(ctx, a); err != nil {
		t.Fatal(err)
	}
	var finished, claimed atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			done, err := s.FinishAttempt(ctx, a.ID, learning.Answers{}, learning.Result{Score: i}, time.Now())
			if err != nil {
				t.Error(err)
			}
			if done {
				finished.Add(1)
			}
		}()
		go func() {
			defer wg.Done()
			c, err := s.ClaimSyncEvent(ctx, u.ID, "event-1", "lesson_done", time.Now(), time.Now())
			if err != nil {
				t.Error(err)
			}
			if c == offline.Claimed {
				claimed.Add(1)
			}
		}()
	}
	var want []string
	for i := range 5 {
		lesson := fmt.Sprintf("lesson-%d", i)
		want = append(want, lesson)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.CompleteLesson(ctx, u.ID, "basics", lesson, time.Now()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := finished.Load(); n != 1 {
		t.Errorf("the attempt was finished %d times, want once", n)
	}
	if n := claimed.Load(); n != 1 {
		t.Errorf("the event was claimed %d times, want once", n)
	}
	time.Sleep(1100 * time.Millisecond) // past the cache of an external database
	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done := slices.Sorted(slices.Values(got.Progress["basics"].LessonsDone)); !slices.Equal(done, want) {
		t.Errorf("lessons kept %v, want %v", done, want)
	}
}
