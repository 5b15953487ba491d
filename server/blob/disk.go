package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Disk layout under the root directory:
//
//	objects/<segments of the key>@   one file per object: header + content
//	tmp/put-*                        Puts in flight, never listed
//
// The "@" suffix cannot occur in a key segment, so the object "a" (file
// "a@") and the object "a/b" (directory "a") never collide.
//
// Each object file starts with a fixed-size JSON header (size, content type,
// sha256) followed by the content. Keeping the metadata inside the one file
// makes the rename of that file the single commit point: a sidecar written
// before the data rename can pair new metadata with old data when two Puts
// race or the process dies between the two renames.
const (
	objectsDir   = "objects"
	tmpDir       = "tmp"
	objectSuffix = "@"
	headerSize   = 1024
	headerFormat = 1
	// staleTemp is how old a file in tmp/ must be before NewDisk removes it
	// as the leftover of a crashed Put; younger ones may belong to another
	// process sharing the directory.
	staleTemp = time.Hour
)

// Disk is a Store that keeps objects as files under a directory: the
// embedded default when no MinIO is configured.
type Disk struct {
	objects string
	tmp     string
}

var _ Store = (*Disk)(nil)

// diskHeader is the JSON at the start of every object file.
type diskHeader struct {
	Format      int    `json:"kalan_blob"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
}

// NewDisk stores objects as files under dir, creating it if missing.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("blob: disk: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: disk %q: %w", dir, err)
	}
	d := &Disk{
		objects: filepath.Join(abs, objectsDir),
		tmp:     filepath.Join(abs, tmpDir),
	}
	for _, p := range []string{d.objects, d.tmp} {
		if err := os.MkdirAll(p, 0o750); err != nil {
			return nil, fmt.Errorf("blob: disk %q: %w", dir, err)
		}
	}
	d.removeStaleTemps(time.Now().Add(-staleTemp))
	return d, nil
}

// removeStaleTemps deletes leftovers of Puts that died before their rename.
// Best effort: a leftover only costs disk space.
func (d *Disk) removeStaleTemps(before time.Time) {
	entries, err := os.ReadDir(d.tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(before) {
			_ = os.Remove(filepath.Join(d.tmp, e.Name()))
		}
	}
}

// path maps a ValidKey-checked key to its object file.
func (d *Disk) path(key string) string {
	return filepath.Join(d.objects, filepath.FromSlash(key)+objectSuffix)
}

// Put implements Store.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error) {
	ct, err := CheckPut(key, size, contentType)
	if err != nil {
		return Info{}, err
	}
	fail := func(err error) (Info, error) { return Info{}, fmt.Errorf("blob: put %q: %w", key, err) }

	f, err := os.CreateTemp(d.tmp, "put-*")
	if err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	committed := false
	defer func() {
		if !committed {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()

	// Reserve the header; it is filled in once the hash is known.
	if _, err := f.Write(make([]byte, headerSize)); err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	h := sha256.New()
	body := NewSizeReader(ctx, r, size)
	n, err := io.CopyBuffer(io.MultiWriter(f, h), body, make([]byte, 256<<10))
	if err != nil {
		if body.err != nil {
			return fail(body.err)
		}
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	hdr, err := encodeHeader(diskHeader{Format: headerFormat, Size: n, ContentType: ct, SHA256: hex.EncodeToString(h.Sum(nil))})
	if err != nil {
		return fail(err)
	}
	if _, err := f.WriteAt(hdr, 0); err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	// fsync before rename: after a crash the name must not point at a file
	// whose content never reached the disk.
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	if err := f.Close(); err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	dst := d.path(key)
	if err := renameInto(f.Name(), dst); err != nil {
		return fail(fmt.Errorf("%w: %w", ErrUnavailable, err))
	}
	committed = true
	syncDir(filepath.Dir(dst))
	return Info{Key: key, Size: n, ContentType: ct, ETag: hex.EncodeToString(h.Sum(nil)), ModTime: fi.ModTime()}, nil
}

// renameInto renames src to dst, creating dst's directory. A concurrent
// Delete may prune that directory between MkdirAll and Rename, hence the
// retries.
func renameInto(src, dst string) error {
	var err error
	for range 5 {
		if err = os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			continue
		}
		if err = os.Rename(src, dst); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return err
}

// syncDir makes a rename durable. Best effort: some platforms cannot fsync
// a directory, and the object is already visible.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		_ = f.Close()
	}
}

func encodeHeader(h diskHeader) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	if buf.Len() > headerSize {
		return nil, fmt.Errorf("metadata of %d bytes does not fit the %d-byte header", buf.Len(), headerSize)
	}
	// Pad with spaces: still valid JSON, and readable with head -c 1024.
	out := bytes.Repeat([]byte{' '}, headerSize)
	copy(out, buf.Bytes())
	out[headerSize-1] = '\n'
	return out, nil
}

// openObject opens the object file of key and reads its header.
func (d *Disk) openObject(key string) (*os.File, Info, error) {
	f, err := os.Open(d.path(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, Info{}, ErrNotFound
		}
		return nil, Info{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	info, err := readInfo(f, key)
	if err != nil {
		_ = f.Close()
		return nil, Info{}, err
	}
	return f, info, nil
}

func readInfo(f *os.File, key string) (Info, error) {
	fi, err := f.Stat()
	if err != nil {
		return Info{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	buf := make([]byte, headerSize)
	if _, err := f.ReadAt(buf, 0); err != nil {
		return Info{}, fmt.Errorf("object file %s: short header: %w", f.Name(), err)
	}
	var h diskHeader
	if err := json.Unmarshal(buf, &h); err != nil {
		return Info{}, fmt.Errorf("object file %s: header: %w", f.Name(), err)
	}
	if h.Format != headerFormat || h.Size != fi.Size()-headerSize {
		return Info{}, fmt.Errorf("object file %s: corrupt header (format %d, size %d, file %d bytes)", f.Name(), h.Format, h.Size, fi.Size())
	}
	return Info{Key: key, Size: h.Size, ContentType: h.ContentType, ETag: h.SHA256, ModTime: fi.ModTime()}, nil
}

// Open implements Store.
func (d *Disk) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, Info, error) {
	if err := ValidKey(key); err != nil {
		return nil, Info{}, fmt.Errorf("blob: open: %w", err)
	}
	if err := CheckRange(offset, length); err != nil {
		return nil, Info{}, fmt.Errorf("blob: open %q: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, Info{}, fmt.Errorf("blob: open %q: %w", key, err)
	}
	f, info, err := d.openObject(key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("blob: open %q: %w", key, err)
	}
	n, err := RangeLen(offset, length, info.Size)
	if err != nil {
		_ = f.Close()
		return nil, Info{}, fmt.Errorf("blob: open %q: %w", key, err)
	}
	// The open descriptor keeps reading this version even if a Put renames
	// a new one over it meanwhile.
	return &fileRange{SectionReader: io.NewSectionReader(f, headerSize+offset, n), f: f}, info, nil
}

// fileRange reads a section of an object file and closes the file.
type fileRange struct {
	*io.SectionReader
	f *os.File
}

// Close closes the underlying file.
func (r *fileRange) Close() error { return r.f.Close() }

// Stat implements Store.
func (d *Disk) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, fmt.Errorf("blob: stat: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, err)
	}
	f, info, err := d.openObject(key)
	if err != nil {
		return Info{}, fmt.Errorf("blob: stat %q: %w", key, err)
	}
	_ = f.Close()
	return info, nil
}

// Delete implements Store.
func (d *Disk) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return fmt.Errorf("blob: delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: delete %q: %w", key, err)
	}
	p := d.path(key)
	if err := os.Remove(p); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return fmt.Errorf("blob: delete %q: %w: %w", key, ErrUnavailable, err)
	}
	syncDir(filepath.Dir(p))
	// Prune directories left empty so List does not walk dead branches;
	// Remove fails harmlessly on the first non-empty one.
	for dir := filepath.Dir(p); dir != d.objects && strings.HasPrefix(dir, d.objects); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// List implements Store.
func (d *Disk) List(ctx context.Context, prefix string) ([]Info, error) {
	if err := ValidPrefix(prefix); err != nil {
		return nil, fmt.Errorf("blob: list: %w", err)
	}
	// Walk only the deepest directory the prefix names in full.
	root := d.objects
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		root = filepath.Join(d.objects, filepath.FromSlash(prefix[:i]))
	}
	var out []Info
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			// Gone meanwhile (a concurrent Delete), or the prefix names no
			// directory: nothing to list there.
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(d.objects, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if e.IsDir() {
			if p == root {
				return nil
			}
			dirKey := name + "/"
			if !strings.HasPrefix(dirKey, prefix) && !strings.HasPrefix(prefix, dirKey) {
				return fs.SkipDir
			}
			return nil
		}
		key, ok := strings.CutSuffix(name, objectSuffix)
		if !ok || !e.Type().IsRegular() || !strings.HasPrefix(key, prefix) || ValidKey(key) != nil {
			return nil
		}
		f, info, err := d.openObject(key)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		_ = f.Close()
		out = append(out, info)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blob: list %q: %w", prefix, err)
	}
	slices.SortFunc(out, func(a, b Info) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// Ping implements Store: the directory must exist and accept a new file,
// which catches a read-only or full filesystem.
func (d *Disk) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob: ping: %w", err)
	}
	if fi, err := os.Stat(d.objects); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return fmt.Errorf("blob: ping %s: %w: %w", d.objects, ErrUnavailable, err)
	}
	f, err := os.CreateTemp(d.tmp, "ping-*")
	if err != nil {
		return fmt.Errorf("blob: ping %s: %w: %w", d.tmp, ErrUnavailable, err)
	}
	_ = f.Close()
	_ = os.Remove(f.Name())
	return nil
}
