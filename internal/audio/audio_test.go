package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The fixtures in testdata were made once from two seconds of espeak-ng
// ("Bonjour, ceci est un essai.") with opusenc and ffmpeg 5.1 (see
// testdata/README.md); the tests need neither tool. Durations are
// ffprobe's, except Ogg Opus, where ffprobe counts the pre-skip.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInspectGoodFiles(t *testing.T) {
	tests := []struct {
		file      string
		container Container
		codec     string
		duration  time.Duration
		ctype     string
	}{
		{"opus.ogg", Ogg, "opus", 1947 * time.Millisecond, "audio/ogg"},     // (granule - pre-skip) / 48 kHz
		{"vorbis.ogg", Ogg, "vorbis", 1947 * time.Millisecond, "audio/ogg"}, // granule / 22.05 kHz
		{"opus.webm", WebM, "opus", 1955 * time.Millisecond, "audio/webm"},  // Info's Duration
		{"live.webm", WebM, "opus", 1958 * time.Millisecond, "audio/webm"},  // no Duration, sizes unknown: last block + its packet
		{"cbr-id3.mp3", MP3, "mp3", 2011 * time.Millisecond, "audio/mpeg"},  // ID3v2, MPEG-2 at 22.05 kHz, LAME's Info header
		{"plain.mp3", MP3, "mp3", 2011 * time.Millisecond, "audio/mpeg"},    // no tag, no header: frames counted
		{"vbr-xing.mp3", MP3, "mp3", 1985 * time.Millisecond, "audio/mpeg"}, // MPEG-1 at 44.1 kHz, VBR, Xing header
		{"aac.m4a", MP4, "aac", 1948 * time.Millisecond, "audio/mp4"},       // brand M4A
		{"aac-isom.m4a", MP4, "aac", 1948 * time.Millisecond, "audio/mp4"},  // brand isom, sound only
		{"audio.mka", Matroska, "opus", 508 * time.Millisecond, ""},         // recognised, to be refused by name
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			info, err := Inspect(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if info.Container != tt.container || info.Codec != tt.codec || info.ContentType != tt.ctype {
				t.Errorf("got %+v, want %s %s %s", info, tt.container, tt.codec, tt.ctype)
			}
			if d := info.Duration - tt.duration; d < -5*time.Millisecond || d > 5*time.Millisecond {
				t.Errorf("duration %v, want %v", info.Duration, tt.duration)
			}
		})
	}
}

