package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"kalan/server/session"
)

var _ session.Store = (*Store)(nil)

const collSessions = "sessions"

type sessionDoc struct {
	ID        string    `bson:"_id"` // hash of the token
	UserID    string    `bson:"user_id"`
	Remember  bool      `bson:"remember"`
	CreatedAt time.Time `bson:"created_at"`
	LastSeen  time.Time `bson:"last_seen"`
	ExpiresAt time.Time `bson:"expires_at"`
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, ss session.Session) error {
	_, err := s.db.Collection(collSessions).InsertOne(ctx, sessionDoc(ss))
	if err != nil {
		return fmt.Errorf("store: create session: %w", classify(err))
	}
	return nil
}

// Session returns a session by the hash of its token.
func (s *Store) Session(ctx context.Context, id string) (session.Session, error) {
	var d sessionDoc
	err := s.db.Collection(collSessions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return session.Session{}, session.ErrNotFound
	}
	if err != nil {
		return session.Session{}, fmt.Errorf("store: session: %w", classify(err))
	}
	return session.Session(d), nil
}

// TouchSession records activity.
func (s *Store) TouchSession(ctx context.Context, id string, lastSeen, expiresAt time.Time) error {
	_, err := s.db.Collection(collSessions).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen", Value: lastSeen}, {Key: "expires_at", Value: expiresAt}}}})
	if err != nil {
		return fmt.Errorf("store: touch session: %w", classify(err))
	}
	return nil
}

// DeleteSession ends one session; deleting a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.db.Collection(collSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", classify(err))
	}
	return nil
}

// DeleteUserSessions ends every session of a user except keep.
func (s *Store) DeleteUserSessions(ctx context.Context, userID, keep string) (int, error) {
	filter := bson.D{{Key: "user_id", Value: userID}}
	if keep != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}})
	}
	res, err := s.db.Collection(collSessions).DeleteMany(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions of a user: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}

// DeleteExpiredSessions is the periodic sweep.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.Collection(collSessions).DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, fmt.Errorf("store: sweep sessions: %w", classify(err))
	}
	return int(res.DeletedCount), nil
}
