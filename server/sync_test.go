package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/offline"
	"github.com/kalan-platform/kalan/server/training"
)

// syncEvent is an event as the service worker queues it.
type syncEvent struct {
	ID      string              `json:"id"`
	User    string              `json:"user"`
	Type    string              `json:"type"`
	At      string              `json:"at"`
	Course  string              `json:"course"`
	Lesson  string              `json:"lesson,omitempty"`
	Attempt string              `json:"attempt,omitempty"`
	Answers map[string][]string `json:"answers,omitempty"`
}

type syncAnswer struct {
	Results []struct {
		ID, Status, Code, Reason, URL string
	} `json:"results"`
	SyncedAt time.Time `json:"synced_at"`
	Error    string    `json:"error"`
	Index    *int      `json:"index"`
}

// sendSync posts a body to /api/v1/sync with the client's token, as the
// service worker does.
func (c *client) sendSync(t *testing.T, body string) (int, syncAnswer) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sync", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf(t))
	r := c.do(t, req)
	var a syncAnswer
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("sync answer %d is not JSON: %s", r.StatusCode, r.body)
	}
	return r.StatusCode, a
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func batchOf(t *testing.T, events ...syncEvent) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"events": events})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// offlineTrainee is a signed-in trainee with an open attempt at the
// basics quiz, and the events of a session done offline: two lessons,
// answers saved, the attempt submitted with the right answers.
type offlineTrainee struct {
	c      *client
	user   *account.User
	quiz   quizForm
	events []syncEvent
}

func newOfflineTrainee(t *testing.T, e *env, login string) offlineTrainee {
	t.Helper()
	c, u := e.signedIn(t, account.RoleTrainee, login, "Awa Traoré")
	f := readQuiz(t, c.get(t, "/courses/"+basics+"/quiz?lang=bm"))
	right := answers(t, e, basics, f, true)
	chosen := map[string][]string{}
	for k, v := range right {
		if strings.HasPrefix(k, "q-") {
			chosen[k[2:]] = v
		}
	}
	course, _ := e.catalog.Lookup(basics)
	at := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	ev := func(n int, typ string) syncEvent {
		return syncEvent{ID: fmt.Sprintf("%s-event-%02d", u.ID, n), User: u.ID, Type: typ, At: at, Course: basics}
	}
	l0, l1 := ev(0, "lesson"), ev(1, "lesson")
	l0.Lesson, l1.Lesson = course.Def.Lessons[0].ID, course.Def.Lessons[1].ID
	save, submit := ev(2, "answers"), ev(3, "submit")
	save.Attempt, save.Answers = f.attempt, map[string][]string{f.questions[0]: chosen[f.questions[0]]}
	submit.Attempt, submit.Answers = f.attempt, chosen
	return offlineTrainee{c: c, user: u, quiz: f, events: []syncEvent{l0, l1, save, submit}}
}