func TestCheckExtension(t *testing.T) {
	tests := []struct {
		file, ext string
		ok        bool
	}{
		{"opus.ogg", ".opus", true},
		{"opus.ogg", ".OGG", true},
		{"vorbis.ogg", ".ogg", true},
		{"vorbis.ogg", ".opus", false}, // .opus promises Opus
		{"opus.webm", ".webm", true},
		{"opus.webm", ".ogg", false},
		{"audio.mka", ".webm", false}, // Matroska is not WebM
		{"cbr-id3.mp3", ".mp3", true},
		{"cbr-id3.mp3", ".m4a", false},
		{"aac.m4a", ".m4a", true},
		{"aac.m4a", ".mp3", false},
		{"plain.mp3", ".ogg", false},
		{"opus.ogg", ".wav", false},
		{"opus.ogg", "", false},
	}
	for _, tt := range tests {
		info, err := Inspect(fixture(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		err = CheckExtension(tt.ext, info)
		if (err == nil) != tt.ok {
			t.Errorf("%s named %q: %v, want ok=%v", tt.file, tt.ext, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrMisnamed) && !errors.Is(err, ErrUnknown) {
			t.Errorf("%s named %q: %v is neither ErrMisnamed nor ErrUnknown", tt.file, tt.ext, err)
		}
	}
}

func TestCheckExtensionSays(t *testing.T) {
	tests := []struct{ file, ext, says string }{
		{"opus.ogg", ".mp3", "audio: the name ends in .mp3 but the file is Ogg opus; name it .opus (or .ogg)"},
		{"vorbis.ogg", ".opus", "audio: the name ends in .opus but the file is Ogg vorbis; name it .ogg"},
		{"aac.m4a", ".webm", "audio: the name ends in .webm but the file is MP4 audio (M4A); name it .m4a"},
		{"audio.mka", ".webm", "audio: the name ends in .webm but the file is Matroska (export it as WebM)"},
		{"opus.ogg", ".wav", `audio: not a recording Kalan can serve (Ogg Opus or Vorbis, WebM, MP3 or M4A): ".wav" is not an extension of recordings (.opus, .ogg, .webm, .mp3, .m4a)`},
	}
	for _, tt := range tests {
		info, err := Inspect(fixture(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckExtension(tt.ext, info); err == nil || err.Error() != tt.says {
			t.Errorf("%s named %s: %v, want %q", tt.file, tt.ext, err, tt.says)
		}
	}
}

func TestInspectRefuses(t *testing.T) {
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 32)...)
	tests := []struct {
		name string
		data []byte
		want error
		says string
	}{
		{"empty", nil, ErrEmpty, ""},
		{"text", []byte("Bonjour, ceci n'est pas un son."), ErrUnknown, ""},
		{"wav", wav, ErrUnknown, "WAV"},
		{"flac", []byte("fLaC\x00\x00\x00\x22"), ErrUnknown, "FLAC"},
		{"pdf", []byte("%PDF-1.4\n"), ErrUnknown, ""},
		{"video mp4", fixture(t, "video.mp4"), ErrNotAudio, "video"},
		{"video mkv", fixture(t, "video.mkv"), ErrNotAudio, "video"},
		{"ogg header only", []byte("OggS"), ErrTruncated, ""},
		{"id3 only", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), ErrTruncated, "after the ID3 tag"},
		{"id3 then text", []byte("ID3\x04\x00\x00\x00\x00\x00\x00 hello"), ErrUnknown, "after the ID3 tag"},
		{"id3 cut", []byte("ID3\x04\x00\x00\x00\x00\x01\x00"), ErrTruncated, "ID3"},
		{"one mp3 frame header", []byte{0xFF, 0xFB, 0x90, 0x64}, ErrTruncated, "first MP3 frame"},
		{"ftyp only", []byte("\x00\x00\x00\x10ftypM4A \x00\x00\x02\x00"), ErrTruncated, "moov"},
		{"ebml only", []byte{0x1A, 0x45, 0xDF, 0xA3}, ErrTruncated, ""},
		{"ogg silent", oggHeadersOnly(t), ErrSilent, ""},
		{"ogg damaged", flip(fixture(t, "opus.ogg"), 3000), ErrCorrupt, "checksum"},
		{"ogg two streams", twoStreams(t), ErrNotAudio, "more than one stream"},
		{"mp3 garbage inside", flip(fixture(t, "plain.mp3"), thirdFrame(t, "plain.mp3")), ErrCorrupt, "no MP3 frame at byte"},
		{"m4a box too small", append(fixture(t, "aac.m4a")[:28:28], 0, 0, 0, 4, 'f', 'r', 'e', 'e'), ErrCorrupt, "bad size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Inspect(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("%q does not say %q", err, tt.says)
			}
		})
	}
}

// A file cut anywhere is refused, never measured short: every page,
// element, frame or box is read to the end.
func TestInspectTruncated(t *testing.T) {
	for _, name := range []string{"opus.ogg", "vorbis.ogg", "opus.webm", "live.webm", "cbr-id3.mp3", "plain.mp3", "vbr-xing.mp3", "aac.m4a"} {
		data := fixture(t, name)
		for _, cut := range []int{len(data) - 1, len(data) * 3 / 4, len(data) / 2, 100, 20} {
			_, err := Inspect(data[:cut])
			if !errors.Is(err, ErrTruncated) {
				t.Errorf("%s cut at %d of %d: %v, want ErrTruncated", name, cut, len(data), err)
			}
		}
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		units, per int64
		want       time.Duration
	}{
		{48000, 48000, time.Second},
		{1, 3, 333333333},
		{0, 48000, 0},
		{5, 0, 0},
		{1 << 62, 1, 1<<63 - 1},
	}
	for _, tt := range tests {
		if got := duration(tt.units, tt.per); got != tt.want {
			t.Errorf("duration(%d, %d) = %v, want %v", tt.units, tt.per, got, tt.want)
		}
	}
}

