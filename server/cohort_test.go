package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/cohort"
)

// createCohort posts the cohort form as docs/CONTRACT.md fixes it and returns
// the cohort page's URL and join code.
func createCohort(t *testing.T, c *client, name string, courses ...string) (string, string) {
	t.Helper()
	form := url.Values{"name": {name}, "region": {"segou"}, "organisation": {"gendarmerie"}, "starts": {"2027-03-01"}, "ends": {"2027-03-31"}}
	form["courses"] = courses
	r := c.post(t, "/trainer/cohorts", form)
	loc := r.Header.Get("Location")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/trainer/cohorts/") {
		t.Fatalf("create cohort: %d to %q\n%s", r.StatusCode, loc, r.body)
	}
	page := c.get(t, loc)
	code, ok := page.doc(t).Find("[data-join-code]").Attr("data-join-code")
	if page.StatusCode != http.StatusOK || !ok || len(code) != 8 {
		t.Fatalf("cohort page %s: %d, code %q", loc, page.StatusCode, code)
	}
	return loc, code
}

func TestCreateCohortAndJoin(t *testing.T) {
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, code := createCohort(t, tc, "Gendarmerie Ségou, mars 2027", "members", basics)
	page := tc.get(t, cohortURL).doc(t)
	if !strings.Contains(page.Text(), "http://kalan.test/join?code="+code) {
		t.Error("the cohort page lacks the join link")
	}

	// A new trainee joins with the code (typed loosely) and reads the cohort course.
	trainee := e.client()
	loose := strings.ToLower(code[:4]) + " - " + code[4:]
	r := trainee.post(t, "/join", url.Values{"code": {loose}, "name": {"Mariam Dembélé"}, "login": {"66 00 00 01"}, "password": {"sunrise-baobab-kettle-9"}})
	if r.StatusCode != http.StatusSeeOther || trainee.cookies["kalan_session"] == "" {
		t.Fatalf("join: %d\n%s", r.StatusCode, r.body)
	}
	if r := trainee.get(t, "/courses/members/lessons/only"); r.StatusCode != http.StatusOK {
		t.Errorf("a new member reads the cohort lesson: %d", r.StatusCode)
	}
	u, err := e.store.UserByLogin(context.Background(), "+22366000001")
	if err != nil || u.Organisation != "gendarmerie" || u.Region != "segou" || u.Role != account.RoleTrainee || len(u.Cohorts) != 1 {
		t.Errorf("the new account: %+v, %v", u, err)
	}
	// The trainer sees the member.
	if !strings.Contains(tc.get(t, cohortURL).doc(t).Find("table").Text(), "Mariam Dembélé") {
		t.Error("the member is not on the cohort page")
	}

	// An existing account joins with its password; a signed-in one with the code alone.
	e.user(t, account.RoleTrainee, "seydou@kalan.test", "Seydou Kɔnɛ")
	r = e.client().post(t, "/join?lang=fr", url.Values{"code": {code}, "name": {"Seydou"}, "login": {"seydou@kalan.test"}, "password": {"pumpkin-harbour-violet-7"}})
	if r.StatusCode != http.StatusBadRequest || r.doc(t).Find("#login ~ .error").First().Text() != e.t("fr", "form.login.taken", nil) {
		t.Errorf("join with a taken login and a wrong password: %d %q", r.StatusCode, r.doc(t).Find("#login ~ .error").Text())
	}
	if r := e.client().post(t, "/join", url.Values{"code": {code}, "name": {"Seydou Kɔnɛ"}, "login": {"seydou@kalan.test"}, "password": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("join as an existing account: %d", r.StatusCode)
	}
	signedIn, _ := e.signedIn(t, account.RoleTrainee, "kadi@kalan.test", "Kadiatou Sangaré")
	if r := signedIn.post(t, "/join", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("join while signed in: %d", r.StatusCode)
	}
	if r := signedIn.get(t, "/courses/members/lessons/only"); r.StatusCode != http.StatusOK {
		t.Errorf("signed-in member reads the cohort lesson: %d", r.StatusCode)
	}
	members, _ := e.store.UsersInCohort(context.Background(), strings.TrimPrefix(cohortURL, "/trainer/cohorts/"))
	if len(members) != 3 {
		t.Errorf("%d members, want 3", len(members))
	}
}

func TestJoinRefusals(t *testing.T) {
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, code := createCohort(t, tc, "Police Kayes", basics)
	e.user(t, account.RoleTrainee, "taken@kalan.test", "Awa Traoré")
	tests := []struct {
		name, field, id string
		form            url.Values
	}{
		{"unknown code", "code", "form.code.unknown", url.Values{"code": {"ABCD-EFGH"}, "name": {"Awa"}, "login": {"a@kalan.test"}, "password": {"sunrise-baobab-kettle-9"}}},
		{"garbage code", "code", "form.code.unknown", url.Values{"code": {"<script>"}}},
		{"bad login", "login", "form.login.invalid", url.Values{"code": {code}, "name": {"Awa Traoré"}, "login": {"awa@"}, "password": {"sunrise-baobab-kettle-9"}}},
		{"weak password", "password", "form.password.common", url.Values{"code": {code}, "name": {"Awa Traoré"}, "login": {"new@kalan.test"}, "password": {"motdepasse123"}}},
		{"no name", "name", "form.name.required", url.Values{"code": {code}, "name": {" "}, "login": {"new@kalan.test"}, "password": {"sunrise-baobab-kettle-9"}}},
	}
	for _, tt := range tests {
		r := e.client().post(t, "/join?lang=fr", tt.form)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tt.name, r.StatusCode)
			continue
		}
		want := e.t("fr", tt.id, nil)
		if got := r.doc(t).Find("#" + tt.field + " ~ .error").First().Text(); got != want {
			t.Errorf("%s: message %q, want %q", tt.name, got, want)
		}
	}
	if _, err := e.store.UserByLogin(context.Background(), "new@kalan.test"); err == nil {
		t.Error("a refused join created an account")
	}
	// A closed cohort takes nobody.
	if r := tc.post(t, cohortURL+"/close", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", r.StatusCode)
	}
	r := e.client().post(t, "/join?lang=bm", url.Values{"code": {code}, "name": {"Awa"}, "login": {"late@kalan.test"}, "password": {"sunrise-baobab-kettle-9"}})
	if r.StatusCode != http.StatusBadRequest || r.doc(t).Find("#code ~ .error").Text() != e.t("bm", "form.code.closed", nil) {
		t.Errorf("join a closed cohort: %d", r.StatusCode)
	}
}

