package offline

import (
	"context"
	"errors"
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
// An event is claimed before it is applied, so that two sends of one
// batch at once (a 2G phone sending again while the first send is still
// being answered) apply it once and call it accepted once.
type Log interface {
	ClaimSyncEvent(ctx context.Context, userID, eventID, kind string, at, now time.Time) (Claim, error)
	// MarkSyncEvent records a claimed event as applied.
	MarkSyncEvent(ctx context.Context, userID, eventID string, now time.Time) error
	// ReleaseSyncEvent gives a claim back: the event was not applied.
	ReleaseSyncEvent(ctx context.Context, userID, eventID string) error
}

// Claim is what ClaimSyncEvent found.
type Claim int

const (
	Claimed        Claim = iota // the event is this send's to apply
	AlreadyApplied              // an earlier send applied it
	Busy                        // another send is applying it now
)

// ErrBusy stops a batch whose events another send is applying now: the
// device sends it again later and is told what became of them then.
var ErrBusy = errors.New("offline: another send of these events is being applied")

// Apply applies one event for its person and returns a refusal code ("" once applied).
type Apply func(ctx context.Context, e Event) (refusal string, err error)

// Sync applies the events of a batch sent by userID, in order, each once:
// an event applied before is acknowledged as a duplicate and not applied
// again. An event of another person, or from too far in the future, is
// refused without being applied; a refusal does not stop the others. An
// error (ErrBusy among them) stops the batch: what was applied before it
// is recorded, so the device sends the batch again and those events come
// back as duplicates.
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
	claim, err := log.ClaimSyncEvent(ctx, userID, e.ID, e.Kind, e.At, now)
	switch {
	case err != nil:
		return r, err
	case claim == AlreadyApplied:
		r.Status = Duplicate
		return r, nil
	case claim == Busy:
		return r, ErrBusy
	case TooFarAhead(e, now):
		r.Code = RefusedFuture
		return r, log.ReleaseSyncEvent(ctx, userID, e.ID)
	}
	if r.Code, err = apply(ctx, e); err != nil || r.Code != "" {
		// Not applied: a later send tries again (a refusal is decided anew).
		return r, errors.Join(err, log.ReleaseSyncEvent(ctx, userID, e.ID))
	}
	if err := log.MarkSyncEvent(ctx, userID, e.ID, now); err != nil {
		return r, err
	}
	r.Status = Accepted
	return r, nil
}
