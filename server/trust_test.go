package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/auth"
)

// A trainer types the login of someone who already has an account: the
// person is asked, and until they accept the trainer learns nothing of
// them, not even their name (finding 1 of the trust review).
func TestEnrolAnExistingAccountAsksItsOwner(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, _ := createCohort(t, tc, "Police Kayes", "members")
	cohortID := strings.TrimPrefix(cohortURL, "/trainer/cohorts/")
	mariam, _ := e.signedIn(t, account.RoleTrainee, "mariam@kalan.test", "Mariam Coulibaly")
	binta, _ := e.signedIn(t, account.RoleTrainee, "binta@kalan.test", "Binta Sangaré")

	csv := "Nom;Identifiant;Organisation;Région\r\nM. C.;mariam@kalan.test;;\r\nB. S.;binta@kalan.test;;\r\n"
	r := tc.upload(t, cohortURL+"/enrol?lang=en", "file", "cohort.csv", []byte(csv))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("enrol: %d\n%s", r.StatusCode, r.body)
	}
	page := string(r.body)
	if strings.Contains(page, "Mariam Coulibaly") || !strings.Contains(page, "mariam@kalan.test") || !strings.Contains(page, e.t("en", "enrol.invited", nil)) {
		t.Errorf("the enrolment page must show the login typed and \"invited\", never the name:\n%s", page)
	}
	if r := tc.get(t, cohortURL); strings.Contains(string(r.body), "Mariam") || strings.Contains(string(r.body), "mariam@kalan.test") {
		t.Error("the cohort page shows a person who has not accepted")
	}
	if u, _ := e.store.UserByLogin(ctx, "mariam@kalan.test"); len(u.Cohorts) != 0 {
		t.Fatalf("enrolling made her a member without asking: %v", u.Cohorts)
	}

	// She sees the invitation on her home and account pages.
	for _, path := range []string{"/", "/account"} {
		doc := mariam.get(t, path).doc(t)
		if form := doc.Find(`.invitations form[action="/account/invitations/` + cohortID + `/accept"]`); form.Length() != 1 ||
			!strings.Contains(doc.Find(".invitations").Text(), "Police Kayes") {
			t.Errorf("%s does not offer the invitation to Police Kayes", path)
		}
	}

	// Her export holds the open invitation.
	var export struct {
		Invitations []struct{ ID string } `json:"invitations"`
	}
	if r := mariam.get(t, "/account/export"); json.Unmarshal(r.body, &export) != nil || len(export.Invitations) != 1 || export.Invitations[0].ID != cohortID {
		t.Errorf("the export's invitations: %+v", export.Invitations)
	}

	// A double tap on a slow link: ten accepts at once make her a member once.
	var wg sync.WaitGroup
	codes := make([]int, 10)
	for i := range codes {
		tab := mariam.tab(t)
		wg.Go(func() { codes[i] = tab.post(t, "/account/invitations/"+cohortID+"/accept", nil).StatusCode })
	}
	wg.Wait()
	if !slices.Contains(codes, http.StatusSeeOther) || slices.ContainsFunc(codes, func(c int) bool { return c != http.StatusSeeOther && c != http.StatusNotFound }) {
		t.Errorf("parallel accepts answered %v", codes)
	}
	if u, _ := e.store.UserByLogin(ctx, "mariam@kalan.test"); !slices.Equal(u.Cohorts, []string{cohortID}) || len(u.Invitations) != 0 {
		t.Errorf("after accepting: cohorts %v, invitations %v", u.Cohorts, u.Invitations)
	}
	if members, _ := e.store.CohortMembers(ctx, cohortID); len(members) != 1 {
		t.Errorf("the cohort lists %d members, want her alone", len(members))
	}
	accepted, _ := e.store.Audit(ctx, audit.Filter{Action: audit.InvitationAccepted, TargetID: cohortID})
	if len(accepted) != 1 {
		t.Errorf("%d audit entries of the acceptance, want 1", len(accepted))
	}
	if r := tc.get(t, cohortURL+"?course=members"); !strings.Contains(string(r.body), "Mariam Coulibaly") {
		t.Error("once she accepted, her trainer does not see her")
	}

	// Binta declines: nothing of hers reaches the trainer, and the
	// invitation cannot be accepted afterwards.
	if r := binta.post(t, "/account/invitations/"+cohortID+"/decline", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline: %d", r.StatusCode)
	}
	if r := binta.post(t, "/account/invitations/"+cohortID+"/accept", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("accepting a declined invitation: %d, want 404", r.StatusCode)
	}
	if u, _ := e.store.UserByLogin(ctx, "binta@kalan.test"); len(u.Cohorts) != 0 {
		t.Errorf("after declining she is in %v", u.Cohorts)
	}
	if r := tc.get(t, cohortURL+"?course=members"); strings.Contains(string(r.body), "Binta") {
		t.Error("the trainer sees a person who declined")
	}
	// Nor can someone accept an invitation sent to another person.
	other, _ := e.signedIn(t, account.RoleTrainee, "oumar@kalan.test", "Oumar Diallo")
	if r := other.post(t, "/account/invitations/"+cohortID+"/accept", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("accepting without an invitation: %d, want 404", r.StatusCode)
	}
}

