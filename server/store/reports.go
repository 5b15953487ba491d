package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kalan-platform/kalan/server/report"
)

var _ report.Store = (*Store)(nil)

// Report facts: one document per cohort and course holds its members'
// lines (members.<user id>) and the months that have answers; one per
// cohort, course and month holds the lines of the attempts submitted that
// month, packed in one string (see answersDoc). A cohort's report reads
// its documents by _id, the only lookup the embedded database does
// without reading every document; a national report reads a few hundred
// documents instead of every account and attempt.
const (
	collReportMembers = "report_members"
	collReportAnswers = "report_answers"
)

type linesDoc struct {
	Cohort  string            `bson:"cohort"`
	Course  string            `bson:"course"`
	Months  []string          `bson:"months,omitempty"`
	Members map[string]string `bson:"members,omitempty"`
}

// answersDoc holds a month of a cohort's attempts at a course as
// report.PackLines writes them, compressed (Z; see linesCodec; documents
// written before hold the plain string in Lines). One value rather than a
// field per attempt: the embedded FerretDB describes the shape of every field of a
// document, and decoding 100,000 of them took most of a national report.
// Rev counts the writes: each is made only if no other came between its
// read and its write (on MongoDB in the filter, on the embedded database
// under the document's lock).
type answersDoc struct {
	ID     string `bson:"_id"`
	Cohort string `bson:"cohort"`
	Course string `bson:"course"`
	Month  string `bson:"month"`
	Lines  string `bson:"lines"`
	Z      []byte `bson:"z,omitempty"`
	Rev    int    `bson:"rev"`
}

// updateLines applies an update to a document, creating the document the
// first time.
func (s *Store) updateLines(ctx context.Context, coll, id string, update bson.D) error {
	if _, err := s.update(ctx, coll, id, update, true); err != nil {
		return fmt.Errorf("store: %s: %w", coll, err)
	}
	return nil
}

func membersID(cohortID, course string) string        { return cohortID + "/" + course }
func answersID(cohortID, course, month string) string { return cohortID + "/" + course + "/" + month }

// SetMember writes a member's line.
func (s *Store) SetMember(ctx context.Context, cohortID, course, userID, line string) error {
	return s.updateLines(ctx, collReportMembers, membersID(cohortID, course), bson.D{
		{Key: "$set", Value: bson.D{{Key: "members." + userID, Value: line}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "cohort", Value: cohortID}, {Key: "course", Value: course}}},
	})
}

// SetAnswer writes an attempt's line, and notes its month beside the
// members so that the cohort's answers are found by _id.
func (s *Store) SetAnswer(ctx context.Context, cohortID, course, month, attemptID, line string) error {
	if err := s.setAnswerLine(ctx, answersID(cohortID, course, month), cohortID, course, month, attemptID, line); err != nil {
		return fmt.Errorf("store: %s: %w", collReportAnswers, err)
	}
	return s.updateLines(ctx, collReportMembers, membersID(cohortID, course), bson.D{
		{Key: "$addToSet", Value: bson.D{{Key: "months", Value: month}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "cohort", Value: cohortID}, {Key: "course", Value: course}}},
	})
}

// setAnswerLine puts a line in its month's document: read, change, and
// write if the revision read is still the document's, else again.
func (s *Store) setAnswerLine(ctx context.Context, id, cohortID, course, month, key, line string) error {
	for try := 0; try < 20; try++ {
		d, found, err := findByID[answersDoc](ctx, s, collReportAnswers, id)
		if err != nil {
			return err
		}
		packed, err := s.zlines.lines(d)
		if err != nil {
			return err
		}
		lines := report.UnpackLines(packed)
		if old, ok := lines[key]; ok && old == line {
			return nil // recorded already
		}
		lines[key] = line
		z := s.zlines.pack(report.PackLines(lines))
		if !found {
			_, err := s.db.Collection(collReportAnswers).InsertOne(ctx, answersDoc{ID: id, Cohort: cohortID, Course: course,
				Month: month, Z: z, Rev: 1})
			if mongo.IsDuplicateKeyError(err) {
				continue // created meanwhile
			}
			return classify(err)
		}
		written, err := s.updateIf(ctx, collReportAnswers, id, bson.E{Key: "rev", Value: d.Rev},
			func(raw bson.Raw) bool { rev, ok := raw.Lookup("rev").AsInt64OK(); return ok && int(rev) == d.Rev },
			bson.D{{Key: "$set", Value: bson.D{{Key: "lines", Value: ""}, {Key: "z", Value: z}, {Key: "rev", Value: d.Rev + 1}}}})
		if err != nil || written {
			return err
		}
	}
	return fmt.Errorf("answers of %s changed by too many writes at once", id)
}

