package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/blob"
)

// Outcome says what an import did with one course.
type Outcome string

// Outcomes of an import.
const (
	Published Outcome = "published" // a new version was written and published
	Unchanged Outcome = "unchanged" // the published version has the same files
)

// Result is the outcome of importing one course.
type Result struct {
	Slug     string
	Version  int
	Outcome  Outcome
	Uploaded int // media files uploaded (the others were already stored)
}

// Importer writes course versions and their media.
type Importer struct {
	store Store
	blobs blob.Store
	now   func() time.Time
	// Progress, when set, hears about each step, for the command line.
	Progress func(format string, args ...any)
}

// NewImporter returns an importer writing to store and blobs.
func NewImporter(store Store, blobs blob.Store) *Importer {
	return &Importer{store: store, blobs: blobs, now: time.Now}
}

// Import publishes a new version of each course whose files changed. fsys
// holds the course folders, each named by its slug. The courses must have
// passed courses.Load without problems. Each course is imported on its own:
// media and the other files first (content-addressed, so a retry re-uses
// them), then the version, then the published pointer, so an interruption leaves at worst
// unused media and an unpublished version that the next import re-uses.
func (im *Importer) Import(ctx context.Context, fsys fs.FS, list []*courses.Course) ([]Result, error) {
	published, err := im.store.Published(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalog: import: %w", err)
	}
	current := map[string]Pointer{}
	for _, p := range published {
		current[p.Slug] = p
	}
	var results []Result
	for _, c := range list {
		if p, ok := current[c.Slug]; ok && p.Hash == c.Hash {
			v, err := im.store.Version(ctx, p.VersionID)
			if err == nil && len(v.Def.Files) == 0 {
				// Imported before Kalan kept course files: keep them now.
				err = im.keepFiles(ctx, fsys, c, v.ID)
			}
			if err != nil {
				return results, fmt.Errorf("catalog: import %s: %w", c.Slug, err)
			}
			results = append(results, Result{Slug: c.Slug, Version: v.Number, Outcome: Unchanged})
			im.progress("%s: unchanged (version %d)", c.Slug, v.Number)
			continue
		}
		r, err := im.importOne(ctx, fsys, c, "")
		if err != nil {
			return results, fmt.Errorf("catalog: import %s: %w", c.Slug, err)
		}
		results = append(results, r)
	}
	return results, nil
}

// ErrPublishedMeanwhile: another version of the course was published since
// the one an ImportOver started from; nothing was published.
var ErrPublishedMeanwhile = errors.New("catalog: another version was published meanwhile")

// ImportOver imports c as Import does, but publishes it only if the
// course still points at the version base: an edit of base must not undo
// a version published meanwhile. The version written stays, unpublished,
// when it returns ErrPublishedMeanwhile; the same files publish it later.
func (im *Importer) ImportOver(ctx context.Context, fsys fs.FS, c *courses.Course, base string) (Result, error) {
	return im.importOne(ctx, fsys, c, base)
}

// importOne imports c and publishes it: over the version base when base
// is not "".
func (im *Importer) importOne(ctx context.Context, fsys fs.FS, c *courses.Course, base string) (Result, error) {
	r := Result{Slug: c.Slug, Outcome: Published}
	for i, m := range c.Media {
		uploaded, err := im.putMedia(ctx, fsys, c.Slug, m)
		if err != nil {
			return r, err
		}
		if uploaded {
			r.Uploaded++
			im.progress("%s: media %d/%d uploaded: %s (%d KB)", c.Slug, i+1, len(c.Media), m.Path, (m.Size+1023)/1024)
		}
	}
	if err := im.putSources(ctx, fsys, c); err != nil {
		return r, err
	}
	v, err := im.store.VersionByHash(ctx, c.Slug, c.Hash)
	if err == nil && len(v.Def.Files) == 0 {
		err = im.store.KeepFiles(ctx, v.ID, c.Files)
	}
	if errors.Is(err, ErrNotFound) {
		v, err = im.store.CreateVersion(ctx, c, im.now())
	}
	if err != nil {
		return r, err
	}
	if base == "" {
		err = im.store.Publish(ctx, v, im.now())
	} else if ok, perr := im.store.PublishOver(ctx, v, base, im.now()); perr != nil || !ok {
		err = perr
		if err == nil {
			err = ErrPublishedMeanwhile
		}
	}
	if err != nil {
		return r, err
	}
	r.Version = v.Number
	im.progress("%s: published version %d", c.Slug, v.Number)
	return r, nil
}

// putMedia uploads one media file unless it is already stored. It checks
// the bytes against the hash taken at check time: a file edited in between
// would otherwise be stored under another file's key.
func (im *Importer) putMedia(ctx context.Context, fsys fs.FS, slug string, m courses.Media) (bool, error) {
	key := MediaKey(m.SHA256)
	if _, err := im.blobs.Stat(ctx, key); err == nil {
		return false, nil
	} else if !errors.Is(err, blob.ErrNotFound) {
		return false, err
	}
	f, err := fsys.Open(path.Join(slug, m.Path))
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := im.blobs.Put(ctx, key, io.TeeReader(f, h), m.Size, m.ContentType); err != nil {
		return false, fmt.Errorf("media %s: %w", m.Path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		_ = im.blobs.Delete(ctx, key)
		return false, fmt.Errorf("media %s changed during the import; run it again", m.Path)
	}
	return true, nil
}

// keepFiles keeps the files of c, the course of version id, and lists
// them on the version.
func (im *Importer) keepFiles(ctx context.Context, fsys fs.FS, c *courses.Course, id string) error {
	for _, m := range c.Media {
		if _, err := im.putMedia(ctx, fsys, c.Slug, m); err != nil {
			return err
		}
	}
	if err := im.putSources(ctx, fsys, c); err != nil {
		return err
	}
	return im.store.KeepFiles(ctx, id, c.Files)
}

func (im *Importer) progress(format string, args ...any) {
	if im.Progress != nil {
		im.Progress(format, args...)
	}
}
