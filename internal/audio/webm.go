package audio

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"
)

// Matroska element ids (the WebM subset, https://www.matroska.org/technical/elements.html).
const (
	idEBML          = 0x1A45DFA3
	idDocType       = 0x4282
	idSegment       = 0x18538067
	idInfo          = 0x1549A966
	idTimecodeScale = 0x2AD7B1
	idDuration      = 0x4489
	idTracks        = 0x1654AE6B
	idTrackEntry    = 0xAE
	idTrackType     = 0x83
	idCodecID       = 0x86
	idCluster       = 0x1F43B675
	idTimecode      = 0xE7
	idSimpleBlock   = 0xA3
	idBlockGroup    = 0xA0
	idBlock         = 0xA1
	idBlockDuration = 0x9B
)

// segmentLevel are the children of a Segment: one of them ends a Cluster
// of unknown size (what a browser's MediaRecorder writes).
var segmentLevel = map[uint32]bool{
	idCluster: true, idInfo: true, idTracks: true, 0x1C53BB6B: true /* Cues */, 0x1254C367: true, /* Tags */
	0x1043A770: true /* Chapters */, 0x1941A469: true /* Attachments */, 0x114D9B74: true, /* SeekHead */
}

// children says which master elements are read inside which: the walk
// never goes deeper, whatever a file nests.
var children = map[uint32][]uint32{
	0:            {idEBML, idSegment},
	idSegment:    {idInfo, idTracks, idCluster},
	idTracks:     {idTrackEntry},
	idCluster:    {idBlockGroup},
	idEBML:       nil,
	idInfo:       nil,
	idTrackEntry: nil,
	idBlockGroup: nil,
}

// matroska is the state of a walk through a WebM or Matroska file.
type matroska struct {
	b        []byte
	docType  string
	scale    int64   // nanoseconds per timecode unit
	duration float64 // Info's Duration, in timecode units; 0 when absent
	audio    int     // audio tracks
	video    int     // tracks that are not sound: video, subtitles…
	codec    string
	track    struct {
		kind  uint64
		codec string
	}
	cluster    int64 // timecode of the current cluster
	lastBlock  int64 // latest block timecode seen
	lastLength time.Duration
	blocks     int
}

// inspectMatroska reads the EBML header, the tracks, and the duration: the
// Duration of Info when there is one; otherwise (a recording streamed by
// a browser's MediaRecorder) the time of the last block plus that
// block's own length, read from its Opus packet.
func inspectMatroska(b []byte) (Info, error) {
	m := &matroska{b: b, scale: 1_000_000}
	if _, err := m.walk(0, len(b), 0, false); err != nil {
		return Info{}, err
	}
	info := Info{Container: Matroska, Codec: m.codec}
	switch m.docType {
	case "webm":
		info.Container = WebM
	case "matroska":
	default:
		return Info{}, fmt.Errorf("%w: EBML document of type %q, not WebM", ErrUnknown, m.docType)
	}
	switch {
	case m.video > 0:
		return Info{}, fmt.Errorf("%w: the file has a video track, or another track besides the sound", ErrNotAudio)
	case m.audio == 0:
		return Info{}, fmt.Errorf("%w: the file has no audio track", ErrNotAudio)
	case m.audio > 1:
		return Info{}, fmt.Errorf("%w: the file has %d audio tracks; keep one", ErrNotAudio, m.audio)
	}
	switch {
	case m.duration > 0:
		ns := m.duration * float64(m.scale)
		if ns >= math.MaxInt64 {
			return Info{}, fmt.Errorf("%w: absurd duration", ErrCorrupt)
		}
		info.Duration = time.Duration(ns)
	case m.blocks > 0:
		if m.lastBlock > math.MaxInt64/m.scale {
			return Info{}, fmt.Errorf("%w: absurd block time", ErrCorrupt)
		}
		info.Duration = time.Duration(m.lastBlock*m.scale) + m.lastLength
	}
	return info, nil
}

// walk reads the elements of [off, end) inside the master element parent.
// A master of unknown size (Segment, Cluster) lasts to the end of its
// parent, or for a Cluster until the next element of the Segment's level;
// walk then returns where it stopped.
func (m *matroska) walk(off, end int, parent uint32, unsized bool) (int, error) {
	for off < end {
		id, n, err := elementID(m.b[off:end])
		if err != nil {
			return 0, fmt.Errorf("%w at byte %d", err, off)
		}
		if unsized && parent == idCluster && segmentLevel[id] {
			return off, nil
		}
		size, k, err := elementSize(m.b[off+n : end])
		if err != nil {
			return 0, fmt.Errorf("%w at byte %d", err, off)
		}
		start := off + n + k
		stop := end
		if size >= 0 {
			if int64(end-start) < size {
				return 0, fmt.Errorf("%w: element at byte %d ends past the end of the file", ErrTruncated, off)
			}
			stop = start + int(size)
		} else if id != idSegment && id != idCluster {
			return 0, fmt.Errorf("%w: element at byte %d has no size", ErrCorrupt, off)
		}
		if parent == 0 && off == 0 && id != idEBML {
			return 0, fmt.Errorf("%w: no EBML header", ErrUnknown)
		}
		if contains(children[parent], id) {
			if id == idTrackEntry {
				m.track.kind, m.track.codec = 0, ""
			}
			next, err := m.walk(start, stop, id, size < 0)
			if err != nil {
				return 0, err
			}
			if id == idTrackEntry {
				m.endTrack()
			}
			if size < 0 {
				stop = next
			}
		} else if err := m.leaf(parent, id, m.b[start:stop]); err != nil {
			return 0, fmt.Errorf("%w at byte %d", err, off)
		}
		off = stop
	}
	return off, nil
}