func TestJoinCodesCannotBeGuessed(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := 0; i < cohort.JoinRule.Max; i++ {
		c.post(t, "/join", url.Values{"code": {"ABCDEFG" + strconv.Itoa(i%9+2)}})
	}
	if r := c.post(t, "/join", url.Values{"code": {"ABCDEFGH"}}); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("after %d wrong codes: %d, want 429", cohort.JoinRule.Max, r.StatusCode)
	}
}

func TestCohortFormValidation(t *testing.T) {
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	good := url.Values{"name": {"Ségou"}, "courses": {basics}, "region": {"segou"}, "organisation": {"police"}, "starts": {"2027-01-01"}, "ends": {"2027-01-31"}}
	tests := []struct{ field, value, id string }{
		{"name", "", "form.cohort_name.required"},
		{"courses", "", "form.courses.required"},
		{"courses", "no-such-course", "form.courses.unknown"},
		{"region", "atlantis", "form.region.invalid"},
		{"organisation", "army", "form.organisation.invalid"},
		{"starts", "01/03/2027", "form.date.invalid"},
		{"ends", "2026-12-31", "form.date.before_start"},
	}
	for _, tt := range tests {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(tt.field, tt.value)
		r := tc.post(t, "/trainer/cohorts?lang=en", form)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s=%q: %d, want 400", tt.field, tt.value, r.StatusCode)
			continue
		}
		if !strings.Contains(r.doc(t).Find(".error").Text(), strings.Split(e.t("en", tt.id, nil), "{")[0]) {
			t.Errorf("%s=%q: no message %s in %q", tt.field, tt.value, tt.id, r.doc(t).Find(".error").Text())
		}
	}
	if n := len(e.cohorts.All()); n != 0 {
		t.Errorf("%d cohorts created by invalid forms", n)
	}
}