func TestOpusPacketDuration(t *testing.T) {
	tests := []struct {
		packet []byte
		want   time.Duration
	}{
		{[]byte{0x08}, 20 * time.Millisecond},                 // SILK NB 20 ms, one frame
		{[]byte{0x18 | 1}, 2 * 60 * time.Millisecond},         // SILK 60 ms, two frames
		{[]byte{0xF8}, 20 * time.Millisecond},                 // CELT FB 20 ms
		{[]byte{0xE0 | 3, 0x04}, 4 * 2500 * time.Microsecond}, // CELT 2.5 ms, code 3, four frames
		{[]byte{0x03}, 0}, // code 3 without its count
		{nil, 0},
	}
	for _, tt := range tests {
		if got := opusPacketDuration(tt.packet); got != tt.want {
			t.Errorf("opusPacketDuration(% x) = %v, want %v", tt.packet, got, tt.want)
		}
	}
}

// oggPages splits an Ogg file into its pages.
func oggPages(t testing.TB, b []byte) [][]byte {
	t.Helper()
	var pages [][]byte
	for off := 0; off < len(b); {
		n := int(b[off+26])
		size := 27 + n
		for _, s := range b[off+27 : off+27+n] {
			size += int(s)
		}
		pages = append(pages, b[off:off+size])
		off += size
	}
	return pages
}

// resum recomputes a page's checksum after a test changed it.
func resum(p []byte) []byte {
	p = bytes.Clone(p)
	binary.LittleEndian.PutUint32(p[22:], oggCRC(oggCRCTable(), p))
	return p
}

// oggHeadersOnly is the two header pages of opus.ogg, the second marked
// as the last: a stream without a sample.
func oggHeadersOnly(t testing.TB) []byte {
	pages := oggPages(t, fixture(t, "opus.ogg"))
	last := bytes.Clone(pages[1])
	last[5] |= 0x04
	return append(bytes.Clone(pages[0]), resum(last)...)
}

// twoStreams is opus.ogg with a second stream beginning after its first page.
func twoStreams(t testing.TB) []byte {
	pages := oggPages(t, fixture(t, "opus.ogg"))
	other := bytes.Clone(pages[0])
	binary.LittleEndian.PutUint32(other[14:], 99)
	out := bytes.Clone(pages[0])
	out = append(out, resum(other)...)
	for _, p := range pages[1:] {
		out = append(out, p...)
	}
	return out
}

// thirdFrame is where the third frame of an MP3 fixture starts.
func thirdFrame(t testing.TB, name string) int {
	b := fixture(t, name)
	f, ok := parseFrame(b)
	g, ok2 := parseFrame(b[f.length:])
	if !ok || !ok2 {
		t.Fatalf("%s does not start with two frames", name)
	}
	return f.length + g.length
}

func flip(b []byte, at int) []byte {
	b = bytes.Clone(b)
	b[at] ^= 0x5A
	return b
}

// FuzzInspect feeds arbitrary bytes, and damaged copies of every fixture,
// to Inspect: it must never panic, and what it accepts must have a
// container, a content type and a positive duration.
func FuzzInspect(f *testing.F) {
	files, err := filepath.Glob("testdata/*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("OggS\x00\x02"))
	f.Add([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Add([]byte("\x00\x00\x00\x01ftyp\x00\x00\x00\x00\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data)
		if err != nil {
			for _, want := range []error{ErrEmpty, ErrUnknown, ErrNotAudio, ErrTruncated, ErrCorrupt, ErrSilent} {
				if errors.Is(err, want) {
					return
				}
			}
			t.Fatalf("error %v wraps none of the package's errors", err)
		}
		if info.Duration <= 0 || info.Container == "" || info.Codec == "" && info.Container != MP4 {
			t.Fatalf("accepted %+v", info)
		}
		if info.Container != Matroska && info.ContentType == "" {
			t.Fatalf("accepted %+v without a content type", info)
		}
		for _, ext := range Extensions() {
			_ = CheckExtension(ext, info)
		}
		// Writing the duration of a browser's recording keeps it the
		// same recording, whose Info now says its length.
		out, ok := WithWebMDuration(data, info.Duration)
		if !ok {
			if !bytes.Equal(out, data) {
				t.Fatal("WithWebMDuration changed a file it did not apply to")
			}
			return
		}
		again, err := Inspect(out)
		if err != nil || again.Container != info.Container || again.Codec != info.Codec || (again.Duration-info.Duration).Abs() > time.Millisecond {
			t.Fatalf("with its duration: %+v, %v; before: %+v", again, err, info)
		}
		if _, twice := WithWebMDuration(out, info.Duration); twice {
			t.Fatal("a second Duration was added")
		}
	})
}
