// Package catalog publishes courses: it imports course folders as immutable
// versions (media to object storage, versions to the database) and keeps the
// published versions in memory, rendered, so that reading a lesson costs no
// database round trip.
package catalog

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/picture"
)

// ErrNotFound is returned by a Store when a version does not exist, and by
// OpenMedia for a media file or image width that does not exist.
var ErrNotFound = errors.New("catalog: not found")

// Version is one immutable, imported version of a course.
type Version struct {
	ID        string // "<slug>@<number>"
	Number    int
	Def       *courses.Course // the version as parsed from the course format
	CreatedAt time.Time
}

// Pointer says which version of a course is published.
type Pointer struct {
	Slug        string
	VersionID   string
	Hash        string
	PublishedAt time.Time
}

// Store keeps course versions and the published pointers.
type Store interface {
	// Published lists the pointer of every published course.
	Published(ctx context.Context) ([]Pointer, error)
	// Version returns one version, or ErrNotFound.
	Version(ctx context.Context, id string) (*Version, error)
	// VersionByHash returns the version of slug with that content hash, or
	// ErrNotFound.
	VersionByHash(ctx context.Context, slug, hash string) (*Version, error)
	// CreateVersion stores c as the next version number of its course. When
	// a version with the same hash appeared meanwhile it returns that one.
	CreateVersion(ctx context.Context, c *courses.Course, at time.Time) (*Version, error)
	// Publish points the course of v at v.
	Publish(ctx context.Context, v *Version, at time.Time) error
	// PublishOver points the course of v at v if it still points at the
	// version base, and reports whether it did.
	PublishOver(ctx context.Context, v *Version, base string, at time.Time) (bool, error)
	// KeepFiles lists the files of a version imported before Kalan kept
	// them (Def.Files empty); they are the files its hash was taken from.
	KeepFiles(ctx context.Context, id string, files []courses.File) error
}

// MediaKey is the object-storage key of a media file: its content hash, so
// an unchanged file is stored once whatever the version.
func MediaKey(sha256 string) string { return "media/" + sha256 }

// MediaURL is the public address of a media file.
func MediaURL(sha256 string) string { return "/media/" + sha256 }

// Course is a published course version, its lessons rendered.
type Course struct {
	*Version
	// lessons[i][lang] is the sanitised HTML of lesson i in lang; saver[i][lang]
	// the same for the data saver, with links in place of media.
	lessons, saver []map[string]template.HTML
	images         map[string]picture.Size // sizes of the course's images, for Preview
}

// LessonHTML returns lesson i in lang, or in the fallback language, with the
// language used.
func (c *Course) LessonHTML(i int, lang string) (template.HTML, string) {
	src, used := c.Def.Lessons[i].Body.Get(lang)
	if src == "" {
		return "", ""
	}
	return c.lessons[i][used], used
}

// LessonSaverHTML is LessonHTML for the data saver: every image, audio and
// video is a link that says its size, so nothing is downloaded unasked.
func (c *Course) LessonSaverHTML(i int, lang string) (template.HTML, string) {
	src, used := c.Def.Lessons[i].Body.Get(lang)
	if src == "" {
		return "", ""
	}
	return c.saver[i][used], used
}

// Catalog holds the published courses in memory.
type Catalog struct {
	store Store
	blobs blob.Store        // course media, and their phone-sized copies
	words locales.Translate // the data saver's links, in the language of the lesson around them
	log   *slog.Logger
	// resizing lets one image be resized at a time: decoding a photograph
	// takes tens of megabytes.
	resizing chan struct{}

	reviewed func(ctx context.Context) (map[string][]string, error)
	epoch    atomic.Uint64 // counts the changes of marks (Epoch)

	mu        sync.RWMutex
	published []*Course          // catalog order, marks applied
	bySlug    map[string]*Course // published, marks applied
	versions  map[string]*Course // every version loaded, as imported; versions are immutable
	// marks are the languages marked reviewed in Kalan, by version id;
	// views the versions that have marks, with the marks applied.
	marks map[string][]string
	views map[string]*Course
}

// Deps are what a catalog is built from.
type Deps struct {
	Store Store
	// Blobs holds the course media: the catalog reads the size of images
	// when it loads a version, and stores their phone-sized copies.
	Blobs blob.Store
	Words locales.Translate // localizes the data saver's links
	Log   *slog.Logger
	// Reviewed, when set, gives the languages a reviewer marked reviewed
	// in Kalan, by version id (server/review): they override the course
	// file's translations.<lang>.reviewed for that version only.
	Reviewed func(ctx context.Context) (map[string][]string, error)
}

