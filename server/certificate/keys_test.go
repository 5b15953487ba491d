package certificate_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/server/certificate"
)

func TestKeyRoundTrip(t *testing.T) {
	key := testKey(t)
	privPEM, err := certificate.EncodePrivateKey(key)
	if err != nil {
		t.Fatalf("EncodePrivateKey: %v", err)
	}
	pubPEM, err := certificate.EncodePublicKey(key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatalf("EncodePublicKey: %v", err)
	}
	for _, tt := range []struct {
		pem  []byte
		want string
	}{{privPEM, "-----BEGIN PRIVATE KEY-----\n"}, {pubPEM, "-----BEGIN PUBLIC KEY-----\n"}} {
		if !bytes.HasPrefix(tt.pem, []byte(tt.want)) {
			t.Errorf("PEM starts %q, want %q", tt.pem[:min(len(tt.pem), 30)], tt.want)
		}
	}

	gotKey, err := certificate.DecodePrivateKey(privPEM)
	if err != nil {
		t.Fatalf("DecodePrivateKey: %v", err)
	}
	if !key.Equal(gotKey) {
		t.Errorf("private key changed in a round trip")
	}
	gotPub, err := certificate.DecodePublicKey(pubPEM)
	if err != nil {
		t.Fatalf("DecodePublicKey: %v", err)
	}
	if !key.Public().(ed25519.PublicKey).Equal(gotPub) {
		t.Errorf("public key changed in a round trip")
	}

	// A decoded pair still signs and verifies.
	payload, sig := certificate.Sign(gotKey, testCert(t))
	if _, err := certificate.Verify(gotPub, payload, sig); err != nil {
		t.Errorf("Verify with decoded keys: %v", err)
	}
}

func TestDecodeKeyRefuses(t *testing.T) {
	key := testKey(t)
	privPEM, _ := certificate.EncodePrivateKey(key)
	pubPEM, _ := certificate.EncodePublicKey(key.Public().(ed25519.PublicKey))

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	ecPubDER, err := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})
	ecPubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecPubDER})
	withHeaders := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: ecDER})
	garbled := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not DER")})

	tests := []struct {
		name   string
		in     []byte
		decode func([]byte) error
	}{
		{"private: empty", nil, decodePriv},
		{"private: not PEM", []byte("hello"), decodePriv},
		{"private: a public key", pubPEM, decodePriv},
		{"private: ECDSA", ecPEM, decodePriv},
		{"private: headers", withHeaders, decodePriv},
		{"private: bad DER", garbled, decodePriv},
		{"private: two blocks", append(bytes.Clone(privPEM), privPEM...), decodePriv},
		{"private: old EC block type", bytes.ReplaceAll(privPEM, []byte("PRIVATE KEY"), []byte("EC PRIVATE KEY")), decodePriv},
		{"public: empty", nil, decodePub},
		{"public: a private key", privPEM, decodePub},
		{"public: ECDSA", ecPubPEM, decodePub},
		{"public: bad DER", bytes.ReplaceAll(garbled, []byte("PRIVATE"), []byte("PUBLIC")), decodePub},
		{"public: two blocks", append(bytes.Clone(pubPEM), pubPEM...), decodePub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.decode(tt.in); err == nil {
				t.Errorf("decoded %q without error", tt.in)
			}
		})
	}

	t.Run("trailing white space is fine", func(t *testing.T) {
		if err := decodePriv(append(bytes.Clone(privPEM), "\n\n  "...)); err != nil {
			t.Error(err)
		}
	})
	t.Run("encode refuses a short key", func(t *testing.T) {
		if _, err := certificate.EncodePrivateKey(key[:32]); err == nil {
			t.Error("EncodePrivateKey of 32 bytes: no error")
		}
		if _, err := certificate.EncodePublicKey(make(ed25519.PublicKey, 31)); err == nil {
			t.Error("EncodePublicKey of 31 bytes: no error")
		}
	})
}

func decodePriv(b []byte) error { _, err := certificate.DecodePrivateKey(b); return err }
func decodePub(b []byte) error  { _, err := certificate.DecodePublicKey(b); return err }

// TestKeysWithOpenSSL checks that the PEM files are the standard ones: an
// operator can inspect them with openssl, a key made by openssl works, and
// anyone can check a certificate's signature with openssl and the public
// key alone. Without openssl only these checks are skipped (a failure
// under CI=true); the round trips above do not need it.
func TestKeysWithOpenSSL(t *testing.T) {
	openssl := tool(t, "openssl", "apt-get install openssl")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	key := testKey(t)
	privPEM, err := certificate.EncodePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := certificate.EncodePublicKey(key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	priv, pub := write("key.pem", privPEM), write("pub.pem", pubPEM)

	t.Run("openssl reads our private key", func(t *testing.T) {
		run(t, openssl, "pkey", "-in", priv, "-noout")
		if got := run(t, openssl, "pkey", "-in", priv, "-pubout"); got != string(pubPEM) {
			t.Errorf("openssl derives public key\n%s\nwe wrote\n%s", got, pubPEM)
		}
	})
	t.Run("openssl reads our public key", func(t *testing.T) {
		run(t, openssl, "pkey", "-pubin", "-in", pub, "-noout")
	})
	t.Run("we read openssl's keys", func(t *testing.T) {
		path := filepath.Join(dir, "openssl-key.pem")
		run(t, openssl, "genpkey", "-algorithm", "ed25519", "-out", path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		k, err := certificate.DecodePrivateKey(b)
		if err != nil {
			t.Fatalf("DecodePrivateKey(openssl genpkey): %v", err)
		}
		p, err := certificate.DecodePublicKey([]byte(run(t, openssl, "pkey", "-in", path, "-pubout")))
		if err != nil {
			t.Fatalf("DecodePublicKey(openssl pkey -pubout): %v", err)
		}
		if !k.Public().(ed25519.PublicKey).Equal(p) {
			t.Error("openssl's public key does not match its private key as we read them")
		}
	})
	t.Run("openssl verifies a certificate", func(t *testing.T) {
		payload, sig := certificate.Sign(key, testCert(t))
		in, sigFile := write("payload.json", payload), write("payload.sig", sig)
		out := run(t, openssl, "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", in, "-sigfile", sigFile)
		if !strings.Contains(out, "Signature Verified Successfully") {
			t.Errorf("openssl pkeyutl -verify: %s", out)
		}
		tampered := write("tampered.json", bytes.Replace(payload, []byte(`"m":45`), []byte(`"m":46`), 1))
		cmd := exec.Command(openssl, "pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", tampered, "-sigfile", sigFile)
		if err := cmd.Run(); err == nil {
			t.Error("openssl verified a tampered payload")
		} else if !errors.As(err, new(*exec.ExitError)) {
			t.Errorf("openssl: %v", err)
		}
	})
}
