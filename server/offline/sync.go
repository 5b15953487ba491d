package offline

import (
	"context"
	"time"
)

// Outcomes of one event, as the device reads them.
const (
	Accepted  = "accepted"  // applied now
	Duplicate = "duplicate" // applied by an earlier send: the device drops it
	Refused   = "refused"   // can never apply: the device drops it and shows why
)

// Result is what became of one event.
type Result struct {
	Event  Event
	Status string
	Code   string // why it was refused: one of Refusals
}

// Log remembers which events of a person were applied (package store).
type Log interface {
	SyncEventSeen(ctx context.Context, userID, eventID string) (bool, error)
	RecordSyncEvent(ctx context.Context, userID, eventID, kind string, at, received time.Time) error
}

// Apply applies one event for its person and returns a refusal code ("" once applied).
type Apply func(ctx context.Context, e Event) (refusal string, err error)

// Sync applies the events of a batch sent by userID, in order, each once:
// an event applied before is acknowledged as a duplicate and not applied
// again. An event of another person, or from too far in the future, is
// refused without being applied; a refusal does not stop the others. An
// error stops the batch: what was applied before it is recorded, so the
// device sends the batch again and those events come back as duplicates.
func Sync(ctx context.Context, log Log, userID string, events []Event, now time.Time, apply Apply) ([]Result, error) {
	out := make([]Result, 0, len(events))
	for _, e := range events {
		r, err := syncOne(ctx, log, userID, e, now, apply)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func syncOne(ctx context.Context, log Log, userID string, e Event, now time.Time, apply Apply) (Result, error) {
	r := Result{Event: e, Status: Refused}
	if e.User != userID { // queued by someone else on a shared phone
		r.Code = RefusedUser
		return r, nil
	}
	seen, err := log.SyncEventSeen(ctx, userID, e.ID)
	switch {
	case err != nil:
		return r, err
	case seen:
		r.Status = Duplicate
		return r, nil
	case TooFarAhead(e, now):
		r.Code = RefusedFuture
		return r, nil
	}
	if r.Code, err = apply(ctx, e); err != nil || r.Code != "" {
		return r, err
	}
	if err := log.RecordSyncEvent(ctx, userID, e.ID, e.Kind, e.At, now); err != nil {
		return r, err
	}
	r.Status = Accepted
	return r, nil
}
