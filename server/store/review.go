package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/review"
)

var _ review.Store = (*Store)(nil)

const (
	// collDrafts holds reviewers' text drafts, one document per course,
	// language and lesson; _id "<slug>/<lang>/<lesson>".
	collDrafts = "review_drafts"
	// collMarks holds the "reviewed" marks, one per course version and
	// language; _id "<version id>/<lang>". Marks are never changed.
	collMarks = "review_marks"
)

type draftDoc struct {
	ID       string `bson:"_id"`
	Slug     string `bson:"slug"`
	Lang     string `bson:"lang"`
	Lesson   string `bson:"lesson"`
	Title    string `bson:"title,omitempty"`
	Markdown string `bson:"markdown"`
	// Texts of a quiz draft: a list, as option ids and fields are not
	// field names.
	Texts    []quizTextDoc `bson:"texts,omitempty"`
	Revision int64         `bson:"revision"`
	Base     string        `bson:"base"`
	By       string        `bson:"by"`
	ByName   string        `bson:"by_name"`
	At       time.Time     `bson:"at"`
}

type quizTextDoc struct {
	Scenario string `bson:"scenario,omitempty"`
	Question string `bson:"question,omitempty"`
	Option   string `bson:"option,omitempty"`
	Field    string `bson:"field"`
	Value    string `bson:"value"`
}

func (d draftDoc) draft() *review.Draft {
	out := &review.Draft{Slug: d.Slug, Lang: d.Lang, Lesson: d.Lesson, Title: d.Title, Markdown: d.Markdown, Revision: int(d.Revision),
		Base: d.Base, By: d.By, ByName: d.ByName, At: d.At}
	for _, t := range d.Texts {
		if out.Texts == nil {
			out.Texts = map[courses.QuizText]string{}
		}
		out.Texts[courses.QuizText{Scenario: t.Scenario, Question: t.Question, Option: t.Option, Field: t.Field}] = t.Value
	}
	return out
}

// quizTextDocs stores texts in a stable order.
func quizTextDocs(texts map[courses.QuizText]string) []quizTextDoc {
	var out []quizTextDoc
	for q, v := range texts {
		out = append(out, quizTextDoc{Scenario: q.Scenario, Question: q.Question, Option: q.Option, Field: q.Field, Value: v})
	}
	slices.SortFunc(out, func(a, b quizTextDoc) int {
		return strings.Compare(a.Scenario+"\x00"+a.Question+"\x00"+a.Option+"\x00"+a.Field, b.Scenario+"\x00"+b.Question+"\x00"+b.Option+"\x00"+b.Field)
	})
	return out
}

type markDoc struct {
	ID      string    `bson:"_id"`
	Slug    string    `bson:"slug"`
	Version string    `bson:"version"`
	Lang    string    `bson:"lang"`
	By      string    `bson:"by"`
	ByName  string    `bson:"by_name"`
	At      time.Time `bson:"at"`
}

func (d markDoc) mark() *review.Mark {
	return &review.Mark{Slug: d.Slug, Version: d.Version, Lang: d.Lang, By: d.By, ByName: d.ByName, At: d.At}
}

func draftID(slug, lang, lesson string) string { return slug + "/" + lang + "/" + lesson }

// Draft returns the draft of a lesson in a language.
func (s *Store) Draft(ctx context.Context, slug, lang, lesson string) (*review.Draft, error) {
	var d draftDoc
	err := s.db.Collection(collDrafts).FindOne(ctx, byID(draftID(slug, lang, lesson))).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, review.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: draft: %w", classify(err))
	}
	return d.draft(), nil
}

// Drafts returns the drafts of a course in a language (a review page: a
// small collection, read by slug and language).
func (s *Store) Drafts(ctx context.Context, slug, lang string) ([]review.Draft, error) {
	cur, err := s.db.Collection(collDrafts).Find(ctx, bson.D{{Key: "slug", Value: slug}, {Key: "lang", Value: lang}})
	if err != nil {
		return nil, fmt.Errorf("store: drafts: %w", classify(err))
	}
	var docs []draftDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: drafts: %w", classify(err))
	}
	out := make([]review.Draft, len(docs))
	for i, d := range docs {
		out[i] = *d.draft()
	}
	return out, nil
}

