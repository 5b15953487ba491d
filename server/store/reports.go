package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"kalan/server/report"
)

var _ report.Store = (*Store)(nil)

// Report facts: one document per cohort and course holds its members'
// lines (members.<user id>) and the months that have answers; one per
// cohort, course and month holds the lines of the attempts submitted that
// month (answers.<attempt id>). A cohort's report reads its documents by
// _id, the only lookup the embedded database does without reading every
// document; a national report reads a few hundred documents instead of
// every account and attempt.
const (
	collReportMembers = "report_members"
	collReportAnswers = "report_answers"
)

type linesDoc struct {
	Cohort  string            `bson:"cohort"`
	Course  string            `bson:"course"`
	Months  []string          `bson:"months,omitempty"`
	Members map[string]string `bson:"members,omitempty"`
	Answers map[string]string `bson:"answers,omitempty"`
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
	if err := s.updateLines(ctx, collReportAnswers, answersID(cohortID, course, month), bson.D{
		{Key: "$set", Value: bson.D{{Key: "answers." + attemptID, Value: line}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "cohort", Value: cohortID}, {Key: "course", Value: course}, {Key: "month", Value: month}}},
	}); err != nil {
		return err
	}
	return s.updateLines(ctx, collReportMembers, membersID(cohortID, course), bson.D{
		{Key: "$addToSet", Value: bson.D{{Key: "months", Value: month}}},
		{Key: "$setOnInsert", Value: bson.D{{Key: "cohort", Value: cohortID}, {Key: "course", Value: course}}},
	})
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

// MemberLines returns the member lines of every cohort and course.
func (s *Store) MemberLines(ctx context.Context) ([]report.Lines, error) {
	return s.lines(ctx, collReportMembers, bson.D{}, func(d linesDoc) map[string]string { return d.Members })
}

// CohortAnswerLines returns the answer lines of a cohort in a course for
// some months, each document read by _id.
func (s *Store) CohortAnswerLines(ctx context.Context, cohortID, course string, months []string) ([]report.Lines, error) {
	var out []report.Lines
	for _, month := range months {
		d, found, err := findByID[linesDoc](ctx, s, collReportAnswers, answersID(cohortID, course, month))
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", collReportAnswers, err)
		}
		if !found {
			continue
		}
		out = append(out, report.Lines{Cohort: cohortID, Course: course, Lines: d.Answers})
	}
	return out, nil
}

// AnswerLines returns the answer lines of a course in every cohort, for
// some months (nil: all).
func (s *Store) AnswerLines(ctx context.Context, course string, months []string) ([]report.Lines, error) {
	filter := bson.D{{Key: "course", Value: course}}
	if months != nil {
		filter = append(filter, bson.E{Key: "month", Value: bson.D{{Key: "$in", Value: months}}})
	}
	return s.lines(ctx, collReportAnswers, filter, func(d linesDoc) map[string]string { return d.Answers })
}

func (s *Store) lines(ctx context.Context, coll string, filter bson.D, pick func(linesDoc) map[string]string) ([]report.Lines, error) {
	cur, err := s.db.Collection(coll).Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", coll, classify(err))
	}
	defer cur.Close(ctx)
	var out []report.Lines
	for cur.Next(ctx) {
		var d linesDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("store: %s: %w", coll, err)
		}
		out = append(out, report.Lines{Cohort: d.Cohort, Course: d.Course, Lines: pick(d)})
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", coll, classify(err))
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
		if err := s.putLines(ctx, collReportAnswers, answersID(cohortID, course, month), bson.D{{Key: "cohort", Value: cohortID},
			{Key: "course", Value: course}, {Key: "month", Value: month}, {Key: "answers", Value: lines}}); err != nil {
			return err
		}
	}
	return s.putLines(ctx, collReportMembers, membersID(cohortID, course), bson.D{{Key: "cohort", Value: cohortID}, {Key: "course", Value: course},
		{Key: "months", Value: months}, {Key: "members", Value: members}})
}

func (s *Store) putLines(ctx context.Context, coll, id string, doc bson.D) error {
	if err := s.replace(ctx, coll, id, doc); err != nil {
		return fmt.Errorf("store: %s: %w", coll, err)
	}
	return nil
}
