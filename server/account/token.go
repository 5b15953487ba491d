package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewToken returns a random secret for a session or a one-time link (32
// bytes from crypto/rand, base64 URL-safe without padding: 43 characters)
// and its hash: the database stores only the hash, so a leaked database
// does not leak live sessions.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand crashes the program rather than return an error
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of a token string, as stored. A fast
// hash is enough: the token has 256 random bits, nothing to guess.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewID returns a random 16-byte id in lower-case hex (32 characters), for
// users and cohorts: unguessable, so an id in a URL reveals nothing.
func NewID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// joinCodeAlphabet has no 0 O 1 I L: a join code is read aloud, written
// on a board and typed on a phone.
const joinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// joinCodeLength is the number of symbols of a join code: 31^8, about
// 8.5e11 codes, against a join form that is rate-limited.
const joinCodeLength = 8

// NewJoinCode returns a random cohort code of 8 characters of
// joinCodeAlphabet, as stored; FormatJoinCode shows it.
func NewJoinCode() string {
	const n = len(joinCodeAlphabet)
	const limit = 256 - 256%n // bytes at or above it are redrawn, so that every symbol is equally likely
	code := make([]byte, 0, joinCodeLength)
	buf := make([]byte, 16)
	for len(code) < joinCodeLength {
		rand.Read(buf)
		for _, c := range buf {
			if int(c) < limit && len(code) < joinCodeLength {
				code = append(code, joinCodeAlphabet[int(c)%n])
			}
		}
	}
	return string(code)
}

// FormatJoinCode groups a stored code for reading: "K7QXM4PA" → "K7QX-M4PA".
// Anything that is not 8 bytes long is returned as it is.
func FormatJoinCode(code string) string {
	if len(code) != joinCodeLength {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// NormalizeJoinCode reads a code as a person types it: any case, spaces
// and hyphens ignored. It returns the stored form, or "" when the rest is
// not 8 characters of the alphabet. It does not guess (an O is not taken
// for a 0): both are outside the alphabet, so a mistyped code is refused
// rather than matched to another cohort.
func NormalizeJoinCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '\u00a0' || r == '\u2010' || r == '\u2011':
			continue
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A'
		}
		if r > 0x7f || !strings.ContainsRune(joinCodeAlphabet, r) || b.Len() >= joinCodeLength {
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != joinCodeLength {
		return ""
	}
	return b.String()
}
