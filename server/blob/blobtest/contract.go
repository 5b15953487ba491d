// Package blobtest is the behaviour every blob.Store must have, run by
// the tests of each backend (the directory, S3).
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/blob"
)

// RunContract is the behaviour every Store must have. newStore returns an
// empty store owned by the (sub)test it is given.
func RunContract(t *testing.T, newStore func(t *testing.T) blob.Store) {
	t.Run("round trip keeps content and type", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx := t.Context()
		const ct = "text/plain; charset=utf-8"
		data := []byte("i ni ce, hello world")
		put := MustPut(t, s, "media/greeting.txt", data, int64(len(data)), ct)
		if put.Key != "media/greeting.txt" || put.Size != int64(len(data)) || put.ContentType != ct {
			t.Errorf("Put info = %+v, want key, size %d, type %q", put, len(data), ct)
		}
		checkETag(t, put.ETag)
		if d := time.Since(put.ModTime); put.ModTime.IsZero() || d < -time.Minute || d > time.Minute {
			t.Errorf("Put ModTime = %v, want about now", put.ModTime)
		}
		st, err := s.Stat(ctx, "media/greeting.txt")
		if err != nil {
			t.Fatalf("Stat: %v", err)
		}
		sameInfo(t, "Stat", st, put)
		got, info := MustRead(t, s, "media/greeting.txt", 0, -1)
		if !bytes.Equal(got, data) {
			t.Errorf("Open read %q, want %q", got, data)
		}
		sameInfo(t, "Open", info, put)
	})

	t.Run("empty content type is stored as octet-stream", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		MustPut(t, s, "bin", []byte{1, 2, 3}, 3, "")
		st, err := s.Stat(t.Context(), "bin")
		if err != nil {
			t.Fatalf("Stat: %v", err)
		}
		if st.ContentType != "application/octet-stream" {
			t.Errorf("ContentType = %q, want application/octet-stream", st.ContentType)
		}
	})

	t.Run("empty object", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		put := MustPut(t, s, "empty", nil, 0, "text/plain")
		if put.Size != 0 {
			t.Errorf("Put size = %d, want 0", put.Size)
		}
		for _, length := range []int64{-1, 0} {
			got, info := MustRead(t, s, "empty", 0, length)
			if len(got) != 0 || info.Size != 0 {
				t.Errorf("Open(0, %d) = %q, size %d; want empty", length, got, info.Size)
			}
		}
		if _, _, err := s.Open(t.Context(), "empty", 1, -1); !errors.Is(err, blob.ErrInvalidRange) {
			t.Errorf("Open(1, -1) error = %v, want ErrInvalidRange", err)
		}
	})

	t.Run("overwrite changes content and etag", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		first := MustPut(t, s, "doc", []byte("version one"), -1, "text/plain")
		second := MustPut(t, s, "doc", []byte("version two, longer"), -1, "text/markdown")
		if first.ETag == second.ETag {
			t.Errorf("ETag unchanged after overwrite: %q", first.ETag)
		}
		got, info := MustRead(t, s, "doc", 0, -1)
		if string(got) != "version two, longer" {
			t.Errorf("content after overwrite = %q", got)
		}
		sameInfo(t, "Open after overwrite", info, second)
	})

	t.Run("same content same etag", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		data := []byte("the same bytes")
		a := MustPut(t, s, "a", data, int64(len(data)), "text/plain")
		b := MustPut(t, s, "b", data, int64(len(data)), "text/plain")
		// An unknown size must not change the ETag either: media is
		// uploaded both ways.
		c := MustPut(t, s, "c", data, -1, "text/plain")
		if a.ETag != b.ETag || a.ETag != c.ETag {
			t.Errorf("ETags differ for the same content: %q %q %q", a.ETag, b.ETag, c.ETag)
		}
		d := MustPut(t, s, "d", []byte("other bytes"), -1, "text/plain")
		if d.ETag == a.ETag {
			t.Errorf("different content, same ETag %q", d.ETag)
		}
	})

	t.Run("ranges", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		const data = "0123456789abcdef"
		put := MustPut(t, s, "r", []byte(data), int64(len(data)), "text/plain")
		ok := []struct {
			offset, length int64
			want           string
		}{
			{0, -1, data},
			{0, 16, data},
			{0, 4, "0123"},
			{0, 1, "0"},
			{5, 3, "567"},
			{10, -1, "abcdef"},
			{12, 4, "cdef"}, // exactly to the end
			{15, 1, "f"},
			{15, -1, "f"},
			// offset == size reads nothing: allowed, so that a client
			// resuming a complete download gets an empty body.
			{16, 0, ""},
			{16, -1, ""},
			{3, 0, ""},
		}
		for _, tc := range ok {
			got, info := MustRead(t, s, "r", tc.offset, tc.length)
			if string(got) != tc.want {
				t.Errorf("Open(%d, %d) = %q, want %q", tc.offset, tc.length, got, tc.want)
			}
			// Info describes the object, not the range.
			sameInfo(t, fmt.Sprintf("Open(%d, %d)", tc.offset, tc.length), info, put)
		}
		bad := []struct{ offset, length int64 }{
			{17, -1}, {17, 0}, {100, 4}, // offset past the end
			{16, 1}, {12, 5}, {0, 17}, // length past the end
			{-1, 1}, {0, -2}, // nonsense
			{1, 1<<63 - 1}, // overflow
		}
		for _, tc := range bad {
			rc, _, err := s.Open(t.Context(), "r", tc.offset, tc.length)
			if !errors.Is(err, blob.ErrInvalidRange) {
				t.Errorf("Open(%d, %d) error = %v, want ErrInvalidRange", tc.offset, tc.length, err)
			}
			if rc != nil {
				_ = rc.Close()
			}
		}
	})

	t.Run("missing key is not found", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		MustPut(t, s, "here/a", []byte("x"), 1, "text/plain")
		for _, key := range []string{"missing", "here", "here/a/b", "here/b"} {
			if _, err := s.Stat(t.Context(), key); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("Stat(%q) error = %v, want ErrNotFound", key, err)
			}
			if _, _, err := s.Open(t.Context(), key, 0, -1); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("Open(%q) error = %v, want ErrNotFound", key, err)
			}
		}
		if _, _, err := s.Open(t.Context(), "missing", 0, 0); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open(missing, 0, 0) error = %v, want ErrNotFound", err)
		}
	})

	t.Run("delete is idempotent", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx := t.Context()
		if err := s.Delete(ctx, "never/was"); err != nil {
			t.Errorf("Delete(missing) = %v, want nil", err)
		}
		MustPut(t, s, "gone", []byte("x"), 1, "text/plain")
		for i := range 2 {
			if err := s.Delete(ctx, "gone"); err != nil {
				t.Errorf("Delete #%d = %v", i+1, err)
			}
		}
		if _, err := s.Stat(ctx, "gone"); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Stat after Delete error = %v, want ErrNotFound", err)
		}
	})

	t.Run("list by prefix, sorted", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		// No key is a folder of another ("course" beside "course/a/1"):
		// MinIO would hide the folder's content from List.
		keys := []string{"course/b/2", "course/a/10", "course/a/2", "course/a/1", "course-x/1", "other/1", "courses"}
		for _, k := range keys {
			MustPut(t, s, k, []byte("content of "+k), -1, "text/x-"+strings.ReplaceAll(k, "/", "."))
		}
		cases := []struct {
			prefix string
			want   []string
		}{
			{"", []string{"course-x/1", "course/a/1", "course/a/10", "course/a/2", "course/b/2", "courses", "other/1"}},
			{"course/", []string{"course/a/1", "course/a/10", "course/a/2", "course/b/2"}},
			{"course/a", []string{"course/a/1", "course/a/10", "course/a/2"}},
			{"course/a/1", []string{"course/a/1", "course/a/10"}},
			{"course", []string{"course-x/1", "course/a/1", "course/a/10", "course/a/2", "course/b/2", "courses"}},
			{"cou", []string{"course-x/1", "course/a/1", "course/a/10", "course/a/2", "course/b/2", "courses"}},
			{"courses", []string{"courses"}},
			{"nothing/", nil},
			{"course/c", nil},
			{"other/1/", nil},
		}
		for _, tc := range cases {
			list, err := s.List(t.Context(), tc.prefix)
			if err != nil {
				t.Fatalf("List(%q): %v", tc.prefix, err)
			}
			var got []string
			for _, info := range list {
				got = append(got, info.Key)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("List(%q) = %q, want %q", tc.prefix, got, tc.want)
			}
		}
		list, err := s.List(t.Context(), "course/a/")
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		for _, info := range list {
			st, err := s.Stat(t.Context(), info.Key)
			if err != nil {
				t.Fatalf("Stat(%q): %v", info.Key, err)
			}
			sameInfo(t, "List "+info.Key, info, st)
		}
	})

	t.Run("invalid keys are rejected everywhere", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx := t.Context()
		bad := []string{"../x", "/x", "a//b", "A", "x/", "", "a/./b", "a/..", "..", ".", "a b", "a\\b", "é", strings.Repeat("k", 600)}
		for _, key := range bad {
			if _, err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain"); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Put(%q) error = %v, want ErrInvalidKey", key, err)
			}
			if _, _, err := s.Open(ctx, key, 0, -1); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Open(%q) error = %v, want ErrInvalidKey", key, err)
			}
			if _, err := s.Stat(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Stat(%q) error = %v, want ErrInvalidKey", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("Delete(%q) error = %v, want ErrInvalidKey", key, err)
			}
			// "" and "x/" are fine prefixes; the rest are not.
			if key == "" || key == "x/" {
				continue
			}
			if _, err := s.List(ctx, key); !errors.Is(err, blob.ErrInvalidKey) {
				t.Errorf("List(%q) error = %v, want ErrInvalidKey", key, err)
			}
		}
		if _, err := s.List(ctx, "x//"); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("List(x//) error = %v, want ErrInvalidKey", err)
		}
		list, err := s.List(ctx, "")
		if err != nil || len(list) != 0 {
			t.Errorf("after rejected Puts List = %v, %v; want empty", list, err)
		}
	})

	t.Run("failing reader stores nothing", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx := t.Context()
		old := MustPut(t, s, "kept", []byte("previous version"), -1, "text/plain")
		cases := []struct {
			name       string
			good, size int64
		}{
			{"small unknown size", 1000, -1},
			{"small known size", 1000, 2000},
			// Past one part on S3: the multipart upload must be aborted.
			{"large unknown size", 10 << 20, -1},
			{"large known size", 10 << 20, 12 << 20},
		}
		for _, tc := range cases {
			for _, key := range []string{"kept", "fresh"} {
				r := io.MultiReader(patternReader(1, tc.good), errReader{})
				_, err := s.Put(ctx, key, r, tc.size, "text/plain")
				if !errors.Is(err, errBoom) {
					t.Errorf("%s: Put(%q) error = %v, want the reader's error", tc.name, key, err)
				}
			}
			if _, err := s.Stat(ctx, "fresh"); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("%s: Stat(fresh) error = %v, want ErrNotFound", tc.name, err)
			}
			got, info := MustRead(t, s, "kept", 0, -1)
			if string(got) != "previous version" {
				t.Errorf("%s: kept = %q, want the previous version", tc.name, got)
			}
			sameInfo(t, tc.name+": kept", info, old)
		}
		AssertKeys(t, s, "", "kept")
	})

	t.Run("size mismatch stores nothing", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx := t.Context()
		old := MustPut(t, s, "kept", []byte("previous version"), -1, "text/plain")
		cases := []struct {
			name             string
			actual, declared int64
		}{
			{"short", 5, 10},
			{"long", 10, 5},
			{"empty but declared", 0, 3},
			{"declared empty", 3, 0},
			{"large short", 10 << 20, 11 << 20},
			{"large long", 10 << 20, 9 << 20},
			{"one byte long", 1 << 20, 1<<20 - 1},
		}
		for _, tc := range cases {
			for _, key := range []string{"kept", "fresh"} {
				_, err := s.Put(ctx, key, patternReader(2, tc.actual), tc.declared, "text/plain")
				if !errors.Is(err, blob.ErrSizeMismatch) {
					t.Errorf("%s: Put(%q) error = %v, want ErrSizeMismatch", tc.name, key, err)
				}
			}
			if _, err := s.Stat(ctx, "fresh"); !errors.Is(err, blob.ErrNotFound) {
				t.Errorf("%s: Stat(fresh) error = %v, want ErrNotFound", tc.name, err)
			}
			if got, _ := MustRead(t, s, "kept", 0, -1); string(got) != "previous version" {
				t.Errorf("%s: kept = %q, want the previous version", tc.name, got)
			}
		}
		st, err := s.Stat(ctx, "kept")
		if err != nil {
			t.Fatalf("Stat(kept): %v", err)
		}
		sameInfo(t, "kept", st, old)
		AssertKeys(t, s, "", "kept")
	})

	t.Run("cancelled context stores nothing", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := s.Put(ctx, "cancelled", strings.NewReader("x"), 1, "text/plain"); err == nil {
			t.Errorf("Put with a cancelled context succeeded")
		}
		AssertKeys(t, s, "")
	})

	t.Run("unknown size", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		data := []byte("streamed without a length")
		put := MustPut(t, s, "stream", data, -1, "text/plain")
		if put.Size != int64(len(data)) {
			t.Errorf("Put size = %d, want %d", put.Size, len(data))
		}
		if got, _ := MustRead(t, s, "stream", 0, -1); !bytes.Equal(got, data) {
			t.Errorf("content = %q", got)
		}
	})

	t.Run("concurrent puts leave one complete object", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		const n = 8
		contents := make([][]byte, n)
		for i := range contents {
			contents[i] = bytes.Repeat([]byte{byte('a' + i)}, 1000+i*357)
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				size := int64(len(contents[i]))
				if i%2 == 1 {
					size = -1
				}
				_, errs[i] = s.Put(t.Context(), "contended", bytes.NewReader(contents[i]), size, "text/plain")
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Put #%d: %v", i, err)
			}
		}
		got, info := MustRead(t, s, "contended", 0, -1)
		i := slices.IndexFunc(contents, func(c []byte) bool { return bytes.Equal(c, got) })
		if i < 0 {
			t.Fatalf("content after concurrent Puts is none of them (%d bytes)", len(got))
		}
		ref := MustPut(t, s, "reference", contents[i], -1, "text/plain")
		if info.Size != ref.Size || info.ETag != ref.ETag {
			t.Errorf("info %+v does not describe the content that won (%+v)", info, ref)
		}
		AssertKeys(t, s, "", "contended", "reference")
	})

	t.Run("5 MiB of unknown size", func(t *testing.T) {
		t.Parallel()
		roundTripLarge(t, newStore(t), 5<<20)
	})

	t.Run("20 MiB of unknown size", func(t *testing.T) {
		t.Parallel()
		s := newStore(t)
		const size = 20 << 20
		put := roundTripLarge(t, s, size)
		// Across the 8 MiB part boundary of the S3 backend.
		for _, r := range [][2]int64{{8<<20 - 10, 20}, {16<<20 - 1, 2}, {size - 5, -1}} {
			got, _ := MustRead(t, s, "large", r[0], r[1])
			want := patternSlice(3, size, r[0], r[1])
			if !bytes.Equal(got, want) {
				t.Errorf("Open(%d, %d) = %x, want %x", r[0], r[1], got, want)
			}
		}
		// A known size must give the same ETag as the unknown size did.
		known, err := s.Put(t.Context(), "large-known", patternReader(3, size), size, "application/octet-stream")
		if err != nil {
			t.Fatalf("Put with known size: %v", err)
		}
		if known.ETag != put.ETag {
			t.Errorf("ETag with known size %q, with unknown size %q", known.ETag, put.ETag)
		}
	})
}

