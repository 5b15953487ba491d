package library

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"

	"go.yaml.in/yaml/v3"

	"github.com/kalan-platform/kalan/courses"
)

// Bundled is one item of the starter library shipped in the binary
// (assets/library/library.yaml).
type Bundled struct {
	ID          string            `yaml:"id"`
	File        string            `yaml:"file"`
	Language    string            `yaml:"language"`
	Topic       string            `yaml:"topic"`
	Audience    string            `yaml:"audience"`
	Format      string            `yaml:"format"`
	Title       map[string]string `yaml:"title"`
	Description map[string]string `yaml:"description"`
	Licence     string            `yaml:"licence"`
	Credit      string            `yaml:"credit"`
	Courses     []string          `yaml:"courses"`
}

// LoadBundle reads the starter library's metadata.
func LoadBundle(fsys fs.FS) ([]Bundled, error) {
	data, err := fs.ReadFile(fsys, "library.yaml")
	if err != nil {
		return nil, fmt.Errorf("library: bundle: %w", err)
	}
	var doc struct {
		Items []Bundled `yaml:"items"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("library: bundle: library.yaml: %w", err)
	}
	return doc.Items, nil
}

// ImportBundle adds the starter library when the library is empty, so
// that a new installation has material on its first day. Each item gets an
// id derived from its bundle id: two instances starting at once add it
// once.
func (s *Service) ImportBundle(ctx context.Context, fsys fs.FS, supported, course func(string) bool) (int, error) {
	existing, err := s.store.Resources(ctx)
	if err != nil || len(existing) > 0 {
		return 0, err
	}
	items, err := LoadBundle(fsys)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		f, err := fsys.Open(it.File)
		if err != nil {
			return n, fmt.Errorf("library: bundle item %s: %w", it.ID, err)
		}
		sum := sha256.Sum256([]byte("bundle|" + it.ID))
		form := Form{Title: courses.Text(it.Title), Description: courses.Text(it.Description), Topic: it.Topic, Audience: it.Audience,
			Format: it.Format, Language: it.Language, Licence: it.Licence, Credit: it.Credit, Courses: it.Courses}
		r, errs, err := s.stage(ctx, hex.EncodeToString(sum[:8]), form, &Upload{Name: it.File, Body: f}, supported, course)
		if err == nil && errs == nil {
			err = s.Commit(ctx, nil, []*Resource{r}, "")
		}
		f.Close()
		if errs != nil {
			return n, fmt.Errorf("library: bundle item %s: %v (a build defect)", it.ID, errs)
		}
		if errors.Is(err, ErrExists) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("library: bundle item %s: %w", it.ID, err)
		}
		n++
	}
	return n, nil
}
