package catalog_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/blob/s3"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/testenv"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>`

func demo(lesson string) fstest.MapFS {
	return fstest.MapFS{
		"demo/course.yaml": {Data: []byte(`languages: [fr]
title: {fr: Démo}
summary: {fr: Démo}
audience: [ngo]
duration_minutes: 5
pass_mark: 50
access: public
translations: {fr: {by: test, reviewed: true}}
lessons:
  - {id: one, title: {fr: Un}}
  - {id: two, title: {fr: Deux}}
`)},
		"demo/lessons/one.fr.md": {Data: []byte(lesson)},
		"demo/lessons/two.fr.md": {Data: []byte("Deux.\n")},
		"demo/media/d.svg":       {Data: []byte(svg)},
	}
}

func load(t *testing.T, fsys fstest.MapFS) []*courses.Course {
	t.Helper()
	list, problems := courses.LoadAll(fsys)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return list
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// words localizes with the real message files.
func words(t testing.TB) locales.Translate {
	t.Helper()
	loc, err := locales.Load(quiet())
	if err != nil {
		t.Fatal(err)
	}
	return loc.Translate()
}

func TestImportIsIdempotentAndVersioned(t *testing.T) {
	ctx := context.Background()
	st := mongo.Store(t)
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	im := catalog.NewImporter(st, blobs)
	fsys := demo("Un ![schéma](../media/d.svg)\n")

	first, err := im.Import(ctx, fsys, load(t, fsys))
	if err != nil || len(first) != 1 || first[0].Outcome != catalog.Published || first[0].Version != 1 || first[0].Uploaded != 1 {
		t.Fatalf("first import = %+v, %v", first, err)
	}
	again, err := im.Import(ctx, fsys, load(t, fsys))
	if err != nil || again[0].Outcome != catalog.Unchanged || again[0].Version != 1 {
		t.Errorf("same files again = %+v, %v", again, err)
	}
	changed := demo("Un autre texte, même ![schéma](../media/d.svg)\n")
	second, err := im.Import(ctx, changed, load(t, changed))
	if err != nil || second[0].Version != 2 || second[0].Uploaded != 0 {
		t.Errorf("changed lesson = %+v, %v (the unchanged image must not be uploaded again)", second, err)
	}
	objects, err := blobs.List(ctx, "media/")
	if err != nil || len(objects) != 1 {
		t.Errorf("media objects = %v, %v; want one, shared by both versions", objects, err)
	}
	// Publishing the first files again re-uses version 1 rather than making a third.
	back, err := im.Import(ctx, fsys, load(t, fsys))
	if err != nil || back[0].Version != 1 || back[0].Outcome != catalog.Published {
		t.Errorf("revert = %+v, %v", back, err)
	}
}

func TestConcurrentImportsMakeOneVersion(t *testing.T) {
	ctx := context.Background()
	st := mongo.Store(t)
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fsys := demo("Un.\n")
	var wg sync.WaitGroup
	results := make([][]catalog.Result, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = catalog.NewImporter(st, blobs).Import(ctx, fsys, load(t, fsys))
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil || results[i][0].Version != 1 {
			t.Errorf("import %d = %+v, %v; want version 1 for all", i, results[i], errs[i])
		}
	}
}

// A media upload that fails leaves nothing published; the next import
// succeeds. The fault is real: a MinIO server that is not running.
func TestFailedUploadPublishesNothing(t *testing.T) {
	ctx := context.Background()
	m, err := testenv.StartMinIO()
	testenv.Need(t, "MinIO server", err, testenv.MinIOHowTo)
	defer m.Stop()
	bucket, err := s3.New(ctx, s3.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: "catalog-test"})
	if err != nil {
		t.Fatal(err)
	}
	st := mongo.Store(t)
	fsys := demo("Un ![schéma](../media/d.svg)\n")
	m.Stop()
	if _, err := catalog.NewImporter(st, bucket).Import(ctx, fsys, load(t, fsys)); !errors.Is(err, blob.ErrUnavailable) {
		t.Fatalf("import with object storage down: %v, want ErrUnavailable", err)
	}
	if published, err := st.Published(ctx); err != nil || len(published) != 0 {
		t.Errorf("published after a failed import: %v, %v", published, err)
	}
	disk, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if r, err := catalog.NewImporter(st, disk).Import(ctx, fsys, load(t, fsys)); err != nil || r[0].Version != 1 {
		t.Errorf("retry = %+v, %v", r, err)
	}
}

func TestCatalogRendersPublishedVersions(t *testing.T) {
	ctx := context.Background()
	st := mongo.Store(t)
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fsys := demo("Voir ![schéma : acte → but](../media/d.svg), puis [la suite](two.fr.md) et [le site](https://example.org).\n")
	if _, err := catalog.NewImporter(st, blobs).Import(ctx, fsys, load(t, fsys)); err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(catalog.Deps{Store: st, Blobs: blobs, Words: words(t), Log: quiet()})
	if _, ok := cat.Lookup("demo"); ok {
		t.Fatal("a catalog is empty before its first refresh")
	}
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	c, ok := cat.Lookup("demo")
	if !ok || len(cat.Published()) != 1 {
		t.Fatal("demo is not published")
	}
	html, used := c.LessonHTML(0, "bm")
	if used != "fr" {
		t.Errorf("Bambara falls back to %q", used)
	}
	sha := c.Def.Media[0].SHA256
	for _, want := range []string{
		`<img src="/media/` + sha + `" alt="schéma : acte → but"`,
		`fetchpriority="high"`, // the first image of the lesson
		`width="4" height="4"`,
		`href="/courses/demo/lessons/two"`,
		`href="https://example.org"`,
	} {
		if !strings.Contains(string(html), want) {
			t.Errorf("lesson HTML lacks %s:\n%s", want, html)
		}
	}

	// A new version published elsewhere appears at the next refresh.
	changed := demo("Nouveau texte.\n")
	if _, err := catalog.NewImporter(st, blobs).Import(ctx, changed, load(t, changed)); err != nil {
		t.Fatal(err)
	}
	if err := cat.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	c2, _ := cat.Lookup("demo")
	if html, _ := c2.LessonHTML(0, "fr"); c2.Number != 2 || !strings.Contains(string(html), "Nouveau texte.") {
		t.Errorf("after refresh: version %d, %s", c2.Number, html)
	}
}
