package genfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWholeAndLeavesNoTemporary(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.bin")
	for _, body := range []string{"first, longer content", "second"} {
		if err := Write(name, []byte(body)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(name); string(got) != body {
			t.Fatalf("file holds %q, want %q", got, body)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1 (a temporary left behind)", len(entries))
	}
	if err := Write(filepath.Join(dir, "missing", "x"), []byte("x")); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

func TestRepoRootFromASubfolder(t *testing.T) {
	root, err := RepoRoot() // the test runs in internal/genfile
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "courses", "README.md")); err != nil {
		t.Errorf("root %s is not the repository's: %v", root, err)
	}
}
