package learning_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

// mk builds a question. opts lists the option ids separated by spaces, the
// correct ones marked with a trailing "+"; attrs are "lesson=…",
// "scenario=…" or "review=…".
func mk(id, kind, opts string, attrs ...string) courses.Question {
	q := courses.Question{ID: id, Kind: kind}
	for _, o := range strings.Fields(opts) {
		oid, correct := strings.CutSuffix(o, "+")
		q.Options = append(q.Options, courses.Option{ID: oid, Correct: correct})
	}
	for _, a := range attrs {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "lesson":
			q.Lesson = v
		case "scenario":
			q.Scenario = v
		case "review":
			q.Review = v
		default:
			panic("mk: unknown attribute " + a)
		}
	}
	return q
}

func lesson(id string, required bool) courses.Lesson {
	return courses.Lesson{ID: id, Required: required}
}

// demoCourse has four lessons (extra optional), knowledge checks in intro
// and elements, and a final pool of five standalone questions, a scenario
// block of three (interleaved with other questions in the file) and one of
// two.
func demoCourse() *courses.Course {
	return &courses.Course{
		Slug:     "demo",
		PassMark: 70,
		Lessons: []courses.Lesson{
			lesson("intro", true), lesson("elements", true), lesson("extra", false), lesson("indicators", true),
		},
		Quiz: &courses.Quiz{
			Draw:        6,
			MaxAttempts: 3,
			WaitMinutes: 60,
			Scenarios:   []courses.Scenario{{ID: "bus"}, {ID: "market"}},
			Questions: []courses.Question{
				mk("k1", courses.KindSingle, "a+ b c", "lesson=intro"),
				mk("s1", courses.KindSingle, "a+ b c d", "review=intro"),
				mk("bus-1", courses.KindSingle, "a b+ c", "scenario=bus", "review=indicators"),
				mk("s2", courses.KindMultiple, "w+ x+ y z", "review=elements"),
				mk("k2", courses.KindTrueFalse, "t+ f", "lesson=intro"),
				mk("bus-2", courses.KindTrueFalse, "t f+", "scenario=bus"),
				mk("market-1", courses.KindSingle, "a b c+", "scenario=market"),
				mk("s3", courses.KindTrueFalse, "f t+"),
				mk("bus-3", courses.KindMultiple, "a+ b c+", "scenario=bus"),
				mk("k3", courses.KindMultiple, "a+ b+ c", "lesson=elements"),
				mk("market-2", courses.KindSingle, "a+ b", "scenario=market"),
				mk("s4", courses.KindSingle, "a b+ c"),
				mk("s5", courses.KindSingle, "a b c+ d"),
			},
		},
	}
}

func ids(d []learning.Drawn) []string {
	out := make([]string, len(d))
	for i, x := range d {
		out[i] = x.Question
	}
	return out
}

func optionIDs(q *courses.Question) []string {
	out := make([]string, len(q.Options))
	for i, o := range q.Options {
		out[i] = o.ID
	}
	return out
}

// checkDraw asserts every rule a final-quiz draw must follow.
func checkDraw(t *testing.T, q *courses.Quiz, d []learning.Drawn) {
	t.Helper()
	byID := map[string]*courses.Question{}
	blocks := map[string][]string{} // scenario → pool question ids in file order
	pool := 0
	for i := range q.Questions {
		qu := &q.Questions[i]
		if _, dup := byID[qu.ID]; !dup {
			byID[qu.ID] = qu
		}
		if qu.Lesson == "" {
			pool++
			if qu.Scenario != "" {
				blocks[qu.Scenario] = append(blocks[qu.Scenario], qu.ID)
			}
		}
	}
	if want := max(min(q.Draw, pool), 0); len(d) != want {
		t.Fatalf("drew %d questions, want %d: %v", len(d), want, ids(d))
	}
	seen := map[string]bool{}
	where := map[string][]int{} // scenario → positions
	for i, x := range d {
		qu := byID[x.Question]
		switch {
		case qu == nil:
			t.Fatalf("drew unknown question %q", x.Question)
		case qu.Lesson != "":
			t.Fatalf("drew knowledge check %q", x.Question)
		case seen[x.Question]:
			t.Fatalf("drew %q twice: %v", x.Question, ids(d))
		}
		seen[x.Question] = true
		want := optionIDs(qu)
		if qu.Kind == courses.KindTrueFalse && !slices.Equal(x.Options, want) {
			t.Fatalf("true-false %q options %v, want file order %v", x.Question, x.Options, want)
		}
		got := slices.Clone(x.Options)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%q options %v are not a permutation of %v", x.Question, x.Options, want)
		}
		if qu.Scenario != "" {
			where[qu.Scenario] = append(where[qu.Scenario], i)
		}
	}
	partial := 0
	for s, pos := range where {
		for j := range pos {
			if pos[j] != pos[0]+j {
				t.Fatalf("scenario %q not consecutive: positions %v in %v", s, pos, ids(d))
			}
			if d[pos[j]].Question != blocks[s][j] {
				t.Fatalf("scenario %q not a prefix of its block in file order: %v", s, ids(d))
			}
		}
		if len(pos) < len(blocks[s]) {
			partial++
			if pos[len(pos)-1] != len(d)-1 {
				t.Fatalf("partial scenario %q is not the fill at the end: %v", s, ids(d))
			}
		}
	}
	if partial > 1 {
		t.Fatalf("%d partial scenario blocks: %v", partial, ids(d))
	}
}
