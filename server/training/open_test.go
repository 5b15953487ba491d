package training

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/cohort"
)

// cohortCache is a Cohorts whose Reload reveals cohorts changed elsewhere.
type cohortCache struct {
	held, fresh []*cohort.Cohort
	reloads     int
	failReload  bool
}

func (c *cohortCache) All() []*cohort.Cohort { return c.held }

func (c *cohortCache) OfMember(_ context.Context, ids []string) []*cohort.Cohort {
	var out []*cohort.Cohort
	for _, co := range c.held {
		for _, id := range ids {
			if co.ID == id {
				out = append(out, co)
			}
		}
	}
	return out
}

func (c *cohortCache) Reload(context.Context, []string) error {
	c.reloads++
	if c.failReload {
		return errors.New("database away")
	}
	c.held = c.fresh
	return nil
}

func TestMayReadReadsCohortsAgainBeforeRefusing(t *testing.T) {
	public := &courses.Course{Slug: "open", Access: courses.AccessPublic}
	closed := &courses.Course{Slug: "closed", Access: courses.AccessCohort}
	before := []*cohort.Cohort{{ID: "k1"}}
	after := []*cohort.Cohort{{ID: "k1", Courses: []string{"closed"}}}
	member := &account.User{ID: "u1", Role: account.RoleTrainee, Cohorts: []string{"k1"}}
	loner := &account.User{ID: "u2", Role: account.RoleTrainee}
	for _, tc := range []struct {
		name        string
		u           *account.User
		c           *courses.Course
		failReload  bool
		want        bool
		wantReloads int
	}{
		{"visitor, public course", nil, public, false, true, 0},
		{"visitor, cohort course", nil, closed, false, false, 0},
		{"in no cohort: nothing to read again", loner, closed, false, false, 0},
		{"member: the course was added elsewhere", member, closed, false, true, 1},
		{"member: cohorts cannot be read again", member, closed, true, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := &cohortCache{held: before, fresh: after, failReload: tc.failReload}
			s := &Service{cohorts: cache, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			if got := s.mayRead(context.Background(), tc.u, tc.c); got != tc.want || cache.reloads != tc.wantReloads {
				t.Errorf("mayRead = %v after %d reloads, want %v after %d", got, cache.reloads, tc.want, tc.wantReloads)
			}
		})
	}
}
