package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/certificate"
)

// learnerPages are the pages that carry a signed-in person's summary.
var learnerPages = []string{"/", "/account"}

// continueLink is where the Continue section sends the reader for a course.
func continueLink(d *goquery.Document, slug string) (href, progress string) {
	d.Find("section.continue li").Each(func(_ int, li *goquery.Selection) {
		if li.Find(`h3 a[href="/courses/`+slug+`"]`).Length() == 1 {
			href = li.Find("a.button").AttrOr("href", "")
			progress = strings.TrimSpace(li.Find("p.meta").Text())
		}
	})
	return href, progress
}

func TestLearnerHomeSaysWhatToDoNext(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	course, _ := e.catalog.Lookup(basics)
	lessons := course.Def.Lessons

	// Nothing started yet: no Continue, a note pointing to the catalog.
	d := c.get(t, "/?lang=en").doc(t)
	if d.Find("section.continue").Length() != 0 || d.Find(".learner.empty a[href='/courses']").Length() != 1 {
		t.Errorf("a new trainee's home: want no Continue and the empty note")
	}

	// One lesson done: Continue goes to the next one, "1 of N".
	if r := c.post(t, lessonPath(basics, lessons[0].ID)+"/complete", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("complete: %d", r.StatusCode)
	}
	wantProgress := e.t("en", "home.continue.progress", map[string]any{"Done": 1, "Total": len(lessons)})
	for _, path := range learnerPages {
		r := c.get(t, path+"?lang=en")
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s signed in: Cache-Control %q, want no-store", path, r.Header.Get("Cache-Control"))
		}
		d := r.doc(t)
		href, progress := continueLink(d, basics)
		if href != lessonPath(basics, lessons[1].ID) || progress != wantProgress {
			t.Errorf("%s: Continue to %q with %q; want %q with %q", path, href, progress, lessonPath(basics, lessons[1].ID), wantProgress)
		}
		if d.Find(".learner.empty").Length() != 0 {
			t.Errorf("%s: the empty note beside a course in progress", path)
		}
	}
	// Where they left off wins, as on the course page.
	c.get(t, lessonPath(basics, lessons[3].ID))
	if href, _ := continueLink(c.get(t, "/").doc(t), basics); href != lessonPath(basics, lessons[3].ID) {
		t.Errorf("after opening %s, Continue goes to %q", lessons[3].ID, href)
	}

	// Every lesson done: the quiz, before and after an attempt is opened.
	for _, l := range lessons {
		c.post(t, lessonPath(basics, l.ID)+"/complete", nil)
	}
	quizURL := "/courses/" + basics + "/quiz"
	if href, _ := continueLink(c.get(t, "/").doc(t), basics); href != quizURL {
		t.Errorf("every lesson done: Continue goes to %q, want the quiz", href)
	}
	open := readQuiz(t, c.get(t, quizURL))
	d = c.get(t, "/?lang=fr").doc(t)
	if href, _ := continueLink(d, basics); href != quizURL || !strings.Contains(d.Find("section.continue").Text(), e.t("fr", "home.continue.quiz_next", nil)) {
		t.Errorf("an open attempt: Continue goes to %q", href)
	}
	if again := readQuiz(t, c.get(t, quizURL)); again.attempt != open.attempt {
		t.Errorf("the quiz Continue leads to started attempt %s, not the open %s", again.attempt, open.attempt)
	}

	// Passed: the course leaves Continue; its certificate has both links.
	serial := completeBasics(t, e, c)
	for _, path := range learnerPages {
		d := c.get(t, path+"?lang=bm").doc(t)
		if href, _ := continueLink(d, basics); href != "" {
			t.Errorf("%s: a certified course still in Continue (%q)", path, href)
		}
		cert := d.Find("section.certificates li")
		if cert.Length() != 1 || cert.Find(`a[href="/certificates/`+serial+`.pdf"]`).Length() != 1 ||
			cert.Find(`a[href="/verify/`+certificate.FormatSerial(serial)+`"]`).Length() != 1 {
			t.Errorf("%s: the certificate with its PDF and verification links is missing:\n%s", path, d.Find("main").Text())
		}
		if got := d.Find("#certificates-title").Text(); got != e.t("bm", "home.certificates.title", nil) {
			t.Errorf("%s: certificates heading %q", path, got)
		}
	}
	// Both links answer.
	if r := c.get(t, "/certificates/"+serial+".pdf"); r.StatusCode != http.StatusOK {
		t.Errorf("the PDF link: %d", r.StatusCode)
	}
	if r := e.get(t, "/verify/"+certificate.FormatSerial(serial)); r.StatusCode != http.StatusOK {
		t.Errorf("the verification link: %d", r.StatusCode)
	}
}