// New returns an empty catalog; call Refresh to fill it.
func New(d Deps) *Catalog {
	return &Catalog{store: d.Store, blobs: d.Blobs, words: d.Words, log: d.Log, resizing: make(chan struct{}, 1),
		reviewed: d.Reviewed, bySlug: map[string]*Course{}, versions: map[string]*Course{}, views: map[string]*Course{}}
}

// Published returns the published courses in catalog order.
func (c *Catalog) Published() []*Course {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.published
}

// Lookup returns the published version of a course.
func (c *Catalog) Lookup(slug string) (*Course, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	course, ok := c.bySlug[slug]
	return course, ok
}

// Get returns any version, published or not (a trainee finishes the
// version they started), loading and rendering it once.
func (c *Catalog) Get(ctx context.Context, id string) (*Course, error) {
	c.mu.RLock()
	course := c.views[id]
	if course == nil {
		course = c.versions[id]
	}
	c.mu.RUnlock()
	if course != nil {
		return course, nil
	}
	v, err := c.store.Version(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("catalog: version %s: %w", id, err)
	}
	if course, err = render(v, c.imageSizes(ctx, v.Def), c.words); err != nil {
		return nil, fmt.Errorf("catalog: render %s: %w", id, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if existing := c.views[id]; existing != nil {
		return existing, nil
	}
	if existing := c.versions[id]; existing != nil {
		return existing, nil
	}
	c.versions[id] = course
	if view := withMarks(course, c.marks[id]); view != course {
		c.views[id] = view
		return view, nil
	}
	return course, nil
}

// Refresh reloads the published pointers and loads, once, every version not
// yet in memory. On error the previous state stays in place. serve calls it
// every few seconds, so that versions published by another instance or by
// `kalan courses import` appear.
func (c *Catalog) Refresh(ctx context.Context) error {
	pointers, err := c.store.Published(ctx)
	if err != nil {
		return fmt.Errorf("catalog: refresh: %w", err)
	}
	marks := map[string][]string{}
	if c.reviewed != nil {
		if marks, err = c.reviewed(ctx); err != nil {
			return fmt.Errorf("catalog: refresh: review marks: %w", err)
		}
	}
	c.mu.RLock()
	known := c.versions
	c.mu.RUnlock()
	loaded := map[string]*Course{}
	var list []*Course
	for _, p := range pointers {
		course := known[p.VersionID]
		if course == nil {
			v, err := c.store.Version(ctx, p.VersionID)
			if err != nil {
				return fmt.Errorf("catalog: refresh %s: %w", p.Slug, err)
			}
			if course, err = render(v, c.imageSizes(ctx, v.Def), c.words); err != nil {
				return fmt.Errorf("catalog: render %s: %w", v.ID, err)
			}
			loaded[v.ID] = course
			c.log.Info("course version loaded", "version", v.ID)
		}
		list = append(list, course)
	}
	sortPublished(list)
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, course := range loaded {
		c.versions[id] = course
	}
	if !sameMarks(c.marks, marks) {
		c.epoch.Add(1)
	}
	c.marks = marks
	views := map[string]*Course{}
	for id, course := range c.versions {
		if view := withMarks(course, marks[id]); view != course {
			views[id] = view
		}
	}
	c.views = views
	for i, course := range list {
		if view := c.views[course.ID]; view != nil {
			list[i] = view
		}
	}
	c.published = list
	c.bySlug = make(map[string]*Course, len(list))
	for _, course := range list {
		c.bySlug[course.Def.Slug] = course
	}
	return nil
}

// Epoch changes whenever the marks applied to the courses change: pages
// kept by version (the page caches of package server) are stale then.
func (c *Catalog) Epoch() uint64 { return c.epoch.Load() }

// withMarks returns course with langs marked reviewed in its translations,
// or course itself when they already are: a copy of the definition whose
// translations differ, sharing everything else (the rendered lessons).
func withMarks(course *Course, langs []string) *Course {
	var missing []string
	for _, l := range langs {
		if !course.Def.Translations[l].Reviewed {
			missing = append(missing, l)
		}
	}
	if len(missing) == 0 {
		return course
	}
	def := *course.Def
	def.Translations = make(map[string]courses.Translation, len(course.Def.Translations)+len(missing))
	for l, t := range course.Def.Translations {
		def.Translations[l] = t
	}
	for _, l := range missing {
		t := def.Translations[l]
		t.Reviewed = true
		def.Translations[l] = t
	}
	v := *course.Version
	v.Def = &def
	view := *course
	view.Version = &v
	return &view
}

func sameMarks(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for id, langs := range a {
		if !slices.Equal(slices.Sorted(slices.Values(langs)), slices.Sorted(slices.Values(b[id]))) {
			return false
		}
	}
	return true
}

func sortPublished(list []*Course) {
	sort.SliceStable(list, func(i, j int) bool { return courses.CatalogLess(list[i].Def, list[j].Def) })
}
