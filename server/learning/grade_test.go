package learning_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/learning"
)

// gradeCourse has one question of each kind, all in the final pool, plus a
// question left out of the attempt and a knowledge check.
func gradeCourse() (*courses.Course, []learning.Drawn) {
	c := &courses.Course{
		PassMark: 70,
		Lessons:  []courses.Lesson{lesson("intro", true), lesson("elements", true), lesson("indicators", true)},
		Quiz: &courses.Quiz{Draw: 3, Questions: []courses.Question{
			mk("single", courses.KindSingle, "a+ b c", "review=indicators"),
			mk("multi", courses.KindMultiple, "w+ x+ y z", "review=intro"),
			mk("tf", courses.KindTrueFalse, "t+ f", "review=indicators"),
			mk("not-drawn", courses.KindSingle, "a+ b"),
			mk("check", courses.KindSingle, "a+ b", "lesson=intro"),
		}},
	}
	drawn := []learning.Drawn{
		{Question: "single", Options: []string{"c", "a", "b"}},
		{Question: "multi", Options: []string{"z", "x", "w", "y"}},
		{Question: "tf", Options: []string{"t", "f"}},
	}
	return c, drawn
}

func TestValidateAnswers(t *testing.T) {
	c, drawn := gradeCourse()
	tests := []struct {
		name    string
		a       learning.Answers
		wantErr error
		naming  string // the question the error must name
	}{
		{name: "nil", a: nil},
		{name: "empty", a: learning.Answers{}},
		{name: "unanswered question", a: learning.Answers{"single": {}, "multi": nil}},
		{name: "all valid", a: learning.Answers{"single": {"a"}, "multi": {"w", "y", "z"}, "tf": {"f"}}},
		{name: "unknown question", a: learning.Answers{"nope": {"a"}}, wantErr: learning.ErrUnknownQuestion, naming: "nope"},
		{name: "question not drawn", a: learning.Answers{"not-drawn": {"a"}}, wantErr: learning.ErrUnknownQuestion, naming: "not-drawn"},
		{name: "knowledge check in final quiz", a: learning.Answers{"check": {}}, wantErr: learning.ErrUnknownQuestion, naming: "check"},
		{name: "unknown option", a: learning.Answers{"single": {"q"}}, wantErr: learning.ErrUnknownOption, naming: "single"},
		{name: "empty option id", a: learning.Answers{"single": {""}}, wantErr: learning.ErrUnknownOption, naming: "single"},
		{name: "option of another question", a: learning.Answers{"single": {"w"}}, wantErr: learning.ErrUnknownOption, naming: "single"},
		{name: "two options to a single choice", a: learning.Answers{"single": {"a", "b"}}, wantErr: learning.ErrTooManyOptions, naming: "single"},
		{name: "two options to true-false", a: learning.Answers{"tf": {"t", "f"}}, wantErr: learning.ErrTooManyOptions, naming: "tf"},
		{name: "duplicate in multiple choice", a: learning.Answers{"multi": {"w", "x", "w"}}, wantErr: learning.ErrTooManyOptions, naming: "multi"},
		{name: "duplicate in single choice", a: learning.Answers{"single": {"a", "a"}}, wantErr: learning.ErrTooManyOptions, naming: "single"},
		{name: "one bad among good", a: learning.Answers{"single": {"a"}, "tf": {"maybe"}}, wantErr: learning.ErrUnknownOption, naming: "tf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := learning.ValidateAnswers(c.Quiz, drawn, tt.a)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.naming)) {
				t.Errorf("error %q does not name question %q", err, tt.naming)
			}
		})
	}
	t.Run("same input same error", func(t *testing.T) {
		a := learning.Answers{"tf": {"x"}, "single": {"z"}, "zzz": nil, "multi": {"q"}}
		first := learning.ValidateAnswers(c.Quiz, drawn, a)
		for range 20 {
			if err := learning.ValidateAnswers(c.Quiz, drawn, a); err.Error() != first.Error() {
				t.Fatalf("%v then %v", first, err)
			}
		}
	})
}

