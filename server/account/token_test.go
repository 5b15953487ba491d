package account

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

// testDraws is how many values each uniqueness test draws.
const testDraws = 1000

func TestNewToken(t *testing.T) {
	tokenRE := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	hashRE := regexp.MustCompile(`^[0-9a-f]{64}$`)
	seen := map[string]bool{}
	for range testDraws {
		token, hash := NewToken()
		if !tokenRE.MatchString(token) || !hashRE.MatchString(hash) {
			t.Fatalf("NewToken() = %q, %q", token, hash)
		}
		if HashToken(token) != hash {
			t.Fatalf("HashToken(%q) != %q", token, hash)
		}
		if seen[token] {
			t.Fatalf("NewToken repeated %q", token)
		}
		seen[token] = true
	}
	sum := sha256.Sum256([]byte("abc"))
	if got, want := HashToken("abc"), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("HashToken(abc) = %q, want %q", got, want)
	}
}

func TestNewID(t *testing.T) {
	idRE := regexp.MustCompile(`^[0-9a-f]{32}$`)
	seen := map[string]bool{}
	for range testDraws {
		id := NewID()
		if !idRE.MatchString(id) {
			t.Fatalf("NewID() = %q", id)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %q", id)
		}
		seen[id] = true
	}
}

func TestNewJoinCode(t *testing.T) {
	codeRE := regexp.MustCompile(`^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}$`)
	seen := map[string]bool{}
	used := map[rune]bool{}
	for range testDraws {
		code := NewJoinCode()
		if !codeRE.MatchString(code) || strings.ContainsAny(code, "01OIL") {
			t.Fatalf("NewJoinCode() = %q", code)
		}
		if NormalizeJoinCode(code) != code || NormalizeJoinCode(FormatJoinCode(code)) != code {
			t.Fatalf("NewJoinCode() = %q does not survive normalisation", code)
		}
		if seen[code] {
			t.Fatalf("NewJoinCode repeated %q", code)
		}
		seen[code] = true
		for _, r := range code {
			used[r] = true
		}
	}
	if len(used) != len(joinCodeAlphabet) {
		t.Errorf("1000 codes used %d symbols of %d", len(used), len(joinCodeAlphabet))
	}
}

func TestFormatJoinCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"K7QXM4PA", "K7QX-M4PA"},
		{"", ""},
		{"K7QX", "K7QX"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := FormatJoinCode(tt.in); got != tt.want {
				t.Errorf("FormatJoinCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeJoinCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"K7QXM4PA", "K7QXM4PA"},
		{"K7QX-M4PA", "K7QXM4PA"},
		{"k7qx-m4pa", "K7QXM4PA"},
		{"  k7qx m4pa ", "K7QXM4PA"},
		{"K 7 Q X - M 4 P A", "K7QXM4PA"},
		{"k7qx\u00a0m4pa", "K7QXM4PA"},
		{"", ""},
		{"K7QX-M4P", ""},       // 7 symbols
		{"K7QX-M4PAB", ""},     // 9 symbols
		{"K7QX-M4P0", ""},      // zero
		{"K7QX-M4PO", ""},      // letter O
		{"K7QX-M4P1", ""},      // one
		{"K7QX-M4PI", ""},      // letter I
		{"K7QX-M4PL", ""},      // letter L
		{"k7qx-m4pl", ""},      // lower-case l
		{"K7QX_M4PA", ""},      // underscore
		{"K7QX-M4PÅ", ""},      // not ASCII
		{"K7QX-M4Pſ", ""},      // long s, which upper-cases to S in Unicode
		{"K7QX\nM4PA", ""},     // new line
		{"K7QX-M4PA-K7QX", ""}, // two codes
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NormalizeJoinCode(tt.in); got != tt.want {
				t.Errorf("NormalizeJoinCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
