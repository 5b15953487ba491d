package offline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// memoryLog stands in for the store's sync_events: the fault under test
// (the server failing half-way through a batch) is one the real database
// does not produce on demand. The server tests run the same protocol on
// the real store.
type memoryLog map[string]string // event → "claimed" or "applied"

func (m memoryLog) ClaimSyncEvent(_ context.Context, user, id, _ string, _, _ time.Time) (Claim, error) {
	switch m[user+"/"+id] {
	case "applied":
		return AlreadyApplied, nil
	case "claimed":
		return Busy, nil
	}
	m[user+"/"+id] = "claimed"
	return Claimed, nil
}

func (m memoryLog) MarkSyncEvent(_ context.Context, user, id string, _ time.Time) error {
	m[user+"/"+id] = "applied"
	return nil
}

func (m memoryLog) ReleaseSyncEvent(_ context.Context, user, id string) error {
	if m[user+"/"+id] == "claimed" {
		delete(m, user+"/"+id)
	}
	return nil
}

func TestSyncAppliesEachEventOnceAcrossAFailure(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	ev := func(n int, user string, at time.Time) Event {
		return Event{ID: fmt.Sprintf("event-%04d", n), User: user, Kind: KindLesson, At: at, Course: "c", Lesson: "l"}
	}
	batch := []Event{ev(1, "u", now), ev(2, "other", now), ev(3, "u", now.Add(48*time.Hour)), ev(4, "u", now), ev(5, "u", now), ev(6, "u", now)}
	log := memoryLog{}
	applied := map[string]int{}
	failAt := "event-0005"
	apply := func(_ context.Context, e Event) (string, error) {
		if e.ID == failAt {
			return "", errors.New("database went away")
		}
		applied[e.ID]++
		if e.ID == "event-0006" {
			return RefusedLesson, nil
		}
		return "", nil
	}
	if _, err := Sync(context.Background(), log, "u", batch, now, apply); err == nil {
		t.Fatal("a failure half-way did not stop the batch")
	}
	failAt = ""
	results, err := Sync(context.Background(), log, "u", batch, now, apply)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		got = append(got, r.Status+":"+r.Code)
	}
	want := "duplicate: refused:user refused:future duplicate: accepted: refused:lesson"
	if strings.Join(got, " ") != want {
		t.Errorf("second send: %s, want %s", strings.Join(got, " "), want)
	}
	for id, n := range applied {
		if n != 1 {
			t.Errorf("%s applied %d times", id, n)
		}
	}
	if applied["event-0002"]+applied["event-0003"] != 0 {
		t.Errorf("refused events were applied: %v", applied)
	}
	if log["u/event-0006"] != "" {
		t.Error("a refused event was kept as claimed or applied")
	}
}

// Another send is applying an event (a 2G phone sent the batch again
// before the first answer came): this send stops without applying it or
// calling it anything, and the device sends it again later.
func TestSyncStopsAtAnEventBeingApplied(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	log := memoryLog{"u/event-2": "claimed"}
	applied := 0
	batch := []Event{
		{ID: "event-1", User: "u", Kind: KindLesson, At: now, Course: "c", Lesson: "l"},
		{ID: "event-2", User: "u", Kind: KindSubmit, At: now, Course: "c", Attempt: "a"},
	}
	_, err := Sync(context.Background(), log, "u", batch, now, func(context.Context, Event) (string, error) { applied++; return "", nil })
	if !errors.Is(err, ErrBusy) || applied != 1 || log["u/event-1"] != "applied" || log["u/event-2"] != "claimed" {
		t.Errorf("err %v, applied %d, log %v", err, applied, log)
	}
}
