package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// The argon2id parameters of new hashes: OWASP's first recommended
// setting (19 MiB, 2 passes, 1 lane), affordable on a small office server
// while costing an attacker the memory.
const (
	argonMemory  = 19456 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Sane bounds of a stored hash's parameters, so that a tampered or
// corrupted hash cannot make one sign-in take gigabytes or minutes.
const (
	maxArgonMemory  = 256 * 1024 // KiB
	maxArgonTime    = 16
	maxArgonThreads = 16
	minArgonSalt    = 8
	maxArgonSalt    = 64
	minArgonKey     = 16
	maxArgonKey     = 64
)

// ErrInvalidHash is returned, wrapped, by VerifyPassword for a stored hash
// that is not a PHC argon2id string with sane parameters.
var ErrInvalidHash = errors.New("account: invalid password hash")

// b64 is the PHC strings' base64: standard alphabet, no padding; Strict
// refuses the variants that would decode to the same bytes.
func b64() *base64.Encoding { return base64.RawStdEncoding.Strict() }

// HashPassword hashes a password with argon2id and a random salt, in the
// PHC string format "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", which
// carries its parameters so that they can change later. The password is
// composed (NFC) first, so that "é" typed as one or two code points signs
// in alike.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("account: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64().EncodeToString(salt), b64().EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches an encoded hash, comparing in
// constant time. needsRehash is true when the password matched but the hash
// was made with other parameters than HashPassword's: the caller then
// stores a new hash. err (wrapping ErrInvalidHash) means the stored string
// is malformed or its parameters are out of bounds.
func VerifyPassword(encoded, pw string) (ok, needsRehash bool, err error) {
	h, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	if subtle.ConstantTimeCompare(key, h.key) != 1 {
		return false, false, nil
	}
	needsRehash = h.memory != argonMemory || h.time != argonTime || h.threads != argonThreads ||
		len(h.salt) != argonSaltLen || len(h.key) != argonKeyLen
	return true, needsRehash, nil
}

// dummySalt salts DummyVerify's work; any 16 bytes do.
const dummySalt = "kalan-dummy-salt"

// DummyVerify does the work of VerifyPassword against a hash of the
// current parameters and throws the result away. Sign-in calls it when no
// account has the login, so that the answer takes as long as for a real
// account and does not reveal which logins exist.
func DummyVerify(pw string) {
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), []byte(dummySalt), argonTime, argonMemory, argonThreads, argonKeyLen)
	subtle.ConstantTimeCompare(key, make([]byte, argonKeyLen))
}

// phc is a parsed argon2id hash.
type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parsePHC reads "$argon2id$v=19$m=…,t=…,p=…$salt$hash" strictly.
func parsePHC(s string) (phc, error) {
	var h phc
	bad := func(why string) (phc, error) { return phc{}, fmt.Errorf("%w: %s", ErrInvalidHash, why) }
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return bad("not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version")
	}
	params := strings.Split(parts[3], ",")
	if len(params) != 3 {
		return bad("parameters")
	}
	m, okM := phcParam(params[0], "m=", maxArgonMemory)
	t, okT := phcParam(params[1], "t=", maxArgonTime)
	p, okP := phcParam(params[2], "p=", maxArgonThreads)
	if !okM || !okT || !okP || t < 1 || p < 1 || m < 8*p {
		return bad("parameters out of bounds")
	}
	h.memory, h.time, h.threads = m, t, uint8(p)
	var err error
	if h.salt, err = b64().DecodeString(parts[4]); err != nil || len(h.salt) < minArgonSalt || len(h.salt) > maxArgonSalt {
		return bad("salt")
	}
	if h.key, err = b64().DecodeString(parts[5]); err != nil || len(h.key) < minArgonKey || len(h.key) > maxArgonKey {
		return bad("hash")
	}
	return h, nil
}

// phcParam reads "m=19456" given the prefix "m=" and an upper bound.
func phcParam(s, prefix string, max uint32) (uint32, bool) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n > uint64(max) {
		return 0, false
	}
	return uint32(n), true
}

// passwordAlphabet has no 0 O o 1 I l: a one-time password is read from a
// screen or paper and typed on a phone. 32 symbols, so a random byte maps
// to one without bias and each symbol carries 5 bits.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// GeneratePassword makes a one-time password for `kalan users create`:
// four groups of four characters ("k7qx-m4pa-93hr-zwe2"), 80 random bits,
// that CheckPassword accepts.
func GeneratePassword() string {
	for {
		b := make([]byte, 16)
		rand.Read(b) // never fails: crypto/rand crashes the program rather than return an error
		var s strings.Builder
		for i, c := range b {
			if i > 0 && i%4 == 0 {
				s.WriteByte('-')
			}
			s.WriteByte(passwordAlphabet[c%32])
		}
		if CheckPassword(s.String()) == nil {
			return s.String()
		}
	}
}
