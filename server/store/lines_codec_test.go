package store

import (
	"strings"
	"testing"
)

// Answer lines come back as written, from a compressed document or from
// a plain one written before; a damaged document is an error, not a
// panic or a runaway allocation.
func TestLinesCodec(t *testing.T) {
	c, err := newLinesCodec()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Repeat("attempt-1\t1|u1|fr|80|1|1733000000|q1:1:a|q2:0:b,c\n", 500)
	z := c.pack(lines)
	if len(z) == 0 || len(z) > len(lines)/5 {
		t.Errorf("%d bytes of lines packed into %d", len(lines), len(z))
	}
	for name, d := range map[string]answersDoc{"compressed": {Z: z}, "plain, as written before": {Lines: lines}} {
		if got, err := c.lines(d); err != nil || got != lines {
			t.Errorf("%s: %d bytes back, %v", name, len(got), err)
		}
	}
	if got, err := c.lines(answersDoc{}); err != nil || got != "" || c.pack("") != nil {
		t.Errorf("empty: %q %v", got, err)
	}
	if _, err := c.lines(answersDoc{ID: "x", Z: append([]byte{0x28, 0xb5, 0x2f, 0xfd}, "not zstd at all"...)}); err == nil {
		t.Error("a damaged document was read")
	}
}
