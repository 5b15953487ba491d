package report

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
)

// linesStore counts how Members reads the member lines.
type linesStore struct {
	Store
	cohortReads, allReads int
}

func (s *linesStore) CohortLines(_ context.Context, cohortID, course string) (Lines, []string, error) {
	s.cohortReads++
	return Lines{Cohort: cohortID, Course: course, Lines: map[string]string{"u-" + cohortID: Member{LessonsDone: 1}.Encode()}}, nil, nil
}

func (s *linesStore) MemberLines(context.Context) ([]Lines, error) {
	s.allReads++
	return []Lines{{Cohort: "c1", Course: "a", Lines: map[string]string{"u1": Member{LessonsDone: 1}.Encode()}}}, nil
}

func TestMembersReadsFewCohortsOneByOneAndManyAtOnce(t *testing.T) {
	cohorts := func(n int) []Courses {
		var out []Courses
		for i := 1; i <= n; i++ {
			out = append(out, Courses{Cohort: fmt.Sprintf("c%d", i), Courses: []string{"a", "b"}})
		}
		return out
	}
	for _, tc := range []struct {
		cohorts                     int
		wantCohortReads, wantAllRds int
	}{
		{0, 0, 0},
		{2, 4, 0},
		{manyCohorts, 2 * manyCohorts, 0},
		{manyCohorts + 1, 0, 1},
	} {
		t.Run(fmt.Sprint(tc.cohorts), func(t *testing.T) {
			st := &linesStore{}
			s := &Service{store: st, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			got, err := s.Members(context.Background(), cohorts(tc.cohorts))
			if err != nil {
				t.Fatal(err)
			}
			if st.cohortReads != tc.wantCohortReads || st.allReads != tc.wantAllRds {
				t.Errorf("reads: %d by cohort, %d of all; want %d, %d", st.cohortReads, st.allReads, tc.wantCohortReads, tc.wantAllRds)
			}
			if tc.cohorts > 0 && len(got[Key{Cohort: "c1", Course: "a"}]) != 1 {
				t.Errorf("members of c1/a: %v", got)
			}
		})
	}
}
