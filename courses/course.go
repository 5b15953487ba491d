// Package courses is the course file format: it reads a course folder
// (course.yaml, quiz.yaml, lessons/*.md, media) into a Course and reports
// every problem as path:line: message. It also embeds the bundled
// curriculum. It does no I/O beyond reading the fs.FS it is given.
package courses

import (
	"fmt"
	"regexp"
	"time"
)

// Access says who may read a course's lessons.
type Access string

// Access levels of a course.
const (
	AccessPublic Access = "public" // anyone, signed in or not
	AccessCohort Access = "cohort" // members of a cohort that includes the course
)

// Question kinds.
const (
	KindSingle    = "single"
	KindMultiple  = "multiple"
	KindTrueFalse = "true-false"
)

// Audiences a course can be written for; each has a message id
// "audience.<code>" in the locale files.
var audiences = []string{"police", "gendarmerie", "social-services", "labour-inspection", "ngo", "community"}

// Audiences returns the audience codes a course may declare.
func Audiences() []string { return append([]string(nil), audiences...) }

// Course is one course as read from its folder.
type Course struct {
	Slug            string
	Languages       []string // languages in which the course is complete
	Title           Text
	Summary         Text
	Audience        []string
	DurationMinutes int
	PassMark        int
	Access          Access
	Order           int
	Translations    map[string]Translation
	// Voices says, for each language that has recordings, who speaks
	// them; learners are told when the voice is synthetic.
	Voices  map[string]Voice
	Lessons []Lesson
	Quiz    *Quiz   // nil when the course has no quiz.yaml
	Media   []Media // sorted by Path
	// Files lists every file the course is made of, sorted by path: what
	// Hash fingerprints, and what an export writes back.
	Files []File
	// Hash fingerprints every file the course is made of, so an import can
	// tell whether anything changed.
	Hash string
}

// File is one file of a course folder.
type File struct {
	Path   string // relative to the course folder: "lessons/indicators.bm.md"
	SHA256 string // hex, of its bytes
}

// Translation records who produced one language of a course and whether a
// native speaker reviewed it.
type Translation struct {
	By       string
	Reviewed bool
}

// Voice is who speaks a language's recordings of a course.
type Voice struct {
	By        string
	Synthetic bool // made by a speech synthesiser, not recorded by a person
}

// Lesson is one lesson; Body holds its Markdown source per language.
type Lesson struct {
	ID       string
	Title    Text
	Minutes  int
	Required bool
	Body     Text
	// Audio names the lesson's recording in each language that has one:
	// the course-relative path of lessons/<id>.<lang>.<ext>.
	Audio map[string]string
}

// Quiz holds the knowledge checks and the final-quiz pool of a course.
type Quiz struct {
	Draw        int
	MaxAttempts int // 0 = unlimited
	WaitMinutes int // before each attempt after the first AttemptsBeforeWait ones
	// AttemptsBeforeWait attempts may follow one another at once; from the
	// next one on, each waits WaitMinutes after the previous submission
	// ("3 attempts, then a wait"). 0: every retake waits.
	AttemptsBeforeWait int
	Scenarios          []Scenario
	Questions          []Question
}

// Scenario is a short situation shared by several questions.
type Scenario struct {
	ID   string
	Text Text
}

// Question is one quiz question. A question with a Lesson is a knowledge
// check in that lesson; the others form the final-quiz pool.
type Question struct {
	ID       string
	Kind     string
	Lesson   string
	Scenario string
	Review   string // the lesson to read again when the answer is wrong
	Text     Text
	Options  []Option
	Audio    map[string]string // language → course-relative path of a recording ("media/…")
}

// Option is one answer of a question.
type Option struct {
	ID       string
	Correct  bool
	Text     Text
	Feedback Text
	Audio    map[string]string // language → course-relative path of a recording ("media/…")
}

// Media is a file of the course folder referenced from a lesson.
type Media struct {
	Path        string // relative to the course folder, e.g. "media/diagram.svg"
	SHA256      string // hex; the object-storage key derives from it
	Size        int64
	ContentType string
	Duration    time.Duration // of audio: measured from the file when checked
}

// Lesson returns the lesson with the given id.
func (c *Course) Lesson(id string) (Lesson, int, bool) {
	for i, l := range c.Lessons {
		if l.ID == id {
			return l, i, true
		}
	}
	return Lesson{}, -1, false
}

// MediaByPath returns the media file at a course-relative path.
func (c *Course) MediaByPath(p string) (Media, bool) {
	for _, m := range c.Media {
		if m.Path == p {
			return m, true
		}
	}
	return Media{}, false
}

// Recording returns the recording of paths (a lesson's, a question's or
// an option's Audio) in lang. There is no fallback: a recording speaks
// the words of one language, so it goes with text shown in that language.
func (c *Course) Recording(paths map[string]string, lang string) (Media, bool) {
	p, ok := paths[lang]
	if !ok {
		return Media{}, false
	}
	return c.MediaByPath(p)
}

// MediaIn returns the media file p as a lesson in lang shows it: its
// translation into lang when the course has one (media/x.bm.svg for
// media/x.svg), else its translation into the fallback languages in the
// order lesson text falls back (French, then English), else p itself.
func (c *Course) MediaIn(p, lang string) (Media, bool) {
	for _, l := range append([]string{lang}, fallbacks[:]...) {
		if m, ok := c.MediaByPath(MediaFile(p, l)); ok {
			return m, true
		}
	}
	return c.MediaByPath(p)
}

// Problem is one thing wrong with a course folder, or, with a Severity,
// a warning or note about it (CheckQuality).
type Problem struct {
	Path     string // relative to the folder that was checked
	Line     int    // 1-based; 1 when the problem concerns the whole file
	Message  string
	Severity string // SeverityError (""), SeverityWarning or SeverityNote
}

// String formats the problem as path:line: message, or path:line:
// warning: message for a warning or a note.
func (p Problem) String() string {
	if p.Severity != SeverityError {
		return fmt.Sprintf("%s:%d: %s: %s", p.Path, p.Line, p.Severity, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langPattern = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// ValidSlug reports whether s may name a course, lesson, question or option.
func ValidSlug(s string) bool { return len(s) <= 64 && idPattern.MatchString(s) }

// ValidLang reports whether s looks like a language code (fr, en, bm, ff…).
func ValidLang(s string) bool { return langPattern.MatchString(s) }
