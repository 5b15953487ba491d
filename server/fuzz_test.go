package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
)

// FuzzPages sends arbitrary paths, languages and headers: whatever comes
// in, the answer is never a server error, and a page always says its
// language.
func FuzzPages(f *testing.F) {
	e := newEnv(f)
	f.Add("/courses/"+basics+"/lessons/indicators", "bm", "bm-ML;q=0.9,fr", "kalan_lang=en", "gzip, br")
	f.Add("/courses/../../etc/passwd", "<script>", "*;q=abc", "kalan_lang=%00", "br;q=0")
	f.Add("/media/"+strings.Repeat("a", 64), "", "", "", "")
	f.Add("/static/css/kalan.x.css", "fr", strings.Repeat("en,", 200), "", "identity")
	f.Add("/library?topic=%ff&format=exe&language=../bm&q=%00", "bm", "", "", "")
	f.Add("/courses/"+basics+"/pack", "zz", "", "", "")
	f.Fuzz(func(t *testing.T, path, lang, accept, cookie, encoding string) {
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		req, err := http.NewRequest(http.MethodGet, "http://kalan.test"+path+"?lang="+url.QueryEscape(lang), nil)
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Accept-Language", accept)
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Accept-Encoding", encoding)
		resp, err := e.app.Test(req, 10_000)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("GET %s (lang %q, Accept-Language %q, Cookie %q) = %d", path, lang, accept, cookie, resp.StatusCode)
		}
	})
}

