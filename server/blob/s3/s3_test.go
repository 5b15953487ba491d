package s3_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/blob/blobtest"
	"github.com/kalan-platform/kalan/server/blob/s3"
	"github.com/kalan-platform/kalan/server/testenv"
)

// sharedMinIO is the one MinIO server of this test package. It starts on
// the first S3 test rather than in TestMain itself, so that runs of the
// disk tests alone, and every fuzz worker process (each runs TestMain), do
// not pay for a server they never use. TestMain stops it.
var sharedMinIO minioOnce

type minioOnce struct {
	once sync.Once
	srv  *testenv.MinIO
	err  error
}

func (m *minioOnce) get() (*testenv.MinIO, error) {
	m.once.Do(func() { m.srv, m.err = testenv.StartMinIO() })
	return m.srv, m.err
}

func TestMain(m *testing.M) {
	code := m.Run() // disk tests run whether or not MinIO is there
	sharedMinIO.srv.Stop()
	os.Exit(code)
}

// needMinIO returns the shared server, or skips (fails under CI=true).
func needMinIO(t *testing.T) *testenv.MinIO {
	t.Helper()
	srv, err := sharedMinIO.get()
	testenv.Need(t, "MinIO server", err, testenv.MinIOHowTo)
	return srv
}

// bucketName derives a bucket name from the test name: lower case, only
// [a-z0-9-], at most 63 characters, with a hash of the full name so that
// long subtest names that share a start do not collide.
func bucketName(t *testing.T) string {
	sum := sha256.Sum256([]byte(t.Name()))
	suffix := "-" + hex.EncodeToString(sum[:4])
	var b strings.Builder
	dash := true // no leading dash, no double dashes
	for _, r := range strings.ToLower(t.Name()) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	name := strings.TrimSuffix(b.String(), "-")
	if max := 63 - len(suffix); len(name) > max {
		name = strings.TrimSuffix(name[:max], "-")
	}
	if name == "" {
		name = "t"
	}
	return name + suffix
}

func newS3(t *testing.T) *s3.Store {
	t.Helper()
	srv := needMinIO(t)
	s, err := s3.New(t.Context(), s3.Config{
		Endpoint:  srv.Endpoint,
		AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey,
		Bucket:    bucketName(t),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestS3Contract(t *testing.T) {
	needMinIO(t)
	blobtest.RunContract(t, func(t *testing.T) blob.Store { return newS3(t) })
}

func TestBucketName(t *testing.T) {
	for _, name := range []string{"TestS3Contract/ranges", "Odd__Name//With-Dashes_", strings.Repeat("Long", 40)} {
		t.Run(name, func(t *testing.T) {
			// bucketName reads t.Name(), so run it inside a subtest named
			// like the case; Go rewrites spaces and slashes in that name.
			got := bucketName(t)
			if len(got) < 3 || len(got) > 63 || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" ||
				strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
				t.Errorf("bucketName = %q, not a valid bucket name", got)
			}
			if !strings.HasPrefix(got, "testbucketname-") {
				t.Errorf("bucketName = %q, want it to start with the test name", got)
			}
		})
	}
}

func TestNewKeepsExistingBucket(t *testing.T) {
	srv := needMinIO(t)
	cfg := s3.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: bucketName(t)}
	first, err := s3.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	blobtest.MustPut(t, first, "kept", []byte("x"), 1, "text/plain")
	second, err := s3.New(t.Context(), cfg)
	if err != nil {
		t.Fatalf("New on an existing bucket: %v", err)
	}
	if _, err := second.Stat(t.Context(), "kept"); err != nil {
		t.Errorf("Stat through the second client: %v", err)
	}
	if err := second.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func TestS3WrongCredentials(t *testing.T) {
	srv := needMinIO(t)
	_, err := s3.New(t.Context(), s3.Config{Endpoint: srv.Endpoint, AccessKey: "nobody", SecretKey: "wrong-secret", Bucket: bucketName(t)})
	if err == nil {
		t.Fatal("New with wrong credentials succeeded")
	}
	// A configuration error, not an outage: retrying will not help.
	if errors.Is(err, blob.ErrUnavailable) {
		t.Errorf("error = %v, want no ErrUnavailable", err)
	}
}

// The bound is functional, not a benchmark: /readyz and pages must answer
// 503 soon after MinIO dies, not after minio-go's default minutes of retries.
const unavailableWithin = 5 * time.Second

func TestNewFailsFastWhenNothingListens(t *testing.T) {
	start := time.Now()
	// Port 1 on loopback: nothing listens there, the dial is refused.
	_, err := s3.New(t.Context(), s3.Config{Endpoint: "127.0.0.1:1", AccessKey: "k", SecretKey: "secret-key", Bucket: "media"})
	elapsed := time.Since(start)
	if !errors.Is(err, blob.ErrUnavailable) {
		t.Errorf("New error = %v, want ErrUnavailable", err)
	}
	if elapsed > unavailableWithin {
		t.Errorf("New took %v to fail, want < %v", elapsed, unavailableWithin)
	}
}

func TestS3UnavailableAfterMinIOStops(t *testing.T) {
	needMinIO(t) // the same binary; skip together with the other S3 tests
	srv, err := testenv.StartMinIO()
	if err != nil {
		t.Fatalf("second MinIO: %v", err)
	}
	t.Cleanup(srv.Stop)
	s, err := s3.New(t.Context(), s3.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: "media"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	blobtest.MustPut(t, s, "a", []byte("x"), 1, "text/plain")
	srv.Stop()

	ctx := t.Context()
	ops := []struct {
		name string
		do   func() error
	}{
		{"Ping", func() error { return s.Ping(ctx) }},
		{"Stat", func() error { _, err := s.Stat(ctx, "a"); return err }},
		{"Open", func() error {
			rc, _, err := s.Open(ctx, "a", 0, -1)
			if rc != nil {
				_ = rc.Close()
			}
			return err
		}},
		{"Put", func() error { _, err := s.Put(ctx, "b", strings.NewReader("y"), 1, "text/plain"); return err }},
		{"Put unknown size", func() error { _, err := s.Put(ctx, "b", strings.NewReader("y"), -1, "text/plain"); return err }},
		{"List", func() error { _, err := s.List(ctx, ""); return err }},
		{"Delete", func() error { return s.Delete(ctx, "a") }},
		{"New", func() error {
			_, err := s3.New(ctx, s3.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: "media"})
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			start := time.Now()
			err := op.do()
			elapsed := time.Since(start)
			if !errors.Is(err, blob.ErrUnavailable) {
				t.Errorf("error = %v, want ErrUnavailable", err)
			}
			if elapsed > unavailableWithin {
				t.Errorf("took %v to fail, want < %v", elapsed, unavailableWithin)
			}
		})
	}
}

func TestS3PingHonoursDeadline(t *testing.T) {
	s := newS3(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if err := s.Ping(ctx); !errors.Is(err, blob.ErrUnavailable) {
		t.Errorf("Ping past its deadline = %v, want ErrUnavailable", err)
	}
}
