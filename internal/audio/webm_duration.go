package audio

import (
	"encoding/binary"
	"math"
	"time"
)

const (
	idSeekHead = 0x114D9B74
	idCues     = 0x1C53BB6B
)

// WithWebMDuration returns a recording streamed by a browser's
// MediaRecorder with the Duration written into its Info element, so that
// a player shows its length before it has played it to the end (Chrome
// writes none: its recorder does not know the length when it starts).
// The sound is the browser's, byte for byte: only Info grows by the
// eleven bytes of the Duration. It applies to a WebM whose Segment has an
// unknown size and no SeekHead or Cues (nothing points past Info, so
// nothing else moves); any other file comes back as it is, with false.
func WithWebMDuration(b []byte, d time.Duration) ([]byte, bool) {
	if d <= 0 {
		return b, false
	}
	// The EBML header, then the Segment of unknown size.
	off, ok := skipElement(b, 0, idEBML)
	if !ok {
		return b, false
	}
	id, n, err := elementID(b[off:])
	if err != nil || id != idSegment {
		return b, false
	}
	size, sn, err := elementSize(b[off+n:])
	if err != nil || size != -1 {
		return b, false
	}
	for off += n + sn; off < len(b); {
		id, n, err := elementID(b[off:])
		if err != nil {
			return b, false
		}
		size, sn, err := elementSize(b[off+n:])
		if err != nil || size < 0 || int64(len(b)-off-n-sn) < size {
			return b, false
		}
		switch id {
		case idSeekHead, idCues, idCluster:
			return b, false
		case idInfo:
			return addDuration(b, off, n, sn, int(size), d)
		}
		off += n + sn + int(size)
	}
	return b, false
}

// skipElement returns where the element at off, which must be id, ends.
func skipElement(b []byte, off int, want uint32) (int, bool) {
	id, n, err := elementID(b[off:])
	if err != nil || id != want {
		return 0, false
	}
	size, sn, err := elementSize(b[off+n:])
	if err != nil || size < 0 || int64(len(b)-off-n-sn) < size {
		return 0, false
	}
	return off + n + sn + int(size), true
}

// addDuration appends a Duration to the Info element at off (id n bytes,
// size sn bytes, size bytes of children) unless it has one.
func addDuration(b []byte, off, n, sn, size int, d time.Duration) ([]byte, bool) {
	start := off + n + sn
	scale := int64(1_000_000)
	for p := start; p < start+size; {
		id, in, err := elementID(b[p : start+size])
		if err != nil {
			return b, false
		}
		vs, vn, err := elementSize(b[p+in : start+size])
		if err != nil || vs < 0 || int64(start+size-p-in-vn) < vs {
			return b, false
		}
		v := b[p+in+vn : p+in+vn+int(vs)]
		switch id {
		case idDuration:
			return b, false
		case idTimecodeScale:
			if s, ok := uintValue(v); ok && s > 0 && s <= math.MaxInt64 {
				scale = int64(s)
			}
		}
		p += in + vn + int(vs)
	}
	elem := make([]byte, 11)
	elem[0], elem[1], elem[2] = 0x44, 0x89, 0x88 // Duration, 8 bytes
	binary.BigEndian.PutUint64(elem[3:], math.Float64bits(float64(d)/float64(scale)))
	out := make([]byte, 0, len(b)+len(elem)+8)
	out = append(out, b[:off+n]...)
	out = append(out, sizeVint(uint64(size+len(elem)), sn)...)
	out = append(out, b[start:start+size]...)
	out = append(out, elem...)
	return append(out, b[start+size:]...), true
}

// sizeVint encodes an EBML size in at least width bytes (the width the
// file used, so that a reader that cached it is not surprised).
func sizeVint(v uint64, width int) []byte {
	for width < 8 && v >= 1<<(7*width)-1 {
		width++
	}
	out := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		out[i] = byte(v)
		v >>= 8
	}
	out[0] |= 0x80 >> (width - 1)
	return out
}
