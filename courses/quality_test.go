package courses

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// single is a single-choice final-quiz question whose key has the French
// text key and whose other options have the texts others.
func single(id, key string, others ...string) string {
	s := fmt.Sprintf("  - id: %s\n    text: {fr: Q, en: Q}\n    options:\n      - {id: k, correct: true, text: {fr: %q, en: K}}\n", id, key)
	for i, o := range others {
		s += fmt.Sprintf("      - {id: o%d, correct: false, text: {fr: %q, en: O}}\n", i, o)
	}
	return s
}

// trueFalse is a true-false final-quiz question whose key is "true" or
// not. Its options have the ids given (default "true" then "false"); the
// first one that is not "false" means true. Their texts are Vrai and Faux.
func trueFalse(id string, keyTrue bool, ids ...string) string {
	if len(ids) == 0 {
		ids = []string{"true", "false"}
	}
	s := fmt.Sprintf("  - id: %s\n    kind: true-false\n    text: {fr: Q, en: Q}\n    options:\n", id)
	for i, o := range ids {
		isTrue := o == "true" || (o != "false" && ids[1-i] != "true" && i == 0)
		text := map[bool]string{true: "Vrai", false: "Faux"}[isTrue]
		s += fmt.Sprintf("      - {id: %q, correct: %t, text: {fr: %s, en: %s}}\n", o, isTrue == keyTrue, text, text)
	}
	return s
}

// withQuiz returns the test course with quiz.yaml replaced.
func withQuiz(quiz string) fstest.MapFS {
	fsys := course()
	fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(quiz)}
	return fsys
}

// quality loads the course and returns its quality figures and advice.
func quality(t *testing.T, fsys fstest.MapFS) (Quality, []Problem) {
	t.Helper()
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	return QualityOf(c), CheckQuality(fsys, "demo", c)
}

// find returns the advice whose message contains s.
func find(ps []Problem, s string) (Problem, bool) {
	for _, p := range ps {
		if strings.Contains(p.Message, s) {
			return p, true
		}
	}
	return Problem{}, false
}

func TestPoolSize(t *testing.T) {
	body := single("a", "A", "B") + single("b", "A", "B") + single("c", "A", "B")
	for _, tc := range []struct {
		head string
		want string // the warning, "" for none
	}{
		{"draw: 1\nmax_attempts: 2\n", ""},
		{"max_attempts: 2\ndraw: 2\n", "demo/quiz.yaml:2: warning: draw: the final-quiz pool has 3 questions for draw 2; at least 6 (3 × draw)"},
		{"draw: 3\nmax_attempts: 2\n", "demo/quiz.yaml:1: warning: draw: the final-quiz pool has 3 questions for draw 3; at least 9 (3 × draw)"},
	} {
		q, ps := quality(t, withQuiz(tc.head+"questions:\n"+body))
		p, found := find(ps, "final-quiz pool")
		if found != (tc.want != "") || q.Pool != 3 || !strings.HasPrefix(p.String(), tc.want) {
			t.Errorf("%q: pool %d, advice %v", tc.head, q.Pool, ps)
		}
	}
	// Knowledge checks alone make no final quiz: nothing to say.
	q, ps := quality(t, withQuiz("questions:\n  - id: c\n    lesson: first\n    text: {fr: Q, en: Q}\n    options:\n      - {id: a, correct: true, text: {fr: A, en: A}}\n      - {id: b, correct: false, text: {fr: B, en: B}}\n"))
	if q.Pool != 0 || len(ps) != 0 {
		t.Errorf("no pool: %+v %v", q, ps)
	}
}

