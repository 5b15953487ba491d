package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/review"
)

const quizReviewURL = "/review/" + basics + "/bm/quiz"

// reviewQuizForm is the form of one item of the quiz's review page, as the page
// fills it.
func reviewQuizForm(t *testing.T, page *goquery.Document, item string) (action string, form url.Values) {
	t.Helper()
	f := page.Find(`section[data-quiz-item="` + item + `"] form`)
	if f.Length() != 1 {
		t.Fatalf("no form for %s", item)
	}
	form = url.Values{"revision": {f.Find("input[name=revision]").AttrOr("value", "")}}
	f.Find("textarea").Each(func(_ int, s *goquery.Selection) { form.Set(s.AttrOr("name", ""), s.Text()) })
	return f.AttrOr("action", ""), form
}

func TestReviewQuizQuestionByQuestion(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	c, _ := e.catalog.Lookup(basics)
	q := c.Def.Quiz.Questions[0]

	list := rev.get(t, "/review/"+basics+"/bm").doc(t)
	if list.Find(`a[href="`+quizReviewURL+`"]`).Length() != 1 {
		t.Fatal("the course's review page has no link to its quiz")
	}
	r := rev.get(t, quizReviewURL)
	page := r.doc(t)
	if r.StatusCode != http.StatusOK || page.Find("section[data-quiz-item]").Length() != len(c.Def.Quiz.Questions)+len(c.Def.Quiz.Scenarios) {
		t.Fatalf("quiz review page = %d with %d items", r.StatusCode, page.Find("section[data-quiz-item]").Length())
	}
	item := page.Find(`section[data-quiz-item="q-` + q.ID + `"]`)
	if !strings.Contains(item.Find(`p[lang=fr]`).First().Text(), q.Text["fr"]) || item.Find(`textarea[name=text][lang=bm]`).Text() != q.Text["bm"] {
		t.Fatalf("question %s: no French source beside the Bambara text", q.ID)
	}
	if n := item.Find("textarea").Length(); n < 1+len(q.Options) {
		t.Errorf("%d fields for a question of %d options", n, len(q.Options))
	}

	action, form := reviewQuizForm(t, page, "q-"+q.ID)
	form.Set("text", "  Ɲininkali kura\r\nmin lajɛra?  ")
	form.Set("option."+q.Options[0].ID+".text", "Jaabi kura")
	if r := rev.post(t, action, form); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != quizReviewURL+"#q-"+q.ID {
		t.Fatalf("save = %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	d, err := e.store.Draft(ctx, basics, "bm", review.QuizItem(q.ID))
	if err != nil || d.Revision != 1 || d.Texts[courses.QuizText{Question: q.ID, Field: courses.FieldText}] != "Ɲininkali kura min lajɛra?" {
		t.Fatalf("stored quiz draft %+v, %v", d, err)
	}
	if again := rev.get(t, quizReviewURL).doc(t); again.Find(`section[data-quiz-item="q-`+q.ID+`"] textarea[name=text]`).Text() != "Ɲininkali kura min lajɛra?" {
		t.Error("the page does not show the draft")
	}
	// A second reviewer's form, made before the save, conflicts.
	if r := rev.post(t, action, form); r.StatusCode != http.StatusConflict ||
		r.doc(t).Find(`section[data-quiz-item="q-`+q.ID+`"] [data-conflict="1"]`).Length() != 1 {
		t.Errorf("a stale save = %d, without the conflict note", r.StatusCode)
	}
	// A scenario.
	s := c.Def.Quiz.Scenarios[0]
	sAction, sForm := reviewQuizForm(t, page, "s-"+s.ID)
	sForm.Set("text", "Ko kɛlen kura.")
	if r := rev.post(t, sAction, sForm); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("scenario save = %d", r.StatusCode)
	}

	// Published, the learners' quiz has the new texts; the export's
	// quiz.yaml changed those lines only.
	if r := rev.post(t, publishURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish = %d\n%s", r.StatusCode, r.body)
	}
	after, _ := e.catalog.Lookup(basics)
	nq := after.Def.Quiz.Questions[0]
	if nq.Text["bm"] != "Ɲininkali kura min lajɛra?" || nq.Options[0].Text["bm"] != "Jaabi kura" || after.Def.Quiz.Scenarios[0].Text["bm"] != "Ko kɛlen kura." {
		t.Fatalf("published quiz: %q, %q, %q", nq.Text["bm"], nq.Options[0].Text["bm"], after.Def.Quiz.Scenarios[0].Text["bm"])
	}
	if nq.Text["fr"] != q.Text["fr"] || nq.Options[1].Text["bm"] != q.Options[1].Text["bm"] {
		t.Error("texts the reviewer did not change changed")
	}
	if _, err := e.store.Draft(ctx, basics, "bm", review.QuizItem(q.ID)); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("the quiz draft after publication: %v", err)
	}
	bundled, err := courses.Bundle().Open(basics + "/quiz.yaml")
	if err != nil {
		t.Fatal(err)
	}
	original := readAll(t, bundled)
	x := rev.get(t, exportURL)
	dir, _ := unzipCourse(t, x.body)
	added, removed := lineDiff(original, readFile(t, dir+"/"+basics+"/quiz.yaml"))
	if len(added) != 3 || len(removed) != 3 {
		t.Errorf("quiz.yaml: added %q, removed %q; want three lines changed", added, removed)
	}
}

