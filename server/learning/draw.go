// Package learning is the domain of taking a course: drawing and grading
// quiz attempts, the attempt rules, and what counts as progress and
// completion. It does no I/O.
package learning

import (
	"math/rand/v2"

	"github.com/kalan-platform/kalan/courses"
)

// pcgStream derives the second PCG word from the seed. Changing it changes
// every future draw; stored attempts keep their questions because the
// caller stores the draw, not only the seed.
const pcgStream = 0x9e3779b97f4a7c15

// Drawn is one question of an attempt as shown: its id and its option ids
// in display order.
type Drawn struct {
	Question string
	Options  []string
}

// newRand returns the generator of one seed. Never the global generator:
// a resumed attempt must show the same order.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^pcgStream))
}

// Draw composes a final-quiz attempt from the pool (questions without
// Lesson), seeded so that the same seed always gives the same attempt. It
// draws min(q.Draw, pool size) questions.
//
// Questions of one scenario form a block: drawn together, consecutive and
// in file order, because they read the same situation. The units (blocks
// and standalone questions) are shuffled; units are taken in that order
// while they fit in the remaining count, a block that does not fit is
// skipped, and if the attempt is still short the first questions of the
// first skipped block fill it (they always suffice: that block was larger
// than what remained when it was skipped). Options are shuffled per question
// with the same generator, except true-false, whose two options keep their
// file order (true before false reads as the author wrote it).
func Draw(q *courses.Quiz, seed uint64) []Drawn {
	if q == nil {
		return nil
	}
	var units [][]*courses.Question
	block := map[string]int{} // scenario id → index in units
	pool := 0
	for i := range q.Questions {
		qu := &q.Questions[i]
		if qu.Lesson != "" {
			continue
		}
		pool++
		if qu.Scenario == "" {
			units = append(units, []*courses.Question{qu})
			continue
		}
		if u, ok := block[qu.Scenario]; ok {
			units[u] = append(units[u], qu)
			continue
		}
		block[qu.Scenario] = len(units)
		units = append(units, []*courses.Question{qu})
	}
	left := min(q.Draw, pool)
	if left <= 0 {
		return nil
	}

	r := newRand(seed)
	r.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })

	picked := make([]*courses.Question, 0, left)
	var skipped []*courses.Question
	for _, u := range units {
		if left == 0 {
			break
		}
		if len(u) > left {
			if skipped == nil {
				skipped = u
			}
			continue
		}
		picked = append(picked, u...)
		left -= len(u)
	}
	picked = append(picked, skipped[:left]...)

	out := make([]Drawn, len(picked))
	for i, qu := range picked {
		out[i] = drawn(qu, r)
	}
	return out
}

// Checks returns the knowledge-check questions of a lesson (Lesson ==
// lessonID) in file order, options shuffled with seed (true-false kept in
// order).
func Checks(q *courses.Quiz, lessonID string, seed uint64) []Drawn {
	if q == nil || lessonID == "" {
		return nil
	}
	r := newRand(seed)
	var out []Drawn
	for i := range q.Questions {
		if q.Questions[i].Lesson == lessonID {
			out = append(out, drawn(&q.Questions[i], r))
		}
	}
	return out
}

// drawn lists the option ids of a question in display order.
func drawn(q *courses.Question, r *rand.Rand) Drawn {
	opts := make([]string, len(q.Options))
	for i, o := range q.Options {
		opts[i] = o.ID
	}
	if q.Kind != courses.KindTrueFalse {
		r.Shuffle(len(opts), func(i, j int) { opts[i], opts[j] = opts[j], opts[i] })
	}
	return Drawn{Question: q.ID, Options: opts}
}

// question finds a question of the quiz by id.
func question(q *courses.Quiz, id string) *courses.Question {
	if q == nil {
		return nil
	}
	for i := range q.Questions {
		if q.Questions[i].ID == id {
			return &q.Questions[i]
		}
	}
	return nil
}
