package learning_test

import (
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

func TestResume(t *testing.T) {
	withQuiz := demoCourse() // intro, elements, extra (optional), indicators; a final pool
	noQuiz := demoCourse()
	noQuiz.Quiz = nil
	all := []string{"intro", "elements", "extra", "indicators"}
	done := func(ids ...string) learning.Progress { return learning.Progress{LessonsDone: ids} }

	tests := []struct {
		name string
		c    *courses.Course
		p    learning.Progress
		last string
		want learning.Step
	}{
		{name: "nothing done", c: withQuiz, want: learning.Step{Lesson: "intro", Lessons: 4}},
		{name: "next in course order", c: withQuiz, p: done("intro"), want: learning.Step{Lesson: "elements", Done: 1, Lessons: 4}},
		{name: "left off on a lesson not done", c: withQuiz, p: done("intro"), last: "indicators", want: learning.Step{Lesson: "indicators", Done: 1, Lessons: 4}},
		{name: "last lesson opened is done", c: withQuiz, p: done("intro", "indicators"), last: "indicators", want: learning.Step{Lesson: "elements", Done: 2, Lessons: 4}},
		{name: "last lesson not in this version", c: withQuiz, p: done("intro"), last: "gone", want: learning.Step{Lesson: "elements", Done: 1, Lessons: 4}},
		{name: "optional lesson still offered", c: withQuiz, p: done("intro", "elements", "indicators"), want: learning.Step{Lesson: "extra", Done: 3, Lessons: 4}},
		{name: "every lesson: the quiz", c: withQuiz, p: done(all...), last: "indicators", want: learning.Step{Quiz: true, Done: 4, Lessons: 4}},
		{name: "quiz passed: nothing left", c: withQuiz, p: learning.Progress{LessonsDone: all, QuizPassed: true}, want: learning.Step{Done: 4, Lessons: 4}},
		{name: "no final quiz: nothing left", c: noQuiz, p: done(all...), want: learning.Step{Done: 4, Lessons: 4}},
		{name: "stale and repeated ids", c: withQuiz, p: done("old", "intro", "intro", ""), want: learning.Step{Lesson: "elements", Done: 1, Lessons: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := learning.Resume(tt.c, tt.p, tt.last); got != tt.want {
				t.Errorf("Resume = %+v, want %+v", got, tt.want)
			}
		})
	}
}
