package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

// An installation older than kept course files: at the next start, the
// bundled courses still published as bundled get their files kept (so
// they can be exported and published from); a course an admin published
// since is left alone, and nothing new is published.
func TestStartKeepsTheFilesOfBundledCourses(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := openStorage(ctx, &config{Data: t.TempDir(), MongoDB: "kalan"}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close(ctx)
	if err := importBundle(ctx, st, log); err != nil {
		t.Fatal(err)
	}
	published, err := st.store.Published(ctx)
	if err != nil || len(published) == 0 {
		t.Fatalf("nothing published: %v", err)
	}
	// An admin published another version of the first course.
	im := catalog.NewImporter(st.store, st.blobs)
	v1, err := im.Version(ctx, published[0].VersionID)
	if err != nil {
		t.Fatal(err)
	}
	folder, err := im.Folder(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	lesson := courses.LessonFile(v1.Def.Lessons[0].ID, "fr")
	folder[lesson] = append(folder[lesson], "\nUne phrase de plus.\n"...)
	changed, problems := courses.Load(folder.FS(v1.Def.Slug), v1.Def.Slug)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if _, err := im.Import(ctx, folder.FS(v1.Def.Slug), []*courses.Course{changed}); err != nil {
		t.Fatal(err)
	}
	if published, err = st.store.Published(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range published {
		if err := st.store.KeepFiles(ctx, p.VersionID, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := importBundle(ctx, st, log); err != nil {
		t.Fatal(err)
	}
	after, err := st.store.Published(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := courses.LoadAll(courses.Bundle())
	for i, p := range after {
		if p.VersionID != published[i].VersionID {
			t.Errorf("%s: %s published at start, was %s", p.Slug, p.VersionID, published[i].VersionID)
		}
		v, err := st.store.Version(ctx, p.VersionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			switch {
			case c.Slug != p.Slug:
			case p.Hash != c.Hash && len(v.Def.Files) != 0:
				t.Errorf("%s: the admin's version was changed at start", p.Slug)
			case p.Hash == c.Hash && courses.HashFiles(v.Def.Files) != c.Hash:
				t.Errorf("%s: %d files kept, not the bundled ones", p.Slug, len(v.Def.Files))
			}
		}
	}
}
