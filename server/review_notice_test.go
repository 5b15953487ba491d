package server_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

// reviewFixtures are two courses beside the bundled ones: one whose
// Bambara translation a native speaker reviewed, and one written in
// English whose lesson has an unreviewed French translation, which is
// what a Bambara reader gets (French comes first among the fallbacks).
func reviewFixtures(t *testing.T, e *env) {
	t.Helper()
	fsys := fstest.MapFS{
		"reviewed-bm/course.yaml": {Data: []byte(`languages: [fr, bm]
title: {fr: Relu, bm: Lajɛlen}
summary: {fr: Résumé, bm: Kunnafoni}
audience: [police]
duration_minutes: 5
pass_mark: 50
access: public
order: 80
translations: {fr: {by: test, reviewed: false}, bm: {by: test, reviewed: true}}
lessons:
  - {id: only, title: {fr: Seule, bm: Kelen}}
`)},
		"reviewed-bm/lessons/only.fr.md": {Data: []byte("Lisez.\n")},
		"reviewed-bm/lessons/only.bm.md": {Data: []byte("A kalan.\n")},
		"english-first/course.yaml": {Data: []byte(`languages: [en]
title: {en: English first, fr: D'abord en anglais}
summary: {en: Summary, fr: Résumé}
audience: [police]
duration_minutes: 5
pass_mark: 50
access: public
order: 81
translations: {en: {by: test, reviewed: false}, fr: {by: test, reviewed: false}}
lessons:
  - {id: only, title: {en: Only, fr: Seule}}
`)},
		"english-first/lessons/only.en.md": {Data: []byte("Read.\n")},
		"english-first/lessons/only.fr.md": {Data: []byte("Lisez.\n")},
	}
	e.publish(t, fsys)
}

// checkReviewNotice fails unless the page has exactly the notice about
// content (a language's own name) in the reader's language, or, with
// content "", no notice at all.
func checkReviewNotice(t *testing.T, e *env, what string, d *goquery.Document, lang, content string) {
	t.Helper()
	notes := d.Find(".note.review")
	if content == "" {
		if notes.Length() != 0 {
			t.Errorf("%s: a notice where none is due: %q", what, notes.Text())
		}
		return
	}
	want := e.t(lang, "course.unreviewed_note", map[string]any{"Language": content})
	if notes.Length() != 1 || strings.TrimSpace(notes.Text()) != want {
		t.Errorf("%s: %d notices %q, want %q", what, notes.Length(), notes.Text(), want)
		return
	}
	if role, _ := notes.Attr("role"); role != "note" {
		t.Errorf("%s: the notice has role=%q", what, role)
	}
	if l, _ := notes.Attr("lang"); l != lang {
		t.Errorf("%s: the notice, in the reader's language %s, has lang=%q", what, lang, l)
	}
	if !notes.Is("p") || notes.Find("*").Length() != 0 {
		t.Errorf("%s: the notice is not a short paragraph", what)
	}
}

// A learner reading course 1 in Bambara, whose translation no native
// speaker reviewed, sees a notice on the course page, on each lesson and
// on the quiz and its result; in French, the course's own language, none.
// The notice names the language the content is in: English, unreviewed
// too, gets its own.
func TestReviewNoticeOnUnreviewedTranslation(t *testing.T) {
	e := newEnv(t)
	course, _ := e.catalog.Lookup(basics)
	if course.Def.Translations["bm"].Reviewed || course.Def.Translations["en"].Reviewed || courses.SourceLang(course.Def) != "fr" {
		t.Fatalf("this test needs %s in French with unreviewed Bambara and English", basics)
	}
	for _, tc := range []struct{ lang, content string }{{"bm", "Bamanankan"}, {"en", "English"}, {"fr", ""}} {
		d := e.get(t, "/courses/"+basics+"?lang="+tc.lang).doc(t)
		checkReviewNotice(t, e, tc.lang+" course page", d, tc.lang, tc.content)
		for _, l := range course.Def.Lessons {
			d := e.get(t, lessonPath(basics, l.ID)+"?lang="+tc.lang).doc(t)
			checkReviewNotice(t, e, tc.lang+" lesson "+l.ID, d, tc.lang, tc.content)
			if tc.content != "" && d.Find("article .note.review").Length() != 1 {
				t.Errorf("%s lesson %s: the notice is not at the top of the lesson", tc.lang, l.ID)
			}
		}
		// A second reading comes from the page cache: the same notice.
		again := e.get(t, lessonPath(basics, course.Def.Lessons[0].ID)+"?lang="+tc.lang).doc(t)
		checkReviewNotice(t, e, tc.lang+" cached lesson", again, tc.lang, tc.content)
	}

	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	r := c.get(t, "/courses/"+basics+"/quiz?lang=bm")
	checkReviewNotice(t, e, "bm quiz", r.doc(t), "bm", "Bamanankan")
	checkReviewNotice(t, e, "fr quiz", c.get(t, "/courses/"+basics+"/quiz?lang=fr").doc(t), "fr", "")
	f := readQuiz(t, r)
	sent := c.post(t, "/courses/"+basics+"/quiz", answers(t, e, basics, f, false))
	if sent.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", sent.StatusCode)
	}
	result := sent.Header.Get("Location")
	checkReviewNotice(t, e, "bm quiz result", c.get(t, result+"?lang=bm").doc(t), "bm", "Bamanankan")
	checkReviewNotice(t, e, "fr quiz result", c.get(t, result+"?lang=fr").doc(t), "fr", "")
}

