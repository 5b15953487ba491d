package certificate

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// PEM block types: the ones openssl writes and reads for PKCS#8 private
// keys and PKIX (SubjectPublicKeyInfo) public keys, so an operator can
// inspect, back up or publish the keys with standard tools.
const (
	privatePEMType = "PRIVATE KEY"
	publicPEMType  = "PUBLIC KEY"
)

// NewKey returns a fresh Ed25519 signing key.
func NewKey() (ed25519.PrivateKey, error) {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("certificate: new key: %w", err)
	}
	return k, nil
}

// EncodePrivateKey returns k as a PKCS#8 "PRIVATE KEY" PEM block.
func EncodePrivateKey(k ed25519.PrivateKey) ([]byte, error) {
	if len(k) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("certificate: private key has %d bytes, want %d", len(k), ed25519.PrivateKeySize)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("certificate: encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: privatePEMType, Bytes: der}), nil
}

// DecodePrivateKey reads a key written by EncodePrivateKey or by
// `openssl genpkey -algorithm ed25519`. Anything but one Ed25519 PKCS#8
// "PRIVATE KEY" PEM block is an error, so an RSA key or a certificate put
// in the wrong place is refused at start-up rather than at first use.
func DecodePrivateKey(pemBytes []byte) (ed25519.PrivateKey, error) {
	der, err := pemBlock(pemBytes, privatePEMType)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("certificate: private key: %w", err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("certificate: private key is %T, not Ed25519", k)
	}
	return ek, nil
}

// EncodePublicKey returns k as a PKIX "PUBLIC KEY" PEM block: the form the
// public key is published in for offline verifiers.
func EncodePublicKey(k ed25519.PublicKey) ([]byte, error) {
	if len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("certificate: public key has %d bytes, want %d", len(k), ed25519.PublicKeySize)
	}
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return nil, fmt.Errorf("certificate: encode public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: publicPEMType, Bytes: der}), nil
}

// DecodePublicKey reads a key written by EncodePublicKey or by
// `openssl pkey -pubout`. Anything but one Ed25519 PKIX "PUBLIC KEY" PEM
// block is an error.
func DecodePublicKey(pemBytes []byte) (ed25519.PublicKey, error) {
	der, err := pemBlock(pemBytes, publicPEMType)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("certificate: public key: %w", err)
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("certificate: public key is %T, not Ed25519", k)
	}
	return ek, nil
}

// pemBlock returns the DER bytes of the single PEM block of type typ in b.
// A second block is refused: which of two keys was meant is not ours to
// guess.
func pemBlock(b []byte, typ string) ([]byte, error) {
	block, rest := pem.Decode(b)
	if block == nil {
		return nil, errors.New("certificate: no PEM block")
	}
	if block.Type != typ {
		return nil, fmt.Errorf("certificate: PEM block is %q, want %q", block.Type, typ)
	}
	if len(block.Headers) != 0 {
		return nil, errors.New("certificate: PEM block has headers (encrypted keys are not supported)")
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return nil, errors.New("certificate: data after the PEM block")
	}
	return block.Bytes, nil
}
