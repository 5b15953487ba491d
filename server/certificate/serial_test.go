package certificate_test

import (
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/certificate"
)

// alphabet restates the serial alphabet: 31 symbols, no 0 O 1 I L.
const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func TestNewSerial(t *testing.T) {
	const n = 10_000
	seen := make(map[string]bool, n)
	for range n {
		s := certificate.NewSerial()
		if len(s) != 9 {
			t.Fatalf("NewSerial() = %q: %d symbols, want 9", s, len(s))
		}
		if strings.Trim(s, alphabet) != "" {
			t.Fatalf("NewSerial() = %q: symbol outside %q", s, alphabet)
		}
		if got, ok := certificate.NormalizeSerial(s); !ok || got != s {
			t.Fatalf("NormalizeSerial(NewSerial() = %q) = %q, %v", s, got, ok)
		}
		if seen[s] {
			t.Fatalf("NewSerial() repeated %q within %d serials", s, n)
		}
		seen[s] = true
	}
}

// TestNewSerialUniform catches a modulo bias: with a plain byte%31 the
// first 8 symbols would come up 12.5% more often than the others.
func TestNewSerialUniform(t *testing.T) {
	const n = 100_000
	counts := make(map[rune]int, len(alphabet))
	for range n {
		for _, r := range certificate.NewSerial()[:8] { // the check symbol is not random
			counts[r]++
		}
	}
	want := float64(n*8) / float64(len(alphabet)) // ≈25,800, σ ≈ 158
	for _, r := range alphabet {
		if got := float64(counts[r]); got < want*0.95 || got > want*1.05 {
			t.Errorf("symbol %c drawn %.0f times, want %.0f ± 5%%", r, got, want)
		}
	}
}