// A translation marked reviewed shows no notice; a lesson that falls back
// to an unreviewed translation keeps its fallback note and gets the
// notice about the language shown; falling back to the course's own
// language, even unreviewed, gives the fallback note alone.
func TestReviewNoticeFollowsTheLanguageShown(t *testing.T) {
	e := newEnv(t)
	reviewFixtures(t, e)
	for _, target := range []string{"/courses/reviewed-bm?lang=bm", "/courses/reviewed-bm/lessons/only?lang=bm",
		"/courses/quizzed?lang=en", "/courses/quizzed/lessons/only?lang=en"} {
		checkReviewNotice(t, e, target, e.get(t, target).doc(t), strings.SplitN(target, "=", 2)[1], "")
	}

	lesson := e.get(t, "/courses/english-first/lessons/only?lang=bm").doc(t)
	checkReviewNotice(t, e, "bm reader of a French fallback", lesson, "bm", "Français")
	fallback := e.t("bm", "lesson.fallback_note", map[string]any{"Language": "Bamanankan", "Fallback": "Français"})
	if got := lesson.Find(".note:not(.review)").Text(); got != fallback {
		t.Errorf("fallback note %q, want %q", got, fallback)
	}
	if lang, _ := lesson.Find("article").Attr("lang"); lang != "fr" {
		t.Errorf("the French fallback has lang=%q", lang)
	}
	checkReviewNotice(t, e, "bm course page in French", e.get(t, "/courses/english-first?lang=bm").doc(t), "bm", "Français")
	checkReviewNotice(t, e, "en reader of the source", e.get(t, "/courses/english-first/lessons/only?lang=en").doc(t), "en", "")

	// reviewed-bm has no English: an English reader gets French, the
	// language it is written in, unreviewed but no translation.
	d := e.get(t, "/courses/reviewed-bm/lessons/only?lang=en").doc(t)
	checkReviewNotice(t, e, "en reader of the French source", d, "en", "")
	if d.Find(".note:not(.review)").Length() != 1 {
		t.Error("the fallback note is missing")
	}
}

// The offline pack carries the notice on each lesson page of an
// unreviewed translation, in the pack's language, and not in the course's
// own language or a reviewed translation.
func TestReviewNoticeInPacks(t *testing.T) {
	e := newEnv(t)
	reviewFixtures(t, e)
	course, _ := e.catalog.Lookup(basics)
	for _, tc := range []struct{ slug, lang, content string }{{basics, "bm", "Bamanankan"}, {basics, "fr", ""}, {"reviewed-bm", "bm", ""}} {
		r := e.get(t, "/courses/"+tc.slug+"/pack?lang="+tc.lang)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s pack in %s: %d", tc.slug, tc.lang, r.StatusCode)
		}
		files := unzip(t, r.body)
		folder := "kalan-" + tc.slug + "-" + tc.lang + "/"
		n := 0
		for name, body := range files {
			if !strings.HasPrefix(name, folder+"lesson-") {
				continue
			}
			n++
			d, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			checkReviewNotice(t, e, name, d, tc.lang, tc.content)
		}
		if tc.slug == basics && n != len(course.Def.Lessons) {
			t.Errorf("%d lesson pages in the %s pack", n, tc.lang)
		}
	}
}
