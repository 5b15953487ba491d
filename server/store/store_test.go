package store_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

// bundled returns the first bundled course, a realistic document.
func bundled(t *testing.T) *courses.Course {
	t.Helper()
	list, problems := courses.LoadAll(courses.Bundle())
	if len(problems) > 0 || len(list) == 0 {
		t.Fatalf("bundled curriculum: %v", problems)
	}
	return list[0]
}

func TestVersionsAndPublishing(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	c := bundled(t)
	at := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

	if _, err := s.VersionByHash(ctx, c.Slug, c.Hash); !errors.Is(err, catalog.ErrNotFound) {
		t.Fatalf("VersionByHash on an empty database: %v, want ErrNotFound", err)
	}
	v1, err := s.CreateVersion(ctx, c, at)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Number != 1 || v1.ID != c.Slug+"@1" {
		t.Errorf("first version = %s (%d)", v1.ID, v1.Number)
	}
	again, err := s.CreateVersion(ctx, c, at)
	if err != nil || again.ID != v1.ID {
		t.Errorf("creating the same files again = %v, %v; want the existing %s", again, err, v1.ID)
	}
	changed := *c
	changed.Hash = "different"
	v2, err := s.CreateVersion(ctx, &changed, at)
	if err != nil || v2.Number != 2 {
		t.Fatalf("second version = %+v, %v", v2, err)
	}

	if err := s.Publish(ctx, v1, at); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, v2, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	pointers, err := s.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Pointer{{Slug: c.Slug, VersionID: v2.ID, Hash: "different", PublishedAt: at.Add(time.Hour)}}
	if !reflect.DeepEqual(pointers, want) {
		t.Errorf("published = %+v, want %+v", pointers, want)
	}
}

func TestVersionRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	c := bundled(t)
	v, err := s.CreateVersion(ctx, c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Version(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Def, c) {
		t.Errorf("the course read back differs from the one written:\n got %+v\nwant %+v", got.Def, c)
	}
	if _, err := s.Version(ctx, "nope@1"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown version: %v, want ErrNotFound", err)
	}
}

// Recordings travel with a version: which lesson, question and option
// has one in which language, and each one's duration.
func TestVersionRoundTripWithRecordings(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	c := *bundled(t)
	c.Slug, c.Hash = "with-recordings", "recordings"
	c.Voices = map[string]courses.Voice{"fr": {By: "espeak-ng", Synthetic: true}, "en": {By: "Awa Traoré"}}
	q := *c.Quiz
	q.Questions = slices.Clone(q.Questions)
	q.Questions[0].Audio = map[string]string{"fr": "media/q.fr.opus"}
	q.Questions[0].Options = slices.Clone(q.Questions[0].Options)
	q.Questions[0].Options[1].Audio = map[string]string{"en": "media/a.en.mp3"}
	c.Quiz = &q
	c.Lessons = slices.Clone(c.Lessons)
	c.Lessons[0].Audio = map[string]string{"fr": "lessons/" + c.Lessons[0].ID + ".fr.opus"}
	c.Media = append(slices.Clone(c.Media),
		courses.Media{Path: "media/q.fr.opus", SHA256: strings.Repeat("a", 64), Size: 9000, ContentType: "audio/ogg", Duration: 4200 * time.Millisecond})
	v, err := s.CreateVersion(ctx, &c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Version(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Def, &c) {
		t.Errorf("the course read back differs from the one written:\n got %+v\nwant %+v", got.Def, &c)
	}
}

func TestEmbeddedDataSurvivesRestartAndIsLocked(t *testing.T) {
	if os.Getenv("KALAN_TEST_MONGODB_URI") != "" {
		t.Log("also run on the embedded default")
	}
	ctx := context.Background()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, err := store.StartEmbedded(ctx, dir, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.StartEmbedded(ctx, dir, log); !errors.Is(err, store.ErrDataDirInUse) {
		t.Errorf("a second process on the same data directory: %v, want ErrDataDirInUse", err)
	}
	s, err := store.Open(ctx, store.Config{URI: e.URI(), Database: "kalan", Embedded: e})
	if err != nil {
		t.Fatal(err)
	}
	c := bundled(t)
	v, err := s.CreateVersion(ctx, c, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, v, time.Now()); err != nil {
		t.Fatal(err)
	}
	_ = s.Close(ctx)
	e.Stop()

	e, err = store.StartEmbedded(ctx, dir, log)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	defer e.Stop()
	s, err = store.Open(ctx, store.Config{URI: e.URI(), Database: "kalan", Embedded: e})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	pointers, err := s.Published(ctx)
	if err != nil || len(pointers) != 1 || pointers[0].VersionID != v.ID {
		t.Errorf("after a restart: %+v, %v", pointers, err)
	}
}

func TestUnavailableDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := store.StartEmbedded(ctx, dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Config{URI: e.URI(), Database: "kalan", Embedded: e})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	e.Stop()

	start := time.Now()
	err = s.Ping(ctx)
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("ping with the server stopped: %v, want ErrUnavailable", err)
	}
	if _, err := s.Published(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("query with the server stopped: %v, want ErrUnavailable", err)
	}
	// A functional bound, not a benchmark: a stopped database must not hang requests.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("answering took %v with the server stopped", d)
	}

	if _, err := store.Open(ctx, store.Config{URI: "mongodb://127.0.0.1:1/?connectTimeoutMS=500", Database: "kalan"}); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("open with no server: %v, want ErrUnavailable", err)
	}
}
