package server_test

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

// quizForm reads the quiz page: the attempt id and the questions with
// their options, in page order.
type quizForm struct {
	attempt   string
	questions []string
	options   map[string][]string
}

func readQuiz(t testing.TB, r response) quizForm {
	t.Helper()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("quiz page: %d\n%s", r.StatusCode, r.body)
	}
	d := r.doc(t)
	f := quizForm{attempt: d.Find(`input[name="attempt"]`).AttrOr("value", ""), options: map[string][]string{}}
	d.Find("fieldset.question").Each(func(_ int, s *goquery.Selection) {
		id := strings.TrimPrefix(s.AttrOr("id", ""), "q-")
		f.questions = append(f.questions, id)
		s.Find("input").Each(func(_ int, in *goquery.Selection) {
			f.options[id] = append(f.options[id], in.AttrOr("value", ""))
		})
	})
	if f.attempt == "" || len(f.questions) == 0 {
		t.Fatalf("no attempt or no questions on the quiz page")
	}
	return f
}

// answers picks for each question the right options (right=true) or the
// wrong ones, from the course's own data.
func answers(t *testing.T, e *env, slug string, f quizForm, right bool) url.Values {
	t.Helper()
	c, _ := e.catalog.Lookup(slug)
	form := url.Values{"attempt": {f.attempt}}
	for _, qid := range f.questions {
		for _, q := range c.Def.Quiz.Questions {
			if q.ID != qid {
				continue
			}
			for _, o := range q.Options {
				if o.Correct == right {
					form.Add("q-"+qid, o.ID)
					if q.Kind != courses.KindMultiple {
						break
					}
				}
			}
		}
	}
	return form
}

func TestQuizPageHidesTheAnswers(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	r := c.get(t, "/courses/"+basics+"/quiz?lang=fr")
	f := readQuiz(t, r)
	course, _ := e.catalog.Lookup(basics)
	if len(f.questions) != course.Def.Quiz.Draw {
		t.Errorf("%d questions, want %d", len(f.questions), course.Def.Quiz.Draw)
	}
	page := string(r.body)
	for _, q := range course.Def.Quiz.Questions {
		for _, o := range q.Options {
			for _, fb := range o.Feedback {
				if strings.Contains(page, fb) {
					t.Fatalf("the quiz page holds the feedback of %s/%s: the answer leaks", q.ID, o.ID)
				}
			}
		}
	}
	for _, leak := range []string{"correct", "right", "data-right", "true\"", "verdict"} {
		if strings.Contains(strings.ToLower(r.doc(t).Find("form.quiz").Text()+attrs(r.doc(t).Find("form.quiz *"))), leak) {
			t.Errorf("the quiz form contains %q", leak)
		}
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the quiz page may be cached: %q", r.Header.Get("Cache-Control"))
	}
}

// attrs joins the class and data attributes of a selection, where a
// careless template would mark the right option.
func attrs(s *goquery.Selection) string {
	var b strings.Builder
	s.Each(func(_ int, n *goquery.Selection) {
		b.WriteString(n.AttrOr("class", ""))
		for _, a := range n.Nodes[0].Attr {
			if strings.HasPrefix(a.Key, "data-") {
				b.WriteString(a.Key + a.Val)
			}
		}
	})
	return b.String()
}

