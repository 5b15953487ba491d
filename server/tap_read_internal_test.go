package server

import (
	"bytes"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/assets"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/view"
)

// describedPages are the page models of TestEveryPageHasAMetaDescription,
// empty as in TestEveryPageRendersWithAnEmptyModel.
func describedPages(p Page) map[string]any {
	return map[string]any{
		"home": homePage{Page: p}, "catalog": catalogPage{Page: p}, "course": coursePage{Page: p}, "lesson": lessonPage{Page: p},
		"error": errorPage{Page: p}, "login": loginPage{Page: p}, "join": joinPage{Page: p}, "account": accountPage{Page: p},
		"reset": resetPage{Page: p}, "reset_link": resetLinkPage{Page: p}, "trainer": trainerPage{Page: p},
		"cohort_form": cohortFormPage{Page: p}, "cohort": cohortPage{Page: p, Cohort: &cohort.Cohort{}, Edit: cohortFormPage{Page: p}},
		"enrol": enrolPage{Page: p, Cohort: &cohort.Cohort{}}, "admin": adminPage{Page: p}, "admin_users": adminUsersPage{Page: p},
		"admin_user": adminUserPage{Page: p, User: &account.User{}}, "admin_audit": auditPage{Page: p}, "quiz": quizPage{Page: p},
		"quiz_closed": quizClosedPage{Page: p}, "quiz_result": quizResultPage{Page: p}, "verify": verifyPage{Page: p},
		"admin_courses": adminCoursesPage{Page: p}, "library": libraryPage{Page: p}, "resource": resourcePage{Page: p},
		"admin_library": adminLibraryPage{Page: p}, "resource_form": resourceFormPage{Page: p, Form: library.Form{}},
		"questions": questionsPage{Page: p}, "national": nationalPage{Page: p}, "offline": offlinePage{Page: p},
		"review_list": reviewListPage{Page: p}, "review": reviewPage{Page: p}, "review_lesson": reviewLessonPage{Page: p}, "publish": publishPage{Page: p}, "review_quiz": reviewQuizPage{Page: p},
	}
}

// Every page has a meta description, right after the viewport line, that
// says what the page is for in the reader's language (the page
// template's "description" block), or the content's own summary when the
// handler gives one (Page.Description).
func TestEveryPageHasAMetaDescription(t *testing.T) {
	v, err := view.New(assets.Templates(), assets.Static())
	if err != nil {
		t.Fatal(err)
	}
	loc := testLocales(t)
	describe := func(name string, model any) (string, bool) {
		t.Helper()
		var out bytes.Buffer
		if err := v.Render(&out, name, model); err != nil {
			t.Fatalf("page %q: %v", name, err)
		}
		d, err := goquery.NewDocumentFromReader(&out)
		if err != nil {
			t.Fatal(err)
		}
		metas := d.Find(`meta[name="description"]`)
		if metas.Length() != 1 {
			t.Errorf("page %q has %d meta descriptions, want 1", name, metas.Length())
			return "", false
		}
		if prev := metas.Prev(); !prev.Is(`meta[name="viewport"]`) {
			t.Errorf("page %q: the meta description is not right after the viewport line", name)
		}
		content, ok := metas.Attr("content")
		return content, ok && content != ""
	}
	byLang := map[string]map[string]string{}
	for _, lang := range []string{"fr", "en", "bm"} {
		p := Page{Lang: lang, Dir: "ltr", loc: loc.Localizer(lang), names: func(c string) string { return c }}
		models := describedPages(p)
		byLang[lang] = map[string]string{}
		names := v.Pages()
		slices.Sort(names)
		for _, name := range names {
			m, ok := models[name]
			if !ok {
				t.Errorf("page %q has no model in this test: add it", name)
				continue
			}
			content, ok := describe(name, m)
			if !ok {
				t.Errorf("%s: page %q has an empty meta description", lang, name)
				continue
			}
			for other, c := range byLang[lang] {
				if c == content {
					t.Errorf("%s: pages %q and %q have the same description %q: say what each is for", lang, name, other, content)
				}
			}
			byLang[lang][name] = content
		}
	}
	for name, fr := range byLang["fr"] {
		if en, bm := byLang["en"][name], byLang["bm"][name]; fr == en || bm == en || bm == fr {
			t.Errorf("page %q is described alike in two languages (fr %q, en %q, bm %q): a translation is missing", name, fr, en, bm)
		}
	}

	// The content's own summary wins.
	p := Page{Lang: "fr", Dir: "ltr", loc: loc.Localizer("fr"), names: func(c string) string { return c }, Description: "Résumé du cours"}
	for _, name := range []string{"course", "lesson", "resource"} {
		if content, _ := describe(name, describedPages(p)[name]); content != p.Description {
			t.Errorf("page %q with a Description: meta description %q", name, content)
		}
	}
}

// A form's field is tied to its hints and its error (aria-describedby),
// marked invalid when it has one, and the error summary lists the form's
// errors in its order, linking to the fields, leaving out other forms'.
func TestFieldErrorsAreTiedToTheirFields(t *testing.T) {
	loc := testLocales(t)
	p := Page{Lang: "en", loc: loc.Localizer("en"),
		Errors: account.FieldErrors{{Field: "region", MessageID: "form.region.required"}, {Field: "name", MessageID: "form.name.required"}}}
	tests := []struct {
		field string
		hints []string
		want  string
	}{
		{"name", nil, ` aria-describedby="error-name" aria-invalid="true"`},
		{"name", []string{"name-hint"}, ` aria-describedby="name-hint error-name" aria-invalid="true"`},
		{"login", []string{"login-hint"}, ` aria-describedby="login-hint"`},
		{"login", nil, ``},
	}
	for _, tt := range tests {
		if got := string(p.Describe(tt.field, tt.hints...)); got != tt.want {
			t.Errorf("Describe(%q, %q) = %q, want %q", tt.field, tt.hints, got, tt.want)
		}
	}
	if e := p.ErrorOf("name"); e.ID != "error-name" || e.Text != loc.Localizer("en").T("form.name.required", nil) {
		t.Errorf("ErrorOf(name) = %+v", e)
	}
	if e := p.ErrorOf("login"); e.Text != "" {
		t.Errorf("ErrorOf(login) = %+v, want no text", e)
	}
	s := p.ErrorSummary("name", "name", "region", "region-select", "current", "current")
	if s.Heading == "" || len(s.Items) != 2 || s.Items[0].Target != "name" || s.Items[1].Target != "region-select" ||
		s.Items[1].Text != loc.Localizer("en").T("form.region.required", nil) {
		t.Errorf("ErrorSummary = %+v", s)
	}
	if s := p.ErrorSummary("current", "current"); len(s.Items) != 0 {
		t.Errorf("another form's summary lists %+v", s.Items)
	}
}