// SaveDraft writes a draft if it is still at revision expected: the first
// revision is an insert (a second first save gets a duplicate key), every
// later one a conditional update by _id (updateIf, atomic per document on
// MongoDB and in a process that owns the embedded database).
func (s *Store) SaveDraft(ctx context.Context, d review.Draft, expected int) (*review.Draft, error) {
	id := draftID(d.Slug, d.Lang, d.Lesson)
	doc := draftDoc{ID: id, Slug: d.Slug, Lang: d.Lang, Lesson: d.Lesson, Title: d.Title, Markdown: d.Markdown, Texts: quizTextDocs(d.Texts), Revision: int64(expected) + 1,
		Base: d.Base, By: d.By, ByName: d.ByName, At: d.At}
	var written bool
	if expected == 0 {
		unlock := s.lockDoc(collDrafts, id)
		_, err := s.db.Collection(collDrafts).InsertOne(ctx, doc)
		unlock()
		switch {
		case err == nil:
			written = true
		case !mongo.IsDuplicateKeyError(err):
			return nil, fmt.Errorf("store: save draft: %w", classify(err))
		}
	} else {
		cond := bson.E{Key: "revision", Value: int64(expected)}
		holds := func(raw bson.Raw) bool {
			n, ok := raw.Lookup("revision").AsInt64OK()
			return ok && n == int64(expected)
		}
		ok, err := s.updateIf(ctx, collDrafts, id, cond, holds, bson.D{{Key: "$set", Value: bson.D{
			{Key: "title", Value: doc.Title}, {Key: "markdown", Value: doc.Markdown}, {Key: "texts", Value: doc.Texts}, {Key: "revision", Value: doc.Revision}, {Key: "base", Value: doc.Base},
			{Key: "by", Value: doc.By}, {Key: "by_name", Value: doc.ByName}, {Key: "at", Value: doc.At},
		}}})
		if err != nil {
			return nil, fmt.Errorf("store: save draft: %w", err)
		}
		written = ok
	}
	if written {
		return doc.draft(), nil
	}
	current, err := s.Draft(ctx, d.Slug, d.Lang, d.Lesson)
	if errors.Is(err, review.ErrNotFound) {
		return nil, review.ErrConflict
	}
	if err != nil {
		return nil, err
	}
	return current, review.ErrConflict
}

// DeleteDraft deletes the draft of a lesson in a language if it is still
// at revision: one saved since is kept.
func (s *Store) DeleteDraft(ctx context.Context, slug, lang, lesson string, revision int) error {
	holds := func(raw bson.Raw) bool {
		n, ok := raw.Lookup("revision").AsInt64OK()
		return ok && n == int64(revision)
	}
	if _, err := s.deleteIf(ctx, collDrafts, draftID(slug, lang, lesson), bson.E{Key: "revision", Value: int64(revision)}, holds); err != nil {
		return fmt.Errorf("store: delete draft: %w", err)
	}
	return nil
}

// AddMark stores a mark unless its version and language have one, then
// gives the catalog a new stamp: every instance reloads its courses with
// the mark.
func (s *Store) AddMark(ctx context.Context, m review.Mark) (*review.Mark, bool, error) {
	doc := markDoc{ID: m.Version + "/" + m.Lang, Slug: m.Slug, Version: m.Version, Lang: m.Lang, By: m.By, ByName: m.ByName, At: m.At}
	_, err := s.db.Collection(collMarks).InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		var old markDoc
		if err := s.db.Collection(collMarks).FindOne(ctx, byID(doc.ID)).Decode(&old); err != nil {
			return nil, false, fmt.Errorf("store: mark: %w", classify(err))
		}
		return old.mark(), false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: mark: %w", classify(err))
	}
	s.bumpStamp(ctx, StampCatalog)
	return doc.mark(), true, nil
}

// Marks returns the marks of a course.
func (s *Store) Marks(ctx context.Context, slug string) ([]review.Mark, error) {
	return s.marks(ctx, bson.D{{Key: "slug", Value: slug}})
}

// ReviewedLanguages returns, by course version id, the languages marked
// reviewed: what the catalog applies to the versions it holds.
func (s *Store) ReviewedLanguages(ctx context.Context) (map[string][]string, error) {
	marks, err := s.marks(ctx, bson.D{})
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, m := range marks {
		out[m.Version] = append(out[m.Version], m.Lang)
	}
	return out, nil
}

func (s *Store) marks(ctx context.Context, filter bson.D) ([]review.Mark, error) {
	cur, err := s.db.Collection(collMarks).Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("store: marks: %w", classify(err))
	}
	var docs []markDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: marks: %w", classify(err))
	}
	out := make([]review.Mark, len(docs))
	for i, d := range docs {
		out[i] = *d.mark()
	}
	return out, nil
}

