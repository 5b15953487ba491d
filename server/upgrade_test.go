package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/testenv"
)

// An installation made before the schema was versioned (store/testdata)
// is upgraded at start and keeps working for the people in it: they sign
// in with their email or phone, find their progress, open quiz and
// certificates; a newcomer joins with the old join code.
func TestUpgradedInstallationKeepsWorking(t *testing.T) {
	ctx := context.Background()
	e, _ := embeddedEnv(t, testenv.SchemaV0Data(t))
	st := e.store

	awa := e.client()
	awa.signIn(t, "awa@example.org", testPassword)
	u, err := st.UserByLogin(ctx, "awa@example.org")
	if err != nil {
		t.Fatal(err)
	}
	serial := u.Progress["quizzed"].Certificate
	if serial == "" {
		t.Fatal("Awa's certificate is not in her progress")
	}
	if r := awa.get(t, "/courses/quizzed"); r.StatusCode != http.StatusOK || !strings.Contains(string(r.body), "/certificates/"+serial+".pdf") {
		t.Errorf("Awa's course page: %d, without her certificate", r.StatusCode)
	}
	if r := awa.get(t, "/certificates/"+serial+".pdf"); r.StatusCode != http.StatusOK {
		t.Errorf("Awa's certificate PDF: %d", r.StatusCode)
	}
	// Her attempts, graded again from the course version, say what they said.
	tried := attemptsOf(t, e, u, "quizzed")
	if len(tried) != 2 || tried[0].Result == nil || tried[1].Result == nil || !tried[1].Result.Passed {
		t.Fatalf("Awa's attempts: %d", len(tried))
	}
	for _, a := range tried {
		r := a.Result
		if r.Total == 0 || r.Correct*100/r.Total != r.Score || len(r.Questions) != r.Total {
			t.Errorf("attempt %s graded again: %d of %d right, score %d recorded", a.ID, r.Correct, r.Total, r.Score)
		}
		if page := awa.get(t, "/courses/quizzed/quiz/attempts/"+a.ID); page.StatusCode != http.StatusOK {
			t.Errorf("the result page of attempt %s: %d", a.ID, page.StatusCode)
		}
	}
	if v := verify(t, e, serial); v.Status != "valid" || v.Holder != "Awa Example" {
		t.Errorf("verify Awa's certificate: %+v", v)
	}
	chaka, _ := st.UserByLogin(ctx, "chaka@example.org")
	if v := verify(t, e, chaka.Progress["quizzed"].Certificate); v.Status != "revoked" {
		t.Errorf("verify Chaka's revoked certificate: %+v", v)
	}

	// Binta signs in with her phone number as she typed it, and finds the
	// attempt she had open.
	binta := e.client()
	binta.signIn(t, "76 00 00 01", testPassword)
	bu, _ := st.UserByLogin(ctx, "+22376000001")
	open := attemptsOf(t, e, bu, basics)
	if len(open) != 1 || open[0].Submitted() {
		t.Fatalf("Binta's attempts: %d", len(open))
	}
	if f := readQuiz(t, binta.get(t, "/courses/"+basics+"/quiz")); f.attempt != open[0].ID {
		t.Errorf("the quiz page opened attempt %s, not her open one %s", f.attempt, open[0].ID)
	}

	// A newcomer joins with the cohort's code; the trainer sees her.
	cohorts := e.cohorts.All()
	if len(cohorts) != 1 {
		t.Fatalf("%d cohorts", len(cohorts))
	}
	r := e.client().post(t, "/join", url.Values{"code": {cohorts[0].JoinCode}, "name": {"Fanta Example"}, "login": {"fanta@example.org"}, "password": {"sunrise-baobab-kettle-9"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("join with the old code: %d", r.StatusCode)
	}
	trainer := e.client()
	trainer.signIn(t, "trainer@example.org", testPassword)
	page := trainer.get(t, "/trainer/cohorts/"+cohorts[0].ID)
	for _, name := range []string{"Fanta Example", "Awa Example", "Binta Example"} {
		if !strings.Contains(page.doc(t).Find("table").Text(), name) {
			t.Errorf("%s is not on the cohort page", name)
		}
	}
	// The login of the deleted account can be used again.
	if r := e.client().post(t, "/join", url.Values{"code": {cohorts[0].JoinCode}, "name": {"Dede Again"}, "login": {"dede@example.org"}, "password": {"sunrise-baobab-kettle-9"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("join with a deleted account's login: %d", r.StatusCode)
	}
}