// Pages and files of a signed-in person are never stored by the browser
// (finding 2): Back after signing out must ask the server again. Signing
// out tells the browser to forget what it kept of this site.
func TestSignedInResponsesAreNotStored(t *testing.T) {
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, _ := createCohort(t, tc, "Police Kayes", "members")
	for _, path := range []string{"/", "/account", "/trainer", cohortURL, cohortURL + "/report.csv", "/account/export", "/courses/members", "/trainer/cohorts/nope"} {
		r := tc.get(t, path)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s (%d): Cache-Control %q, want no-store", path, r.StatusCode, cc)
		}
		if r.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: no X-Frame-Options", path)
		}
	}
	// What is the same for everybody stays cacheable.
	if cc := tc.get(t, "/certificates/key.pem").Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
		t.Errorf("the certificate key: %q", cc)
	}
	r := tc.post(t, "/logout", nil)
	if r.Header.Get("Clear-Site-Data") != `"cache", "storage"` {
		t.Errorf("sign-out: Clear-Site-Data %q", r.Header.Get("Clear-Site-Data"))
	}
	// Anonymous pages keep their cheap revalidation.
	if cc := e.client().get(t, "/courses").Header.Get("Cache-Control"); cc != "private, no-cache" {
		t.Errorf("anonymous catalog: %q", cc)
	}
	if e.get(t, "/").Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain http")
	}
	secure := newEnvWith(t, e.store, e.blobs, func(p *app.Parts) { p.SecureCookies = true })
	if hsts := secure.get(t, "/").Header.Get("Strict-Transport-Security"); hsts != "max-age=31536000" {
		t.Errorf("behind https: Strict-Transport-Security %q", hsts)
	}
}

