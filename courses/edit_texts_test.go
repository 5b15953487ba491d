package courses

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// loadQuiz loads the course of course() with quiz.yaml replaced.
func loadQuiz(t *testing.T, quizYAML []byte) *Course {
	t.Helper()
	fsys := course()
	fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: quizYAML}
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatalf("edited quiz.yaml does not load: %v\n%s", problems, quizYAML)
	}
	return c
}

const blockQuiz = `# The sources.
draw: 1
scenarios:
  - id: market
    text:
      fr: Au marché # plain
      en: 'At the ''market'''
questions:
  - id: q1
    kind: single
    text:
      fr: "Quelle \"réponse\" ?"
      en: "Which answer?"
    options:
      - id: a
        correct: true
        text: {fr: A, en: A}
        feedback:
          fr: "Oui."
          en: "Yes."
      - id: b
        correct: false
        text: {fr: B, en: "B, really"}
`

func TestSetQuizTextsReplacesInPlace(t *testing.T) {
	values := map[QuizText]string{
		{Scenario: "market", Field: FieldText}:              `In the "market"`,
		{Question: "q1", Field: FieldText}:                  "Which one?\nThink.",
		{Question: "q1", Option: "a", Field: FieldFeedback}: "Yes: it is.",
		{Question: "q1", Option: "b", Field: FieldText}:     "Bé",
		{Question: "q1", Option: "a", Field: FieldText}:     "Ay",
	}
	out, err := SetQuizTexts([]byte(blockQuiz), "en", values)
	if err != nil {
		t.Fatal(err)
	}
	c := loadQuiz(t, out)
	q, o := c.Quiz.Questions[0], c.Quiz.Questions[0].Options
	got := []string{c.Quiz.Scenarios[0].Text["en"], q.Text["en"], o[0].Feedback["en"], o[1].Text["en"], o[0].Text["en"]}
	want := []string{`In the "market"`, "Which one?\nThink.", "Yes: it is.", "Bé", "Ay"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("texts %q, want %q\n%s", got, want, out)
	}
	if q.Text["fr"] != `Quelle "réponse" ?` || o[1].Text["fr"] != "B" || c.Quiz.Scenarios[0].Text["fr"] != "Au marché" {
		t.Error("French texts changed")
	}
	if !strings.Contains(string(out), "# The sources.\n") || !strings.Contains(string(out), "fr: Au marché # plain\n") {
		t.Errorf("comments lost:\n%s", out)
	}
	if strings.Count(string(out), "\n") != strings.Count(blockQuiz, "\n") {
		t.Error("lines were added or removed")
	}
}

