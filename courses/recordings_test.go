package courses

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// recording reads a real little recording made for package audio's
// tests (two seconds of espeak-ng).
func recording(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../internal/audio/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// quizWithAudio is validQuiz with recordings on its first question and
// one option.
const quizWithAudio = `draw: 1
questions:
  - id: q1
    kind: single
    text: {fr: Q, en: Q}
    audio: {fr: q1.fr.opus}
    options:
      - id: a
        correct: true
        text: {fr: A, en: A}
        audio: {fr: q1-a.fr.mp3, en: q1-a.en.m4a}
      - id: b
        correct: false
        text: {fr: B, en: B}
`

// voices says who speaks the demo course's recordings.
const voices = "voices:\n  fr: {by: espeak-ng, synthetic: true}\n  en: {by: Awa Traoré, synthetic: false}\n"

// withVoices is the demo course, saying who speaks its recordings.
func withVoices() fstest.MapFS {
	fsys := course()
	fsys["demo/course.yaml"] = &fstest.MapFile{Data: []byte(validCourse + voices)}
	return fsys
}

// withRecordings is the demo course with a French and an English
// recording of its first lesson, and recordings in its quiz.
func withRecordings(t testing.TB) fstest.MapFS {
	fsys := withVoices()
	fsys["demo/lessons/first.fr.opus"] = &fstest.MapFile{Data: recording(t, "opus.ogg")}
	fsys["demo/lessons/first.en.webm"] = &fstest.MapFile{Data: recording(t, "live.webm")}
	fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(quizWithAudio)}
	fsys["demo/media/q1.fr.opus"] = &fstest.MapFile{Data: recording(t, "opus.ogg")}
	fsys["demo/media/q1-a.fr.mp3"] = &fstest.MapFile{Data: recording(t, "cbr-id3.mp3")}
	fsys["demo/media/q1-a.en.m4a"] = &fstest.MapFile{Data: recording(t, "aac.m4a")}
	return fsys
}

func TestLoadRecordings(t *testing.T) {
	c, problems := Load(withRecordings(t), "demo")
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	first, _, _ := c.Lesson("first")
	if first.Audio["fr"] != "lessons/first.fr.opus" || first.Audio["en"] != "lessons/first.en.webm" || len(first.Audio) != 2 {
		t.Errorf("lesson audio %v", first.Audio)
	}
	if second, _, _ := c.Lesson("second"); second.Audio != nil {
		t.Errorf("second lesson has audio %v", second.Audio)
	}
	m, ok := c.Recording(first.Audio, "fr")
	if !ok || m.ContentType != "audio/ogg" || m.Size != int64(len(recording(t, "opus.ogg"))) || m.SHA256 == "" {
		t.Errorf("French recording %+v", m)
	}
	if d := m.Duration - 1947*time.Millisecond; d < -5*time.Millisecond || d > 5*time.Millisecond {
		t.Errorf("duration %v", m.Duration)
	}
	if m, _ := c.Recording(first.Audio, "en"); m.ContentType != "audio/webm" {
		t.Errorf("English recording %+v", m)
	}
	if _, ok := c.Recording(first.Audio, "bm"); ok {
		t.Error("a recording in Bambara, which has none: recordings never fall back")
	}
	q := c.Quiz.Questions[0]
	if q.Audio["fr"] != "media/q1.fr.opus" || q.Options[0].Audio["en"] != "media/q1-a.en.m4a" || q.Options[1].Audio != nil {
		t.Errorf("quiz audio %v %v %v", q.Audio, q.Options[0].Audio, q.Options[1].Audio)
	}
	for _, p := range []string{"lessons/first.fr.opus", "lessons/first.en.webm", "media/q1.fr.opus", "media/q1-a.fr.mp3", "media/q1-a.en.m4a"} {
		if m, ok := c.MediaByPath(p); !ok || m.Duration <= 0 {
			t.Errorf("media %s: %+v, %v", p, m, ok)
		}
	}
	for i := 1; i < len(c.Media); i++ {
		if c.Media[i-1].Path >= c.Media[i].Path {
			t.Errorf("media not sorted, or twice: %s, %s", c.Media[i-1].Path, c.Media[i].Path)
		}
	}
	if v := c.Voices["fr"]; v.By != "espeak-ng" || !v.Synthetic || c.Voices["en"].Synthetic {
		t.Errorf("voices %v", c.Voices)
	}
	// A recording is part of the course: changing it changes the hash.
	plain, _ := Load(course(), "demo")
	if plain.Hash == c.Hash {
		t.Error("recordings do not change the course hash")
	}
}

// longOgg is opus.ogg claiming to last d: its last page's granule
// position moved, its checksum made again.
func longOgg(t testing.TB, d time.Duration) []byte {
	b := bytes.Clone(recording(t, "opus.ogg"))
	last := bytes.LastIndex(b, []byte("OggS"))
	binary.LittleEndian.PutUint64(b[last+6:], uint64(312+d*48000/time.Second))
	binary.LittleEndian.PutUint32(b[last+22:], 0)
	var crc uint32
	for _, c := range b[last:] {
		crc ^= uint32(c) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04c11db7
			} else {
				crc <<= 1
			}
		}
	}
	binary.LittleEndian.PutUint32(b[last+22:], crc)
	return b
}

