package certificate

import (
	"crypto/rand"
	"strings"
	"unicode"
)

// alphabet has 31 symbols: digits and capitals without 0 O 1 I L, which
// are misread on paper and over the phone. 31 is prime, which is what makes
// the check symbol below catch every single error and adjacent swap.
const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

const (
	base       = len(alphabet) // 31
	dataLen    = 8             // random symbols: 31^8 ≈ 8.5·10^11 serials
	serialLen  = dataLen + 1   // plus the check symbol
	groupLen   = 3             // "7QX-4M2-PAQ"
	maxTyped   = 64            // longer input is not a serial someone typed
	rejectFrom = 256 - 256%base
)

// symbolValue maps a symbol to its value in alphabet, or -1.
func symbolValue(r rune) int {
	return strings.IndexRune(alphabet, r)
}

// checkSum is Σ weight·value over the serial, position i (0-based) having
// weight serialLen-i: weights 9…1 are distinct and non-zero modulo 31, so
// one wrong symbol changes the sum by w·(a−b) and a swap of neighbours by
// (w_i−w_{i+1})·(a−b), neither of which is 0 mod 31 when a≠b.
func checkSum(values []int) int {
	sum := 0
	for i, v := range values {
		sum += (serialLen - i) * v
	}
	return sum % base
}

// checkSymbol returns the symbol that makes the whole serial's sum 0 mod 31
// (the check symbol itself has weight 1).
func checkSymbol(data []int) byte {
	return alphabet[(base-checkSum(data))%base]
}

// NewSerial returns a fresh random serial in stored form: 8 symbols from a
// crypto-random source and the check symbol, 9 symbols, no dashes. The
// caller still checks uniqueness against its store: 31^8 makes a clash rare,
// not impossible.
func NewSerial() string {
	var out [serialLen]byte
	var values [dataLen]int
	var buf [16]byte
	n := 0
	for n < dataLen {
		rand.Read(buf[:]) // never fails since Go 1.24
		for _, b := range buf {
			// Rejection sampling: 256 is not a multiple of 31, and a plain
			// b%31 would favour the first symbols.
			if int(b) >= rejectFrom || n == dataLen {
				continue
			}
			values[n] = int(b) % base
			out[n] = alphabet[values[n]]
			n++
		}
	}
	out[dataLen] = checkSymbol(values[:])
	return string(out[:])
}

// FormatSerial shows a stored serial in groups of three, "7QX4M2PAQ" →
// "7QX-4M2-PAQ", which is easier to read aloud and to copy by hand. Anything
// that is not 9 bytes long is returned unchanged.
func FormatSerial(s string) string {
	if len(s) != serialLen {
		return s
	}
	return s[:groupLen] + "-" + s[groupLen:2*groupLen] + "-" + s[2*groupLen:]
}

// NormalizeSerial turns what a person typed into the stored form. Case does
// not matter and spaces and dashes (including the typographic ones a phone
// keyboard substitutes) are ignored. It reports false for anything that is
// not 9 symbols of the alphabet with the right check symbol; the ambiguous
// 0 O 1 I L are refused rather than guessed, so a typo is reported as such
// instead of resolving to someone else's certificate.
func NormalizeSerial(input string) (string, bool) {
	if len(input) > maxTyped {
		return "", false
	}
	var out [serialLen]byte
	var values [serialLen]int
	n := 0
	for _, r := range input {
		if unicode.IsSpace(r) || r == '-' || unicode.Is(unicode.Pd, r) {
			continue
		}
		if 'a' <= r && r <= 'z' { // ASCII only: unicode.ToUpper('ſ') is 'S'
			r -= 'a' - 'A'
		}
		v := symbolValue(r)
		if v < 0 || n == serialLen {
			return "", false
		}
		values[n] = v
		out[n] = alphabet[v]
		n++
	}
	if n != serialLen || checkSum(values[:]) != 0 {
		return "", false
	}
	return string(out[:]), true
}
