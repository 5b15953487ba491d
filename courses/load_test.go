package courses

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const validCourse = `languages: [fr, en]
title:
  fr: Titre
  en: Title
summary:
  fr: Résumé
  en: Summary
audience: [police, ngo]
duration_minutes: 30
pass_mark: 70
access: public
translations:
  fr: {by: team, reviewed: true}
  en: {by: team, reviewed: false}
lessons:
  - id: first
    title: {fr: Premier, en: First}
    minutes: 5
  - id: second
    title: {fr: Second, en: Second}
    required: false
`

const validQuiz = `draw: 1
scenarios:
  - id: market
    text: {fr: Au marché, en: At the market}
questions:
  - id: q1
    kind: single
    text: {fr: Q, en: Q}
    options:
      - id: a
        correct: true
        text: {fr: A, en: A}
        feedback: {fr: Oui, en: Yes}
      - id: b
        correct: false
        text: {fr: B, en: B}
  - id: check
    kind: true-false
    lesson: first
    scenario: market
    text: {fr: "Vrai ?", en: "True?"}
    options:
      - {id: "true", correct: true, text: {fr: Vrai, en: True}}
      - {id: "false", correct: false, text: {fr: Faux, en: False}}
`

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>`

// course returns a valid course folder "demo" that tests then break.
func course() fstest.MapFS {
	return fstest.MapFS{
		"demo/course.yaml":          {Data: []byte(validCourse)},
		"demo/quiz.yaml":            {Data: []byte(validQuiz)},
		"demo/lessons/first.fr.md":  {Data: []byte("Bonjour.\n\n![Un schéma](../media/d.svg)\n")},
		"demo/lessons/first.en.md":  {Data: []byte("Hello.\n\n![A diagram](../media/d.svg)\n\nSee [next](second.en.md).\n")},
		"demo/lessons/second.fr.md": {Data: []byte("Deux.\n")},
		"demo/lessons/second.en.md": {Data: []byte("Two.\n")},
		"demo/lessons/second.bm.md": {Data: []byte("Fila.\n")},
		"demo/media/d.svg":          {Data: []byte(svg)},
		"demo/media/unused.png":     {Data: []byte("not referenced, not checked")},
	}
}

func TestLoadValidCourse(t *testing.T) {
	c, problems := Load(course(), "demo")
	if len(problems) > 0 {
		t.Fatalf("problems in a valid course: %v", problems)
	}
	if c.Slug != "demo" || c.Access != AccessPublic || c.PassMark != 70 || c.DurationMinutes != 30 || c.Order != 100 {
		t.Errorf("metadata = %+v", c)
	}
	if got := c.Title.String("bm"); got != "Titre" {
		t.Errorf("bm title falls back to French: got %q", got)
	}
	if len(c.Lessons) != 2 || c.Lessons[0].Minutes != 5 || !c.Lessons[0].Required || c.Lessons[1].Required {
		t.Errorf("lessons = %+v", c.Lessons)
	}
	if c.Lessons[1].Body["bm"] != "Fila.\n" {
		t.Errorf("a lesson file in a language beyond languages is kept for readers: %q", c.Lessons[1].Body["bm"])
	}
	if len(c.Media) != 1 || c.Media[0].Path != "media/d.svg" || c.Media[0].ContentType != "image/svg+xml" || c.Media[0].Size != int64(len(svg)) || len(c.Media[0].SHA256) != 64 {
		t.Errorf("media = %+v", c.Media)
	}
	if c.Quiz == nil || c.Quiz.Draw != 1 || len(c.Quiz.Questions) != 2 || c.Quiz.Questions[1].Lesson != "first" || c.Quiz.Questions[1].Scenario != "market" {
		t.Errorf("quiz = %+v", c.Quiz)
	}
	if !c.Quiz.Questions[0].Options[0].Correct || c.Quiz.Questions[0].Options[0].Feedback["en"] != "Yes" {
		t.Errorf("options = %+v", c.Quiz.Questions[0].Options)
	}
	if c.Translations["en"].Reviewed || !c.Translations["fr"].Reviewed || c.Translations["en"].By != "team" {
		t.Errorf("translations = %+v", c.Translations)
	}
}

func TestReviewLesson(t *testing.T) {
	fsys := course()
	fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(validQuiz, "    kind: single\n", "    kind: single\n    review: second\n", 1))}
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 || c.Quiz.Questions[0].Review != "second" {
		t.Errorf("review = %q, problems %v", c.Quiz.Questions[0].Review, problems)
	}
}

func TestHashChangesWithContentOnly(t *testing.T) {
	a, ps := Load(course(), "demo")
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	b, _ := Load(course(), "demo")
	if a.Hash != b.Hash {
		t.Fatal("same files, different hash")
	}
	fsys := course()
	fsys["demo/media/unused.png"] = &fstest.MapFile{Data: []byte("changed but unused")}
	if c, _ := Load(fsys, "demo"); c.Hash != a.Hash {
		t.Error("a file the course does not use changed the hash")
	}
	for _, file := range []string{"demo/lessons/first.fr.md", "demo/media/d.svg", "demo/quiz.yaml", "demo/course.yaml"} {
		fsys := course()
		fsys[file] = &fstest.MapFile{Data: append(append([]byte(nil), fsys[file].Data...), '\n')}
		c, ps := Load(fsys, "demo")
		if len(ps) > 0 {
			t.Fatalf("%s: %v", file, ps)
		}
		if c.Hash == a.Hash {
			t.Errorf("changing %s kept the hash", file)
		}
	}
}

func TestLoadReportsProblems(t *testing.T) {
	tests := []struct {
		name string
		file string // file to replace (or add) in the demo course
		data string // new content; "" removes the file
		want string // expected problem, path:line: message prefix
	}{
		{"unclosed list", "course.yaml", strings.Replace(validCourse, "audience: [police, ngo]", "audience: [police, ngo\nduration_minutes: 30", 1), "demo/course.yaml:8: yaml: did not find expected ',' or ']'"},
		{"unknown key", "course.yaml", validCourse + "colour: red\n", `demo/course.yaml:22: unknown key "colour"`},
		{"missing key", "course.yaml", strings.Replace(validCourse, "pass_mark: 70\n", "", 1), `demo/course.yaml:1: missing "pass_mark"`},
		{"missing translation", "course.yaml", strings.Replace(validCourse, "  en: Summary\n", "", 1), `demo/course.yaml:5: summary: missing translation "en"`},
		{"bad access", "course.yaml", strings.Replace(validCourse, "access: public", "access: secret", 1), `demo/course.yaml:11: access: must be "public" or "cohort"`},
		{"pass mark range", "course.yaml", strings.Replace(validCourse, "pass_mark: 70", "pass_mark: 170", 1), `demo/course.yaml:10: pass_mark: must be between 1 and 100`},
		{"not a number", "course.yaml", strings.Replace(validCourse, "duration_minutes: 30", "duration_minutes: half an hour", 1), `demo/course.yaml:9: duration_minutes: expected a whole number`},
		{"unknown audience", "course.yaml", strings.Replace(validCourse, "[police, ngo]", "[police, army]", 1), `demo/course.yaml:8: audience: unknown audience "army"`},
		{"a lesson called quiz", "course.yaml", strings.Replace(validCourse, "id: second", "id: quiz", 1), `demo/course.yaml:19: lesson "quiz": the id "quiz" is the quiz's`},
		{"duplicate lesson", "course.yaml", validCourse + "  - id: first\n    title: {fr: X, en: X}\n", `demo/course.yaml:22: lesson "first": id appears twice`},
		{"bad lesson id", "course.yaml", strings.Replace(validCourse, "id: second", "id: ../second", 1), `demo/course.yaml:19: lesson "../second": id: "../second" must be lower-case`},
		{"no fallback language", "course.yaml", strings.Replace(validCourse, "languages: [fr, en]", "languages: [bm]", 1), `demo/course.yaml:1: languages: must include "fr" or "en"`},
		{"missing translations entry", "course.yaml", strings.Replace(validCourse, "  en: {by: team, reviewed: false}\n", "", 1), `demo/course.yaml:12: translations: say who produced "en"`},
		{"anchors", "course.yaml", strings.Replace(validCourse, "audience: [police, ngo]", "audience: &a [police, ngo]", 1), `demo/course.yaml:8: anchors and aliases are not supported`},
		{"empty course file", "course.yaml", "   \n", `demo/course.yaml:1: file is empty`},
		{"missing course file", "course.yaml", "", `demo/course.yaml:1: cannot read course.yaml: file does not exist`},
		{"missing lesson file", "lessons/second.en.md", "", `demo/course.yaml:19: lesson "second" has no file lessons/second.en.md for language "en"`},
		{"stray lesson file", "lessons/third.fr.md", "Trois", `demo/lessons/third.fr.md:1: no lesson "third" in course.yaml`},
		{"badly named file", "lessons/notes.txt", "x", `demo/lessons/notes.txt:1: unexpected file`},
		{"empty lesson", "lessons/first.fr.md", "\n \n", `demo/lessons/first.fr.md:1: lesson is empty`},
		{"not utf-8", "lessons/first.fr.md", "caf\xe9", `demo/lessons/first.fr.md:1: file is not UTF-8 text`},
		{"missing media", "lessons/first.fr.md", "Texte.\n\n![Schéma](../media/nope.svg)\n", `demo/lessons/first.fr.md:3: media "../media/nope.svg": file does not exist`},
		{"media escaping", "lessons/first.fr.md", "Texte.\n\n![x](../../other/secret.svg)\n", `demo/lessons/first.fr.md:3: media "../../other/secret.svg" is outside the course folder`},
		{"absolute media", "lessons/first.fr.md", "![x](/etc/passwd)\n", `demo/lessons/first.fr.md:1: media "/etc/passwd" must be relative`},
		{"remote image", "lessons/first.fr.md", "![x](https://example.org/a.png)\n", `demo/lessons/first.fr.md:1: image "https://example.org/a.png" must be a file in the course folder`},
		{"no alt text", "lessons/first.fr.md", "Texte.\n\n![](../media/d.svg)\n", `demo/lessons/first.fr.md:3: image "../media/d.svg" has no alt text`},
		{"level-one heading", "lessons/first.fr.md", "# Titre\n\nTexte.\n", `demo/lessons/first.fr.md:1: use ## for headings`},
		{"raw html", "lessons/first.fr.md", "Texte.\n\n<script>alert(1)</script>\n", `demo/lessons/first.fr.md:3: raw HTML is not rendered`},
		{"link to unknown lesson", "lessons/first.fr.md", "[x](third.fr.md)\n", `demo/lessons/first.fr.md:1: link "third.fr.md": no lesson "third"`},
		{"disallowed media type", "lessons/first.fr.md", "[x](../media/run.exe)\n", `demo/lessons/first.fr.md:1: media "../media/run.exe": type ".exe" is not allowed`},
		{"svg with script", "media/d.svg", `<svg><script>alert(1)</script></svg>`, `demo/media/d.svg:1: SVG must be an <svg> image without scripts`},
		{"png that is not", "lessons/first.fr.md", "![x](../media/unused.png)\n", `demo/media/unused.png:1: media media/unused.png is not a png file`},
		{"no correct answer", "quiz.yaml", strings.Replace(validQuiz, "correct: true\n        text: {fr: A", "correct: false\n        text: {fr: A", 1), `demo/quiz.yaml:9: question "q1": option set has no correct answer`},
		{"two correct in single", "quiz.yaml", strings.Replace(validQuiz, "      - id: b\n        correct: false", "      - id: b\n        correct: true", 1), `demo/quiz.yaml:9: question "q1": a single question has exactly one correct option, got 2`},
		{"duplicate question", "quiz.yaml", strings.Replace(validQuiz, "id: check", "id: q1", 1), `demo/quiz.yaml:17: question "q1": id appears twice in the course`},
		{"duplicate option", "quiz.yaml", strings.Replace(validQuiz, "- id: b", "- id: a", 1), `demo/quiz.yaml:14: question "q1": option "a": id appears twice in the question`},
		{"option without correct", "quiz.yaml", strings.Replace(validQuiz, "        correct: false\n        text: {fr: B", "        text: {fr: B", 1), `demo/quiz.yaml:14: question "q1": option "b": missing "correct"`},
		{"unknown lesson in quiz", "quiz.yaml", strings.Replace(validQuiz, "lesson: first", "lesson: tenth", 1), `demo/quiz.yaml:19: question "check": no lesson "tenth" in course.yaml`},
		{"unknown review lesson", "quiz.yaml", strings.Replace(validQuiz, "    kind: single\n", "    kind: single\n    review: tenth\n", 1), `demo/quiz.yaml:8: question "q1": no lesson "tenth" in course.yaml`},
		{"unknown scenario", "quiz.yaml", strings.Replace(validQuiz, "scenario: market", "scenario: bus", 1), `demo/quiz.yaml:20: question "check": no scenario "bus"`},
		{"draw above pool", "quiz.yaml", strings.Replace(validQuiz, "draw: 1", "draw: 5", 1), `demo/quiz.yaml:1: draw: 5 is more than the 1 questions`},
		{"bad kind", "quiz.yaml", strings.Replace(validQuiz, "kind: single", "kind: essay", 1), `demo/quiz.yaml:7: question "q1": kind must be`},
		{"true-false with three", "quiz.yaml", validQuiz + "      - {id: maybe, correct: false, text: {fr: P, en: M}}\n", `demo/quiz.yaml:22: question "check": a true-false question has exactly two options, got 3`},
		{"option text missing language", "quiz.yaml", strings.Replace(validQuiz, "text: {fr: B, en: B}", "text: {fr: B}", 1), `demo/quiz.yaml:16: question "q1": option "b": text: missing translation "en"`},
		{"quiz syntax", "quiz.yaml", "questions:\n  - id: [x\n", "demo/quiz.yaml:2: yaml: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := course()
			if tt.data == "" {
				delete(fsys, "demo/"+tt.file)
			} else {
				fsys["demo/"+tt.file] = &fstest.MapFile{Data: []byte(tt.data)}
			}
			c, problems := Load(fsys, "demo")
			if c != nil {
				t.Errorf("a course with problems was returned")
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
				if strings.HasPrefix(p.String(), tt.want) {
					return
				}
			}
			t.Errorf("want a problem starting with\n  %s\ngot\n  %s", tt.want, strings.Join(got, "\n  "))
		})
	}
}

