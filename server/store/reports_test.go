package store_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kalan-platform/kalan/server/account"
	"github.com/kalan-platform/kalan/server/report"
)

func linesOf(ls []report.Lines) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range ls {
		m := map[string]string{}
		l.Each(func(k, v string) { m[k] = v })
		out[l.Cohort+"/"+l.Course] = m
	}
	return out
}

// Report lines are written idempotently, one key at a time or in bulk,
// and read back by cohort, course and month.
func TestReportLines(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	// Two first writes to a new document at once: both land.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, user := range []string{"u1", "u2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.SetMember(ctx, "k1", "c1", user, "line-"+user)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMember(ctx, "k1", "c1", "u1", "line-u1-again"); err != nil { // replaces
		t.Fatal(err)
	}
	if err := s.SetMember(ctx, "k2", "c1", "u3", "line-u3"); err != nil {
		t.Fatal(err)
	}
	all, err := s.MemberLines(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := linesOf(all)
	if len(got) != 2 || got["k1/c1"]["u1"] != "line-u1-again" || got["k1/c1"]["u2"] != "line-u2" || got["k2/c1"]["u3"] != "line-u3" {
		t.Errorf("member lines: %v", got)
	}
	if one, months, err := s.CohortLines(ctx, "k2", "c1"); err != nil || len(one.Lines) != 1 || months != nil {
		t.Errorf("lines of k2: %v %v %v", one, months, err)
	}
	if none, _, err := s.CohortLines(ctx, "k9", "c1"); err != nil || len(none.Lines) != 0 {
		t.Errorf("lines of a cohort with none: %v %v", none, err)
	}

	for _, a := range []struct{ cohort, course, month, id string }{
		{"k1", "c1", "2027-03", "a1"}, {"k1", "c1", "2027-04", "a2"}, {"k2", "c1", "2027-03", "a3"}, {"k1", "c2", "2027-03", "a4"},
		{"k1", "c1", "2027-03", "a1"}, // again: no change
	} {
		if err := s.SetAnswer(ctx, a.cohort, a.course, a.month, a.id, "answer-"+a.id); err != nil {
			t.Fatal(err)
		}
	}
	keys := func(ls []report.Lines) string {
		var out []string
		for _, l := range ls {
			l.Each(func(k, _ string) { out = append(out, k) })
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	_, months, _ := s.CohortLines(ctx, "k1", "c1")
	sort.Strings(months)
	if strings.Join(months, " ") != "2027-03 2027-04" {
		t.Errorf("months of k1/c1: %v", months)
	}
	if ls, err := s.CohortAnswerLines(ctx, "k1", "c1", months); err != nil || keys(ls) != "a1 a2" {
		t.Errorf("answers of k1: %q %v", keys(ls), err)
	}
	if ls, err := s.CohortAnswerLines(ctx, "k1", "c1", []string{"2020-01"}); err != nil || keys(ls) != "" {
		t.Errorf("answers of k1 in a month without any: %q %v", keys(ls), err)
	}
	for _, tt := range []struct {
		months []string
		want   string
	}{
		{nil, "a1 a2 a3"},
		{[]string{"2027-03"}, "a1 a3"},
		{[]string{"2027-05"}, ""},
	} {
		ls, err := s.AnswerLines(ctx, "c1", tt.months)
		if err != nil || keys(ls) != tt.want {
			t.Errorf("answers of c1 in %v: %q %v, want %q", tt.months, keys(ls), err, tt.want)
		}
	}

	// A bulk write replaces a cohort's documents.
	if err := s.PutCohortLines(ctx, "k1", "c1", map[string]string{"u9": "line-u9"},
		map[string]map[string]string{"2027-03": {"a9": "answer-a9"}}); err != nil {
		t.Fatal(err)
	}
	one, months, _ := s.CohortLines(ctx, "k1", "c1")
	if len(one.Lines) != 1 || one.Lines["u9"] != "line-u9" || strings.Join(months, " ") != "2027-03" {
		t.Errorf("after a bulk write: %v %v", one, months)
	}
	if ls, _ := s.CohortAnswerLines(ctx, "k1", "c1", months); keys(ls) != "a9" {
		t.Errorf("answers after a bulk write: %q", keys(ls))
	}
}

func TestCreateUsers(t *testing.T) {
	ctx := context.Background()
	s := mongo.Store(t)
	var users []*account.User
	for _, login := range []string{"a@kalan.test", "b@kalan.test"} {
		l, _ := account.ParseLogin(login)
		users = append(users, &account.User{ID: account.NewID(), Login: l, Name: "N", Role: account.RoleTrainee, Cohorts: []string{"k1"}})
	}
	if err := s.CreateUsers(ctx, users); err != nil {
		t.Fatal(err)
	}
	in, err := s.UsersInCohort(ctx, "k1")
	if err != nil || len(in) != 2 {
		t.Fatalf("users in k1: %d, %v", len(in), err)
	}
	if err := s.CreateUsers(ctx, users[:1]); !errors.Is(err, account.ErrLoginTaken) {
		t.Errorf("a taken login: %v", err)
	}
}