var _ review.RecordingStore = (*Store)(nil)

// collRecordings holds reviewers' draft recordings, one document per
// course, language and lesson; _id "<slug>/<lang>/<lesson>". Apart from
// the text drafts: a recording never conflicts with a text.
const collRecordings = "review_recordings"

type recordingDoc struct {
	ID          string    `bson:"_id"`
	Slug        string    `bson:"slug"`
	Lang        string    `bson:"lang"`
	Lesson      string    `bson:"lesson"`
	SHA256      string    `bson:"sha256"`
	Container   string    `bson:"container"`
	Codec       string    `bson:"codec"`
	Ext         string    `bson:"ext"`
	ContentType string    `bson:"content_type"`
	Size        int64     `bson:"size"`
	DurationMS  int64     `bson:"duration_ms"`
	By          string    `bson:"by"`
	ByName      string    `bson:"by_name"`
	At          time.Time `bson:"at"`
}

// Recording returns the draft recording of a lesson in a language.
func (s *Store) Recording(ctx context.Context, slug, lang, lesson string) (*review.Recording, error) {
	var d recordingDoc
	err := s.db.Collection(collRecordings).FindOne(ctx, byID(draftID(slug, lang, lesson))).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, review.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: recording: %w", classify(err))
	}
	return d.recording(), nil
}

func (d recordingDoc) recording() *review.Recording {
	return &review.Recording{Slug: d.Slug, Lang: d.Lang, Lesson: d.Lesson, SHA256: d.SHA256, Container: d.Container, Codec: d.Codec,
		Ext: d.Ext, ContentType: d.ContentType, Size: d.Size, Duration: time.Duration(d.DurationMS) * time.Millisecond,
		By: d.By, ByName: d.ByName, At: d.At}
}

// Recordings returns the draft recordings of a course in a language (a
// small collection, read at publication).
func (s *Store) Recordings(ctx context.Context, slug, lang string) ([]review.Recording, error) {
	cur, err := s.db.Collection(collRecordings).Find(ctx, bson.D{{Key: "slug", Value: slug}, {Key: "lang", Value: lang}})
	if err != nil {
		return nil, fmt.Errorf("store: recordings: %w", classify(err))
	}
	var docs []recordingDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: recordings: %w", classify(err))
	}
	out := make([]review.Recording, len(docs))
	for i, d := range docs {
		out[i] = *d.recording()
	}
	return out, nil
}

// DeleteRecording deletes the draft recording of a lesson in a language
// if it is still the file sha256: one uploaded since is kept.
func (s *Store) DeleteRecording(ctx context.Context, slug, lang, lesson, sha256 string) error {
	holds := func(raw bson.Raw) bool {
		v, ok := raw.Lookup("sha256").StringValueOK()
		return ok && v == sha256
	}
	if _, err := s.deleteIf(ctx, collRecordings, draftID(slug, lang, lesson), bson.E{Key: "sha256", Value: sha256}, holds); err != nil {
		return fmt.Errorf("store: delete recording: %w", err)
	}
	return nil
}

// SaveRecording writes a draft recording whole, in one $set by _id (the
// last upload wins; every field comes from the same upload). Upserts of
// one document are serialised in process, and a duplicate key from a
// concurrent first insert elsewhere is retried as the update it is
// (Store.update).
func (s *Store) SaveRecording(ctx context.Context, r review.Recording) error {
	id := draftID(r.Slug, r.Lang, r.Lesson)
	set := bson.D{{Key: "$set", Value: bson.D{
		{Key: "slug", Value: r.Slug}, {Key: "lang", Value: r.Lang}, {Key: "lesson", Value: r.Lesson},
		{Key: "sha256", Value: r.SHA256}, {Key: "container", Value: r.Container}, {Key: "codec", Value: r.Codec},
		{Key: "ext", Value: r.Ext}, {Key: "content_type", Value: r.ContentType}, {Key: "size", Value: r.Size},
		{Key: "duration_ms", Value: r.Duration.Milliseconds()}, {Key: "by", Value: r.By}, {Key: "by_name", Value: r.ByName},
		{Key: "at", Value: r.At},
	}}}
	if _, err := s.update(ctx, collRecordings, id, set, true); err != nil {
		return fmt.Errorf("store: save recording: %w", err)
	}
	return nil
}
