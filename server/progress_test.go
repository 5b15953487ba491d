package server_test

import (
	"context"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
)

// publishChanged imports a new version of course 1 whose first lesson in
// French says "Nouvelle version."
func publishChanged(t *testing.T, e *env) {
	t.Helper()
	changed := fstest.MapFS{}
	err := fs.WalkDir(courses.Bundle(), basics, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(courses.Bundle(), p)
		if strings.HasSuffix(p, "three-elements.fr.md") {
			data = append([]byte("Nouvelle version.\n\n"), data...)
		}
		changed[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e.publish(t, changed)
}

func TestNewVersionKeepsProgress(t *testing.T) {
	e := newEnv(t)
	started, u := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	started.post(t, lessonPath(basics, "three-elements")+"/complete", nil)
	publishChanged(t, e)

	lesson := lessonPath(basics, "three-elements") + "?lang=fr"
	if body := started.get(t, lesson).doc(t).Find("article").Text(); strings.Contains(body, "Nouvelle version.") {
		t.Error("a trainee who started version 1 was moved to version 2")
	}
	fresh, _ := e.signedIn(t, account.RoleTrainee, "seydou@kalan.test", "Seydou Kɔnɛ")
	if body := fresh.get(t, lesson).doc(t).Find("article").Text(); !strings.Contains(body, "Nouvelle version.") {
		t.Error("a new trainee does not get the published version 2")
	}
	if body := e.get(t, lesson).doc(t).Find("article").Text(); !strings.Contains(body, "Nouvelle version.") {
		t.Error("a visitor does not get version 2")
	}
	after, _ := e.store.UserByID(context.Background(), u.ID)
	if p := after.Progress[basics]; !strings.HasSuffix(p.Version, "@1") || len(p.LessonsDone) != 1 {
		t.Errorf("progress after a new version: %+v", p)
	}
	if pct := started.get(t, "/courses").doc(t).Find(".card strong").First().Text(); pct == "" || pct == "0 %" {
		t.Errorf("the catalog shows no progress: %q", pct)
	}
}

func TestLessonCompletionAndContinue(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	// Completing twice counts once.
	for i := 0; i < 2; i++ {
		r := c.post(t, lessonPath(basics, "three-elements")+"/complete", nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != lessonPath(basics, "forms-in-mali") {
			t.Fatalf("complete: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
	}
	d := c.get(t, "/courses/"+basics+"?lang=en").doc(t)
	course, _ := e.catalog.Lookup(basics)
	steps := len(course.Def.Lessons) + 1 // the lessons and the quiz
	if pct, want := d.Find("progress").AttrOr("value", ""), strconv.Itoa(100/steps); pct != want {
		t.Errorf("progress after 1 of %d steps = %s %%, want %s", steps, pct, want)
	}
	if href := d.Find(`a.button[href^="/courses/"]`).First().AttrOr("href", ""); href != lessonPath(basics, "forms-in-mali") {
		t.Errorf("continue goes to %q", href)
	}
	// Opening a lesson is where to continue from.
	c.get(t, lessonPath(basics, "indicators"))
	if href := c.get(t, "/courses/"+basics).doc(t).Find(`a.button[href^="/courses/"]`).First().AttrOr("href", ""); href != lessonPath(basics, "indicators") {
		t.Errorf("continue after opening 'indicators' goes to %q", href)
	}
	if r := c.get(t, lessonPath(basics, "three-elements")); r.doc(t).Find(".done").Length() == 0 {
		t.Error("a done lesson is not marked done")
	}
	// Anonymous readers cannot record progress.
	if r := e.client().post(t, lessonPath(basics, "three-elements")+"/complete", nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous completion: %d", r.StatusCode)
	}
}

func TestKnowledgeCheck(t *testing.T) {
	e := newEnv(t)
	course, _ := e.catalog.Lookup(basics)
	var check courses.Question
	for _, q := range course.Def.Quiz.Questions {
		if q.Lesson == "three-elements" {
			check = q
		}
	}
	page := e.get(t, lessonPath(basics, "three-elements")+"?lang=en")
	for _, o := range check.Options {
		if strings.Contains(string(page.body), o.Feedback["en"]) {
			t.Fatal("the lesson page shows the check's feedback before answering")
		}
	}
	var right, wrong string
	for _, o := range check.Options {
		if o.Correct {
			right = o.ID
		} else {
			wrong = o.ID
		}
	}
	r := e.get(t, lessonPath(basics, "three-elements")+"?lang=en&check=1&q-"+check.ID+"="+wrong)
	var feedback string
	for _, o := range check.Options {
		if o.ID == wrong {
			feedback = o.Feedback["en"]
		}
	}
	if r.StatusCode != http.StatusOK || !strings.Contains(r.doc(t).Find("#check").Text(), feedback) {
		t.Errorf("a wrong check answer: %d, the feedback of the chosen option is missing", r.StatusCode)
	}
	if !strings.Contains(r.doc(t).Find("#check .flash").Text(), "0 of 1") {
		t.Errorf("check score: %q", r.doc(t).Find("#check .flash").Text())
	}
	r = e.get(t, lessonPath(basics, "three-elements")+"?lang=en&check=1&q-"+check.ID+"="+right)
	if !strings.Contains(r.doc(t).Find("#check .flash").Text(), "1 of 1") {
		t.Errorf("check score with the right answer: %q", r.doc(t).Find("#check .flash").Text())
	}
	for _, bad := range []string{"q-" + check.ID + "=zz", "q-nope=a", "q-" + check.ID + "=" + right + "&q-" + check.ID + "=" + wrong} {
		if r := e.get(t, lessonPath(basics, "three-elements")+"?check=1&"+bad); r.StatusCode != http.StatusBadRequest {
			t.Errorf("check %s: %d, want 400", bad, r.StatusCode)
		}
	}
}
