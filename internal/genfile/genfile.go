// Package genfile holds what the repository's file generators share
// (assets/library/gen, cmd/voice): finding the repository, and writing a
// generated file whole or not at all.
package genfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
)

const module = "github.com/kalan-platform/kalan"

// RepoRoot finds the Kalan module's root from the working directory up.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(mod, []byte("module "+module+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run me inside the Kalan repository (no go.mod of module " + module + " found above the working directory)")
		}
		dir = parent
	}
}

// Write replaces name with b through a temporary file beside it, so that
// an interrupted run never leaves half a file behind.
func Write(name string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".gen-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
