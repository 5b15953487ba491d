package report

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/kalan-platform/kalan/courses"
)

// Store keeps the facts as lines: one per member of a cohort and course
// (keyed by user id), one per submitted attempt (keyed by attempt id, by
// cohort, course and month). Writing a line again replaces it, so every
// write is idempotent.
type Store interface {
	SetMember(ctx context.Context, cohortID, course, userID, line string) error
	SetAnswer(ctx context.Context, cohortID, course, month, attemptID, line string) error
	// CohortLines returns the member lines of a cohort in a course and
	// the months that have answers.
	CohortLines(ctx context.Context, cohortID, course string) (Lines, []string, error)
	// MemberLines returns the member lines of every cohort and course.
	MemberLines(ctx context.Context) ([]Lines, error)
	// CohortAnswerLines returns a cohort's answer lines for some months.
	CohortAnswerLines(ctx context.Context, cohortID, course string, months []string) ([]Lines, error)
	// AnswerLines returns a course's answer lines in every cohort, for
	// some months (nil: all).
	AnswerLines(ctx context.Context, course string, months []string) ([]Lines, error)
}

// Lines are the stored lines of one cohort and course, by key: in a map,
// or packed as PackLines writes them (a national report reads 100,000
// answer lines, and building a map of them only to walk it once cost
// more than reading them).
type Lines struct {
	Cohort, Course string
	Lines          map[string]string
	Packed         string
}

// Each calls fn with every line and its key.
func (l Lines) Each(fn func(key, line string)) {
	for k, v := range l.Lines {
		fn(k, v)
	}
	for rest := l.Packed; rest != ""; {
		var row string
		row, rest, _ = strings.Cut(rest, "\n")
		if k, v, ok := strings.Cut(row, "\t"); ok && k != "" {
			fn(k, v)
		}
	}
}

// Len is the number of lines.
func (l Lines) Len() int { return len(l.Lines) + strings.Count(l.Packed, "\n") }

// PackLines writes lines by key as "<key>\t<line>\n" rows, keys in order;
// keys and lines never hold a tab or a newline.
func PackLines(lines map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(lines)) {
		b.WriteString(k + "\t" + lines[k] + "\n")
	}
	return b.String()
}

// UnpackLines reads what PackLines wrote; a row without a key is skipped.
func UnpackLines(packed string) map[string]string {
	out := map[string]string{}
	Lines{Packed: packed}.Each(func(k, v string) { out[k] = v })
	return out
}

// Bucket is the members of one cohort in one course.
type Bucket struct {
	Cohort, Course string
	Members        map[string]Member // by user id
}

// Service records facts and reads them back for reports.
type Service struct {
	store Store
	log   *slog.Logger
}

// NewService returns the report service.
func NewService(store Store, log *slog.Logger) *Service { return &Service{store: store, log: log} }

// RecordMember writes a person's facts in a course into each of the
// cohorts given (those of theirs that follow the course).
func (s *Service) RecordMember(ctx context.Context, cohortIDs []string, course, userID string, m Member) error {
	line := m.Encode()
	for _, id := range cohortIDs {
		if err := s.store.SetMember(ctx, id, course, userID, line); err != nil {
			return err
		}
	}
	return nil
}

// RecordAnswer writes a submitted attempt into each of the cohorts given.
func (s *Service) RecordAnswer(ctx context.Context, cohortIDs []string, course string, a Answer) error {
	line, month := a.Encode(), a.At.UTC().Format("2006-01")
	for _, id := range cohortIDs {
		if err := s.store.SetAnswer(ctx, id, course, month, a.AttemptID, line); err != nil {
			return err
		}
	}
	return nil
}

// Cohort returns the members of a cohort in a course.
func (s *Service) Cohort(ctx context.Context, cohortID, course string) (Bucket, error) {
	l, _, err := s.store.CohortLines(ctx, cohortID, course)
	if err != nil {
		return Bucket{}, err
	}
	return s.bucket(l), nil
}

// All returns the members of every cohort, by cohort and course.
func (s *Service) All(ctx context.Context) ([]Bucket, error) {
	stored, err := s.store.MemberLines(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Bucket, len(stored))
	for i, l := range stored {
		out[i] = s.bucket(l)
	}
	return out, nil
}

// bucket decodes member lines; an unreadable one is logged and left out.
func (s *Service) bucket(l Lines) Bucket {
	b := Bucket{Cohort: l.Cohort, Course: l.Course, Members: make(map[string]Member, len(l.Lines))}
	for user, line := range l.Lines {
		m, err := DecodeMember(line)
		if err != nil {
			s.log.Warn("report: unreadable member line left out", "cohort", l.Cohort, "course", l.Course)
			continue
		}
		b.Members[user] = m
	}
	return b
}

// QuestionStats computes the statistics of a quiz pool over the attempts
// submitted in a course in a cohort ("": in all) within a period, and
// returns them with the number of attempts counted.
func (s *Service) QuestionStats(ctx context.Context, pool []courses.Question, course, cohortID string, p Period) ([]QuestionStats, int, error) {
	var stored []Lines
	var err error
	if cohortID == "" {
		stored, err = s.store.AnswerLines(ctx, course, p.Months())
	} else {
		var months []string
		if _, months, err = s.store.CohortLines(ctx, cohortID, course); err == nil {
			stored, err = s.store.CohortAnswerLines(ctx, cohortID, course, months)
		}
	}
	if err != nil {
		return nil, 0, err
	}
	n := 0
	for _, l := range stored {
		n += l.Len()
	}
	rows := make([]row, 0, n)
	for _, l := range stored {
		l.Each(func(id, line string) {
			r, at, err := decodeRow(id, line)
			if err != nil {
				s.log.Warn("report: unreadable answer line left out", "cohort", l.Cohort, "course", l.Course)
				return
			}
			if p.Contains(at) {
				rows = append(rows, r)
			}
		})
	}
	stats, counted := questions(pool, rows)
	return stats, counted, nil
}