func TestRecordingProblems(t *testing.T) {
	ogg := recording(t, "opus.ogg")
	quizAudio := func(question, option string) string {
		return "draw: 1\nquestions:\n  - id: q1\n    text: {fr: Q, en: Q}\n" + question +
			"    options:\n      - id: a\n        correct: true\n        text: {fr: A, en: A}\n" + option +
			"      - id: b\n        correct: false\n        text: {fr: B, en: B}\n"
	}
	tests := []struct {
		name  string
		files map[string][]byte
		want  string
	}{
		{"extension lies", map[string][]byte{"lessons/first.fr.mp3": ogg},
			"demo/lessons/first.fr.mp3:1: recording lessons/first.fr.mp3: the name ends in .mp3 but the file is Ogg opus; name it .opus (or .ogg)"},
		{".opus holding Vorbis", map[string][]byte{"lessons/first.fr.opus": recording(t, "vorbis.ogg")},
			"demo/lessons/first.fr.opus:1: recording lessons/first.fr.opus: the name ends in .opus but the file is Ogg vorbis; name it .ogg"},
		{"matroska named webm", map[string][]byte{"lessons/first.fr.webm": recording(t, "audio.mka")},
			"demo/lessons/first.fr.webm:1: recording lessons/first.fr.webm: the name ends in .webm but the file is Matroska (export it as WebM)"},
		{"empty", map[string][]byte{"lessons/first.fr.opus": {}},
			"demo/lessons/first.fr.opus:1: recording lessons/first.fr.opus: the file is empty"},
		{"truncated", map[string][]byte{"lessons/first.fr.opus": ogg[:len(ogg)-10]},
			"demo/lessons/first.fr.opus:1: recording lessons/first.fr.opus: the file is cut short: Ogg page"},
		{"not audio", map[string][]byte{"lessons/first.fr.ogg": []byte("Bonjour.")},
			"demo/lessons/first.fr.ogg:1: recording lessons/first.fr.ogg: not a recording Kalan can serve (Ogg Opus or Vorbis, WebM, MP3 or M4A); record or export voice as Ogg Opus (mono, 16–24 kbit/s)"},
		{"video", map[string][]byte{"lessons/first.fr.m4a": recording(t, "video.mp4")},
			"demo/lessons/first.fr.m4a:1: recording lessons/first.fr.m4a: the file holds no sound track, or holds video"},
		{"too heavy", map[string][]byte{"lessons/first.fr.opus": append(bytes.Clone(ogg), make([]byte, MaxLessonRecordingSize)...)},
			"demo/lessons/first.fr.opus:1: recording lessons/first.fr.opus weighs 4.1 MB; a lesson's recording may weigh 4 MB at most"},
		{"too long", map[string][]byte{"lessons/first.fr.opus": longOgg(t, 10*time.Minute+2*time.Second)},
			"demo/lessons/first.fr.opus:1: recording lessons/first.fr.opus lasts 10 min 2 s; a lesson's recording may last 10 min at most"},
		{"two in a language", map[string][]byte{"lessons/first.fr.opus": ogg, "lessons/first.fr.ogg": ogg},
			"demo/lessons/first.fr.opus:1: lesson \"first\" has two recordings in \"fr\": lessons/first.fr.ogg and lessons/first.fr.opus; keep one"},
		{"unknown lesson", map[string][]byte{"lessons/third.fr.opus": ogg},
			"demo/lessons/third.fr.opus:1: no lesson \"third\" in course.yaml"},
		{"bad name", map[string][]byte{"lessons/first.french.opus": ogg},
			"demo/lessons/first.french.opus:1: unexpected file: lesson files are named lessons/<lesson id>.<language>.md, their recordings lessons/<lesson id>.<language>.opus"},
		{"quiz audio not a mapping", map[string][]byte{"quiz.yaml": []byte(quizAudio("    audio: q1.fr.opus\n", ""))},
			"demo/quiz.yaml:5: question \"q1\": audio: expected one file of media/ per language"},
		{"quiz audio bad language", map[string][]byte{"quiz.yaml": []byte(quizAudio("    audio: {french: q1.opus}\n", "")), "media/q1.opus": ogg},
			"demo/quiz.yaml:5: question \"q1\": audio: \"french\" is not a language code"},
		{"quiz audio missing", map[string][]byte{"quiz.yaml": []byte(quizAudio("    audio: {fr: q1.fr.opus}\n", ""))},
			"demo/quiz.yaml:5: question \"q1\": audio.fr: recording media/q1.fr.opus: file does not exist"},
		{"quiz audio with a path", map[string][]byte{"quiz.yaml": []byte(quizAudio("", "        audio: {fr: ../media/a.opus}\n"))},
			"demo/quiz.yaml:9: question \"q1\": option \"a\": audio.fr: \"../media/a.opus\" must be named inside media/"},
		{"quiz audio escapes", map[string][]byte{"quiz.yaml": []byte(quizAudio("", "        audio: {fr: x/../../a.opus}\n"))},
			"demo/quiz.yaml:9: question \"q1\": option \"a\": audio.fr: \"x/../../a.opus\" is not a file name inside media/"},
		{"quiz audio not a recording", map[string][]byte{"quiz.yaml": []byte(quizAudio("    audio: {fr: d.svg}\n", ""))},
			"demo/quiz.yaml:5: question \"q1\": audio.fr: \"d.svg\" is not a recording"},
		{"quiz audio too long", map[string][]byte{"quiz.yaml": []byte(quizAudio("", "        audio: {en: a.opus}\n")), "media/a.opus": longOgg(t, 61*time.Second)},
			"demo/quiz.yaml:9: question \"q1\": option \"a\": audio.en: recording media/a.opus lasts 1 min 1 s; a question's or an answer's recording may last 1 min at most"},
		{"quiz audio too heavy", map[string][]byte{"quiz.yaml": []byte(quizAudio("    audio: {fr: q.opus}\n", "")), "media/q.opus": append(bytes.Clone(ogg), make([]byte, MaxQuizRecordingSize)...)},
			"demo/quiz.yaml:5: question \"q1\": audio.fr: recording media/q.opus weighs 405 KB; a question's or an answer's recording may weigh 400 KB at most"},
		{"quiz audio lies", map[string][]byte{"quiz.yaml": []byte(quizAudio("    audio: {fr: q.m4a}\n", "")), "media/q.m4a": recording(t, "plain.mp3")},
			"demo/quiz.yaml:5: question \"q1\": audio.fr: recording media/q.m4a: the name ends in .m4a but the file is MP3; name it .mp3"},
		{"no voice said", map[string][]byte{"course.yaml": []byte(validCourse + "voices:\n  en: {by: Awa, synthetic: false}\n"), "lessons/first.fr.opus": ogg},
			"demo/course.yaml:22: voices: say who speaks the recordings in \"fr\", e.g. \"fr: {by: Awa Traoré, synthetic: false}\""},
		{"no voices at all", map[string][]byte{"course.yaml": []byte(validCourse), "quiz.yaml": []byte(quizAudio("    audio: {bm: q.opus}\n", "")), "media/q.opus": ogg},
			"demo/course.yaml:1: voices: say who speaks the recordings in \"bm\""},
		{"voice without synthetic", map[string][]byte{"course.yaml": []byte(validCourse + "voices:\n  fr: {by: Awa}\n")},
			"demo/course.yaml:23: voices.fr: missing \"synthetic\""},
		{"voices not a mapping", map[string][]byte{"course.yaml": []byte(validCourse + "voices: [fr]\n")},
			"demo/course.yaml:22: voices: expected one entry per language"},
		{"voice bad language", map[string][]byte{"course.yaml": []byte(validCourse + "voices:\n  French: {by: Awa, synthetic: false}\n")},
			"demo/course.yaml:23: voices: \"French\" is not a language code"},
		{"linked audio lies", map[string][]byte{"lessons/second.fr.md": []byte("[Spot](../media/spot.mp3)\n"), "media/spot.mp3": ogg},
			"demo/media/spot.mp3:1: media media/spot.mp3: the name ends in .mp3 but the file is Ogg opus; name it .opus (or .ogg)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := withVoices()
			for name, data := range tt.files {
				fsys["demo/"+name] = &fstest.MapFile{Data: data}
			}
			c, problems := Load(fsys, "demo")
			if c != nil {
				t.Fatal("a course with a bad recording loaded")
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("got %q\nwant one problem starting %q", got, tt.want)
			}
		})
	}
}