// counts is what the server holds of the trainee: lessons done, attempts
// submitted and the score of the first.
// attemptsOf returns a person's attempts at the version of a course they follow.
func attemptsOf(t testing.TB, e *env, u *account.User, slug string) []*training.Attempt {
	t.Helper()
	ctx := context.Background()
	v, err := e.catalog.Get(ctx, u.Progress[slug].Version)
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.training.Attempts(ctx, u, v)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (o offlineTrainee) counts(t *testing.T, e *env) (lessons, submitted, score int) {
	t.Helper()
	u, err := e.store.UserByID(context.Background(), o.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := u.Progress[basics]
	list := attemptsOf(t, e, u, basics)
	for _, a := range list {
		if a.Submitted() {
			submitted++
			score = a.Result.Score
		}
	}
	return len(p.LessonsDone), submitted, score
}

func statuses(a syncAnswer) string {
	var s []string
	for _, r := range a.Results {
		s = append(s, r.Status)
	}
	return strings.Join(s, " ")
}

func TestSyncCountsEachEventOnce(t *testing.T) {
	e := newEnv(t)
	o := newOfflineTrainee(t, e, "awa@kalan.test")
	batch := batchOf(t, o.events...)

	status, a := o.c.sendSync(t, batch)
	if status != http.StatusOK || statuses(a) != "accepted accepted accepted accepted" {
		t.Fatalf("first send: %d %s %+v", status, statuses(a), a)
	}
	if want := "/courses/" + basics + "/quiz/attempts/" + o.quiz.attempt; a.Results[3].URL != want {
		t.Errorf("result URL %q, want %q", a.Results[3].URL, want)
	}
	if l, s, score := o.counts(t, e); l != 2 || s != 1 || score != 100 {
		t.Fatalf("after the first send: %d lessons, %d attempts submitted (score %d); want 2, 1 (100)", l, s, score)
	}
	// The response was lost: the device sends the same batch again.
	status, a = o.c.sendSync(t, batch)
	if status != http.StatusOK || statuses(a) != "duplicate duplicate duplicate duplicate" {
		t.Fatalf("second send: %d %s", status, statuses(a))
	}
	if l, s, _ := o.counts(t, e); l != 2 || s != 1 {
		t.Fatalf("after the second send: %d lessons, %d attempts submitted; want 2, 1", l, s)
	}
	// The certificate needs every lesson: it does not exist yet, and the
	// course page shows the graded attempt.
	page := o.c.get(t, "/courses/"+basics)
	if !strings.Contains(string(page.body), o.quiz.attempt) {
		t.Errorf("the course page does not list the attempt graded on arrival")
	}
}

func TestSyncBatchCutHalfWay(t *testing.T) {
	e := newEnv(t)
	o := newOfflineTrainee(t, e, "awa@kalan.test")
	batch := batchOf(t, o.events...)

	// The connection drops in the middle of the body: nothing is applied.
	status, a := o.c.sendSync(t, batch[:len(batch)/2])
	if status != http.StatusBadRequest || a.Index == nil || *a.Index != -1 || a.Error == "" {
		t.Fatalf("half a body: %d %+v", status, a)
	}
	if l, s, _ := o.counts(t, e); l != 0 || s != 0 {
		t.Fatalf("half a body changed something: %d lessons, %d attempts", l, s)
	}
	// The server applied the first two events, then the answer was lost:
	// the device sends the whole batch again.
	if status, a = o.c.sendSync(t, batchOf(t, o.events[:2]...)); status != http.StatusOK || statuses(a) != "accepted accepted" {
		t.Fatalf("first half: %d %s", status, statuses(a))
	}
	status, a = o.c.sendSync(t, batch)
	if status != http.StatusOK || statuses(a) != "duplicate duplicate accepted accepted" {
		t.Fatalf("whole batch after the cut: %d %s", status, statuses(a))
	}
	if l, s, score := o.counts(t, e); l != 2 || s != 1 || score != 100 {
		t.Fatalf("after the cut batch: %d lessons, %d attempts submitted (score %d); want 2, 1 (100)", l, s, score)
	}
}

func TestSyncRefusesWhatCannotApply(t *testing.T) {
	e := newEnv(t)
	o := newOfflineTrainee(t, e, "awa@kalan.test")
	other := newOfflineTrainee(t, e, "binta@kalan.test")
	good := o.events[0]

	foreign := o.events[1]
	foreign.ID, foreign.User = "queued-by-binta-1", other.user.ID // Binta's event, sent from Awa's session
	future := o.events[1]
	future.ID, future.At = "from-the-future-1", time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339)
	noLesson := o.events[1]
	noLesson.ID, noLesson.Lesson = "unknown-lesson-1", "no-such-lesson"
	theirs := o.events[3]
	theirs.ID, theirs.Attempt = "their-attempt-1", other.quiz.attempt
	badQuestion := o.events[3]
	badQuestion.ID, badQuestion.Answers = "bad-question-1", map[string][]string{"no-such-question": {"a"}}
	badOption := o.events[3]
	badOption.ID, badOption.Answers = "bad-option-1", map[string][]string{o.quiz.questions[0]: {"no-such-option"}}
	submit := o.events[3]
	again := o.events[3]
	again.ID = "submitted-again-1" // a second submit of the same attempt, from another tab

	status, a := o.c.sendSync(t, batchOf(t, foreign, future, noLesson, theirs, badQuestion, badOption, good, submit, again))
	want := "refused refused refused refused refused refused accepted accepted refused"
	if status != http.StatusOK || statuses(a) != want {
		t.Fatalf("got %d %s, want %s", status, statuses(a), want)
	}
	codes := []string{"user", "future", "lesson", "attempt", "answers", "answers", "", "", "finished"}
	for i, r := range a.Results {
		if r.Code != codes[i] {
			t.Errorf("event %d: code %q, want %q", i, r.Code, codes[i])
		}
		if r.Status == "refused" && r.Reason == "" {
			t.Errorf("event %d refused without a reason", i)
		}
	}
	if l, s, score := o.counts(t, e); l != 1 || s != 1 || score != 100 {
		t.Errorf("Awa: %d lessons, %d attempts submitted (score %d); want 1, 1 (100)", l, s, score)
	}
	if l, s, _ := other.counts(t, e); l != 0 || s != 0 {
		t.Errorf("Binta's progress changed through Awa's session: %d lessons, %d attempts", l, s)
	}
	// Refused events are not remembered: Binta's, sent from her session, applies.
	foreign.Lesson = o.events[0].Lesson
	if status, a := other.c.sendSync(t, batchOf(t, foreign)); status != http.StatusOK || statuses(a) != "accepted" {
		t.Errorf("Binta's own event from her session: %d %s", status, statuses(a))
	}
}

func TestSyncRefusesMalformedBatches(t *testing.T) {
	e := newEnv(t)
	o := newOfflineTrainee(t, e, "awa@kalan.test")
	badID := o.events[2]
	badID.ID = "x"
	noType := o.events[2]
	noType.Type = "delete"
	badTime := o.events[2]
	badTime.At = "yesterday"
	many := make([]syncEvent, 51)
	for i := range many {
		many[i] = o.events[0]
		many[i].ID = fmt.Sprintf("many-events-%02d", i)
	}
	cases := []struct {
		name   string
		body   string
		status int
		index  int
	}{
		{"not JSON", "lesson done", http.StatusBadRequest, -1},
		{"no events", `{}`, http.StatusBadRequest, -1},
		{"two documents", `{"events":[]} {"events":[]}`, http.StatusBadRequest, -1},
		{"bad id third", batchOf(t, o.events[0], o.events[1], badID), http.StatusBadRequest, 2},
		{"unknown type", batchOf(t, o.events[0], noType), http.StatusBadRequest, 1},
		{"bad time", batchOf(t, badTime), http.StatusBadRequest, 0},
		{"event not an object", `{"events":[` + mustJSON(t, o.events[0]) + `, 42]}`, http.StatusBadRequest, 1},
		{"too many events", batchOf(t, many...), http.StatusRequestEntityTooLarge, -2},
	}
	for _, tc := range cases {
		status, a := o.c.sendSync(t, tc.body)
		if status != tc.status || a.Error == "" {
			t.Errorf("%s: %d %+v, want %d with a message", tc.name, status, a, tc.status)
			continue
		}
		if tc.index >= -1 && (a.Index == nil || *a.Index != tc.index) {
			t.Errorf("%s: index %v, want %d", tc.name, a.Index, tc.index)
		}
	}
	// Too many bytes: refused from the Content-Length (sent on a real
	// connection: the test client cannot send a body the server leaves unread).
	head := fmt.Sprintf("POST /api/v1/sync HTTP/1.1\r\nHost: kalan.test\r\nCookie: %s\r\nX-CSRF-Token: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		o.c.cookieHeader(t), o.c.csrf(t), 200<<10)
	resp := rawRequest(t, e.listen(t), head, bytes.Repeat([]byte(" "), 200<<10))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 200 KB batch: %d, want 413", resp.StatusCode)
	}
	if l, s, _ := o.counts(t, e); l != 0 || s != 0 {
		t.Errorf("malformed batches changed something: %d lessons, %d attempts", l, s)
	}
	// An empty batch is well-formed.
	if status, a := o.c.sendSync(t, `{"events":[]}`); status != http.StatusOK || len(a.Results) != 0 {
		t.Errorf("empty batch: %d %+v", status, a)
	}
}

func TestSyncNeedsSessionAndToken(t *testing.T) {
	e := newEnv(t)
	o := newOfflineTrainee(t, e, "awa@kalan.test")
	batch := batchOf(t, o.events...)

	// The state: who is signed in, and the token to send.
	r := o.c.get(t, "/api/v1/sync")
	var state struct {
		User, CSRF string
		MaxEvents  int `json:"max_events"`
	}
	if err := json.Unmarshal(r.body, &state); err != nil || state.User != o.user.ID || state.CSRF != o.c.csrf(t) || state.MaxEvents != 50 {
		t.Fatalf("sync state: %d %s", r.StatusCode, r.body)
	}
	// Without the token header: refused, nothing applied.
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sync", strings.NewReader(batch))
	req.Header.Set("Content-Type", "application/json")
	if r := o.c.do(t, req); r.StatusCode != http.StatusForbidden {
		t.Errorf("without token: %d", r.StatusCode)
	}
	// The session expired while offline: 401, and the events wait.
	o.c.post(t, "/logout", nil)
	if status, a := o.c.sendSync(t, batch); status != http.StatusUnauthorized || a.Error == "" {
		t.Errorf("signed out: %d %+v", status, a)
	}
	if l, s, _ := o.counts(t, e); l != 0 || s != 0 {
		t.Fatalf("refused sends changed something: %d lessons, %d attempts", l, s)
	}
	// Signed in again, the same queue goes through.
	o.c.signIn(t, "awa@kalan.test", testPassword)
	if status, a := o.c.sendSync(t, batch); status != http.StatusOK || statuses(a) != "accepted accepted accepted accepted" {
		t.Errorf("after signing in again: %d %s", status, statuses(a))
	}
}

func TestOfflineManifestAndPages(t *testing.T) {
	e := newEnv(t)
	course, _ := e.catalog.Lookup(basics)
	var plan struct {
		Course, Version, Lang string
		Bytes                 int64
		URLs                  []string
	}
	// A visitor may take a public course offline, without the quiz.
	r := e.get(t, "/api/v1/courses/"+basics+"/offline?lang=en")
	if err := json.Unmarshal(r.body, &plan); err != nil || r.StatusCode != http.StatusOK {
		t.Fatalf("manifest: %d %s", r.StatusCode, r.body)
	}
	if plan.Lang != "en" || plan.Version != course.ID || plan.Bytes <= 0 || len(plan.URLs) < 1+len(course.Def.Lessons) {
		t.Errorf("manifest: %+v", plan)
	}
	for _, u := range plan.URLs {
		if strings.HasSuffix(u, "/quiz") {
			t.Errorf("a visitor's manifest holds the quiz")
		}
		if got := e.get(t, u); got.StatusCode != http.StatusOK {
			t.Errorf("%s in the manifest: %d", u, got.StatusCode)
		}
	}
	// Signed in, the quiz is part of it; a members-only course is not for others.
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	r = c.get(t, "/api/v1/courses/"+basics+"/offline")
	if err := json.Unmarshal(r.body, &plan); err != nil || plan.URLs[len(plan.URLs)-1] != "/courses/"+basics+"/quiz" {
		t.Errorf("signed-in manifest: %s", r.body)
	}
	if r := c.get(t, "/api/v1/courses/members/offline"); r.StatusCode != http.StatusForbidden {
		t.Errorf("members-only course for a non-member: %d", r.StatusCode)
	}
	if r := e.get(t, "/api/v1/courses/no-such-course/offline"); r.StatusCode != http.StatusNotFound || !strings.Contains(string(r.body), `"error"`) {
		t.Errorf("unknown course: %d %s", r.StatusCode, r.body)
	}
	// The course page says the size before anything is downloaded.
	d := e.get(t, "/courses/"+basics+"?lang=en").doc(t)
	offer := d.Find("[data-offline-course]")
	if offer.AttrOr("data-manifest", "") != "/api/v1/courses/"+basics+"/offline" || !strings.Contains(offer.Find(".meta").Text(), "on 2G") {
		t.Errorf("course page offer: %q", offer.Text())
	}
	// The service worker, the web app manifest and the offline page.
	sw := e.get(t, "/sw.js")
	if sw.StatusCode != http.StatusOK || !strings.HasPrefix(string(sw.body), "var SHELL = [\"/static/js/offline.") ||
		sw.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("sw.js: %d %q %.120s", sw.StatusCode, sw.Header.Get("Cache-Control"), sw.body)
	}
	var manifest struct {
		StartURL string `json:"start_url"`
		Icons    []struct{ Src string }
	}
	if r := e.get(t, "/manifest.webmanifest"); json.Unmarshal(r.body, &manifest) != nil || manifest.StartURL != "/" || len(manifest.Icons) == 0 {
		t.Errorf("web manifest: %s", r.body)
	}
	for _, lang := range []string{"fr", "en", "bm"} {
		r := e.get(t, "/offline?lang="+lang)
		if r.StatusCode != http.StatusOK || r.doc(t).Find("h1").Text() != e.t(lang, "offline.title", nil) {
			t.Errorf("offline page in %s: %d", lang, r.StatusCode)
		}
	}
}

