package learning

import (
	"errors"
	"fmt"
	"slices"

	"github.com/kalan-platform/kalan/courses"
)

// Answers are the chosen option ids per question id, as the quiz form posts
// them (docs/CONTRACT.md: field q-{question id}, one value for single choice and
// true-false, several for multiple choice).
type Answers map[string][]string

// Errors of ValidateAnswers: bad input, answered 400 with nothing saved.
var (
	// ErrUnknownQuestion: an answer names a question that is not in the
	// attempt (unknown, or in the course but not drawn).
	ErrUnknownQuestion = errors.New("learning: answer to a question not in the attempt")
	// ErrUnknownOption: an answer names an option that the question does not
	// have.
	ErrUnknownOption = errors.New("learning: unknown option")
	// ErrTooManyOptions: more than one option for a single-choice or
	// true-false question, or the same option given twice (which a form
	// never posts, so it is bad input of the same kind).
	ErrTooManyOptions = errors.New("learning: too many options")
)

// ValidateAnswers checks answers against the drawn questions: every
// question id is drawn, every option id belongs to that question, at most
// one option for single and true-false, no duplicate option. Empty answers
// for a question are allowed (unanswered). It returns an error wrapping one
// of the sentinels and naming the question; questions are checked in sorted
// id order so that the same bad input always gives the same error.
func ValidateAnswers(q *courses.Quiz, drawn []Drawn, a Answers) error {
	byID := make(map[string]*Drawn, len(drawn))
	for i := range drawn {
		byID[drawn[i].Question] = &drawn[i]
	}
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		chosen := a[id]
		d, qu := byID[id], question(q, id)
		if d == nil || qu == nil {
			return fmt.Errorf("question %q: %w", id, ErrUnknownQuestion)
		}
		for i, o := range chosen {
			if !slices.Contains(d.Options, o) || !hasOption(qu, o) {
				return fmt.Errorf("question %q: option %q: %w", id, o, ErrUnknownOption)
			}
			if slices.Contains(chosen[:i], o) {
				return fmt.Errorf("question %q: option %q given twice: %w", id, o, ErrTooManyOptions)
			}
		}
		if qu.Kind != courses.KindMultiple && len(chosen) > 1 {
			return fmt.Errorf("question %q: %d options to a %s question: %w", id, len(chosen), qu.Kind, ErrTooManyOptions)
		}
	}
	return nil
}

func hasOption(q *courses.Question, id string) bool {
	for _, o := range q.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// QuestionResult is the outcome of one question after submission.
type QuestionResult struct {
	Question       string
	Correct        bool
	Chosen         []string // in display order
	CorrectOptions []string // in display order
}

// Result is a graded attempt.
type Result struct {
	Score          int // percent, rounded down
	Correct, Total int
	Passed         bool
	Questions      []QuestionResult // in drawn order
	// Review lists the lessons to read again: the Review lesson of each
	// wrong question, deduplicated, in course lesson order.
	Review []string
}

// Grade scores answers on the server (answers never reach the browser
// before submission). A question is right when the chosen set equals the
// set of correct options exactly, so a multiple-choice question needs all
// the right options and none of the wrong ones; unanswered is wrong.
//
// Passed is Correct*100 >= PassMark*Total, in integers, so no rounding
// decides a pass: 7/10 passes 70, 2/3 (66.7 %) fails 67 (200 < 201). Since
// the pass mark is a whole percent this agrees with Score >= PassMark, the
// score being rounded down. Total 0 gives Score 0, not passed. Call only
// with validated answers; invalid ones cannot make a question right.
func Grade(c *courses.Course, drawn []Drawn, a Answers) Result {
	r := grade(c, drawn, a)
	r.Passed = r.Total > 0 && r.Correct*100 >= c.PassMark*r.Total
	return r
}

// GradeChecks grades the knowledge checks of a lesson the same way, without
// a pass mark: Passed is Correct == Total (and Total > 0, as for Grade).
func GradeChecks(c *courses.Course, drawn []Drawn, a Answers) Result {
	r := grade(c, drawn, a)
	r.Passed = r.Total > 0 && r.Correct == r.Total
	return r
}

// grade fills everything of a Result but Passed.
func grade(c *courses.Course, drawn []Drawn, a Answers) Result {
	r := Result{Total: len(drawn), Questions: make([]QuestionResult, len(drawn))}
	review := map[string]bool{}
	for i, d := range drawn {
		qr := QuestionResult{Question: d.Question, Chosen: inDisplayOrder(d.Options, a[d.Question])}
		if qu := question(c.Quiz, d.Question); qu != nil {
			for _, id := range d.Options {
				for _, o := range qu.Options {
					if o.ID == id && o.Correct {
						qr.CorrectOptions = append(qr.CorrectOptions, id)
					}
				}
			}
			qr.Correct = len(qr.Chosen) > 0 && slices.Equal(qr.Chosen, qr.CorrectOptions)
			if !qr.Correct && qu.Review != "" {
				review[qu.Review] = true
			}
		}
		if qr.Correct {
			r.Correct++
		}
		r.Questions[i] = qr
	}
	if r.Total > 0 {
		r.Score = r.Correct * 100 / r.Total
	}
	// Course order, not the order of the mistakes: the trainee reads the
	// lessons again as the course tells them. A lesson no longer in the
	// course is left out, since it could not be linked.
	for _, l := range c.Lessons {
		if review[l.ID] {
			r.Review = append(r.Review, l.ID)
		}
	}
	return r
}

// inDisplayOrder returns the chosen ids deduplicated and sorted by their
// display position; ids that are not shown (only in unvalidated answers)
// come last in posted order, so they can never equal the correct set.
func inDisplayOrder(display, chosen []string) []string {
	var out []string
	for _, id := range display {
		if slices.Contains(chosen, id) {
			out = append(out, id)
		}
	}
	for i, id := range chosen {
		if !slices.Contains(display, id) && !slices.Contains(chosen[:i], id) {
			out = append(out, id)
		}
	}
	return out
}