// A recording named by several questions is read and reported once.
func TestRecordingNamedTwice(t *testing.T) {
	fsys := withVoices()
	quiz := strings.Replace(quizWithAudio, "audio: {fr: q1-a.fr.mp3, en: q1-a.en.m4a}", "audio: {fr: q1.fr.opus}", 1)
	fsys["demo/quiz.yaml"] = &fstest.MapFile{Data: []byte(quiz)}
	fsys["demo/media/q1.fr.opus"] = &fstest.MapFile{Data: []byte("not audio")}
	_, problems := Load(fsys, "demo")
	if len(problems) != 1 || problems[0].Line != 6 {
		t.Errorf("problems %v, want one, at the first mention (line 6)", problems)
	}
	fsys["demo/media/q1.fr.opus"] = &fstest.MapFile{Data: recording(t, "opus.ogg")}
	c, problems := Load(fsys, "demo")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	n := 0
	for _, m := range c.Media {
		if m.Path == "media/q1.fr.opus" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("media/q1.fr.opus %d times in the media", n)
	}
}

func TestSizeAndDurationText(t *testing.T) {
	for n, want := range map[int64]string{1: "1 KB", 400 << 10: "400 KB", 1 << 20: "1 MB", 4<<20 + 1: "4.1 MB", 1536 << 10: "1.5 MB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{1500 * time.Millisecond: "2 s", time.Minute: "1 min", 62 * time.Second: "1 min 2 s", 1000 * time.Hour: "more than 100 hours"} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
	}
}
