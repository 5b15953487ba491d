package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kalan-platform/kalan/server/certificate"
)

// signingKey returns the key that signs certificates: the PEM file named
// by KALAN_SIGNING_KEY, else signing-key.pem in the data directory,
// created on the first start. Every instance of an installation must sign
// with the same key, and it must outlive upgrades: back it up.
func signingKey(cfg *config) (ed25519.PrivateKey, error) {
	if cfg.SigningKey != "" {
		data, err := os.ReadFile(cfg.SigningKey)
		if err != nil {
			return nil, fmt.Errorf("cannot read the signing key %s: %w (check KALAN_SIGNING_KEY)", cfg.SigningKey, err)
		}
		key, err := certificate.DecodePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("the signing key %s is not an Ed25519 private key in PEM: %w (check KALAN_SIGNING_KEY)", cfg.SigningKey, err)
		}
		return key, nil
	}
	path := filepath.Join(cfg.Data, "signing-key.pem")
	data, err := os.ReadFile(path)
	if err == nil {
		key, err := certificate.DecodePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("the signing key %s is damaged: %w (restore it from a backup; a new key would make every issued certificate unverifiable)", path, err)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cannot read the signing key %s: %w", path, err)
	}
	return createKey(path)
}

// createKey writes a new key with O_EXCL: when two processes start at once
// on a shared directory, one creates it and the other reads it.
func createKey(path string) (ed25519.PrivateKey, error) {
	key, err := certificate.NewKey()
	if err != nil {
		return nil, err
	}
	pem, err := certificate.EncodePrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return certificate.DecodePrivateKey(data)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot create the signing key %s: %w", path, err)
	}
	if _, err := f.Write(pem); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("cannot write the signing key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return key, f.Close()
}
