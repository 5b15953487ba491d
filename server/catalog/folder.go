package catalog

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/blob"
)

// ErrNoFiles is returned for a version imported before Kalan kept the
// files a course is made of: `kalan courses import` of the same folder
// keeps them.
var ErrNoFiles = errors.New("catalog: the files of this version were not kept")

// SourceKey is the object-storage key of a course file that is not a
// media file (course.yaml, quiz.yaml, a lesson's Markdown), by content
// hash. They are kept so that a version can be exported, and edited into
// the next one, as the very files it was imported from; /media does not
// serve them.
func SourceKey(sha256 string) string { return "course-files/" + sha256 }

// Folder is a course folder in memory: its files by course-relative path
// ("lessons/indicators.bm.md").
type Folder map[string][]byte

// FS is the folder as the folder slug of a file system, as courses.Load
// reads a course. fstest.MapFS is the standard library's in-memory file
// system; it answers Lstat, which the loader uses to refuse links.
func (f Folder) FS(slug string) fs.FS {
	m := fstest.MapFS{}
	for p, data := range f {
		m[path.Join(slug, p)] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return m
}

// Folder reads the files of version v back from object storage. A file
// whose bytes no longer match its hash is an error, never exported.
func (im *Importer) Folder(ctx context.Context, v *Version) (Folder, error) {
	if len(v.Def.Files) == 0 {
		return nil, ErrNoFiles
	}
	out := Folder{}
	for _, f := range v.Def.Files {
		data, err := im.read(ctx, fileKey(v.Def, f))
		if err != nil {
			return nil, fmt.Errorf("catalog: %s: %s: %w", v.ID, f.Path, err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
			return nil, fmt.Errorf("catalog: %s: %s: stored bytes do not match the version", v.ID, f.Path)
		}
		out[f.Path] = data
	}
	return out, nil
}

func (im *Importer) read(ctx context.Context, key string) ([]byte, error) {
	r, _, err := im.blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// fileKey is where a file of course c is kept: media under MediaKey, the
// others under SourceKey.
func fileKey(c *courses.Course, f courses.File) string {
	if _, ok := c.MediaByPath(f.Path); ok {
		return MediaKey(f.SHA256)
	}
	return SourceKey(f.SHA256)
}

// putSources keeps the files of c that are not media (those went to
// MediaKey), unless they are kept already. Bytes are checked against the
// hash taken when the course was checked.
func (im *Importer) putSources(ctx context.Context, fsys fs.FS, c *courses.Course) error {
	for _, f := range c.Files {
		if _, media := c.MediaByPath(f.Path); media {
			continue
		}
		key := SourceKey(f.SHA256)
		if _, err := im.blobs.Stat(ctx, key); err == nil {
			continue
		} else if !errors.Is(err, blob.ErrNotFound) {
			return err
		}
		data, err := fs.ReadFile(fsys, path.Join(c.Slug, f.Path))
		if err != nil {
			return err
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
			return fmt.Errorf("%s changed during the import; run it again", f.Path)
		}
		if _, err := im.blobs.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "application/octet-stream"); err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	return nil
}

// WriteZip writes f as the zip of a course folder named slug, files in
// path order, each dated at: the same folder gives the same bytes.
// Recordings and images are stored as they are (compressing them again
// gains nothing); text is deflated.
func WriteZip(w io.Writer, slug string, f Folder, at time.Time) error {
	z := zip.NewWriter(w)
	for _, p := range slices.Sorted(maps.Keys(f)) {
		method := zip.Store
		switch strings.ToLower(path.Ext(p)) {
		case ".md", ".yaml", ".yml", ".svg", ".txt":
			method = zip.Deflate
		}
		hw, err := z.CreateHeader(&zip.FileHeader{Name: path.Join(slug, p), Method: method, Modified: at.UTC()})
		if err != nil {
			return err
		}
		if _, err := hw.Write(f[p]); err != nil {
			return err
		}
	}
	return z.Close()
}

// Version reads version id from the database, with the list of its files
// (the catalog in memory may predate KeepFiles).
func (im *Importer) Version(ctx context.Context, id string) (*Version, error) {
	return im.store.Version(ctx, id)
}

// Export writes version id as the zip of its course folder (WriteZip),
// dated at the version's creation.
func (im *Importer) Export(ctx context.Context, w io.Writer, id string) error {
	v, err := im.store.Version(ctx, id)
	if err != nil {
		return err
	}
	f, err := im.Folder(ctx, v)
	if err != nil {
		return err
	}
	return WriteZip(w, v.Def.Slug, f, v.CreatedAt)
}