func TestReviewQuizBadInput(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	trainer, _ := e.signedIn(t, account.RoleTrainer, "oumar@kalan.test", "Oumar Diallo")
	c, _ := e.catalog.Lookup(basics)
	q := c.Def.Quiz.Questions[1]
	action, good := reviewQuizForm(t, rev.get(t, quizReviewURL).doc(t), "q-"+q.ID)
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range good {
			f[key] = append([]string(nil), vals...)
		}
		if k != "" {
			f.Set(k, v)
		}
		return f
	}
	tests := []struct {
		name   string
		c      *client
		target string
		form   url.Values
		want   int
	}{
		{"a trainer", trainer, action, with("", ""), http.StatusForbidden},
		{"an empty text", rev, action, with("text", " \n "), http.StatusBadRequest},
		{"a missing option", rev, action, with("option."+q.Options[0].ID+".text", ""), http.StatusBadRequest},
		{"control characters", rev, action, with("text", "a\x00b"), http.StatusBadRequest},
		{"too long", rev, action, with("text", strings.Repeat("a", review.MaxQuizText+1)), http.StatusBadRequest},
		{"bad revision", rev, action, with("revision", "x"), http.StatusBadRequest},
		{"unknown question", rev, "/review/" + basics + "/bm/quiz/nope", with("", ""), http.StatusNotFound},
		{"unknown scenario", rev, "/review/" + basics + "/bm/quiz/scenario:nope", with("", ""), http.StatusNotFound},
		{"another language", rev, "/review/" + basics + "/en/quiz/" + q.ID, with("", ""), http.StatusForbidden},
		{"no CSRF token", rev, action, with("_csrf", "forged"), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.c.post(t, tt.target, tt.form); r.StatusCode != tt.want {
				t.Errorf("status %d, want %d", r.StatusCode, tt.want)
			}
		})
	}
	if _, err := e.store.Draft(context.Background(), basics, "bm", review.QuizItem(q.ID)); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("a refused save left a draft: %v", err)
	}
	// The refused text comes back in the form, with why.
	r := rev.post(t, action, with("text", " "))
	if r.doc(t).Find(`section[data-quiz-item="q-`+q.ID+`"] [role=alert]`).Length() != 1 {
		t.Error("a refused save does not say why beside its question")
	}
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReviewCourseTitleAndSummary(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	page := "/review/" + basics + "/bm"
	action := page + "/course"
	d := rev.get(t, page).doc(t)
	c, _ := e.catalog.Lookup(basics)
	if d.Find(`form[action="`+action+`"] input[name=title]`).AttrOr("value", "") != c.Def.Title["bm"] ||
		!strings.Contains(d.Find("#course-summary-source").Text(), c.Def.Summary["fr"]) {
		t.Fatal("the course's review page has no form of its title and summary beside the French")
	}
	for name, form := range map[string]url.Values{
		"an empty title":   {"title": {" "}, "summary": {"Kɔrɔ."}, "revision": {"0"}},
		"no summary":       {"title": {"Kalan"}, "revision": {"0"}},
		"a control char":   {"title": {"Kalan\x01"}, "summary": {"Kɔrɔ."}, "revision": {"0"}},
		"a bad revision":   {"title": {"Kalan"}, "summary": {"Kɔrɔ."}, "revision": {"-2"}},
		"another language": {"title": {"Kalan"}, "summary": {"Kɔrɔ."}, "revision": {"0"}, "_target": {"/review/" + basics + "/en/course"}},
	} {
		target := action
		if tg := form.Get("_target"); tg != "" {
			target = tg
			form.Del("_target")
		}
		if r := rev.post(t, target, form); r.StatusCode < 400 || r.StatusCode >= 500 {
			t.Errorf("%s: %d", name, r.StatusCode)
		}
	}
	if _, err := e.store.Draft(context.Background(), basics, "bm", review.CourseItem); !errors.Is(err, review.ErrNotFound) {
		t.Fatalf("a refused save stored a draft: %v", err)
	}
	if r := rev.post(t, action, url.Values{"title": {"Mɔgɔ feereli dɔnni"}, "summary": {"Kalan kura  kɔrɔ.\n"}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", r.StatusCode)
	}
	if r := rev.post(t, publishURL, url.Values{"lang": {"bm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish = %d", r.StatusCode)
	}
	after, _ := e.catalog.Lookup(basics)
	if after.Def.Title["bm"] != "Mɔgɔ feereli dɔnni" || after.Def.Summary["bm"] != "Kalan kura kɔrɔ." || after.Def.Title["fr"] != c.Def.Title["fr"] {
		t.Fatalf("published title %q, summary %q", after.Def.Title["bm"], after.Def.Summary["bm"])
	}
	if body := string(e.get(t, "/courses?lang=bm").body); !strings.Contains(body, "Mɔgɔ feereli dɔnni") {
		t.Error("the catalog in Bambara does not show the new title")
	}
}
