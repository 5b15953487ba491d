package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/review"
)

const (
	publishURL = "/admin/courses/" + basics + "/publish"
	exportURL  = "/admin/courses/" + basics + "/export.zip"
)

// unzipCourse writes an exported zip into a new folder and loads the
// course in it as `kalan courses check` would.
func unzipCourse(t *testing.T, data []byte) (string, *courses.Course) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	dir := t.TempDir()
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, basics+"/") || strings.Contains(f.Name, "..") {
			t.Fatalf("zip entry %q is not inside the course folder", f.Name)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list, problems := courses.LoadAll(os.DirFS(dir))
	if len(problems) > 0 || len(list) != 1 {
		t.Fatalf("the exported folder does not pass the checks: %v", problems)
	}
	return dir, list[0]
}

func TestExportIsTheImportedFolder(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	r := admin.get(t, exportURL)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(r.Header.Get("Content-Disposition"), `filename="`+basics+`-v1.zip"`) {
		t.Fatalf("export = %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	dir, c := unzipCourse(t, r.body)
	bundled, _ := courses.Load(courses.Bundle(), basics)
	if c.Hash != bundled.Hash {
		t.Fatal("the exported folder is not the bundled one")
	}
	for _, f := range bundled.Files {
		got, err := os.ReadFile(filepath.Join(dir, basics, filepath.FromSlash(f.Path)))
		if sum := sha256.Sum256(got); err != nil || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s differs from the bundled file", f.Path)
		}
	}
	// Importing it again is the same version.
	res, err := catalog.NewImporter(e.store, e.blobs).Import(context.Background(), os.DirFS(dir), []*courses.Course{c})
	if err != nil || res[0].Outcome != catalog.Unchanged || res[0].Version != 1 {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	// The same version exports the same bytes.
	if again := admin.get(t, exportURL); !bytes.Equal(again.body, r.body) {
		t.Error("two exports of one version differ")
	}
}

func TestExportOfAVersionWithoutKeptFiles(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	ctx := context.Background()
	c, _ := e.catalog.Lookup(basics)
	// A version imported before Kalan kept course files.
	if err := e.store.KeepFiles(ctx, c.ID, nil); err != nil {
		t.Fatal(err)
	}
	r := admin.get(t, exportURL)
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.doc(t).Find("[role=alert]").Text(), "kalan courses import") {
		t.Fatalf("export of a version without files = %d\n%s", r.StatusCode, r.body)
	}
	// Importing the same folder again keeps them, and publishes nothing new.
	list, _ := courses.LoadAll(courses.Bundle())
	res, err := catalog.NewImporter(e.store, e.blobs).Import(ctx, courses.Bundle(), list)
	if err != nil || res[0].Outcome != catalog.Unchanged {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	if r := admin.get(t, exportURL); r.StatusCode != http.StatusOK {
		t.Fatalf("export after the re-import = %d", r.StatusCode)
	}
}

func TestPublishDraftsAsANewVersion(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	before, _ := e.catalog.Lookup(basics)
	bundledYAML, err := courses.Bundle().Open(basics + "/course.yaml")
	if err != nil {
		t.Fatal(err)
	}
	original, _ := io.ReadAll(bundledYAML)

	md := "## Taamasiyɛnw\n\nSɛbɛn kura min lajɛra.\n"
	if r := rev.post(t, textURL, url.Values{"lang": {"bm"}, "title": {" Taamasiyɛn kuraw "}, "markdown": {md}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save text = %d", r.StatusCode)
	}
	voice := audioFixture(t, "opus.webm")
	if r := rev.uploadForm(t, audioURL, url.Values{"lang": {"bm"}}, namedFile{"recording.webm", voice}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d\n%s", r.StatusCode, r.body)
	}
	if r := rev.post(t, "/review/"+basics+"/bm/reviewed", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark = %d", r.StatusCode)
	}
	page := rev.get(t, "/review/"+basics+"/bm").doc(t)
	if page.Find(`form[action="`+publishURL+`"] input[name=lang][value=bm]`).Length() != 1 || page.Find(`a[href="`+exportURL+`"]`).Length() != 1 {
		t.Fatal("the course's review page has no publish form or export link")
	}

	r := rev.post(t, publishURL, url.Values{"lang": {"bm"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/review/"+basics+"/bm" {
		t.Fatalf("publish = %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	after, _ := e.catalog.Lookup(basics)
	if after.Number != before.Number+1 {
		t.Fatalf("published version %d, want %d", after.Number, before.Number+1)
	}

	// The trainee in Bambara: the new text, no notice, the recording.
	lesson := e.get(t, "/courses/"+basics+"/lessons/indicators?lang=bm")
	d := lesson.doc(t)
	if !strings.Contains(d.Find("article").Text(), "Sɛbɛn kura min lajɛra") || d.Find("h1").Text() != "Taamasiyɛn kuraw" {
		t.Errorf("the lesson does not show the published draft (title %q)", d.Find("h1").Text())
	}
	if d.Find("p.note.review").Length() != 0 {
		t.Error("learners still see the unreviewed-translation notice")
	}
	sum := sha256.Sum256(voice)
	if src := d.Find("audio").AttrOr("src", ""); src != catalog.MediaURL(hex.EncodeToString(sum[:])) {
		t.Errorf("lesson player plays %q, want the reviewer's recording", src)
	}
	if m := e.get(t, catalog.MediaURL(hex.EncodeToString(sum[:]))); m.StatusCode != http.StatusOK || !bytes.Equal(m.body, voice) {
		t.Errorf("the published recording = %d, %d bytes", m.StatusCode, len(m.body))
	}

	// The drafts it took are gone; the audit log has the publication.
	if _, err := e.store.Draft(ctx, basics, "bm", "indicators"); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("text draft after publication: %v", err)
	}
	if _, err := e.store.Recording(ctx, basics, "bm", "indicators"); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("draft recording after publication: %v", err)
	}
	if n := auditCount(t, e, audit.CoursePublished); n != 1 {
		t.Errorf("%d audit entries of the publication, want 1", n)
	}

	// The export is the new version: it passes the checks, holds the
	// reviewer's files, and course.yaml changed by two lines only.
	x := rev.get(t, exportURL)
	dir, c := unzipCourse(t, x.body)
	if c.Hash != after.Def.Hash {
		t.Fatal("the export is not the published version")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, basics, "lessons", "indicators.bm.md")); string(got) != md {
		t.Errorf("exported lesson %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, basics, "lessons", "indicators.bm.webm")); !bytes.Equal(got, voice) {
		t.Error("the export lacks the recording as it was uploaded")
	}
	yaml, _ := os.ReadFile(filepath.Join(dir, basics, "course.yaml"))
	if c.Voices["bm"].By != "Mariam Sangaré" || c.Voices["bm"].Synthetic || !c.Translations["bm"].Reviewed {
		t.Errorf("course.yaml after publication: voices %+v, translations %+v", c.Voices, c.Translations)
	}
	if added, removed := lineDiff(string(original), string(yaml)); len(added) != 3 || len(removed) != 2 {
		t.Errorf("course.yaml: added %q, removed %q; want the reviewed and title lines changed and one voice line", added, removed)
	}
	res, err := catalog.NewImporter(e.store, e.blobs).Import(ctx, os.DirFS(dir), []*courses.Course{c})
	if err != nil || res[0].Outcome != catalog.Unchanged || res[0].Version != after.Number {
		t.Fatalf("re-import of the export: %+v, %v", res, err)
	}

	// Publishing again has nothing to publish.
	if r := rev.post(t, publishURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("second publish = %d", r.StatusCode)
	}
	if again, _ := e.catalog.Lookup(basics); again.Number != after.Number {
		t.Error("publishing without drafts made a version")
	}
}

// lineDiff lists the lines of b not in a, and of a not in b.
func lineDiff(a, b string) (added, removed []string) {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		if count[l] > 0 {
			count[l]--
		} else {
			added = append(added, l)
		}
	}
	for l, n := range count {
		for ; n > 0; n-- {
			removed = append(removed, l)
		}
	}
	return added, removed
}

func TestPublishRefusedByTheChecksKeepsEverything(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, u := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	before, _ := e.catalog.Lookup(basics)
	// A draft that no longer fits the course (its image is gone): saved
	// through the store, as the form's preview refuses it.
	bad := review.Draft{Slug: basics, Lang: "bm", Lesson: "indicators", Markdown: "![Foto](../media/gone.svg)\n", Base: before.ID,
		By: u.ID, ByName: u.Name}
	if _, err := e.store.SaveDraft(ctx, bad, 0); err != nil {
		t.Fatal(err)
	}
	r := admin.post(t, publishURL, nil)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publish = %d", r.StatusCode)
	}
	problems := r.doc(t).Find("[data-problems] li").Text()
	if !strings.Contains(problems, basics+"/lessons/indicators.bm.md:1:") {
		t.Errorf("problems %q do not name the lesson file and line", problems)
	}
	if after, _ := e.catalog.Lookup(basics); after.ID != before.ID {
		t.Error("a refused publication published")
	}
	if d, err := e.store.Draft(ctx, basics, "bm", "indicators"); err != nil || d.Revision != 1 {
		t.Errorf("the draft after a refused publication: %+v, %v", d, err)
	}
	if n := auditCount(t, e, audit.CoursePublished); n != 0 {
		t.Errorf("%d publications audited", n)
	}
}

func TestPublishTakesOnlyTheReviewersLanguages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	other, _ := e.signedInReviewer(t, "hama@kalan.test", "Hama Cissé", "ses")
	if r := admin.post(t, textURL, url.Values{"lang": {"en"}, "markdown": {"English draft.\n"}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("en draft = %d", r.StatusCode)
	}
	if r := rev.post(t, textURL, url.Values{"lang": {"bm"}, "markdown": {"Bamanankan kura.\n"}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("bm draft = %d", r.StatusCode)
	}
	for _, target := range []string{publishURL, exportURL} {
		var r response
		if strings.HasSuffix(target, ".zip") {
			r = other.get(t, target)
		} else {
			r = other.post(t, target, nil)
		}
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("a reviewer of a language the course lacks: %s = %d", target, r.StatusCode)
		}
	}
	if r := rev.post(t, publishURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish = %d", r.StatusCode)
	}
	if body := e.get(t, "/courses/"+basics+"/lessons/indicators?lang=en").body; strings.Contains(string(body), "English draft.") {
		t.Error("a reviewer of Bambara published an English draft")
	}
	if _, err := e.store.Draft(ctx, basics, "en", "indicators"); err != nil {
		t.Errorf("the English draft after a Bambara publication: %v", err)
	}
	if body := e.get(t, "/courses/"+basics+"/lessons/indicators?lang=bm").body; !strings.Contains(string(body), "Bamanankan kura.") {
		t.Error("the Bambara draft is not published")
	}
}

// TestPublishInParallel: two people publishing the same drafts at once
// make one version, and neither sees an error.
func TestPublishInParallel(t *testing.T) {
	e := newEnv(t)
	_, admin := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	rev, reviewer := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	before, _ := e.catalog.Lookup(basics)
	if r := rev.post(t, textURL, url.Values{"lang": {"bm"}, "markdown": {"Bamanankan kura.\n"}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("bm draft = %d", r.StatusCode)
	}
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		// A client of its own each (a client keeps cookies in a map).
		c := e.sessionClient(t, reviewer.ID)
		if i%2 == 1 {
			c = e.sessionClient(t, admin.ID)
		}
		wg.Go(func() { codes[i] = c.post(t, publishURL, nil).StatusCode })
	}
	wg.Wait()
	// Each publishes the same files over the same version: the first
	// publishes them, the others find them published.
	for i, code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("publish %d = %d", i, code)
		}
	}
	after, _ := e.catalog.Lookup(basics)
	if after.Number != before.Number+1 {
		t.Errorf("version %d after parallel publications, want %d", after.Number, before.Number+1)
	}
}

// sessionClient is a client with a new session of user id.
func (e *env) sessionClient(t *testing.T, id string) *client {
	t.Helper()
	token, _, err := e.auth.Sessions().Start(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.cookies["kalan_session"] = token
	return c
}

// Two instances: the second has not reloaded its catalog when an admin
// publishes from it; the version the first published meanwhile must not
// be undone. Nothing is published, the drafts stay, and once reloaded
// the publication carries both.
func TestPublishDoesNotUndoAVersionPublishedMeanwhile(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	other := newEnvSameStore(t, e)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	admin, _ := other.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Admin")
	if r := rev.post(t, textURL, url.Values{"lang": {"bm"}, "markdown": {"Bamanankan kura.\n"}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("bm draft = %d", r.StatusCode)
	}
	if r := rev.post(t, publishURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("bm publish = %d", r.StatusCode)
	}
	if r := admin.post(t, textURL, url.Values{"lang": {"en"}, "markdown": {"New English.\n"}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("en draft = %d", r.StatusCode)
	}
	r := admin.post(t, publishURL, nil)
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("publication over a stale version = %d", r.StatusCode)
	}
	published, _ := e.store.Published(ctx)
	for _, p := range published {
		if c, _ := e.catalog.Lookup(p.Slug); p.Slug == basics && p.VersionID != c.ID {
			t.Fatalf("the stale publication moved the course to %s", p.VersionID)
		}
	}
	if _, err := e.store.Draft(ctx, basics, "en", "indicators"); err != nil {
		t.Fatalf("the English draft after the refused publication: %v", err)
	}
	if err := other.catalog.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if r := admin.post(t, publishURL, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publication after the reload = %d", r.StatusCode)
	}
	for lang, want := range map[string]string{"bm": "Bamanankan kura.", "en": "New English."} {
		if body := string(other.get(t, "/courses/"+basics+"/lessons/indicators?lang="+lang).body); !strings.Contains(body, want) {
			t.Errorf("the %s lesson lost %q", lang, want)
		}
	}
}