const enrolCSV = "\ufeffNom;Identifiant;Organisation;Région\r\n" +
	"Awa Traoré;awa@kalan.test;Police;Ségou\r\n" +
	"Seydou Kɔnɛ;76 12 34 56;gendarmerie;\r\n" +
	"Existing Person;old@kalan.test;;\r\n"

func TestEnrolFromCSV(t *testing.T) {
	e := newEnv(t)
	tc, trainerUser := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, _ := createCohort(t, tc, "Police Kayes", "members")
	cohortID := strings.TrimPrefix(cohortURL, "/trainer/cohorts/")
	e.user(t, account.RoleTrainee, "old@kalan.test", "Existing Person")

	// A file with bad rows is refused as a whole, with the problem of each line.
	bad := enrolCSV + "Bad Login;not-a-login;;\r\n;nobody@kalan.test;;\r\nTwice;awa@kalan.test;;\r\nOumar;oumar@kalan.test;;Atlantis\r\n"
	r := tc.upload(t, cohortURL+"/enrol?lang=en", "file", "cohort.csv", []byte(bad))
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad file: %d", r.StatusCode)
	}
	lines := r.doc(t).Find("table tbody tr")
	wantLines := []string{"5", "6", "7", "8"}
	if lines.Length() != len(wantLines) {
		t.Fatalf("%d problem lines, want %d:\n%s", lines.Length(), len(wantLines), lines.Text())
	}
	lines.Each(func(i int, s *goquery.Selection) {
		if got := s.Find("td").First().Text(); got != wantLines[i] {
			t.Errorf("problem %d on line %s, want %s", i, got, wantLines[i])
		}
	})
	if members, _ := e.store.UsersInCohort(context.Background(), cohortID); len(members) != 0 {
		t.Errorf("a refused file enrolled %d people", len(members))
	}
	if _, err := e.store.UserByLogin(context.Background(), "awa@kalan.test"); err == nil {
		t.Error("a refused file created an account")
	}

	// A good file: new accounts with one-time passwords, the existing one invited.
	r = tc.upload(t, cohortURL+"/enrol", "file", "cohort.csv", []byte(enrolCSV))
	if r.StatusCode != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("good file: %d\n%s", r.StatusCode, r.body)
	}
	rows := r.doc(t).Find("table tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("%d enrolled, want 3", rows.Length())
	}
	oneTime := rows.Eq(0).Find("code").Text()
	if oneTime == "" || rows.Eq(2).Find("code").Length() != 0 {
		t.Error("one-time passwords: want one for each new account and none for the existing one")
	}
	awa, err := e.store.UserByLogin(context.Background(), "awa@kalan.test")
	if err != nil || awa.Organisation != "police" || awa.Region != "segou" {
		t.Errorf("Awa: %+v, %v", awa, err)
	}
	seydou, err := e.store.UserByLogin(context.Background(), "+22376123456")
	if err != nil || seydou.Name != "Seydou Kɔnɛ" || seydou.Region != "segou" {
		t.Errorf("Seydou (region from the cohort): %+v, %v", seydou, err)
	}
	// The new trainee signs in with the one-time password and reads the cohort course.
	c := e.client()
	c.post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {oneTime}})
	c.post(t, "/account/password", url.Values{"password": {"gourd-lamp-yellow-31"}, "password_confirm": {"gourd-lamp-yellow-31"}})
	if r := c.get(t, "/courses/members/lessons/only"); r.StatusCode != http.StatusOK {
		t.Errorf("an enrolled trainee reads the cohort lesson: %d", r.StatusCode)
	}

	// The same file again duplicates nobody; the existing account is
	// still only invited.
	tc.upload(t, cohortURL+"/enrol", "file", "cohort.csv", []byte(enrolCSV))
	if members, _ := e.store.UsersInCohort(context.Background(), cohortID); len(members) != 2 {
		t.Errorf("after a second import: %d members, want 2", len(members))
	}
	if old, _ := e.store.UserByLogin(context.Background(), "old@kalan.test"); len(old.Cohorts) != 0 || len(old.Invitations) != 1 {
		t.Errorf("the existing account: cohorts %v, invitations %v; want none and one", old.Cohorts, old.Invitations)
	}
	entries, _ := e.store.Audit(context.Background(), audit.Filter{ActorID: trainerUser.ID, Action: audit.Enrolled, Limit: 10})
	if len(entries) != 2 || entries[1].Details["created"] != "2" || entries[0].Details["created"] != "0" {
		t.Errorf("audit of enrolments: %+v", entries)
	}
	// Not a CSV at all, and no file.
	if r := tc.upload(t, cohortURL+"/enrol", "file", "photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x00\x00\x00\x00\xff\xd9")); r.StatusCode != http.StatusBadRequest {
		t.Errorf("binary file: %d", r.StatusCode)
	}
}

