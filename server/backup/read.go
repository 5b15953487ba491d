package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
	"go.mongodb.org/mongo-driver/v2/bson"
)

var (
	ageMagic  = []byte("age-encryption.org/v1\n")
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
)

// maxWorkFactor bounds the scrypt work an archive can ask of a reader
// (2^20: about 4 s); Kalan writes 2^18.
const maxWorkFactor = 20

// Visit receives each entry after the header, in archive order, with its
// content; it may read body partly or not at all. kind is "key", "db"
// (arg: the collection) or "blob" (arg: the object key). Checksums are
// checked by Read once the archive is read to its end: a restore reads an
// archive twice, first with no visitor, so as to write nothing from a bad
// one.
type Visit func(kind, arg string, size int64, body io.Reader) error

// Read reads a whole archive, calls visit (when not nil) for each entry,
// and checks every layer, the header and the manifest against what was
// read. Its errors wrap ErrForeign, ErrTruncated, ErrCorrupt,
// ErrNeedPassphrase, ErrWrongPassphrase or ErrNewer when the archive is
// at fault; an error of visit is returned as it is.
func Read(r io.Reader, passphrase string, visit Visit) (*Manifest, error) {
	src := &tracker{r: r}
	plain, err := open(src, passphrase)
	if err != nil {
		return nil, err
	}
	zr, err := zstd.NewReader(plain, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(256<<20))
	if err != nil {
		return nil, fmt.Errorf("backup: decompress: %w", err)
	}
	defer zr.Close()
	m, err := readTar(zr, visit)
	if err == nil && !src.encrypted && !src.whole() {
		return nil, fmt.Errorf("%w: its last bytes are missing", ErrTruncated)
	}
	return m, src.classify(err)
}

// tracker follows how far the file was read and keeps its last bytes, to
// tell a truncated archive from a corrupt one: a read error before the end
// of the file is corruption; at its end, truncation, unless the file ends
// with the trailer of a whole archive.
type tracker struct {
	r         io.Reader
	n         int64
	eof       bool
	encrypted bool
	tail      []byte
}

func (t *tracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	t.tail = append(t.tail, p[:n]...)
	if len(t.tail) > 4*trailerLen {
		t.tail = append(t.tail[:0], t.tail[len(t.tail)-trailerLen:]...)
	}
	if err == io.EOF {
		t.eof = true
	}
	return n, err
}

// whole reports whether the file read ends with the trailer of a whole
// unencrypted archive.
func (t *tracker) whole() bool {
	if !t.eof || len(t.tail) < trailerLen {
		return false
	}
	end := t.tail[len(t.tail)-trailerLen:]
	return bytes.Equal(end, trailer(t.n-trailerLen))
}

// classify turns a read error into truncation or corruption by where the
// file was when it happened.
func (t *tracker) classify(err error) error {
	var re readFault
	if err == nil || !errors.As(err, &re) {
		return err
	}
	switch {
	case !t.eof:
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, re.where, re.err)
	case t.encrypted || !t.whole():
		return fmt.Errorf("%w (%s)", ErrTruncated, re.where)
	}
	return fmt.Errorf("%w: %s: %w", ErrCorrupt, re.where, re.err)
}

// readFault is an error reading the layers; Read classifies it.
type readFault struct {
	where string
	err   error
}

func (e readFault) Error() string { return e.where + ": " + e.err.Error() }
func (e readFault) Unwrap() error { return e.err }

// open detects the layers by their first bytes and decrypts.
func open(t *tracker, passphrase string) (io.Reader, error) {
	br := bufio.NewReader(t)
	head, err := br.Peek(len(ageMagic))
	switch {
	case bytes.HasPrefix(head, ageMagic):
		if passphrase == "" {
			return nil, ErrNeedPassphrase
		}
		id, err := age.NewScryptIdentity(passphrase)
		if err != nil {
			return nil, fmt.Errorf("backup: passphrase: %w", err)
		}
		id.SetMaxWorkFactor(maxWorkFactor)
		t.encrypted = true
		out, err := age.Decrypt(br, id)
		var noMatch *age.NoIdentityMatchError
		switch {
		case errors.As(err, &noMatch):
			return nil, ErrWrongPassphrase
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return nil, fmt.Errorf("%w (in its encryption header)", ErrTruncated)
		case err != nil:
			return nil, fmt.Errorf("%w: encryption header: %w", ErrCorrupt, err)
		}
		return out, nil
	case bytes.HasPrefix(head, zstdMagic):
		return br, nil
	case len(head) == 0:
		return nil, fmt.Errorf("%w: the file is empty", ErrTruncated)
	case err != nil && (bytes.HasPrefix(ageMagic, head) || bytes.HasPrefix(zstdMagic, head)):
		return nil, fmt.Errorf("%w: %d bytes", ErrTruncated, len(head))
	}
	return nil, ErrForeign
}

