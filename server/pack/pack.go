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
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/picture"
)

// Library is what a pack needs of the library.
type Library interface {
	List(ctx context.Context, f library.Filter) ([]*library.Resource, error)
	Open(ctx context.Context, r *library.Resource, offset, length int64) (io.ReadCloser, error)
}

// Builder makes and keeps packs.
type Builder struct {
	blobs   blob.Store
	library Library
	text    locales.Translate        // the few words of a pack's pages, in its language
	names   func(lang string) string // a language's own name
	pages   *template.Template
	mu      sync.Mutex
	busy    map[string]*sync.Mutex // one build per pack at a time
}

// Deps are what a builder is built from.
type Deps struct {
	Blobs   blob.Store // where packs are kept
	Library Library
	Text    locales.Translate        // the few words of a pack's pages, in its language
	Names   func(lang string) string // a language's own name
	// Templates holds pack/*, the pages of a pack.
	Templates fs.FS
}

// New returns a builder.
func New(d Deps) (*Builder, error) {
	t, err := template.ParseFS(d.Templates, "pack/*")
	if err != nil {
		return nil, fmt.Errorf("pack: templates: %w", err)
	}
	return &Builder{blobs: d.Blobs, library: d.Library, text: d.Text, names: d.Names, pages: t, busy: map[string]*sync.Mutex{}}, nil
}

// Pack is a stored pack.
type Pack struct {
	Key  string
	Info blob.Info
}

// prefix is where the packs of a course version are kept.
func prefix(c *catalog.Course) string {
	return "packs/" + c.Def.Slug + "/" + strconv.Itoa(c.Number) + "/"
}

// items are the library resources that go in a pack: tagged for the
// course, in the pack's language, not withdrawn.
func (b *Builder) items(ctx context.Context, c *catalog.Course, lang string) ([]*library.Resource, error) {
	all, err := b.library.List(ctx, library.Filter{Language: lang})
	if err != nil {
		return nil, err
	}
	var out []*library.Resource
	for _, r := range all {
		if containsLang(r.Courses, c.Def.Slug) {
			out = append(out, r)
		}
	}
	return out, nil
}

// layout numbers what a pack's pages hold; raising it when they change
// makes every stored pack be built again (the older ones are then
// dropped). 2: the notice on the lessons of an unreviewed translation.
const layout = 2

// key names a pack by its course version, language and library items: a
// resource added, edited, replaced or withdrawn gives a new pack (a
// withdrawn poster must not live on in the zip). Packs of an older layout
// get new keys; a pack with the recordings has its own.
func key(c *catalog.Course, lang string, items []*library.Resource, withAudio bool) string {
	h := sha256.New()
	fmt.Fprintf(h, "layout %d\n", layout)
	if withAudio {
		fmt.Fprintf(h, "recordings\n")
	}
	if unreviewed(c.Def, lang) { // a reviewer's mark (server/review) removes the notice: build again
		fmt.Fprintf(h, "unreviewed\n")
	}
	for _, r := range items {
		fmt.Fprintf(h, "%s %s %d\n", r.ID, r.SHA256, r.UpdatedAt.UnixNano())
	}
	return prefix(c) + lang + "-" + hex.EncodeToString(h.Sum(nil))[:12] + ".zip"
}