func TestFormatSerial(t *testing.T) {
	tests := []struct{ in, want string }{
		{"7QX4M2PAQ", "7QX-4M2-PAQ"},
		{"AAAAAAAAA", "AAA-AAA-AAA"},
		{"", ""},                       // not a serial: unchanged
		{"7QX4M2PA", "7QX4M2PA"},       // too short: unchanged
		{"7QX-4M2-PAQ", "7QX-4M2-PAQ"}, // already formatted: unchanged
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := certificate.FormatSerial(tt.in); got != tt.want {
				t.Errorf("FormatSerial(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeSerial(t *testing.T) {
	// 7QX4M2PAQ, KANKAN239, AAAAAAAAA and 99999999Q are valid: computed
	// by hand from the weights 9…1 (sum ≡ 0 mod 31).
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"stored form", "7QX4M2PAQ", "7QX4M2PAQ", true},
		{"formatted", "7QX-4M2-PAQ", "7QX4M2PAQ", true},
		{"lower case", "7qx-4m2-paq", "7QX4M2PAQ", true},
		{"mixed case and spaces", " 7Qx 4m2 PaQ ", "7QX4M2PAQ", true},
		{"tab and newline", "7QX\t4M2\nPAQ", "7QX4M2PAQ", true},
		{"typographic dashes", "7QX–4M2—PAQ", "7QX4M2PAQ", true},
		{"no-break space", "7QX\u00a04M2\u00a0PAQ", "7QX4M2PAQ", true},
		{"many dashes", "--7QX--4M2--PAQ--", "7QX4M2PAQ", true},
		{"another", "KANKAN239", "KANKAN239", true},
		{"all the same", "AAAAAAAAA", "AAAAAAAAA", true},
		{"nines", "999-999-99Q", "99999999Q", true},

		{"wrong check symbol", "7QX4M2PAK", "", false},
		{"one symbol changed", "7QX4M3PAQ", "", false},
		{"neighbours swapped", "Q7X4M2PAQ", "", false},
		{"O for Q", "7OX4M2PAQ", "", false},
		{"zero", "7QX4M0PAQ", "", false},
		{"I", "7QX4MIPAQ", "", false},
		{"one", "7QX4M1PAQ", "", false},
		{"L", "7QX4MLPAQ", "", false},
		{"lower-case l", "7QX4MlPAQ", "", false},
		{"long s is not S", "ſſſſſſſſſ", "", false},
		{"dotless i", "7QX4MıPAQ", "", false},
		{"fullwidth letters", "７ＱＸ４Ｍ２ＰＡＱ", "", false},
		{"eight symbols", "7QX4M2PA", "", false},
		{"ten symbols", "7QX4M2PAQA", "", false},
		{"empty", "", "", false},
		{"only dashes", "---", "", false},
		{"punctuation", "7QX.4M2.PAQ", "", false},
		{"underscore", "7QX_4M2_PAQ", "", false},
		{"very long", strings.Repeat(" ", 100) + "7QX4M2PAQ", "", false},
		{"invalid UTF-8", "7QX4M2PA\xff", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := certificate.NormalizeSerial(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NormalizeSerial(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestCheckSymbolIsUnique: for any 8 symbols exactly one check symbol
// makes a valid serial, so the check symbol carries no choice.
func TestCheckSymbolIsUnique(t *testing.T) {
	for _, s := range sampleSerials(t, 500) {
		valid := 0
		for _, c := range alphabet {
			if _, ok := certificate.NormalizeSerial(s[:8] + string(c)); ok {
				valid++
			}
		}
		if valid != 1 {
			t.Fatalf("%s: %d valid check symbols, want 1", s[:8], valid)
		}
	}
}

// TestCheckSymbolCatchesErrors proves by brute force, over a sample of
// serials, that the check symbol catches every single wrong symbol (in any
// of the 9 positions, check symbol included, by any of the 30 other
// symbols) and every swap of two different adjacent symbols: the two
// mistakes people make reading a serial over the phone or copying it.
func TestCheckSymbolCatchesErrors(t *testing.T) {
	substitutions, swaps := 0, 0
	for _, s := range sampleSerials(t, 2_000) {
		b := []byte(s)
		for i := range b {
			orig := b[i]
			for _, c := range []byte(alphabet) {
				if c == orig {
					continue
				}
				b[i] = c
				if _, ok := certificate.NormalizeSerial(string(b)); ok {
					t.Fatalf("%s with position %d changed to %c is accepted as %s", s, i, c, b)
				}
				substitutions++
			}
			b[i] = orig
		}
		for i := 0; i+1 < len(b); i++ {
			if b[i] == b[i+1] {
				continue // a swap of equal symbols changes nothing
			}
			b[i], b[i+1] = b[i+1], b[i]
			if _, ok := certificate.NormalizeSerial(string(b)); ok {
				t.Fatalf("%s with positions %d and %d swapped is accepted as %s", s, i, i+1, b)
			}
			b[i], b[i+1] = b[i+1], b[i]
			swaps++
		}
	}
	t.Logf("refused %d single substitutions and %d adjacent transpositions", substitutions, swaps)
}

// sampleSerials returns n random serials plus, for each symbol, the serial
// whose 8 data symbols are all that symbol (valid check symbol found by
// trying them all), so every symbol is tried in every position.
func sampleSerials(t *testing.T, n int) []string {
	t.Helper()
	out := make([]string, 0, n+len(alphabet))
	for _, r := range alphabet {
		data := strings.Repeat(string(r), 8)
		for _, c := range alphabet {
			if s, ok := certificate.NormalizeSerial(data + string(c)); ok {
				out = append(out, s)
			}
		}
	}
	if len(out) != len(alphabet) {
		t.Fatalf("found %d repeated-symbol serials, want %d", len(out), len(alphabet))
	}
	for range n {
		out = append(out, certificate.NewSerial())
	}
	return out
}

func FuzzNormalizeSerial(f *testing.F) {
	for _, s := range []string{"7QX4M2PAQ", "7qx-4m2-paq", "7QX4M2PAK", "", "O0I1L", "７ＱＸ", "---", "ſ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := certificate.NormalizeSerial(in)
		if !ok {
			if got != "" {
				t.Fatalf("NormalizeSerial(%q) = %q, false: want empty", in, got)
			}
			return
		}
		if len(got) != 9 || strings.Trim(got, alphabet) != "" {
			t.Fatalf("NormalizeSerial(%q) = %q: not 9 symbols of the alphabet", in, got)
		}
		for _, again := range []string{got, certificate.FormatSerial(got), strings.ToLower(got)} {
			if g, ok := certificate.NormalizeSerial(again); !ok || g != got {
				t.Fatalf("NormalizeSerial(%q) = %q, %v; want %q", again, g, ok, got)
			}
		}
	})
}
