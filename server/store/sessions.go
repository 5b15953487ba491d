package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/session"
)

var _ session.Store = (*Store)(nil)

// Sessions, and for each person the list of theirs, so that signing out
// everywhere finds them by _id.
const (
	collSessions     = "sessions"
	collUserSessions = "user_sessions"
)

type sessionDoc struct {
	ID        string    `bson:"_id"` // hash of the token
	UserID    string    `bson:"user_id"`
	Remember  bool      `bson:"remember"`
	CreatedAt time.Time `bson:"created_at"`
	LastSeen  time.Time `bson:"last_seen"`
	ExpiresAt time.Time `bson:"expires_at"`
}

// userSessionsDoc lists a person's sessions by id (the value is the
// session's start, for the curious). Signing out removes an entry; the
// sweep removes those of expired sessions.
type userSessionsDoc struct {
	UserID   string               `bson:"_id"`
	Sessions map[string]time.Time `bson:"sessions"`
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ss session.Session) error {
	if _, err := s.db.Collection(collSessions).InsertOne(ctx, sessionDoc(ss)); err != nil {
		return fmt.Errorf("store: create session: %w", classify(err))
	}
	if _, err := s.update(ctx, collUserSessions, ss.UserID,
		bson.D{{Key: "$set", Value: bson.D{{Key: "sessions." + ss.ID, Value: ss.CreatedAt}}}}, true); err != nil {
		_ = s.deleteByID(ctx, collSessions, ss.ID) // unlisted, it could not be ended everywhere
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// Session returns a session by the hash of its token.
func (s *Store) Session(ctx context.Context, id string) (session.Session, error) {
	d, found, err := findByID[sessionDoc](ctx, s, collSessions, id)
	if err != nil {
		return session.Session{}, fmt.Errorf("store: session: %w", err)
	}
	if !found {
		return session.Session{}, session.ErrNotFound
	}
	return session.Session(d), nil
}

// TouchSession records activity.
func (s *Store) TouchSession(ctx context.Context, id string, lastSeen, expiresAt time.Time) error {
	if _, err := s.update(ctx, collSessions, id,
		bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: lastSeen}, {Key: "expires_at", Value: expiresAt}}}}, false); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession ends one session; deleting a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	d, found, err := findByID[sessionDoc](ctx, s, collSessions, id)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	if err := s.deleteByID(ctx, collSessions, id); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	if found {
		if err := s.unlistSessions(ctx, d.UserID, []string{id}); err != nil {
			return fmt.Errorf("store: delete session: %w", err)
		}
	}
	return nil
}

// DeleteUserSessions ends every session of a user except keep.
func (s *Store) DeleteUserSessions(ctx context.Context, userID, keep string) (int, error) {
	list, _, err := findByID[userSessionsDoc](ctx, s, collUserSessions, userID)
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions of a user: %w", err)
	}
	var ended []string
	n := 0
	for id := range list.Sessions {
		if id == keep {
			continue
		}
		_, found, err := findByID[sessionDoc](ctx, s, collSessions, id)
		if err != nil {
			return n, fmt.Errorf("store: delete sessions of a user: %w", err)
		}
		if err := s.deleteByID(ctx, collSessions, id); err != nil {
			return n, fmt.Errorf("store: delete sessions of a user: %w", err)
		}
		if found {
			n++
		}
		ended = append(ended, id)
	}
	if err := s.unlistSessions(ctx, userID, ended); err != nil {
		return n, fmt.Errorf("store: delete sessions of a user: %w", err)
	}
	return n, nil
}

// unlistSessions removes sessions from a person's list.
func (s *Store) unlistSessions(ctx context.Context, userID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	unset := bson.D{}
	for _, id := range ids {
		unset = append(unset, bson.E{Key: "sessions." + id, Value: ""})
	}
	_, err := s.update(ctx, collUserSessions, userID, bson.D{{Key: "$unset", Value: unset}}, false)
	return err
}

// DeleteExpiredSessions is the periodic sweep. It reads the expired
// sessions (an index on expires_at on MongoDB; the whole collection of
// live sessions on the embedded database, in the background), deletes
// each by _id unless it was used meanwhile, and removes it from its
// person's list.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	expired, err := findAll[sessionDoc](ctx, s, collSessions, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}},
		options.Find().SetProjection(bson.D{{Key: "user_id", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("store: sweep sessions: %w", err)
	}
	byUser, n := map[string][]string{}, 0
	stillExpired := func(raw bson.Raw) bool {
		at, ok := raw.Lookup("expires_at").TimeOK()
		return ok && !at.After(now)
	}
	for _, d := range expired {
		// A session used since it was read has a later expiry: it stays.
		deleted, err := s.deleteIf(ctx, collSessions, d.ID, bson.E{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}, stillExpired)
		if err != nil {
			return 0, fmt.Errorf("store: sweep sessions: %w", err)
		}
		if deleted {
			byUser[d.UserID] = append(byUser[d.UserID], d.ID)
			n++
		}
	}
	for userID, ids := range byUser {
		if err := s.unlistSessions(ctx, userID, ids); err != nil {
			return 0, fmt.Errorf("store: sweep sessions: %w", err)
		}
	}
	return n, nil
}
