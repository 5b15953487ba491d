package server_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/auth"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
	"github.com/kalan-platform/kalan/server/training"
	"github.com/kalan-platform/kalan/server/view"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) {
	testenv.MainWithMongo(m, &mongo, testenv.Hooks{Monitor: commands.monitor(), After: []func() error{stopMinIO, checkLogs, commands.check}})
}

// allLogs gathers the logs of every application the tests run, so that
// checkLogs can search the logs of the whole run.
var allLogs struct {
	sync.Mutex
	buffers []*testenv.Buffer
}

// checkLogs fails the run when any log line holds a password, a token or
// personal data that the tests used. Only the tests' own values are
// known; the forms of secrets (argon2 hashes, cookies) are searched too.
func checkLogs() error {
	allLogs.Lock()
	defer allLogs.Unlock()
	forbidden := regexp.MustCompile(regexp.QuoteMeta(testPassword) +
		`|@kalan\.test|\+22[0-9]{6}|Traoré|Kɔnɛ|Keïta|Dembélé|\$argon2id\$|kalan_session=|kalan_csrf=|/reset/[A-Za-z0-9_-]{20}|[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}`)
	for _, b := range allLogs.buffers {
		for _, line := range strings.Split(b.String(), "\n") {
			if m := forbidden.FindString(line); m != "" {
				return fmt.Errorf("a log line holds %q:\n%s", m, line)
			}
		}
	}
	return nil
}

// env is a running application on a fresh database.
type env struct {
	app      *fiber.App
	store    *store.Store
	blobs    blob.Store
	locales  *locales.Messages
	catalog  *catalog.Catalog
	auth     *auth.Service
	cohorts  *cohort.Service
	training *training.Service
	reports  *report.Service
	library  *library.Service
	logs     *testenv.Buffer // everything the application logged
}

// fixtures are test courses beside the bundled curriculum: one for cohort
// members only, one written in French only.
func fixtures() fstest.MapFS {
	course := func(slug, access, langs string) string {
		return fmt.Sprintf(`languages: [%s]
title: {fr: "Cours %s", en: "Course %s"}
summary: {fr: Résumé, en: Summary}
audience: [police]
duration_minutes: 10
pass_mark: 70
access: %s
order: 50
translations: {fr: {by: test, reviewed: true}, en: {by: test, reviewed: true}}
lessons:
  - id: only
    title: {fr: Seule leçon, en: Only lesson}
`, langs, slug, slug, access)
	}
	quizzed := strings.Replace(strings.Replace(course("quizzed", "public", "fr, en"), "order: 50", "order: 60", 1), "pass_mark: 70", "pass_mark: 50", 1)
	quiz := func(id, right string) string {
		return fmt.Sprintf(`  - id: %s
    review: only
    text: {fr: "Question %s ?", en: "Question %s?"}
    options:
      - {id: a, correct: %t, text: {fr: A, en: A}, feedback: {fr: "Explication A de %s", en: "Explanation A of %s"}}
      - {id: b, correct: %t, text: {fr: B, en: B}, feedback: {fr: "Explication B de %s", en: "Explanation B of %s"}}
`, id, id, id, right == "a", id, id, right == "b", id, id)
	}
	waiting := strings.Replace(strings.Replace(quizzed, "quizzed", "waiting", -1), "order: 60", "order: 61", 1)
	return fstest.MapFS{
		"waiting/course.yaml":        {Data: []byte(waiting)},
		"waiting/lessons/only.fr.md": {Data: []byte("Lisez.\n")},
		"waiting/lessons/only.en.md": {Data: []byte("Read.\n")},
		"waiting/quiz.yaml":          {Data: []byte("draw: 1\nwait_minutes: 60\nquestions:\n" + quiz("q1", "a"))},
		"quizzed/course.yaml":        {Data: []byte(quizzed)},
		"quizzed/lessons/only.fr.md": {Data: []byte("Lisez.\n")},
		"quizzed/lessons/only.en.md": {Data: []byte("Read.\n")},
		"quizzed/quiz.yaml": {Data: []byte("draw: 2\nmax_attempts: 2\nwait_minutes: 0\nquestions:\n" +
			quiz("q1", "a") + quiz("q2", "b") + quiz("q3", "a"))},
		"members/course.yaml":            {Data: []byte(course("members", "cohort", "fr, en"))},
		"members/lessons/only.fr.md":     {Data: []byte("Réservé.\n")},
		"members/lessons/only.en.md":     {Data: []byte("Members only.\n")},
		"french-only/course.yaml":        {Data: []byte(strings.Replace(course("french-only", "public", "fr"), ", en: {by: test, reviewed: true}", "", 1))},
		"french-only/lessons/only.fr.md": {Data: []byte("Seulement en français.\n")},
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newEnv imports the bundled curriculum and the fixtures into a fresh
// database and a blob directory, and builds the application.
func newEnv(t testing.TB) *env {
	t.Helper()
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, mongo.Store(t), blobs)
}

// embeddedEnv is an application on an embedded database of its own in
// the data directory dir, as kalan serve runs it; it stops with the test.
func embeddedEnv(t testing.TB, dir string) (*env, *store.Embedded) {
	t.Helper()
	ctx := context.Background()
	emb, err := store.StartEmbedded(ctx, dir, quiet())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Stop)
	st, err := store.Open(ctx, store.Config{URI: emb.URI(), Database: "kalan", Embedded: emb})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(ctx) })
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, st, blobs), emb
}