func TestLearnerHomeCohortCoursesAndInvitations(t *testing.T) {
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, code := createCohort(t, tc, "Gendarmerie Ségou", "members", basics)
	cohortID := strings.TrimPrefix(cohortURL, "/trainer/cohorts/")
	invitingURL, _ := createCohort(t, tc, "Police Kayes", "members")
	invitingID := strings.TrimPrefix(invitingURL, "/trainer/cohorts/")

	c, _ := e.signedIn(t, account.RoleTrainee, "kadi@kalan.test", "Kadiatou Sangaré")
	if r := c.post(t, "/join", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d", r.StatusCode)
	}
	csv := "Nom;Identifiant;Organisation;Région\r\nK. S.;kadi@kalan.test;;\r\n"
	if r := tc.upload(t, invitingURL+"/enrol", "file", "cohort.csv", []byte(csv)); r.StatusCode != http.StatusOK {
		t.Fatalf("enrol: %d", r.StatusCode)
	}
	c.post(t, lessonPath(basics, "three-elements")+"/complete", nil)

	for _, path := range learnerPages {
		d := c.get(t, path+"?lang=en").doc(t)
		if d.Find(`.invitations form[action="/account/invitations/`+invitingID+`/accept"]`).Length() != 1 {
			t.Errorf("%s: the pending invitation is not offered", path)
		}
		var toStart []string
		d.Find("section.to-start li h3 a").Each(func(_ int, a *goquery.Selection) { toStart = append(toStart, a.AttrOr("href", "")) })
		if !slices.Equal(toStart, []string{"/courses/members"}) {
			t.Errorf("%s: courses to start %v, want the cohort's course not started only", path, toStart)
		}
		if href, _ := continueLink(d, basics); href == "" {
			t.Errorf("%s: the started cohort course is not in Continue", path)
		}
	}

	// Started: it moves to Continue.
	c.get(t, "/courses/members/lessons/only")
	d := c.get(t, "/").doc(t)
	if href, _ := continueLink(d, "members"); href != "/courses/members/lessons/only" || d.Find("section.to-start").Length() != 0 {
		t.Errorf("a started cohort course: Continue %q, to start %d", href, d.Find("section.to-start").Length())
	}
	// Left the cohort: a course they may no longer read is not offered.
	if r := c.post(t, "/account/cohorts/"+cohortID+"/leave", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("leave: %d", r.StatusCode)
	}
	if href, _ := continueLink(c.get(t, "/").doc(t), "members"); href != "" {
		t.Errorf("after leaving the cohort, Continue still offers its course: %q", href)
	}
}