func TestLoadAllKeepsGoodCourses(t *testing.T) {
	fsys := course()
	for name, f := range course() {
		fsys["other/"+strings.TrimPrefix(name, "demo/")] = f
	}
	fsys["other/course.yaml"] = &fstest.MapFile{Data: []byte("title: [")}
	fsys["README.md"] = &fstest.MapFile{Data: []byte("not a course")}
	fsys["testdata/x/course.yaml"] = &fstest.MapFile{Data: []byte("ignored")}
	fsys[".git/course.yaml"] = &fstest.MapFile{Data: []byte("ignored")}
	list, problems := LoadAll(fsys)
	if len(list) != 1 || list[0].Slug != "demo" {
		t.Errorf("courses = %v", list)
	}
	if len(problems) != 1 || !strings.HasPrefix(problems[0].String(), "other/course.yaml:1: yaml:") {
		t.Errorf("problems = %v", problems)
	}
}

func TestBadFolderName(t *testing.T) {
	fsys := fstest.MapFS{}
	for name, f := range course() {
		fsys["Demo_Course/"+strings.TrimPrefix(name, "demo/")] = f
	}
	_, problems := Load(fsys, "Demo_Course")
	if len(problems) == 0 || !strings.Contains(problems[0].String(), `folder name "Demo_Course" is not a valid slug`) {
		t.Errorf("problems = %v", problems)
	}
}