// newEnvSameStore is a second application on the database and object
// storage of e: another instance, or e after a restart.
func newEnvSameStore(t testing.TB, e *env) *env { return newEnvWith(t, e.store, e.blobs) }

// tune, if given, changes the parts before the app is built.
func newEnvWith(t testing.TB, st *store.Store, blobs blob.Store, tune ...func(*app.Parts)) *env {
	t.Helper()
	ctx := context.Background()
	im := catalog.NewImporter(st, blobs)
	for _, fsys := range []fs.FS{courses.Bundle(), fixtures()} {
		list, problems := courses.LoadAll(fsys)
		if len(problems) > 0 {
			t.Fatalf("fixtures: %v", problems)
		}
		if _, err := im.Import(ctx, fsys, list); err != nil {
			t.Fatal(err)
		}
	}
	loc, err := locales.Load(quiet())
	if err != nil {
		t.Fatal(err)
	}
	v, err := view.New(assets.Templates(), assets.Static())
	if err != nil {
		t.Fatal(err)
	}
	key, err := certificate.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	logs := &testenv.Buffer{}
	allLogs.Lock()
	allLogs.buffers = append(allLogs.buffers, logs)
	allLogs.Unlock()
	parts := app.Parts{
		Store: st, Blobs: blobs, Key: key, Locales: loc, View: v,
		Log:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Options: app.Options{BaseURL: "http://kalan.test", LibraryMaxSize: 300 << 20},
	}
	for _, f := range tune {
		f(&parts)
	}
	a, err := app.New(ctx, parts)
	if err != nil {
		t.Fatal(err)
	}
	web, err := server.New(a.Deps)
	if err != nil {
		t.Fatal(err)
	}
	commands.table(web)
	return &env{app: web, store: st, blobs: blobs, locales: loc, catalog: a.Catalog, auth: a.Auth, cohorts: a.Cohorts,
		training: a.Training, reports: a.Reports, library: a.Library, logs: logs}
}

// response is a finished request.
type response struct {
	*http.Response
	body []byte
}

func (e *env) get(t testing.TB, target string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.app.Test(req, 10_000)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp, body}
}

func (r response) doc(t testing.TB) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(string(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// t translates a message id the way the page should have.
func (e *env) t(lang, id string, data map[string]any) string {
	return e.locales.Localizer(lang).T(id, data)
}

// publish imports the courses of fsys and loads them, as
// `kalan courses import` and the next catalog check would, and returns
// them as parsed.
func (e *env) publish(t testing.TB, fsys fs.FS) []*courses.Course {
	t.Helper()
	list, problems := courses.LoadAll(fsys)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	ctx := context.Background()
	if _, err := catalog.NewImporter(e.store, e.blobs).Import(ctx, fsys, list); err != nil {
		t.Fatal(err)
	}
	if err := e.catalog.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return list
}
