// Package session keeps who is signed in. The browser holds a random token
// in a cookie; the database holds only its hash, so a leaked database does
// not sign anybody in. Phones are shared: sessions expire after a short
// idle time unless "remember me" was ticked, and always after an absolute
// lifetime.
package session

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kalan-platform/kalan/server/account"
)

// ErrNotFound is returned by a Store for an unknown session.
var ErrNotFound = errors.New("session: not found")

// ErrNoSession means the cookie does not name a live session: absent,
// malformed, unknown or expired. The reader is simply signed out.
var ErrNoSession = errors.New("session: no session")

// Session is one signed-in browser.
type Session struct {
	ID        string // hash of the token; the token itself is never stored
	UserID    string
	Remember  bool
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // the earlier of idle and absolute expiry; the sweep deletes past it
}

// Policy is how long sessions live.
type Policy struct {
	Idle, Absolute                 time.Duration // without "remember me"
	RememberIdle, RememberAbsolute time.Duration // with it
}

// DefaultPolicy suits shared phones: half an hour idle, a working day at
// most; "remember me" keeps a personal phone signed in for a month.
func DefaultPolicy() Policy {
	return Policy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour, RememberIdle: 30 * 24 * time.Hour, RememberAbsolute: 90 * 24 * time.Hour}
}

// touchEvery bounds the writes of a busy session: last-seen moves at most
// once a minute, so reading pages costs no write.
const touchEvery = time.Minute

func (p Policy) limits(remember bool) (idle, absolute time.Duration) {
	if remember {
		return p.RememberIdle, p.RememberAbsolute
	}
	return p.Idle, p.Absolute
}

// expiry is when s expires if it was last seen at seen.
func (p Policy) expiry(s Session, seen time.Time) time.Time {
	idle, absolute := p.limits(s.Remember)
	end := seen.Add(idle)
	if hard := s.CreatedAt.Add(absolute); hard.Before(end) {
		end = hard
	}
	return end
}

// Store keeps sessions.
type Store interface {
	CreateSession(ctx context.Context, s Session) error
	// Session returns a session by id, or ErrNotFound.
	Session(ctx context.Context, id string) (Session, error)
	TouchSession(ctx context.Context, id string, lastSeen, expiresAt time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of a user but keep (may be "").
	DeleteUserSessions(ctx context.Context, userID, keep string) (int, error)
}

// Manager starts, finds and ends sessions.
type Manager struct {
	store  Store
	policy Policy
	log    *slog.Logger
	now    func() time.Time
	// touching holds when each session's last-seen was last written (or
	// is being written): the requests of a busy session that arrive
	// meanwhile do not write it again (fifty of them at once queued behind
	// the database's writer). See claimTouch.
	touching sync.Map
	claims   atomic.Uint64
}

// NewManager returns a manager applying policy.
func NewManager(store Store, policy Policy, log *slog.Logger) *Manager {
	return &Manager{store: store, policy: policy, log: log, now: time.Now}
}

// Policy returns the manager's policy (for cookie lifetimes).
func (m *Manager) Policy() Policy { return m.policy }

// Start signs a user in and returns the token for the cookie.
func (m *Manager) Start(ctx context.Context, userID string, remember bool) (string, Session, error) {
	token, hash := account.NewToken()
	now := m.now().UTC()
	s := Session{ID: hash, UserID: userID, Remember: remember, CreatedAt: now, LastSeen: now}
	s.ExpiresAt = m.policy.expiry(s, now)
	if err := m.store.CreateSession(ctx, s); err != nil {
		return "", Session{}, fmt.Errorf("session: start: %w", err)
	}
	return token, s, nil
}

// Lookup finds the live session of a token and records the activity. Any
// token that does not lead to a live session gives ErrNoSession.
func (m *Manager) Lookup(ctx context.Context, token string) (Session, error) {
	if !wellFormed(token) {
		return Session{}, ErrNoSession
	}
	s, err := m.store.Session(ctx, account.HashToken(token))
	if errors.Is(err, ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: lookup: %w", err)
	}
	now := m.now().UTC()
	if !now.Before(s.ExpiresAt) {
		_ = m.store.DeleteSession(ctx, s.ID)
		return Session{}, ErrNoSession
	}
	if now.Sub(s.LastSeen) >= touchEvery {
		s.LastSeen, s.ExpiresAt = now, m.policy.expiry(s, now)
		if m.claimTouch(s.ID, now) {
			if err := m.store.TouchSession(ctx, s.ID, s.LastSeen, s.ExpiresAt); err != nil {
				m.touching.Delete(s.ID) // the next request tries again
				// The reader stays signed in; the session just expires a little earlier.
				m.log.Warn("session touch failed", "err", err)
			}
		}
	}
	return s, nil
}

// claimTouch reports whether this request writes the session's
// last-seen: no other is writing it, and none wrote it less than
// touchEvery ago. Requests that read the session before a write still see
// the old last-seen; the time kept here stops them writing it again.
func (m *Manager) claimTouch(id string, now time.Time) bool {
	if m.claims.Add(1)%1024 == 0 { // forget the sessions not touched lately
		m.touching.Range(func(k, v any) bool {
			if now.Sub(v.(time.Time)) >= touchEvery {
				m.touching.CompareAndDelete(k, v)
			}
			return true
		})
	}
	for {
		prev, loaded := m.touching.LoadOrStore(id, now)
		switch {
		case !loaded:
			return true
		case now.Sub(prev.(time.Time)) < touchEvery:
			return false
		case m.touching.CompareAndSwap(id, prev, now):
			return true
		}
	}
}

// End signs out the session of a token.
func (m *Manager) End(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	return m.store.DeleteSession(ctx, account.HashToken(token))
}

// EndAll signs a user out everywhere, except the session keep (may be "").
func (m *Manager) EndAll(ctx context.Context, userID, keep string) (int, error) {
	return m.store.DeleteUserSessions(ctx, userID, keep)
}

// wellFormed rejects cookies that cannot be a token (see
// account.NewToken: 32 bytes, base64 URL-safe) before asking the database.
func wellFormed(token string) bool {
	if len(token) != base64.RawURLEncoding.EncodedLen(32) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil
}