func TestSymlinkedMediaIsRefused(t *testing.T) {
	dir := t.TempDir()
	for name, f := range course() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(dir, "secret.svg")
	if err := os.WriteFile(outside, []byte(svg), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "demo", "media", "d.svg")
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	_, problems := Load(os.DirFS(dir), "demo")
	if len(problems) == 0 || !strings.Contains(problems[0].String(), "symbolic links are not allowed") {
		t.Errorf("problems = %v", problems)
	}
}

func TestLocalRef(t *testing.T) {
	tests := []struct {
		dest   string
		want   Ref
		local  bool
		hasErr bool
	}{
		{"../media/a.svg", Ref{Path: "media/a.svg"}, true, false},
		{"../media/a%20b.svg", Ref{Path: "media/a b.svg"}, true, false},
		{"other.fr.md", Ref{Path: "lessons/other.fr.md", Lesson: "other"}, true, false},
		{"https://example.org/x", Ref{}, false, false},
		{"mailto:someone@example.org", Ref{}, false, false},
		{"#section", Ref{}, false, false},
		{"", Ref{}, false, false},
		{"../../x.svg", Ref{}, true, true},
		{"..", Ref{}, true, true},
		{"/abs.svg", Ref{}, true, true},
		{"%zz", Ref{}, true, true},
	}
	for _, tt := range tests {
		ref, local, err := LocalRef(tt.dest)
		if ref != tt.want || local != tt.local || (err != nil) != tt.hasErr {
			t.Errorf("LocalRef(%q) = %+v, %v, %v; want %+v, %v, error %v", tt.dest, ref, local, err, tt.want, tt.local, tt.hasErr)
		}
	}
}

func TestTextFallback(t *testing.T) {
	tests := []struct {
		text      Text
		lang      string
		want, use string
	}{
		{Text{"fr": "Bonjour", "en": "Hello", "bm": "I ni ce"}, "bm", "I ni ce", "bm"},
		{Text{"fr": "Bonjour", "en": "Hello"}, "bm", "Bonjour", "fr"},
		{Text{"en": "Hello"}, "bm", "Hello", "en"},
		{Text{"en": "Hello"}, "zz", "Hello", "en"},
		{Text{"bm": "I ni ce"}, "fr", "", ""},
		{Text{}, "fr", "", ""},
	}
	for _, tt := range tests {
		got, used := tt.text.Get(tt.lang)
		if got != tt.want || used != tt.use {
			t.Errorf("%v.Get(%q) = %q, %q; want %q, %q", tt.text, tt.lang, got, used, tt.want, tt.use)
		}
	}
}
