package server_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/app"
	"github.com/kalan-platform/kalan/server/blob"
)

// noise is a reader of n pseudo-random bytes (incompressible, cheap to
// make), starting like a PDF so that the library takes it.
type noise struct {
	rng  *rand.ChaCha8
	left int64
	head []byte
}

func newNoise(n int64) *noise {
	return &noise{rng: rand.NewChaCha8([32]byte{1, 2, 3}), left: n, head: []byte("%PDF-1.7\n")}
}

func (r *noise) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.left)]
	n := copy(p, r.head)
	r.head = r.head[n:]
	for i := n; i < len(p); i += 8 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], r.rng.Uint64())
		copy(p[i:], b[:])
	}
	r.left -= int64(len(p))
	return len(p), nil
}

// countWriter counts what is written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// memWatch samples the heap while a transfer runs.
type memWatch struct {
	start, peak uint64
	sysStart    uint64
	stop        chan struct{}
	done        sync.WaitGroup
}

func watchMemory() *memWatch {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w := &memWatch{start: m.HeapInuse, peak: m.HeapInuse, sysStart: m.Sys, stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				w.peak = max(w.peak, m.HeapInuse)
			}
		}
	}()
	return w
}

// growth returns the peak heap growth and the growth of memory obtained
// from the system, in MB.
func (w *memWatch) growth() (heap, sys float64) {
	close(w.stop)
	w.done.Wait()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(w.peak-w.start) / (1 << 20), float64(int64(m.Sys)-int64(w.sysStart)) / (1 << 20)
}

// uploadFormType is the Content-Type of writeUploadForm's body.
const uploadFormType = "multipart/form-data; boundary=kalan-test-boundary"

// writeUploadForm writes the library's new-resource form, as a browser
// streams it: the fields, then the file.
func writeUploadForm(w io.Writer, csrf string, file io.Reader) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary("kalan-test-boundary"); err != nil {
		return err
	}
	for _, kv := range [][2]string{{"_csrf", csrf}, {"title_fr", "Guide"}, {"topic", "referral"}, {"audience", "front-line"},
		{"language", "fr"}, {"format", "guide"}, {"licence", "CC BY 4.0"}, {"credit", "Kalan"}} {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			return err
		}
	}
	fw, err := mw.CreateFormFile("file", "guide.pdf")
	if err != nil {
		return err
	}
	if _, err := io.Copy(fw, file); err != nil {
		return err
	}
	return mw.Close()
}

