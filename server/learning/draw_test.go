package learning_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

func TestDrawDeterministic(t *testing.T) {
	q := demoCourse().Quiz
	for seed := range uint64(50) {
		a, b := learning.Draw(q, seed), learning.Draw(q, seed)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d: two draws differ:\n%v\n%v", seed, a, b)
		}
		checkDraw(t, q, a)
	}
}

func TestDrawSeedsDiffer(t *testing.T) {
	q := demoCourse().Quiz
	questions, options := map[string]bool{}, map[string]bool{}
	for seed := range uint64(20) {
		d := learning.Draw(q, seed)
		questions[strings.Join(ids(d), " ")] = true
		for _, x := range d {
			if x.Question == "s1" { // four options
				options[strings.Join(x.Options, "")] = true
			}
		}
	}
	if len(questions) < 2 {
		t.Errorf("20 seeds gave %d question orders, want at least 2", len(questions))
	}
	if len(options) < 2 {
		t.Errorf("20 seeds gave %d option orders of s1, want at least 2", len(options))
	}
}

func TestDrawCount(t *testing.T) {
	pool := []string{"s1", "bus-1", "s2", "bus-2", "market-1", "s3", "bus-3", "market-2", "s4", "s5"}
	tests := []struct {
		draw int
		want int
	}{
		{draw: 1, want: 1},
		{draw: 4, want: 4},
		{draw: 10, want: 10},
		{draw: 25, want: 10}, // more than the pool: the whole pool
		{draw: 0, want: 0},
		{draw: -3, want: 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.draw), func(t *testing.T) {
			q := demoCourse().Quiz
			q.Draw = tt.draw
			for seed := range uint64(30) {
				d := learning.Draw(q, seed)
				if len(d) != tt.want {
					t.Fatalf("seed %d: %d questions, want %d", seed, len(d), tt.want)
				}
				checkDraw(t, q, d)
				if tt.want == len(pool) {
					got := slices.Sorted(slices.Values(ids(d)))
					if !slices.Equal(got, slices.Sorted(slices.Values(pool))) {
						t.Fatalf("seed %d: drew %v, want the whole pool", seed, got)
					}
				}
			}
		})
	}
}

func TestDrawNoPool(t *testing.T) {
	checksOnly := &courses.Quiz{Draw: 2, Questions: []courses.Question{mk("k1", courses.KindSingle, "a+ b", "lesson=intro")}}
	for name, q := range map[string]*courses.Quiz{"nil": nil, "empty": {Draw: 3}, "checks only": checksOnly} {
		if d := learning.Draw(q, 1); d != nil {
			t.Errorf("%s: drew %v, want nil", name, d)
		}
	}
}

