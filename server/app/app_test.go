package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/testenv"
	"github.com/kalan-platform/kalan/server/view"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

const basics = "detecting-trafficking-basics"

// build is an application on a fresh database holding the bundled
// curriculum.
func build(t *testing.T) *app.App {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st := mongo.Store(t)
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	list, problems := courses.LoadAll(courses.Bundle())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if _, err := catalog.NewImporter(st, blobs).Import(ctx, courses.Bundle(), list); err != nil {
		t.Fatal(err)
	}
	loc, err := locales.Load(log)
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
	a, err := app.New(ctx, app.Parts{Store: st, Blobs: blobs, Key: key, Locales: loc, View: v, Log: log,
		Options: app.Options{BaseURL: "http://kalan.test", LibraryMaxSize: 1 << 20, StarterLibrary: true}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The application answers: readiness, a lesson of the bundled curriculum,
// the starter library.
func TestServes(t *testing.T) {
	a := build(t)
	web, err := server.New(a.Deps)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/readyz", "/courses/" + basics + "/lessons/three-elements?lang=fr", "/library"} {
		resp, err := web.Test(httptest.NewRequest(http.MethodGet, target, nil), 10_000)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", target, resp.StatusCode)
		}
	}
	if all, err := a.Library.All(context.Background()); err != nil || len(all) == 0 {
		t.Errorf("starter library: %d resources, %v", len(all), err)
	}
}

// A person enrolled in a cohort is counted in its reports at once: the
// cohort service is built with the recorder of report facts.
func TestEnrolmentIsReported(t *testing.T) {
	a := build(t)
	ctx := context.Background()
	admin := &account.User{ID: account.NewID(), Role: account.RoleAdmin}
	known := func(slug string) bool { _, ok := a.Catalog.Lookup(slug); return ok }
	co, errs, err := a.Cohorts.Create(ctx, admin, cohort.Form{Name: "Ségou", Courses: []string{basics}, Region: "segou", Organisation: "police",
		Starts: "2027-03-01", Ends: "2027-03-31"}, known, "")
	if err != nil || errs != nil {
		t.Fatalf("create cohort: %v %v", errs, err)
	}
	login, err := account.ParseLogin("awa@kalan.test")
	if err != nil {
		t.Fatal(err)
	}
	enrolled, err := a.Cohorts.Enrol(ctx, admin, co, []account.EnrolRow{{Line: 2, Name: "Awa", Login: login}}, "fr", "")
	if err != nil || len(enrolled) != 1 || enrolled[0].User == nil {
		t.Fatalf("enrol: %+v %v", enrolled, err)
	}
	b, err := a.Reports.Cohort(ctx, co.ID, basics)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Members[enrolled[0].User.ID]; !ok || len(b.Members) != 1 {
		t.Errorf("report of the cohort: %+v, want the person enrolled", b.Members)
	}
}
