package server_test

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/review"
)

// reviewer creates a translation reviewer of langs.
func (e *env) reviewer(t testing.TB, login, name string, langs ...string) *account.User {
	t.Helper()
	n := authAccount(login, name, "fr")
	n.Role, n.Languages = account.RoleReviewer, langs
	u, _, err := e.auth.Create(context.Background(), n, e.locales.Supported)
	if err != nil {
		t.Fatalf("create reviewer %s: %v", login, err)
	}
	return u
}

// signedInReviewer is a client signed in as a new reviewer of langs.
func (e *env) signedInReviewer(t testing.TB, login, name string, langs ...string) (*client, *account.User) {
	t.Helper()
	u := e.reviewer(t, login, name, langs...)
	c := e.client()
	c.signIn(t, login, testPassword)
	return c, u
}

const textURL = "/admin/courses/" + basics + "/lessons/indicators/text"

// auditCount is the number of audit entries of an action.
func auditCount(t *testing.T, e *env, action string) int {
	t.Helper()
	entries, err := e.store.Audit(context.Background(), audit.Filter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestReviewTextDraft(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")

	list := rev.get(t, "/review")
	if list.StatusCode != http.StatusOK || list.doc(t).Find(`a[href="/review/`+basics+`/bm"]`).Length() != 1 {
		t.Fatalf("GET /review = %d, without the Bambara link of the basics", list.StatusCode)
	}
	if list.doc(t).Find(`a[href="/review/`+basics+`/en"]`).Length() != 0 {
		t.Error("a reviewer of Bambara is offered English")
	}
	page := rev.get(t, "/review/"+basics+"/bm/indicators")
	d := page.doc(t)
	if page.StatusCode != http.StatusOK || d.Find("[data-source][lang=fr] article").Length() != 1 {
		t.Fatalf("review page = %d, without the French source", page.StatusCode)
	}
	if got := d.Find("textarea#markdown").Text(); got == "" || d.Find(`input[name=revision]`).AttrOr("value", "") != "0" {
		t.Fatalf("the form holds %q at revision %q, want the published Bambara text at 0", got, d.Find(`input[name=revision]`).AttrOr("value", ""))
	}
	if d.Find(`form[action="`+textURL+`"] input[name=lang][value=bm]`).Length() != 1 {
		t.Error("the form does not post lang=bm to the text route")
	}

	// A draft: stored, sanitised in the preview, not published.
	md := "## Taamasiyɛn kuraw\n\nSɛbɛn kura [x](javascript:alert(1)).\n"
	if r := rev.post(t, textURL, url.Values{"lang": {"bm"}, "markdown": {md}, "revision": {"0"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", r.StatusCode)
	}
	draft, err := e.store.Draft(context.Background(), basics, "bm", "indicators")
	if err != nil || draft.Revision != 1 || draft.Markdown != md || draft.ByName != "Mariam Sangaré" {
		t.Fatalf("stored draft %+v, %v", draft, err)
	}
	d = rev.get(t, "/review/"+basics+"/bm/indicators").doc(t)
	preview := d.Find("[data-preview] article")
	if !strings.Contains(preview.Text(), "Sɛbɛn kura") || preview.Find("script").Length() != 0 {
		t.Errorf("preview %q is not the sanitised draft", preview.Text())
	}
	if h, _ := preview.Html(); strings.Contains(h, "javascript:") || strings.Contains(h, "<script") {
		t.Errorf("preview holds a script: %s", h)
	}
	if d.Find(`input[name=revision]`).AttrOr("value", "") != "1" {
		t.Error("the form does not carry the draft's revision")
	}
	learner := e.get(t, "/courses/"+basics+"/lessons/indicators?lang=bm")
	if strings.Contains(string(learner.body), "Sɛbɛn kura") {
		t.Error("a draft changed the published lesson")
	}
	if n := auditCount(t, e, audit.DraftSaved); n != 1 {
		t.Errorf("%d audit entries of the draft, want 1", n)
	}
	// Preview only: nothing stored.
	if r := rev.post(t, textURL, url.Values{"lang": {"bm"}, "markdown": {"Dɔ wɛrɛ"}, "revision": {"1"}, "preview": {"1"}}); r.StatusCode != http.StatusOK ||
		!strings.Contains(r.doc(t).Find("[data-preview]").Text(), "Dɔ wɛrɛ") {
		t.Errorf("preview = %d", r.StatusCode)
	}
	if d, _ := e.store.Draft(context.Background(), basics, "bm", "indicators"); d.Revision != 1 {
		t.Error("a preview saved the draft")
	}
}

func TestReviewTextBadInput(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	trainee, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	trainer, _ := e.signedIn(t, account.RoleTrainer, "oumar@kalan.test", "Oumar Diallo")
	// client.post adds the client's CSRF token to the form it is given:
	// each request gets a form of its own.
	with := func(k, v string) url.Values {
		f := url.Values{"lang": {"bm"}, "markdown": {"## Kura"}, "revision": {"0"}}
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
		{"trainee", trainee, textURL, with("", ""), http.StatusForbidden},
		{"trainer", trainer, textURL, with("", ""), http.StatusForbidden},
		{"another language", rev, textURL, with("lang", "en"), http.StatusForbidden},
		{"unknown language", rev, textURL, with("lang", "xx"), http.StatusBadRequest},
		{"no language", rev, textURL, with("lang", ""), http.StatusBadRequest},
		{"the source language", rev, textURL, with("lang", "fr"), http.StatusBadRequest},
		{"unknown lesson", rev, "/admin/courses/" + basics + "/lessons/nope/text", with("", ""), http.StatusBadRequest},
		{"unknown course", rev, "/admin/courses/nope/lessons/indicators/text", with("", ""), http.StatusNotFound},
		{"bad revision", rev, textURL, with("revision", "-1"), http.StatusBadRequest},
		{"revision not a number", rev, textURL, with("revision", "1e3"), http.StatusBadRequest},
		{"empty text", rev, textURL, with("markdown", " \r\n "), http.StatusBadRequest},
		{"control characters", rev, textURL, with("markdown", "a\x00b"), http.StatusBadRequest},
		{"too long", rev, textURL, with("markdown", strings.Repeat("a", review.MaxMarkdown+1)), http.StatusBadRequest},
		{"a file the course lacks", rev, textURL, with("markdown", "![x](../media/nope.png)"), http.StatusBadRequest},
		// What `kalan courses check` refuses, a publication would too.
		{"a title with control characters", rev, textURL, with("title", "Kura\x07"), http.StatusBadRequest},
		{"a title too long", rev, textURL, with("title", strings.Repeat("a", review.MaxQuizText+1)), http.StatusBadRequest},
		{"a level-one heading", rev, textURL, with("markdown", "# Kura\n\nSɛbɛn.\n"), http.StatusBadRequest},
		{"raw HTML", rev, textURL, with("markdown", "Sɛbɛn <script>alert(1)</script>\n"), http.StatusBadRequest},
		{"a lesson the course lacks", rev, textURL, with("markdown", "[x](nope.bm.md)\n"), http.StatusBadRequest},
		{"no CSRF token", rev, textURL, with("_csrf", "forged"), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := tt.c.post(t, tt.target, tt.form); r.StatusCode != tt.want {
				t.Errorf("status %d, want %d", r.StatusCode, tt.want)
			}
		})
	}
	for _, target := range []string{"/review/" + basics + "/xx", "/review/" + basics + "/fr/indicators"} {
		if r := rev.get(t, target); r.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", target, r.StatusCode)
		}
	}
	if r := rev.get(t, "/review/"+basics+"/en"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a reviewer of Bambara opens the English review: %d", r.StatusCode)
	}
	if r := rev.get(t, "/review/"+basics+"/bm/nope"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown lesson page: %d", r.StatusCode)
	}
	if r := trainee.post(t, "/review/"+basics+"/bm/reviewed", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("a trainee marks reviewed: %d", r.StatusCode)
	}
	// Nothing was stored, nothing audited.
	for _, lesson := range []string{"indicators", "nope"} {
		if _, err := e.store.Draft(context.Background(), basics, "bm", lesson); !errors.Is(err, review.ErrNotFound) {
			t.Errorf("a refused save left a draft of %s: %v", lesson, err)
		}
	}
	if n := auditCount(t, e, audit.DraftSaved) + auditCount(t, e, audit.TranslationReviewed); n != 0 {
		t.Errorf("%d audit entries after refused requests", n)
	}
}

// TestReviewConflict: reviewers who save the same lesson from the same
// revision at once: one wins, the others get 409 with both texts, theirs
// kept in the form, and nothing of theirs is stored.
func TestReviewConflict(t *testing.T) {
	e := newEnv(t)
	names := []string{"Mariam Sangaré", "Seydou Koné", "Kadiatou Touré", "Bakary Dembélé"}
	clients := make([]*client, len(names))
	for i, n := range names {
		clients[i], _ = e.signedInReviewer(t, "r"+string(rune('a'+i))+"@kalan.test", n, "bm")
		clients[i].csrf(t)
	}
	race := func(revision string, round int) (winner int) {
		t.Helper()
		resps := make([]response, len(clients))
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Go(func() {
				resps[i] = c.post(t, textURL, url.Values{"lang": {"bm"}, "revision": {revision},
					"markdown": {"Sɛbɛn " + names[i] + " " + string(rune('0'+round))}})
			})
		}
		wg.Wait()
		winner = -1
		for i, r := range resps {
			switch r.StatusCode {
			case http.StatusSeeOther:
				if winner >= 0 {
					t.Fatalf("round %d: two saves from revision %s won (%d and %d)", round, revision, winner, i)
				}
				winner = i
			case http.StatusConflict:
			default:
				t.Fatalf("round %d: status %d", round, r.StatusCode)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no save won", round)
		}
		stored, err := e.store.Draft(context.Background(), basics, "bm", "indicators")
		mine := "Sɛbɛn " + names[winner] + " " + string(rune('0'+round)) + "\n"
		if err != nil || stored.Markdown != mine || stored.ByName != names[winner] {
			t.Fatalf("round %d: stored %+v, %v; want the winner's text", round, stored, err)
		}
		for i, r := range resps {
			if i == winner {
				continue
			}
			d := r.doc(t)
			if got := d.Find("[data-theirs]").Text(); got != mine {
				t.Errorf("round %d: the conflict shows %q as theirs, want %q", round, got, mine)
			}
			if got := d.Find("textarea#markdown").Text(); !strings.Contains(got, names[i]) {
				t.Errorf("round %d: the form lost the reviewer's text: %q", round, got)
			}
			if got := d.Find("input[name=revision]").AttrOr("value", ""); got != string(rune('0'+stored.Revision)) {
				t.Errorf("round %d: the form carries revision %s, want %d", round, got, stored.Revision)
			}
		}
		return winner
	}
	race("0", 1)
	race("1", 2)
	if n := auditCount(t, e, audit.DraftSaved); n != 2 {
		t.Errorf("%d drafts audited, want 2 (the winners)", n)
	}
	// A stale form sent again after the conflict replaces knowingly.
	if r := clients[0].post(t, textURL, url.Values{"lang": {"bm"}, "revision": {"2"}, "markdown": {"Kelen"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("save from the current revision = %d", r.StatusCode)
	}
}

// TestReviewMark: marking Bambara reviewed removes the notice for learners
// of that version, visitors (cached pages) included; a new version shows
// it again.
func TestReviewMark(t *testing.T) {
	e := newEnv(t)
	rev, _ := e.signedInReviewer(t, "mariam@kalan.test", "Mariam Sangaré", "bm")
	learner, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	bm := e.t("bm", "language.name", nil)
	lesson := "/courses/" + basics + "/lessons/indicators?lang=bm"
	pages := func(want string) {
		t.Helper()
		for _, who := range []struct {
			name string
			get  func(testing.TB, string) response
		}{{"visitor", e.get2}, {"learner", learner.get}} {
			for _, target := range []string{lesson, "/courses/" + basics + "?lang=bm"} {
				r := who.get(t, target)
				checkReviewNotice(t, e, who.name+" "+target, r.doc(t), "bm", want)
			}
		}
	}
	pages(bm)
	if r := rev.post(t, "/review/"+basics+"/bm/reviewed", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark = %d", r.StatusCode)
	}
	pages("")
	d := rev.get(t, "/review/"+basics+"/bm").doc(t)
	if d.Find(`[data-reviewed-by="Mariam Sangaré"]`).Length() != 1 {
		t.Error("the review page does not say who marked it")
	}
	if r := rev.post(t, "/review/"+basics+"/bm/reviewed", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("marking twice = %d", r.StatusCode)
	}
	if n := auditCount(t, e, audit.TranslationReviewed); n != 1 {
		t.Errorf("%d marks audited, want 1", n)
	}
	// English stays unreviewed.
	checkReviewNotice(t, e, "English", e.get(t, "/courses/"+basics+"/lessons/indicators?lang=en").doc(t), "en", e.t("en", "language.name", nil))

	// A new version of the course starts again from its course file; the
	// learner who opened the marked version stays on it.
	e.publish(t, changedBasics(t))
	for _, target := range []string{lesson, "/courses/" + basics + "?lang=bm"} {
		checkReviewNotice(t, e, "visitor of the new version "+target, e.get(t, target).doc(t), "bm", bm)
		checkReviewNotice(t, e, "learner of the marked version "+target, learner.get(t, target).doc(t), "bm", "")
	}
	if d := rev.get(t, "/review/"+basics+"/bm").doc(t); d.Find("[data-reviewed-by]").Length() != 0 || d.Find(`form[action$="/reviewed"]`).Length() != 1 {
		t.Error("the review page of the new version is not unmarked")
	}
}

// get2 is env.get with the signature of client.get.
func (e *env) get2(t testing.TB, target string) response { return e.get(t, target) }

// changedBasics is the bundled basics course with one French sentence
// added, so that importing it publishes a new version.
func changedBasics(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(courses.Bundle(), basics, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(courses.Bundle(), path)
		if err != nil {
			return err
		}
		if path == basics+"/lessons/indicators.fr.md" {
			b = append(b, []byte("\nUne phrase de plus.\n")...)
		}
		out[path] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAdminGrantsReviewer(t *testing.T) {
	e := newEnv(t)
	adm, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	u := e.user(t, account.RoleTrainee, "mariam@kalan.test", "Mariam Sangaré")
	target := "/admin/users/" + u.ID + "/role"
	if r := adm.post(t, target, url.Values{"role": {"reviewer"}, "languages": {"bambara"}}); r.StatusCode != http.StatusBadRequest ||
		!strings.Contains(r.doc(t).Find("span.error").Text(), e.t("fr", "form.languages.invalid", map[string]any{"Code": "bambara"})) {
		t.Errorf("bad languages = %d", r.StatusCode)
	}
	if r := adm.post(t, target, url.Values{"role": {"reviewer"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("no languages = %d", r.StatusCode)
	}
	if got, _ := e.store.UserByID(context.Background(), u.ID); got.Role != account.RoleTrainee {
		t.Fatalf("a refused grant changed the role to %s", got.Role)
	}
	if r := adm.post(t, target, url.Values{"role": {"reviewer"}, "languages": {"bm, FF"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant = %d", r.StatusCode)
	}
	got, _ := e.store.UserByID(context.Background(), u.ID)
	if got.Role != account.RoleReviewer || strings.Join(got.Languages, ",") != "bm,ff" {
		t.Fatalf("after the grant: %s %v", got.Role, got.Languages)
	}
	entries, _ := e.store.Audit(context.Background(), audit.Filter{Action: audit.RoleChanged, TargetID: u.ID})
	if len(entries) != 1 || entries[0].Details["to"] != "reviewer" || entries[0].Details["languages"] != "bm,ff" {
		t.Errorf("audit of the grant: %+v", entries)
	}
	if v := adm.get(t, "/admin/users/"+u.ID).doc(t).Find("input#languages").AttrOr("value", ""); v != "bm, ff" {
		t.Errorf("the user page shows languages %q", v)
	}
	// The reviewer sees the review pages, not trainees, cohorts or reports.
	rev := e.client()
	rev.signIn(t, "mariam@kalan.test", testPassword)
	for target, want := range map[string]int{"/review": 200, "/review/" + basics + "/bm": 200, "/admin/users": 403, "/trainer": 403,
		"/admin/reports": 403, "/admin/audit": 403} {
		if r := rev.get(t, target); r.StatusCode != want {
			t.Errorf("reviewer GET %s = %d, want %d", target, r.StatusCode, want)
		}
	}
	// Back to trainer: the languages go.
	if r := adm.post(t, target, url.Values{"role": {"trainer"}, "languages": {"bm"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("back to trainer = %d", r.StatusCode)
	}
	if got, _ := e.store.UserByID(context.Background(), u.ID); got.Role != account.RoleTrainer || len(got.Languages) != 0 {
		t.Errorf("after the change: %s %v", got.Role, got.Languages)
	}
}
