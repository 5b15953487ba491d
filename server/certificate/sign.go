// Package certificate makes Kalan's certificates: serials read over the
// phone, a signed statement anyone can verify with the public key (online at
// /verify/{serial}, or offline from the QR code), and the A4 PDF. It does no
// I/O: it takes bytes and returns bytes, and the caller reads and writes.
package certificate

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// ErrBadSignature means a signature does not verify over a payload with the
// given public key: the certificate was altered or was not issued with the
// matching private key.
var ErrBadSignature = errors.New("certificate: signature does not verify")

// payloadVersion is the "v" of payloads this package writes and reads.
const payloadVersion = 1

// dateLayout is how the completion date is stated: a day, no time or zone,
// because a certificate states the day, not the minute.
const dateLayout = "2006-01-02"

// Certificate is what a certificate states.
type Certificate struct {
	Serial       string    // stored form, see NormalizeSerial
	Holder       string    // the holder's name exactly as written (Bambara letters included)
	Course       string    // course slug
	Title        string    // course title in the holder's language
	Lang         string    // that language
	Completed    time.Time // completion date (only the UTC date is stated)
	Minutes      int       // course duration
	Organisation string    // the holder's organisation, as a label in the holder's language
	Issuer       string    // "Kalan" + the public URL host, e.g. "Kalan kalan.example.org"
}

// wire is the payload's JSON form. Field order here is the order on the
// wire, and the keys are short because the payload travels in the QR code.
type wire struct {
	V int    `json:"v"`
	S string `json:"s"`
	N string `json:"n"`
	C string `json:"c"`
	T string `json:"t"`
	L string `json:"l"`
	D string `json:"d"`
	M int    `json:"m"`
	O string `json:"o"`
	I string `json:"i"`
}

// Payload returns the exact bytes that are signed: compact JSON with a fixed
// field order and short keys,
//
//	{"v":1,"s":…,"n":…,"c":…,"t":…,"l":…,"d":"YYYY-MM-DD","m":…,"o":…,"i":…}
//
// Signing these bytes and shipping them as they are means a verifier never
// re-canonicalises anything: it checks the signature over the bytes it got.
// Strings are written as UTF-8 (not \u escapes, to keep the QR code small);
// invalid UTF-8 is replaced by U+FFFD, as encoding/json does.
func (c Certificate) Payload() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" stays "<": nothing here is embedded in HTML
	err := enc.Encode(wire{
		V: payloadVersion,
		S: c.Serial,
		N: c.Holder,
		C: c.Course,
		T: c.Title,
		L: c.Lang,
		D: c.Completed.UTC().Format(dateLayout),
		M: c.Minutes,
		O: c.Organisation,
		I: c.Issuer,
	})
	if err != nil {
		panic(err) // strings and ints always encode
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// ParsePayload reads a payload back. It is strict, because a payload comes
// from outside (a scanned QR code): a "v" other than 1, a missing, unknown
// or repeated key, a wrong type, trailing data, a serial with a wrong check
// symbol, a malformed date or negative minutes is an error.
func ParsePayload(p []byte) (Certificate, error) {
	if err := checkKeys(p); err != nil {
		return Certificate{}, err
	}
	var w wire
	dec := json.NewDecoder(bytes.NewReader(p))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Certificate{}, fmt.Errorf("certificate: payload: %w", err)
	}
	if w.V != payloadVersion {
		return Certificate{}, fmt.Errorf("certificate: payload version %d, want %d", w.V, payloadVersion)
	}
	if s, ok := NormalizeSerial(w.S); !ok || s != w.S {
		return Certificate{}, fmt.Errorf("certificate: payload serial %q is not a serial", w.S)
	}
	d, err := time.Parse(dateLayout, w.D)
	if err != nil {
		return Certificate{}, fmt.Errorf("certificate: payload date: %w", err)
	}
	if w.M < 0 {
		return Certificate{}, fmt.Errorf("certificate: payload minutes %d < 0", w.M)
	}
	return Certificate{
		Serial:       w.S,
		Holder:       w.N,
		Course:       w.C,
		Title:        w.T,
		Lang:         w.L,
		Completed:    d,
		Minutes:      w.M,
		Organisation: w.O,
		Issuer:       w.I,
	}, nil
}

// checkKeys makes sure p is one JSON object holding each version-1 key
// exactly once, no other key, and nothing after it. encoding/json alone
// would let a repeated key win over the first, match "S" to "s" (it ignores
// case) and take a missing key for a zero value.
func checkKeys(p []byte) error {
	wireKeys := [...]string{"v", "s", "n", "c", "t", "l", "d", "m", "o", "i"}
	dec := json.NewDecoder(bytes.NewReader(p))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("certificate: payload is not a JSON object")
	}
	seen := make(map[string]bool, len(wireKeys))
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("certificate: payload: %w", err)
		}
		key, _ := t.(string)
		if !slices.Contains(wireKeys[:], key) {
			return fmt.Errorf("certificate: payload key %q unknown", key)
		}
		if seen[key] {
			return fmt.Errorf("certificate: payload key %q repeated", key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("certificate: payload: %w", err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return fmt.Errorf("certificate: payload: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("certificate: payload has data after the object")
	}
	for _, k := range wireKeys {
		if !seen[k] {
			return fmt.Errorf("certificate: payload key %q missing", k)
		}
	}
	return nil
}

// Sign returns c's payload and its Ed25519 signature. Like ed25519.Sign it
// panics if key is not a 64-byte private key: keys come from
// DecodePrivateKey or NewKey, so a bad one is a programming error.
func Sign(key ed25519.PrivateKey, c Certificate) (payload, sig []byte) {
	payload = c.Payload()
	return payload, ed25519.Sign(key, payload)
}

// Verify checks sig over payload with only the public key, then returns
// what the payload states. It returns ErrBadSignature when the signature
// does not verify; a malformed public key is a different error, because it
// is the verifier's configuration that is wrong, not the certificate.
func Verify(pub ed25519.PublicKey, payload, sig []byte) (Certificate, error) {
	if len(pub) != ed25519.PublicKeySize {
		return Certificate{}, fmt.Errorf("certificate: public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if !ed25519.Verify(pub, payload, sig) {
		return Certificate{}, ErrBadSignature
	}
	return ParsePayload(payload)
}
