package learning

import "github.com/kalan-platform/kalan/courses"

// Progress of one person in one course version. LessonsDone may hold ids
// that are not in the course (from an older version) or twice the same id;
// every function here ignores them.
type Progress struct {
	LessonsDone []string
	QuizPassed  bool
}

// Complete reports whether the course is complete: every required lesson
// done and, when the course has a final pool, the final quiz passed. This
// is the single rule of completion (certificates, reports and the course
// page all ask here); keep it here only.
func Complete(c *courses.Course, p Progress) bool {
	done, steps := stepsDone(c, p)
	return done == steps
}

// Percent is the progress through the course, 0–100 rounded down: each
// required lesson and the final quiz (when there is a pool) count as one
// step each. Rounding down makes 100 mean Complete; a course with no step
// at all is complete, so 100.
func Percent(c *courses.Course, p Progress) int {
	done, steps := stepsDone(c, p)
	if steps == 0 {
		return 100
	}
	return done * 100 / steps
}

// Next is where to continue: the first lesson, in course order, required
// or not, that is not done, or "" when every lesson is done (then the quiz
// is next, if any). Optional lessons are offered too: skipping them is the
// reader's choice, not the platform's.
func Next(c *courses.Course, p Progress) string {
	done := doneSet(p)
	for _, l := range c.Lessons {
		if !done[l.ID] {
			return l.ID
		}
	}
	return ""
}

// HasFinalQuiz reports whether the course has a final-quiz pool (a quiz
// with at least one question that is not a knowledge check).
func HasFinalQuiz(c *courses.Course) bool {
	if c.Quiz == nil {
		return false
	}
	for _, q := range c.Quiz.Questions {
		if q.Lesson == "" {
			return true
		}
	}
	return false
}

// stepsDone counts the steps of the course and those done. Lessons are
// looked up from the course, so stale or repeated ids never count.
func stepsDone(c *courses.Course, p Progress) (done, steps int) {
	set := doneSet(p)
	for _, l := range c.Lessons {
		if !l.Required {
			continue
		}
		steps++
		if set[l.ID] {
			done++
		}
	}
	if HasFinalQuiz(c) {
		steps++
		if p.QuizPassed {
			done++
		}
	}
	return done, steps
}

func doneSet(p Progress) map[string]bool {
	set := make(map[string]bool, len(p.LessonsDone))
	for _, id := range p.LessonsDone {
		set[id] = true
	}
	return set
}