func TestLongestAnswerCue(t *testing.T) {
	head := "draw: 1\nmax_attempts: 2\nquestions:\n"
	longest := single("l1", "La réponse longue", "Courte", "Brève") + single("l2", "Une réponse détaillée", "Non")
	for _, tc := range []struct {
		name, body string
		longest    int
		warn       bool
	}{
		{"two of three", longest + single("s", "Oui", "Peut-être"), 2, true},
		{"half is not more than half", longest + single("s1", "Oui", "Jamais") + single("s2", "Non", "Toujours"), 2, false},
		// A tie is not "strictly longest".
		{"tie", single("t1", "Abc", "Def") + single("t2", "Abc", "De") + single("t3", "Abc", "Defg"), 1, false},
		// Characters, not bytes: "éé" is 4 bytes, 2 characters.
		{"characters", single("c1", "éé", "abc") + single("c2", "ééé", "ab") + single("c3", "àà", "abc"), 1, false},
		// Multiple-choice and true-false questions do not count.
		{"other kinds", longest + trueFalse("tf1", true) + trueFalse("tf2", false) + "  - id: m\n    kind: multiple\n    text: {fr: Q, en: Q}\n    options:\n      - {id: a, correct: true, text: {fr: Aaaaaaaa, en: A}}\n      - {id: b, correct: false, text: {fr: B, en: B}}\n", 2, true},
	} {
		q, ps := quality(t, withQuiz(head+tc.body))
		p, found := find(ps, "longest-answer cue")
		if q.LongestKey != tc.longest || found != tc.warn {
			t.Errorf("%s: %d longest of %d, advice %v", tc.name, q.LongestKey, q.Single, ps)
		}
		if found && (p.Line != 3 || !strings.Contains(p.Message, "l1, l2")) {
			t.Errorf("%s: %q", tc.name, p)
		}
	}
}

func TestTrueFalseBalance(t *testing.T) {
	head := "draw: 1\nmax_attempts: 2\nquestions:\n"
	tf := func(keys ...bool) string {
		s := ""
		for i, k := range keys {
			s += trueFalse(fmt.Sprintf("tf%d", i), k)
		}
		return s
	}
	for _, tc := range []struct {
		name string
		body string
		warn bool
	}{
		{"one of four", tf(true, false, false, false), true},
		{"two of four", tf(true, false, true, false), false},
		{"three of four", tf(true, true, false, true), true},
		{"two of five", tf(true, false, true, false, false), false},
		// Three questions cannot split 40–60 %: one of three is as close as it gets.
		{"one of three", tf(false, true, false), false},
		{"none of three", tf(false, false, false), true},
		{"none of one", tf(false), false},
		{"none", single("s", "A", "B"), false},
		// The texts tell true from false when the ids do not.
		{"by text", trueFalse("x", true, "v", "f") + trueFalse("y", false, "a", "b") + tf(false, false), true},
	} {
		q, ps := quality(t, withQuiz(head+tc.body))
		p, found := find(ps, "true-false balance")
		if found != tc.warn {
			t.Errorf("%s: %d true of %d, advice %v", tc.name, q.TrueKeys, q.TrueFalse, ps)
		}
		if found && (p.Line != 3 || p.Severity != SeverityWarning) {
			t.Errorf("%s: %q", tc.name, p)
		}
	}

	// Options that say neither true nor false, and "false" listed first
	// (true-false options are never shuffled), are reported at their
	// question.
	odd := "  - id: odd\n    kind: true-false\n    text: {fr: Q, en: Q}\n    options:\n" +
		"      - {id: yes, correct: true, text: {fr: Oui, en: Yes}}\n      - {id: no, correct: false, text: {fr: Non, en: No}}\n"
	q, ps := quality(t, withQuiz(head+single("s", "A", "B")+odd+trueFalse("upside", true, "false", "true")))
	if len(q.Unclear) != 1 || q.Unclear[0] != "odd" || len(q.FalseFirst) != 1 || q.FalseFirst[0] != "upside" || q.TrueFalse != 1 || q.TrueKeys != 1 {
		t.Errorf("figures %+v", q)
	}
	if p, ok := find(ps, `question "odd": cannot tell`); !ok || p.Line != 9 {
		t.Errorf("unclear options: %v", ps)
	}
	if p, ok := find(ps, `question "upside": "false" comes before "true"`); !ok || p.Line != 15 {
		t.Errorf("false first: %v", ps)
	}
}

