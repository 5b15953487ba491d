package courses

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/kalan-platform/kalan/internal/audio"
)

// Limits of recordings (README "Recordings"). A lesson read aloud at a
// calm pace lasts 3 to 6 minutes; voice at 16–24 kbit/s weighs 120–180 KB
// a minute, so 4 MB leaves room for a plainer encoding. A question or an
// answer read aloud takes seconds.
const (
	MaxLessonRecording     = 10 * time.Minute
	MaxLessonRecordingSize = 4 << 20
	MaxQuizRecording       = 60 * time.Second
	MaxQuizRecordingSize   = 400 << 10
)

// recordingLimits are the bounds of one kind of recording, and its name
// in messages.
type recordingLimits struct {
	what     string
	duration time.Duration
	size     int64
}

var (
	lessonLimits = recordingLimits{"a lesson's recording", MaxLessonRecording, MaxLessonRecordingSize}
	quizLimits   = recordingLimits{"a question's or an answer's recording", MaxQuizRecording, MaxQuizRecordingSize}
)

// IsRecording reports whether a file name has the extension of a
// recording (.opus, .ogg, .webm, .mp3, .m4a).
func IsRecording(name string) bool {
	return slices.Contains(audio.Extensions(), strings.ToLower(path.Ext(name)))
}

// RecordingFile is the course-relative path of a lesson's recording in a
// language, with ext its extension (".opus").
func RecordingFile(id, lang, ext string) string { return "lessons/" + id + "." + lang + ext }

