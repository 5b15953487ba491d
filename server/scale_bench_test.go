package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/seed"
	"github.com/kalan-platform/kalan/server/training"
)

// BenchmarkAtScale measures every request a trainee, a trainer and an
// admin make on an installation of 20,000 seeded trainees with five
// submitted attempts each (KALAN_BENCH_SCALE=0.05 for 1,000), on the
// embedded default, over loopback: one client at a time, then 50 at once.
// Each request is made for another trainee, so that none is answered from
// what the one before warmed.
//
//	go test ./server -run '^$' -bench AtScale -benchtime 200x -timeout 60m
func BenchmarkAtScale(b *testing.B) {
	n := int(20000 * benchScale())
	e := newEnv(b)
	ctx := context.Background()
	start := time.Now()
	hash, err := account.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	key, err := certificate.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	made, err := seed.Run(ctx, e.store, seed.Options{Trainees: n, Attempts: 5, PasswordHash: hash, Courses: e.catalog.Published()[:3],
		Now: time.Now().UTC(), Signer: training.Signer{Key: key, Issuer: "Kalan bench", Labels: func(_, id string, _ map[string]any) string { return id }}})
	if err != nil {
		b.Fatal(err)
	}
	if err := e.cohorts.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %+v in %v", made, time.Since(start).Round(time.Second))
	s := &scaleRun{e: e, base: e.listen(b), client: benchHTTP(), n: n}
	s.staff(b)
	course, _ := e.catalog.Lookup(basics)
	lesson := course.Def.Lessons[2].ID

	for _, op := range []scaleOp{
		{name: "quiz open", do: func(t *scalePerson) error {
			return s.send(t, http.MethodGet, "/courses/"+basics+"/quiz", nil, http.StatusOK)
		}},
		{name: "quiz submit", prepare: s.openQuiz, do: func(t *scalePerson) error {
			return s.send(t, http.MethodPost, "/courses/"+basics+"/quiz", t.answers, http.StatusSeeOther)
		}},
		{name: "course page", do: func(t *scalePerson) error { return s.send(t, http.MethodGet, "/courses/"+basics, nil, http.StatusOK) }},
		{name: "lesson done", do: func(t *scalePerson) error {
			return s.send(t, http.MethodPost, lessonPath(basics, lesson)+"/complete", url.Values{}, http.StatusSeeOther)
		}},
		{name: "sync 10 events", prepare: s.openQuiz, do: s.sync},
		{name: "sign in", signedOut: true, do: func(t *scalePerson) error {
			form := url.Values{"login": {seed.Login(t.n)}, "password": {testPassword}}
			return s.send(t, http.MethodPost, "/login", form, http.StatusSeeOther)
		}},
		{name: "lesson page", do: func(t *scalePerson) error {
			return s.send(t, http.MethodGet, lessonPath(basics, lesson), nil, http.StatusOK)
		}},
		{name: "verify", certified: true, do: func(t *scalePerson) error {
			return s.send(t, http.MethodGet, "/verify/"+t.serial, nil, http.StatusOK)
		}},
		{name: "cohort page", staff: &s.trainer, do: func(t *scalePerson) error {
			return s.send(t, http.MethodGet, "/trainer/cohorts/"+t.cohort, nil, http.StatusOK)
		}},
		{name: "national questions", staff: &s.admin, do: func(t *scalePerson) error {
			return s.send(t, http.MethodGet, "/admin/reports/questions?course="+basics, nil, http.StatusOK)
		}},
	} {
		for _, clients := range []int{1, benchClients} {
			b.Run(fmt.Sprintf("%s/clients=%d", op.name, clients), func(b *testing.B) {
				people := s.people(b, op, b.N)
				measureWith(b, clients, func(i int) error { return op.do(people[i]) })
			})
		}
	}
}

// benchScale is KALAN_BENCH_SCALE: the share of the national size seeded.
func benchScale() float64 {
	if s, err := strconv.ParseFloat(os.Getenv("KALAN_BENCH_SCALE"), 64); err == nil && s > 0 && s <= 1 {
		return s
	}
	return 1
}

type scaleOp struct {
	name      string
	signedOut bool
	certified bool         // needs trainees with a certificate
	staff     *scalePerson // made by this trainer or admin, for trainee's cohort
	prepare   func(*scalePerson) error
	do        func(*scalePerson) error
}

type scalePerson struct {
	n             int // seed number
	id, cohort    string
	session, csrf string
	serial        string
	attempt       string
	answers       url.Values
	drawnQuestion string
	drawnOption   string
}

type scaleRun struct {
	e              *env
	base           string
	client         *http.Client
	n              int
	next           atomic.Int64 // the next seeded trainee to use
	trainer, admin scalePerson
	events         atomic.Int64
}

// staff signs in the seeded trainer and admin.
func (s *scaleRun) staff(b *testing.B) {
	for login, t := range map[string]*scalePerson{seed.TrainerLogin: &s.trainer, seed.AdminLogin: &s.admin} {
		u, err := s.e.store.UserByLogin(context.Background(), login)
		if err != nil {
			b.Fatal(err)
		}
		t.id = u.ID
		s.signIn(b, t)
	}
}

