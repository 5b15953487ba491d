// Package backup writes, checks and restores Kalan's backup archives,
// and runs the scheduled backups of `kalan serve`.
//
// An archive is a tar stream compressed with zstd, optionally encrypted
// with a passphrase by age (scrypt). Its entries, in order:
//
//	kalan-backup.json         what this file is (first, so that a foreign file is told at once)
//	signing-key.pem           the certificate signing key, when there is one
//	db/<collection>/<n>.bson  documents as raw BSON, one after the other, up to 4 MiB a piece
//	blobs/<key>               every object of the bucket or the blob directory
//	manifest.json             counts, sizes and SHA-256 of every entry above (last:
//	                          the checksums are known only once everything is written)
//
// Documents are read and written through the MongoDB driver, so one
// archive restores into the embedded database or MongoDB alike. The
// layers are standard: `age -d | zstd -d | tar t` lists an archive.
package backup

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kalan-platform/kalan/server/blob"
)

// Errors of reading an archive. Each says what is wrong with the file,
// so that `kalan restore` can tell the operator which.
var (
	// ErrForeign: the file is not a Kalan backup archive.
	ErrForeign = errors.New("not a Kalan backup archive")
	// ErrTruncated: the archive ends before its end (a copy cut short).
	ErrTruncated = errors.New("the archive is truncated")
	// ErrCorrupt: the archive's content does not match its checksums.
	ErrCorrupt = errors.New("the archive is corrupt")
	// ErrNeedPassphrase: the archive is encrypted and no passphrase was given.
	ErrNeedPassphrase = errors.New("the archive is encrypted: a passphrase is needed")
	// ErrWrongPassphrase: the passphrase given does not open the archive.
	ErrWrongPassphrase = errors.New("the passphrase does not open the archive")
	// ErrNewer: the archive was written by a newer release of Kalan.
	ErrNewer = errors.New("the archive was made by a newer release of Kalan")
	// ErrNotEmpty: a restore target already holds data.
	ErrNotEmpty = errors.New("the restore target is not empty")
)

// Format identifies Kalan archives in their first entry.
const Format = "kalan-backup"

// FormatVersion is the version of the layout this code writes and reads.
const FormatVersion = 1

// Names of the fixed entries.
const (
	HeaderName   = "kalan-backup.json"
	ManifestName = "manifest.json"
	KeyName      = "signing-key.pem"
	dbPrefix     = "db/"
	blobPrefix   = "blobs/"
)

// Limits on what a reader accepts, so that a hostile archive cannot make
// it hold gigabytes in memory.
const (
	maxHeader   = 64 << 10
	maxManifest = 256 << 20 // about a million entries
	maxKey      = 64 << 10
	chunkSize   = 4 << 20  // documents per db entry are cut at this size
	maxChunk    = 20 << 20 // a chunk: up to chunkSize plus one document of 16 MiB
	maxDocument = 16<<20 + 16<<10
)

// Header is the first entry.
type Header struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Kalan   string    `json:"kalan"` // version of the release that wrote it
	Created time.Time `json:"created"`
}

// Manifest is the last entry: what the archive holds, with checksums.
type Manifest struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Kalan    string    `json:"kalan"`
	Created  time.Time `json:"created"`
	Database string    `json:"database"`
	// Schema is the database's schema version (store.SchemaVersion of the
	// release that wrote it): a release reads archives of its schema or
	// older, and migrates them after the restore.
	Schema      int          `json:"schema"`
	Collections []Collection `json:"collections"`
	Objects     int          `json:"objects"`
	ObjectBytes int64        `json:"object_bytes"`
	SigningKey  bool         `json:"signing_key"`
	Entries     []Entry      `json:"entries"`
}

// Collection counts the documents of one collection.
type Collection struct {
	Name      string `json:"name"`
	Documents int64  `json:"documents"`
}

// Entry is one file of the archive.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Documents in a db entry.
	Documents int64 `json:"documents,omitempty"`
	// ContentType of an object.
	ContentType string `json:"content_type,omitempty"`
}

// Documents is the total of documents in the archive.
func (m *Manifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Documents
	}
	return n
}

var collectionName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// dbEntryName names the n-th piece of a collection's documents.
func dbEntryName(coll string, n int) string { return fmt.Sprintf("%s%s/%06d.bson", dbPrefix, coll, n) }

// parseEntryName says what an entry holds: the header, the key, the
// manifest, documents of a collection, or an object with its key.
func parseEntryName(name string) (kind, arg string, err error) {
	switch name {
	case HeaderName, ManifestName, KeyName:
		return name, "", nil
	}
	if rest, ok := strings.CutPrefix(name, dbPrefix); ok {
		coll, file, ok := strings.Cut(rest, "/")
		if ok && collectionName.MatchString(coll) && len(file) == len("000001.bson") && strings.HasSuffix(file, ".bson") &&
			strings.Trim(strings.TrimSuffix(file, ".bson"), "0123456789") == "" {
			return "db", coll, nil
		}
		return "", "", fmt.Errorf("%w: bad entry name %q", ErrCorrupt, name)
	}
	if key, ok := strings.CutPrefix(name, blobPrefix); ok {
		if err := blob.ValidKey(key); err != nil {
			return "", "", fmt.Errorf("%w: bad object key in %q", ErrCorrupt, name)
		}
		return "blob", key, nil
	}
	return "", "", fmt.Errorf("%w: unexpected entry %q", ErrCorrupt, name)
}
