package learning_test

import (
	"fmt"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

func TestProgress(t *testing.T) {
	withQuiz := demoCourse() // intro, elements, extra (optional), indicators; a final pool
	noQuiz := demoCourse()
	noQuiz.Quiz = nil
	checksOnly := demoCourse()
	checksOnly.Quiz = &courses.Quiz{Questions: []courses.Question{mk("k1", courses.KindSingle, "a+ b", "lesson=intro")}}
	optionalOnly := &courses.Course{Lessons: []courses.Lesson{lesson("a", false), lesson("b", false)}}
	all := []string{"intro", "elements", "extra", "indicators"}
	required := []string{"intro", "elements", "indicators"}

	tests := []struct {
		name     string
		c        *courses.Course
		p        learning.Progress
		complete bool
		percent  int
		next     string
	}{
		{name: "nothing done", c: withQuiz, next: "intro"},
		{name: "first lesson", c: withQuiz, p: learning.Progress{LessonsDone: []string{"intro"}}, percent: 25, next: "elements"},
		{name: "done out of order", c: withQuiz, p: learning.Progress{LessonsDone: []string{"indicators"}}, percent: 25, next: "intro"},
		{name: "required lessons, quiz not passed", c: withQuiz, p: learning.Progress{LessonsDone: required}, percent: 75, next: "extra"},
		{name: "every lesson, quiz not passed", c: withQuiz, p: learning.Progress{LessonsDone: all}, percent: 75, next: ""},
		{name: "quiz passed, lessons missing", c: withQuiz, p: learning.Progress{LessonsDone: []string{"intro"}, QuizPassed: true}, percent: 50, next: "elements"},
		{name: "quiz passed, no lesson", c: withQuiz, p: learning.Progress{QuizPassed: true}, percent: 25, next: "intro"},
		{name: "complete without the optional lesson", c: withQuiz, p: learning.Progress{LessonsDone: required, QuizPassed: true}, complete: true, percent: 100, next: "extra"},
		{name: "all done", c: withQuiz, p: learning.Progress{LessonsDone: all, QuizPassed: true}, complete: true, percent: 100, next: ""},
		{name: "optional lesson only", c: withQuiz, p: learning.Progress{LessonsDone: []string{"extra"}}, percent: 0, next: "intro"},
		{name: "stale and repeated ids", c: withQuiz, p: learning.Progress{LessonsDone: []string{"old-lesson", "intro", "intro", "gone", ""}}, percent: 25, next: "elements"},
		{name: "stale ids do not complete", c: withQuiz, p: learning.Progress{LessonsDone: []string{"intro", "elements", "old-indicators"}, QuizPassed: true}, percent: 75, next: "extra"},
		{name: "no quiz, lessons done", c: noQuiz, p: learning.Progress{LessonsDone: required}, complete: true, percent: 100, next: "extra"},
		{name: "no quiz, two of three", c: noQuiz, p: learning.Progress{LessonsDone: []string{"intro", "elements"}}, percent: 66, next: "extra"},
		{name: "no quiz, a stale pass ignored", c: noQuiz, p: learning.Progress{QuizPassed: true}, percent: 0, next: "intro"},
		{name: "knowledge checks only", c: checksOnly, p: learning.Progress{LessonsDone: required}, complete: true, percent: 100, next: "extra"},
		{name: "only optional lessons", c: optionalOnly, complete: true, percent: 100, next: "a"},
		{name: "only optional lessons, read", c: optionalOnly, p: learning.Progress{LessonsDone: []string{"b", "a"}}, complete: true, percent: 100, next: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := learning.Complete(tt.c, tt.p); got != tt.complete {
				t.Errorf("Complete = %v, want %v", got, tt.complete)
			}
			if got := learning.Percent(tt.c, tt.p); got != tt.percent {
				t.Errorf("Percent = %d, want %d", got, tt.percent)
			}
			if got := learning.Next(tt.c, tt.p); got != tt.next {
				t.Errorf("Next = %q, want %q", got, tt.next)
			}
		})
	}
}

// TestPercentHundredOnlyWhenComplete tries every subset of lessons with and
// without the quiz passed.
func TestPercentHundredOnlyWhenComplete(t *testing.T) {
	for _, c := range []*courses.Course{demoCourse(), {Lessons: demoCourse().Lessons}} {
		for mask := range 1 << len(c.Lessons) {
			for _, passed := range []bool{false, true} {
				p := learning.Progress{QuizPassed: passed}
				for i, l := range c.Lessons {
					if mask&(1<<i) != 0 {
						p.LessonsDone = append(p.LessonsDone, l.ID)
					}
				}
				pc, done := learning.Percent(c, p), learning.Complete(c, p)
				if pc < 0 || pc > 100 || (pc == 100) != done {
					t.Errorf("%s: Percent %d, Complete %v", fmt.Sprint(p), pc, done)
				}
			}
		}
	}
}

func TestHasFinalQuiz(t *testing.T) {
	tests := []struct {
		name string
		q    *courses.Quiz
		want bool
	}{
		{name: "no quiz", q: nil},
		{name: "empty quiz", q: &courses.Quiz{}},
		{name: "knowledge checks only", q: &courses.Quiz{Questions: []courses.Question{mk("k", courses.KindSingle, "a+ b", "lesson=intro")}}},
		{name: "final pool", q: demoCourse().Quiz, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := learning.HasFinalQuiz(&courses.Course{Quiz: tt.q}); got != tt.want {
				t.Errorf("HasFinalQuiz = %v, want %v", got, tt.want)
			}
		})
	}
}