// layerError marks a read error of the decrypted, decompressed stream;
// Read says whether it means truncation or corruption.
func layerError(where string, err error) error {
	var re readFault
	switch {
	case errors.Is(err, ErrCorrupt), errors.Is(err, ErrTruncated), errors.Is(err, ErrForeign), errors.As(err, &re):
		return err
	}
	return readFault{where: where, err: err}
}

// readTar reads the tar stream: the header first, the manifest last.
func readTar(r io.Reader, visit Visit) (*Manifest, error) {
	tr := tar.NewReader(r)
	hdr, err := tr.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, layerError("no entries", io.ErrUnexpectedEOF)
		}
		if errors.Is(err, tar.ErrHeader) {
			return nil, fmt.Errorf("%w: %w", ErrForeign, err)
		}
		return nil, layerError("start", err)
	}
	if hdr.Name != HeaderName || hdr.Typeflag != tar.TypeReg || hdr.Size > maxHeader {
		return nil, ErrForeign
	}
	var h Header
	if err := readJSON(tr, hdr.Size, &h); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrForeign, err)
	}
	if h.Format != Format {
		return nil, ErrForeign
	}
	if h.Version > FormatVersion {
		return nil, fmt.Errorf("%w (format %d; this release reads up to %d)", ErrNewer, h.Version, FormatVersion)
	}
	var seen []Entry
	names := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, layerError("before its manifest", io.ErrUnexpectedEOF)
		}
		if err != nil {
			return nil, layerError("entry header", err)
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Size < 0 {
			return nil, fmt.Errorf("%w: entry %q is not a file", ErrCorrupt, hdr.Name)
		}
		if names[hdr.Name] {
			return nil, fmt.Errorf("%w: entry %q twice", ErrCorrupt, hdr.Name)
		}
		names[hdr.Name] = true
		kind, arg, err := parseEntryName(hdr.Name)
		if err != nil {
			return nil, err
		}
		switch kind {
		case HeaderName:
			return nil, fmt.Errorf("%w: a second header", ErrCorrupt)
		case ManifestName:
			if hdr.Size > maxManifest {
				return nil, fmt.Errorf("%w: manifest of %d bytes", ErrCorrupt, hdr.Size)
			}
			var m Manifest
			if err := readJSON(tr, hdr.Size, &m); err != nil {
				return nil, err
			}
			if err := endOfStream(tr, r); err != nil {
				return nil, err
			}
			if err := m.check(h, seen); err != nil {
				return nil, err
			}
			return &m, nil
		case KeyName:
			if hdr.Size > maxKey {
				return nil, fmt.Errorf("%w: signing key of %d bytes", ErrCorrupt, hdr.Size)
			}
			kind = "key"
		case "db":
			if hdr.Size > maxChunk {
				return nil, fmt.Errorf("%w: %q of %d bytes", ErrCorrupt, hdr.Name, hdr.Size)
			}
		}
		sum := sha256.New()
		body := io.TeeReader(tr, sum)
		if visit != nil {
			if err := visit(kind, arg, hdr.Size, &readErr{r: body}); err != nil {
				var re readErrWrap
				if errors.As(err, &re) {
					return nil, layerError(hdr.Name, re.err)
				}
				return nil, err
			}
		}
		if _, err := io.Copy(io.Discard, body); err != nil {
			return nil, layerError(hdr.Name, err)
		}
		seen = append(seen, Entry{Name: hdr.Name, Size: hdr.Size, SHA256: hex.EncodeToString(sum.Sum(nil))})
	}
}

// readErr marks errors that come from reading the archive, so that Read
// tells them from the visitor's own (a database that refuses a write).
type readErr struct{ r io.Reader }

type readErrWrap struct{ err error }

func (e readErrWrap) Error() string { return e.err.Error() }
func (e readErrWrap) Unwrap() error { return e.err }

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		return n, readErrWrap{err}
	}
	return n, err
}

