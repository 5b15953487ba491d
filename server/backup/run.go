package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/kalan-platform/kalan/server/blob"
)

// Database is a consistent view of a database, read as raw BSON
// documents (store.Raw).
type Database interface {
	Collections(ctx context.Context) ([]string, error)
	Each(ctx context.Context, coll string, fn func(doc []byte) error) error
	Schema(ctx context.Context) (int, error)
}

// Source is what a backup reads.
type Source struct {
	Database Database
	Name     string // of the database, recorded in the manifest
	Blobs    blob.Store
	// SigningKey is the PEM of the certificate signing key; nil when the
	// installation has none yet.
	SigningKey []byte
	// Skip names collections left out (sign-in sessions).
	Skip []string
}

// Options are how an archive is written.
type Options struct {
	Passphrase string // empty: not encrypted
	Kalan      string // version of this release
	Now        time.Time
	// Progress receives a line now and then on long work; nil: none.
	Progress func(line string)
}

// progressEvery is how many documents, or objects, go between two lines
// of progress.
const (
	progressDocs    = 10_000
	progressObjects = 1_000
)

// Write writes one archive of src to w. Documents come from the
// consistent view first; objects are listed and copied after it, and,
// being content-addressed and never rewritten, include every object
// that view refers to (objects added meanwhile come along, unused).
func Write(ctx context.Context, w io.Writer, src Source, opts Options) (*Manifest, error) {
	say := opts.Progress
	if say == nil {
		say = func(string) {}
	}
	schema, err := src.Database.Schema(ctx)
	if err != nil {
		return nil, err
	}
	aw, err := NewWriter(w, opts.Passphrase, opts.Kalan, opts.Now)
	if err != nil {
		return nil, err
	}
	if src.SigningKey != nil {
		if err := aw.SigningKey(src.SigningKey); err != nil {
			return nil, err
		}
	}
	colls, err := src.Database.Collections(ctx)
	if err != nil {
		return nil, err
	}
	var docs int64
	for _, name := range colls {
		if slices.Contains(src.Skip, name) {
			continue
		}
		cw, err := aw.Collection(name)
		if err != nil {
			return nil, err
		}
		err = src.Database.Each(ctx, name, func(doc []byte) error {
			docs++
			if docs%progressDocs == 0 {
				say(fmt.Sprintf("%d documents (%s)", docs, name))
			}
			return cw.Add(doc)
		})
		if err == nil {
			err = cw.Close()
		}
		if err != nil {
			return nil, err
		}
	}
	say(fmt.Sprintf("%d documents in %d collections", docs, len(colls)))
	objects, err := src.Blobs.List(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("backup: list objects: %w", err)
	}
	copied := 0
	for _, info := range objects {
		if strings.HasPrefix(info.Key, blob.ProbePrefix) {
			continue // a health check's object, there for a moment
		}
		rc, full, err := src.Blobs.Open(ctx, info.Key, 0, -1)
		if errors.Is(err, blob.ErrNotFound) {
			continue // deleted since it was listed: nothing refers to it any more
		}
		if err != nil {
			return nil, fmt.Errorf("backup: read object %s: %w", info.Key, err)
		}
		err = aw.Object(info.Key, full.Size, full.ContentType, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if copied++; copied%progressObjects == 0 {
			say(fmt.Sprintf("%d of %d objects", copied, len(objects)))
		}
	}
	say(fmt.Sprintf("%d objects", copied))
	return aw.Close(src.Name, schema)
}

// TargetDatabase is a database a restore writes into (store.Raw).
type TargetDatabase interface {
	Collections(ctx context.Context) ([]string, error)
	Count(ctx context.Context, coll string) (int64, error)
	Insert(ctx context.Context, coll string, docs [][]byte) error
	Clear(ctx context.Context, coll string) error
}

// Target is where a restore writes.
type Target struct {
	Database TargetDatabase
	Blobs    blob.Store
	// Skip names collections not restored (sign-in sessions: a restore
	// ends every session).
	Skip []string
	// Replace names collections whose documents do not make a database
	// non-empty, replaced by the archive's (the schema version).
	Replace []string
}

// CheckEmpty returns an error wrapping ErrNotEmpty that says what the
// target holds, or nil.
func CheckEmpty(ctx context.Context, t Target) error {
	colls, err := t.Database.Collections(ctx)
	if err != nil {
		return err
	}
	var docs int64
	var where []string
	for _, c := range colls {
		if slices.Contains(t.Replace, c) {
			continue
		}
		n, err := t.Database.Count(ctx, c)
		if err != nil {
			return err
		}
		if n > 0 {
			docs += n
			where = append(where, c)
		}
	}
	listed, err := t.Blobs.List(ctx, "")
	if err != nil {
		return fmt.Errorf("backup: list objects: %w", err)
	}
	var objects []blob.Info
	for _, info := range listed {
		if !strings.HasPrefix(info.Key, blob.ProbePrefix) { // a health check's object, there for a moment
			objects = append(objects, info)
		}
	}
	switch {
	case docs > 0 && len(objects) > 0:
		return fmt.Errorf("%w: the database holds %d documents (in %v) and object storage %d objects", ErrNotEmpty, docs, where, len(objects))
	case docs > 0:
		return fmt.Errorf("%w: the database holds %d documents (in %v)", ErrNotEmpty, docs, where)
	case len(objects) > 0:
		return fmt.Errorf("%w: object storage holds %d objects", ErrNotEmpty, len(objects))
	}
	return nil
}

// insertBatch bounds a write to the database: FerretDB inserts 1,000
// small documents in about 50 ms; 8 MB stays far below MongoDB's 48 MB
// message.
const (
	insertDocs  = 1000
	insertBytes = 8 << 20
)

// Restore writes the archive read from r, which Verify accepted with the
// manifest m, into t, and returns the archive's signing key (nil when it
// has none). The target must be empty (CheckEmpty): on an error half-way
// it holds part of the archive.
func Restore(ctx context.Context, r io.Reader, passphrase string, m *Manifest, t Target, progress func(string)) ([]byte, error) {
	say := progress
	if say == nil {
		say = func(string) {}
	}
	types := map[string]string{}
	for _, e := range m.Entries {
		if e.ContentType != "" {
			types[e.Name] = e.ContentType
		}
	}
	for _, c := range t.Replace {
		if err := t.Database.Clear(ctx, c); err != nil {
			return nil, err
		}
	}
	var key []byte
	var docs int64
	objects := 0
	total := m.Documents()
	again, err := Read(r, passphrase, func(kind, arg string, size int64, body io.Reader) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch kind {
		case "key":
			k, err := io.ReadAll(body)
			key = k
			return err
		case "blob":
			if _, err := t.Blobs.Put(ctx, arg, body, size, types[blobPrefix+arg]); err != nil {
				return fmt.Errorf("backup: restore object %s: %w", arg, err)
			}
			if objects++; objects%progressObjects == 0 {
				say(fmt.Sprintf("%d of %d objects", objects, m.Objects))
			}
			return nil
		case "db":
			if slices.Contains(t.Skip, arg) {
				return nil
			}
			var batch [][]byte
			bytes := 0
			flush := func() error {
				if len(batch) == 0 {
					return nil
				}
				err := t.Database.Insert(ctx, arg, batch)
				batch, bytes = batch[:0], 0
				return err
			}
			err := EachDocument(body, size, func(doc []byte) error {
				batch = append(batch, doc)
				bytes += len(doc)
				if docs++; docs%progressDocs == 0 {
					say(fmt.Sprintf("%d of %d documents", docs, total))
				}
				if len(batch) >= insertDocs || bytes >= insertBytes {
					return flush()
				}
				return nil
			})
			if err != nil {
				return err
			}
			return flush()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !again.Created.Equal(m.Created) || len(again.Entries) != len(m.Entries) {
		return nil, fmt.Errorf("%w: the file changed between its check and its restore", ErrCorrupt)
	}
	say(fmt.Sprintf("%d documents and %d objects restored", docs, objects))
	return key, nil
}