// roundTripLarge streams size pseudo-random bytes in with an unknown size and
// compares what comes back by hash, without holding the object in memory.
func roundTripLarge(t *testing.T, s blob.Store, size int64) blob.Info {
	t.Helper()
	ctx := t.Context()
	put, err := s.Put(ctx, "large", patternReader(3, size), -1, "application/octet-stream")
	if err != nil {
		t.Fatalf("Put %d bytes: %v", size, err)
	}
	if put.Size != size {
		t.Errorf("Put size = %d, want %d", put.Size, size)
	}
	rc, info, err := s.Open(ctx, "large", 0, -1)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rc.Close()
	sameInfo(t, "Open", info, put)
	got := sha256.New()
	n, err := io.Copy(got, rc)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	want := sha256.New()
	if _, err := io.Copy(want, patternReader(3, size)); err != nil {
		t.Fatal(err)
	}
	if n != size || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
		t.Errorf("read back %d bytes that differ from the %d put", n, size)
	}
	return put
}

// patternReader yields n pseudo-random bytes, the same for the same seed.
func patternReader(seed byte, n int64) io.Reader {
	var key [32]byte
	key[0] = seed
	return io.LimitReader(rand.NewChaCha8(key), n)
}

// patternSlice returns bytes [offset, offset+length) of patternReader(seed,
// size); length -1 means to the end.
func patternSlice(seed byte, size, offset, length int64) []byte {
	if length < 0 {
		length = size - offset
	}
	r := patternReader(seed, size)
	if _, err := io.CopyN(io.Discard, r, offset); err != nil {
		panic(err)
	}
	b := make([]byte, length)
	if _, err := io.ReadFull(r, b); err != nil {
		panic(err)
	}
	return b
}

