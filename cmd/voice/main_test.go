package main

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kalan-platform/kalan/courses"
)

// The generator reads a course without its recordings, so that a broken
// old recording never stops its replacement; everything else is there.
func TestWithoutRecordingsHidesOnlyThem(t *testing.T) {
	fsys := fstest.MapFS{
		"demo/lessons/one.fr.md":   {Data: []byte("Un.")},
		"demo/lessons/one.fr.opus": {Data: []byte("broken")},
		"demo/lessons/one.en.mp3":  {Data: []byte("broken")},
		"demo/media/q.fr.opus":     {Data: []byte("a quiz recording: not a lesson's")},
	}
	w := withoutRecordings{fsys}
	entries, err := fs.ReadDir(w, "demo/lessons")
	if err != nil || len(entries) != 1 || entries[0].Name() != "one.fr.md" {
		t.Errorf("lessons listed: %v, %v", entries, err)
	}
	for _, name := range []string{"demo/lessons/one.fr.opus", "demo/lessons/one.en.mp3"} {
		if _, err := fs.Stat(w, name); err == nil {
			t.Errorf("%s is seen", name)
		}
		if _, err := w.Open(name); err == nil {
			t.Errorf("%s opens", name)
		}
	}
	if _, err := fs.ReadFile(w, "demo/media/q.fr.opus"); err != nil {
		t.Errorf("a media file is hidden: %v", err)
	}
}

func TestSpeakable(t *testing.T) {
	for lang, tc := range map[string][2]string{
		"fr": {"la loi n° 2012-023, selon l'OIM et l'OIT", "la loi numéro 2012-023, selon l'O I M et l'O I T"},
		"en": {"Law No. 2012-023 of the ILO", "Law number 2012-023 of the I L O"},
		"bm": {"n° OIM", "n° OIM"},
	} {
		if got := speakable(lang, tc[0]); got != tc[1] {
			t.Errorf("speakable(%s, %q) = %q, want %q", lang, tc[0], got, tc[1])
		}
	}
}

// What the bundled course 1 reads aloud: every French lesson, title
// first, no Markdown left.
func TestCourseOneText(t *testing.T) {
	c, problems := courses.Load(withoutRecordings{courses.Bundle()}, "detecting-trafficking-basics")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, l := range c.Lessons {
		text := speakable("fr", courses.PlainText(l.Title["fr"]+"\n\n"+l.Body["fr"]))
		if len(text) < 1000 || !strings.HasPrefix(text, strings.Join(strings.Fields(l.Title["fr"]), " ")) {
			t.Errorf("%s: %.80q", l.ID, text)
		}
		for _, markup := range []string{"**", "](", "## ", "{lang="} {
			if strings.Contains(text, markup) {
				t.Errorf("%s: %q left in the text read", l.ID, markup)
			}
		}
	}
}
