package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// WriteFile writes an archive at path through a temporary file in the
// same directory, synced and then renamed: a backup that fails half-way
// (a full disk, storage that stops answering) leaves nothing under path.
// Before the rename the temporary file is read back whole and checked
// against its manifest (Verify). An existing path is not replaced.
func WriteFile(ctx context.Context, path string, write func(w io.Writer) (*Manifest, error), passphrase string) (*Manifest, int64, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, 0, fmt.Errorf("backup: %s exists already: choose another name", path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPrefix+"*"+tempSuffix)
	if err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil { // it holds personal data and the signing key
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	m, err := write(f)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Sync(); err != nil {
		return nil, 0, fmt.Errorf("backup: sync %s: %w", tmp, err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	check, err := Verify(f, passphrase)
	if err != nil {
		return nil, 0, fmt.Errorf("backup: the archive written does not read back: %w", err)
	}
	if !check.Created.Equal(m.Created) || len(check.Entries) != len(m.Entries) {
		return nil, 0, fmt.Errorf("backup: the archive written does not read back as written")
	}
	if err := f.Close(); err != nil {
		return nil, 0, fmt.Errorf("backup: %w", err)
	}
	if err := os.Link(tmp, path); err != nil { // unlike Rename, never replaces a file
		// Some file systems (FAT on a USB drive) have no hard links.
		if _, statErr := os.Lstat(path); errors.Is(err, fs.ErrExist) || statErr == nil {
			return nil, 0, fmt.Errorf("backup: %s exists already: choose another name", path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return nil, 0, fmt.Errorf("backup: %w", err)
		}
	}
	done = true
	os.Remove(tmp)
	syncDir(dir)
	return m, size, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// VerifyFile reads an archive file whole and checks it.
func VerifyFile(path, passphrase string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Verify(f, passphrase)
}

// Names of scheduled archives: kalan-20261207T150405Z.tar.zst, with .age
// when encrypted, so that the name says how to open it.
const (
	namePrefix = "kalan-"
	nameTime   = "20060102T150405Z"
	plainExt   = ".tar.zst"
	ageExt     = ".tar.zst.age"
	tempPrefix = ".kalan-backup-"
	tempSuffix = ".tmp"
)

// ArchiveName is the file name of a scheduled archive made at t.
func ArchiveName(t time.Time, encrypted bool) string {
	ext := plainExt
	if encrypted {
		ext = ageExt
	}
	return namePrefix + t.UTC().Format(nameTime) + ext
}

// Archive is a scheduled archive found in the backup directory.
type Archive struct {
	Path    string
	Created time.Time
	Size    int64
}

// List returns the scheduled archives of dir, newest first. Other files
// are not Kalan's to count or delete.
func List(dir string) ([]Archive, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Archive
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, namePrefix)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		if s, ok := strings.CutSuffix(stamp, ageExt); ok {
			stamp = s
		} else if s, ok := strings.CutSuffix(stamp, plainExt); ok {
			stamp = s
		} else {
			continue
		}
		t, err := time.Parse(nameTime, stamp)
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, Archive{Path: filepath.Join(dir, name), Created: t, Size: info.Size()})
	}
	slices.SortFunc(out, func(a, b Archive) int { return b.Created.Compare(a.Created) })
	return out, nil
}

// Prune deletes all but the newest keep archives of dir and returns the
// paths deleted.
func Prune(dir string, keep int) ([]string, error) {
	var deleted []string
	list, err := List(dir)
	if err != nil {
		return deleted, err
	}
	var errs []error
	for i, a := range list {
		if i < keep {
			continue
		}
		if err := os.Remove(a.Path); err != nil {
			errs = append(errs, err)
			continue
		}
		deleted = append(deleted, a.Path)
	}
	return deleted, errors.Join(errs...)
}