func TestGrade(t *testing.T) {
	c, drawn := gradeCourse()
	right := learning.Answers{"single": {"a"}, "multi": {"w", "x"}, "tf": {"t"}}
	with := func(id string, opts ...string) learning.Answers {
		a := learning.Answers{}
		for k, v := range right {
			a[k] = v
		}
		if opts == nil {
			delete(a, id)
		} else {
			a[id] = opts
		}
		return a
	}
	tests := []struct {
		name       string
		a          learning.Answers
		wantWrong  string // the one wrong question, "" for none
		wantReview []string
	}{
		{name: "all right", a: right},
		{name: "multiple, other order", a: with("multi", "x", "w")},
		{name: "single wrong", a: with("single", "b"), wantWrong: "single", wantReview: []string{"indicators"}},
		{name: "multiple partial", a: with("multi", "w"), wantWrong: "multi", wantReview: []string{"intro"}},
		{name: "multiple over-selection", a: with("multi", "w", "x", "y"), wantWrong: "multi", wantReview: []string{"intro"}},
		{name: "multiple only wrong ones", a: with("multi", "y", "z"), wantWrong: "multi", wantReview: []string{"intro"}},
		{name: "true-false wrong", a: with("tf", "f"), wantWrong: "tf", wantReview: []string{"indicators"}},
		{name: "unanswered", a: with("single"), wantWrong: "single", wantReview: []string{"indicators"}},
		{name: "answered with nothing", a: with("tf", []string{}...), wantWrong: "tf", wantReview: []string{"indicators"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := learning.ValidateAnswers(c.Quiz, drawn, tt.a); err != nil {
				t.Fatalf("test answers invalid: %v", err)
			}
			r := learning.Grade(c, drawn, tt.a)
			wantCorrect := 3
			if tt.wantWrong != "" {
				wantCorrect = 2
			}
			if r.Correct != wantCorrect || r.Total != 3 || r.Score != wantCorrect*100/3 || r.Passed != (wantCorrect == 3) {
				t.Errorf("got %d/%d score %d passed %v, want %d/3", r.Correct, r.Total, r.Score, r.Passed, wantCorrect)
			}
			if got := questionIDs(r); !slices.Equal(got, ids(drawn)) {
				t.Errorf("questions %v, want drawn order %v", got, ids(drawn))
			}
			for _, qr := range r.Questions {
				if qr.Correct != (qr.Question != tt.wantWrong) {
					t.Errorf("%s: correct = %v", qr.Question, qr.Correct)
				}
			}
			if !slices.Equal(r.Review, tt.wantReview) {
				t.Errorf("review %v, want %v", r.Review, tt.wantReview)
			}
		})
	}
	t.Run("options in display order", func(t *testing.T) {
		r := learning.Grade(c, drawn, learning.Answers{"multi": {"w", "y", "x"}})
		qr := r.Questions[1]
		if !slices.Equal(qr.Chosen, []string{"x", "w", "y"}) || !slices.Equal(qr.CorrectOptions, []string{"x", "w"}) {
			t.Errorf("chosen %v correct %v, want [x w y] and [x w] as displayed", qr.Chosen, qr.CorrectOptions)
		}
	})
	t.Run("unanswered is wrong even without a correct option", func(t *testing.T) {
		broken := &courses.Course{PassMark: 50, Quiz: &courses.Quiz{Questions: []courses.Question{mk("q", courses.KindMultiple, "a b")}}}
		r := learning.Grade(broken, []learning.Drawn{{Question: "q", Options: []string{"a", "b"}}}, nil)
		if r.Correct != 0 || r.Passed {
			t.Errorf("got %d/%d passed %v, want 0/1 not passed", r.Correct, r.Total, r.Passed)
		}
	})
	t.Run("unvalidated answers cannot score", func(t *testing.T) {
		r := learning.Grade(c, drawn, learning.Answers{"single": {"a", "a", "zz"}, "tf": {"t", "f"}, "not-drawn": {"a"}})
		if r.Correct != 0 || r.Total != 3 {
			t.Errorf("got %d/%d, want 0/3", r.Correct, r.Total)
		}
	})
}

func questionIDs(r learning.Result) []string {
	out := make([]string, len(r.Questions))
	for i, q := range r.Questions {
		out[i] = q.Question
	}
	return out
}

