package recency

import (
	"testing"
	"time"
)

type item struct {
	id string
	at time.Time
}

func TestPutKeepsNewestFirstAndReplaces(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	id := func(i item) string { return i.id }
	at := func(i item) time.Time { return i.at }
	list := []item{{"c", t0.Add(3 * time.Hour)}, {"a", t0.Add(time.Hour)}}
	got := Put(list, item{"b", t0.Add(2 * time.Hour)}, id, at)
	got = Put(got, item{"a", t0.Add(4 * time.Hour)}, id, at) // "a" changed: moves, not doubled
	want := "acb"
	var s string
	for _, i := range got {
		s += i.id
	}
	if s != want {
		t.Fatalf("order %q, want %q", s, want)
	}
	if list[0].id != "c" || len(list) != 2 {
		t.Fatalf("Put modified its input: %v", list)
	}
}
