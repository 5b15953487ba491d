package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
)

var mongo *testenv.Mongo

func TestMain(m *testing.M) { testenv.MainWithMongo(m, &mongo, testenv.Hooks{}) }

// installation is a small database and blob directory with a few of
// everything, sessions included.
type installation struct {
	raw   *store.Raw
	blobs *blob.Disk
	docs  map[string]int
}

func newInstallation(t *testing.T, users int) installation {
	t.Helper()
	ctx := context.Background()
	s := mongo.Store(t)
	raw := s.Raw()
	inst := installation{raw: raw, docs: map[string]int{}}
	put := func(coll string, docs ...bson.D) {
		var batch [][]byte
		for _, d := range docs {
			b, err := bson.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			batch = append(batch, b)
		}
		if err := raw.Insert(ctx, coll, batch); err != nil {
			t.Fatal(err)
		}
		inst.docs[coll] += len(docs)
	}
	var many []bson.D
	for i := range users {
		many = append(many, bson.D{{Key: "_id", Value: fmt.Sprintf("u%05d", i)}, {Key: "name", Value: "Fanta Kɔnɛ"}, {Key: "n", Value: i},
			{Key: "at", Value: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}})
	}
	put("users", many...)
	put("certificates", bson.D{{Key: "_id", Value: "7QX4M2PAQ"}, {Key: "holder", Value: "Awa"}})
	put("sessions", bson.D{{Key: "_id", Value: "secret-hash"}, {Key: "user_id", Value: "u00001"}})
	put("user_sessions", bson.D{{Key: "_id", Value: "u00001"}, {Key: "ids", Value: bson.A{"secret-hash"}}})
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The third does not compress: archives span several encryption chunks
	// (64 KiB), so that damage inside one is told from a cut end.
	noise := make([]byte, 200_000)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	for i, body := range []string{"<svg>one</svg>", strings.Repeat("poster ", 50_000), "", string(noise)} {
		if _, err := d.Put(ctx, fmt.Sprintf("media/%02d/file", i), strings.NewReader(body), int64(len(body)), "image/svg+xml"); err != nil {
			t.Fatal(err)
		}
	}
	// A health check's write probe, there for a moment: not archived.
	if _, err := d.Put(ctx, blob.ProbePrefix+"probe-1", strings.NewReader("ok"), 2, "text/plain"); err != nil {
		t.Fatal(err)
	}
	inst.blobs = d
	return inst
}

func (in installation) source() Source {
	return Source{Database: in.raw, Name: "kalan", Blobs: in.blobs, SigningKey: []byte("-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n"), Skip: store.SessionCollections}
}

