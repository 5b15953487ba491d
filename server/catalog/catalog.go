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
	"sort"
	"sync"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/blob"
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

	mu        sync.RWMutex
	published []*Course          // catalog order
	bySlug    map[string]*Course // published
	versions  map[string]*Course // every version loaded; versions are immutable
}

// Deps are what a catalog is built from.
type Deps struct {
	Store Store
	// Blobs holds the course media: the catalog reads the size of images
	// when it loads a version, and stores their phone-sized copies.
	Blobs blob.Store
	Words locales.Translate // localizes the data saver's links
	Log   *slog.Logger
}

// New returns an empty catalog; call Refresh to fill it.
func New(d Deps) *Catalog {
	return &Catalog{store: d.Store, blobs: d.Blobs, words: d.Words, log: d.Log, resizing: make(chan struct{}, 1),
		bySlug: map[string]*Course{}, versions: map[string]*Course{}}
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
	course := c.versions[id]
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
	if existing := c.versions[id]; existing != nil {
		return existing, nil
	}
	c.versions[id] = course
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
	c.published = list
	c.bySlug = make(map[string]*Course, len(list))
	for _, course := range list {
		c.bySlug[course.Def.Slug] = course
	}
	return nil
}

func sortPublished(list []*Course) {
	sort.SliceStable(list, func(i, j int) bool { return courses.CatalogLess(list[i].Def, list[j].Def) })
}
