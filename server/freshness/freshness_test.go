package freshness

import (
	"context"
	"errors"
	"maps"
	"testing"
)

// db stands for the stamps document; the store's side is tested in
// server/store against a real database.
type db struct {
	stamps map[string]string
	reads  int
	fail   error
}

func (d *db) read(context.Context) (map[string]string, error) {
	d.reads++
	return maps.Clone(d.stamps), d.fail
}

func TestCheckReloadsWhatChanged(t *testing.T) {
	ctx := context.Background()
	d := &db{stamps: map[string]string{"cohorts": "a"}}
	reloads := map[string]int{}
	var failCatalog error
	w := New(d.read,
		Kind{"catalog", func(context.Context) error { reloads["catalog"]++; return failCatalog }},
		Kind{"cohorts", func(context.Context) error { reloads["cohorts"]++; return nil }})
	want := func(step string, catalog, cohorts int) {
		t.Helper()
		if reloads["catalog"] != catalog || reloads["cohorts"] != cohorts {
			t.Errorf("%s: reloads %v, want catalog %d cohorts %d", step, reloads, catalog, cohorts)
		}
	}
	if !w.FreshAt().IsZero() {
		t.Error("fresh before any check")
	}
	if err := w.Check(ctx); err != nil {
		t.Fatal(err)
	}
	want("first check loads every kind, stamped or not", 1, 1)
	if w.FreshAt().IsZero() {
		t.Error("no time of the last check")
	}
	_ = w.Check(ctx)
	want("nothing changed", 1, 1)
	d.stamps["cohorts"] = "b"
	_ = w.Check(ctx)
	want("cohorts changed", 1, 2)
	d.stamps["catalog"] = "x"
	failCatalog = errors.New("database away")
	if err := w.Check(ctx); err == nil {
		t.Error("a failed reload was not reported")
	}
	want("catalog changed, its reload failed", 2, 2)
	failCatalog = nil
	_ = w.Check(ctx)
	want("the failed reload is tried again", 3, 2)
	if err := w.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	want("a full reload", 4, 3)

	d.fail = errors.New("database away")
	if err := w.Check(ctx); err == nil {
		t.Error("an unreadable stamp was not reported")
	}
	want("stamps unreadable", 4, 3)
}