func (s *scaleRun) signIn(b *testing.B, t *scalePerson) {
	token, _, err := s.e.auth.Sessions().Start(context.Background(), t.id, false)
	if err != nil {
		b.Fatal(err)
	}
	t.session, t.csrf = token, server.SessionCSRF(token)
}

// people picks count trainees not used yet (after all of them, the first
// again), signed in and prepared for op.
func (s *scaleRun) people(b *testing.B, op scaleOp, count int) []*scalePerson {
	ctx := context.Background()
	out := make([]*scalePerson, 0, count)
	for len(out) < count {
		n := int(s.next.Add(1)-1)%s.n + 1
		u, err := s.e.store.UserByLogin(ctx, seed.Login(n))
		if err != nil {
			b.Fatal(err)
		}
		p := u.Progress[basics]
		if op.certified && p.Certificate == "" || p.Version == "" {
			continue
		}
		t := &scalePerson{n: n, id: u.ID, cohort: u.Cohorts[0], serial: p.Certificate}
		if op.staff != nil {
			t.session, t.csrf = op.staff.session, op.staff.csrf
		} else if !op.signedOut {
			s.signIn(b, t)
		}
		if t.session == "" { // before signing in, the token of a CSRF cookie
			t.csrf = strings.Repeat("c", 43)
		}
		if op.prepare != nil {
			if err := op.prepare(t); err != nil {
				b.Fatal(err)
			}
		}
		out = append(out, t)
	}
	return out
}

// openQuiz starts the trainee's next attempt and chooses its answers.
func (s *scaleRun) openQuiz(t *scalePerson) error {
	if err := s.send(t, http.MethodGet, "/courses/"+basics+"/quiz", nil, http.StatusOK); err != nil {
		return err
	}
	u, err := s.e.store.UserByID(context.Background(), t.id)
	if err != nil {
		return err
	}
	v, err := s.e.catalog.Get(context.Background(), u.Progress[basics].Version)
	if err != nil {
		return err
	}
	list, err := s.e.training.Attempts(context.Background(), u, v)
	if err != nil || len(list) == 0 {
		return fmt.Errorf("no attempt opened: %v", err)
	}
	a := list[len(list)-1]
	t.attempt, t.answers = a.ID, url.Values{"attempt": {a.ID}}
	for _, d := range a.Drawn {
		t.answers.Set("q-"+d.Question, d.Options[0])
	}
	t.drawnQuestion, t.drawnOption = a.Drawn[0].Question, a.Drawn[0].Options[0]
	return nil
}

// sync sends ten events, as a phone's queue: five lessons done and five
// saves of the open attempt's answers.
func (s *scaleRun) sync(t *scalePerson) error {
	course, _ := s.e.catalog.Lookup(basics)
	at := time.Now().UTC().Format(time.RFC3339)
	events := make([]syncEvent, 0, 10)
	for k := 0; k < 5; k++ {
		events = append(events,
			syncEvent{ID: fmt.Sprintf("scale-%010d", s.events.Add(1)), User: t.id, Type: "lesson", At: at, Course: basics, Lesson: course.Def.Lessons[k].ID},
			syncEvent{ID: fmt.Sprintf("scale-%010d", s.events.Add(1)), User: t.id, Type: "answers", At: at, Course: basics, Attempt: t.attempt,
				Answers: map[string][]string{t.drawnQuestion: {t.drawnOption}}})
	}
	body, _ := json.Marshal(map[string]any{"events": events})
	req, _ := http.NewRequest(http.MethodPost, s.base+"/api/v1/sync", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", t.csrf)
	s.cookies(req, t)
	return send(s.client, req, http.StatusOK)
}

func (s *scaleRun) cookies(req *http.Request, t *scalePerson) {
	if t.session != "" {
		req.AddCookie(&http.Cookie{Name: "kalan_session", Value: t.session})
		return
	}
	req.AddCookie(&http.Cookie{Name: "kalan_csrf", Value: t.csrf})
}

// send makes a request as the trainee: a GET, or a form posted with the
// CSRF token.
func (s *scaleRun) send(t *scalePerson, method, path string, form url.Values, want int) error {
	var req *http.Request
	if form != nil {
		form = cloneForm(form)
		form.Set("_csrf", t.csrf)
		req, _ = http.NewRequest(method, s.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, s.base+path, nil)
	}
	req.Header.Set("Accept-Encoding", "br")
	s.cookies(req, t)
	return send(s.client, req, want)
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// measureWith runs do(0) … do(b.N-1) from clients goroutines and reports
// the latency percentiles and the rate.
func measureWith(b *testing.B, clients int, do func(i int) error) {
	b.Helper()
	var (
		next  atomic.Int64
		mu    sync.Mutex
		times = make([]time.Duration, 0, b.N)
		wg    sync.WaitGroup
	)
	b.ResetTimer()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				start := time.Now()
				if err := do(int(i)); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			times = append(times, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	b.StopTimer()
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	pct := func(p float64) float64 { return float64(times[int(p*float64(len(times)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(times))/b.Elapsed().Seconds(), "req/s")
}
