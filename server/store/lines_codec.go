package store

import (
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// linesCodec compresses the packed answer lines of a month document.
// A national report reads every month of every cohort (35 MB of lines at
// 20,000 trainees): the embedded FerretDB stores documents as JSON and
// scanned each byte of them; compressed, the lines are a sixth of that,
// and zstd gives them back faster than JSON could read them.
type linesCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newLinesCodec() (*linesCodec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	// At most 64 MiB out: a month of one cohort is far less, and a
	// damaged document must not make the server allocate without bound.
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(64<<20))
	if err != nil {
		return nil, err
	}
	return &linesCodec{enc: enc, dec: dec}, nil
}

func (c *linesCodec) pack(lines string) []byte {
	if lines == "" {
		return nil
	}
	return c.enc.EncodeAll([]byte(lines), nil)
}

// lines returns what a document holds: its compressed lines, or the
// plain string that documents written before held.
func (c *linesCodec) lines(d answersDoc) (string, error) {
	if len(d.Z) == 0 {
		return d.Lines, nil
	}
	out, err := c.dec.DecodeAll(d.Z, nil)
	if err != nil {
		return "", fmt.Errorf("answers %s: %w", d.ID, err)
	}
	return string(out), nil
}