// nCourse has n single-choice questions, option "a" right; answers gets the
// first k right.
func nCourse(n, k, passMark int) (*courses.Course, []learning.Drawn, learning.Answers) {
	c := &courses.Course{PassMark: passMark, Quiz: &courses.Quiz{Draw: n}}
	var drawn []learning.Drawn
	a := learning.Answers{}
	for i := range n {
		id := fmt.Sprintf("q%d", i)
		c.Quiz.Questions = append(c.Quiz.Questions, mk(id, courses.KindSingle, "a+ b"))
		drawn = append(drawn, learning.Drawn{Question: id, Options: []string{"a", "b"}})
		if i < k {
			a[id] = []string{"a"}
		} else {
			a[id] = []string{"b"}
		}
	}
	return c, drawn, a
}

// TestGradePassMark pins the rule Correct*100 >= PassMark*Total: the exact
// ratio decides, so 2/3 fails a pass mark of 67 (200 < 201) while its
// rounded-down score, 66, agrees.
func TestGradePassMark(t *testing.T) {
	tests := []struct {
		n, k, passMark int
		score          int
		passed         bool
	}{
		{n: 10, k: 7, passMark: 70, score: 70, passed: true},
		{n: 10, k: 6, passMark: 70, score: 60, passed: false},
		{n: 100, k: 69, passMark: 70, score: 69, passed: false},
		{n: 100, k: 70, passMark: 70, score: 70, passed: true},
		{n: 3, k: 2, passMark: 67, score: 66, passed: false},
		{n: 3, k: 2, passMark: 66, score: 66, passed: true},
		{n: 3, k: 1, passMark: 34, score: 33, passed: false},
		{n: 7, k: 7, passMark: 100, score: 100, passed: true},
		{n: 7, k: 6, passMark: 100, score: 85, passed: false},
		{n: 3, k: 0, passMark: 1, score: 0, passed: false},
		{n: 0, k: 0, passMark: 70, score: 0, passed: false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d of %d at %d", tt.k, tt.n, tt.passMark), func(t *testing.T) {
			c, drawn, a := nCourse(tt.n, tt.k, tt.passMark)
			r := learning.Grade(c, drawn, a)
			if r.Score != tt.score || r.Passed != tt.passed || r.Correct != tt.k || r.Total != tt.n {
				t.Errorf("got %d/%d score %d passed %v, want score %d passed %v", r.Correct, r.Total, r.Score, r.Passed, tt.score, tt.passed)
			}
			if tt.n > 0 && r.Passed != (r.Score >= tt.passMark) {
				t.Errorf("passed %v disagrees with score %d and pass mark %d", r.Passed, r.Score, tt.passMark)
			}
		})
	}
}

func TestGradeReview(t *testing.T) {
	c := &courses.Course{
		PassMark: 50,
		Lessons:  []courses.Lesson{lesson("intro", true), lesson("elements", true), lesson("extra", false), lesson("indicators", true)},
		Quiz: &courses.Quiz{Questions: []courses.Question{
			mk("q1", courses.KindSingle, "a+ b", "review=indicators"),
			mk("q2", courses.KindSingle, "a+ b", "review=intro"),
			mk("q3", courses.KindSingle, "a+ b", "review=indicators"),
			mk("q4", courses.KindSingle, "a+ b", "review=elements"), // answered right
			mk("q5", courses.KindSingle, "a+ b"),                    // no review lesson
			mk("q6", courses.KindSingle, "a+ b", "review=gone"),     // lesson not in this version
			mk("q7", courses.KindSingle, "a+ b", "review=extra"),
		}},
	}
	var drawn []learning.Drawn
	a := learning.Answers{}
	for _, q := range c.Quiz.Questions {
		drawn = append(drawn, learning.Drawn{Question: q.ID, Options: []string{"a", "b"}})
		a[q.ID] = []string{"b"}
	}
	a["q4"] = []string{"a"}
	r := learning.Grade(c, drawn, a)
	if want := []string{"intro", "extra", "indicators"}; !slices.Equal(r.Review, want) {
		t.Errorf("review %v, want %v", r.Review, want)
	}
	if r := learning.Grade(c, drawn[3:4], a); r.Review != nil {
		t.Errorf("all right: review %v, want none", r.Review)
	}
}

