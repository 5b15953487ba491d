package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// MinIOHowTo is the install hint for Need.
const MinIOHowTo = "GOBIN=$HOME/.cache/kalan/bin go install github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c (about 4 minutes, once)"

// minioReadyTimeout bounds the wait for a fresh server; a cold start on a
// loaded CI machine takes a few seconds, never a minute.
const minioReadyTimeout = 60 * time.Second

// MinIO is a real MinIO server started for the tests of one package.
type MinIO struct {
	// Endpoint is host:port, without scheme, as minio-go wants it.
	Endpoint  string
	AccessKey string
	SecretKey string

	cmd  *exec.Cmd
	dir  string
	log  *lockedBuffer
	done chan struct{} // closed when the process has exited
	stop sync.Once
}

// StartMinIO starts a MinIO server on free loopback ports with random
// credentials and a temporary data directory, and waits until it is ready.
// The error when the binary is missing names the install command.
func StartMinIO() (*MinIO, error) { return startMinIO(0) }

// startMinIO starts one server: on a single data directory when drives is
// 0, erasure-coded over that many directories otherwise.
func startMinIO(drives int) (*MinIO, error) {
	bin, err := findMinIO()
	if err != nil {
		return nil, err
	}
	apiAddr, err := freeAddr()
	if err != nil {
		return nil, fmt.Errorf("testenv: minio: %w", err)
	}
	consoleAddr, err := freeAddr()
	if err != nil {
		return nil, fmt.Errorf("testenv: minio: %w", err)
	}
	dir, err := os.MkdirTemp("", "kalan-minio-*")
	if err != nil {
		return nil, fmt.Errorf("testenv: minio: %w", err)
	}
	m := &MinIO{
		Endpoint:  apiAddr,
		AccessKey: "kalan-" + randomHex(6),
		SecretKey: randomHex(20),
		dir:       dir,
		log:       &lockedBuffer{},
		done:      make(chan struct{}),
	}
	data := filepath.Join(dir, "data")
	env := []string{
		"MINIO_ROOT_USER=" + m.AccessKey,
		"MINIO_ROOT_PASSWORD=" + m.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off", // no in-place update from a test server
	}
	if drives > 0 {
		// MinIO's ellipsis notation: drive1 … driveN.
		data = filepath.Join(dir, fmt.Sprintf("drive{1...%d}", drives))
		env = append(env, "MINIO_CI_CD=on") // drives on the root disk are fine in a test
	}
	// The certs dir inside the temp dir keeps MinIO away from ~/.minio.
	m.cmd = exec.Command(bin, "server", data,
		"--address", apiAddr,
		"--console-address", consoleAddr,
		"--certs-dir", filepath.Join(dir, "certs"),
		"--quiet")
	m.cmd.Env = append(os.Environ(), env...)
	m.cmd.Stdout = m.log
	m.cmd.Stderr = m.log
	if err := m.cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("testenv: start %s: %w", bin, err)
	}
	go func() {
		_ = m.cmd.Wait()
		close(m.done)
	}()
	if err := m.waitReady(minioReadyTimeout); err != nil {
		m.Stop()
		return nil, err
	}
	return m, nil
}

// Stop kills the process it started (by its own PID only) and removes its
// temp dir. It is safe to call more than once.
func (m *MinIO) Stop() {
	if m == nil {
		return
	}
	m.stop.Do(func() {
		if m.cmd != nil && m.cmd.Process != nil {
			_ = m.cmd.Process.Kill()
			<-m.done
		}
		_ = os.RemoveAll(m.dir)
	})
}

// waitReady polls MinIO's readiness endpoint, giving up early if the
// process dies (a taken port, bad flags).
func (m *MinIO) waitReady(timeout time.Duration) error {
	url := "http://" + m.Endpoint + "/minio/health/ready"
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			cancel()
			return fmt.Errorf("testenv: minio: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		cancel()
		if err == nil && resp.StatusCode == http.StatusOK {
			return nil
		}
		select {
		case <-m.done:
			return fmt.Errorf("testenv: minio exited before it was ready: %s", m.log.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("testenv: minio not ready at %s after %s: %s", url, timeout, m.log.String())
}

// findMinIO looks where MinIOHowTo and the usual installs put the binary.
func findMinIO() (string, error) {
	if p := os.Getenv("KALAN_MINIO_BIN"); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("testenv: KALAN_MINIO_BIN=%s is not an executable file", p)
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	var tried []string
	if home, err := os.UserHomeDir(); err == nil {
		tried = append(tried, filepath.Join(home, ".cache", "kalan", "bin", "minio"))
	}
	if gopath := goPath(); gopath != "" {
		tried = append(tried, filepath.Join(gopath, "bin", "minio"))
	}
	for _, p := range tried {
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("testenv: minio binary not found ($KALAN_MINIO_BIN, PATH, %s); install it with: %s",
		strings.Join(tried, ", "), MinIOHowTo)
}

// goPath is $(go env GOPATH), falling back to $GOPATH and then ~/go when the
// go command is not at hand.
func goPath() string {
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		if p, _, _ := strings.Cut(strings.TrimSpace(string(out)), string(os.PathListSeparator)); p != "" {
			return p
		}
	}
	if p, _, _ := strings.Cut(os.Getenv("GOPATH"), string(os.PathListSeparator)); p != "" {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go")
	}
	return ""
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// freeAddr asks the kernel for a free loopback port. Another process could
// take it before MinIO binds it; StartMinIO then fails fast, since the
// process exits.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		return "", err
	}
	return addr, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b)
}

// lockedBuffer collects MinIO's output for error messages; the process
// writes to it while waitReady reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// Keep the start, which says why MinIO failed; drop a flood.
	if b.buf.Len() < 64<<10 {
		b.buf.Write(p)
	}
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(b.buf.String())
	if s == "" {
		return "(no output)"
	}
	return s
}
