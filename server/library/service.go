package library

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/blob"
	"github.com/kalan-platform/kalan/server/recency"
)

// Errors of the library.
var (
	ErrNotFound = errors.New("library: not found")
	ErrExists   = errors.New("library: a resource with this id exists")
	ErrTooLarge = errors.New("library: file larger than allowed")
)

// Store keeps the resources' metadata and download counts.
type Store interface {
	CreateResource(ctx context.Context, r *Resource) error
	UpdateResource(ctx context.Context, r *Resource) error
	Resource(ctx context.Context, id string) (*Resource, error) // ErrNotFound
	// Resources returns every resource, withdrawn ones included. A
	// library holds hundreds of items, not millions: lists are filtered
	// in memory.
	Resources(ctx context.Context) ([]*Resource, error)
	CountDownload(ctx context.Context, id, day string) error
	// Downloads sums the downloads of each resource since a day (YYYY-MM-DD).
	Downloads(ctx context.Context, since string) (map[string]int, error)
}

// Service adds, changes and withdraws resources, files in object storage
// and metadata in the database, so that a failure half-way leaves neither
// a document without its file nor a file without its document.
type Service struct {
	store   Store
	blobs   blob.Store
	audit   *audit.Log
	log     *slog.Logger
	MaxSize int64 // bytes per file (KALAN_LIBRARY_MAX_MB)
	now     func() time.Time

	// Every resource, newest first, for the lists: read at start, after
	// this instance's changes, and by Refresh every few seconds for those
	// of other instances. Shared: never changed in place.
	mu     sync.RWMutex
	all    []*Resource
	loaded bool
}

// Deps are what the service is built from.
type Deps struct {
	Store   Store
	Blobs   blob.Store
	Audit   *audit.Log
	Log     *slog.Logger
	MaxSize int64            // bytes per file
	Now     func() time.Time // nil: time.Now
}

// NewService returns the library service; call Refresh to fill its list.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{store: d.Store, blobs: d.Blobs, audit: d.Audit, log: d.Log, MaxSize: d.MaxSize, now: d.Now}
}

// Upload is one file being received, read as it arrives.
type Upload struct {
	Name string    // the name the browser sent
	Body io.Reader // the bytes, streamed
}

// Peek sniffs an upload without consuming it: the caller validates the
// form against the kind before any byte is stored.
func (u *Upload) Peek() (contentType string, kind Kind, ok bool) {
	br, isBuf := u.Body.(*bufio.Reader)
	if !isBuf {
		br = bufio.NewReaderSize(u.Body, 4096)
		u.Body = br
	}
	head, _ := br.Peek(512)
	return Sniff(head)
}

// file is what an upload is, from its bytes.
type file struct {
	contentType string
	kind        Kind
	duration    time.Duration // of a recording
}

// inspect tells what an upload declared as format is (see Peek), without
// consuming it. A recording (see recordingCheckOf) is read whole, at most
// MaxRecordingSize, and checked by its bytes (CheckRecording): its
// content type and duration are the container's. A file refused comes
// back as a form error, before any byte is stored.
func (s *Service) inspect(u *Upload, format string) (file, account.FieldErrors, error) {
	ct, kind, ok := u.Peek()
	check := recordingCheckOf(u.Name, format, kind)
	if check == notRecording {
		if !ok {
			return file{}, account.FieldErrors{{Field: "file", MessageID: "form.library.file_type"}}, nil
		}
		return file{contentType: ct, kind: kind}, nil, nil
	}
	limit := min(s.MaxSize, MaxRecordingSize)
	rest := u.Body
	data, err := io.ReadAll(io.LimitReader(rest, limit+1))
	if err != nil {
		return file{}, nil, err
	}
	u.Body = io.MultiReader(bytes.NewReader(data), rest) // put stores it all
	sniffed := file{contentType: ct, kind: kind}
	switch {
	case int64(len(data)) > limit && check == mayBeRecording:
		return sniffed, nil, nil // a video
	case int64(len(data)) > s.MaxSize:
		return file{}, nil, ErrTooLarge
	case int64(len(data)) > limit:
		return file{}, account.FieldErrors{{Field: "file", MessageID: "form.library.audio.too_large", Data: map[string]any{"MaxMB": limit >> 20}}}, nil
	}
	a, err := CheckRecording(u.Name, data)
	switch {
	case err != nil && check == mayBeRecording:
		return sniffed, nil, nil // a video, or what the video checks say
	case err != nil:
		return file{}, account.FieldErrors{recordingError(err)}, nil
	}
	// A browser's recording gets the Duration it lacks, so that players
	// show its length (the sound is untouched).
	if withDuration, ok := audio.WithWebMDuration(data, a.Duration); ok {
		u.Body = bytes.NewReader(withDuration) // read whole: rest is empty
	}
	// To the millisecond, as the store keeps it.
	return file{contentType: a.ContentType, kind: KindAudio, duration: a.Duration.Truncate(time.Millisecond)}, nil, nil
}

