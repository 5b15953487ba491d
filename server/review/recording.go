package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/blob"
)

// Recording is the draft recording of one lesson in one language: the
// last one a reviewer uploaded (a new upload replaces it; the page says
// who uploaded it and when). The file is stored as course media are, by
// its content hash, so that publishing it stores nothing new.
type Recording struct {
	Slug, Lang, Lesson string
	SHA256             string
	Container          string // audio.Container: "ogg", "webm", "mp3", "mp4"
	Codec              string
	Ext                string // the extension it gets in the course folder: ".opus"
	ContentType        string
	Size               int64
	Duration           time.Duration
	By                 string // the reviewer's account id
	ByName             string
	At                 time.Time
}

// RecordingStore keeps draft recordings.
type RecordingStore interface {
	// Recording returns the draft recording of a lesson in a language, or
	// ErrNotFound.
	Recording(ctx context.Context, slug, lang, lesson string) (*Recording, error)
	// SaveRecording writes r as the draft recording of its lesson and
	// language, replacing any (the last write wins).
	SaveRecording(ctx context.Context, r Recording) error
	// Recordings returns the draft recordings of a course in a language.
	Recordings(ctx context.Context, slug, lang string) ([]Recording, error)
	// DeleteRecording deletes a draft recording if it is still sha256.
	DeleteRecording(ctx context.Context, slug, lang, lesson, sha256 string) error
}

// RecordingError is a recording refused before anything is stored;
// MessageID says why, for the reader, and TooLarge that it was refused
// for its weight (HTTP 413).
type RecordingError struct {
	MessageID string
	TooLarge  bool
	Err       error
}

func (e *RecordingError) Error() string {
	return "review: recording: " + e.MessageID + ": " + e.Err.Error()
}
func (e *RecordingError) Unwrap() error { return e.Err }

// CheckRecording checks an uploaded lesson recording whose name ended in
// ext ("" for none; one it has must say what it is), as a course check
// does (courses.CheckLessonRecording), and says why it is refused with a
// *RecordingError. It returns the bytes to keep: data, or for a browser's
// WebM data with the Duration its recorder could not write
// (audio.WithWebMDuration), so that learners' players show its length.
func CheckRecording(ext string, data []byte) (Recording, []byte, error) {
	a, ext, err := courses.CheckLessonRecording(ext, data)
	if err != nil {
		return Recording{}, nil, &RecordingError{MessageID: recordingMessage(err), TooLarge: errors.Is(err, courses.ErrRecordingTooLarge), Err: err}
	}
	if withDuration, ok := audio.WithWebMDuration(data, a.Duration); ok && int64(len(withDuration)) <= courses.MaxLessonRecordingSize {
		data = withDuration
	}
	sum := sha256.Sum256(data)
	return Recording{SHA256: hex.EncodeToString(sum[:]), Container: string(a.Container), Codec: a.Codec, Ext: ext,
		ContentType: a.ContentType, Size: int64(len(data)), Duration: a.Duration}, data, nil
}

// recordingMessage is the message id that says why a recording is refused.
func recordingMessage(err error) string {
	switch {
	case errors.Is(err, courses.ErrRecordingTooLarge):
		return "review.audio.error.too_large"
	case errors.Is(err, courses.ErrRecordingTooLong):
		return "review.audio.error.too_long"
	case errors.Is(err, audio.ErrEmpty):
		return "review.audio.error.empty"
	case errors.Is(err, audio.ErrMisnamed):
		return "review.audio.error.misnamed"
	case errors.Is(err, audio.ErrNotAudio):
		return "review.audio.error.not_audio"
	case errors.Is(err, audio.ErrTruncated), errors.Is(err, audio.ErrCorrupt):
		return "review.audio.error.damaged"
	case errors.Is(err, audio.ErrSilent):
		return "review.audio.error.silent"
	}
	return "review.audio.error.unknown"
}

// SaveRecording stores a checked recording (see CheckRecording) of a
// lesson in lang for actor: the file in object storage under its hash,
// unless it is there already, then the draft, then the audit entry. A
// failure before the draft leaves no draft pointing at a missing file.
func (s *Service) SaveRecording(ctx context.Context, actor *account.User, r Recording, data []byte, addr string) (*Recording, error) {
	if s.recordings == nil || s.blobs == nil {
		return nil, errors.New("review: no storage for recordings")
	}
	key := recordingKey(r.SHA256)
	if _, err := s.blobs.Stat(ctx, key); errors.Is(err, blob.ErrNotFound) {
		if _, err := s.blobs.Put(ctx, key, bytes.NewReader(data), int64(len(data)), r.ContentType); err != nil {
			return nil, fmt.Errorf("review: store recording: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("review: store recording: %w", err)
	}
	r.By, r.ByName, r.At = actor.ID, actor.Name, s.now().UTC()
	if err := s.recordings.SaveRecording(ctx, r); err != nil {
		return nil, err
	}
	if err := s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: audit.RecordingSaved, TargetType: "course", TargetID: r.Slug,
		Details: map[string]string{"lang": r.Lang, "lesson": r.Lesson, "sha256": r.SHA256, "container": r.Container,
			"bytes": strconv.FormatInt(r.Size, 10), "duration_ms": strconv.FormatInt(r.Duration.Milliseconds(), 10)}, IP: addr}); err != nil {
		return &r, err
	}
	return &r, nil
}

// recordingKey is where a draft recording is kept: apart from the course
// media, which GET /media/{hash} serves to anybody, so that a draft is
// heard only by reviewers and admins, and Kalan hosts no file a reviewer
// uploads for other ears. Publishing copies it under catalog.MediaKey.
func recordingKey(sha256 string) string { return "review/recordings/" + sha256 }

// OpenRecording reads a draft recording's bytes from offset (length -1:
// to the end), for the reviewers' player; ErrNotFound when it is gone.
func (s *Service) OpenRecording(ctx context.Context, sha256 string, offset, length int64) (io.ReadCloser, error) {
	if s.blobs == nil {
		return nil, ErrNotFound
	}
	r, _, err := s.blobs.Open(ctx, recordingKey(sha256), offset, length)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, ErrNotFound
	}
	return r, err
}

// Recording returns the draft recording of a lesson, or ErrNotFound.
func (s *Service) Recording(ctx context.Context, slug, lang, lesson string) (*Recording, error) {
	if s.recordings == nil {
		return nil, ErrNotFound
	}
	return s.recordings.Recording(ctx, slug, lang, lesson)
}