// CohortLines returns the member lines of a cohort in a course and the
// months that have answers; none when nothing was recorded yet.
func (s *Store) CohortLines(ctx context.Context, cohortID, course string) (report.Lines, []string, error) {
	d, found, err := findByID[linesDoc](ctx, s, collReportMembers, membersID(cohortID, course))
	if err != nil {
		return report.Lines{}, nil, fmt.Errorf("store: %s: %w", collReportMembers, err)
	}
	if !found {
		return report.Lines{Cohort: cohortID, Course: course}, nil, nil
	}
	return report.Lines{Cohort: cohortID, Course: course, Lines: d.Members}, d.Months, nil
}

// MemberLines returns the member lines of every cohort and course (the
// national view: one document per cohort and course).
func (s *Store) MemberLines(ctx context.Context) ([]report.Lines, error) {
	docs, err := findAll[linesDoc](ctx, s, collReportMembers, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", collReportMembers, err)
	}
	out := make([]report.Lines, len(docs))
	for i, d := range docs {
		out[i] = report.Lines{Cohort: d.Cohort, Course: d.Course, Lines: d.Members}
	}
	return out, nil
}

// CohortAnswerLines returns the answer lines of a cohort in a course for
// some months, each document read by _id.
func (s *Store) CohortAnswerLines(ctx context.Context, cohortID, course string, months []string) ([]report.Lines, error) {
	var out []report.Lines
	for _, month := range months {
		d, found, err := findByID[answersDoc](ctx, s, collReportAnswers, answersID(cohortID, course, month))
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", collReportAnswers, err)
		}
		if !found {
			continue
		}
		packed, err := s.zlines.lines(d)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", collReportAnswers, err)
		}
		out = append(out, report.Lines{Cohort: cohortID, Course: course, Packed: packed})
	}
	return out, nil
}

// AnswerLines returns the answer lines of a course in every cohort, for
// some months (nil: all). It reads every month document of the course (an
// admin's national report: MongoDB answers it from the course_month index;
// the embedded database reads the few hundred documents of the
// collection).
func (s *Store) AnswerLines(ctx context.Context, course string, months []string) ([]report.Lines, error) {
	filter := bson.D{{Key: "course", Value: course}}
	if months != nil {
		filter = append(filter, bson.E{Key: "month", Value: bson.D{{Key: "$in", Value: months}}})
	}
	docs, err := findAll[answersDoc](ctx, s, collReportAnswers, filter)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", collReportAnswers, err)
	}
	out := make([]report.Lines, len(docs))
	for i, d := range docs {
		packed, err := s.zlines.lines(d)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", collReportAnswers, err)
		}
		out[i] = report.Lines{Cohort: d.Cohort, Course: d.Course, Packed: packed}
	}
	return out, nil
}

// PutCohortLines replaces every line of a cohort and course at once —
// members, and answers by month: a bulk load (a benchmark's seed, a
// rebuild) writes a few documents instead of one update per line.
func (s *Store) PutCohortLines(ctx context.Context, cohortID, course string, members map[string]string, answers map[string]map[string]string) error {
	months := make([]string, 0, len(answers))
	for month, lines := range answers {
		months = append(months, month)
		id := answersID(cohortID, course, month)
		if err := s.putLines(ctx, collReportAnswers, id, answersDoc{ID: id, Cohort: cohortID, Course: course, Month: month,
			Z: s.zlines.pack(report.PackLines(lines)), Rev: 1}); err != nil {
			return err
		}
	}
	return s.putLines(ctx, collReportMembers, membersID(cohortID, course), bson.D{{Key: "cohort", Value: cohortID}, {Key: "course", Value: course},
		{Key: "months", Value: months}, {Key: "members", Value: members}})
}

func (s *Store) putLines(ctx context.Context, coll, id string, doc any) error {
	if err := s.replace(ctx, coll, id, doc); err != nil {
		return fmt.Errorf("store: %s: %w", coll, err)
	}
	return nil
}
