package review

import (
	"strings"
	"unicode/utf8"

	"github.com/kalan-platform/kalan/courses"
)

// MaxQuizText bounds one translated quiz text, in bytes: the longest
// bundled scenario is under 1 KB.
const MaxQuizText = 4 << 10

// A quiz draft is a Draft whose Lesson is QuizItem(id): a question, with
// its options' texts and feedback, or a scenario. Its Texts are what the
// reviewer wrote in the draft's language; Markdown is empty. Quiz and
// lesson drafts share the store, the revision rule and the audit.
const (
	quizPrefix     = "quiz:"
	scenarioPrefix = "scenario:"
)

// CourseItem is the draft key of a course's own texts: a Draft with it
// has the course's title as Title and its summary as Markdown (one
// paragraph of plain text).
const CourseItem = "course:"

// QuizItem is the draft key of question id.
func QuizItem(id string) string { return quizPrefix + id }

// ScenarioItem is the draft key of scenario id.
func ScenarioItem(id string) string { return quizPrefix + scenarioPrefix + id }

// ParseItem reads a draft key: a question's id, or a scenario's; ok is
// false for a lesson's.
func ParseItem(key string) (question, scenario string, ok bool) {
	item, ok := strings.CutPrefix(key, quizPrefix)
	if !ok {
		return "", "", false
	}
	if s, isScenario := strings.CutPrefix(item, scenarioPrefix); isScenario {
		return "", s, true
	}
	return item, "", true
}

// CleanQuizText checks one translated quiz text as a form sent it: it
// returns it trimmed, its lines joined by spaces (quiz texts are one
// paragraph), or a *TextError for one that is empty, too long, not UTF-8
// or holds control characters.
func CleanQuizText(s string) (string, error) {
	if len(s) > MaxQuizText {
		return "", &TextError{MessageID: "review.error.too_long"}
	}
	if !utf8.ValidString(s) {
		return "", &TextError{MessageID: "review.error.encoding"}
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
			return "", &TextError{MessageID: "review.error.control"}
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "", &TextError{MessageID: "review.error.empty"}
	}
	return s, nil
}

// QuizTexts lists the translatable texts of question q (its text, then
// each option's text and feedback when the source has one), in order.
func QuizTexts(q courses.Question, source string) []courses.QuizText {
	out := []courses.QuizText{{Question: q.ID, Field: courses.FieldText}}
	for _, o := range q.Options {
		out = append(out, courses.QuizText{Question: q.ID, Option: o.ID, Field: courses.FieldText})
		if o.Feedback[source] != "" {
			out = append(out, courses.QuizText{Question: q.ID, Option: o.ID, Field: courses.FieldFeedback})
		}
	}
	return out
}

// Text returns the draft's text t, if it has one (a nil draft has none).
func (d *Draft) Text(t courses.QuizText) (string, bool) {
	if d == nil {
		return "", false
	}
	v, ok := d.Texts[t]
	return v, ok
}