func TestAttemptRules(t *testing.T) {
	body := "questions:\n" + single("a", "A", "B") + single("b", "A", "B") + single("c", "A", "B")
	for _, tc := range []struct {
		head string
		line int // of the note, 0 for none
		wait bool
	}{
		{"draw: 1\nmax_attempts: 0\nwait_minutes: 60\n", 2, false},
		{"draw: 1\nwait_minutes: 0\nmax_attempts: 0\n", 3, true},
		{"wait_minutes: 5\ndraw: 1\n", 2, false}, // no max_attempts: unlimited too, said at draw
		{"draw: 1\nmax_attempts: 3\n", 0, false},
	} {
		_, ps := quality(t, withQuiz(tc.head+body))
		p, found := find(ps, "no attempt limit")
		switch {
		case found != (tc.line > 0):
			t.Errorf("%q: advice %v", tc.head, ps)
		case found && (p.Line != tc.line || p.Severity != SeverityNote || strings.Contains(p.Message, "no wait") != tc.wait):
			t.Errorf("%q: %q", tc.head, p)
		case found && !strings.HasPrefix(p.String(), fmt.Sprintf("demo/quiz.yaml:%d: note: max_attempts", tc.line)) && !strings.HasPrefix(p.String(), "demo/quiz.yaml:2: note: no max_attempts"):
			t.Errorf("%q: %q", tc.head, p)
		}
	}
}

// The checks never fail on odd input: no quiz, a quiz.yaml that is gone or
// garbled since the course was loaded, a course in English only.
func TestQualityOnOddInput(t *testing.T) {
	if ps := CheckQuality(nil, "demo", nil); ps != nil {
		t.Errorf("nil course: %v", ps)
	}
	fsys := course()
	delete(fsys, "demo/quiz.yaml")
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if ps := CheckQuality(fsys, "demo", c); ps != nil || QualityOf(c).HasQuiz {
		t.Errorf("no quiz: %v", ps)
	}

	quiz := "draw: 2\nquestions:\n" + single("a", "Longue réponse", "B") + single("b", "A", "B") + trueFalse("t", false)
	fsys = withQuiz(quiz)
	c, problems = Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	want := len(CheckQuality(fsys, "demo", c))
	for name, data := range map[string]string{
		"gone":     "",
		"garbled":  "questions: [\n\t{",
		"a list":   "- 1\n- 2\n",
		"no lines": "questions: 3\n",
		"aliases":  "a: &x [1]\nquestions: *x\n",
	} {
		f := withQuiz(data)
		if name == "gone" {
			delete(f, "demo/quiz.yaml")
		}
		ps := CheckQuality(f, "demo", c)
		if len(ps) != want {
			t.Errorf("%s: %d pieces of advice, want %d: %v", name, len(ps), want, ps)
		}
		for _, p := range ps {
			if p.Line != 1 || p.Severity == SeverityError || p.Path != "demo/quiz.yaml" {
				t.Errorf("%s: %q", name, p)
			}
		}
	}

	// A course written in English: lengths are measured in English.
	en := strings.NewReplacer("languages: [fr, en]", "languages: [en]", "  fr: {by: team, reviewed: true}\n", "").Replace(validCourse)
	fsys = withQuiz("draw: 1\nmax_attempts: 1\nquestions:\n" +
		"  - id: a\n    text: {en: Q}\n    options:\n      - {id: k, correct: true, text: {en: The long answer, fr: Oui}}\n      - {id: o, correct: false, text: {en: No, fr: Non merci}}\n")
	fsys["demo/course.yaml"] = &fstest.MapFile{Data: []byte(en)}
	c, problems = Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if q := QualityOf(c); q.Lang != "en" || q.LongestKey != 1 || !q.LongestCue() {
		t.Errorf("English course: %+v", q)
	}
}

