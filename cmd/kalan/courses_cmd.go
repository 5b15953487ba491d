package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/server/catalog"
)

const coursesUsage = `Usage:
  kalan courses check [--coverage] DIR
                             validate every course folder under DIR (or the course folder DIR); writes nothing;
                             --coverage also lists, per course and language, what is translated, what falls back, what is unreviewed
  kalan courses coverage [DIR]
                             per course and language, the lessons, knowledge checks, final-quiz questions and media
                             present, missing (against the source language) and unreviewed, with the quiz figures (DIR: courses)
  kalan courses import DIR   validate, upload media, and publish a new version of each course that changed

Problems are printed as path:line: message; the exit status is 1 when there is any.
check also prints advice on the quizzes as path:line: warning: message (and note:), which does not fail it.
import uses the same configuration as serve (KALAN_DATA, KALAN_MONGODB_URI, KALAN_S3_*; see kalan serve --help).
`

func coursesCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, coursesUsage)
		return errUsage
	}
	switch args[0] {
	case "check":
		return coursesCheck(e, args[1:])
	case "import":
		return coursesImport(ctx, e, args[1:])
	case "coverage":
		return coursesCoverage(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, coursesUsage)
		return nil
	default:
		fmt.Fprintf(e.stderr, "kalan courses: unknown command %q\n\n%s", args[0], coursesUsage)
		return errUsage
	}
}

// errProblems reports that course folders have problems, already printed.
type errProblems int

func (n errProblems) Error() string {
	if n == 1 {
		return "1 problem found"
	}
	return fmt.Sprintf("%d problems found", int(n))
}

func coursesCheck(e env, args []string) error {
	fs := flag.NewFlagSet("courses check", flag.ContinueOnError)
	coverage := fs.Bool("coverage", false, "list the translation state of each course and language")
	if err := parseFlags(e, fs, args, "kalan courses check [--coverage] DIR"); err != nil {
		return err
	}
	dir, err := oneDir(e, fs)
	if err != nil {
		return err
	}
	ld, err := loadCourses(e, dir)
	for _, c := range ld.list {
		// The quiz-quality checks: advice, printed like problems, that
		// does not fail the check.
		warnings, notes := 0, 0
		for _, p := range courses.CheckQuality(ld.fsys, c.Slug, c) {
			ld.print(p)
			if p.Severity == courses.SeverityNote {
				notes++
			} else {
				warnings++
			}
		}
		fmt.Fprintf(e.stdout, "%s: ok (%d lessons, languages %v%s%s)\n", c.Slug, len(c.Lessons), c.Languages, recordingsNote(c), advice(warnings, notes))
	}
	list := ld.list
	if *coverage && len(list) > 0 {
		langs, lerr := interfaceLanguages()
		if lerr != nil {
			return lerr
		}
		printCoverage(e, list, langs)
	}
	return err
}

// printCoverage writes the translation state of each course, one line per
// language: complete or falling back (to which language), how much is
// there, who produced it and whether a native speaker reviewed it.
func printCoverage(e env, list []*courses.Course, langs []string) {
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "\ncourse\tlanguage\tstate\tlessons\ttexts\treviewed\tproduced by")
	for _, c := range list {
		for _, cv := range courses.CoverageOf(c, langs) {
			state := "complete"
			if !cv.Complete {
				state = "falls back to " + cv.Fallback
			}
			reviewed := "no"
			switch {
			case cv.Reviewed:
				reviewed = "yes"
			case cv.By == "":
				reviewed = "-"
			}
			by := cv.By
			if by == "" {
				by = "-"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%d/%d\t%d/%d\t%s\t%s\n", c.Slug, cv.Lang, state, cv.Lessons, cv.LessonsTotal, cv.Texts, cv.TextsTotal, reviewed, by)
		}
	}
	w.Flush()
}

