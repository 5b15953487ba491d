package audio

import (
	"bytes"
	"testing"
	"time"
)

func TestWithWebMDurationOfAChromeRecording(t *testing.T) {
	b := fixture(t, "chrome.webm")
	before, err := Inspect(b)
	if err != nil {
		t.Fatal(err)
	}
	out, ok := WithWebMDuration(b, before.Duration)
	if !ok || len(out) != len(b)+11 {
		t.Fatalf("applied %v, %d → %d bytes; want the 11 bytes of a Duration", ok, len(b), len(out))
	}
	m := &matroska{b: out, scale: 1_000_000}
	if _, err := m.walk(0, len(out), 0, false); err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(m.duration * float64(m.scale)); (got - before.Duration).Abs() > time.Millisecond {
		t.Fatalf("Info's Duration %v, want %v", got, before.Duration)
	}
	// The sound is the browser's: everything after Info is the same bytes.
	if !bytes.HasSuffix(out, b[len(b)-4000:]) {
		t.Error("the recording's clusters changed")
	}
	if again, ok := WithWebMDuration(out, before.Duration); ok || !bytes.Equal(again, out) {
		t.Error("a recording with a Duration was changed again")
	}
}

func TestWithWebMDurationLeavesOtherFiles(t *testing.T) {
	for _, name := range []string{"opus.webm", "live.webm", "opus.ogg", "audio.mka", "plain.mp3"} {
		b := fixture(t, name)
		if out, ok := WithWebMDuration(b, 2*time.Second); ok || !bytes.Equal(out, b) {
			t.Errorf("%s was changed", name)
		}
	}
	if _, ok := WithWebMDuration(fixture(t, "chrome.webm"), 0); ok {
		t.Error("a zero duration was written")
	}
}

func TestSizeVint(t *testing.T) {
	for _, tt := range []struct {
		v     uint64
		width int
		want  []byte
	}{
		{5, 1, []byte{0x85}},
		{5, 8, []byte{0x01, 0, 0, 0, 0, 0, 0, 5}},
		{126, 1, []byte{0xFE}},
		{127, 1, []byte{0x40, 0x7F}}, // 0xFF would say "unknown size"
		{300, 1, []byte{0x41, 0x2C}},
	} {
		if got := sizeVint(tt.v, tt.width); !bytes.Equal(got, tt.want) {
			t.Errorf("sizeVint(%d, %d) = % x, want % x", tt.v, tt.width, got, tt.want)
		} else if n, _, err := elementSize(got); err != nil || uint64(n) != tt.v {
			t.Errorf("sizeVint(%d) reads back as %d, %v", tt.v, n, err)
		}
	}
}