// The reasons a batch or an event is refused are said to the trainee in
// their language: every one has its message in every language.
func TestSyncReasonsHaveMessages(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for _, r := range offline.Reasons {
		ids = append(ids, "sync.bad."+r)
	}
	for _, r := range offline.Refusals {
		ids = append(ids, "sync.refused."+r)
	}
	for _, lang := range []string{"fr", "en", "bm"} {
		for _, id := range ids {
			if e.t(lang, id, nil) == id {
				t.Errorf("%s: no message %s", lang, id)
			}
		}
	}
}

// A phone on 2G sends its batch again while the first send is still being
// answered, twenty times at once, then once more as told: each event is
// applied once and called accepted once (docs/CONTRACT.md); a send that
// meets an event being applied is told to come back (503), never
// "refused" for the trainee's own work.
func TestSyncSentTwentyTimesAtOnceAppliesEachEventOnce(t *testing.T) {
	e := newEnv(t)
	o := newOfflineTrainee(t, e, "awa@kalan.test")
	batch := batchOf(t, o.events...)
	type answer struct {
		status int
		a      syncAnswer
	}
	answers := make([]answer, 20)
	var wg sync.WaitGroup
	for i := range answers {
		tab := o.c.tab(t)
		wg.Go(func() {
			status, a := tab.sendSync(t, batch)
			answers[i] = answer{status, a}
		})
	}
	wg.Wait()
	accepted := map[string]int{}
	count := func(an answer) {
		switch an.status {
		case http.StatusOK:
			for _, r := range an.a.Results {
				if r.Status == "refused" {
					t.Errorf("event %s refused: %s", r.ID, r.Reason)
				}
				if r.Status == "accepted" {
					accepted[r.ID]++
				}
			}
		case http.StatusServiceUnavailable:
			if an.a.Error == "" {
				t.Error("a busy answer without a message")
			}
		default:
			t.Errorf("answered %d: %+v", an.status, an.a)
		}
	}
	for _, an := range answers {
		count(an)
	}
	// Told to come back, the phone sends the batch again once the others
	// are answered: whatever no copy could apply (the database's writer
	// busy under load) is applied now, once.
	for try := 0; try < 5; try++ {
		status, a := o.c.sendSync(t, batch)
		count(answer{status, a})
		if status == http.StatusOK {
			break
		}
	}
	for _, ev := range o.events {
		if accepted[ev.ID] != 1 {
			t.Errorf("event %s (%s) accepted %d times, want once", ev.ID, ev.Type, accepted[ev.ID])
		}
	}
	if l, s, score := o.counts(t, e); l != 2 || s != 1 || score != 100 {
		t.Errorf("%d lessons, %d attempts submitted (score %d); want 2, 1 (100)", l, s, score)
	}
	if status, a := o.c.sendSync(t, batch); status != http.StatusOK || statuses(a) != "duplicate duplicate duplicate duplicate" {
		t.Errorf("sent again afterwards: %d %s", status, statuses(a))
	}
}