func TestResumeAndDoubleSubmission(t *testing.T) {
	e := newEnv(t)
	c, u := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	first := readQuiz(t, c.get(t, "/courses/"+basics+"/quiz"))
	// Save two answers, as with a dropped connection, then come back.
	partial := url.Values{"attempt": {first.attempt}, "save": {"1"}}
	partial.Set("q-"+first.questions[0], first.options[first.questions[0]][0])
	partial.Set("q-"+first.questions[1], first.options[first.questions[1]][1])
	if r := c.post(t, "/courses/"+basics+"/quiz", partial); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", r.StatusCode)
	}
	again := c.get(t, "/courses/"+basics+"/quiz")
	resumed := readQuiz(t, again)
	if resumed.attempt != first.attempt || strings.Join(resumed.questions, ",") != strings.Join(first.questions, ",") {
		t.Fatalf("the resumed attempt differs: %v vs %v", resumed.questions, first.questions)
	}
	for _, q := range first.questions {
		if strings.Join(resumed.options[q], ",") != strings.Join(first.options[q], ",") {
			t.Errorf("question %s: options in another order after resuming", q)
		}
	}
	checked := again.doc(t).Find("input:checked")
	if checked.Length() != 2 {
		t.Errorf("%d saved answers checked, want 2", checked.Length())
	}
	// The autosave endpoint saves too, and a repeat changes nothing.
	body := `{"answers":{"` + first.questions[0] + `":["` + first.options[first.questions[0]][1] + `"]}}`
	for i := 0; i < 2; i++ {
		req := jsonRequest(t, c, "/api/v1/attempts/"+first.attempt+"/answers", body)
		if r := c.do(t, req); r.StatusCode != http.StatusNoContent {
			t.Fatalf("autosave %d: %d %s", i, r.StatusCode, r.body)
		}
	}
	// Submit twice: one result, graded once.
	right := answers(t, e, basics, first, true)
	r := c.post(t, "/courses/"+basics+"/quiz", right)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	resultURL := r.Header.Get("Location")
	wrong := answers(t, e, basics, first, false)
	if r := c.post(t, "/courses/"+basics+"/quiz", wrong); r.Header.Get("Location") != resultURL {
		t.Errorf("second submission went to %q, want the first result %q", r.Header.Get("Location"), resultURL)
	}
	res := c.get(t, resultURL).doc(t)
	if score := res.Find("[data-score]").AttrOr("data-score", ""); score != "100" {
		t.Errorf("score after a double submission = %s, want the first grading, 100", score)
	}
	course, _ := e.catalog.Lookup(basics)
	list, _ := e.training.Attempts(context.Background(), u, course)
	if len(list) != 1 {
		t.Errorf("%d attempts, want 1", len(list))
	}
	// A finished attempt takes no more answers.
	req := jsonRequest(t, c, "/api/v1/attempts/"+first.attempt+"/answers", body)
	if r := c.do(t, req); r.StatusCode != http.StatusConflict {
		t.Errorf("autosave after submission: %d, want 409", r.StatusCode)
	}
}

func jsonRequest(t *testing.T, c *client, target, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, "http://kalan.test"+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf(t))
	return req
}

func TestQuizRefusals(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	f := readQuiz(t, c.get(t, "/courses/quizzed/quiz"))
	// Options that are not options of the question: 400, nothing saved.
	for _, bad := range []url.Values{
		{"attempt": {f.attempt}, "q-" + f.questions[0]: {"zz"}},
		{"attempt": {f.attempt}, "q-not-a-question": {"a"}},
		{"attempt": {f.attempt}, "q-" + f.questions[0]: {"a", "b"}},
	} {
		if r := c.post(t, "/courses/quizzed/quiz", bad); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, r.StatusCode)
		}
	}
	a, _ := e.store.Attempt(context.Background(), f.attempt)
	if a.Submitted() || len(a.Answers) != 0 {
		t.Errorf("a refused submission changed the attempt: %+v", a)
	}
	// Another person's attempt.
	other, _ := e.signedIn(t, account.RoleTrainee, "seydou@kalan.test", "Seydou Kɔnɛ")
	if r := other.post(t, "/courses/quizzed/quiz", url.Values{"attempt": {f.attempt}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("submitting another person's attempt: %d, want 403", r.StatusCode)
	}
	if r := other.get(t, "/courses/quizzed/quiz/attempts/"+f.attempt); r.StatusCode != http.StatusForbidden {
		t.Errorf("reading another person's result: %d, want 403", r.StatusCode)
	}
	// Two failures use up the two attempts of this course.
	for i := 0; i < 2; i++ {
		f := readQuiz(t, c.get(t, "/courses/quizzed/quiz"))
		if r := c.post(t, "/courses/quizzed/quiz", answers(t, e, "quizzed", f, false)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("fail %d: %d", i, r.StatusCode)
		}
	}
	r := c.get(t, "/courses/quizzed/quiz?lang=en")
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.doc(t).Find(".note").Text(), e.t("en", "quiz.no_attempts_left", nil)) {
		t.Errorf("after the last attempt: %d %q", r.StatusCode, r.doc(t).Find(".note").Text())
	}
}

