package library

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/kalan-platform/kalan/internal/audio"
)

// recording reads one of the little recordings of package audio's tests.
func recording(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../internal/audio/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wav is the start of a WAV file, as a phone's recorder exports: enough
// for Sniff and package audio to know it.
func wav() []byte { return append([]byte("RIFF\x24\x40\x00\x00WAVEfmt "), make([]byte, 600)...) }

func TestCheckRecording(t *testing.T) {
	opus, mp3 := recording(t, "opus.ogg"), recording(t, "cbr-id3.mp3")
	tests := []struct {
		name string
		data []byte
		err  error // nil: accepted
		msg  string
	}{
		{"spot.opus", opus, nil, ""},
		{"spot.OGG", opus, nil, ""},
		{"spot", opus, nil, ""}, // no extension: the bytes alone
		{"spot.webm", recording(t, "live.webm"), nil, ""},
		{"spot.m4a", recording(t, "aac-isom.m4a"), nil, ""},
		{"spot.mp3", mp3, nil, ""},
		{"spot.opus", mp3, audio.ErrMisnamed, "form.library.audio.misnamed"},
		{"spot.mp3", opus, audio.ErrMisnamed, "form.library.audio.misnamed"},
		{"spot.wav", opus, audio.ErrMisnamed, "form.library.audio.misnamed"},
		{"spot.webm", recording(t, "audio.mka"), audio.ErrMisnamed, "form.library.audio.misnamed"},
		{"spot", recording(t, "audio.mka"), audio.ErrUnknown, "form.library.audio.unknown"},
		{"spot.wav", wav(), audio.ErrUnknown, "form.library.audio.unknown"},
		{"spot.opus", nil, audio.ErrEmpty, "form.library.audio.empty"},
		{"spot.opus", opus[:len(opus)*2/3], audio.ErrTruncated, "form.library.audio.damaged"},
		{"clip.webm", recording(t, "video.mkv"), audio.ErrNotAudio, "form.library.audio.not_audio"},
		{"clip.m4a", recording(t, "video.mp4"), audio.ErrNotAudio, "form.library.audio.not_audio"},
		{"poster.mp3", []byte("%PDF-1.4\n"), audio.ErrUnknown, "form.library.audio.unknown"},
	}
	for _, tt := range tests {
		a, err := CheckRecording(tt.name, tt.data)
		switch {
		case tt.err == nil && (err != nil || a.Duration <= 0 || a.ContentType == ""):
			t.Errorf("%s: %+v %v, want it accepted", tt.name, a, err)
		case tt.err != nil && !errors.Is(err, tt.err):
			t.Errorf("%s (%d bytes): %v, want %v", tt.name, len(tt.data), err, tt.err)
		case tt.err != nil && recordingError(err).MessageID != tt.msg:
			t.Errorf("%s: message %s, want %s", tt.name, recordingError(err).MessageID, tt.msg)
		}
	}
}

func TestRecordingCheckOf(t *testing.T) {
	tests := []struct {
		name, format string
		kind         Kind
		want         recordingCheck
	}{
		{"spot.opus", "", KindAudio, mustBeRecording},
		{"spot.wav", "", KindAudio, mustBeRecording},
		{"spot.opus", "", "", mustBeRecording}, // empty, or bytes nobody knows
		{"spot.mp3", "", KindDocument, mustBeRecording},
		{"spot.bin", "audio", "", mustBeRecording},
		{"recording.webm", "audio", KindVideo, mustBeRecording}, // a browser's WebM sniffs as video
		{"recording.webm", "", KindVideo, mayBeRecording},
		{"clip.ogg", "video", KindVideo, mayBeRecording},
		{"clip.mp4", "", KindVideo, notRecording},
		{"poster.pdf", "audio", KindDocument, notRecording}, // the format check says it
		{"poster.png", "", KindImage, notRecording},
		{"notes.txt", "", "", notRecording},
	}
	for _, tt := range tests {
		if got := recordingCheckOf(tt.name, tt.format, tt.kind); got != tt.want {
			t.Errorf("recordingCheckOf(%q, %q, %q) = %d, want %d", tt.name, tt.format, tt.kind, got, tt.want)
		}
	}
}

func TestInspectUpload(t *testing.T) {
	s := &Service{MaxSize: 1 << 20}
	opus := recording(t, "opus.ogg")
	tests := []struct {
		name, format string
		data         []byte
		ct           string
		kind         Kind
		msg          string
	}{
		{"spot.opus", "", opus, "audio/ogg", KindAudio, ""},
		{"recording.webm", "audio", recording(t, "live.webm"), "audio/webm", KindAudio, ""},
		{"recording.webm", "", recording(t, "live.webm"), "audio/webm", KindAudio, ""},
		{"spot.m4a", "", recording(t, "aac-isom.m4a"), "audio/mp4", KindAudio, ""},
		{"spot.mp3", "", recording(t, "plain.mp3"), "audio/mpeg", KindAudio, ""}, // frames only: no sniffed type
		{"clip.webm", "", recording(t, "video.mkv"), "video/webm", KindVideo, ""},
		{"poster.pdf", "", []byte("%PDF-1.4\n"), "application/pdf", KindDocument, ""},
		{"spot.wav", "", wav(), "", "", "form.library.audio.unknown"},
		{"spot.opus", "", recording(t, "cbr-id3.mp3"), "", "", "form.library.audio.misnamed"},
		{"spot.opus", "", nil, "", "", "form.library.audio.empty"},
		{"spot.opus", "", opus[:len(opus)-100], "", "", "form.library.audio.damaged"},
		{"clip.webm", "audio", recording(t, "video.mkv"), "", "", "form.library.audio.not_audio"},
		{"notes.txt", "", []byte("hello"), "", "", "form.library.file_type"},
	}
	for _, tt := range tests {
		u := &Upload{Name: tt.name, Body: bytes.NewReader(tt.data)}
		f, errs, err := s.inspect(u, tt.format)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.msg != "" {
			if errs.For("file") == nil || errs.For("file").MessageID != tt.msg {
				t.Errorf("%s: %v, want %s", tt.name, errs, tt.msg)
			}
			continue
		}
		if errs != nil || f.contentType != tt.ct || f.kind != tt.kind || (f.kind == KindAudio) != (f.duration > 0) {
			t.Errorf("%s: %+v %v, want %s %s", tt.name, f, errs, tt.ct, tt.kind)
		}
		if rest, _ := io.ReadAll(u.Body); !bytes.Equal(rest, tt.data) {
			t.Errorf("%s: %d bytes left to store of %d", tt.name, len(rest), len(tt.data))
		}
	}

	// Over the limits: the library's (413), or a recording's.
	s.MaxSize = 1 << 10
	if _, _, err := s.inspect(&Upload{Name: "spot.opus", Body: bytes.NewReader(opus)}, ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a recording over the library's limit: %v", err)
	}
	s.MaxSize = MaxRecordingSize + 1<<20
	big := append(bytes.Clone(opus), make([]byte, MaxRecordingSize)...)
	if _, errs, err := s.inspect(&Upload{Name: "spot.opus", Body: bytes.NewReader(big)}, ""); err != nil || errs.For("file") == nil ||
		errs.For("file").MessageID != "form.library.audio.too_large" || errs.For("file").Data["MaxMB"] != int64(MaxRecordingSize>>20) {
		t.Errorf("a recording over its own limit: %v %v", errs, err)
	}
}