func TestSetQuizTextsAddsALanguage(t *testing.T) {
	out, err := SetQuizTexts([]byte(blockQuiz), "bm", map[QuizText]string{
		{Question: "q1", Field: FieldText}:                  "Jaabi jumɛn?",
		{Question: "q1", Option: "a", Field: FieldFeedback}: "Awɔ.",
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "      en: \"Which answer?\"\n      bm: \"Jaabi jumɛn?\"\n") ||
		!strings.Contains(string(out), "          en: \"Yes.\"\n          bm: \"Awɔ.\"\n") {
		t.Fatalf("got\n%s", out)
	}
	c := loadQuiz(t, out)
	if c.Quiz.Questions[0].Text["bm"] != "Jaabi jumɛn?" || c.Quiz.Questions[0].Options[0].Feedback["bm"] != "Awɔ." {
		t.Fatalf("bm texts: %+v", c.Quiz.Questions[0])
	}
}

func TestSetQuizTextsRefusesWhatItCannotEdit(t *testing.T) {
	multi := strings.Replace(blockQuiz, `      en: "Which answer?"`, "      en: >\n        Which\n        answer?", 1)
	for name, tt := range map[string]struct {
		quiz, lang string
		q          QuizText
	}{
		"no such question":        {blockQuiz, "en", QuizText{Question: "nope", Field: FieldText}},
		"no such option":          {blockQuiz, "en", QuizText{Question: "q1", Option: "z", Field: FieldText}},
		"a flow mapping lacks it": {blockQuiz, "bm", QuizText{Question: "q1", Option: "b", Field: FieldText}},
		"a folded text":           {multi, "en", QuizText{Question: "q1", Field: FieldText}},
		"after a folded text":     {multi, "bm", QuizText{Question: "q1", Field: FieldText}},
		"not YAML":                {"questions: [", "en", QuizText{Question: "q1", Field: FieldText}},
		"a bad language":          {blockQuiz, "EN", QuizText{Question: "q1", Field: FieldText}},
	} {
		if _, err := SetQuizTexts([]byte(tt.quiz), tt.lang, map[QuizText]string{tt.q: "x"}); err == nil {
			t.Errorf("%s: no error", name)
		} else if name != "not YAML" && name != "a bad language" && !errors.Is(err, ErrCannotEdit) {
			t.Errorf("%s: %v, want ErrCannotEdit", name, err)
		}
	}
}

func TestSetLessonTitles(t *testing.T) {
	out, err := SetLessonTitles([]byte(validCourse), "en", map[string]string{"first": "The start, \"first\"", "second": "Two"})
	if err != nil {
		t.Fatal(err)
	}
	c := loadWith(t, out)
	if c.Lessons[0].Title["en"] != `The start, "first"` || c.Lessons[1].Title["en"] != "Two" || c.Lessons[0].Title["fr"] != "Premier" {
		t.Fatalf("titles: %+v, %+v\n%s", c.Lessons[0].Title, c.Lessons[1].Title, out)
	}
	if _, err := SetLessonTitles([]byte(validCourse), "bm", map[string]string{"first": "Fɔlɔ"}); !errors.Is(err, ErrCannotEdit) {
		t.Errorf("adding a language to a flow mapping: %v", err)
	}
	block := strings.Replace(validCourse, "    title: {fr: Premier, en: First}", "    title:\n      fr: Premier\n      en: First", 1)
	out, err = SetLessonTitles([]byte(block), "bm", map[string]string{"first": "Fɔlɔ"})
	if err != nil || !strings.Contains(string(out), "      en: First\n      bm: \"Fɔlɔ\"\n") {
		t.Fatalf("adding bm: %v\n%s", err, out)
	}
	if _, err := SetLessonTitles([]byte(validCourse), "en", map[string]string{"nope": "x"}); !errors.Is(err, ErrCannotEdit) {
		t.Errorf("an unknown lesson: %v", err)
	}
}

func TestSetCourseTexts(t *testing.T) {
	out, err := SetCourseTexts([]byte(validCourse), "en", "New title", "")
	if err != nil {
		t.Fatal(err)
	}
	c := loadWith(t, out)
	if c.Title["en"] != "New title" || c.Summary["en"] != "Summary" || c.Title["fr"] != "Titre" {
		t.Fatalf("title %+v, summary %+v", c.Title, c.Summary)
	}
	out, err = SetCourseTexts([]byte(validCourse), "bm", "Kalan", "Kalan kɔrɔ.")
	if err != nil || !strings.Contains(string(out), "  en: Title\n  bm: \"Kalan\"\n") || !strings.Contains(string(out), "  en: Summary\n  bm: \"Kalan kɔrɔ.\"\n") {
		t.Fatalf("adding bm: %v\n%s", err, out)
	}
}

// The parser counts columns in characters: an edit after multi-byte text
// on the same line lands on the value, not bytes before it.
func TestSetQuizTextsAfterMultiByteText(t *testing.T) {
	quiz := strings.Replace(blockQuiz, `        text: {fr: B, en: "B, really"}`, `        text: {fr: "Ɛɛ ɲ ŋ é", en: "B, really"}`, 1)
	out, err := SetQuizTexts([]byte(quiz), "en", map[QuizText]string{{Question: "q1", Option: "b", Field: FieldText}: "Bee"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `        text: {fr: "Ɛɛ ɲ ŋ é", en: "Bee"}`) {
		t.Fatalf("got\n%s", out)
	}
}
