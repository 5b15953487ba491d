package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const quizWithAdvice = `draw: 2
questions:
  - id: q1
    text: {fr: Question}
    options:
      - {id: a, correct: true, text: {fr: La réponse la plus longue}}
      - {id: b, correct: false, text: {fr: Non}}
  - id: q2
    kind: true-false
    text: {fr: Affirmation}
    options:
      - {id: "true", correct: false, text: {fr: Vrai}}
      - {id: "false", correct: true, text: {fr: Faux}}
  - id: q3
    kind: true-false
    text: {fr: Autre affirmation}
    options:
      - {id: "true", correct: false, text: {fr: Vrai}}
      - {id: "false", correct: true, text: {fr: Faux}}
`

func TestCoursesCheckPrintsAdvice(t *testing.T) {
	dir := t.TempDir()
	writeCourse(t, dir, "good", goodCourse, "Bonjour.\n")
	if err := os.WriteFile(filepath.Join(dir, "good", "quiz.yaml"), []byte(quizWithAdvice), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := kalan(context.Background(), nil, "courses", "check", dir)
	if err != nil {
		t.Fatalf("warnings failed the check: %v\n%s", err, errOut)
	}
	quiz := filepath.Join(dir, "good", "quiz.yaml")
	for _, want := range []string{
		quiz + ":1: warning: draw: the final-quiz pool has 3 questions for draw 2",
		quiz + ":1: note: no max_attempts, so no attempt limit",
		quiz + ":2: warning: longest-answer cue",
		quiz + ":2: warning: true-false balance",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr:\n%s\nwant a line starting\n%s", errOut, want)
		}
	}
	if !strings.Contains(out.String(), "good: ok (1 lessons, languages [fr]; 3 warnings; 1 note)") {
		t.Errorf("stdout: %q", out)
	}
}

func TestCoursesCoverage(t *testing.T) {
	dir := t.TempDir()
	writeCourse(t, dir, "good", goodCourse, "Bonjour.\n")
	if err := os.WriteFile(filepath.Join(dir, "good", "quiz.yaml"), []byte(quizWithAdvice), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := kalan(context.Background(), nil, "courses", "coverage", dir)
	if err != nil {
		t.Fatalf("coverage: %v\n%s", err, errOut)
	}
	for _, want := range []string{
		"good (source language fr)",
		"quiz: pool 3 / draw 2 = 1.5× (!) below 3×, needs 6; longest option is the key in 1/1 single-choice (100 %) (!); \"true\" is the key in 0/2 true-false (0 %) (!) outside 40–60 %; attempts unlimited, wait 0 min",
		"language  state   lessons  checks  final  media  reviewed  produced by",
		"fr        source  1/1      -       3/3    -      no        test",
		"en        absent  0/1      -       0/3    -      -         -",
		"en  lessons: one; final: q1, q2, q3",
		"unreviewed items: fr 4",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout:\n%s\nwant\n%s", out, want)
		}
	}

	// One course folder; the default folder, courses (the bundled ones).
	if out, errOut, err := kalan(context.Background(), nil, "courses", "coverage", filepath.Join(dir, "good")); err != nil || !strings.Contains(out.String(), "good (source") {
		t.Errorf("coverage of one course folder: %v\n%s%s", err, out, errOut)
	}
	t.Chdir("../..")
	out, errOut, err = kalan(context.Background(), nil, "courses", "coverage")
	if err != nil || !strings.Contains(out.String(), "detecting-trafficking-basics (source language fr)") {
		t.Errorf("coverage of courses: %v\n%s%s", err, out, errOut)
	}
}

func TestCoursesCoverageFailures(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := kalan(context.Background(), nil, "courses", "coverage", filepath.Join(dir, "missing")); err == nil || errors.Is(err, errUsage) {
		t.Errorf("missing folder: %v, want an error", err)
	}
	// A broken course: its problems, exit 1, and the good one's table.
	writeCourse(t, dir, "good", goodCourse, "Bonjour.\n")
	writeCourse(t, dir, "broken", strings.Replace(goodCourse, "audience: [ngo]", "audience: [ngo, police", 1), "Bonjour.\n")
	out, errOut, err := kalan(context.Background(), nil, "courses", "coverage", dir)
	var n errProblems
	if !errors.As(err, &n) || !strings.Contains(errOut.String(), filepath.Join(dir, "broken", "course.yaml")+":4: ") || !strings.Contains(out.String(), "good (source") {
		t.Errorf("broken course: %v\n%s%s", err, out, errOut)
	}
	// A course.yaml that cannot be read (a folder; chmod would not stop root).
	bad := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bad, "locked", "course.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := kalan(context.Background(), nil, "courses", "coverage", bad); err == nil || !strings.Contains(errOut.String(), "cannot read course.yaml") {
		t.Errorf("unreadable course.yaml: %v\n%s", err, errOut)
	}

	_, errOut, err = kalan(context.Background(), nil, "courses", "coverage", "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "Usage: kalan courses coverage [DIR]") {
		t.Errorf("--help: %v\n%s", err, errOut)
	}
	if _, _, err := kalan(context.Background(), nil, "courses", "coverage", "a", "b"); !errors.Is(err, errUsage) {
		t.Errorf("two folders: %v, want a usage error", err)
	}
	out, _, _ = kalan(context.Background(), nil, "courses", "--help")
	if !strings.Contains(out.String(), "kalan courses coverage [DIR]") {
		t.Errorf("courses --help does not list coverage:\n%s", out)
	}
}