func archive(t *testing.T, in installation, passphrase string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, in.source(), Options{Passphrase: passphrase, Kalan: "test"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// emptyTarget is a new database and blob directory.
func emptyTarget(t *testing.T) Target {
	t.Helper()
	s := mongo.Store(t)
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return Target{Database: s.Raw(), Blobs: d, Skip: store.SessionCollections, Replace: []string{store.MetaCollection}}
}

func TestArchiveRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t, 2500)
	for _, pass := range []string{"", "correct horse battery staple"} {
		t.Run(fmt.Sprintf("encrypted=%v", pass != ""), func(t *testing.T) {
			data := archive(t, in, pass)
			m, err := Verify(bytes.NewReader(data), pass)
			if err != nil {
				t.Fatal(err)
			}
			// Plus the schema version that opening the store wrote.
			if m.Objects != 4 || !m.SigningKey || m.Documents() != int64(in.docs["users"]+in.docs["certificates"]+1) {
				t.Errorf("manifest: %d objects, key %v, %d documents", m.Objects, m.SigningKey, m.Documents())
			}
			for _, c := range m.Collections {
				if c.Name == "sessions" || c.Name == "user_sessions" {
					t.Errorf("sessions were archived: %+v", c)
				}
			}
			target := emptyTarget(t)
			if err := CheckEmpty(ctx, target); err != nil {
				t.Fatal(err)
			}
			key, err := Restore(ctx, bytes.NewReader(data), pass, m, target, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(key, in.source().SigningKey) {
				t.Errorf("key %q", key)
			}
			for coll, want := range map[string]int64{"users": 2500, "certificates": 1, "sessions": 0} {
				if n, err := target.Database.Count(ctx, coll); err != nil || n != want {
					t.Errorf("%s: %d documents (%v), want %d", coll, n, err, want)
				}
			}
			var got bson.M
			err = target.Database.(*store.Raw).Each(ctx, "certificates", func(doc []byte) error { return bson.Unmarshal(doc, &got) })
			if err != nil || got["holder"] != "Awa" {
				t.Errorf("certificate restored as %v (%v)", got, err)
			}
			objects, _ := target.Blobs.List(ctx, "")
			if len(objects) != 4 {
				t.Fatalf("%d objects restored", len(objects))
			}
			rc, info, err := target.Blobs.Open(ctx, "media/01/file", 0, -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(rc)
			rc.Close()
			if string(body) != strings.Repeat("poster ", 50_000) || info.ContentType != "image/svg+xml" {
				t.Errorf("object restored as %d bytes of %s", len(body), info.ContentType)
			}
			// The target holds data now: a second restore is refused.
			if err := CheckEmpty(ctx, target); !errors.Is(err, ErrNotEmpty) {
				t.Errorf("CheckEmpty after a restore: %v", err)
			}
		})
	}
}

// Each way an archive can be wrong is told apart, and nothing is read
// into a target.
func TestReadRefusesBadArchives(t *testing.T) {
	in := newInstallation(t, 3000)
	plain := archive(t, in, "")
	sealed := archive(t, in, "right passphrase")
	flipped := bytes.Clone(plain)
	flipped[len(flipped)/2] ^= 0x40
	flippedSealed := bytes.Clone(sealed)
	flippedSealed[len(flippedSealed)/2] ^= 0x40
	otherTar := compressedTar(t, map[string]string{"notes.txt": "hello"})
	tests := []struct {
		name string
		data []byte
		pass string
		want error
	}{
		{"empty file", nil, "", ErrTruncated},
		{"cut in its magic", plain[:2], "", ErrTruncated},
		{"cut after the header", plain[:300], "", ErrTruncated},
		{"cut in the middle", plain[:len(plain)/2], "", ErrTruncated},
		{"cut before its end", plain[:len(plain)-10], "", ErrTruncated},
		{"encrypted, cut", sealed[:len(sealed)/2], "right passphrase", ErrTruncated},
		{"encrypted, cut in its header", sealed[:40], "right passphrase", ErrTruncated},
		{"a flipped byte", flipped, "", ErrCorrupt},
		{"encrypted, a flipped byte", flippedSealed, "right passphrase", ErrCorrupt},
		{"no passphrase", sealed, "", ErrNeedPassphrase},
		{"wrong passphrase", sealed, "wrong passphrase", ErrWrongPassphrase},
		{"a PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "", ErrForeign},
		{"a text file", []byte("name,login\nAwa,awa@example.org\n"), "", ErrForeign},
		{"another tar.zst", otherTar, "", ErrForeign},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			visited := 0
			_, err := Read(bytes.NewReader(tt.data), tt.pass, func(string, string, int64, io.Reader) error { visited++; return nil })
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if _, err := Verify(bytes.NewReader(tt.data), tt.pass); !errors.Is(err, tt.want) {
				t.Errorf("Verify: %v, want %v", err, tt.want)
			}
		})
	}
	// A passphrase given for a plain archive is not needed: it reads.
	if _, err := Verify(bytes.NewReader(plain), "any"); err != nil {
		t.Errorf("plain archive with a passphrase: %v", err)
	}
}

func compressedTar(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, tw := newLayers(t, &buf)
	for name, body := range files {
		writeTarFile(t, tw, name, body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A backup that fails half-way leaves no file under the final name and no
// temporary file.
func TestWriteFileFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t, 2000)
	dir := t.TempDir()
	path := filepath.Join(dir, "kalan.tar.zst")
	failing := in.source()
	failing.Database = stopsAfter{Database: in.raw, docs: 1500}
	_, _, err := WriteFile(ctx, path, func(w io.Writer) (*Manifest, error) {
		return Write(ctx, w, failing, Options{Kalan: "test"})
	}, "")
	if err == nil || !strings.Contains(err.Error(), "database went away") {
		t.Fatalf("WriteFile: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
	// The same, whole: it is there, and an existing file is never replaced.
	m, size, err := WriteFile(ctx, path, func(w io.Writer) (*Manifest, error) { return Write(ctx, w, in.source(), Options{Kalan: "test"}) }, "")
	if err != nil || size == 0 || m.Documents() != 2002 {
		t.Fatalf("WriteFile: %v, %d bytes", err, size)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 || info.Size() != size {
		t.Errorf("archive file: %v %v", info, err)
	}
	if _, _, err := WriteFile(ctx, path, func(w io.Writer) (*Manifest, error) { return Write(ctx, w, in.source(), Options{}) }, ""); err == nil {
		t.Error("an existing archive was replaced")
	}
}

// stopsAfter is a database that stops answering after some documents, as
// a database server that goes away during a backup.
type stopsAfter struct {
	Database
	docs int
}

func (s stopsAfter) Each(ctx context.Context, coll string, fn func([]byte) error) error {
	n := 0
	return s.Database.Each(ctx, coll, func(doc []byte) error {
		if n++; n > s.docs {
			return errors.New("database went away")
		}
		return fn(doc)
	})
}

// The scheduler keeps the newest archives, reports failures in its status
// and metrics, and never leaves a half archive.
func TestSchedulerRetentionAndFailures(t *testing.T) {
	ctx := context.Background()
	in := newInstallation(t, 100)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("operator's file"), 0o600)
	clock := time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)
	var fail atomic.Bool
	reg := prometheus.NewRegistry()
	s, err := NewScheduler(Schedule{
		Dir: dir, Every: time.Hour, Keep: 3, Passphrase: "p", Registry: reg,
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return clock },
		Write: func(ctx context.Context, w io.Writer) (*Manifest, error) {
			src := in.source()
			if fail.Load() {
				src.Database = stopsAfter{Database: in.raw, docs: 50}
			}
			return Write(ctx, w, src, Options{Passphrase: "p", Kalan: "test", Now: clock})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		clock = clock.Add(time.Hour)
		if err := s.Once(ctx); err != nil {
			t.Fatal(err)
		}
	}
	list, err := List(dir)
	if err != nil || len(list) != 3 {
		t.Fatalf("%d archives kept (%v), want 3", len(list), err)
	}
	if !list[0].Created.Equal(clock) || !strings.HasSuffix(list[0].Path, ".tar.zst.age") {
		t.Errorf("newest kept: %+v", list[0])
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Error("retention deleted a file that is not an archive")
	}
	st := s.Status()
	if !st.Verified || !st.Checked || st.Size != list[0].Size || !st.Last.Equal(clock) || !st.Failed.IsZero() {
		t.Errorf("status after success: %+v", st)
	}
	if _, err := VerifyFile(list[0].Path, "p"); err != nil {
		t.Errorf("newest archive: %v", err)
	}

	fail.Store(true)
	clock = clock.Add(time.Hour)
	if err := s.Once(ctx); err == nil {
		t.Fatal("a failing backup succeeded")
	}
	if after, _ := List(dir); len(after) != 3 || after[0].Path != list[0].Path {
		t.Errorf("after a failure: %v", after)
	}
	if temps, _ := filepath.Glob(filepath.Join(dir, ".kalan-*")); len(temps) != 0 {
		t.Errorf("temporary files left: %v", temps)
	}
	st = s.Status()
	if st.Failures != 1 || !st.Failed.Equal(clock) || !st.Last.Equal(list[0].Created) {
		t.Errorf("status after a failure: %+v", st)
	}
	if got := testutil.ToFloat64(s.failures); got != 1 {
		t.Errorf("kalan_backup_failures_total = %v", got)
	}
	if n, err := testutil.GatherAndCount(reg, "kalan_backup_age_seconds", "kalan_backup_size_bytes", "kalan_backup_last_success_timestamp_seconds"); err != nil || n != 3 {
		t.Errorf("metrics: %d, %v", n, err)
	}

	// A new scheduler (a restart) finds the newest archive, unchecked.
	again, err := NewScheduler(Schedule{Dir: dir, Every: time.Hour, Keep: 3, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	if st := again.Status(); !st.Last.Equal(list[0].Created) || st.Checked || st.Size != list[0].Size {
		t.Errorf("status at start: %+v", st)
	}
}

// Scheduled runs happen by themselves and stop with the context.
func TestSchedulerRuns(t *testing.T) {
	in := newInstallation(t, 10)
	dir := t.TempDir()
	s, err := NewScheduler(Schedule{Dir: dir, Every: 300 * time.Millisecond, Keep: 2,
		Write: func(ctx context.Context, w io.Writer) (*Manifest, error) {
			return Write(ctx, w, in.source(), Options{Kalan: "test"})
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.Start(ctx)
	deadline := time.Now().Add(20 * time.Second)
	for s.Status().Last.IsZero() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	s.Wait()
	if st := s.Status(); st.Last.IsZero() || !st.Verified {
		t.Fatalf("no scheduled backup: %+v", st)
	}
}
