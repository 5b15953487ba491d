package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/kalan-platform/kalan/server/audit"
)

var _ audit.Store = (*Store)(nil)

const collAudit = "audit"

type auditDoc struct {
	ID         bson.ObjectID     `bson:"_id"`
	At         time.Time         `bson:"at"`
	ActorID    string            `bson:"actor_id"`
	Action     string            `bson:"action"`
	TargetType string            `bson:"target_type"`
	TargetID   string            `bson:"target_id"`
	Details    map[string]string `bson:"details,omitempty"`
	IP         string            `bson:"ip,omitempty"`
}

// AppendAudit appends an entry; entries are never updated.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) error {
	d := auditDoc{ID: bson.NewObjectID(), At: e.At, ActorID: e.ActorID, Action: e.Action,
		TargetType: e.TargetType, TargetID: e.TargetID, Details: e.Details, IP: e.IP}
	if _, err := s.db.Collection(collAudit).InsertOne(ctx, d); err != nil {
		return fmt.Errorf("store: append audit: %w", classify(err))
	}
	return nil
}

// Audit returns matching entries, newest first.
func (s *Store) Audit(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	filter := bson.D{}
	if f.ActorID != "" {
		filter = append(filter, bson.E{Key: "actor_id", Value: f.ActorID})
	}
	if f.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: f.Action})
	}
	if f.TargetID != "" {
		filter = append(filter, bson.E{Key: "target_id", Value: f.TargetID})
	}
	at := bson.D{}
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.From})
	}
	to := f.To
	if !f.Before.IsZero() && (to.IsZero() || f.Before.Before(to)) {
		to = f.Before
	}
	if !to.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: to})
	}
	if len(at) > 0 {
		filter = append(filter, bson.E{Key: "at", Value: at})
	}
	opts := options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(f.Limit))
	cur, err := s.db.Collection(collAudit).Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", classify(err))
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: audit: %w", classify(err))
	}
	out := make([]audit.Entry, len(docs))
	for i, d := range docs {
		out[i] = audit.Entry{At: d.At, ActorID: d.ActorID, Action: d.Action, TargetType: d.TargetType,
			TargetID: d.TargetID, Details: d.Details, IP: d.IP}
	}
	return out, nil
}
