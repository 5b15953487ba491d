package store_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/audit"
	"github.com/kalan-platform/kalan/server/cohort"
	"github.com/kalan-platform/kalan/server/freshness"
	"github.com/kalan-platform/kalan/server/library"
	"github.com/kalan-platform/kalan/server/store"
	"github.com/kalan-platform/kalan/server/testenv"
)

// A cohort changed on one instance reaches another at its next check of
// the stamps (every second in serve), not at a 15 s refresh: a trainee is
// not refused a course their cohort now follows.
func TestStampsCarryChangesAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a := mongo.Store(t)
	b, err := store.Open(ctx, store.Config{URI: mongo.URI, Database: testenv.DBName(t)}) // a second instance
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(ctx) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	onB := cohort.NewService(cohort.Deps{Store: b, Members: b, Failures: b, Audit: audit.NewLog(b, log), Log: log})
	w := freshness.New(b.Stamps, freshness.Kind{Name: store.StampCohorts, Reload: onB.Refresh})

	c := &cohort.Cohort{ID: account.NewID(), Name: "Kayes", Courses: []string{"basics"}, JoinCode: account.NewJoinCode(), Trainers: []string{"t1"},
		CreatedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if err := a.CreateCohort(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := w.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if got := onB.All(); len(got) != 1 || !slices.Equal(got[0].Courses, []string{"basics"}) {
		t.Fatalf("instance b holds %+v", got)
	}

	before, _ := a.Stamps(ctx)
	c.Courses = append(c.Courses, "referral")
	if err := a.UpdateCohort(ctx, c); err != nil {
		t.Fatal(err)
	}
	if !onB.All()[0].Includes("basics") || onB.All()[0].Includes("referral") {
		t.Fatal("instance b changed without a check")
	}
	if err := w.Check(ctx); err != nil {
		t.Fatal(err)
	}
	if !onB.All()[0].Includes("referral") {
		t.Error("instance b still holds the old cohort after a check")
	}

	// Each write of a kind held in memory gives it a new stamp.
	after, _ := a.Stamps(ctx)
	if after[store.StampCohorts] == before[store.StampCohorts] {
		t.Error("updating a cohort kept its stamp")
	}
	for _, w := range []struct {
		name  string
		write func() error
	}{
		{"add a trainer", func() error { return a.AddTrainer(ctx, c.ID, account.NewID()) }},
		{"create resource", func() error { return a.CreateResource(ctx, &library.Resource{ID: "poster", Key: "library/poster"}) }},
		{"update resource", func() error {
			return a.UpdateResource(ctx, &library.Resource{ID: "poster", Key: "library/poster", Topic: "signs"})
		}},
		{"publish", func() error {
			v, err := a.CreateVersion(ctx, bundled(t), time.Now())
			if err != nil {
				return err
			}
			return a.Publish(ctx, v, time.Now())
		}},
	} {
		name, write := w.name, w.write
		before, _ := a.Stamps(ctx)
		if err := write(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		after, _ := a.Stamps(ctx)
		if len(after) == 0 || maps.Equal(before, after) {
			t.Errorf("%s left the stamps as they were: %v", name, after)
		}
	}
}