var errBoom = errors.New("reader broke half-way")

// errReader fails, like a client that disconnects mid-upload.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBoom }

func MustPut(t *testing.T, s blob.Store, key string, data []byte, size int64, ct string) blob.Info {
	t.Helper()
	info, err := s.Put(t.Context(), key, bytes.NewReader(data), size, ct)
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

func MustRead(t *testing.T, s blob.Store, key string, offset, length int64) ([]byte, blob.Info) {
	t.Helper()
	rc, info, err := s.Open(t.Context(), key, offset, length)
	if err != nil {
		t.Fatalf("Open(%q, %d, %d): %v", key, offset, length, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return b, info
}

// sameInfo compares what must agree between Put, Stat, Open and List.
// ModTime is left out: S3 reports it with second precision in headers and
// millisecond precision in listings.
func sameInfo(t *testing.T, what string, got, want blob.Info) {
	t.Helper()
	if got.Key != want.Key || got.Size != want.Size || got.ContentType != want.ContentType || got.ETag != want.ETag {
		t.Errorf("%s info = {%q %d %q %q}, want {%q %d %q %q}", what,
			got.Key, got.Size, got.ContentType, got.ETag, want.Key, want.Size, want.ContentType, want.ETag)
	}
	if got.ModTime.IsZero() {
		t.Errorf("%s info has no ModTime", what)
	}
}

func checkETag(t *testing.T, etag string) {
	t.Helper()
	if etag == "" || strings.ContainsAny(etag, `" `) {
		t.Errorf("ETag %q: want non-empty, without quotes", etag)
	}
}

func AssertKeys(t *testing.T, s blob.Store, prefix string, want ...string) {
	t.Helper()
	list, err := s.List(t.Context(), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	var got []string
	for _, info := range list {
		got = append(got, info.Key)
	}
	if !slices.Equal(got, want) {
		t.Errorf("List(%q) = %q, want %q", prefix, got, want)
	}
}
