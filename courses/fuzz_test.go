package courses

import (
	"maps"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary course.yaml, quiz.yaml, lesson text and
// lesson recording to the parser: it must never panic, and must either return a course or explain
// itself with path:line problems inside the folder.
func FuzzLoad(f *testing.F) {
	ogg := recording(f, "opus.ogg")
	f.Add(validCourse, validQuiz, "Bonjour.\n\n![Un schéma](../media/d.svg)\n", ogg)
	f.Add("audience: [police", "questions: {", "![](../../../etc/passwd)", []byte{})
	f.Add("a: &x [1]\nb: *x\n", "questions:\n  - id: q\n    options: []\n", "<b>html</b>", ogg[:100])
	f.Add("lessons:\n  - id: first\n    title: {fr: '', en: 1}\n", "draw: -1\n", "# Title\n[link](second.fr.md)", []byte("ID3"))
	f.Add(validCourse, "draw: 1\nmax_attempts: 0\nquestions:\n"+single("a", "Longue", "B")+trueFalse("t", false, "false", "true")+trueFalse("u", true, "x", "y"), "Bonjour.\n", recording(f, "plain.mp3"))
	f.Add(validCourse, validQuiz, "Mɔgɔ feereli ([traite des personnes]{lang=fr}), [x]{lang=zz-}, ]{lang=fr} [a [b]{lang=en}", ogg)
	f.Add(validCourse, quizWithAudio, "[Écouter](first.fr.opus)\n", ogg)
	f.Add(validCourse, strings.Replace(quizWithAudio, "q1.fr.opus", "../first.fr.opus", 1), "Bonjour.\n", ogg)
	f.Add(validCourse, strings.Replace(quizWithAudio, "{fr: q1.fr.opus}", "[q1.fr.opus]", 1), "Bonjour.\n", ogg)
	base := withRecordings(f)
	f.Fuzz(func(t *testing.T, courseYAML, quizYAML, lesson string, recordingData []byte) {
		fsys := maps.Clone(base) // entries are replaced below, never changed
		fsys["demo/course.yaml"] = &fstest.MapFile{Data: []byte(courseYAML)}
		fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(quizYAML)}
		fsys["demo/lessons/first.fr.md"] = &fstest.MapFile{Data: []byte(lesson)}
		fsys["demo/lessons/first.fr.opus"] = &fstest.MapFile{Data: recordingData}
		if text := PlainText(lesson); strings.Contains(text, "\n\n") {
			t.Fatalf("PlainText gave an empty paragraph: %q", text)
		}
		c, problems := Load(fsys, "demo")
		if (c == nil) == (len(problems) == 0) {
			t.Fatalf("course %v with problems %v: want exactly one of them", c, problems)
		}
		for _, p := range problems {
			if p.Line < 1 || !strings.HasPrefix(p.Path, "demo/") || p.Message == "" {
				t.Fatalf("malformed problem %q", p)
			}
		}
		if c == nil {
			return
		}
		for _, l := range c.Lessons {
			for _, lang := range c.Languages {
				if l.Body[lang] == "" || l.Title[lang] == "" {
					t.Fatalf("valid course lacks lesson %q in %q", l.ID, lang)
				}
			}
		}
		for _, m := range c.Media {
			if strings.HasPrefix(m.Path, "..") || strings.HasPrefix(m.Path, "/") {
				t.Fatalf("media path %q escapes the course", m.Path)
			}
			if strings.HasPrefix(m.ContentType, "audio/") && m.Duration <= 0 {
				t.Fatalf("audio %q without a duration", m.Path)
			}
		}
		for _, l := range c.Lessons {
			for _, p := range l.Audio {
				if m, ok := c.MediaByPath(p); !ok || m.Duration <= 0 || m.Duration > MaxLessonRecording || m.Size > MaxLessonRecordingSize {
					t.Fatalf("lesson %s: recording %q: %+v", l.ID, p, m)
				}
			}
		}
		// The quality checks and the coverage take any course that loads.
		for _, p := range CheckQuality(fsys, "demo", c) {
			if p.Line < 1 || p.Path != "demo/quiz.yaml" || p.Message == "" || p.Severity == SeverityError {
				t.Fatalf("malformed advice %q", p)
			}
		}
		for _, ic := range CoverageByItem(c, []string{"fr", "bm"}) {
			if ic.Missing() < 0 || ic.Lessons.Present > ic.Lessons.Total || ic.Final.Present > ic.Final.Total {
				t.Fatalf("coverage %+v", ic)
			}
		}
		// A publication's edits of course.yaml either say they cannot be
		// made or give a course.yaml that loads with the change.
		edited := func(data []byte, err error) *Course {
			if err != nil {
				return nil
			}
			fsys["demo/course.yaml"] = &fstest.MapFile{Data: data}
			c2, problems := Load(fsys, "demo")
			if c2 == nil {
				t.Fatalf("edited course.yaml does not load: %v\n%s", problems, data)
			}
			return c2
		}
		for lang := range c.Translations {
			if c2 := edited(SetReviewed([]byte(courseYAML), lang)); c2 != nil && !c2.Translations[lang].Reviewed {
				t.Fatalf("%s not reviewed after SetReviewed", lang)
			}
		}
		if c.Quiz != nil && len(c.Quiz.Questions) > 0 {
			q := c.Quiz.Questions[0]
			value := "Fuzz \"x\" ‹é›\n"
			edits := map[QuizText]string{{Question: q.ID, Field: FieldText}: value}
			if len(q.Options) > 0 {
				edits[QuizText{Question: q.ID, Option: q.Options[0].ID, Field: FieldText}] = value
			}
			out, err := SetQuizTexts([]byte(quizYAML), "en", edits)
			fsys["demo/course.yaml"] = &fstest.MapFile{Data: []byte(courseYAML)}
			if err == nil {
				fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: out}
				c2, problems := Load(fsys, "demo")
				if c2 == nil {
					t.Fatalf("edited quiz.yaml does not load: %v\n%s", problems, out)
				}
				if c2.Quiz.Questions[0].Text["en"] != value || (len(q.Options) > 0 && c2.Quiz.Questions[0].Options[0].Text["en"] != value) {
					t.Fatalf("edited texts not read back:\n%s", out)
				}
				fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(quizYAML)}
			}
		}
		if len(c.Lessons) > 0 {
			title := "Fuzz \"title\" ɛ"
			if c2 := edited(SetLessonTitles([]byte(courseYAML), "en", map[string]string{c.Lessons[0].ID: title})); c2 != nil && c2.Lessons[0].Title["en"] != title {
				t.Fatalf("title after SetLessonTitles: %+v", c2.Lessons[0].Title)
			}
		}
		if _, had := c.Voices["bm"]; !had {
			if c2 := edited(AddVoice([]byte(courseYAML), "bm", "Awa \"A\"\n")); c2 != nil && c2.Voices["bm"].By != "Awa \"A\"\n" {
				t.Fatalf("voice after AddVoice: %+v", c2.Voices)
			}
		}
	})
}