// Get returns the stored pack, building it the first time; withAudio
// adds the lessons' recordings in the pack's language. A new pack
// replaces the older ones of its version and language.
func (b *Builder) Get(ctx context.Context, c *catalog.Course, lang string, withAudio bool) (Pack, error) {
	items, err := b.items(ctx, c, lang)
	if err != nil {
		return Pack{}, err
	}
	name := key(c, lang, items, withAudio)
	if info, err := b.blobs.Stat(ctx, name); err == nil {
		return Pack{name, info}, nil
	} else if !errors.Is(err, blob.ErrNotFound) {
		return Pack{}, err
	}
	b.mu.Lock()
	m := b.busy[name]
	if m == nil {
		m = &sync.Mutex{}
		b.busy[name] = m
	}
	b.mu.Unlock()
	m.Lock()
	defer m.Unlock()
	if info, err := b.blobs.Stat(ctx, name); err == nil { // built while we waited
		return Pack{name, info}, nil
	}
	// The zip goes through a temporary file: a pack holding a large
	// library item must not be held in memory.
	tmp, err := os.CreateTemp("", "kalan-pack-*.zip")
	if err != nil {
		return Pack{}, fmt.Errorf("pack: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := b.Build(ctx, c, lang, items, withAudio, tmp); err != nil {
		return Pack{}, err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		return Pack{}, fmt.Errorf("pack: %w", err)
	}
	info, err := b.blobs.Put(ctx, name, tmp, size, "application/zip")
	if err != nil {
		return Pack{}, err
	}
	b.mu.Lock()
	delete(b.busy, name)
	b.mu.Unlock()
	b.dropStale(ctx, c, lang, name, key(c, lang, items, !withAudio))
	return Pack{name, info}, nil
}

// dropStale deletes the older packs of a version and language, all but
// the current ones (with and without the recordings). A failure only
// leaves a stale file that the next build tries again to delete.
func (b *Builder) dropStale(ctx context.Context, c *catalog.Course, lang string, keep ...string) {
	old, err := b.blobs.List(ctx, prefix(c))
	if err != nil {
		return
	}
	for _, o := range old {
		if !slices.Contains(keep, o.Key) && strings.HasPrefix(o.Key, prefix(c)+lang+"-") {
			_ = b.blobs.Delete(ctx, o.Key)
		}
	}
}

// page is the model of the pack's templates.
type page struct {
	Lang, Dir, Title, Folder string
	T                        func(id string) string
	Note                     string // "not translated" note, in the pack's language
	Review                   string // a lesson's "unreviewed translation" notice, in the pack's language
	Summary                  string
	Lessons                  []lessonLink
	Library                  []libraryLink
	Body                     template.HTML
	BodyLang                 string // the language the lesson is in, when it had to fall back
	Recording                *recording
	Prev, Next, Index        string
	Made                     string
}

type lessonLink struct{ File, Title string }

// recording is a lesson's recording in a pack: a file of the zip.
type recording struct {
	File, Duration, Size string
	Synthetic            bool
}

type libraryLink struct{ File, Title, Format, Size string }

// Build writes to w the zip of a course version in a language, with the
// library items given, and with withAudio the recordings of the lessons
// in the language each is shown in (never the others': a pack is carried
// on a phone).
func (b *Builder) Build(ctx context.Context, c *catalog.Course, lang string, items []*library.Resource, withAudio bool, w io.Writer) error {
	cc := c.Def
	folder := "kalan-" + cc.Slug + "-" + lang
	mod := c.CreatedAt.UTC()
	if mod.IsZero() {
		mod = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	zw := zip.NewWriter(w)
	add := func(name string, body io.Reader) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: folder + "/" + name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		_, err = io.Copy(w, body)
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
		file := mediaFile(m)
		// The phone-sized copies of a srcset are not in the pack: the
		// original stands in for each (pairs listed first win).
		for _, w := range picture.Widths() {
			replace = append(replace, catalog.VariantURL(m.SHA256, w), file)
		}
		replace = append(replace, catalog.MediaURL(m.SHA256), file)
	}
	for i, l := range cc.Lessons {
		file := lessonFile(i)
		title, _ := l.Title.Get(lang)
		base.Lessons = append(base.Lessons, lessonLink{File: file, Title: title})
		replace = append(replace, `"/courses/`+cc.Slug+`/lessons/`+l.ID+`"`, `"`+file+`"`)
	}
	rewrite := strings.NewReplacer(replace...)
	var voices []courses.Media
	for i, l := range cc.Lessons {
		body, used := c.LessonHTML(i, lang)
		p := base
		p.Title, p.BodyLang = base.Lessons[i].Title, used
		if m, ok := cc.Recording(l.Audio, used); ok && withAudio {
			p.Recording = b.recording(lang, m, cc.Voices[used].Synthetic)
			voices = append(voices, m)
		}
		if unreviewed(cc, used) {
			p.Review = b.text(lang, "course.unreviewed_note", map[string]any{"Language": b.names(used)})
		}
		p.Body = template.HTML(rewrite.Replace(string(body))) // #nosec G203 -- sanitised when the version was loaded
		if i > 0 {
			p.Prev = lessonFile(i - 1)
		}
		if i+1 < len(cc.Lessons) {
			p.Next = lessonFile(i + 1)
		}
		if err := b.addPage(add, lessonFile(i), "lesson.html", p); err != nil {
			return err
		}
	}
	for _, m := range cc.Media {
		if courses.IsRecording(m.Path) && !slices.ContainsFunc(voices, func(v courses.Media) bool { return v.Path == m.Path }) {
			continue // the recordings the pack does not play
		}
		if err := b.addBlob(ctx, add, mediaFile(m), catalog.MediaKey(m.SHA256)); err != nil {
			return err
		}
	}

	// Library items tagged for the course, in the pack's language.
	for _, r := range items {
		name := "library/" + r.ID + "-" + safeName(r.FileName)
		title, _ := r.Title.Get(lang)
		base.Library = append(base.Library, libraryLink{File: name, Title: title, Format: t("library.format." + r.Format),
			Size: strconv.FormatInt((r.Size+1023)>>10, 10) + " KB"})
		rc, err := b.library.Open(ctx, r, 0, -1)
		if err != nil {
			return err
		}
		err = add(name, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("pack: %s: %w", name, err)
		}
	}
	if err := b.addPage(add, "index.html", "index.html", base); err != nil {
		return err
	}
	if err := b.addPage(add, "style.css", "style.css", base); err != nil {
		return err
	}
	return zw.Close()
}

// addPage adds the template tmpl, executed with p, as the file name.
func (b *Builder) addPage(add func(string, io.Reader) error, name, tmpl string, p page) error {
	var out bytes.Buffer
	if err := b.pages.ExecuteTemplate(&out, tmpl, p); err != nil {
		return fmt.Errorf("pack: %s: %w", tmpl, err)
	}
	return add(name, &out)
}

// addBlob adds the stored object key as the file name.
func (b *Builder) addBlob(ctx context.Context, add func(string, io.Reader) error, name, key string) error {
	rc, _, err := b.blobs.Open(ctx, key, 0, -1)
	if err != nil {
		return fmt.Errorf("pack: %s: %w", key, err)
	}
	defer rc.Close()
	if err := add(name, rc); err != nil {
		return fmt.Errorf("pack: %s: %w", name, err)
	}
	return nil
}

// unreviewed reports whether lang, a language the course is shown in, is a
// translation that no native speaker has reviewed (translations.<lang>.reviewed
// in course.yaml); the course's own language never is.
func unreviewed(c *courses.Course, lang string) bool {
	return lang != "" && lang != courses.SourceLang(c) && !c.Translations[lang].Reviewed
}

func lessonFile(i int) string { return fmt.Sprintf("lesson-%02d.html", i+1) }

// mediaFile is where a media file goes in a pack.
func mediaFile(m courses.Media) string { return "media/" + m.SHA256 + path.Ext(m.Path) }

// recording describes a lesson's recording in the pack's language.
func (b *Builder) recording(lang string, m courses.Media, synthetic bool) *recording {
	s := int((m.Duration + time.Second/2) / time.Second)
	d := b.text(lang, "audio.seconds", map[string]any{"Seconds": max(s, 1)})
	if s >= 60 {
		d = b.text(lang, "audio.minutes_seconds", map[string]any{"Minutes": s / 60, "Seconds": s % 60})
	}
	id, data := locales.Size(m.Size)
	return &recording{File: mediaFile(m), Duration: d, Size: b.text(lang, id, data), Synthetic: synthetic}
}

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
