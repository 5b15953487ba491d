package server_test

import (
	"maps"
	"net/http"
	"net/url"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
)

// A course added to a cohort on one instance is readable by its members
// on another at once: the second instance, about to refuse, brings its
// cohorts up to date first (it would otherwise wait for its next check).
func TestCohortChangeReachesAnotherInstanceAtOnce(t *testing.T) {
	e := newEnv(t)
	second := newEnvSameStore(t, e)
	tc, _ := e.signedIn(t, account.RoleTrainer, "trainer@kalan.test", "Fatoumata Keïta")
	cohortURL, code := createCohort(t, tc, "Police Kayes", basics)
	trainee := e.client()
	if r := trainee.post(t, "/join", url.Values{"code": {code}, "name": {"Mariam Dembélé"}, "login": {"66 00 00 02"}, "password": {"sunrise-baobab-kettle-9"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("join: %d", r.StatusCode)
	}
	onSecond := second.client()
	onSecond.cookies = maps.Clone(trainee.cookies)
	if r := onSecond.get(t, "/courses/members/lessons/only"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a course the cohort does not follow: %d, want 403", r.StatusCode)
	}

	r := tc.post(t, cohortURL, url.Values{"name": {"Police Kayes"}, "region": {"segou"}, "organisation": {"gendarmerie"},
		"starts": {"2027-03-01"}, "ends": {"2027-03-31"}, "courses": {basics, "members"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a course to the cohort: %d\n%s", r.StatusCode, r.body)
	}
	if r := onSecond.get(t, "/courses/members/lessons/only"); r.StatusCode != http.StatusOK {
		t.Errorf("the course just added, on the other instance: %d, want 200", r.StatusCode)
	}
}
