// Package pack builds offline packs: a zip of a course version in one
// language — static HTML lessons with their media, the library items
// tagged for the course in that language, and an index.html that opens
// straight from the unzipped folder (file://, no server, no JavaScript).
// A pack is built once per version and language and kept in object
// storage; its bytes are the same on every build, so every instance
// serves the same file under the same ETag.
package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"kalan/server/blob"
	"kalan/server/catalog"
	"kalan/server/library"
)

// Library is what a pack needs of the library.
type Library interface {
	List(ctx context.Context, f library.Filter) ([]*library.Resource, error)
	Open(ctx context.Context, r *library.Resource, offset, length int64) (io.ReadCloser, error)
}

// Text translates the few words of a pack's pages into its language.
type Text func(lang, id string, data map[string]any) string

// Builder makes and keeps packs.
type Builder struct {
	blobs   blob.Store
	library Library
	text    Text
	names   func(lang string) string // a language's own name
	pages   *template.Template
	mu      sync.Mutex
	busy    map[string]*sync.Mutex // one build per pack at a time
}

// New returns a builder; templates holds pack/*.
func New(blobs blob.Store, lib Library, text Text, names func(string) string, templates fs.FS) (*Builder, error) {
	t, err := template.ParseFS(templates, "pack/*")
	if err != nil {
		return nil, fmt.Errorf("pack: templates: %w", err)
	}
	return &Builder{blobs: blobs, library: lib, text: text, names: names, pages: t, busy: map[string]*sync.Mutex{}}, nil
}

// Key is where the pack of a course version in a language is kept.
func Key(c *catalog.Course, lang string) string {
	return "packs/" + c.Course.Slug + "/" + strconv.Itoa(c.Number) + "/" + lang + ".zip"
}

// Get returns the stored pack, building it the first time.
func (b *Builder) Get(ctx context.Context, c *catalog.Course, lang string) (blob.Info, error) {
	key := Key(c, lang)
	if info, err := b.blobs.Stat(ctx, key); err == nil {
		return info, nil
	} else if !errors.Is(err, blob.ErrNotFound) {
		return blob.Info{}, err
	}
	b.mu.Lock()
	m := b.busy[key]
	if m == nil {
		m = &sync.Mutex{}
		b.busy[key] = m
	}
	b.mu.Unlock()
	m.Lock()
	defer m.Unlock()
	if info, err := b.blobs.Stat(ctx, key); err == nil { // built while we waited
		return info, nil
	}
	data, err := b.Build(ctx, c, lang)
	if err != nil {
		return blob.Info{}, err
	}
	return b.blobs.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "application/zip")
}

// page is the model of the pack's templates.
type page struct {
	Lang, Dir, Title, Folder string
	T                        func(id string) string
	Note                     string // "not translated" note, in the pack's language
	Summary                  string
	Lessons                  []lessonLink
	Library                  []libraryLink
	Body                     template.HTML
	Prev, Next, Index        string
	Made                     string
}

type lessonLink struct{ File, Title string }

type libraryLink struct{ File, Title, Format, Size string }

// Build makes the zip of a course version in a language.
func (b *Builder) Build(ctx context.Context, c *catalog.Course, lang string) ([]byte, error) {
	cc := c.Course
	folder := "kalan-" + cc.Slug + "-" + lang
	mod := c.CreatedAt.UTC()
	if mod.IsZero() {
		mod = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, body []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: folder + "/" + name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	t := func(id string) string { return b.text(lang, id, nil) }
	base := page{Lang: lang, Dir: "ltr", Folder: folder, T: t, Index: "index.html",
		Made: b.text(lang, "pack.made", map[string]any{"Version": c.Number, "Date": mod.Format("2006-01-02")})}
	base.Title, _ = cc.Title.Get(lang)
	base.Summary, _ = cc.Summary.Get(lang)
	if !containsLang(cc.Languages, lang) {
		base.Note = b.text(lang, "pack.fallback", map[string]any{"Language": b.names(lang)})
	}

	// Lessons, their links and media made relative to the folder.
	replace := []string{}
	for _, m := range cc.Media {
		replace = append(replace, catalog.MediaURL(m.SHA256), "media/"+m.SHA256+path.Ext(m.Path))
	}
	for i, l := range cc.Lessons {
		file := lessonFile(i)
		title, _ := l.Title.Get(lang)
		base.Lessons = append(base.Lessons, lessonLink{File: file, Title: title})
		replace = append(replace, `"/courses/`+cc.Slug+`/lessons/`+l.ID+`"`, `"`+file+`"`)
	}
	rewrite := strings.NewReplacer(replace...)
	for i := range cc.Lessons {
		body, _ := c.LessonHTML(i, lang)
		p := base
		p.Title = base.Lessons[i].Title
		p.Body = template.HTML(rewrite.Replace(string(body))) // #nosec G203 -- sanitised when the version was loaded
		if i > 0 {
			p.Prev = lessonFile(i - 1)
		}
		if i+1 < len(cc.Lessons) {
			p.Next = lessonFile(i + 1)
		}
		html, err := b.execute("lesson.html", p)
		if err != nil {
			return nil, err
		}
		if err := add(lessonFile(i), html); err != nil {
			return nil, err
		}
	}
	for _, m := range cc.Media {
		if err := b.copyBlob(ctx, add, "media/"+m.SHA256+path.Ext(m.Path), catalog.MediaKey(m.SHA256)); err != nil {
			return nil, err
		}
	}

	// Library items tagged for the course, in the pack's language.
	items, err := b.library.List(ctx, library.Filter{Language: lang})
	if err != nil {
		return nil, err
	}
	for _, r := range items {
		if !containsLang(r.Courses, cc.Slug) {
			continue
		}
		name := "library/" + r.ID + "-" + safeName(r.FileName)
		title, _ := r.Title.Get(lang)
		base.Library = append(base.Library, libraryLink{File: name, Title: title, Format: t("library.format." + r.Format),
			Size: strconv.FormatInt((r.Size+1023)>>10, 10) + " KB"})
		rc, err := b.library.Open(ctx, r, 0, -1)
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if err := add(name, data); err != nil {
			return nil, err
		}
	}
	index, err := b.execute("index.html", base)
	if err != nil {
		return nil, err
	}
	if err := add("index.html", index); err != nil {
		return nil, err
	}
	css, err := b.execute("style.css", base)
	if err != nil {
		return nil, err
	}
	if err := add("style.css", css); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (b *Builder) execute(name string, p page) ([]byte, error) {
	var out bytes.Buffer
	if err := b.pages.ExecuteTemplate(&out, name, p); err != nil {
		return nil, fmt.Errorf("pack: %s: %w", name, err)
	}
	return out.Bytes(), nil
}

func (b *Builder) copyBlob(ctx context.Context, add func(string, []byte) error, name, key string) error {
	rc, _, err := b.blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return fmt.Errorf("pack: %s: %w", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	return add(name, data)
}

func lessonFile(i int) string { return fmt.Sprintf("lesson-%02d.html", i+1) }

func containsLang(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// safeName keeps a file name usable on any USB stick: ASCII letters,
// digits, dots, hyphens.
func safeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "file"
	}
	return b.String()
}