func TestProblemString(t *testing.T) {
	p := Problem{Path: "c/quiz.yaml", Line: 4, Message: "m"}
	if p.String() != "c/quiz.yaml:4: m" {
		t.Error(p.String())
	}
	p.Severity = SeverityWarning
	if p.String() != "c/quiz.yaml:4: warning: m" {
		t.Error(p.String())
	}
}

func TestPercent(t *testing.T) {
	for _, tc := range [][3]int{{0, 0, 0}, {1, 3, 33}, {2, 3, 67}, {1, 8, 13}, {5, 5, 100}} {
		if got := Percent(tc[0], tc[1]); got != tc[2] {
			t.Errorf("Percent(%d, %d) = %d, want %d", tc[0], tc[1], got, tc[2])
		}
	}
}

// The bundled courses load without problems, and the quality checks run on
// them and say where (that they pass them: TestBundledQuizzesCertify).
func TestBundledCoursesLoadAndGetAdvice(t *testing.T) {
	fsys := Bundle()
	list, problems := LoadAll(fsys)
	if len(problems) > 0 {
		t.Fatalf("problems in the bundled courses: %v", problems)
	}
	if len(list) == 0 {
		t.Fatal("no bundled course")
	}
	for _, c := range list {
		for _, p := range CheckQuality(fsys, c.Slug, c) {
			if p.Path != c.Slug+"/quiz.yaml" || p.Line < 1 || p.Severity == SeverityError || p.Message == "" {
				t.Errorf("%s: malformed advice %q", c.Slug, p)
			}
		}
		for _, ic := range CoverageByItem(c, []string{"fr", "en", "bm"}) {
			if ic.Complete && (len(ic.Lessons.Missing) > 0 || len(ic.Checks.Missing) > 0 || len(ic.Final.Missing) > 0) {
				t.Errorf("%s in %s: complete, yet missing %+v", c.Slug, ic.Lang, ic)
			}
		}
	}
}

// A wrong option's feedback that quotes the key hands it over on the final
// quiz's result page; a knowledge check may, and short keys are words.
func TestFeedbackThatQuotesTheKey(t *testing.T) {
	question := func(id, lesson, key, feedback string) string {
		s := fmt.Sprintf("  - id: %s\n", id)
		if lesson != "" {
			s += "    lesson: " + lesson + "\n"
		}
		return s + fmt.Sprintf("    text: {fr: Q, en: Q}\n    options:\n      - {id: k, correct: true, text: {fr: %q, en: K}}\n      - {id: o, correct: false, text: {fr: Autre, en: O}, feedback: {fr: %q, en: F}}\n", key, feedback)
	}
	for _, tc := range []struct {
		q    string
		warn bool
	}{
		{question("leak", "", "L'intérêt supérieur de l'enfant", "Non. L’INTÉRÊT supérieur de l'enfant, passe avant."), true},
		{question("fine", "", "L'intérêt supérieur de l'enfant", "Non. Ce que dit l'employeur ne peut pas guider votre action."), false},
		{question("check", "first", "L'intérêt supérieur de l'enfant", "Non. L'intérêt supérieur de l'enfant passe avant.") + question("pool", "", "A", "B"), false},
		{question("short", "", "Vrai", "Non, c'est vrai."), false},
	} {
		q, ps := quality(t, withQuiz("draw: 1\nquestions:\n"+tc.q))
		p, found := find(ps, "quotes the correct one")
		if found != tc.warn || len(q.KeyInFeedback) > 0 != tc.warn {
			t.Errorf("%s: warned %v (%v), want %v", tc.q, found, q.KeyInFeedback, tc.warn)
		}
		if found && (p.Severity != SeverityWarning || p.Line != 3) {
			t.Errorf("%q", p)
		}
	}
}