func TestCoTrainersAndAudit(t *testing.T) {
	e := newEnv(t)
	tc, trainerUser := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, _ := createCohort(t, tc, "Police Kayes", basics)
	co, _ := e.signedIn(t, account.RoleTrainer, "co@kalan.test", "Oumar Diallo")
	if r := co.get(t, cohortURL); r.StatusCode != http.StatusForbidden {
		t.Fatalf("another trainer sees the cohort: %d", r.StatusCode)
	}
	e.user(t, account.RoleTrainee, "trainee@kalan.test", "Awa Traoré")
	if r := tc.post(t, cohortURL+"/trainers", url.Values{"login": {"trainee@kalan.test"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a trainee made co-trainer: %d", r.StatusCode)
	}
	if r := tc.post(t, cohortURL+"/trainers", url.Values{"login": {"co@kalan.test"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a co-trainer: %d", r.StatusCode)
	}
	if r := co.get(t, cohortURL); r.StatusCode != http.StatusOK {
		t.Errorf("the co-trainer cannot see the cohort: %d", r.StatusCode)
	}

	adminClient, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	d := adminClient.get(t, "/admin/audit?lang=en&actor="+trainerUser.ID).doc(t)
	text := d.Find("table").Text()
	for _, action := range []string{audit.CohortCreated, audit.CohortTrainer} {
		if !strings.Contains(text, e.t("en", "audit.action."+action, nil)) {
			t.Errorf("the audit log lacks %s:\n%s", action, text)
		}
	}
	if !strings.Contains(text, "Fatoumata Keïta") {
		t.Error("the audit log does not say who")
	}
	filtered := adminClient.get(t, "/admin/audit?lang=en&action="+audit.CohortTrainer).doc(t).Find("table tbody tr")
	if filtered.Length() != 1 {
		t.Errorf("filter by action: %d rows, want 1", filtered.Length())
	}
	for _, bad := range []string{"?action=nope", "?from=yesterday", "?before=x"} {
		if r := adminClient.get(t, "/admin/audit"+bad); r.StatusCode != http.StatusBadRequest {
			t.Errorf("/admin/audit%s = %d, want 400", bad, r.StatusCode)
		}
	}
	// The account list finds people by part of a name or login, any case.
	list := adminClient.get(t, "/admin/users?q=TRAOR").doc(t).Find("table tbody tr")
	if list.Length() != 1 || !strings.Contains(list.Text(), "Awa Traoré") {
		t.Errorf("search: %d rows: %s", list.Length(), list.Text())
	}
	if n := adminClient.get(t, "/admin/users?role=trainer").doc(t).Find("table tbody tr").Length(); n != 2 {
		t.Errorf("trainers listed: %d, want 2", n)
	}
	// Role change, audited; an admin cannot change their own role.
	u, _ := e.store.UserByLogin(context.Background(), "trainee@kalan.test")
	if r := adminClient.post(t, "/admin/users/"+u.ID+"/role", url.Values{"role": {"trainer"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d", r.StatusCode)
	}
	if u, _ = e.store.UserByID(context.Background(), u.ID); u.Role != account.RoleTrainer {
		t.Errorf("role = %s", u.Role)
	}
	entries, _ := e.store.Audit(context.Background(), audit.Filter{Action: audit.RoleChanged, Limit: 5})
	if len(entries) != 1 || entries[0].Details["from"] != "trainee" || entries[0].Details["to"] != "trainer" {
		t.Errorf("audit of the role change: %+v", entries)
	}
	self, _ := e.store.UserByLogin(context.Background(), "admin@kalan.test")
	if r := adminClient.post(t, "/admin/users/"+self.ID+"/role", url.Values{"role": {"trainee"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("an admin changed their own role: %d", r.StatusCode)
	}
}
