package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/offline"
	"github.com/kalan-platform/kalan/server/session"
)

// The reads of this file gather what Kalan keeps about one person, for
// their export (GET /account/export). The filters on user_id read the
// whole collection on the embedded database: an export is rare and
// asked by the person, never on a trainee's path.

// SessionsOf returns a person's live sessions, found from their list by
// _id, oldest first.
func (s *Store) SessionsOf(ctx context.Context, userID string) ([]session.Session, error) {
	list, _, err := findByID[userSessionsDoc](ctx, s, collUserSessions, userID)
	if err != nil {
		return nil, fmt.Errorf("store: sessions of a user: %w", err)
	}
	var out []session.Session
	for id := range list.Sessions {
		d, found, err := findByID[sessionDoc](ctx, s, collSessions, id)
		if err != nil {
			return nil, fmt.Errorf("store: sessions of a user: %w", err)
		}
		if found {
			out = append(out, session.Session(d))
		}
	}
	slices.SortFunc(out, func(a, b session.Session) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// SyncEventsOf returns the offline events of a person that were applied.
func (s *Store) SyncEventsOf(ctx context.Context, userID string) ([]offline.Record, error) {
	docs, err := findAll[syncEventDoc](ctx, s, collSyncEvents, bson.D{{Key: "user_id", Value: userID}})
	if err != nil {
		return nil, fmt.Errorf("store: sync events of a user: %w", err)
	}
	out := make([]offline.Record, len(docs))
	for i, d := range docs {
		out[i] = offline.Record{ID: d.ID[len(syncEventKey(userID, "")):], Kind: d.Kind, At: d.At, Received: d.Received}
	}
	slices.SortFunc(out, func(a, b offline.Record) int { return a.Received.Compare(b.Received) })
	return out, nil
}

// ResetsOf returns when each live password reset link of a person
// expires (the links' hashes are secrets, and stay out).
func (s *Store) ResetsOf(ctx context.Context, userID string) ([]time.Time, error) {
	docs, err := findAll[struct {
		ExpiresAt time.Time `bson:"expires_at"`
	}](ctx, s, collResets, bson.D{{Key: "user_id", Value: userID}})
	if err != nil {
		return nil, fmt.Errorf("store: resets of a user: %w", err)
	}
	out := make([]time.Time, len(docs))
	for i, d := range docs {
		out[i] = d.ExpiresAt
	}
	return out, nil
}

// AuditOf returns the audit entries by a person or about them (targets:
// their id and their certificates' serials), oldest first.
func (s *Store) AuditOf(ctx context.Context, userID string, targets []string) ([]audit.Entry, error) {
	filter := bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "actor_id", Value: userID}},
		bson.D{{Key: "target_id", Value: bson.D{{Key: "$in", Value: append([]string{userID}, targets...)}}}},
	}}}
	docs, err := findAll[auditDoc](ctx, s, collAudit, filter)
	if err != nil {
		return nil, fmt.Errorf("store: audit of a user: %w", err)
	}
	out := make([]audit.Entry, len(docs))
	for i, d := range docs {
		out[i] = audit.Entry{At: d.At, ActorID: d.ActorID, Action: d.Action, TargetType: d.TargetType,
			TargetID: d.TargetID, Details: d.Details, IP: d.IP}
	}
	slices.SortStableFunc(out, func(a, b audit.Entry) int { return a.At.Compare(b.At) })
	return out, nil
}
