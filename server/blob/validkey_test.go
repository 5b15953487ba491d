package blob_test

import (
	"errors"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/blob"
)

func TestValidKey(t *testing.T) {
	valid := []string{
		"a", "media/ab/abcdef0123456789.mp4", "x.y_z-1", ".hidden", "a/..b", "b../c", "...",
		strings.Repeat("k", 512), strings.Repeat("a/", 255) + "ab",
	}
	for _, key := range valid {
		if err := blob.ValidKey(key); err != nil {
			t.Errorf("ValidKey(%q) = %v, want nil", key, err)
		}
	}
	invalid := []string{
		"", "../x", "/x", "a//b", "A", "x/", "a/./b", "a/..", ".", "..", "./a", "a/.",
		"a b", "a\\b", "a:b", "é", "a\x00b", "a\nb", "%2e%2e", strings.Repeat("k", 513), strings.Repeat("k", 600),
	}
	for _, key := range invalid {
		err := blob.ValidKey(key)
		if !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("ValidKey(%q) = %v, want ErrInvalidKey", key, err)
		}
	}
}

func FuzzValidKey(f *testing.F) {
	for _, seed := range []string{
		"a", "media/ab/c.mp4", "../x", "/x", "a//b", "A", "x/", "", "a/./b", "a/..", "..", ".hidden",
		"a/..b", "a\\..\\b", "a/b/", strings.Repeat("k", 512), strings.Repeat("k", 513),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := blob.ValidKey(key)
		if err != nil {
			if !errors.Is(err, blob.ErrInvalidKey) {
				t.Fatalf("ValidKey(%q) = %v, does not wrap ErrInvalidKey", key, err)
			}
			return
		}
		// What the disk backend relies on when it turns a key into a path.
		if len(key) == 0 || len(key) > blob.MaxKeyLen {
			t.Fatalf("valid key of %d bytes", len(key))
		}
		if strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/") || strings.Contains(key, "//") {
			t.Fatalf("valid key %q has a stray '/'", key)
		}
		for seg := range strings.SplitSeq(key, "/") {
			if seg == ".." || seg == "." {
				t.Fatalf("valid key %q has a %q segment", key, seg)
			}
		}
		if strings.ContainsAny(key, "\\@:") || strings.ToLower(key) != key {
			t.Fatalf("valid key %q has a character outside [a-z0-9._/-]", key)
		}
		if path.Clean(key) != key || !filepath.IsLocal(filepath.FromSlash(key)) {
			t.Fatalf("valid key %q is not a clean local path", key)
		}
	})
}