// Verify reads a whole archive and checks it as a restore would, every
// document included, writing nothing.
func Verify(r io.Reader, passphrase string) (*Manifest, error) {
	return Read(r, passphrase, func(kind, _ string, size int64, body io.Reader) error {
		if kind != "db" {
			return nil
		}
		return EachDocument(body, size, func([]byte) error { return nil })
	})
}

// endOfStream checks that nothing follows the manifest, and reads the
// compressed stream to its end so that its checksum and the encryption's
// last chunk are checked too.
func endOfStream(tr *tar.Reader, r io.Reader) error {
	if _, err := tr.Next(); !errors.Is(err, io.EOF) {
		if err == nil {
			return fmt.Errorf("%w: entries after the manifest", ErrCorrupt)
		}
		return layerError("end", err)
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		return layerError("end", err)
	}
	return nil
}

func readJSON(r io.Reader, size int64, v any) error {
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return layerError("json entry", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return nil
}

// check compares the manifest with the entries read.
func (m *Manifest) check(h Header, seen []Entry) error {
	if m.Format != Format || m.Version != h.Version {
		return fmt.Errorf("%w: the manifest does not match the header", ErrCorrupt)
	}
	if len(m.Entries) != len(seen) {
		return fmt.Errorf("%w: the manifest lists %d entries, the archive holds %d", ErrCorrupt, len(m.Entries), len(seen))
	}
	docs := map[string]int64{}
	var objects int
	var objectBytes int64
	key := false
	for i, e := range m.Entries {
		s := seen[i]
		if e.Name != s.Name || e.Size != s.Size || e.SHA256 != s.SHA256 {
			return fmt.Errorf("%w: %s does not match its checksum", ErrCorrupt, s.Name)
		}
		kind, arg, _ := parseEntryName(e.Name)
		switch kind {
		case "db":
			if e.Documents < 1 || e.Documents > e.Size/5 {
				return fmt.Errorf("%w: %s: %d documents", ErrCorrupt, e.Name, e.Documents)
			}
			docs[arg] += e.Documents
		case "blob":
			objects++
			objectBytes += e.Size
		case KeyName:
			key = true
		}
	}
	listed := map[string]bool{}
	for _, c := range m.Collections {
		if !collectionName.MatchString(c.Name) || listed[c.Name] || docs[c.Name] != c.Documents {
			return fmt.Errorf("%w: the count of collection %q does not match its documents", ErrCorrupt, c.Name)
		}
		listed[c.Name] = true
	}
	for name := range docs {
		if !listed[name] {
			return fmt.Errorf("%w: documents of %q, a collection the manifest does not list", ErrCorrupt, name)
		}
	}
	if objects != m.Objects || objectBytes != m.ObjectBytes || key != m.SigningKey {
		return fmt.Errorf("%w: the manifest's totals do not match its entries", ErrCorrupt)
	}
	return nil
}

// EachDocument splits a db entry into its BSON documents, each checked
// to be valid BSON with an _id.
func EachDocument(body io.Reader, size int64, fn func(doc []byte) error) error {
	br := bufio.NewReaderSize(body, 64<<10)
	var read int64
	for read < size {
		if size-read < 5 {
			return fmt.Errorf("%w: %d bytes after the last document", ErrCorrupt, size-read)
		}
		var lenBuf [4]byte
		if _, err := io.ReadFull(br, lenBuf[:]); err != nil {
			return err
		}
		n := int64(binary.LittleEndian.Uint32(lenBuf[:]))
		if n < 5 || n > maxDocument || read+n > size {
			return fmt.Errorf("%w: a document of %d bytes", ErrCorrupt, n)
		}
		doc := make([]byte, n)
		copy(doc, lenBuf[:])
		if _, err := io.ReadFull(br, doc[4:]); err != nil {
			return err
		}
		if doc[n-1] != 0 {
			return fmt.Errorf("%w: a document without its end", ErrCorrupt)
		}
		read += n
		if err := bson.Raw(doc).Validate(); err != nil {
			return fmt.Errorf("%w: a document is not valid BSON: %w", ErrCorrupt, err)
		}
		if _, err := bson.Raw(doc).LookupErr("_id"); err != nil {
			return fmt.Errorf("%w: a document without _id", ErrCorrupt)
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return nil
}
