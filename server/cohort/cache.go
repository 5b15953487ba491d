package cohort

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/recency"
)

// Cache holds every cohort in memory: a lesson page checks access without
// asking the database. It is apart from the Service so that what the
// service tells of each join (the trainer reports, which read cohorts too)
// can be built before the service.
type Cache struct {
	store Store

	mu   sync.RWMutex
	all  []*Cohort // newest first
	byID map[string]*Cohort
}

// NewCache returns an empty cache; call Refresh to fill it.
func NewCache(store Store) *Cache { return &Cache{store: store, byID: map[string]*Cohort{}} }

// Refresh reloads every cohort; serve calls it every few seconds for the
// changes made by another instance.
func (m *Cache) Refresh(ctx context.Context) error {
	list, err := m.store.Cohorts(ctx)
	if err != nil {
		return fmt.Errorf("cohort: refresh: %w", err)
	}
	byID := make(map[string]*Cohort, len(list))
	for _, c := range list {
		byID[c.ID] = c
	}
	m.mu.Lock()
	m.all, m.byID = list, byID
	m.mu.Unlock()
	return nil
}

// All returns every cohort, newest first. The cohorts are shared: do not
// change them.
func (m *Cache) All() []*Cohort {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.all
}

// Get returns a cohort by id, from memory, else from the database (it may
// have been created by another instance a moment ago).
func (m *Cache) Get(ctx context.Context, id string) (*Cohort, error) {
	m.mu.RLock()
	c := m.byID[id]
	m.mu.RUnlock()
	if c != nil {
		return c, nil
	}
	c, err := m.store.Cohort(ctx, id)
	if err != nil {
		return nil, err
	}
	m.keep(c)
	return c, nil
}

// keep puts a cohort read or written by this instance into memory, in
// its place (newest first), without reading the others again.
func (m *Cache) keep(c *Cohort) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.all = recency.Put(m.all, c, func(o *Cohort) string { return o.ID }, func(o *Cohort) time.Time { return o.CreatedAt })
	byID := make(map[string]*Cohort, len(m.all))
	for _, o := range m.all {
		byID[o.ID] = o
	}
	m.byID = byID
}

// reload reads a cohort this instance just changed and keeps it.
func (m *Cache) reload(ctx context.Context, id string) error {
	c, err := m.store.Cohort(ctx, id)
	if err != nil {
		return err
	}
	m.keep(c)
	return nil
}

// Reload reads cohorts again by id and keeps them: one changed on
// another instance a moment ago is not in memory until this instance's
// next check of the stamps (server/freshness). An unknown id is skipped.
func (m *Cache) Reload(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if err := m.reload(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("cohort: reload %s: %w", id, err)
		}
	}
	return nil
}

// OfMember returns the cohorts among ids, as a member's list.
func (m *Cache) OfMember(ctx context.Context, ids []string) []*Cohort {
	var out []*Cohort
	for _, id := range ids {
		if c, err := m.Get(ctx, id); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// Invitations returns the open cohorts a person is invited to.
func (m *Cache) Invitations(u *account.User) []*Cohort {
	var out []*Cohort
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, id := range u.Invitations {
		if c, ok := m.byID[id]; ok && !c.Closed {
			out = append(out, c)
		}
	}
	return out
}
