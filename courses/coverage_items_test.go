package courses

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCoverageByItem(t *testing.T) {
	fsys := course()
	// A Bambara version of the diagram, and a file whose name looks like a
	// translation but translates nothing.
	fsys["demo/media/d.bm.svg"] = &fstest.MapFile{Data: []byte(svg)}
	fsys["demo/media/only.bm.svg"] = &fstest.MapFile{Data: []byte(svg)}
	fsys["demo/lessons/second.fr.md"] = &fstest.MapFile{Data: []byte("Deux.\n\n![Logo](../media/only.bm.svg)\n")}
	// q1 is in Bambara but for its feedback; q2 wholly; the knowledge
	// check not (nor its scenario).
	quiz := strings.Replace(validQuiz, "text: {fr: Q, en: Q}", "text: {fr: Q, en: Q, bm: Q}", 1)
	quiz = strings.Replace(quiz, "text: {fr: A, en: A}", "text: {fr: A, en: A, bm: A}", 1)
	quiz = strings.Replace(quiz, "text: {fr: B, en: B}", "text: {fr: B, en: B, bm: B}", 1)
	quiz += "  - id: q2\n    text: {fr: Q, en: Q, bm: Q}\n    options:\n" +
		"      - {id: a, correct: true, text: {fr: A, en: A, bm: A}, feedback: {fr: F, en: F, bm: F}}\n" +
		"      - {id: b, correct: false, text: {fr: B, en: B, bm: B}}\n"
	fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(quiz)}
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	got := CoverageByItem(c, []string{"fr", "ff", "bm", "not a language"})
	var langs []string
	for _, ic := range got {
		langs = append(langs, ic.Lang)
	}
	if !slices.Equal(langs, []string{"fr", "en", "bm", "ff"}) {
		t.Fatalf("languages %v: want the source, the course's, then the others sorted", langs)
	}
	fr, en, bm, ff := got[0], got[1], got[2], got[3]
	media := []string{"media/d.svg", "media/only.bm.svg"}

	if !fr.Source || !fr.Complete || !fr.Reviewed || fr.By != "team" || fr.Missing() != 0 || fr.Unreviewed() != 0 ||
		fr.Lessons.Total != 2 || fr.Checks.Total != 1 || fr.Final.Total != 2 || fr.Media.Total != 2 {
		t.Errorf("fr: %+v", fr)
	}
	if en.Source || !en.Complete || en.Reviewed || !en.Declared || en.Lessons.Present != 2 || en.Checks.Present != 1 || en.Final.Present != 2 ||
		en.Media.Present != 0 || !slices.Equal(en.Media.Missing, media) || en.Unreviewed() != 5 {
		t.Errorf("en: %+v", en)
	}
	if bm.Complete || bm.Declared || !slices.Equal(bm.Lessons.Missing, []string{"first"}) || !slices.Equal(bm.Checks.Missing, []string{"check"}) ||
		!slices.Equal(bm.Final.Missing, []string{"q1"}) || bm.Final.Present != 1 ||
		!slices.Equal(bm.Media.Missing, []string{"media/only.bm.svg"}) || bm.Media.Present != 1 || bm.Unreviewed() != 3 || bm.Missing() != 4 {
		t.Errorf("bm: %+v", bm)
	}
	if ff.Lessons.Present+ff.Checks.Present+ff.Final.Present+ff.Media.Present != 0 || ff.Missing() != 7 || ff.Declared {
		t.Errorf("ff: %+v", ff)
	}

	// No quiz, no media: nothing to count but lessons.
	delete(fsys, "demo/quiz.yaml")
	c, _ = Load(fsys, "demo")
	if got := CoverageByItem(c, nil); len(got) != 3 || got[0].Checks.Total != 0 || got[0].Final.Total != 0 {
		t.Errorf("no quiz: %+v", got)
	}
}