func TestWaitBetweenAttempts(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	f := readQuiz(t, c.get(t, "/courses/waiting/quiz"))
	c.post(t, "/courses/waiting/quiz", answers(t, e, "waiting", f, false))
	r := c.get(t, "/courses/waiting/quiz?lang=fr")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("right after a failed attempt: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.doc(t).Find(".note").Text(), "UTC") {
		t.Errorf("the page does not say when: %q", r.doc(t).Find(".note").Text())
	}
}

// The final quiz's result says which answers were wrong and why, but not
// which option was right: with the key, a retake tests memory, not
// learning (issue 17).
func TestFinalQuizResultExplainsWithoutTheKey(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	f := readQuiz(t, c.get(t, "/courses/"+basics+"/quiz?lang=en"))
	r := c.post(t, "/courses/"+basics+"/quiz", answers(t, e, basics, f, false))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", r.StatusCode)
	}
	doc := c.get(t, r.Header.Get("Location")+"?lang=en").doc(t)
	course, _ := e.catalog.Lookup(basics)
	for _, qid := range f.questions {
		q := quizQuestion(course.Def.Quiz, qid)
		fs := doc.Find("fieldset#q-" + qid)
		if !fs.HasClass("wrong") || fs.Find(".verdict").Length() != 1 {
			t.Errorf("question %s: no wrong verdict", qid)
		}
		if n := fs.Find("label.right").Length(); n != 0 {
			t.Errorf("question %s: %d options marked right after a wrong answer: the key is handed over", qid, n)
		}
		html, _ := fs.Html()
		for _, o := range q.Options {
			fb := o.Feedback["en"]
			if fb == "" {
				continue
			}
			shown := strings.Contains(html, template.HTMLEscapeString(fb))
			chosen := fs.Find(`input[value="`+o.ID+`"]:checked`).Length() == 1
			if shown != chosen {
				t.Errorf("question %s option %s: feedback shown %t, chosen %t", qid, o.ID, shown, chosen)
			}
		}
	}
}

// The bundled final quizzes allow three attempts at once, then a wait of a
// day before each further one, and say so before the first.
func TestBundledQuizWaitsAfterThreeAttempts(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	for i := range 3 {
		r := c.get(t, "/courses/"+basics+"/quiz?lang=en")
		if i == 0 && !strings.Contains(r.doc(t).Find("main").Text(), "After 3 attempts, wait 24 hours before each new one.") {
			t.Errorf("the quiz page does not say the waiting rule")
		}
		f := readQuiz(t, r)
		if s := c.post(t, "/courses/"+basics+"/quiz", answers(t, e, basics, f, false)); s.StatusCode != http.StatusSeeOther {
			t.Fatalf("attempt %d: %d", i+1, s.StatusCode)
		}
	}
	r := c.get(t, "/courses/"+basics+"/quiz?lang=en")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("a fourth attempt at once: %d (Retry-After %q), want 429 with the time to wait", r.StatusCode, r.Header.Get("Retry-After"))
	}
	if secs, _ := strconv.Atoi(r.Header.Get("Retry-After")); secs < 23*3600 || secs > 24*3600+1 {
		t.Errorf("Retry-After %d s, want about a day", secs)
	}
}

func quizQuestion(q *courses.Quiz, id string) courses.Question {
	for _, qu := range q.Questions {
		if qu.ID == id {
			return qu
		}
	}
	return courses.Question{}
}