// A visitor's home is the same as before, kept for every visitor; a
// signed-in person's is never kept, and the next person on the same
// phone never sees the previous one's work.
func TestLearnerHomeIsPersonal(t *testing.T) {
	e := newEnv(t)
	visitor := e.get(t, "/?lang=fr")
	vd := visitor.doc(t)
	if vd.Find(".learner").Length() != 0 || vd.Find(".hero p").Text() != e.t("fr", "home.intro", nil) ||
		visitor.Header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("a visitor's home changed: learner %d, intro %q, Cache-Control %q",
			vd.Find(".learner").Length(), vd.Find(".hero p").Text(), visitor.Header.Get("Cache-Control"))
	}

	phone := e.client()
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	e.user(t, account.RoleTrainee, "binta@kalan.test", "Binta Sangaré")
	phone.signIn(t, "awa@kalan.test", testPassword)
	serial := completeBasics(t, e, phone)
	phone.post(t, lessonPath("quizzed", "only")+"/complete", nil)
	awa := phone.get(t, "/?lang=fr")
	if !strings.Contains(string(awa.body), serial) || awa.doc(t).Find("section.continue").Length() != 1 {
		t.Fatal("Awa's home lacks her certificate or her course in progress")
	}
	if again := e.get(t, "/?lang=fr"); string(again.body) != string(visitor.body) {
		t.Error("a visitor's home changed after a signed-in person's was rendered")
	}

	if r := phone.post(t, "/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.StatusCode)
	}
	phone.get(t, "/?lang=fr") // the "signed out" note, once
	after := phone.get(t, "/?lang=fr")
	if string(after.body) != string(visitor.body) {
		t.Error("after signing out, the phone's home is not the visitors' one")
	}
	phone.signIn(t, "binta@kalan.test", testPassword)
	for _, path := range learnerPages {
		r := phone.get(t, path+"?lang=fr")
		page := string(r.body)
		if strings.Contains(page, serial) || strings.Contains(page, "Awa") || r.doc(t).Find("section.continue, section.certificates").Length() != 0 {
			t.Errorf("%s: the next person on the phone sees the previous one's work", path)
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, r.Header.Get("Cache-Control"))
		}
	}
}

// The signed-in home and account pages, in each language, with every
// section filled, fit the design's page budget (brotli, as phones ask for
// it); the home names its sections in that language.
func TestLearnerHomeWeight(t *testing.T) {
	const budget = 12 << 10
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	_, code := createCohort(t, tc, "Gendarmerie Ségou", "members", "quizzed")
	invitingURL, _ := createCohort(t, tc, "Police Kayes", "members")
	c, _ := e.signedIn(t, account.RoleTrainee, "kadi@kalan.test", "Kadiatou Sangaré")
	c.post(t, "/join", url.Values{"code": {code}})
	tc.upload(t, invitingURL+"/enrol", "file", "cohort.csv", []byte("Nom;Identifiant;Organisation;Région\r\nK. S.;kadi@kalan.test;;\r\n"))
	completeBasics(t, e, c)
	c.post(t, lessonPath("french-only", "only")+"/complete", nil)
	c.get(t, lessonPath("waiting", "only"))

	ids := []string{"home.continue.title", "home.certificates.title", "home.to_start.title"}
	for _, lang := range []string{"fr", "en", "bm"} {
		for _, path := range learnerPages {
			req := httptest.NewRequest(http.MethodGet, path+"?lang="+lang, nil)
			req.Header.Set("Accept-Encoding", "br")
			r := c.do(t, req)
			if r.StatusCode != http.StatusOK || r.Header.Get("Content-Encoding") != "br" {
				t.Fatalf("%s %s: %d, encoding %q", path, lang, r.StatusCode, r.Header.Get("Content-Encoding"))
			}
			if len(r.body) > budget {
				t.Errorf("%s %s: %d bytes compressed, budget %d", path, lang, len(r.body), budget)
			}
			t.Logf("signed in, %s %s: %d bytes compressed", path, lang, len(r.body))
		}

		d := c.get(t, "/?lang="+lang).doc(t)
		for i, sel := range []string{"#continue-title", "#certificates-title", "#to-start-title"} {
			if got, want := d.Find(sel).Text(), e.t(lang, ids[i], nil); got != want {
				t.Errorf("%s: %s is %q, want %q", lang, sel, got, want)
			}
		}
		if d.Find(".invitations").Length() != 1 || d.Find("section.continue li").Length() != 1 ||
			d.Find("section.certificates li").Length() != 2 || d.Find("section.to-start li").Length() != 2 {
			t.Errorf("%s: the weighed page lacks the invitation or the courses in progress", lang)
		}
		have := e.locales.IDs(lang)
		for _, id := range []string{"home.continue.progress", "home.continue.next", "home.continue.lesson", "home.continue.quiz_next",
			"home.continue.quiz", "home.certificates.date", "home.learner.empty"} {
			if !slices.Contains(have, id) {
				t.Errorf("%s lacks %s", lang, id)
			}
		}
	}
}