// limited fails with ErrTooLarge past max bytes.
type limited struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return n, ErrTooLarge
	}
	return n, err
}

// store streams an upload to a new key and returns its size and hash; on
// any error the object is deleted.
func (s *Service) put(ctx context.Context, key string, u *Upload, contentType string) (int64, string, error) {
	h := sha256.New()
	body := &limited{r: io.TeeReader(u.Body, h), max: s.MaxSize}
	info, err := s.blobs.Put(ctx, key, body, -1, contentType)
	if err != nil {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), key)
		if errors.Is(err, ErrTooLarge) || body.n > s.MaxSize {
			return 0, "", ErrTooLarge
		}
		return 0, "", err
	}
	return info.Size, hex.EncodeToString(h.Sum(nil)), nil
}

func fileKey(id string) string { return "library/" + id + "/" + account.NewID() }

// Add stores a new resource: the file, then its document. Form errors
// come back before any byte is stored.
func (s *Service) Add(ctx context.Context, actor *account.User, f Form, u *Upload, supported, course func(string) bool, addr string) (*Resource, account.FieldErrors, error) {
	r, errs, err := s.Stage(ctx, f, u, supported, course)
	if errs != nil || err != nil {
		return nil, errs, err
	}
	return r, nil, s.Commit(ctx, actor, []*Resource{r}, addr)
}

// Stage stores the file of a new resource and returns the resource, not
// yet in the library: Commit adds it, Discard deletes its file. An upload
// of several files stages them all before committing any, so that one
// bad or cut file leaves none behind. Form errors come back before any
// byte is stored.
func (s *Service) Stage(ctx context.Context, f Form, u *Upload, supported, course func(string) bool) (*Resource, account.FieldErrors, error) {
	return s.stage(ctx, account.NewID()[:16], f, u, supported, course)
}

func (s *Service) stage(ctx context.Context, id string, f Form, u *Upload, supported, course func(string) bool) (*Resource, account.FieldErrors, error) {
	fl, errs, err := s.inspect(u, f.Format)
	if errs != nil || err != nil {
		return nil, errs, err
	}
	now := s.now().UTC()
	r := &Resource{ID: id, ContentType: fl.contentType, FileName: CleanFileName(u.Name), Duration: fl.duration, CreatedAt: now, UpdatedAt: now}
	if errs := f.Validate(r, fl.kind, supported, course); errs != nil {
		return nil, errs, nil
	}
	r.Key = fileKey(r.ID)
	size, sum, err := s.put(ctx, r.Key, u, fl.contentType)
	if err != nil {
		return nil, nil, err
	}
	r.Size, r.SHA256 = size, sum
	return r, nil, nil
}

// Commit adds staged resources to the library. If a document cannot be
// written, the files of that resource and of those after it are deleted;
// the ones before are complete resources.
func (s *Service) Commit(ctx context.Context, actor *account.User, rs []*Resource, addr string) error {
	for i, r := range rs {
		if err := s.store.CreateResource(ctx, r); err != nil {
			s.Discard(ctx, rs[i:])
			return err
		}
		s.keep(r)
		if err := s.record(ctx, actor, audit.LibraryAdded, r, addr); err != nil {
			s.Discard(ctx, rs[i+1:])
			return err
		}
	}
	return nil
}

// Discard deletes the files of staged resources that will not be
// committed. A file it fails to delete is an orphan that SweepOrphans
// removes later.
func (s *Service) Discard(ctx context.Context, rs []*Resource) {
	for _, r := range rs {
		if err := s.blobs.Delete(context.WithoutCancel(ctx), r.Key); err != nil {
			s.log.Warn("library: cannot delete a discarded upload; the sweep will", "key", r.Key, "err", err)
		}
	}
}

// Update changes the metadata of a resource.
func (s *Service) Update(ctx context.Context, actor *account.User, r *Resource, f Form, supported, course func(string) bool, addr string) (account.FieldErrors, error) {
	changed := *r
	if errs := f.Validate(&changed, "", supported, course); errs != nil {
		return errs, nil
	}
	changed.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateResource(ctx, &changed); err != nil {
		return nil, err
	}
	s.keep(&changed)
	return nil, s.record(ctx, actor, audit.LibraryUpdated, r, addr)
}