func coursesImport(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("courses import", flag.ContinueOnError)
	cfg.bind(fs)
	if err := parseFlags(e, fs, args, "kalan courses import [flags] DIR"); err != nil {
		return err
	}
	dir, err := oneDir(e, fs)
	if err != nil {
		return err
	}
	cfg.fromEnv(fs, e.getenv)
	if err := cfg.validate(); err != nil {
		return err
	}
	ld, checkErr := loadCourses(e, dir)
	root, list := ld.fsys, ld.list
	if len(list) == 0 {
		return checkErr
	}
	// Import talks to the user through progress lines; only warnings of
	// the storage layers are worth a log line.
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := openStorage(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer st.close(ctx)
	im := catalog.NewImporter(st.store, st.blobs)
	im.Progress = func(format string, args ...any) { fmt.Fprintf(e.stdout, format+"\n", args...) }
	if _, err := im.Import(ctx, root, list); err != nil {
		return err
	}
	// Courses with problems were left out: the import still fails.
	return checkErr
}

// oneDir returns the single DIR argument.
func oneDir(e env, fs *flag.FlagSet) (string, error) {
	if fs.NArg() != 1 {
		fs.Usage()
		return "", errUsage
	}
	return fs.Arg(0), nil
}

// loaded is what loadCourses read.
type loaded struct {
	fsys   fs.FS // the folder that holds the course folders
	prefix string
	list   []*courses.Course
	stderr io.Writer
}

// print writes a problem, warning or note of a course in fsys as
// path:line: message, with the path as the user typed it.
func (ld loaded) print(p courses.Problem) {
	p.Path = filepath.Join(ld.prefix, filepath.FromSlash(p.Path))
	fmt.Fprintln(ld.stderr, p)
}

// loadCourses reads the courses under dir (or the course folder dir
// itself), prints every problem as path:line: message with paths as the
// user typed them, and returns the valid courses with the folder that holds
// them. The error is non-nil when any course has a problem.
func loadCourses(e env, dir string) (loaded, error) {
	ld := loaded{stderr: e.stderr}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return ld, fmt.Errorf("%s is not a folder", dir)
	}
	ld.fsys, ld.prefix = os.DirFS(dir), dir
	var problems []courses.Problem
	if courses.IsCourseDir(ld.fsys, ".") {
		// DIR is one course folder: load it from its parent so that the
		// folder name is the slug.
		abs, err := filepath.Abs(dir)
		if err != nil {
			return ld, err
		}
		ld.fsys, ld.prefix = os.DirFS(filepath.Dir(abs)), filepath.Dir(dir)
		c, ps := courses.Load(ld.fsys, filepath.Base(abs))
		problems = ps
		if c != nil {
			ld.list = append(ld.list, c)
		}
	} else {
		ld.list, problems = courses.LoadAll(ld.fsys)
	}
	for _, p := range problems {
		ld.print(p)
	}
	if len(problems) > 0 {
		return ld, errProblems(len(problems))
	}
	if len(ld.list) == 0 {
		return ld, fmt.Errorf("no course folder (with a course.yaml) in %s", dir)
	}
	return ld, nil
}

// advice counts warnings and notes for the ok line of a course.
func advice(warnings, notes int) string {
	s := ""
	for _, n := range []struct {
		count int
		word  string
	}{{warnings, "warning"}, {notes, "note"}} {
		switch {
		case n.count == 1:
			s += "; 1 " + n.word
		case n.count > 1:
			s += fmt.Sprintf("; %d %ss", n.count, n.word)
		}
	}
	return s
}

// recordingsNote says what the lessons' recordings of a course add up to,
// per language: "; recordings: fr 6 lessons, 15 min 19 s, 1.8 MB".
func recordingsNote(c *courses.Course) string {
	type total struct {
		n    int
		d    time.Duration
		size int64
	}
	per := map[string]*total{}
	for _, l := range c.Lessons {
		for lang, p := range l.Audio {
			m, _ := c.MediaByPath(p)
			if per[lang] == nil {
				per[lang] = &total{}
			}
			per[lang].n++
			per[lang].d += m.Duration
			per[lang].size += m.Size
		}
	}
	if len(per) == 0 {
		return ""
	}
	var parts []string
	for _, lang := range slices.Sorted(maps.Keys(per)) {
		t := per[lang]
		secs := int(t.d.Round(time.Second) / time.Second)
		parts = append(parts, fmt.Sprintf("%s %d lessons, %d min %d s, %.1f MB", lang, t.n, secs/60, secs%60, float64(t.size)/(1<<20)))
	}
	return "; recordings: " + strings.Join(parts, "; ")
}
