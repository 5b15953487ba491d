package backup

import (
	"archive/tar"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"go.mongodb.org/mongo-driver/v2/bson"
)

func newLayers(t testing.TB, w io.Writer) (*zstd.Encoder, *tar.Writer) {
	t.Helper()
	zw, err := zstd.NewWriter(w)
	if err != nil {
		t.Fatal(err)
	}
	return zw, tar.NewWriter(zw)
}

func writeTarFile(t testing.TB, tw *tar.Writer, name, body string) {
	t.Helper()
	if err := tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(body)), Mode: 0o600, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tw, body); err != nil {
		t.Fatal(err)
	}
}

// smallArchive is an archive made without a database server: two
// collections and an object, the writer's own API.
func smallArchive(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, "", "fuzz", time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.SigningKey([]byte("PEM")); err != nil {
		t.Fatal(err)
	}
	for _, coll := range []string{"users", "meta"} {
		cw, err := w.Collection(coll)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			doc, _ := bson.Marshal(bson.D{{Key: "_id", Value: i}, {Key: "name", Value: "Awa"}})
			if err := cw.Add(doc); err != nil {
				t.Fatal(err)
			}
		}
		if err := cw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Object("media/ab/file", 5, "text/plain", bytes.NewReader([]byte("hello"))); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close("kalan", 2); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decompressed is the tar stream inside an archive.
func decompressed(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := zstd.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// FuzzRead feeds arbitrary bytes to the archive reader, whole (as a file
// given to kalan restore) and as the tar stream inside the compression,
// where the manifest and entry parsers are: it must never panic, and
// whatever it accepts must be consistent with its manifest.
func FuzzRead(f *testing.F) {
	good := smallArchive(f)
	f.Add(good)
	f.Add(decompressed(f, good))
	f.Add(good[:len(good)/2])
	f.Add([]byte("age-encryption.org/v1\n-> scrypt AAAA 18\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(m *Manifest, err error) {
			if err != nil {
				return
			}
			if m.Format != Format || len(m.Entries) == 0 && m.Documents() > 0 {
				t.Errorf("accepted an inconsistent manifest: %+v", m)
			}
		}
		check(Verify(bytes.NewReader(data), ""))
		check(readTar(bytes.NewReader(data), func(kind, _ string, size int64, body io.Reader) error {
			if kind == "db" {
				return EachDocument(body, size, func([]byte) error { return nil })
			}
			return nil
		}))
	})
}

// The small archive made without a server restores like any other.
func TestSmallArchiveReads(t *testing.T) {
	m, err := Verify(bytes.NewReader(smallArchive(t)), "")
	if err != nil {
		t.Fatal(err)
	}
	if m.Documents() != 6 || m.Objects != 1 || !m.SigningKey || m.Schema != 2 {
		t.Errorf("manifest: %+v", m)
	}
}
