package audio

import (
	"encoding/binary"
	"fmt"
	"math"
)

// mp4Walk says which boxes are opened inside which (ISO/IEC 14496-12):
// only the path to the movie header and each track's handler and codec.
var mp4Walk = map[string][]string{
	"":     {"moov"},
	"moov": {"trak", "mvex"},
	"trak": {"mdia"},
	"mdia": {"minf"},
	"minf": {"stbl"},
	"mvex": nil,
	"stbl": nil,
}

type mp4 struct {
	b         []byte
	moov      bool
	timescale uint64
	length    uint64 // mvhd duration, in timescale units
	fragments uint64 // mehd: duration of a fragmented file
	audio     int
	other     int
	codec     string
	handler   string // of the track being read
	format    string // its sample entry's
}

// inspectMP4 walks the top-level boxes to the end of the file (a box that
// runs past it means the file is cut), and reads the duration from the
// movie header (mvhd: duration / timescale), or for a fragmented file
// from the movie extends header (mehd).
func inspectMP4(b []byte) (Info, error) {
	m := &mp4{b: b}
	if err := m.walk(0, len(b), "", 0); err != nil {
		return Info{}, err
	}
	switch {
	case !m.moov:
		return Info{}, fmt.Errorf("%w: no movie header (moov): the file is cut or was not finished", ErrTruncated)
	case m.other > 0:
		return Info{}, fmt.Errorf("%w: the file has a video track, or another track besides the sound", ErrNotAudio)
	case m.audio == 0:
		return Info{}, fmt.Errorf("%w: the file has no sound track", ErrNotAudio)
	case m.audio > 1:
		return Info{}, fmt.Errorf("%w: the file has %d sound tracks; keep one", ErrNotAudio, m.audio)
	case m.timescale == 0:
		return Info{}, fmt.Errorf("%w: the movie header has no timescale", ErrCorrupt)
	}
	length := m.length
	if length == 0 || length == math.MaxUint32 || length == math.MaxUint64 { // unknown: fragmented
		length = m.fragments
	}
	if length > math.MaxInt64 || m.timescale > math.MaxUint32 {
		return Info{}, fmt.Errorf("%w: absurd duration", ErrCorrupt)
	}
	return Info{Container: MP4, Codec: m.codec, Duration: duration(int64(length), int64(m.timescale))}, nil
}

// walk reads the boxes of [off, end) inside the box named parent.
func (m *mp4) walk(off, end int, parent string, depth int) error {
	for off < end {
		if end-off < 8 {
			return fmt.Errorf("%w: box at byte %d is incomplete", ErrTruncated, off)
		}
		size := uint64(binary.BigEndian.Uint32(m.b[off:]))
		kind := string(m.b[off+4 : off+8])
		header := uint64(8)
		switch size {
		case 0: // to the end of the file
			size = uint64(end - off)
		case 1:
			if end-off < 16 {
				return fmt.Errorf("%w: box at byte %d is incomplete", ErrTruncated, off)
			}
			size, header = binary.BigEndian.Uint64(m.b[off+8:]), 16
		}
		if size < header {
			return fmt.Errorf("%w: box at byte %d has a bad size", ErrCorrupt, off)
		}
		if size > uint64(end-off) {
			return fmt.Errorf("%w: box %q at byte %d ends past the end of the file", ErrTruncated, kind, off)
		}
		body := m.b[off+int(header) : off+int(size)]
		if off == 0 && depth == 0 && kind != "ftyp" {
			return fmt.Errorf("%w: no ftyp box", ErrUnknown)
		}
		if kind == "trak" && parent == "moov" {
			m.handler, m.format = "", ""
		}
		if contains4(mp4Walk[parent], kind) {
			if err := m.walk(off+int(header), off+int(size), kind, depth+1); err != nil {
				return err
			}
		} else if err := m.leaf(parent, kind, body); err != nil {
			return fmt.Errorf("%w (box %q at byte %d)", err, kind, off)
		}
		if kind == "trak" && parent == "moov" {
			m.endTrack()
		}
		if kind == "moov" && parent == "" {
			m.moov = true
		}
		off += int(size)
	}
	return nil
}

// leaf reads the boxes that matter.
func (m *mp4) leaf(parent, kind string, v []byte) error {
	bad := fmt.Errorf("%w: bad %s box", ErrCorrupt, kind)
	switch {
	case parent == "moov" && kind == "mvhd":
		if len(v) < 4 {
			return bad
		}
		switch v[0] {
		case 0:
			if len(v) < 20 {
				return bad
			}
			m.timescale, m.length = uint64(binary.BigEndian.Uint32(v[12:])), uint64(binary.BigEndian.Uint32(v[16:]))
		case 1:
			if len(v) < 32 {
				return bad
			}
			m.timescale, m.length = uint64(binary.BigEndian.Uint32(v[20:])), binary.BigEndian.Uint64(v[24:])
		default:
			return bad
		}
	case parent == "mvex" && kind == "mehd":
		switch {
		case len(v) >= 8 && v[0] == 0:
			m.fragments = uint64(binary.BigEndian.Uint32(v[4:]))
		case len(v) >= 12 && v[0] == 1:
			m.fragments = binary.BigEndian.Uint64(v[4:])
		default:
			return bad
		}
	case parent == "mdia" && kind == "hdlr":
		if len(v) < 12 {
			return bad
		}
		m.handler = string(v[8:12])
	case parent == "stbl" && kind == "stsd":
		// version and flags (4), entry count (4), then the first sample
		// entry: its size (4) and format (4).
		if len(v) < 16 {
			return bad
		}
		m.format = string(v[12:16])
	}
	return nil
}

// endTrack counts a finished track by its handler: "soun" is sound.
func (m *mp4) endTrack() {
	if m.handler != "soun" {
		m.other++
		return
	}
	m.audio++
	switch m.format {
	case "mp4a":
		m.codec = "aac"
	case "Opus":
		m.codec = "opus"
	case ".mp3":
		m.codec = "mp3"
	default:
		m.codec = m.format
	}
}

func contains4(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