// parseRecordingFile splits "lessons/<id>.<lang>.<ext>" for the
// extensions of recordings.
func parseRecordingFile(p string) (id, lang string, ok bool) {
	if !IsRecording(p) {
		return "", "", false
	}
	name, found := strings.CutPrefix(strings.TrimSuffix(p, path.Ext(p)), "lessons/")
	if !found || strings.Contains(name, "/") {
		return "", "", false
	}
	i := strings.LastIndexByte(name, '.')
	if i < 0 || !ValidSlug(name[:i]) || !ValidLang(name[i+1:]) {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

// loadRecording reads a recording, checks it by its bytes against its
// name and the limits, and measures it. Problems go to report, which puts
// them where the author will look: the file itself for a lesson's
// recording, the line of quiz.yaml that names it for a question's.
func (l *loader) loadRecording(p string, lim recordingLimits, report func(format string, args ...any)) (Media, bool) {
	if m, ok := l.recordings[p]; ok {
		return m, m.Path != ""
	}
	l.recordings[p] = Media{}
	if err := l.noSymlink(p); err != nil {
		report("recording %s: %s", p, describe(err))
		return Media{}, false
	}
	info, err := fs.Stat(l.fsys, path.Join(l.dir, p))
	switch {
	case err != nil:
		report("recording %s: %s", p, describe(err))
		return Media{}, false
	case !info.Mode().IsRegular():
		report("recording %s: not a regular file", p)
		return Media{}, false
	case info.Size() > lim.size:
		report("recording %s weighs %s; %s may weigh %s at most", p, sizeText(info.Size()), lim.what, sizeText(lim.size))
		return Media{}, false
	}
	data, err := l.read(p, lim.size)
	if err != nil {
		report("recording %s: %s", p, describe(err))
		return Media{}, false
	}
	a, err := checkRecording(path.Ext(p), data, lim)
	switch {
	case errors.Is(err, ErrRecordingTooLong):
		report("recording %s lasts %s; %s may last %s at most", p, durationText(a.Duration), lim.what, durationText(lim.duration))
		return Media{}, false
	case err != nil:
		report("recording %s: %s", p, audioProblem(err))
		return Media{}, false
	}
	m := Media{Path: p, SHA256: l.files[p], Size: int64(len(data)), ContentType: a.ContentType, Duration: a.Duration}
	l.recordings[p] = m
	return m, true
}

// Why a recording within its container's rules is still refused
// (CheckLessonRecording; the audio package's errors say the rest).
var (
	ErrRecordingTooLong  = errors.New("courses: the recording lasts longer than the limit")
	ErrRecordingTooLarge = errors.New("courses: the recording weighs more than the limit")
)

// checkRecording checks a recording's bytes as a file named with ext:
// within lim's size, recognised by its bytes, named for what it is, and
// within lim's duration. With ErrRecordingTooLong it returns what it
// measured.
func checkRecording(ext string, data []byte, lim recordingLimits) (audio.Info, error) {
	if int64(len(data)) > lim.size {
		return audio.Info{}, ErrRecordingTooLarge
	}
	a, err := audio.Inspect(data)
	if err == nil {
		err = audio.CheckExtension(ext, a)
	}
	if err != nil {
		return audio.Info{}, err
	}
	if a.Duration > lim.duration {
		return a, ErrRecordingTooLong
	}
	return a, nil
}

// CheckLessonRecording checks a lesson's recording that did not come from
// a course folder (a reviewer's upload) exactly as `kalan courses check`
// checks lessons/<id>.<lang>.<ext>: the container by its bytes, against
// ext when the file had a name with an extension (one that lies is
// refused), and the limits MaxLessonRecording and MaxLessonRecordingSize.
// ext "" (a recording without a name) is judged by its bytes alone. It
// returns the recording and the extension it is stored under (".opus").
// The error wraps ErrRecordingTooLarge, ErrRecordingTooLong or one of
// package audio's.
func CheckLessonRecording(ext string, data []byte) (audio.Info, string, error) {
	if int64(len(data)) > lessonLimits.size {
		return audio.Info{}, "", ErrRecordingTooLarge
	}
	if ext == "" {
		a, err := audio.Inspect(data)
		if err != nil {
			return audio.Info{}, "", err
		}
		if ext = RecordingExtension(a); ext == "" {
			return audio.Info{}, "", audio.CheckExtension(ext, a) // Matroska: not what phones play
		}
	}
	ext = strings.ToLower(ext)
	a, err := checkRecording(ext, data, lessonLimits)
	if err != nil {
		return a, "", err
	}
	return a, ext, nil
}

// RecordingExtension is the extension a recording is named with in a
// course (".opus" for Ogg Opus, ".ogg", ".webm", ".mp3", ".m4a"), or ""
// for one a course cannot hold.
func RecordingExtension(a audio.Info) string {
	for _, ext := range audio.Extensions() {
		if audio.CheckExtension(ext, a) == nil {
			return ext
		}
	}
	return ""
}

// audioProblem is an error of package audio as a course problem says it.
func audioProblem(err error) string {
	msg := strings.ReplaceAll(err.Error(), "audio: ", "")
	if errors.Is(err, audio.ErrUnknown) {
		msg += "; record or export voice as Ogg Opus (mono, 16–24 kbit/s)"
	}
	return msg
}

// loadLessonRecording reads lessons/<id>.<lang>.<ext> for lesson i.
func (l *loader) loadLessonRecording(c *Course, i int, file, lang string) {
	ls := &c.Lessons[i]
	if prev, ok := ls.Audio[lang]; ok {
		l.problem(file, 1, "lesson %q has two recordings in %q: %s and %s; keep one", ls.ID, lang, prev, file)
		return
	}
	m, ok := l.loadRecording(file, lessonLimits, func(format string, args ...any) { l.problem(file, 1, format, args...) })
	if !ok {
		return
	}
	if ls.Audio == nil {
		ls.Audio = map[string]string{}
	}
	ls.Audio[lang] = file
	c.Media = append(c.Media, m)
}

// sizeText says a size for course authors: "380 KB", "4.2 MB".
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KB", (n+1023)>>10)
	}
	tenths := (n*10 + 1<<20 - 1) >> 20 // rounded up: 4 MB and a byte is "4.1 MB", not "4 MB"
	return strings.TrimSuffix(fmt.Sprintf("%d.%d", tenths/10, tenths%10), ".0") + " MB"
}

// durationText says a duration for course authors: "45 s", "10 min",
// "12 min 5 s".
func durationText(d time.Duration) string {
	if d > 100*time.Hour {
		return "more than 100 hours"
	}
	s := int64((d + time.Second - 1) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s%60 == 0:
		return fmt.Sprintf("%d min", s/60)
	}
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}

// checkVoices requires course.yaml to say who speaks the recordings of
// every language that has some, so that learners are told the truth
// about a synthetic voice.
func (l *loader) checkVoices(c *Course) {
	langs := map[string]bool{}
	for _, ls := range c.Lessons {
		for lang := range ls.Audio {
			langs[lang] = true
		}
	}
	if c.Quiz != nil {
		for _, q := range c.Quiz.Questions {
			for lang := range q.Audio {
				langs[lang] = true
			}
			for _, o := range q.Options {
				for lang := range o.Audio {
					langs[lang] = true
				}
			}
		}
	}
	for _, lang := range slices.Sorted(maps.Keys(langs)) {
		if _, ok := c.Voices[lang]; !ok {
			l.problem("course.yaml", l.voicesLine, "voices: say who speaks the recordings in %q, e.g. \"%s: {by: Awa Traoré, synthetic: false}\"", lang, lang)
		}
	}
}