// Replace puts a new file in place of a resource's file. The new file
// must suit the resource's format; the old object is deleted only once
// the document points at the new one.
func (s *Service) Replace(ctx context.Context, actor *account.User, r *Resource, u *Upload, addr string) (account.FieldErrors, error) {
	fl, errs, err := s.inspect(u, r.Format)
	if errs != nil || err != nil {
		return errs, err
	}
	if !slices.Contains(FormatsFor(fl.kind), r.Format) {
		return account.FieldErrors{{Field: "file", MessageID: "form.library.format_mismatch"}}, nil
	}
	changed := *r
	changed.Key, changed.ContentType, changed.FileName, changed.UpdatedAt = fileKey(r.ID), fl.contentType, CleanFileName(u.Name), s.now().UTC()
	changed.Duration = fl.duration
	size, sum, err := s.put(ctx, changed.Key, u, fl.contentType)
	if err != nil {
		return nil, err
	}
	changed.Size, changed.SHA256 = size, sum
	if err := s.store.UpdateResource(ctx, &changed); err != nil {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), changed.Key)
		return nil, err
	}
	s.keep(&changed)
	if err := s.blobs.Delete(ctx, r.Key); err != nil {
		s.log.Warn("old library file not deleted; the sweep will", "resource", r.ID, "err", err)
	}
	return nil, s.record(ctx, actor, audit.LibraryReplaced, &changed, addr)
}

// SetWithdrawn withdraws a resource (gone from the list; its download
// answers 410) or puts it back.
func (s *Service) SetWithdrawn(ctx context.Context, actor *account.User, r *Resource, withdrawn bool, addr string) error {
	changed := *r
	changed.WithdrawnAt, changed.UpdatedAt = time.Time{}, s.now().UTC()
	action := audit.LibraryRestored
	if withdrawn {
		changed.WithdrawnAt, action = s.now().UTC(), audit.LibraryWithdrawn
	}
	if err := s.store.UpdateResource(ctx, &changed); err != nil {
		return err
	}
	s.keep(&changed)
	return s.record(ctx, actor, action, r, addr)
}

func (s *Service) record(ctx context.Context, actor *account.User, action string, r *Resource, addr string) error {
	if actor == nil { // the bundled starter material
		return nil
	}
	return s.audit.Record(ctx, audit.Entry{ActorID: actor.ID, Action: action, TargetType: "resource", TargetID: r.ID, IP: addr})
}

// Get returns a resource.
func (s *Service) Get(ctx context.Context, id string) (*Resource, error) {
	return s.store.Resource(ctx, id)
}

// Refresh reads every resource again: serve calls it every few seconds
// for the changes made by another instance.
func (s *Service) Refresh(ctx context.Context) error {
	all, err := s.store.Resources(ctx)
	if err != nil {
		return fmt.Errorf("library: refresh: %w", err)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
	s.mu.Lock()
	s.all, s.loaded = all, true
	s.mu.Unlock()
	return nil
}

// keep puts a resource this instance wrote into the list, in its place.
func (s *Service) keep(r *Resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = recency.Put(s.all, r, func(o *Resource) string { return o.ID }, func(o *Resource) time.Time { return o.CreatedAt })
}

// All returns every resource, withdrawn ones included, newest first.
func (s *Service) All(ctx context.Context) ([]*Resource, error) {
	s.mu.RLock()
	all, loaded := s.all, s.loaded
	s.mu.RUnlock()
	if !loaded {
		if err := s.Refresh(ctx); err != nil {
			return nil, err
		}
		return s.All(ctx)
	}
	return all, nil
}

// List returns the resources a filter selects, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]*Resource, error) {
	all, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	var out []*Resource
	for _, r := range all {
		if f.Matches(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// CountDownload counts a download of the day; no one's identity is kept.
func (s *Service) CountDownload(ctx context.Context, r *Resource) error {
	return s.store.CountDownload(ctx, r.ID, s.now().UTC().Format("2006-01-02"))
}

// Downloads sums each resource's downloads over the last days.
func (s *Service) Downloads(ctx context.Context, days int) (map[string]int, error) {
	return s.store.Downloads(ctx, s.now().UTC().AddDate(0, 0, -days).Format("2006-01-02"))
}

// Open streams a resource's file, from offset for length bytes (-1: to the end).
func (s *Service) Open(ctx context.Context, r *Resource, offset, length int64) (io.ReadCloser, error) {
	rc, _, err := s.blobs.Open(ctx, r.Key, offset, length)
	if err != nil {
		return nil, fmt.Errorf("library: open %s: %w", r.ID, err)
	}
	return rc, nil
}

// SweepOrphans deletes library files that no resource points at (left by
// an upload cut by a crash), once they are older than an hour, so that an
// upload in progress is never touched.
func (s *Service) SweepOrphans(ctx context.Context) (int, error) {
	all, err := s.store.Resources(ctx)
	if err != nil {
		return 0, err
	}
	used := map[string]bool{}
	for _, r := range all {
		used[r.Key] = true
	}
	objects, err := s.blobs.List(ctx, "library/")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range objects {
		if !used[o.Key] && s.now().Sub(o.ModTime) > time.Hour {
			if err := s.blobs.Delete(ctx, o.Key); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
