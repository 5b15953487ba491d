package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/report"
)

// BenchmarkReports measures the reports on a national scale, on the
// embedded database: 20,000 trainees in 200 cohorts of course 1, with
// 100,000 submitted attempts (KALAN_BENCH_SCALE=0.1 for a tenth of it).
// Each sub-benchmark is one page through the whole application.
//
//	go test ./server -run '^$' -bench BenchmarkReports -benchtime 5x
func BenchmarkReports(b *testing.B) {
	scale := benchScale()
	e := newEnv(b)
	start := time.Now()
	cohorts := seedNational(b, e, int(200*scale), 100, 5)
	b.Logf("seeded %d cohorts of 100 trainees, 5 attempts each, in %v", len(cohorts), time.Since(start).Round(time.Millisecond))
	admin := e.user(b, account.RoleAdmin, "admin@kalan.test", "Aminata Touré")
	token, _, err := e.auth.Sessions().Start(context.Background(), admin.ID, false)
	if err != nil {
		b.Fatal(err)
	}
	get := func(b *testing.B, target string) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.AddCookie(&http.Cookie{Name: "kalan_session", Value: token})
		resp, err := e.app.Test(req, -1)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%s: %v %v\n%s", target, resp, err, e.logs)
		}
		resp.Body.Close()
	}
	// The last cohort: its accounts were stored last, which matters where
	// the embedded database scans (see the closing note of issue 6).
	one := "/trainer/cohorts/" + cohorts[len(cohorts)-1]
	for _, bm := range []struct{ name, target string }{
		{"cohort report", one},
		{"cohort report CSV", one + "/report.csv"},
		{"cohort questions", one + "/questions"},
		{"national questions", "/admin/reports/questions?course=" + basics},
		{"national view", "/admin/reports"},
		{"national view XLSX", "/admin/reports/report.xlsx?by=month"},
		{"dashboard of all cohorts", "/trainer"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				get(b, bm.target)
			}
		})
	}
}

// seedNational writes cohorts of course 1 with their members' accounts and
// report facts, as the training service would have: random but plausible
// progress, attempts in three languages with scores that follow each
// trainee's ability. It returns the cohort ids.
func seedNational(b *testing.B, e *env, nCohorts, perCohort, attemptsEach int) []string {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(2027, 3))
	course, _ := e.catalog.Lookup(basics)
	var pool []courses.Question
	for _, q := range course.Def.Quiz.Questions {
		if q.Lesson == "" {
			pool = append(pool, q)
		}
	}
	regions, orgs := account.Regions(), account.Organisations()
	base := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	var ids []string
	for k := range nCohorts {
		starts := base.AddDate(0, k%12, 0)
		co := &cohort.Cohort{ID: fmt.Sprintf("%032x", k+1), Name: fmt.Sprintf("Cohorte %d", k+1), Courses: []string{basics},
			Region: regions[k%len(regions)], Organisation: orgs[k%len(orgs)], Starts: starts, Ends: starts.AddDate(0, 1, 0),
			JoinCode: fmt.Sprintf("B%07d", k), CreatedAt: starts}
		if err := e.store.CreateCohort(ctx, co); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, co.ID)
		users := make([]*account.User, perCohort)
		members := map[string]string{}
		answers := map[string]map[string]string{} // month → attempt → line
		for i := range users {
			login, _ := account.ParseLogin(fmt.Sprintf("t%d-%d@kalan.test", k, i))
			users[i] = &account.User{ID: fmt.Sprintf("%016x%016x", k+1, i+1), Login: login, Name: fmt.Sprintf("Stagiaire %d-%d", k, i),
				Organisation: co.Organisation, Region: co.Region, Role: account.RoleTrainee, Cohorts: []string{co.ID}, CreatedAt: starts}
			ability := rng.Float64()
			m := report.Member{}
			if rng.Float64() < 0.9 {
				m.Started = starts.Add(time.Duration(rng.IntN(72)) * time.Hour)
				m.LessonsDone = rng.IntN(6)
				m.Updated = m.Started.Add(time.Duration(rng.IntN(600)) * time.Hour)
			}
			lang := []string{"fr", "fr", "fr", "bm", "bm", "en"}[rng.IntN(6)]
			for a := range attemptsEach {
				if m.Started.IsZero() {
					break
				}
				at := m.Started.Add(time.Duration(24*(a+1)+rng.IntN(24)) * time.Hour)
				ans := report.Answer{AttemptID: fmt.Sprintf("%s%02x", users[i].ID, a), UserID: users[i].ID, Lang: lang, At: at}
				right := 0
				for _, n := range rng.Perm(len(pool))[:10] {
					q := pool[n]
					ok := rng.Float64() < 0.3+0.6*ability
					var chosen []string
					for _, o := range q.Options {
						if o.Correct == ok {
							chosen = append(chosen, o.ID)
							if !ok {
								break
							}
						}
					}
					if ok {
						right++
					}
					ans.Questions = append(ans.Questions, report.QuestionAnswer{ID: q.ID, Correct: ok, Chosen: strings.Join(chosen, ",")})
				}
				ans.Score, ans.Passed = right*10, right >= 7
				m.Attempts++
				m.BestScore = max(m.BestScore, ans.Score)
				m.Passed = m.Passed || ans.Passed
				month := at.Format("2006-01")
				if answers[month] == nil {
					answers[month] = map[string]string{}
				}
				answers[month][ans.AttemptID] = ans.Encode()
			}
			m.Percent = (m.LessonsDone + map[bool]int{true: 1}[m.Passed]) * 100 / 6
			if m.LessonsDone == 5 && m.Passed {
				m.Completed, m.Certificate = m.Updated, fmt.Sprintf("S%08d", k*perCohort+i)
			}
			members[users[i].ID] = m.Encode()
		}
		if err := e.store.CreateUsers(ctx, users); err != nil {
			b.Fatal(err)
		}
		if err := e.store.PutCohortLines(ctx, co.ID, basics, members, answers); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.cohorts.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	return ids
}