// leaf reads the elements that matter; the others are skipped.
func (m *matroska) leaf(parent, id uint32, v []byte) error {
	switch {
	case parent == idEBML && id == idDocType:
		m.docType = strings.TrimRight(string(v), "\x00")
	case parent == idInfo && id == idTimecodeScale:
		s, ok := uintValue(v)
		if !ok || s == 0 || s > 1e12 {
			return fmt.Errorf("%w: bad TimecodeScale", ErrCorrupt)
		}
		m.scale = int64(s)
	case parent == idInfo && id == idDuration:
		var d float64
		switch len(v) {
		case 4:
			d = float64(math.Float32frombits(binary.BigEndian.Uint32(v)))
		case 8:
			d = math.Float64frombits(binary.BigEndian.Uint64(v))
		default:
			return fmt.Errorf("%w: bad Duration", ErrCorrupt)
		}
		if math.IsNaN(d) || d < 0 || math.IsInf(d, 0) {
			return fmt.Errorf("%w: bad Duration", ErrCorrupt)
		}
		m.duration = d
	case parent == idTrackEntry && id == idTrackType:
		t, ok := uintValue(v)
		if !ok {
			return fmt.Errorf("%w: bad TrackType", ErrCorrupt)
		}
		m.track.kind = t
	case parent == idTrackEntry && id == idCodecID:
		m.track.codec = strings.TrimRight(string(v), "\x00")
	case parent == idCluster && id == idTimecode:
		t, ok := uintValue(v)
		if !ok || t > math.MaxInt32*1024 {
			return fmt.Errorf("%w: bad cluster Timecode", ErrCorrupt)
		}
		m.cluster = int64(t)
	case (parent == idCluster && id == idSimpleBlock) || (parent == idBlockGroup && id == idBlock):
		return m.block(v)
	}
	return nil
}

// block notes the time of a block and the length of its sound.
func (m *matroska) block(v []byte) error {
	_, n, err := elementSize(v) // the track number, coded as a size
	if err != nil || len(v) < n+3 {
		return fmt.Errorf("%w: bad block", ErrCorrupt)
	}
	at := m.cluster + int64(int16(binary.BigEndian.Uint16(v[n:])))
	if m.blocks == 0 || at >= m.lastBlock {
		m.lastBlock = at
		m.lastLength = 0
		if v[n+2]&0x06 == 0 && m.codec == "opus" { // no lacing: one Opus packet
			m.lastLength = opusPacketDuration(v[n+3:])
		}
	}
	m.blocks++
	return nil
}

// endTrack counts a finished TrackEntry.
func (m *matroska) endTrack() {
	switch m.track.kind {
	case 2:
		m.audio++
		switch m.track.codec {
		case "A_OPUS":
			m.codec = "opus"
		case "A_VORBIS":
			m.codec = "vorbis"
		default:
			m.codec = strings.ToLower(strings.TrimPrefix(m.track.codec, "A_"))
		}
	default:
		m.video++
	}
}

// opusPacketDuration reads the length of an Opus packet from its table of
// contents byte (RFC 6716 §3.1).
func opusPacketDuration(p []byte) time.Duration {
	if len(p) == 0 {
		return 0
	}
	toc := p[0]
	config := toc >> 3
	var frame time.Duration
	switch {
	case config < 12: // SILK: 10, 20, 40, 60 ms
		frame = [4]time.Duration{10, 20, 40, 60}[config&3] * time.Millisecond
	case config < 16: // hybrid: 10, 20 ms
		frame = [2]time.Duration{10, 20}[config&1] * time.Millisecond
	default: // CELT: 2.5, 5, 10, 20 ms
		frame = [4]time.Duration{2500, 5000, 10000, 20000}[config&3] * time.Microsecond
	}
	switch toc & 3 {
	case 0:
		return frame
	case 1, 2:
		return 2 * frame
	}
	if len(p) < 2 {
		return 0
	}
	return time.Duration(p[1]&0x3F) * frame
}

// elementID reads an EBML element id (1 to 4 bytes, marker kept).
func elementID(b []byte) (uint32, int, error) {
	if len(b) == 0 {
		return 0, 0, ErrTruncated
	}
	n := 1
	for mask := byte(0x80); n <= 4 && b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 4 {
		return 0, 0, fmt.Errorf("%w: bad element id", ErrCorrupt)
	}
	if len(b) < n {
		return 0, 0, ErrTruncated
	}
	var id uint32
	for _, c := range b[:n] {
		id = id<<8 | uint32(c)
	}
	return id, n, nil
}

// elementSize reads an EBML size (1 to 8 bytes, marker removed); -1 is
// "unknown", all value bits set.
func elementSize(b []byte) (int64, int, error) {
	if len(b) == 0 {
		return 0, 0, ErrTruncated
	}
	n := 1
	for mask := byte(0x80); n <= 8 && b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 {
		return 0, 0, fmt.Errorf("%w: bad element size", ErrCorrupt)
	}
	if len(b) < n {
		return 0, 0, ErrTruncated
	}
	v := uint64(b[0]) & (0xFF >> n)
	all := v == 0xFF>>n
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
		all = all && c == 0xFF
	}
	if all {
		return -1, n, nil
	}
	if v > math.MaxInt64 {
		return 0, 0, fmt.Errorf("%w: bad element size", ErrCorrupt)
	}
	return int64(v), n, nil
}

// uintValue reads an unsigned integer element (0 to 8 bytes).
func uintValue(v []byte) (uint64, bool) {
	if len(v) > 8 {
		return 0, false
	}
	var u uint64
	for _, c := range v {
		u = u<<8 | uint64(c)
	}
	return u, true
}

func contains(list []uint32, id uint32) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}