// TestDrawBlocks pins the block rules on pools whose possible outcomes can
// be listed: every outcome must be among them and, over 200 seeds, appear.
func TestDrawBlocks(t *testing.T) {
	tests := []struct {
		name string
		draw int
		qs   []courses.Question
		want []string // every possible attempt, question ids joined by spaces
	}{{
		name: "blocks only, in file order",
		draw: 5,
		qs: []courses.Question{
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("b1", courses.KindSingle, "x+ y", "scenario=b"),
			mk("a2", courses.KindSingle, "x+ y", "scenario=a"), mk("b2", courses.KindSingle, "x+ y", "scenario=b"),
			mk("a3", courses.KindSingle, "x+ y", "scenario=a"),
		},
		want: []string{"a1 a2 a3 b1 b2", "b1 b2 a1 a2 a3"},
	}, {
		name: "second block does not fit: fill with its first question",
		draw: 4,
		qs: []courses.Question{
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("a2", courses.KindSingle, "x+ y", "scenario=a"),
			mk("a3", courses.KindSingle, "x+ y", "scenario=a"), mk("b1", courses.KindSingle, "x+ y", "scenario=b"),
			mk("b2", courses.KindSingle, "x+ y", "scenario=b"), mk("b3", courses.KindSingle, "x+ y", "scenario=b"),
		},
		want: []string{"a1 a2 a3 b1", "b1 b2 b3 a1"},
	}, {
		name: "skip the block, go on, then fill",
		draw: 2,
		qs: []courses.Question{
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("a2", courses.KindSingle, "x+ y", "scenario=a"),
			mk("a3", courses.KindSingle, "x+ y", "scenario=a"), mk("s", courses.KindSingle, "x+ y"),
		},
		want: []string{"s a1"},
	}, {
		name: "skipped block, later units fill the attempt",
		draw: 3,
		qs: []courses.Question{
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("a2", courses.KindSingle, "x+ y", "scenario=a"),
			mk("a3", courses.KindSingle, "x+ y", "scenario=a"), mk("b1", courses.KindSingle, "x+ y", "scenario=b"),
			mk("b2", courses.KindSingle, "x+ y", "scenario=b"), mk("s", courses.KindSingle, "x+ y"),
		},
		// a first: a fits. b then s: b fits, s fits. s then b: s, b.
		// b first: b, a skipped, s. s first: s, a skipped, b.
		want: []string{"a1 a2 a3", "b1 b2 s", "s b1 b2"},
	}, {
		name: "first skipped block fills, not a later one",
		draw: 2,
		qs: []courses.Question{
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("a2", courses.KindSingle, "x+ y", "scenario=a"),
			mk("a3", courses.KindSingle, "x+ y", "scenario=a"), mk("b1", courses.KindSingle, "x+ y", "scenario=b"),
			mk("b2", courses.KindSingle, "x+ y", "scenario=b"), mk("b3", courses.KindSingle, "x+ y", "scenario=b"),
		},
		want: []string{"a1 a2", "b1 b2"},
	}, {
		name: "knowledge checks of a scenario stay out of its block",
		draw: 3,
		qs: []courses.Question{
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("k", courses.KindSingle, "x+ y", "scenario=a", "lesson=l"),
			mk("a2", courses.KindSingle, "x+ y", "scenario=a"), mk("s", courses.KindSingle, "x+ y"),
		},
		want: []string{"a1 a2 s", "s a1 a2"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := &courses.Quiz{Draw: tt.draw, Questions: tt.qs}
			seen := map[string]bool{}
			for seed := range uint64(200) {
				d := learning.Draw(q, seed)
				checkDraw(t, q, d)
				got := strings.Join(ids(d), " ")
				if !slices.Contains(tt.want, got) {
					t.Fatalf("seed %d: drew %q, want one of %q", seed, got, tt.want)
				}
				seen[got] = true
			}
			for _, w := range tt.want {
				if !seen[w] {
					t.Errorf("200 seeds never drew %q", w)
				}
			}
		})
	}
}

func TestDrawTrueFalseOrder(t *testing.T) {
	q := &courses.Quiz{Draw: 3, Questions: []courses.Question{
		mk("tf1", courses.KindTrueFalse, "true+ false"),
		mk("tf2", courses.KindTrueFalse, "false true+"),
		mk("s", courses.KindSingle, "a+ b"),
	}}
	for seed := range uint64(50) {
		for _, x := range learning.Draw(q, seed) {
			want := optionIDs(&q.Questions[slices.IndexFunc(q.Questions, func(qu courses.Question) bool { return qu.ID == x.Question })])
			if x.Question != "s" && !slices.Equal(x.Options, want) {
				t.Fatalf("seed %d: %s options %v, want %v", seed, x.Question, x.Options, want)
			}
		}
	}
}

func TestChecks(t *testing.T) {
	q := demoCourse().Quiz
	tests := []struct {
		lesson string
		want   []string
	}{
		{lesson: "intro", want: []string{"k1", "k2"}},
		{lesson: "elements", want: []string{"k3"}},
		{lesson: "indicators", want: nil},
		{lesson: "no-such-lesson", want: nil},
		{lesson: "", want: nil}, // "" must not select the final pool
	}
	for _, tt := range tests {
		t.Run(tt.lesson, func(t *testing.T) {
			orders := map[string]bool{}
			for seed := range uint64(30) {
				d := learning.Checks(q, tt.lesson, seed)
				if got := ids(d); !slices.Equal(got, tt.want) {
					t.Fatalf("seed %d: %v, want %v", seed, got, tt.want)
				}
				if again := learning.Checks(q, tt.lesson, seed); !reflect.DeepEqual(d, again) {
					t.Fatalf("seed %d: not deterministic: %v then %v", seed, d, again)
				}
				for _, x := range d {
					qu := &q.Questions[slices.IndexFunc(q.Questions, func(qu courses.Question) bool { return qu.ID == x.Question })]
					want := optionIDs(qu)
					if qu.Kind == courses.KindTrueFalse && !slices.Equal(x.Options, want) {
						t.Fatalf("true-false %s options %v, want %v", x.Question, x.Options, want)
					}
					if !slices.Equal(slices.Sorted(slices.Values(x.Options)), slices.Sorted(slices.Values(want))) {
						t.Fatalf("%s options %v, want a permutation of %v", x.Question, x.Options, want)
					}
					if x.Question == "k1" {
						orders[strings.Join(x.Options, "")] = true
					}
				}
			}
			if tt.lesson == "intro" && len(orders) < 2 {
				t.Errorf("k1 options never shuffled over 30 seeds")
			}
		})
	}
	if d := learning.Checks(nil, "intro", 1); d != nil {
		t.Errorf("nil quiz: %v", d)
	}
}

