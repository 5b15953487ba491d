package server

import (
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/catalog"
	"github.com/kalan-platform/kalan/server/library"
)

// The visitors' home is kept under a key naming what it shows: a new
// course version, another resource or a changed one is a new key.
func TestHomeVersionNamesWhatTheHomeShows(t *testing.T) {
	v := func(ids ...string) []*catalog.Course {
		var out []*catalog.Course
		for _, id := range ids {
			out = append(out, &catalog.Course{Version: &catalog.Version{ID: id}})
		}
		return out
	}
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	courses := v("v1", "w1")
	items := []*library.Resource{{ID: "r1", UpdatedAt: at}}
	base := homeVersion(courses, items)
	if base != homeVersion(v("v1", "w1"), []*library.Resource{{ID: "r1", UpdatedAt: at}}) {
		t.Fatal("the same content gives another key")
	}
	for name, key := range map[string]string{
		"a new course version": homeVersion(v("v2", "w1"), items),
		"another order":        homeVersion(v("w1", "v1"), items),
		"a resource changed":   homeVersion(courses, []*library.Resource{{ID: "r1", UpdatedAt: at.Add(time.Second)}}),
		"another resource":     homeVersion(courses, []*library.Resource{{ID: "r2", UpdatedAt: at}}),
		"no resource":          homeVersion(courses, nil),
	} {
		if key == base {
			t.Errorf("%s keeps the key %q", name, key)
		}
	}
}
