package server_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/blob/s3"
	"github.com/kalan-platform/kalan/server/testenv"
)

var (
	minioOnce   sync.Once
	minioServer *testenv.MinIO
	minioErr    error
)

// sharedMinIO starts the package's MinIO server on first use.
func sharedMinIO(t *testing.T) *testenv.MinIO {
	t.Helper()
	minioOnce.Do(func() { minioServer, minioErr = testenv.StartMinIO() })
	testenv.Need(t, "MinIO server", minioErr, testenv.MinIOHowTo)
	return minioServer
}

func stopMinIO() error {
	if minioServer != nil {
		minioServer.Stop()
	}
	return nil
}

func s3Store(t *testing.T, m *testenv.MinIO) *s3.Store {
	t.Helper()
	b, err := s3.New(context.Background(), s3.Config{
		Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey,
		Bucket: strings.ReplaceAll(strings.ToLower(testenv.DBName(t)), "_", "-"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHealthAndMetrics(t *testing.T) {
	e := newEnv(t)
	if r := e.get(t, "/healthz"); r.StatusCode != http.StatusOK || string(r.body) != "ok" {
		t.Errorf("/healthz = %d %q", r.StatusCode, r.body)
	}
	if r := e.get(t, "/readyz"); r.StatusCode != http.StatusOK || !strings.HasPrefix(string(r.body), "catalog: ok (") {
		t.Errorf("/readyz = %d %q", r.StatusCode, r.body)
	}
	e.get(t, "/courses")
	e.get(t, "/no-such-page")
	m := e.get(t, "/metrics")
	for _, want := range []string{
		`kalan_http_requests_total{method="GET",route="/courses",status="200"} 1`,
		`kalan_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`kalan_http_request_duration_seconds_bucket{route="/courses"`,
	} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// With the database stopped, /healthz?deps=1 says so at once, /readyz
// stays 200 (the balancer keeps the instance: see degrade_test.go), and
// pages served from the in-memory catalog keep working.
func TestDatabaseDownAtRunTime(t *testing.T) {
	e, emb := embeddedEnv(t, t.TempDir())
	emb.Stop()

	start := time.Now()
	r := e.get(t, "/healthz?deps=1")
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "mongodb: unavailable") || !strings.Contains(string(r.body), "object storage: ok") {
		t.Errorf("/healthz?deps=1 with the database down = %d %q", r.StatusCode, r.body)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("/healthz?deps=1 took %v: it must not hang", d)
	}
	if r := e.get(t, "/readyz"); r.StatusCode != http.StatusOK {
		t.Errorf("/readyz with the database down = %d %q, want 200", r.StatusCode, r.body)
	}
	if r := e.get(t, "/courses/"+basics+"/lessons/indicators"); r.StatusCode != http.StatusOK {
		t.Errorf("a cached lesson with the database down = %d, want 200", r.StatusCode)
	}
}

// With MinIO as object storage, media live in the bucket; when MinIO
// stops, media answer 503 with a page in the reader's language, quickly.
func TestMinIOStorage(t *testing.T) {
	sharedMinIO(t) // skip or fail early when MinIO is missing
	m, err := testenv.StartMinIO()
	testenv.Need(t, "MinIO server", err, testenv.MinIOHowTo)
	defer m.Stop()
	e := newEnvWith(t, mongo.Store(t), s3Store(t, m))

	objects, err := e.blobs.List(context.Background(), "media/")
	if err != nil || len(objects) == 0 {
		t.Fatalf("media in the bucket: %v, %v", objects, err)
	}
	d := e.get(t, "/courses/"+basics+"/lessons/three-elements?lang=fr").doc(t)
	src, _ := d.Find("article img").Attr("src")
	if r := e.get(t, src); r.StatusCode != http.StatusOK || !strings.Contains(string(r.body), "<svg") {
		t.Fatalf("media from MinIO = %d", r.StatusCode)
	}

	m.Stop()
	start := time.Now()
	r := e.get(t, src, "Accept-Language", "bm")
	if r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("media with MinIO down = %d, want 503", r.StatusCode)
	}
	if got := r.doc(t).Find("h1").Text(); got != e.t("bm", "error.unavailable.title", nil) {
		t.Errorf("503 page heading %q", got)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	if r := e.get(t, "/healthz?deps=1"); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "object storage: unavailable") {
		t.Errorf("/healthz?deps=1 with MinIO down = %d %q", r.StatusCode, r.body)
	}
	if r := e.get(t, "/readyz"); r.StatusCode != http.StatusOK {
		t.Errorf("/readyz with MinIO down = %d %q, want 200", r.StatusCode, r.body)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("answering with MinIO down took %v", d)
	}
}
