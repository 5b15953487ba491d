package report

import (
	"strings"

	"github.com/kalan-platform/kalan/courses"
)

// The statistics and the decoding as the tests state them, on whole
// answers: the server reads stored lines as rows (QuestionStats) and
// never needs either.

// DecodeAnswer reads a line written by Encode, for the attempt id, whole.
func DecodeAnswer(attemptID, s string) (Answer, error) {
	f, questions, err := cutAnswer(s)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{AttemptID: attemptID, UserID: f[1], Lang: f[2], Passed: f[4] == "1"}
	a.Score, _ = count(f[3])
	a.At, _ = parseUnix(f[5])
	if questions != "" {
		a.Questions = make([]QuestionAnswer, 0, strings.Count(questions, "|")+1)
	}
	eachQuestion(questions, func(id string, correct bool, chosen string) {
		a.Questions = append(a.Questions, QuestionAnswer{ID: id, Correct: correct, Chosen: chosen})
	})
	return a, nil
}

// Questions computes the statistics of a quiz pool over submitted
// attempts. Each attempt counts once, whatever the number of cohorts it
// was recorded in. Questions no longer in the pool are left out.
func Questions(pool []courses.Question, answers []Answer) []QuestionStats {
	rows := make([]row, len(answers))
	for i, a := range answers {
		qs := make([]string, len(a.Questions))
		for j, q := range a.Questions {
			qs[j] = q.ID + ":" + bit(q.Correct) + ":" + q.Chosen
		}
		rows[i] = row{attempt: a.AttemptID, lang: a.Lang, score: a.Score, questions: strings.Join(qs, "|")}
	}
	stats, _ := questions(pool, rows)
	return stats
}
