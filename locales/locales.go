// Package locales holds the user-interface messages, one go-i18n file per
// language (active.<code>.toml), embedded in the binary. Adding a language
// is adding a file: the list of languages comes from the files.
package locales

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed active.*.toml
var files embed.FS

// Default is the working language: pages fall back to it.
const Default = "fr"

// Message ids every language file must define about itself.
const (
	idName = "language.name" // the language's own name, for the switcher
	idDir  = "language.dir"  // "ltr" or "rtl"
)

// Language is one language of the interface.
type Language struct {
	Code string // "fr", "bm"…
	Name string // its own name: "Français", "Bamanankan"
	Dir  string // "ltr" or "rtl"
}

// Translate says message id, with its data (nil when it has none), in a
// language. It is the one translator type: the catalog, the packs and the
// certificates take one, so that none of them depends on Messages.
type Translate func(lang, id string, data map[string]any) string

// Translate returns the Translate of these messages.
func (c *Messages) Translate() Translate {
	return func(lang, id string, data map[string]any) string { return c.Localizer(lang).T(id, data) }
}

// Messages holds every language's messages.
type Messages struct {
	bundle     *i18n.Bundle
	languages  []Language
	localizers map[string]*Localizer
	ids        map[string]map[string]bool // language → message ids of its file
}

// Load reads the embedded message files.
func Load(log *slog.Logger) (*Messages, error) { return LoadFS(files, log) }

// LoadFS reads active.<code>.toml files from fsys; tests use it on broken
// files.
func LoadFS(fsys fs.FS, log *slog.Logger) (*Messages, error) {
	bundle := i18n.NewBundle(language.MustParse(Default))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(fsys, "active.*.toml")
	if err != nil {
		return nil, err
	}
	c := &Messages{bundle: bundle, localizers: map[string]*Localizer{}, ids: map[string]map[string]bool{}}
	for _, name := range names {
		code := strings.TrimSuffix(strings.TrimPrefix(name, "active."), ".toml")
		if len(code) < 2 || len(code) > 3 || strings.Trim(code, "abcdefghijklmnopqrstuvwxyz") != "" {
			return nil, fmt.Errorf("locales: %s: the language code must be two or three lower-case letters", name)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		mf, err := bundle.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
		c.ids[code] = map[string]bool{}
		for _, m := range mf.Messages {
			c.ids[code][m.ID] = true
		}
		c.localizers[code] = &Localizer{lang: code, loc: i18n.NewLocalizer(bundle, code, Default), log: log}
	}
	if c.localizers[Default] == nil {
		return nil, fmt.Errorf("locales: no active.%s.toml: the default language is required", Default)
	}
	for _, code := range slices.Sorted(maps.Keys(c.localizers)) {
		l := c.localizers[code]
		name, errName := l.localize(idName, nil, nil)
		dir, errDir := l.localize(idDir, nil, nil)
		if err := errors.Join(errName, errDir); err != nil {
			return nil, fmt.Errorf("locales: active.%s.toml must define %s and %s: %w", code, idName, idDir, err)
		}
		if dir != "ltr" && dir != "rtl" {
			return nil, fmt.Errorf("locales: active.%s.toml: %s must be ltr or rtl, got %q", code, idDir, dir)
		}
		c.languages = append(c.languages, Language{Code: code, Name: name, Dir: dir})
	}
	return c, nil
}

// Languages lists the interface languages, sorted by code.
func (c *Messages) Languages() []Language { return c.languages }

// Language returns one language; ok is false when it is not supported.
func (c *Messages) Language(code string) (Language, bool) {
	for _, l := range c.languages {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// IDs returns the message ids defined by a language's file, sorted.
func (c *Messages) IDs(code string) []string { return slices.Sorted(maps.Keys(c.ids[code])) }

// Supported reports whether code is an interface language.
func (c *Messages) Supported(code string) bool { return c.localizers[code] != nil }

// Localizer returns the localizer of a language, or of the default language
// when code is not supported.
func (c *Messages) Localizer(code string) *Localizer {
	if l := c.localizers[code]; l != nil {
		return l
	}
	return c.localizers[Default]
}

// Localizer translates message ids into one language. It is safe for
// concurrent use and shared by every request in that language.
type Localizer struct {
	lang string
	loc  *i18n.Localizer
	log  *slog.Logger
}

// Lang is the localizer's language code.
func (l *Localizer) Lang() string { return l.lang }

// T translates a message; data are the template's named values.
func (l *Localizer) T(id string, data map[string]any) string {
	s, _ := l.localize(id, data, nil)
	return s
}

// N translates a message with plural forms for count, which templates see
// as .Count.
func (l *Localizer) N(id string, count int, data map[string]any) string {
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = count
	s, _ := l.localize(id, data, count)
	return s
}

// localize never fails a page: a missing message is logged and rendered
// from the default language, or as its id when even that lacks it.
func (l *Localizer) localize(id string, data map[string]any, count any) (string, error) {
	if data == nil {
		data = map[string]any{} // so that a message may test an optional value: {{if .Value}}
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		if l.log != nil {
			l.log.Warn("missing translation", "lang", l.lang, "id", id, "err", err)
		}
		if s == "" {
			s = id
		}
	}
	return s, err
}
