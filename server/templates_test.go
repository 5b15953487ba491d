package server

import (
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/report"
	"github.com/kalan-platform/kalan/server/view"
)

func testLocales(t *testing.T) *locales.Messages {
	t.Helper()
	loc, err := locales.Load(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Every page template renders with an empty model: a template that calls
// a missing field or a missing asset fails here, not in front of a reader.
func TestEveryPageRendersWithAnEmptyModel(t *testing.T) {
	v, err := view.New(assets.Templates(), assets.Static())
	if err != nil {
		t.Fatal(err)
	}
	loc := testLocales(t)
	p := Page{Lang: "fr", Dir: "ltr", loc: loc.Localizer("fr"), names: func(c string) string { return c }}
	models := map[string]any{
		"home":          homePage{Page: p},
		"catalog":       catalogPage{Page: p},
		"course":        coursePage{Page: p},
		"lesson":        lessonPage{Page: p},
		"error":         errorPage{Page: p},
		"login":         loginPage{Page: p},
		"join":          joinPage{Page: p},
		"account":       accountPage{Page: p},
		"reset":         resetPage{Page: p},
		"reset_link":    resetLinkPage{Page: p},
		"trainer":       trainerPage{Page: p},
		"cohort_form":   cohortFormPage{Page: p},
		"cohort":        cohortPage{Page: p, Cohort: &cohort.Cohort{}, Edit: cohortFormPage{Page: p}},
		"enrol":         enrolPage{Page: p, Cohort: &cohort.Cohort{}},
		"admin":         adminPage{Page: p},
		"admin_users":   adminUsersPage{Page: p},
		"admin_user":    adminUserPage{Page: p, User: &account.User{}},
		"review_list":   reviewListPage{Page: p},
		"review":        reviewPage{Page: p},
		"review_lesson": reviewLessonPage{Page: p}, "publish": publishPage{Page: p}, "review_quiz": reviewQuizPage{Page: p},
		"admin_audit":   auditPage{Page: p},
		"quiz":          quizPage{Page: p},
		"quiz_closed":   quizClosedPage{Page: p},
		"quiz_result":   quizResultPage{Page: p},
		"verify":        verifyPage{Page: p},
		"admin_courses": adminCoursesPage{Page: p},
		"library":       libraryPage{Page: p},
		"resource":      resourcePage{Page: p},
		"admin_library": adminLibraryPage{Page: p},
		"resource_form": resourceFormPage{Page: p, Form: library.Form{}},
		"questions":     questionsPage{Page: p},
		"national":      nationalPage{Page: p},
		"offline":       offlinePage{Page: p},
	}
	names := v.Pages()
	slices.Sort(names)
	pageFields := map[string]bool{}
	for i := 0; i < reflect.TypeOf(Page{}).NumField(); i++ {
		pageFields[reflect.TypeOf(Page{}).Field(i).Name] = true
	}
	for _, name := range names {
		m, ok := models[name]
		if !ok {
			t.Errorf("page %q has no model in this test: add it", name)
			continue
		}
		// A model field named like one of Page's hides it from the layout
		// (a page's own Languages once broke the language switcher).
		mt := reflect.TypeOf(m)
		for i := 0; i < mt.NumField(); i++ {
			if f := mt.Field(i); !f.Anonymous && pageFields[f.Name] {
				t.Errorf("page %q: field %s hides Page.%s", name, f.Name, f.Name)
			}
		}
		if err := v.Render(io.Discard, name, m); err != nil {
			t.Errorf("page %q: %v", name, err)
		}
	}
}

var (
	templateID = regexp.MustCompile(`\.(?:T|N) "([^"]+)"`)
)

// Every message id the templates and handlers use exists in every
// language; ids built at run time are listed by hand.
func TestEveryUsedMessageExists(t *testing.T) {
	used := map[string]bool{}
	err := fs.WalkDir(assets.Templates(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(assets.Templates(), p)
		for _, m := range templateID.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The handlers and every package under them: a string literal that
	// starts like a message id of the locale files (its first segment,
	// "nav." of "nav.home") is taken for one.
	loc := testLocales(t)
	prefixes := map[string]bool{}
	for _, id := range loc.IDs("en") {
		prefixes[regexp.QuoteMeta(strings.SplitN(id, ".", 2)[0])] = true
	}
	goID := regexp.MustCompile(`"((?:` + strings.Join(slices.Sorted(maps.Keys(prefixes)), "|") + `)\.[a-z0-9_.-]+)"`)
	var goFiles []string
	err = filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasPrefix(p, "testenv") {
			return err
		}
		goFiles = append(goFiles, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(goFiles) < 50 {
		t.Fatalf("found only %d Go files: is the walk broken?", len(goFiles))
	}
	for _, f := range goFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goID.FindAllStringSubmatch(string(data), -1) {
			id := m[1]
			if strings.HasSuffix(id, ".") || strings.HasSuffix(id, ".html") || strings.HasSuffix(id, ".yaml") {
				continue // a prefix completed at run time (listed below), or a file name
			}
			if slices.Contains(audit.Actions(), id) {
				continue // an audit action ("cohort.created"): its message is audit.action.<it>, below
			}
			used[id] = true
		}
	}
	for _, a := range courses.Audiences() {
		used["audience."+a] = true
	}
	for _, a := range []courses.Access{courses.AccessPublic, courses.AccessCohort} {
		used["course.access."+string(a)] = true
	}
	for _, code := range account.Organisations() {
		used["organisation."+code] = true
	}
	for _, code := range account.Regions() {
		used["region."+code] = true
	}
	for _, r := range []account.Role{account.RoleTrainee, account.RoleTrainer, account.RoleAdmin} {
		used["role."+string(r)] = true
	}
	for _, code := range library.Topics() {
		used["library.topic."+code] = true
	}
	for _, code := range library.Audiences() {
		used["library.audience."+code] = true
	}
	for _, code := range library.Formats() {
		used["library.format."+code] = true
	}
	for _, a := range audit.Actions() {
		used["audit.action."+a] = true
	}
	for _, s := range report.Statuses() {
		used["report.status."+string(s)] = true
	}
	for _, s := range report.Sorts() {
		used["report.sort."+string(s)] = true
	}
	for _, d := range report.Dimensions() {
		used["report.by."+string(d)] = true
	}
	for _, kind := range []string{"audio", "video"} { // the data saver's media links (catalog/render.go)
		used["saver."+kind] = true
	}
	for _, f := range []string{"too-easy", "too-hard", "misleading", "language-gap"} {
		used["report.flag."+f] = true
	}
	if len(used) < 30 {
		t.Fatalf("found only %d message ids in use: is the scan broken?", len(used))
	}
	for _, l := range loc.Languages() {
		have := loc.IDs(l.Code)
		for id := range used {
			if !slices.Contains(have, id) {
				t.Errorf("%q is used but missing from active.%s.toml", id, l.Code)
			}
		}
	}
}
