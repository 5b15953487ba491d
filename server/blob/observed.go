package blob

import (
	"context"
	"errors"
	"io"
	"time"
)

// Observer learns the outcome of every object-storage operation, for the
// operator's metrics. unavailable tells ErrUnavailable (the storage did
// not answer) from the other failures; "not found" is an answer, not a
// failure.
type Observer interface {
	ObserveBlob(op string, elapsed time.Duration, failed, unavailable bool)
}

// Observed wraps a Store so that o sees each operation: "put", "open",
// "stat", "delete", "list", "ping". An Open is timed to the moment the
// reader is returned, not to the end of the download.
func Observed(s Store, o Observer) Store { return &observed{Store: s, o: o} }

type observed struct {
	Store
	o Observer
}

var _ Store = (*observed)(nil)

func (s *observed) done(op string, start time.Time, err error) {
	failed := err != nil && !errors.Is(err, ErrNotFound)
	s.o.ObserveBlob(op, time.Since(start), failed, errors.Is(err, ErrUnavailable))
}

// Put implements Store.
func (s *observed) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error) {
	start := time.Now()
	info, err := s.Store.Put(ctx, key, r, size, contentType)
	s.done("put", start, err)
	return info, err
}

// Open implements Store.
func (s *observed) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, Info, error) {
	start := time.Now()
	r, info, err := s.Store.Open(ctx, key, offset, length)
	s.done("open", start, err)
	return r, info, err
}

// Stat implements Store.
func (s *observed) Stat(ctx context.Context, key string) (Info, error) {
	start := time.Now()
	info, err := s.Store.Stat(ctx, key)
	s.done("stat", start, err)
	return info, err
}

// Delete implements Store.
func (s *observed) Delete(ctx context.Context, key string) error {
	start := time.Now()
	err := s.Store.Delete(ctx, key)
	s.done("delete", start, err)
	return err
}

// List implements Store.
func (s *observed) List(ctx context.Context, prefix string) ([]Info, error) {
	start := time.Now()
	list, err := s.Store.List(ctx, prefix)
	s.done("list", start, err)
	return list, err
}

// Ping implements Store.
func (s *observed) Ping(ctx context.Context) error {
	start := time.Now()
	err := s.Store.Ping(ctx)
	s.done("ping", start, err)
	return err
}