// TestLargeUploadAndResumedDownload sends a 200 MB file through the
// upload form and back, on the directory and on MinIO: the server streams
// it both ways (the Go process grows by less than 50 MB), and a download
// cut half-way and resumed with Range gives the same bytes.
func TestLargeUploadAndResumedDownload(t *testing.T) {
	const size = 200 << 20
	for _, backend := range []string{"directory", "minio"} {
		t.Run(backend, func(t *testing.T) {
			var blobs blob.Store
			if backend == "minio" {
				blobs = s3Store(t, sharedMinIO(t))
			} else {
				d, err := blob.NewDisk(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				blobs = d
			}
			e := newEnvWith(t, mongo.Store(t), blobs)
			admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
			base := e.listen(t)

			// The form, streamed as a browser does, with its length: first
			// written to a counter to know it, then for real.
			var length countWriter
			if err := writeUploadForm(&length, admin.csrf(t), newNoise(size)); err != nil {
				t.Fatal(err)
			}
			watch := watchMemory()
			pr, pw := io.Pipe()
			sum := sha256.New()
			go func() {
				pw.CloseWithError(writeUploadForm(pw, admin.csrf(t), io.TeeReader(newNoise(size), sum)))
			}()
			req, _ := http.NewRequest(http.MethodPost, base+"/admin/library", pr)
			req.ContentLength = int64(length)
			req.Header.Set("Content-Type", uploadFormType)
			req.Header.Set("Cookie", admin.cookieHeader(t))
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatalf("%v\n%s", err, e.logs)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("upload: %d\n%s", resp.StatusCode, e.logs)
			}
			all, _ := e.library.All(context.Background())
			if len(all) != 1 || all[0].Size != size || all[0].SHA256 != fmt.Sprintf("%x", sum.Sum(nil)) {
				t.Fatalf("stored: %+v", all)
			}

			// Download half, drop the connection, resume from where it stopped.
			url := base + "/library/" + all[0].ID + "/download"
			got := sha256.New()
			resp, err = http.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			received, err := io.CopyN(got, resp.Body, size/2)
			resp.Body.Close() // the network drops
			if err != nil {
				t.Fatal(err)
			}
			req, _ = http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Range", "bytes="+strconv.FormatInt(received, 10)+"-")
			req.Header.Set("If-Range", resp.Header.Get("ETag"))
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			rest, err := io.Copy(got, resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusPartialContent || received+rest != size {
				t.Fatalf("resume: %d, %d+%d bytes, %v", resp.StatusCode, received, rest, err)
			}
			if !bytes.Equal(got.Sum(nil), sum.Sum(nil)) {
				t.Error("the resumed download differs from the upload")
			}
			heap, sys := watch.growth()
			t.Logf("%s: 200 MB up and down; heap grew by at most %.1f MB, memory from the system by %.1f MB", backend, heap, sys)
			if heap > 50 || sys > 50 {
				t.Errorf("the process grew by %.1f MB of heap, %.1f MB from the system: want under 50", heap, sys)
			}
		})
	}
}

// slowUpload sends an upload form by hand on a raw connection, in pieces
// with pauses, and returns the status line of the answer ("" when the
// server closed the connection without one).
func slowUpload(t *testing.T, base, cookies, csrf string, pieces int, pause time.Duration) string {
	t.Helper()
	var form bytes.Buffer
	if err := writeUploadForm(&form, csrf, newNoise(256<<10)); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := "POST /admin/library HTTP/1.1\r\nHost: kalan.test\r\nContent-Type: " + uploadFormType +
		"\r\nCookie: " + cookies + "\r\nContent-Length: " + strconv.Itoa(form.Len()) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	body := form.Bytes()
	step := len(body)/pieces + 1
	for len(body) > 0 {
		n := min(step, len(body))
		if _, err := conn.Write(body[:n]); err != nil {
			break // the server gave up on us: read what it said
		}
		body = body[n:]
		time.Sleep(pause)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

// A long upload on a slow link goes through as long as bytes keep
// coming; one that stalls longer than the read timeout is cut, answered
// with a 400 and leaves nothing behind.
func TestSlowAndStalledUploads(t *testing.T) {
	dir := t.TempDir()
	blobs, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, mongo.Store(t), blobs, func(p *app.Parts) { p.ReadTimeout = 500 * time.Millisecond })
	admin, _ := e.signedIn(t, account.RoleAdmin, "admin@kalan.test", "Ibrahim Coulibaly")
	base := e.listen(t)

	// 8 pieces 200 ms apart: 1.6 s in all, three times the read timeout.
	if status := slowUpload(t, base, admin.cookieHeader(t), admin.csrf(t), 8, 200*time.Millisecond); status != "HTTP/1.1 303 See Other" {
		t.Fatalf("slow upload: %q\n%s", status, e.logs)
	}
	if all, _ := e.library.All(context.Background()); len(all) != 1 || all[0].Size != 256<<10 {
		t.Fatalf("after the slow upload: %+v", all)
	}

	// 2 pieces 1.5 s apart: the server stops waiting after 0.5 s.
	if status := slowUpload(t, base, admin.cookieHeader(t), admin.csrf(t), 2, 1500*time.Millisecond); status != "HTTP/1.1 400 Bad Request" && status != "" {
		t.Errorf("stalled upload: %q", status)
	}
	if all, _ := e.library.All(context.Background()); len(all) != 1 {
		t.Errorf("the stalled upload was stored: %d resources", len(all))
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*", "put-*")); len(leftovers) > 0 {
		t.Errorf("the stalled upload left %v", leftovers)
	}
	if strings.Contains(e.logs.String(), `"level":"ERROR"`) || strings.Contains(e.logs.String(), "dependency unavailable") {
		t.Errorf("a client's stall was logged as a server failure:\n%s", e.logs)
	}
}
