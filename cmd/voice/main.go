// Command voice makes the synthetic recordings of a course's lessons:
// espeak-ng reads each lesson (its title, then its text as plain
// sentences, courses.PlainText), and opusenc encodes it as mono Ogg Opus
// at 16 kbit/s into lessons/<id>.<lang>.opus, beside the lesson. Run it
// from anywhere in the repository:
//
//	go run ./cmd/voice                          # course 1, in French
//	go run ./cmd/voice -course courses/SLUG -lang en
//	go run ./cmd/voice -text                    # print what would be read, write nothing
//
// It needs espeak-ng and opusenc on the PATH (Debian: apt-get install -y
// espeak-ng opus-tools). With the same tool versions it gives the same
// bytes: every stream serial is derived from the lesson id. It checks
// each recording as `kalan courses check` will (by its bytes, and against
// the limits) before writing it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/internal/audio"
	"github.com/kalan-platform/kalan/internal/genfile"
)

// espeak-ng's voice for each language it speaks; it has none for
// Bambara (nor Fulfulde, Songhay, Soninké, Tamasheq).
var voices = map[string]string{"fr": "fr", "en": "en"}

// sayings are written forms a voice reads badly, and what to read
// instead.
var sayings = map[string][]string{
	"fr": {"n° ", "numéro ", "N° ", "numéro ", "OIM", "O I M", "OIT", "O I T", "CEDEAO", "Cédéao"},
	"en": {"No. ", "number ", "IOM", "I O M", "ILO", "I L O", "ECOWAS", "Ecowas"},
}

const (
	wordsPerMinute = 150 // calm: French is a second language for many learners
	bitrate        = 16  // kbit/s: see courses/README.md, "Recordings"
	credit         = "Projet Kalan / Kalan project"
	licence        = "CC BY 4.0"
)

func main() {
	dir := flag.String("course", "courses/detecting-trafficking-basics", "the course `folder`, relative to the repository")
	lang := flag.String("lang", "fr", "the `language` of the lessons to read (fr or en)")
	textOnly := flag.Bool("text", false, "print the text each lesson's recording reads, and write nothing")
	flag.Parse()
	if err := run(*dir, *lang, *textOnly); err != nil {
		fmt.Fprintln(os.Stderr, "voice:", err)
		os.Exit(1)
	}
}

func run(dir, lang string, textOnly bool) error {
	voice, ok := voices[lang]
	if !ok {
		return fmt.Errorf("espeak-ng has no voice for %q: record those lessons instead", lang)
	}
	root, err := genfile.RepoRoot()
	if err != nil {
		return err
	}
	folder := filepath.Join(root, filepath.FromSlash(dir))
	// The recordings are left out of the course read: an old recording
	// with a problem must not stop its own replacement.
	c, problems := courses.Load(withoutRecordings{os.DirFS(filepath.Dir(folder))}, filepath.Base(folder))
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
		}
		return errors.New("the course has problems: fix them first (kalan courses check)")
	}
	if !textOnly {
		for _, tool := range []string{"espeak-ng", "opusenc"} {
			if _, err := exec.LookPath(tool); err != nil {
				return fmt.Errorf("%s is not on the PATH (Debian: apt-get install -y espeak-ng opus-tools)", tool)
			}
		}
	}
	for _, l := range c.Lessons {
		body, used := l.Body.Get(lang)
		if used != lang {
			return fmt.Errorf("lesson %s has no text in %q", l.ID, lang)
		}
		text := speakable(lang, courses.PlainText(l.Title.String(lang)+"\n\n"+body))
		if textOnly {
			fmt.Printf("== %s\n%s\n\n", l.ID, text)
			continue
		}
		data, err := speak(text, voice, lang, l.Title.String(lang), l.ID)
		if err != nil {
			return fmt.Errorf("lesson %s: %w", l.ID, err)
		}
		info, err := audio.Inspect(data)
		switch {
		case err != nil:
			return fmt.Errorf("lesson %s: %w", l.ID, err)
		case info.Duration > courses.MaxLessonRecording || len(data) > courses.MaxLessonRecordingSize:
			return fmt.Errorf("lesson %s: %v and %d bytes, over the limits: shorten the lesson", l.ID, info.Duration, len(data))
		}
		name := courses.RecordingFile(l.ID, lang, ".opus")
		if err := genfile.Write(filepath.Join(folder, filepath.FromSlash(name)), data); err != nil {
			return err
		}
		fmt.Printf("wrote %-52s %6.1f KB %5.1f s %4.1f kbit/s\n", name, float64(len(data))/1024, info.Duration.Seconds(),
			float64(len(data))*8/info.Duration.Seconds()/1000)
	}
	return nil
}

// speakable replaces what the voice reads badly.
func speakable(lang, text string) string {
	return strings.NewReplacer(sayings[lang]...).Replace(text)
}

// speak reads text with espeak-ng and encodes it with opusenc, mono, at
// the bitrate above, with a stream serial made from the lesson id.
func speak(text, voice, lang, title, id string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "kalan-voice-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	txt, wav, ogg := filepath.Join(tmp, "lesson.txt"), filepath.Join(tmp, "lesson.wav"), filepath.Join(tmp, "lesson.opus")
	if err := os.WriteFile(txt, []byte(text), 0o600); err != nil {
		return nil, err
	}
	say := exec.Command("espeak-ng", "-v", voice, "-s", fmt.Sprint(wordsPerMinute), "-g", "4", "-w", wav, "-f", txt)
	if out, err := say.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %w: %s", err, out)
	}
	serial := fnv.New32a()
	serial.Write([]byte(id))
	encode := exec.Command("opusenc", "--quiet", "--bitrate", fmt.Sprint(bitrate), "--downmix-mono",
		"--serial", fmt.Sprint(serial.Sum32()&0x7fffffff),
		"--title", title, "--artist", credit, "--comment", "LANGUAGE="+lang,
		"--comment", "LICENSE="+licence, "--comment", "SYNTHETIC=espeak-ng voice "+voice,
		wav, ogg)
	if out, err := encode.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("opusenc: %w: %s", err, out)
	}
	return os.ReadFile(ogg)
}

// withoutRecordings hides the lessons' recordings from a course folder.
type withoutRecordings struct{ fs.FS }

func (w withoutRecordings) Open(name string) (fs.File, error) {
	if isLessonRecording(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return w.FS.Open(name)
}

func (w withoutRecordings) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(w.FS, name)
	if err != nil {
		return nil, err
	}
	var out []fs.DirEntry
	for _, e := range entries {
		if !isLessonRecording(path.Join(name, e.Name())) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (w withoutRecordings) Stat(name string) (fs.FileInfo, error) {
	if isLessonRecording(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrNotExist}
	}
	return fs.Stat(w.FS, name)
}

func isLessonRecording(name string) bool {
	return path.Base(path.Dir(name)) == "lessons" && courses.IsRecording(name)
}
