package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
)

// persona is one kind of visitor of the authorisation matrix.
type persona int

const (
	anonymous    persona = iota
	trainee              // member of cohort A
	otherTrainer         // runs cohort B only
	trainer              // runs cohort A
	admin
	reviewer // reviews Bambara translations; in no cohort
	personas
)

var personaNames = [personas]string{"anonymous", "trainee", "trainer of another cohort", "the cohort's trainer", "admin", "reviewer of Bambara"}

// matrixWorld is the cast of the matrix: cohort A (following the cohort
// course "members"), cohort B, and one account per persona.
type matrixWorld struct {
	e       *env
	a, b    *cohort.Cohort
	users   [personas]*account.User
	trainee *account.User
	attempt string // the trainee's open attempt at the basics quiz
	serial  string // the trainee's certificate for the cohort course
	item    string // a library resource
}

func newMatrixWorld(t *testing.T) *matrixWorld {
	t.Helper()
	ctx := context.Background()
	w := &matrixWorld{e: newEnv(t)}
	w.users[trainee] = w.e.user(t, account.RoleTrainee, "trainee@kalan.test", "Awa Traoré")
	w.users[otherTrainer] = w.e.user(t, account.RoleTrainer, "other@kalan.test", "Oumar Diallo")
	w.users[trainer] = w.e.user(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	w.users[admin] = w.e.user(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	w.users[reviewer] = w.e.reviewer(t, "reviewer@kalan.test", "Mariam Sangaré", "bm")
	form := cohort.Form{Name: "Gendarmerie Ségou, mars 2027", Courses: []string{"members", basics}, Region: "segou",
		Organisation: "gendarmerie", Starts: "2027-03-01", Ends: "2027-03-31"}
	var err error
	if w.a, _, err = w.e.cohorts.Create(ctx, w.users[trainer], form, w.e.publishedSlug, "127.0.0.1"); err != nil || w.a == nil {
		t.Fatalf("cohort A: %v", err)
	}
	form.Name, form.Courses = "Police Kayes", []string{basics}
	if w.b, _, err = w.e.cohorts.Create(ctx, w.users[otherTrainer], form, w.e.publishedSlug, "127.0.0.1"); err != nil || w.b == nil {
		t.Fatalf("cohort B: %v", err)
	}
	if err := w.e.store.AddCohort(ctx, w.users[trainee].ID, w.a.ID); err != nil {
		t.Fatal(err)
	}
	w.trainee = w.users[trainee]
	basicsCourse, _ := w.e.catalog.Lookup(basics)
	a, err := w.e.training.StartOrResume(ctx, w.trainee, basicsCourse, "fr")
	if err != nil {
		t.Fatal(err)
	}
	w.attempt = a.ID
	members, _ := w.e.catalog.Lookup("members")
	if err := w.e.training.CompleteLesson(ctx, w.trainee, members, "only"); err != nil {
		t.Fatal(err)
	}
	cert, err := w.e.training.Certificate(ctx, mustSerial(t, w.e, w.trainee.ID, "members"))
	if err != nil {
		t.Fatalf("the trainee's certificate: %v", err)
	}
	w.serial = cert.Serial
	w.item = addResource(t, w.e, "poster.pdf", tinyPDF, "indicators", "fr").ID
	return w
}

// mustSerial returns the serial of a person's certificate for a course.
func mustSerial(t *testing.T, e *env, userID, course string) string {
	t.Helper()
	u, err := e.store.UserByID(context.Background(), userID)
	if err != nil || u.Progress[course].Certificate == "" {
		t.Fatalf("no certificate for %s: %v", course, err)
	}
	return u.Progress[course].Certificate
}

func (e *env) publishedSlug(slug string) bool {
	_, ok := e.catalog.Lookup(slug)
	return ok
}

// as returns a fresh client for a persona: its own session, so that a row
// that signs out does not change the next one.
func (w *matrixWorld) as(t *testing.T, p persona) *client {
	t.Helper()
	c := w.e.client()
	if p == anonymous {
		return c
	}
	token, _, err := w.e.auth.Sessions().Start(context.Background(), w.users[p].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	c.cookies["kalan_session"] = token
	return c
}

// TestAuthorisationMatrix walks every route as each persona and checks the
// status: 200 (or the success of the action), 303 to sign in, 401, 403.
func TestAuthorisationMatrix(t *testing.T) {
	w := newMatrixWorld(t)
	a, tr := "/trainer/cohorts/"+w.a.ID, w.trainee.ID
	lesson := "/courses/" + basics + "/lessons/indicators"
	script := w.e.get(t, "/").doc(t).Find(`script[src]`).AttrOr("src", "")
	img := w.e.get(t, "/courses/"+basics+"/lessons/three-elements").doc(t).Find("article img").AttrOr("src", "")
	type row struct {
		method, route, target string
		form                  url.Values
		want                  [personas]int // anonymous, trainee, other trainer, trainer, admin, reviewer
	}
	const (
		ok  = http.StatusOK
		see = http.StatusSeeOther
		bad = http.StatusBadRequest
		no  = http.StatusForbidden
		out = http.StatusUnauthorized
		nf  = http.StatusNotFound
		lim = http.StatusTooManyRequests
	)
	rows := []row{
		{"GET", "/healthz", "/healthz", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/readyz", "/readyz", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/metrics", "/metrics", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/static/*", script, nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/media/:hash", img, nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/", "/", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/courses", "/courses", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/courses/:slug", "/courses/members", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/courses/:slug/lessons/:lesson", lesson, nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/courses/:slug/lessons/:lesson", "/courses/members/lessons/only", nil, [personas]int{see, ok, no, ok, ok, no}},
		{"POST", "/courses/:slug/lessons/:lesson/complete", lesson + "/complete", nil, [personas]int{out, see, see, see, see, see}},
		{"GET", "/courses/:slug/quiz", "/courses/" + basics + "/quiz", nil, [personas]int{see, ok, ok, ok, ok, ok}},
		{"POST", "/api/v1/attempts/:id/answers", "/api/v1/attempts/" + w.attempt + "/answers", nil, [personas]int{out, bad, no, no, no, no}},
		{"POST", "/courses/:slug/quiz", "/courses/" + basics + "/quiz", url.Values{"attempt": {w.attempt}}, [personas]int{out, see, no, no, no, no}},
		{"GET", "/api/v1/sync", "/api/v1/sync", nil, [personas]int{out, ok, ok, ok, ok, ok}},
		{"POST", "/api/v1/sync", "/api/v1/sync", nil, [personas]int{out, bad, bad, bad, bad, bad}}, // a form is not a batch
		{"GET", "/api/v1/courses/:slug/offline", "/api/v1/courses/members/offline", nil, [personas]int{out, ok, no, ok, ok, no}},
		{"GET", "/api/v1/courses/:slug/offline", "/api/v1/courses/" + basics + "/offline", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/offline", "/offline", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/sw.js", "/sw.js", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/manifest.webmanifest", "/manifest.webmanifest", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/courses/:slug/quiz/attempts/:id", "/courses/" + basics + "/quiz/attempts/" + w.attempt, nil, [personas]int{see, ok, no, no, no, no}},
		{"GET", "/certificates/key.pem", "/certificates/key.pem", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/verify/:serial", "/verify/" + w.serial, nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/certificates/:serial.pdf", "/certificates/" + w.serial + ".pdf", nil, [personas]int{see, ok, no, ok, ok, no}},
		{"POST", "/trainer/certificates/:serial/revoke", "/trainer/certificates/" + w.serial + "/revoke", url.Values{"reason": {"test"}}, [personas]int{out, no, no, see, see, no}},
		{"GET", "/library", "/library", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/library/:id", "/library/" + w.item, nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/library/:id/download", "/library/" + w.item + "/download", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/courses/:slug/pack", "/courses/" + basics + "/pack?lang=fr", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"GET", "/login", "/login", nil, [personas]int{ok, see, see, see, see, see}},
		{"POST", "/login", "/login", url.Values{"login": {"nobody@kalan.test"}, "password": {"wrong-password-1"}}, [personas]int{out, out, out, out, out, lim}}, // the 6th failure in a row for one login from one address
		{"POST", "/logout", "/logout", nil, [personas]int{see, see, see, see, see, see}},
		{"GET", "/join", "/join", nil, [personas]int{ok, ok, ok, ok, ok, ok}},
		{"POST", "/join", "/join", url.Values{"code": {"ZZZZZZZZ"}}, [personas]int{bad, bad, bad, bad, bad, bad}},
		{"GET", "/reset/:token", "/reset/not-a-token", nil, [personas]int{nf, nf, nf, nf, nf, nf}},
		{"POST", "/reset/:token", "/reset/not-a-token", url.Values{"password": {"x"}, "password_confirm": {"x"}}, [personas]int{nf, nf, nf, nf, nf, nf}},
		{"GET", "/account", "/account", nil, [personas]int{see, ok, ok, ok, ok, ok}},
		{"POST", "/account", "/account", url.Values{"name": {""}}, [personas]int{out, bad, bad, bad, bad, bad}},
		{"POST", "/account/password", "/account/password", url.Values{"current": {"x"}}, [personas]int{out, bad, bad, bad, bad, bad}},
		{"POST", "/account/sessions/end", "/account/sessions/end", nil, [personas]int{out, see, see, see, see, see}},
		{"GET", "/account/export", "/account/export", nil, [personas]int{see, ok, ok, ok, ok, ok}},
		// Nobody is invited to cohort B: accepting finds nothing; declining
		// what is not open changes nothing (a second tap on a slow link).
		{"POST", "/account/invitations/:cohort/accept", "/account/invitations/" + w.b.ID + "/accept", nil, [personas]int{out, nf, nf, nf, nf, nf}},
		// Only the trainee is in cohort A; the others are in no cohort.
		{"POST", "/account/cohorts/:cohort/leave", "/account/cohorts/" + w.b.ID + "/leave", nil, [personas]int{out, nf, nf, nf, nf, nf}},
		{"POST", "/account/invitations/:cohort/decline", "/account/invitations/" + w.b.ID + "/decline", nil, [personas]int{out, see, see, see, see, see}},
		{"POST", "/account/delete", "/account/delete", url.Values{"password": {"not-the-password"}}, [personas]int{out, bad, bad, bad, bad, bad}},
		{"GET", "/trainer", "/trainer", nil, [personas]int{see, no, ok, ok, ok, no}},
		{"GET", "/trainer/report.csv", "/trainer/report.csv", nil, [personas]int{see, no, ok, ok, ok, no}},
		{"GET", "/trainer/report.xlsx", "/trainer/report.xlsx", nil, [personas]int{see, no, ok, ok, ok, no}},
		{"GET", "/trainer/cohorts/new", "/trainer/cohorts/new", nil, [personas]int{see, no, ok, ok, ok, no}},
		{"POST", "/trainer/cohorts", "/trainer/cohorts", url.Values{"name": {""}}, [personas]int{out, no, bad, bad, bad, no}},
		{"GET", "/trainer/cohorts/:id", a, nil, [personas]int{see, no, no, ok, ok, no}},
		{"POST", "/trainer/cohorts/:id", a, url.Values{"name": {""}}, [personas]int{out, no, no, bad, bad, no}},
		{"GET", "/trainer/cohorts/:id/report.csv", a + "/report.csv", nil, [personas]int{see, no, no, ok, ok, no}},
		{"GET", "/trainer/cohorts/:id/report.xlsx", a + "/report.xlsx", nil, [personas]int{see, no, no, ok, ok, no}},
		{"GET", "/trainer/cohorts/:id/questions", a + "/questions", nil, [personas]int{see, no, no, ok, ok, no}},
		{"GET", "/trainer/cohorts/:id/questions/report.csv", a + "/questions/report.csv", nil, [personas]int{see, no, no, ok, ok, no}},
		{"GET", "/trainer/cohorts/:id/questions/report.xlsx", a + "/questions/report.xlsx", nil, [personas]int{see, no, no, ok, ok, no}},
		{"POST", "/trainer/cohorts/:id/close", a + "/close", nil, [personas]int{out, no, no, see, see, no}},
		{"POST", "/trainer/cohorts/:id/open", a + "/open", nil, [personas]int{out, no, no, see, see, no}},
		{"POST", "/trainer/cohorts/:id/enrol", a + "/enrol", nil, [personas]int{out, no, no, bad, bad, no}},
		{"POST", "/trainer/cohorts/:id/trainers", a + "/trainers", url.Values{"login": {"nobody@kalan.test"}}, [personas]int{out, no, no, bad, bad, no}},
		{"GET", "/admin", "/admin", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/users", "/admin/users", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/courses", "/admin/courses", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/users/:user", "/admin/users/" + tr, nil, [personas]int{see, no, no, no, ok, no}},
		{"POST", "/admin/users/:user/role", "/admin/users/" + tr + "/role", url.Values{"role": {"trainee"}}, [personas]int{out, no, no, no, see, no}},
		{"POST", "/admin/users/:user/reset", "/admin/users/" + tr + "/reset", nil, [personas]int{out, no, no, no, ok, no}},
		{"GET", "/admin/audit", "/admin/audit", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/reports", "/admin/reports", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/reports/report.csv", "/admin/reports/report.csv", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/reports/report.xlsx", "/admin/reports/report.xlsx", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/reports/questions", "/admin/reports/questions", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/reports/questions/report.csv", "/admin/reports/questions/report.csv", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/reports/questions/report.xlsx", "/admin/reports/questions/report.xlsx", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/library", "/admin/library", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/library/new", "/admin/library/new", nil, [personas]int{see, no, no, no, ok, no}},
		{"GET", "/admin/library/:id", "/admin/library/" + w.item, nil, [personas]int{see, no, no, no, ok, no}},
		{"POST", "/admin/library", "/admin/library", url.Values{"topic": {"indicators"}}, [personas]int{out, no, no, no, bad, no}},
		{"POST", "/admin/library/:id", "/admin/library/" + w.item, url.Values{"topic": {"indicators"}}, [personas]int{out, no, no, no, bad, no}},
		{"POST", "/admin/library/:id/file", "/admin/library/" + w.item + "/file", nil, [personas]int{out, no, no, no, bad, no}},
		{"POST", "/admin/library/:id/withdraw", "/admin/library/" + w.item + "/withdraw", nil, [personas]int{out, no, no, no, see, no}},
		{"POST", "/admin/library/:id/restore", "/admin/library/" + w.item + "/restore", nil, [personas]int{out, no, no, no, see, no}},
		// Translation review (issue 18): reviewers of the language and admins.
		{"GET", "/review", "/review", nil, [personas]int{see, no, no, no, ok, ok}},
		{"GET", "/review/:slug/:lang", "/review/" + basics + "/bm", nil, [personas]int{see, no, no, no, ok, ok}},
		{"GET", "/review/:slug/:lang/:lesson", "/review/" + basics + "/bm/indicators", nil, [personas]int{see, no, no, no, ok, ok}},
		{"POST", "/admin/courses/:slug/lessons/:lesson/text", "/admin/courses/" + basics + "/lessons/indicators/text",
			url.Values{"lang": {"bm"}, "markdown": {"## Taamasiyɛnw"}, "preview": {"1"}}, [personas]int{out, no, no, no, ok, ok}},
		{"POST", "/admin/courses/:slug/lessons/:lesson/audio", "/admin/courses/" + basics + "/lessons/indicators/audio",
			url.Values{"lang": {"bm"}}, [personas]int{out, no, no, no, bad, bad}}, // not multipart: 400 past the role check
		{"GET", "/review/:slug/:lang/:lesson/audio", "/review/" + basics + "/bm/indicators/audio", nil, [personas]int{see, no, no, no, nf, nf}}, // no draft recording
		{"GET", "/review/:slug/:lang/quiz", "/review/" + basics + "/bm/quiz", nil, [personas]int{see, no, no, no, ok, ok}},
		{"POST", "/review/:slug/:lang/quiz/:item", "/review/" + basics + "/bm/quiz/kc-three-elements", url.Values{"text": {""}}, [personas]int{out, no, no, no, bad, bad}}, // an empty text: 400 past the role check
		{"POST", "/review/:slug/:lang/course", "/review/" + basics + "/bm/course", url.Values{"title": {""}}, [personas]int{out, no, no, no, bad, bad}},                    // an empty title: 400 past the role check
		// No draft yet: nothing to publish, back to the page (303).
		{"POST", "/admin/courses/:slug/publish", "/admin/courses/" + basics + "/publish", nil, [personas]int{out, no, no, no, see, see}},
		{"GET", "/admin/courses/:slug/export.zip", "/admin/courses/" + basics + "/export.zip", nil, [personas]int{see, no, no, no, ok, ok}},
		{"POST", "/review/:slug/:lang/reviewed", "/review/" + basics + "/bm/reviewed", nil, [personas]int{out, no, no, no, see, see}},
	}

	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.method+" "+r.route] = true
		for p := anonymous; p < personas; p++ {
			c := w.as(t, p)
			var resp response
			if r.method == "GET" {
				resp = c.get(t, r.target)
			} else {
				form := url.Values{}
				for k, v := range r.form {
					form[k] = v
				}
				resp = c.post(t, r.target, form)
			}
			if resp.StatusCode != r.want[p] {
				t.Errorf("%s %s as %s = %d, want %d", r.method, r.target, personaNames[p], resp.StatusCode, r.want[p])
			}
			if resp.StatusCode == see && r.want[p] == see && strings.HasPrefix(resp.Header.Get("Location"), "/login") != (p == anonymous && r.method == "GET") {
				t.Errorf("%s %s as %s redirects to %q", r.method, r.target, personaNames[p], resp.Header.Get("Location"))
			}
		}
	}
	// Every route of the application is in the matrix.
	for _, route := range w.e.app.GetRoutes(true) {
		if route.Method == "HEAD" {
			continue
		}
		if !covered[route.Method+" "+route.Path] {
			t.Errorf("route %s %s is missing from the authorisation matrix", route.Method, route.Path)
		}
	}
}
