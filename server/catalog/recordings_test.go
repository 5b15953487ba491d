package catalog_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"testing"
	"testing/fstest"

	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
)

// Recordings are stored like images: under the sha256 of their bytes,
// once, whatever the version or the file's name, and opened in ranges.
func TestImportStoresRecordingsByHash(t *testing.T) {
	ctx := context.Background()
	ogg, err := os.ReadFile("../../internal/audio/testdata/opus.ogg")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(ogg)
	hash := hex.EncodeToString(sum[:])
	fsys := demo("Un.\n")
	fsys["demo/course.yaml"].Data = append(bytes.Clone(fsys["demo/course.yaml"].Data), "voices: {fr: {by: espeak-ng, synthetic: true}}\n"...)
	fsys["demo/lessons/one.fr.opus"] = &fstest.MapFile{Data: ogg}
	fsys["demo/lessons/two.fr.ogg"] = &fstest.MapFile{Data: ogg} // the same bytes under another name: one object

	st := mongo.Store(t)
	blobs, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	im := catalog.NewImporter(st, blobs)
	res, err := im.Import(ctx, fsys, load(t, fsys))
	if err != nil || len(res) != 1 || res[0].Uploaded != 1 {
		t.Fatalf("import = %+v, %v; want one upload", res, err)
	}
	info, err := blobs.Stat(ctx, catalog.MediaKey(hash))
	if err != nil || info.Size != int64(len(ogg)) || info.ContentType != "audio/ogg" {
		t.Fatalf("stored recording %+v, %v", info, err)
	}
	all, err := blobs.List(ctx, "media/")
	if err != nil || len(all) != 1 {
		t.Fatalf("objects %v, %v: want the recording once", all, err)
	}

	// A new version that keeps the recording uploads nothing again.
	fsys["demo/lessons/two.fr.md"] = &fstest.MapFile{Data: []byte("Deux, revu.\n")}
	res, err = im.Import(ctx, fsys, load(t, fsys))
	if err != nil || res[0].Version != 2 || res[0].Uploaded != 0 {
		t.Fatalf("second import = %+v, %v; want version 2, nothing uploaded", res, err)
	}

	c := catalog.New(catalog.Deps{Store: st, Blobs: blobs, Words: words(t), Log: quiet()})
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	course, ok := c.Lookup("demo")
	if !ok {
		t.Fatal("demo not published")
	}
	m, ok := course.Def.Recording(course.Def.Lessons[0].Audio, "fr")
	if !ok || m.SHA256 != hash || m.Duration <= 0 {
		t.Fatalf("recording of lesson one: %+v, %v", m, ok)
	}
	if info, err := c.StatMedia(ctx, hash); err != nil || info.Size != int64(len(ogg)) {
		t.Fatalf("StatMedia = %+v, %v", info, err)
	}
	r, err := c.OpenMediaRange(ctx, hash, 100, 50)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	part, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(part, ogg[100:150]) {
		t.Errorf("bytes 100-149: %v", err)
	}
	if _, err := c.StatMedia(ctx, hex.EncodeToString(make([]byte, 32))); err == nil {
		t.Error("StatMedia of an unknown hash succeeded")
	}
}

// mp3Of is a real MP3 of exactly size bytes: whole frames of a little
// recording, and an ID3 tag padded to make up the rest (tests count
// sizes in the data saver's links).
func mp3Of(t testing.TB, size int) []byte {
	t.Helper()
	frames, err := os.ReadFile("../../internal/audio/testdata/plain.mp3")
	if err != nil {
		t.Fatal(err)
	}
	cut := min(len(frames), size-10)
	for ; cut > 0; cut-- {
		if _, err := audio.Inspect(frames[:cut]); err == nil {
			break
		}
	}
	pad := size - 10 - cut
	if cut == 0 || pad < 0 {
		t.Fatalf("no MP3 of %d bytes", size)
	}
	tag := []byte{'I', 'D', '3', 4, 0, 0, byte(pad >> 21 & 0x7f), byte(pad >> 14 & 0x7f), byte(pad >> 7 & 0x7f), byte(pad & 0x7f)}
	return append(append(tag, make([]byte, pad)...), frames[:cut]...)
}
