package server_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/testenv"
)

// listen serves the application on a loopback port for a real browser.
func (e *env) listen(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}

// A trainee opens the catalog in Bambara, switches to French, opens a
// lesson and sees its diagram: the whole path, in a real browser.
func TestBrowserCatalogToLesson(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	base := e.listen(t)
	ctx, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()

	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	run("open the catalog in Bambara", chromedp.Navigate(base+"/courses?lang=bm"))
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "bm" {
		t.Fatalf("catalog lang = %q", lang)
	}
	if got, want := text("h1"), e.t("bm", "catalog.title", nil); got != want {
		t.Errorf("Bambara catalog heading %q, want %q", got, want)
	}

	run("switch to French", chromedp.Click(chromedp.CSS(`.langs a[hreflang="fr"]`)))
	run("wait for the French page", chromedp.WaitVisible(chromedp.CSS(`.langs strong[lang="fr"]`)))
	if got, want := text("h1"), e.t("fr", "catalog.title", nil); got != want {
		t.Errorf("French catalog heading %q, want %q", got, want)
	}

	run("open the course", chromedp.Click(chromedp.CSS(`.cards a[href="/courses/`+basics+`"]`)))
	run("wait for the course", chromedp.WaitVisible(chromedp.CSS("ol.lessons")))
	run("open the first lesson", chromedp.Click(chromedp.CSS("ol.lessons li:first-child a")))
	run("wait for the lesson", chromedp.WaitVisible(chromedp.CSS("article img")))

	// The choice of French was remembered (cookie), without ?lang= in this URL.
	if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != "fr" {
		t.Errorf("lesson lang = %q, want fr", lang)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
		const img = document.querySelector("article img");
		img.loading = "eager";
		if (!img.complete) await new Promise(r => { img.onload = r; img.onerror = r; });
		return img.complete && img.naturalWidth > 0;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("image check: %v", err)
	}
	if !loaded {
		t.Error("the lesson's diagram did not load")
	}
	if v, err := testenv.CSPViolations(ctx); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// A trainer creates a cohort, signs out with the one-tap button, and a new
// trainee joins with the code and opens a lesson of a cohort-only course:
// the whole of it in a real browser, as on a shared phone.
func TestBrowserCohortJourney(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	base := e.listen(t)
	ctx, cancel := context.WithTimeout(browser, 90*time.Second)
	defer cancel()
	do := browserSteps(t, ctx)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("sign in as the trainer", browserSignIn(base, "trainer@kalan.test", "en")...)
	do("create a cohort",
		chromedp.Navigate(base+"/trainer/cohorts/new"),
		chromedp.SendKeys(css("#name"), "Gendarmerie Ségou, March 2027"),
		chromedp.Click(css(`input[name="courses"][value="members"]`)),
		chromedp.SetValue(css("#region"), "segou"),
		chromedp.SetValue(css("#organisation"), "gendarmerie"),
		chromedp.SetValue(css("#starts"), "2027-03-01"),
		chromedp.SetValue(css("#ends"), "2027-03-31"),
		chromedp.Click(css(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(css("[data-join-code]")),
	)
	code, err := chromedp.Run(ctx, chromedp.AttributeValue(css("[data-join-code]"), "data-join-code"))
	if err != nil || len(code.Value) != 8 {
		t.Fatalf("join code: %+v, %v", code, err)
	}
	do("not you? sign out",
		chromedp.Click(css("form.who button")),
		chromedp.WaitVisible(css(`a.who[href^="/login"]`)),
	)
	do("join as a new trainee",
		chromedp.Navigate(base+"/join"),
		chromedp.SendKeys(css("#code"), code.Value),
		chromedp.SendKeys(css("#name"), "Mariam Dembélé"),
		chromedp.SendKeys(css("#login"), "66 00 00 02"),
		chromedp.SendKeys(css("#password"), "sunrise-baobab-kettle-9"),
		chromedp.Click(css(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(css(".flash")),
	)
	if who, _ := chromedp.Run(ctx, chromedp.Text(css("form.who a"))); who != "Mariam Dembélé" {
		t.Errorf("signed in as %q after joining", who)
	}
	do("open the cohort-only lesson",
		chromedp.Navigate(base+"/courses/members/lessons/only"),
		chromedp.WaitVisible(css("article")),
	)
	if body, _ := chromedp.Run(ctx, chromedp.Text(css("article"))); !strings.Contains(body, "Members only.") && !strings.Contains(body, "Réservé.") {
		t.Errorf("the cohort lesson is not shown: %q", body)
	}
	if v, err := testenv.CSPViolations(ctx); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// A trainee takes course 1 in a real browser: reads every lesson, fails
// the final quiz once, passes it, downloads the certificate and opens its
// verification page.
func TestBrowserCourseToCertificate(t *testing.T) {
	browser := testenv.Browser(t)
	e := newEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	base := e.listen(t)
	ctx, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	do := browserSteps(t, ctx)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do("sign in", browserSignIn(base, "awa@kalan.test", "fr")...)
	course, _ := e.catalog.Lookup(basics)
	lessons := course.Def.Lessons
	do("open the first lesson", chromedp.Navigate(base+lessonPath(basics, lessons[0].ID)))
	for i, l := range lessons {
		// Marking a lesson done leads to the next one, then to the course page.
		next := css("ol.lessons")
		if i+1 < len(lessons) {
			next = css(`article[data-lesson="` + lessons[i+1].ID + `"]`)
		}
		do("mark "+l.ID+" done",
			chromedp.WaitVisible(css(`article[data-lesson="`+l.ID+`"]`)),
			chromedp.Click(css("form.complete button")),
			chromedp.WaitVisible(next),
		)
	}
	answerQuiz := func(right bool) string {
		t.Helper()
		do("open the quiz", chromedp.Navigate(base+"/courses/"+basics+"/quiz"), chromedp.WaitVisible(css("form.quiz")))
		ids := answerShown(t, ctx, "form.quiz", course.Def.Quiz, right)
		if !right { // the first time, check that the page's script saved the answers as they were given
			attempt, _ := chromedp.Run(ctx, chromedp.AttributeValue(css("form.quiz"), "data-attempt"))
			deadline := time.Now().Add(5 * time.Second)
			for {
				a, err := e.store.Attempt(context.Background(), attempt.Value)
				if err == nil && len(a.Answers) == len(ids) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("quiz.js did not save the answers: %+v, %v", a, err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		do("submit", chromedp.Click(css(`form.quiz button:not([name])`)), chromedp.WaitVisible(css("[data-passed]")))
		passed, _ := chromedp.Run(ctx, chromedp.AttributeValue(css("[data-passed]"), "data-passed"))
		return passed.Value
	}
	if got := answerQuiz(false); got != "false" {
		t.Fatalf("first attempt with wrong answers: passed = %s", got)
	}
	if got := answerQuiz(true); got != "true" {
		t.Fatalf("second attempt with right answers: passed = %s", got)
	}
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`a.button[href^="/certificates/"]`), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("no certificate link on the result page: %v", err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("`+href.Value+`").then(r => r.headers.get("content-type") + " " + r.status)`, chromedp.EvalAwaitPromise))
	if err != nil || pdf != "application/pdf 200" {
		t.Errorf("downloading the certificate: %q, %v", pdf, err)
	}
	do("open the verification page",
		chromedp.Navigate(base+"/courses/"+basics),
		chromedp.Click(css(`a[href^="/verify/"]`)),
		chromedp.WaitVisible(css("[data-status]")),
	)
	if status, _ := chromedp.Run(ctx, chromedp.AttributeValue(css("[data-status]"), "data-status")); status.Value != "valid" {
		t.Errorf("verification page status %q", status.Value)
	}
	if who, _ := chromedp.Run(ctx, chromedp.Text(css("dl.facts"))); !strings.Contains(who, "Awa Traoré") {
		t.Errorf("the verification page does not name the holder: %q", who)
	}
	if v, err := testenv.CSPViolations(ctx); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}

// browserSteps runs steps in a tab and stops the test at the first that
// fails, saying what it was doing.
func browserSteps(t *testing.T, tab context.Context) func(what string, steps ...chromedp.Action[chromedp.Void]) {
	return func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// browserSignIn signs in through the login page, in a language, with the
// test password.
func browserSignIn(base, login, lang string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/login?lang=" + lang),
		chromedp.SendKeys(chromedp.CSS("#login"), login),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("form.who")),
	}
}

// answerShown answers every question shown in the form sel (a lesson's
// knowledge check or the final quiz), rightly or wrongly, and returns
// their ids.
func answerShown(t *testing.T, ctx context.Context, sel string, quiz *courses.Quiz, right bool) []string {
	t.Helper()
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("`+sel+` fieldset.question")].map(f => f.id.slice(2))`))
	if err != nil || len(ids) == 0 {
		t.Fatalf("questions of %s: %v", sel, err)
	}
	for _, id := range ids {
		q, ok := questionByID(quiz, id)
		if !ok {
			t.Fatalf("the page shows question %q, which the course does not have", id)
		}
		for _, o := range q.Options {
			if o.Correct == right {
				if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel+` input[name="q-`+id+`"][value="`+o.ID+`"]`))); err != nil {
					t.Fatalf("answer %s: %v", id, err)
				}
				if q.Kind != "multiple" {
					break
				}
			}
		}
	}
	return ids
}

// questionByID finds a question of a quiz.
func questionByID(q *courses.Quiz, id string) (courses.Question, bool) {
	for _, qu := range q.Questions {
		if qu.ID == id {
			return qu, true
		}
	}
	return courses.Question{}, false
}

// A police officer in a cohort takes course 2 (children at risk, for
// cohorts only) in French in a real browser: each lesson from the first,
// its knowledge check answered, then the final quiz, passed.
func TestBrowserCourse2ToPassedQuiz(t *testing.T) {
	const slug = "children-at-risk"
	browser := testenv.Browser(t)
	e := newEnv(t)
	ctx := context.Background()
	trainer := e.user(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	co, _, err := e.cohorts.Create(ctx, trainer, cohort.Form{Name: "Brigade des mineurs, Bamako", Courses: []string{slug}, Region: "bamako",
		Organisation: "police", Starts: "2027-03-01", Ends: "2027-03-31"}, e.publishedSlug, "127.0.0.1")
	if err != nil || co == nil {
		t.Fatalf("cohort: %v", err)
	}
	u, _, err := e.auth.Create(ctx, authAccount("moussa@kalan.test", "Moussa Sangaré", "fr"), e.locales.Supported)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddCohort(ctx, u.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	course, _ := e.catalog.Lookup(slug)
	lessons, quiz := course.Def.Lessons, course.Def.Quiz
	base := e.listen(t)
	tab, cancel := context.WithTimeout(browser, 120*time.Second)
	defer cancel()
	do := browserSteps(t, tab)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("sign in", browserSignIn(base, "moussa@kalan.test", "fr")...)
	do("open course 2 and its first lesson",
		chromedp.Navigate(base+"/courses/"+slug),
		chromedp.Click(css("ol.lessons li:first-child a")),
	)
	checks := 0
	for i, l := range lessons {
		do("open "+l.ID, chromedp.WaitVisible(css(`article[data-lesson="`+l.ID+`"]`)))
		if title, _ := chromedp.Run(tab, chromedp.Text(css("article h1"))); strings.TrimSpace(title) != l.Title["fr"] {
			t.Errorf("lesson %d heading %q, want %q", i+1, title, l.Title["fr"])
		}
		if n, _ := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("#check fieldset.question").length`)); n > 0 {
			ids := answerShown(t, tab, "#check form", quiz, true)
			checks += len(ids)
			do("check "+l.ID, chromedp.Click(css(`#check button[type="submit"]`)), chromedp.WaitVisible(css("#check .flash")))
			want := e.t("fr", "check.score", map[string]any{"Correct": len(ids), "Total": len(ids)})
			if score, _ := chromedp.Run(tab, chromedp.Text(css("#check .flash"))); strings.TrimSpace(score) != want {
				t.Errorf("check of %s: %q, want %q", l.ID, score, want)
			}
		}
		next := css("ol.lessons")
		if i+1 < len(lessons) {
			next = css(`article[data-lesson="` + lessons[i+1].ID + `"]`)
		}
		do("mark "+l.ID+" done", chromedp.Click(css("form.complete button")), chromedp.WaitVisible(next))
	}
	if checks == 0 {
		t.Error("no lesson of course 2 had a knowledge check")
	}
	do("open the final quiz", chromedp.Click(css(`a[href="/courses/`+slug+`/quiz"]`)), chromedp.WaitVisible(css("form.quiz")))
	answerShown(t, tab, "form.quiz", quiz, true)
	do("submit", chromedp.Click(css(`form.quiz button:not([name])`)), chromedp.WaitVisible(css("[data-passed]")))
	if passed, _ := chromedp.Run(tab, chromedp.AttributeValue(css("[data-passed]"), "data-passed")); passed.Value != "true" {
		t.Errorf("the quiz answered rightly was not passed: %q", passed.Value)
	}
	if v, err := testenv.CSPViolations(tab); err != nil || len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v, %v", v, err)
	}
}
