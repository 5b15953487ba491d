package blob_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/blob/blobtest"
)

func newDisk(t *testing.T) *blob.Disk {
	t.Helper()
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	return d
}

func TestDiskContract(t *testing.T) {
	blobtest.RunContract(t, func(t *testing.T) blob.Store { return newDisk(t) })
}

func TestDiskCreatesMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "media")
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	if err := d.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("%s not created: %v", dir, err)
	}
}

// A Put in flight must be invisible: its temp file is neither listed nor
// found by Stat, and it disappears when the Put fails.
func TestDiskTempFilesInvisible(t *testing.T) {
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	ctx := t.Context()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := d.Put(ctx, "media/slow", pr, -1, "video/mp4")
		done <- err
	}()
	if _, err := pw.Write([]byte(strings.Repeat("x", 4096))); err != nil {
		t.Fatalf("write: %v", err)
	}
	// The Put has consumed the bytes, so its temp file exists.
	if n := countFiles(t, dir); n != 1 {
		t.Errorf("%d files on disk during the Put, want 1 temp file", n)
	}
	if list, err := d.List(ctx, ""); err != nil || len(list) != 0 {
		t.Errorf("List during Put = %v, %v; want empty", list, err)
	}
	if _, err := d.Stat(ctx, "media/slow"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat during Put error = %v, want ErrNotFound", err)
	}
	errBoom := errors.New("reader broke half-way")
	_ = pw.CloseWithError(errBoom)
	if err := <-done; !errors.Is(err, errBoom) {
		t.Errorf("Put error = %v, want the reader's error", err)
	}
	if n := countFiles(t, dir); n != 0 {
		t.Errorf("%d files left on disk after a failed Put, want 0", n)
	}
}

func TestDiskRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	if _, err := blob.NewDisk(dir); err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	stale := filepath.Join(dir, "tmp", "put-stale")
	fresh := filepath.Join(dir, "tmp", "put-fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.NewDisk(dir); err != nil {
		t.Fatalf("NewDisk again: %v", err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	// A young one may belong to a Put still running elsewhere.
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("fresh temp file removed: %v", err)
	}
}

func TestDiskKeepsEverythingUnderItsDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "store")
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	for _, key := range []string{"../escape", "a/../../escape", "/tmp/escape", "..", "a/.."} {
		if _, err := d.Put(t.Context(), key, strings.NewReader("x"), 1, ""); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Put(%q) error = %v, want ErrInvalidKey", key, err)
		}
	}
	blobtest.MustPut(t, d, "a/b/c", []byte("x"), 1, "")
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "store" {
		t.Errorf("entries beside the store dir: %v", entries)
	}
}

func TestDiskDeletePrunesEmptyDirs(t *testing.T) {
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	blobtest.MustPut(t, d, "a/b/c/d", []byte("x"), 1, "")
	blobtest.MustPut(t, d, "a/keep", []byte("x"), 1, "")
	if err := d.Delete(t.Context(), "a/b/c/d"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "objects", "a", "b")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("empty directory a/b left behind: %v", err)
	}
	blobtest.AssertKeys(t, d, "", "a/keep")
}

func TestDiskCorruptObjectIsAnError(t *testing.T) {
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	blobtest.MustPut(t, d, "victim", []byte("content"), -1, "text/plain")
	p := filepath.Join(dir, "objects", "victim@")
	if err := os.Truncate(p, 1024+3); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Stat(t.Context(), "victim"); err == nil {
		t.Errorf("Stat of a truncated object file succeeded")
	}
}

func TestDiskPingFailsWithoutDir(t *testing.T) {
	dir := t.TempDir()
	d, err := blob.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := d.Ping(t.Context()); !errors.Is(err, blob.ErrUnavailable) {
		t.Errorf("Ping error = %v, want ErrUnavailable", err)
	}
}

// countFiles counts regular files under dir, at any depth.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The disk layout could hold "pack" beside "pack/part"; the contract does
// not promise it (MinIO hides one from List), but neither must break the
// other on disk.
func TestDiskKeyBesideFolderOfSameName(t *testing.T) {
	d := newDisk(t)
	ctx := t.Context()
	blobtest.MustPut(t, d, "pack", []byte("file"), -1, "text/plain")
	blobtest.MustPut(t, d, "pack/part", []byte("child"), -1, "text/plain")
	blobtest.AssertKeys(t, d, "", "pack", "pack/part")
	if err := d.Delete(ctx, "pack/part"); err != nil {
		t.Fatalf("Delete child: %v", err)
	}
	if got, _ := blobtest.MustRead(t, d, "pack", 0, -1); string(got) != "file" {
		t.Errorf("pack = %q after deleting pack/part", got)
	}
	blobtest.MustPut(t, d, "pack/part", []byte("child again"), -1, "text/plain")
	if err := d.Delete(ctx, "pack"); err != nil {
		t.Fatalf("Delete parent: %v", err)
	}
	if got, _ := blobtest.MustRead(t, d, "pack/part", 0, -1); string(got) != "child again" {
		t.Errorf("pack/part = %q after deleting pack", got)
	}
}
