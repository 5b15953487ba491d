// Package review holds the work of translation reviewers: text drafts of
// lessons in a language, kept apart from the published course until a
// publication, and the marks that say a language of a published course
// version was reviewed by a native speaker. It checks what a reviewer
// sends, guards drafts against silent overwrites with a revision number,
// and records every change in the audit log. It does no I/O of its own:
// its Store is the database's.
package review

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/catalog"
)

// MaxMarkdown bounds the Markdown of one lesson draft, in bytes: the
// longest bundled lesson is under 8 KB.
const MaxMarkdown = 64 << 10

// Errors of the review service and its store.
var (
	// ErrNotFound: no draft, or no mark.
	ErrNotFound = errors.New("review: not found")
	// ErrConflict: the draft changed since the reviewer read it (another
	// reviewer saved first); nothing was written.
	ErrConflict = errors.New("review: the draft changed since it was read")
)

// TextError is a draft text refused before anything is stored; MessageID
// says why, for the reader.
type TextError struct{ MessageID string }

func (e *TextError) Error() string { return "review: " + e.MessageID }

// Draft is the text of one lesson, or the texts of one quiz question or
// scenario, in one language as a reviewer left them.
type Draft struct {
	Slug, Lang, Lesson string
	// Title and Markdown are a lesson draft's: its title ("" : the
	// published one) and its text.
	Title    string
	Markdown string
	// Texts are a quiz draft's (Lesson is QuizItem or ScenarioItem).
	Texts map[courses.QuizText]string
	// Revision counts the saves of the draft, from 1; a save names the
	// revision it was made from, and is refused when another came first.
	Revision int
	// Base is the course version published when the draft was saved.
	Base   string
	By     string // the reviewer's account id
	ByName string
	At     time.Time
}

// Mark says that a reviewer marked a language of a published course
// version reviewed. It holds for that version only.
type Mark struct {
	Slug, Version, Lang string
	By, ByName          string
	At                  time.Time
}

// Store keeps drafts and marks.
type Store interface {
	// Draft returns the draft of a lesson in a language, or ErrNotFound.
	Draft(ctx context.Context, slug, lang, lesson string) (*Draft, error)
	// Drafts returns the drafts of a course in a language.
	Drafts(ctx context.Context, slug, lang string) ([]Draft, error)
	// SaveDraft writes d as revision expected+1 when the stored draft is
	// at revision expected (0: there is none yet). Otherwise it returns
	// ErrConflict with the stored draft (nil when there is none).
	SaveDraft(ctx context.Context, d Draft, expected int) (*Draft, error)
	// AddMark stores a mark unless the version's language already has
	// one, and returns the mark that holds and whether it is m.
	AddMark(ctx context.Context, m Mark) (*Mark, bool, error)
	// Marks returns the marks of a course, every version.
	Marks(ctx context.Context, slug string) ([]Mark, error)
	// DeleteDraft deletes a draft if it is still at revision.
	DeleteDraft(ctx context.Context, slug, lang, lesson string, revision int) error
}

// Audit appends to the audit log.
type Audit interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Service saves drafts and marks.
type Service struct {
	store      Store
	recordings RecordingStore
	blobs      blob.Store
	courses    *catalog.Importer
	audit      Audit
	// marked is told of a new mark or publication, after it is stored:
	// the catalog reloads, so that learners see it at once.
	marked func(ctx context.Context) error
	now    func() time.Time
}

// Deps are what a Service is built from.
type Deps struct {
	Store Store
	Audit Audit
	// Recordings and Blobs keep draft recordings (nil: none can be saved).
	Recordings RecordingStore
	Blobs      blob.Store
	// Courses reads published versions' files and publishes the next
	// (nil: nothing can be published).
	Courses *catalog.Importer
	Marked  func(ctx context.Context) error // nil: nothing to tell
	Now     func() time.Time                // nil: time.Now
}

// NewService returns a review service.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{store: d.Store, recordings: d.Recordings, blobs: d.Blobs, courses: d.Courses, audit: d.Audit, marked: d.Marked, now: d.Now}
}

// CleanMarkdown checks the Markdown of a draft as a form sent it and
// returns it with line ends made "\n" and trailing blank lines dropped. It
// refuses (with a *TextError) text that is empty, longer than MaxMarkdown,
// not UTF-8 or holding control characters other than tab and line ends.
// Sanitising is the renderer's: Markdown may hold anything printable.
func CleanMarkdown(s string) (string, error) {
	if len(s) > MaxMarkdown {
		return "", &TextError{MessageID: "review.error.too_long"}
	}
	if !utf8.ValidString(s) {
		return "", &TextError{MessageID: "review.error.encoding"}
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return "", &TextError{MessageID: "review.error.control"}
		}
	}
	s = strings.TrimRight(s, " \t\n") + "\n"
	if strings.TrimSpace(s) == "" {
		return "", &TextError{MessageID: "review.error.empty"}
	}
	return s, nil
}

// SaveText saves the Markdown of a lesson in lang as a draft made from
// revision (0: no draft yet), for actor, and audits it. base is the
// course version published now. On ErrConflict it returns the stored
// draft, which the reviewer's text did not replace.
func (s *Service) SaveText(ctx context.Context, actor *account.User, d Draft, revision int, addr string) (*Draft, error) {
	d.By, d.ByName, d.At = actor.ID, actor.Name, s.now().UTC()
	saved, err := s.store.SaveDraft(ctx, d, revision)
	if err != nil {
		return saved, err
	}
	if err := s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.DraftSaved, TargetType: "course", TargetID: d.Slug,
		Details: map[string]string{"lang": d.Lang, "lesson": d.Lesson, "revision": fmt.Sprint(saved.Revision), "base": d.Base}, IP: addr}); err != nil {
		return saved, err
	}
	return saved, nil
}

// MarkReviewed marks lang of a published course version reviewed by
// actor, audits it and tells the catalog. A second mark of the same
// version and language changes nothing and returns the first.
func (s *Service) MarkReviewed(ctx context.Context, actor *account.User, slug, version, lang, addr string) (*Mark, error) {
	m, created, err := s.store.AddMark(ctx, Mark{Slug: slug, Version: version, Lang: lang, By: actor.ID, ByName: actor.Name, At: s.now().UTC()})
	if err != nil || !created {
		return m, err
	}
	if err := s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.TranslationReviewed, TargetType: "course", TargetID: slug,
		Details: map[string]string{"lang": lang, "version": version}, IP: addr}); err != nil {
		return m, err
	}
	if s.marked != nil {
		if err := s.marked(ctx); err != nil {
			return m, err
		}
	}
	return m, nil
}

// Draft returns the draft of a lesson, or ErrNotFound.
func (s *Service) Draft(ctx context.Context, slug, lang, lesson string) (*Draft, error) {
	return s.store.Draft(ctx, slug, lang, lesson)
}

// Drafts returns the drafts of a course in lang, by lesson id.
func (s *Service) Drafts(ctx context.Context, slug, lang string) (map[string]Draft, error) {
	list, err := s.store.Drafts(ctx, slug, lang)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Draft, len(list))
	for _, d := range list {
		out[d.Lesson] = d
	}
	return out, nil
}

// MarkOf returns the mark of a version's language, or nil.
func (s *Service) MarkOf(ctx context.Context, slug, version, lang string) (*Mark, error) {
	marks, err := s.store.Marks(ctx, slug)
	if err != nil {
		return nil, err
	}
	for _, m := range marks {
		if m.Version == version && m.Lang == lang {
			return &m, nil
		}
	}
	return nil, nil
}
