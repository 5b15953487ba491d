package server

import (
	"net/url"
	"testing"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		header          string
		size            int64
		start, end      int64
		ok, satisfiable bool
	}{
		{"bytes=0-99", 1000, 0, 99, true, true},
		{"bytes=500-", 1000, 500, 999, true, true},
		{"bytes=-100", 1000, 900, 999, true, true},
		{"bytes=-5000", 1000, 0, 999, true, true},
		{"bytes=900-5000", 1000, 900, 999, true, true},
		{"bytes=999-999", 1000, 999, 999, true, true},
		{"bytes=1000-", 1000, 0, 0, true, false},
		{"bytes=1000-2000", 1000, 0, 0, true, false},
		{"bytes=-0", 1000, 0, 0, true, false},
		{"bytes=0-", 0, 0, 0, true, false},
		{"bytes=5-1", 1000, 0, 0, false, false},
		{"bytes=0-1,5-6", 1000, 0, 0, false, false},
		{"items=0-1", 1000, 0, 0, false, false},
		{"bytes=a-b", 1000, 0, 0, false, false},
		{"bytes=-", 1000, 0, 0, false, false},
		{"bytes=--1", 1000, 0, 0, false, false},
		{"", 1000, 0, 0, false, false},
	}
	for _, tt := range tests {
		start, end, ok, sat := parseRange(tt.header, tt.size)
		if start != tt.start || end != tt.end || ok != tt.ok || sat != tt.satisfiable {
			t.Errorf("parseRange(%q, %d) = %d, %d, %v, %v; want %d, %d, %v, %v", tt.header, tt.size, start, end, ok, sat, tt.start, tt.end, tt.ok, tt.satisfiable)
		}
	}
}

func FuzzParseRange(f *testing.F) {
	f.Add("bytes=0-99", int64(1000))
	f.Add("bytes=-9223372036854775808", int64(10))
	f.Add("bytes=9223372036854775807-", int64(10))
	f.Fuzz(func(t *testing.T, header string, size int64) {
		if size < 0 {
			size = -size
		}
		start, end, ok, sat := parseRange(header, size)
		if sat && (!ok || start < 0 || end < start || end >= size) {
			t.Fatalf("parseRange(%q, %d) = %d-%d, outside the file", header, size, start, end)
		}
	})
}

func TestContentDisposition(t *testing.T) {
	got := contentDisposition(`Affiche n°1 "Kɔnɔ" (fr).pdf`)
	want := `attachment; filename="Affiche n_1 _K_n__ (fr).pdf"; filename*=UTF-8''Affiche%20n%C2%B01%20%22K%C9%94n%C9%94%22%20%28fr%29.pdf`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// The encoded name decodes back exactly.
	enc := got[len(`attachment; filename="Affiche n_1 _K_n__ (fr).pdf"; filename*=UTF-8''`):]
	if dec, err := url.PathUnescape(enc); err != nil || dec != `Affiche n°1 "Kɔnɔ" (fr).pdf` {
		t.Errorf("decodes to %q, %v", dec, err)
	}
}