func TestGradeChecks(t *testing.T) {
	c := demoCourse()
	drawn := learning.Checks(c.Quiz, "intro", 3)
	tests := []struct {
		name       string
		a          learning.Answers
		drawn      []learning.Drawn
		correct    int
		passed     bool
		wantReview []string
	}{
		{name: "all right", a: learning.Answers{"k1": {"a"}, "k2": {"t"}}, drawn: drawn, correct: 2, passed: true},
		{name: "one wrong", a: learning.Answers{"k1": {"a"}, "k2": {"f"}}, drawn: drawn, correct: 1},
		{name: "unanswered", a: nil, drawn: drawn},
		{name: "no checks", a: nil, drawn: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := learning.GradeChecks(c, tt.drawn, tt.a)
			if r.Correct != tt.correct || r.Total != len(tt.drawn) || r.Passed != tt.passed {
				t.Errorf("got %d/%d passed %v, want %d/%d passed %v", r.Correct, r.Total, r.Passed, tt.correct, len(tt.drawn), tt.passed)
			}
		})
	}
	// A check at 1/2 passes a course pass mark of 50 in Grade but not as a
	// check: checks ask for everything right.
	c.PassMark = 50
	a := learning.Answers{"k1": {"a"}, "k2": {"f"}}
	if !learning.Grade(c, drawn, a).Passed || learning.GradeChecks(c, drawn, a).Passed {
		t.Error("GradeChecks must ignore the pass mark")
	}
}

// parseAnswers reads "q=a,b;r=c" into Answers, keeping empty values.
func parseAnswers(s string) learning.Answers {
	a := learning.Answers{}
	for _, part := range strings.Split(s, ";") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			a[k] = nil
			continue
		}
		a[k] = append(a[k], strings.Split(v, ",")...)
	}
	return a
}

func FuzzValidateAnswers(f *testing.F) {
	f.Add(uint64(1), "s1=a;s2=w,x;s3=t", false)
	f.Add(uint64(2), "bus-1=b;bus-2=f;bus-3=a,c;market-1=c", false)
	f.Add(uint64(3), "k1=a;k2=t", true)
	f.Add(uint64(4), "s1=a,a;s9=;=;s3=t,f", false)
	f.Add(uint64(5), "s5=", false)
	f.Fuzz(func(t *testing.T, seed uint64, raw string, checks bool) {
		c := demoCourse()
		drawn := learning.Draw(c.Quiz, seed)
		if checks {
			drawn = learning.Checks(c.Quiz, "intro", seed)
		}
		a := parseAnswers(raw)
		err := learning.ValidateAnswers(c.Quiz, drawn, a)
		if err != nil && !errors.Is(err, learning.ErrUnknownQuestion) && !errors.Is(err, learning.ErrUnknownOption) && !errors.Is(err, learning.ErrTooManyOptions) {
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		// Grading never panics and stays in range, valid answers or not.
		r := learning.Grade(c, drawn, a)
		if r.Total != len(drawn) || r.Correct < 0 || r.Correct > r.Total || r.Score < 0 || r.Score > 100 || len(r.Questions) != len(drawn) {
			t.Fatalf("result out of range: %+v", r)
		}
		if err != nil {
			return
		}
		for id, chosen := range a {
			i := slices.IndexFunc(drawn, func(d learning.Drawn) bool { return d.Question == id })
			if i < 0 {
				t.Fatalf("accepted an answer to %q, not drawn", id)
			}
			qu := &c.Quiz.Questions[slices.IndexFunc(c.Quiz.Questions, func(q courses.Question) bool { return q.ID == id })]
			if qu.Kind != courses.KindMultiple && len(chosen) > 1 {
				t.Fatalf("accepted %v for %s question %q", chosen, qu.Kind, id)
			}
			for j, o := range chosen {
				if !slices.Contains(drawn[i].Options, o) {
					t.Fatalf("accepted option %q, not an option of %q", o, id)
				}
				if slices.Contains(chosen[:j], o) {
					t.Fatalf("accepted %q twice for %q", o, id)
				}
			}
		}
		for _, qr := range r.Questions {
			if qr.Correct != (len(qr.Chosen) > 0 && slices.Equal(qr.Chosen, qr.CorrectOptions)) {
				t.Fatalf("%q graded %v with chosen %v, correct %v", qr.Question, qr.Correct, qr.Chosen, qr.CorrectOptions)
			}
		}
	})
}
