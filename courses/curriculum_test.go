package courses

import (
	"slices"
	"strings"
	"testing"
)

// TestBundledCurriculumShape holds the starter curriculum to what the
// project promised (docs/CURRICULUM.md, issue "starter curriculum"), so that a
// later edit cannot quietly break it.
func TestBundledCurriculumShape(t *testing.T) {
	list, problems := LoadAll(Bundle())
	if len(problems) > 0 {
		t.Fatalf("the bundled curriculum has problems: %v", problems)
	}
	want := []struct {
		slug   string
		access Access
		langs  []string // complete languages
	}{
		{"detecting-trafficking-basics", AccessPublic, []string{"fr", "en", "bm"}},
		{"children-at-risk", AccessCohort, []string{"fr", "en", "bm"}},
		{"victim-centred-interviews", AccessCohort, []string{"fr", "en", "bm"}},
	}
	if len(list) != len(want) {
		t.Fatalf("%d bundled courses, want %d", len(list), len(want))
	}
	for i, w := range want {
		c := list[i]
		t.Run(w.slug, func(t *testing.T) {
			if c.Slug != w.slug || c.Access != w.access || c.PassMark != 70 {
				t.Errorf("course %d: %s, access %s, pass mark %d", i, c.Slug, c.Access, c.PassMark)
			}
			for _, lang := range w.langs {
				if !slices.Contains(c.Languages, lang) {
					t.Errorf("not complete in %s", lang)
				}
			}
			if n := len(c.Lessons); n < 4 || n > 6 {
				t.Errorf("%d lessons, want 4 to 6", n)
			}
			for _, l := range c.Lessons {
				for _, lang := range w.langs {
					words := len(strings.Fields(l.Body[lang]))
					if words < 100 || words > 500 {
						t.Errorf("lesson %s in %s: %d words, want a phone screen or two", l.ID, lang, words)
					}
				}
			}
			last := c.Lessons[len(c.Lessons)-1]
			if !strings.Contains(last.Body["en"], "Sources") || !strings.Contains(last.Body["fr"], "Sources") {
				t.Error("the last lesson has no Sources section to trace the facts to")
			}
			svg := false
			for _, m := range c.Media {
				svg = svg || m.ContentType == "image/svg+xml"
			}
			if !svg {
				t.Error("no diagram made by the project (SVG)")
			}
			checkQuiz(t, c)
		})
	}
}

func checkQuiz(t *testing.T, c *Course) {
	t.Helper()
	q := c.Quiz
	if q == nil {
		t.Fatal("no quiz")
	}
	pool, checks := 0, map[string]int{}
	for _, qu := range q.Questions {
		if qu.Lesson == "" {
			pool++
			if qu.Review == "" {
				t.Errorf("final-quiz question %s names no lesson to review", qu.ID)
			}
		} else {
			checks[qu.Lesson]++
		}
		correct := 0
		for _, o := range qu.Options {
			if o.Correct {
				correct++
			}
			for _, lang := range c.Languages {
				if o.Feedback[lang] == "" {
					t.Errorf("question %s, option %s: no feedback in %s", qu.ID, o.ID, lang)
				}
			}
		}
		switch qu.Kind {
		case KindSingle, KindTrueFalse:
			if correct != 1 {
				t.Errorf("question %s (%s): %d correct options", qu.ID, qu.Kind, correct)
			}
		case KindMultiple:
			if correct < 1 {
				t.Errorf("question %s: no correct option", qu.ID)
			}
		}
	}
	if pool < 15 || q.Draw != 10 {
		t.Errorf("final pool %d (want at least 15), draw %d (want 10)", pool, q.Draw)
	}
	for _, l := range c.Lessons {
		if checks[l.ID] == 0 {
			t.Errorf("lesson %s has no knowledge check", l.ID)
		}
	}
	if len(q.Scenarios) == 0 {
		t.Error("no case scenario")
	}
}

func TestCoverage(t *testing.T) {
	c, problems := Load(course(), "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	got := CoverageOf(c, []string{"fr", "bm"})
	if len(got) != 3 { // bm and fr asked, en in the course
		t.Fatalf("coverage of %d languages: %+v", len(got), got)
	}
	bm, en, fr := got[0], got[1], got[2]
	if bm.Lang != "bm" || bm.Complete || bm.Lessons != 1 || bm.LessonsTotal != 2 || bm.Fallback != "fr" || bm.Texts != 0 {
		t.Errorf("bm: %+v", bm)
	}
	if !fr.Complete || fr.Lessons != 2 || fr.Texts != fr.TextsTotal || !fr.Reviewed || fr.By != "team" {
		t.Errorf("fr: %+v", fr)
	}
	if !en.Complete || en.Reviewed {
		t.Errorf("en: %+v", en)
	}
}

// The bundled final quizzes are ones a certificate can rest on (issue 17):
// no warning from the quality checks, pools of at least 30 and three times
// the draw, no longest-answer cue, balanced true-false keys, retakes that
// wait after three attempts; and every course is complete in French,
// English and Bambara, the Bambara marked as not yet reviewed.
func TestBundledQuizzesCertify(t *testing.T) {
	fsys := Bundle()
	list, problems := LoadAll(fsys)
	if len(problems) > 0 {
		t.Fatalf("problems in the bundled courses: %v", problems)
	}
	for _, c := range list {
		t.Run(c.Slug, func(t *testing.T) {
			for _, p := range CheckQuality(fsys, c.Slug, c) {
				if p.Severity != SeverityNote {
					t.Errorf("%s", p)
				}
			}
			q := QualityOf(c)
			if q.Pool < 30 || q.Pool < MinPoolPerDraw*q.Draw {
				t.Errorf("final pool %d for draw %d", q.Pool, q.Draw)
			}
			if q.LongestCue() || q.TrueUnbalanced() {
				t.Errorf("longest key %d/%d, true keys %d/%d", q.LongestKey, q.Single, q.TrueKeys, q.TrueFalse)
			}
			if q.AttemptsBeforeWait != 3 || q.WaitMinutes < 60 {
				t.Errorf("attempts before wait %d, wait %d min", q.AttemptsBeforeWait, q.WaitMinutes)
			}
			for _, lang := range []string{"fr", "en", "bm"} {
				if !slices.Contains(c.Languages, lang) {
					t.Errorf("not complete in %s", lang)
				}
			}
			if tr, ok := c.Translations["bm"]; !ok || tr.Reviewed {
				t.Errorf("the Bambara is not marked as an unreviewed draft: %+v", tr)
			}
		})
	}
}
