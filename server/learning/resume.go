package learning

import "github.com/kalan-platform/kalan/courses"

// Step is where a person continues a course, and how far through its
// lessons they are.
type Step struct {
	// Lesson is the lesson to open next; "" when every lesson is done.
	Lesson string
	// Quiz: every lesson is done and the final quiz is still to pass.
	Quiz bool
	// Done of Lessons: the lessons of the course done, optional ones
	// included, as a reader counts them on the lesson list.
	Done, Lessons int
}

// Resume is where to continue: the lesson last opened when it is not done
// yet (where the person left off, as the course page offers it), else
// Next, else the final quiz when it is still to pass. A Step with neither
// Lesson nor Quiz means there is nothing left to do.
func Resume(c *courses.Course, p Progress, last string) Step {
	done := doneSet(p)
	s := Step{Lessons: len(c.Lessons)}
	lastOpen := false
	for _, l := range c.Lessons {
		if done[l.ID] {
			s.Done++
		} else if l.ID == last {
			lastOpen = true
		}
	}
	switch {
	case lastOpen:
		s.Lesson = last
	case s.Done < s.Lessons:
		s.Lesson = Next(c, p)
	default:
		s.Quiz = HasFinalQuiz(c) && !p.QuizPassed
	}
	return s
}