// fuzzQuiz builds a quiz from bytes: each byte is one question whose
// scenario, kind, option count and knowledge-check flag come from its bits.
func fuzzQuiz(shape []byte, draw int) *courses.Quiz {
	q := &courses.Quiz{Draw: draw}
	for i, b := range shape[:min(len(shape), 64)] {
		attrs := []string{}
		if s := b & 3; s != 0 {
			attrs = append(attrs, fmt.Sprintf("scenario=s%d", s))
		}
		if b>>5 == 7 {
			attrs = append(attrs, "lesson=l")
		}
		kind, opts := courses.KindSingle, "a+ b c d e"[:4+2*int(b>>4&1)+2*int(b>>6&1)]
		switch (b >> 2) & 3 {
		case 1:
			kind = courses.KindMultiple
		case 2:
			kind, opts = courses.KindTrueFalse, "t f+"
		}
		q.Questions = append(q.Questions, mk(fmt.Sprintf("q%d", i), kind, opts, attrs...))
	}
	return q
}

func FuzzDraw(f *testing.F) {
	f.Add(uint64(0), []byte{0, 1, 1, 2, 5, 9, 3, 1}, 4)
	f.Add(uint64(42), []byte{1, 1, 1, 2, 2, 2}, 4)
	f.Add(uint64(7), []byte{1, 0xe1, 1, 0, 8, 0x14}, 100)
	f.Add(uint64(1<<63), []byte{}, 3)
	f.Fuzz(func(t *testing.T, seed uint64, shape []byte, draw int) {
		q := fuzzQuiz(shape, draw%80)
		d := learning.Draw(q, seed)
		checkDraw(t, q, d)
		if again := learning.Draw(q, seed); !reflect.DeepEqual(d, again) {
			t.Fatalf("not deterministic:\n%v\n%v", d, again)
		}
	})
}

// TestDrawTakeSkipFill checks the take, skip and fill rule against a
// reference. The units are shuffled before the count matters, so a draw of
// the whole pool with the same seed shows the unit order.
func TestDrawTakeSkipFill(t *testing.T) {
	pools := map[string][]courses.Question{
		"demo": demoCourse().Quiz.Questions,
		"three blocks and one": {
			mk("a1", courses.KindSingle, "x+ y", "scenario=a"), mk("a2", courses.KindSingle, "x+ y", "scenario=a"),
			mk("a3", courses.KindSingle, "x+ y", "scenario=a"), mk("b1", courses.KindSingle, "x+ y", "scenario=b"),
			mk("b2", courses.KindSingle, "x+ y", "scenario=b"), mk("s", courses.KindSingle, "x+ y"),
			mk("c1", courses.KindSingle, "x+ y", "scenario=c"), mk("c2", courses.KindSingle, "x+ y", "scenario=c"),
			mk("c3", courses.KindSingle, "x+ y", "scenario=c"), mk("c4", courses.KindSingle, "x+ y", "scenario=c"),
		},
	}
	for name, qs := range pools {
		t.Run(name, func(t *testing.T) {
			scenario := map[string]string{}
			for _, q := range qs {
				scenario[q.ID] = q.Scenario
			}
			full := &courses.Quiz{Draw: len(qs), Questions: qs}
			for seed := range uint64(100) {
				// Units in shuffled order, read off the whole-pool draw.
				var units [][]string
				for _, id := range ids(learning.Draw(full, seed)) {
					if n := len(units); n > 0 && scenario[id] != "" && scenario[units[n-1][0]] == scenario[id] {
						units[n-1] = append(units[n-1], id)
					} else {
						units = append(units, []string{id})
					}
				}
				for draw := 1; draw <= len(units)*4; draw++ {
					var want, skipped []string
					left := draw
					for _, u := range units {
						if len(u) <= left {
							want, left = append(want, u...), left-len(u)
						} else if skipped == nil {
							skipped = u
						}
					}
					if left > 0 && skipped != nil {
						want = append(want, skipped[:left]...)
					}
					q := &courses.Quiz{Draw: draw, Questions: qs}
					if got := ids(learning.Draw(q, seed)); !slices.Equal(got, want) {
						t.Fatalf("seed %d draw %d: %v, want %v (units %v)", seed, draw, got, want, units)
					}
				}
			}
		})
	}
}
