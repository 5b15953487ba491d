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
type memoryLog map[string]bool

func (m memoryLog) SyncEventSeen(_ context.Context, user, id string) (bool, error) {
	return m[user+"/"+id], nil
}

func (m memoryLog) RecordSyncEvent(_ context.Context, user, id, _ string, _, _ time.Time) error {
	m[user+"/"+id] = true
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
	if log["u/event-0006"] {
		t.Error("a refused event was recorded as applied")
	}
}
