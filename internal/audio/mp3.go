package audio

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// frame is an MPEG audio Layer III frame header.
type frame struct {
	version int // 1 (MPEG-1), 2 (MPEG-2), 25 (MPEG-2.5)
	rate    int // samples per second
	samples int // per frame
	length  int // bytes, header included
	mono    bool
}

var (
	mp3Bitrates = [2][16]int{
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1}, // MPEG-1
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},     // MPEG-2 and 2.5
	}
	mp3Rates = map[int][3]int{1: {44100, 48000, 32000}, 2: {22050, 24000, 16000}, 25: {11025, 12000, 8000}}
)

// parseFrame reads a Layer III frame header; free-format frames (bitrate
// 0) are not accepted: their length cannot be read from the header.
func parseFrame(b []byte) (frame, bool) {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return frame{}, false
	}
	var f frame
	switch (b[1] >> 3) & 3 {
	case 0:
		f.version = 25
	case 2:
		f.version = 2
	case 3:
		f.version = 1
	default:
		return frame{}, false
	}
	if (b[1]>>1)&3 != 1 { // Layer III only
		return frame{}, false
	}
	table := 1
	if f.version == 1 {
		table = 0
	}
	bitrate := mp3Bitrates[table][b[2]>>4]
	rateIndex := (b[2] >> 2) & 3
	if bitrate <= 0 || rateIndex == 3 {
		return frame{}, false
	}
	f.rate = mp3Rates[f.version][rateIndex]
	padding := int(b[2]>>1) & 1
	if f.version == 1 {
		f.samples, f.length = 1152, 144000*bitrate/f.rate+padding
	} else {
		f.samples, f.length = 576, 72000*bitrate/f.rate+padding
	}
	f.mono = b[3]>>6 == 3
	return f, true
}

// frameSync reports whether b starts with two MP3 frames one after the
// other: one header alone is too easy to find in random bytes, so a file
// without an ID3 tag is taken for MP3 on two.
func frameSync(b []byte) bool {
	f, ok := parseFrame(b)
	if !ok || len(b) < f.length+4 {
		return false
	}
	g, ok := parseFrame(b[f.length:])
	return ok && g.version == f.version && g.rate == f.rate
}

func isFrame(b []byte) bool {
	_, ok := parseFrame(b)
	return ok
}

// inspectMP3 skips an ID3v2 tag, then walks every frame to the end of the
// file (or an ID3v1 or APE tag there), so a cut or damaged file is
// refused. The duration is the frame count of a Xing, Info or VBRI header
// when the first frame holds one (VBR files, and LAME's CBR ones), else
// the sum of the frames.
func inspectMP3(b []byte) (Info, error) {
	off, tagged := 0, false
	for bytes.HasPrefix(b[off:], []byte("ID3")) {
		if len(b)-off < 10 {
			return Info{}, fmt.Errorf("%w: the ID3 tag is incomplete", ErrTruncated)
		}
		h := b[off:]
		if (h[6]|h[7]|h[8]|h[9])&0x80 != 0 { // sizes are "syncsafe": 7 bits a byte
			return Info{}, fmt.Errorf("%w: bad ID3 tag size", ErrCorrupt)
		}
		size := 10 + (int(h[6])<<21 | int(h[7])<<14 | int(h[8])<<7 | int(h[9]))
		if h[5]&0x10 != 0 {
			size += 10 // footer
		}
		if len(b)-off < size {
			return Info{}, fmt.Errorf("%w: the ID3 tag is incomplete", ErrTruncated)
		}
		off += size
		tagged = true
	}
	for off < len(b) && b[off] == 0 { // padding some taggers leave after the tag
		off++
	}
	if off == len(b) {
		return Info{}, fmt.Errorf("%w: nothing after the ID3 tag", ErrTruncated)
	}
	if f, ok := parseFrame(b[off:]); ok && !tagged && !frameSync(b[off:]) {
		if len(b)-off < f.length+4 {
			return Info{}, fmt.Errorf("%w: the first MP3 frame is incomplete", ErrTruncated)
		}
		return Info{}, ErrUnknown // one frame header alone may be chance
	}
	var (
		first   frame
		frames  int
		samples int64
		xing    int64 = -1
	)
	for off < len(b) {
		rest := b[off:]
		if frames > 0 && (trailingTag(rest) || allZero(rest)) {
			break
		}
		f, ok := parseFrame(rest)
		switch {
		case !ok && frames == 0 && tagged:
			return Info{}, fmt.Errorf("%w: no MP3 frame after the ID3 tag", ErrUnknown)
		case !ok && frames == 0:
			return Info{}, ErrUnknown
		case !ok:
			return Info{}, fmt.Errorf("%w: no MP3 frame at byte %d", ErrCorrupt, off)
		case frames > 0 && (f.version != first.version || f.rate != first.rate):
			return Info{}, fmt.Errorf("%w: the frame at byte %d changes the sample rate", ErrCorrupt, off)
		case len(rest) < f.length:
			return Info{}, fmt.Errorf("%w: the last MP3 frame is incomplete", ErrTruncated)
		}
		if frames == 0 {
			first = f
			xing = vbrFrames(rest[:f.length], f)
		}
		frames++
		samples += int64(f.samples)
		off += f.length
	}
	info := Info{Container: MP3, Codec: "mp3"}
	if xing >= 0 {
		// The header frame is silent and not counted by the header.
		if int64(frames-1) < xing {
			return Info{}, fmt.Errorf("%w: %d of %d MP3 frames", ErrTruncated, frames-1, xing)
		}
		samples = xing * int64(first.samples)
	}
	info.Duration = duration(samples, int64(first.rate))
	return info, nil
}

// vbrFrames reads the frame count of a Xing or Info header (LAME and
// most encoders) or a VBRI header (Fraunhofer) in the first frame, or
// returns -1 when there is none.
func vbrFrames(f []byte, h frame) int64 {
	side := 32 // side information after the header: it depends on version and channels
	switch {
	case h.version == 1 && h.mono, h.version != 1 && !h.mono:
		side = 17
	case h.version != 1 && h.mono:
		side = 9
	}
	if x := 4 + side; len(f) >= x+12 && (string(f[x:x+4]) == "Xing" || string(f[x:x+4]) == "Info") {
		if binary.BigEndian.Uint32(f[x+4:])&1 != 0 {
			return int64(binary.BigEndian.Uint32(f[x+8:]))
		}
		return -1
	}
	if len(f) >= 36+18 && string(f[36:40]) == "VBRI" {
		return int64(binary.BigEndian.Uint32(f[36+14:]))
	}
	return -1
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// trailingTag reports an ID3v1 tag (the last 128 bytes), an APE tag or
// Lyrics3 tag: the end of the sound.
func trailingTag(b []byte) bool {
	return (len(b) == 128 && bytes.HasPrefix(b, []byte("TAG"))) ||
		bytes.HasPrefix(b, []byte("APETAGEX")) || bytes.HasPrefix(b, []byte("LYRICSBEGIN"))
}