// FuzzForms posts arbitrary values to the forms of the site, signed in as
// a trainer: bad input gets a 4xx with a message, never a server error.
func FuzzForms(f *testing.F) {
	e := newEnv(f)
	c, _ := e.signedIn(f, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	f.Add(0, "Awa Traoré", "awa@kalan.test", "river-mango-lantern-42", "2027-01-01")
	f.Add(1, "", "+223 76 12 34 56", "", "2027-13-45")
	f.Add(2, "\x00\xff", "<script>", strings.Repeat("é", 300), "0000-00-00")
	f.Add(3, "Ségou", "segou", "police", "2027-02-30")
	f.Add(4, "a", "b", "c", "d")
	targets := []string{"/login", "/join", "/trainer/cohorts", "/account", "/account/password", "/admin/audit"}
	f.Fuzz(func(t *testing.T, which int, a, b, pw, date string) {
		target := targets[(which%len(targets)+len(targets))%len(targets)]
		form := url.Values{
			"login": {b}, "password": {pw}, "password_confirm": {pw}, "current": {pw}, "code": {a},
			"name": {a}, "courses": {b, a}, "region": {b}, "organisation": {a}, "starts": {date}, "ends": {date}, "lang": {b},
		}
		var r response
		if target == "/admin/audit" {
			r = c.get(t, target+"?from="+url.QueryEscape(date)+"&action="+url.QueryEscape(a)+"&before="+url.QueryEscape(b))
		} else {
			r = c.post(t, target, form)
		}
		if r.StatusCode >= 500 {
			t.Fatalf("POST %s %v = %d", target, form, r.StatusCode)
		}
		if target == "/login" && r.StatusCode == http.StatusSeeOther {
			c.signIn(t, "trainer@kalan.test", testPassword) // a fuzzed login signed someone else in: sign back
		}
	})
}

// FuzzUpload sends arbitrary multipart bodies to the library's streamed
// upload, as an admin: the answer is never a server error, and anything
// but a success stores nothing.
func FuzzUpload(f *testing.F) {
	e := newEnv(f)
	c, _ := e.signedIn(f, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	csrf := c.csrf(f)
	var good bytes.Buffer
	if err := writeUploadForm(&good, csrf, bytes.NewReader(tinyPDF)); err != nil {
		f.Fatal(err)
	}
	f.Add("kalan-test-boundary", good.Bytes())
	f.Add("kalan-test-boundary", good.Bytes()[:good.Len()/2])
	f.Add("x", []byte("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\r\n--x--\r\n"))
	f.Add("", []byte("--\r\n"))
	f.Fuzz(func(t *testing.T, boundary string, body []byte) {
		body = bytes.ReplaceAll(body, []byte("CSRF"), []byte(csrf)) // let the fuzzer reach past the token check
		req := httptest.NewRequest(http.MethodPost, "/admin/library", bytes.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		before, _ := e.library.All(context.Background())
		r := c.do(t, req)
		if r.StatusCode >= 500 {
			t.Fatalf("upload (boundary %q, %d bytes) = %d", boundary, len(body), r.StatusCode)
		}
		if after, _ := e.library.All(context.Background()); r.StatusCode != http.StatusSeeOther && len(after) != len(before) {
			t.Fatalf("a refused upload (%d) stored a resource", r.StatusCode)
		}
	})
}

// FuzzReportQueries sends arbitrary query strings to the report pages and
// files, as an admin (who may open them all): never a server error.
func FuzzReportQueries(f *testing.F) {
	e := newEnv(f)
	ctx := context.Background()
	c, admin := e.signedIn(f, account.RoleAdmin, "admin@kalan.test", "Aminata Touré")
	co, _, err := e.cohorts.Create(ctx, admin, cohort.Form{Name: "Fuzz", Courses: []string{basics, "members"}, Region: "segou",
		Organisation: "police", Starts: "2027-03-01", Ends: "2027-03-31"}, e.publishedSlug, "127.0.0.1")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(0, basics, "completed", "score", "1", "30", "2027-01-01", "2027-12-31", "month")
	f.Add(1, "members", "%00", "../", "maybe", "-1", "2027-02-30", "", "salary")
	f.Add(2, "", "", "", "", "99999999999999999999", "9999-12-31", "0001-01-01", "")
	f.Add(3, "no-such", "in-progress", "activity", "0", "1", "", "2027-13-01", "course")
	targets := []string{"/trainer/cohorts/" + co.ID, "/trainer/cohorts/" + co.ID + "/report.csv", "/trainer/cohorts/" + co.ID + "/questions",
		"/trainer/cohorts/" + co.ID + "/questions/report.xlsx", "/admin/reports", "/admin/reports/report.csv", "/admin/reports/questions",
		"/trainer", "/trainer/report.xlsx"}
	f.Fuzz(func(t *testing.T, which int, course, status, sort, desc, stalled, from, to, by string) {
		target := targets[(which%len(targets)+len(targets))%len(targets)]
		q := url.Values{"course": {course}, "status": {status}, "sort": {sort}, "desc": {desc}, "stalled": {stalled},
			"from": {from}, "to": {to}, "by": {by}}
		if r := c.get(t, target+"?"+q.Encode()); r.StatusCode >= 500 {
			t.Fatalf("GET %s?%s = %d", target, q.Encode(), r.StatusCode)
		}
	})
}

// FuzzSync sends arbitrary bodies to the offline sync endpoint, signed in
// as a trainee with an open attempt: the answer is never a server error,
// and a refused batch changes nothing.
func FuzzSync(f *testing.F) {
	e := newEnv(f)
	c, u := e.signedIn(f, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	attempt := readQuiz(f, c.get(f, "/courses/"+basics+"/quiz")).attempt
	f.Add(`{"events":[{"id":"fuzz-event-1","user":"USER","type":"lesson","at":"2026-11-28T10:00:00Z","course":"` + basics + `","lesson":"what-is-trafficking"}]}`)
	f.Add(`{"events":[{"id":"fuzz-event-2","user":"USER","type":"answers","at":"2026-11-28T10:00:00Z","course":"` + basics + `","attempt":"ATTEMPT","answers":{"q1":["a"]}}]}`)
	f.Add(`{"events":[{"id":"fuzz-event-3","user":"USER","type":"submit","at":"9999-12-31T23:59:59Z","course":"` + basics + `","attempt":"ATTEMPT","answers":{}}]}`)
	f.Add(`{"events":[{"id":"x"}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		// Let the fuzzer reach past the user and attempt checks.
		body = strings.ReplaceAll(strings.ReplaceAll(body, "USER", u.ID), "ATTEMPT", attempt)
		before, _ := e.store.UserByID(context.Background(), u.ID)
		req := httptest.NewRequest(http.MethodPost, "/api/v1/sync", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.csrf(t))
		r := c.do(t, req)
		if r.StatusCode >= 500 {
			t.Fatalf("sync %q = %d", body, r.StatusCode)
		}
		after, _ := e.store.UserByID(context.Background(), u.ID)
		if r.StatusCode != http.StatusOK && len(after.Progress[basics].LessonsDone) != len(before.Progress[basics].LessonsDone) {
			t.Fatalf("a refused batch (%d) changed the progress", r.StatusCode)
		}
	})
}

// FuzzReviewForms sends arbitrary texts to a Bambara reviewer's forms (a
// lesson's title and text, a quiz question's texts, the course's title
// and summary, with any revision)
// and publishes: never a server error, and what a save accepts a
// publication accepts (the checks run when a draft is saved).
func FuzzReviewForms(f *testing.F) {
	e := newEnv(f)
	rev, _ := e.signedInReviewer(f, "mariam@kalan.test", "Mariam Sangaré", "bm")
	course, _ := e.catalog.Lookup(basics)
	q := course.Def.Quiz.Questions[0]
	quizURL := "/review/" + basics + "/bm/quiz/" + q.ID
	f.Add(0, "Taamasiyɛnw", "## Kura\n\nSɛbɛn.\n", "0")
	f.Add(1, "Ɲininkali \"kura\"?", "Jaabi: a\\b", "0")
	f.Add(2, "", "", "")
	f.Add(0, "a\x00", "# Titre\n<b>x</b>", "-1")
	f.Add(0, " \r\n ", "[x](nope.bm.md) ![y](../media/x.svg)", "99999999999999999999")
	f.Add(1, strings.Repeat("é", 3000), "'\n- id: x", "1")
	f.Add(3, "Kalan: \"a\" #b", "summary: x\n  bm: y", "0")
	f.Fuzz(func(t *testing.T, which int, title, text, revision string) {
		var r response
		switch (which%4 + 4) % 4 {
		case 0:
			r = rev.post(t, textURL, url.Values{"lang": {"bm"}, "title": {title}, "markdown": {text}, "revision": {revision}})
		case 1:
			form := url.Values{"text": {title}, "revision": {revision}}
			for _, o := range q.Options {
				form.Set("option."+o.ID+".text", text)
				form.Set("option."+o.ID+".feedback", text)
			}
			r = rev.post(t, quizURL, form)
		case 3:
			r = rev.post(t, "/review/"+basics+"/bm/course", url.Values{"title": {title}, "summary": {text}, "revision": {revision}})
		case 2:
			r = rev.post(t, publishURL, url.Values{"lang": {"bm"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("publication of saved drafts = %d\n%s", r.StatusCode, r.doc(t).Find("[role=alert]").Text())
			}
		}
		if r.StatusCode >= 500 {
			t.Fatalf("%d: %q %q %q = %d", which, title, text, revision, r.StatusCode)
		}
	})
}
