package backup

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

// Writer writes one archive. Entries are streamed: the writer holds one
// piece of documents (4 MiB) at most, never an object.
type Writer struct {
	out      *countingWriter // the file, when not encrypted (for the trailer)
	enc      io.WriteCloser  // age, or nil
	zw       *zstd.Encoder
	tw       *tar.Writer
	created  time.Time
	manifest Manifest
	err      error
}

// NewWriter starts an archive on w, encrypted with passphrase unless it
// is empty. kalan is the version of the release writing it.
func NewWriter(w io.Writer, passphrase, kalan string, now time.Time) (*Writer, error) {
	if now.IsZero() {
		now = time.Now()
	}
	bw := &Writer{created: now.UTC().Truncate(time.Second)}
	if passphrase == "" {
		bw.out = &countingWriter{w: w}
		w = bw.out
	} else {
		r, err := age.NewScryptRecipient(passphrase)
		if err != nil {
			return nil, fmt.Errorf("backup: passphrase: %w", err)
		}
		if bw.enc, err = age.Encrypt(w, r); err != nil {
			return nil, fmt.Errorf("backup: encrypt: %w", err)
		}
		w = bw.enc
	}
	// Level 2 ("default") compresses BSON about 4:1 at tens of MB/s on one
	// core; better levels cost more than they save on these documents.
	zw, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("backup: compress: %w", err)
	}
	bw.zw, bw.tw = zw, tar.NewWriter(zw)
	bw.manifest = Manifest{Format: Format, Version: FormatVersion, Kalan: kalan, Created: bw.created}
	h, _ := json.MarshalIndent(Header{Format: Format, Version: FormatVersion, Kalan: kalan, Created: bw.created}, "", "  ")
	if err := bw.put(HeaderName, int64(len(h)), bytes.NewReader(h), false); err != nil {
		return nil, err
	}
	return bw, nil
}

// put writes an entry of exactly size bytes from r and records it in the
// manifest unless it is the header or the manifest.
func (w *Writer) put(name string, size int64, r io.Reader, record bool) error {
	_, err := w.putEntry(name, size, r, record)
	return err
}

func (w *Writer) putEntry(name string, size int64, r io.Reader, record bool) (*Entry, error) {
	if w.err != nil {
		return nil, w.err
	}
	hdr := &tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: w.created, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := w.tw.WriteHeader(hdr); err != nil {
		w.err = fmt.Errorf("backup: write %s: %w", name, err)
		return nil, w.err
	}
	h := sha256.New()
	n, err := io.Copy(w.tw, io.TeeReader(io.LimitReader(r, size), h))
	if err == nil && n != size {
		err = fmt.Errorf("%d bytes instead of %d (it changed while being read)", n, size)
	}
	if err != nil {
		w.err = fmt.Errorf("backup: write %s: %w", name, err)
		return nil, w.err
	}
	if !record {
		return nil, nil
	}
	w.manifest.Entries = append(w.manifest.Entries, Entry{Name: name, Size: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	return &w.manifest.Entries[len(w.manifest.Entries)-1], nil
}

// SigningKey adds the certificate signing key (PEM).
func (w *Writer) SigningKey(pem []byte) error {
	if err := w.put(KeyName, int64(len(pem)), bytes.NewReader(pem), true); err != nil {
		return err
	}
	w.manifest.SigningKey = true
	return nil
}

// Object adds an object of object storage, read from r.
func (w *Writer) Object(key string, size int64, contentType string, r io.Reader) error {
	e, err := w.putEntry(blobPrefix+key, size, r, true)
	if err != nil {
		return err
	}
	e.ContentType = contentType
	w.manifest.Objects++
	w.manifest.ObjectBytes += size
	return nil
}

// Collection starts the documents of a collection; Add them, then Close.
func (w *Writer) Collection(name string) (*CollectionWriter, error) {
	if !collectionName.MatchString(name) {
		return nil, fmt.Errorf("backup: collection name %q cannot be archived", name)
	}
	return &CollectionWriter{w: w, name: name}, nil
}

// CollectionWriter gathers a collection's documents into pieces.
type CollectionWriter struct {
	w       *Writer
	name    string
	buf     bytes.Buffer
	inBuf   int64
	pieces  int
	written int64
}

// Add appends one BSON document (copied).
func (c *CollectionWriter) Add(doc []byte) error {
	if len(doc) < 5 || len(doc) > maxDocument {
		return fmt.Errorf("backup: %s: a document of %d bytes", c.name, len(doc))
	}
	c.buf.Write(doc)
	c.inBuf++
	if c.buf.Len() >= chunkSize {
		return c.flush()
	}
	return nil
}

func (c *CollectionWriter) flush() error {
	if c.inBuf == 0 {
		return nil
	}
	c.pieces++
	e, err := c.w.putEntry(dbEntryName(c.name, c.pieces), int64(c.buf.Len()), &c.buf, true)
	if err != nil {
		return err
	}
	e.Documents = c.inBuf
	c.written += c.inBuf
	c.buf.Reset()
	c.inBuf = 0
	return nil
}

// Close writes the last piece and counts the collection, even when it
// is empty (so that a restore recreates it).
func (c *CollectionWriter) Close() error {
	if err := c.flush(); err != nil {
		return err
	}
	c.w.manifest.Collections = append(c.w.manifest.Collections, Collection{Name: c.name, Documents: c.written})
	return nil
}

// Close writes the manifest and ends every layer. The manifest is
// returned with what was written; the archive is complete only when Close
// returns no error.
func (w *Writer) Close(database string, schema int) (*Manifest, error) {
	if w.err != nil {
		return nil, w.err
	}
	w.manifest.Database, w.manifest.Schema = database, schema
	m, err := json.Marshal(w.manifest)
	if err != nil {
		return nil, fmt.Errorf("backup: manifest: %w", err)
	}
	if err := w.put(ManifestName, int64(len(m)), bytes.NewReader(m), false); err != nil {
		return nil, err
	}
	if err := w.tw.Close(); err != nil {
		return nil, fmt.Errorf("backup: end the archive: %w", err)
	}
	if err := w.zw.Close(); err != nil {
		return nil, fmt.Errorf("backup: end the compression: %w", err)
	}
	if w.enc != nil {
		if err := w.enc.Close(); err != nil {
			return nil, fmt.Errorf("backup: end the encryption: %w", err)
		}
	} else if _, err := w.out.w.Write(trailer(w.out.n)); err != nil {
		return nil, fmt.Errorf("backup: end the archive: %w", err)
	}
	out := w.manifest
	return &out, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// The trailer of an unencrypted archive is a zstd skippable frame (which
// every zstd decoder passes over) holding "KALANEND" and the length of
// what precedes it: a file that ends with it is whole, so a read error is
// corruption, not truncation. An encrypted archive needs none: age
// authenticates its last chunk.
const trailerLen = 24

var trailerMagic = []byte{0x5e, 0x2a, 0x4d, 0x18} // skippable frame 0x184D2A5E

func trailer(n int64) []byte {
	b := make([]byte, 0, trailerLen)
	b = append(b, trailerMagic...)
	b = binary.LittleEndian.AppendUint32(b, 16)
	b = append(b, "KALANEND"...)
	return binary.LittleEndian.AppendUint64(b, uint64(n))
}