// A member leaves a cohort from their account page (finding 1: a trainee
// could not): its trainers no longer see them, its courses close to them,
// and leaving twice, or at once from two tabs, changes nothing more.
func TestMemberLeavesACohort(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, code := createCohort(t, tc, "Police Kayes", "members")
	cohortID := strings.TrimPrefix(cohortURL, "/trainer/cohorts/")
	mariam, _ := e.signedIn(t, account.RoleTrainee, "mariam@kalan.test", "Mariam Coulibaly")
	if r := mariam.post(t, "/join", url.Values{"code": {code}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d\n%s", r.StatusCode, r.body)
	}
	if r := tc.get(t, cohortURL+"?course=members"); !strings.Contains(string(r.body), "Mariam Coulibaly") {
		t.Fatal("the trainer does not see the member who joined")
	}
	leave := "/account/cohorts/" + cohortID + "/leave"
	if form := mariam.get(t, "/account").doc(t).Find(`form[action="` + leave + `"]`); form.Length() != 1 {
		t.Fatal("the account page offers no way to leave the cohort")
	}
	var wg sync.WaitGroup
	codes := make([]int, 5)
	for i := range codes {
		tab := mariam.tab(t)
		wg.Go(func() { codes[i] = tab.post(t, leave, nil).StatusCode })
	}
	wg.Wait()
	if !slices.Contains(codes, http.StatusSeeOther) || slices.ContainsFunc(codes, func(c int) bool { return c != http.StatusSeeOther && c != http.StatusNotFound }) {
		t.Errorf("parallel leaves answered %v", codes)
	}
	if u, _ := e.store.UserByLogin(ctx, "mariam@kalan.test"); len(u.Cohorts) != 0 {
		t.Errorf("after leaving she is in %v", u.Cohorts)
	}
	if members, _ := e.store.CohortMembers(ctx, cohortID); len(members) != 0 {
		t.Errorf("the cohort still lists %v", members)
	}
	if left, _ := e.store.Audit(ctx, audit.Filter{Action: audit.CohortLeft, TargetID: cohortID}); len(left) != 1 {
		t.Errorf("%d audit entries of her leaving, want 1", len(left))
	}
	if r := tc.get(t, cohortURL+"?course=members"); strings.Contains(string(r.body), "Mariam") {
		t.Error("the trainer still sees the person who left")
	}
	if r := mariam.get(t, "/courses/members/lessons/only"); r.StatusCode == http.StatusOK {
		t.Error("the cohort course is still open to her")
	}
	if r := mariam.post(t, leave, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("leaving a cohort she is not in: %d, want 404", r.StatusCode)
	}
}

// Behind a proxy that appends the address it saw, a guesser who writes a
// new X-Forwarded-For entry of their own at each try is still counted at
// their real address: the right-most entry the proxy wrote.
func TestForgedForwardedForDoesNotResetTheLimits(t *testing.T) {
	e := proxiedEnv(t)
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	guesser := e.client()
	last := 0
	for i := range auth.PairRule.Max + 1 {
		guesser.headers["X-Forwarded-For"] = "198.51.100." + strconv.Itoa(i) + ", 41.73.1.2"
		last = guesser.post(t, "/login", url.Values{"login": {"awa@kalan.test"}, "password": {"guess-" + strconv.Itoa(i)}}).StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("try %d with a new forged address each time: %d, want 429", auth.PairRule.Max+1, last)
	}
}

// /join tells nothing about which logins have an account until the
// password is right: a taken login and a free one get the same answer
// to the same incomplete or weak form.
func TestJoinDoesNotTellWhichLoginsExist(t *testing.T) {
	e := newEnv(t)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	_, code := createCohort(t, tc, "Police Kayes", "members")
	e.user(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	answer := func(login string, form url.Values) string {
		f := url.Values{"code": {code}, "login": {login}}
		for k, v := range form {
			f[k] = v
		}
		r := e.client().post(t, "/join?lang=en", f)
		return strconv.Itoa(r.StatusCode) + " " + r.doc(t).Find(".error").Text()
	}
	for name, form := range map[string]url.Values{
		"no password":      {"name": {"Awa"}},
		"a weak password":  {"name": {"Awa"}, "password": {"123456"}},
		"no name":          {"password": {"pumpkin-harbour-violet-7"}},
		"nothing but that": {},
	} {
		taken, free := answer("awa@kalan.test", form), answer("nobody@kalan.test", form)
		if taken != free {
			t.Errorf("%s: a taken login gets %q, a free one %q", name, taken, free)
		}
	}
}

// The CSRF token travels in the body or a header, never in the query
// string (which ends up in logs and Referer headers), and a signed-in
// person's token belongs to their session: the CSRF cookie's value, or
// the token of another session of theirs, is refused.
func TestCSRFTokenIsBoundToTheSessionAndNeverInTheQuery(t *testing.T) {
	e := newEnv(t)
	c, _ := e.signedIn(t, account.RoleTrainee, "awa@kalan.test", "Awa Traoré")
	profile := url.Values{"name": {"Awa Traoré"}, "organisation": {"police"}, "region": {"segou"}, "lang": {"fr"}}
	token := c.csrf(t)
	inQuery := url.Values{"_csrf": {""}}
	for k, v := range profile {
		inQuery[k] = v
	}
	if r := c.post(t, "/account?_csrf="+url.QueryEscape(token), inQuery); r.StatusCode != http.StatusForbidden {
		t.Errorf("token in the query string: %d, want 403", r.StatusCode)
	}
	if c.cookies["kalan_csrf"] == "" {
		t.Fatal("no CSRF cookie to try")
	}
	cookieToken := url.Values{"_csrf": {c.cookies["kalan_csrf"]}}
	for k, v := range profile {
		cookieToken[k] = v
	}
	if r := c.post(t, "/account", cookieToken); r.StatusCode != http.StatusForbidden {
		t.Errorf("the CSRF cookie's value from a signed-in session: %d, want 403", r.StatusCode)
	}
	other := e.client()
	other.signIn(t, "awa@kalan.test", testPassword)
	if other.csrf(t) == token {
		t.Fatal("two sessions share a CSRF token")
	}
	theirs := url.Values{"_csrf": {other.csrf(t)}}
	for k, v := range profile {
		theirs[k] = v
	}
	if r := c.post(t, "/account", theirs); r.StatusCode != http.StatusForbidden {
		t.Errorf("another session's token: %d, want 403", r.StatusCode)
	}
	if r := c.post(t, "/account", profile); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the session's own token in the body: %d, want 303", r.StatusCode)
	}
}
