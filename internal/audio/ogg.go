package audio

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// inspectOgg walks every page of an Ogg file (RFC 3533), checking each
// one's checksum, and reads the duration from the granule position of the
// last page: samples at 48 kHz less the pre-skip for Opus (RFC 7845 §4),
// samples at the stream's rate for Vorbis. Every page is read, so a file
// cut or damaged anywhere is refused rather than played half.
func inspectOgg(b []byte) (Info, error) {
	var (
		info     = Info{Container: Ogg}
		serial   uint32
		preSkip  int64
		rate     int64
		granule  int64 = -1
		ended    bool
		crcTable = oggCRCTable()
	)
	for off, n := 0, 0; off < len(b); n++ {
		if len(b)-off < 27 {
			return Info{}, fmt.Errorf("%w: Ogg page %d is incomplete", ErrTruncated, n+1)
		}
		page := b[off:]
		if string(page[:4]) != "OggS" || page[4] != 0 {
			return Info{}, fmt.Errorf("%w: no Ogg page at byte %d", ErrCorrupt, off)
		}
		flags := page[5]
		segments := int(page[26])
		if len(page) < 27+segments {
			return Info{}, fmt.Errorf("%w: Ogg page %d is incomplete", ErrTruncated, n+1)
		}
		size := 27 + segments
		for _, s := range page[27 : 27+segments] {
			size += int(s)
		}
		if len(page) < size {
			return Info{}, fmt.Errorf("%w: Ogg page %d is incomplete", ErrTruncated, n+1)
		}
		if binary.LittleEndian.Uint32(page[22:26]) != oggCRC(crcTable, page[:size]) {
			return Info{}, fmt.Errorf("%w: Ogg page %d has a bad checksum", ErrCorrupt, n+1)
		}
		body := page[27+segments : size]
		pageSerial := binary.LittleEndian.Uint32(page[14:18])
		switch {
		case n == 0:
			if flags&0x02 == 0 {
				return Info{}, fmt.Errorf("%w: the first Ogg page does not begin a stream", ErrCorrupt)
			}
			serial = pageSerial
			var err error
			if info.Codec, preSkip, rate, err = oggHead(body); err != nil {
				return Info{}, err
			}
		case pageSerial != serial || flags&0x02 != 0:
			return Info{}, fmt.Errorf("%w: the Ogg file holds more than one stream", ErrNotAudio)
		case ended:
			return Info{}, fmt.Errorf("%w: Ogg pages after the end of the stream", ErrCorrupt)
		}
		if g := int64(binary.LittleEndian.Uint64(page[6:14])); g != -1 {
			granule = g
		}
		ended = flags&0x04 != 0
		off += size
	}
	if !ended {
		return Info{}, fmt.Errorf("%w: the Ogg stream has no last page", ErrTruncated)
	}
	samples := granule - preSkip
	if granule < 0 || samples <= 0 {
		return Info{}, ErrSilent
	}
	info.Duration = duration(samples, rate)
	return info, nil
}

// oggHead reads the identification header of the stream's first packet.
// Opus counts samples at 48 kHz whatever the input rate (RFC 7845 §4).
func oggHead(p []byte) (codec string, preSkip, rate int64, err error) {
	switch {
	case bytes.HasPrefix(p, []byte("OpusHead")):
		if len(p) < 19 || p[8]>>4 != 0 || p[9] == 0 {
			return "", 0, 0, fmt.Errorf("%w: bad Opus header", ErrCorrupt)
		}
		return "opus", int64(binary.LittleEndian.Uint16(p[10:12])), 48000, nil
	case bytes.HasPrefix(p, []byte("\x01vorbis")):
		if len(p) < 30 {
			return "", 0, 0, fmt.Errorf("%w: bad Vorbis header", ErrCorrupt)
		}
		rate := int64(binary.LittleEndian.Uint32(p[12:16]))
		if rate == 0 || p[11] == 0 {
			return "", 0, 0, fmt.Errorf("%w: bad Vorbis header", ErrCorrupt)
		}
		return "vorbis", 0, rate, nil
	}
	return "", 0, 0, fmt.Errorf("%w: the Ogg file holds neither Opus nor Vorbis (video, or another codec)", ErrNotAudio)
}

// oggCRCTable is the table of Ogg's CRC-32: polynomial 0x04c11db7, most
// significant bit first, no reflection, initial value and final XOR 0
// (RFC 3533 §6). Not hash/crc32, which reflects.
func oggCRCTable() *[256]uint32 {
	var t [256]uint32
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return &t
}

// oggCRC is the checksum of a page, with its own checksum field as zeros.
func oggCRC(t *[256]uint32, page []byte) uint32 {
	var crc uint32
	for i, c := range page {
		if i >= 22 && i < 26 {
			c = 0
		}
		crc = crc<<8 ^ t[byte(crc>>24)^c]
	}
	return crc
}
