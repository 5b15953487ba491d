package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"

	"github.com/kalan-platform/kalan/server"
	"github.com/kalan-platform/kalan/server/account"
)

// The budgets of docs/DESIGN.md §8 for the offline issue, measured on the
// embedded default over loopback:
//
//	go test ./server -run '^$' -bench 'LessonWeight|LessonLatency|SyncLatency' -cpu 2
//
// Weight is reported in compressed bytes, latency as p50/p99 over every
// request of the run, with 50 concurrent clients.

const benchClients = 50

// BenchmarkLessonWeight reports what a lesson page costs a phone: the
// first visit (page, CSS, scripts; and the service worker the browser
// fetches after it) and a repeat visit (the page only).
func BenchmarkLessonWeight(b *testing.B) {
	e := newEnv(b)
	member, _ := e.signedIn(b, account.RoleTrainee, "weight@kalan.test", "Awa Traoré")
	target := "/courses/" + basics + "/lessons/indicators?lang=bm"
	var page, assets, sw int
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "br")
		r := member.do(b, req)
		page = len(r.body)
		doc, err := goquery.NewDocumentFromReader(brotli.NewReader(bytes.NewReader(r.body)))
		if err != nil {
			b.Fatal(err)
		}
		assets = 0
		doc.Find(`link[rel="stylesheet"], script[src]`).Each(func(_ int, s *goquery.Selection) {
			src := s.AttrOr("href", s.AttrOr("src", ""))
			assets += len(e.get(b, src, "Accept-Encoding", "br").body)
		})
		sw = len(e.get(b, "/sw.js", "Accept-Encoding", "br").body)
	}
	b.ReportMetric(float64(page+assets), "first-B")
	b.ReportMetric(float64(page+assets+sw), "first+sw-B")
	b.ReportMetric(float64(page), "repeat-B")
}

// BenchmarkLessonLatency is a signed-in lesson page under 50 clients.
func BenchmarkLessonLatency(b *testing.B) {
	e := newEnv(b)
	base := e.listen(b)
	trainees := benchTrainees(b, e, benchClients)
	client := benchHTTP()
	target := base + "/courses/" + basics + "/lessons/indicators?lang=fr"
	measureWith(b, benchClients, func(i int) error {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "br")
		req.AddCookie(&http.Cookie{Name: "kalan_session", Value: trainees[i%len(trainees)].session})
		return send(client, req, http.StatusOK)
	})
}

// BenchmarkSyncLatency is a sync batch under 50 clients: each batch holds
// ten new events of one trainee (five lessons done, five saves of quiz
// answers), as a phone sends its queue when the network returns.
func BenchmarkSyncLatency(b *testing.B) {
	e := newEnv(b)
	base := e.listen(b)
	trainees := benchTrainees(b, e, benchClients)
	course, _ := e.catalog.Lookup(basics)
	client := benchHTTP()
	var seq atomic.Int64
	at := time.Now().UTC().Format(time.RFC3339)
	measureWith(b, benchClients, func(i int) error {
		t := trainees[i%len(trainees)]
		events := make([]syncEvent, 0, 10)
		for k := 0; k < 5; k++ {
			events = append(events,
				syncEvent{ID: fmt.Sprintf("bench-event-%08d", seq.Add(1)), User: t.id, Type: "lesson", At: at, Course: basics, Lesson: course.Def.Lessons[k].ID},
				syncEvent{ID: fmt.Sprintf("bench-event-%08d", seq.Add(1)), User: t.id, Type: "answers", At: at, Course: basics, Attempt: t.attempt, Answers: t.answers})
		}
		body, _ := json.Marshal(map[string]any{"events": events})
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/sync", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", t.csrf)
		req.AddCookie(&http.Cookie{Name: "kalan_session", Value: t.session})
		return send(client, req, http.StatusOK)
	})
}

type benchTrainee struct {
	id, session, csrf, attempt string
	answers                    map[string][]string
}

// benchTrainees signs in n trainees, each with an open quiz attempt.
func benchTrainees(b *testing.B, e *env, n int) []benchTrainee {
	b.Helper()
	ctx := context.Background()
	course, _ := e.catalog.Lookup(basics)
	out := make([]benchTrainee, n)
	for i := range out {
		u := e.user(b, account.RoleTrainee, fmt.Sprintf("bench%d@kalan.test", i), "Bench Mark")
		token, _, err := e.auth.Sessions().Start(ctx, u.ID, false)
		if err != nil {
			b.Fatal(err)
		}
		a, err := e.training.StartOrResume(ctx, u, course, "fr")
		if err != nil {
			b.Fatal(err)
		}
		d := a.Drawn[0]
		out[i] = benchTrainee{id: u.ID, session: token, csrf: server.SessionCSRF(token), attempt: a.ID,
			answers: map[string][]string{d.Question: {d.Options[0]}}}
	}
	return out
}

func benchHTTP() *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchClients, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func send(client *http.Client, req *http.Request, want int) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	return nil
}
