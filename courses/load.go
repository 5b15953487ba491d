package courses

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Size limits: course files are small text; media are phone-sized.
const (
	maxYAMLSize   = 2 << 20
	maxLessonSize = 1 << 20
	maxMediaSize  = 64 << 20
)

// LoadAll reads every course folder directly under the root of fsys. It
// returns the courses without problems, and the problems of the others:
// one bad course does not hide the good ones.
func LoadAll(fsys fs.FS) ([]*Course, []Problem) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, []Problem{{Path: ".", Line: 1, Message: "cannot read the folder: " + errors.Unwrap(err).Error()}}
	}
	var (
		list     []*Course
		problems []Problem
	)
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		c, ps := Load(fsys, name)
		problems = append(problems, ps...)
		if c != nil {
			list = append(list, c)
		}
	}
	SortCatalog(list)
	return list, problems
}

// SortCatalog sorts courses in catalog order.
func SortCatalog(list []*Course) {
	sort.SliceStable(list, func(i, j int) bool { return CatalogLess(list[i], list[j]) })
}

// CatalogLess orders courses in the catalog: by Order, then slug.
func CatalogLess(a, b *Course) bool {
	if a.Order != b.Order {
		return a.Order < b.Order
	}
	return a.Slug < b.Slug
}

// IsCourseDir reports whether dir of fsys holds a course.yaml.
func IsCourseDir(fsys fs.FS, dir string) bool {
	_, err := fs.Stat(fsys, path.Join(dir, "course.yaml"))
	return err == nil
}

// loader reads one course folder.
type loader struct {
	fsys     fs.FS
	dir      string
	problems []Problem
	files    map[string]string // course-relative path → sha256 of every file the course is made of
	// recordings holds each recording read, checked once however many
	// questions name it (an empty Path: it has a problem).
	recordings map[string]Media
	voicesLine int // of course.yaml's voices key, for problems with it
}

// Load reads the course folder dir of fsys; the folder's base name is the
// course slug. The course is nil when there is any problem.
func Load(fsys fs.FS, dir string) (*Course, []Problem) {
	l := &loader{fsys: fsys, dir: dir, files: map[string]string{}, recordings: map[string]Media{}}
	c := l.load()
	if len(l.problems) > 0 {
		return nil, l.problems
	}
	return c, nil
}

func (l *loader) problem(file string, line int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	l.problems = append(l.problems, Problem{Path: path.Join(l.dir, file), Line: line, Message: fmt.Sprintf(format, args...)})
}

// read returns a file of the course folder, refusing symbolic links and
// files over max.
func (l *loader) read(file string, max int64) ([]byte, error) {
	full := path.Join(l.dir, file)
	if err := l.noSymlink(file); err != nil {
		return nil, err
	}
	info, err := fs.Stat(l.fsys, full)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > max {
		return nil, fmt.Errorf("larger than %d MiB", max>>20)
	}
	data, err := fs.ReadFile(l.fsys, full)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	l.files[file] = hex.EncodeToString(sum[:])
	return data, nil
}

// noSymlink refuses a path any of whose parts inside the course folder is a
// symbolic link: a link could pull a file from outside the folder.
func (l *loader) noSymlink(file string) error {
	p := l.dir
	for _, part := range strings.Split(file, "/") {
		p = path.Join(p, part)
		info, err := fs.Lstat(l.fsys, p)
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return errors.New("symbolic links are not allowed")
		}
	}
	return nil
}

func (l *loader) load() *Course {
	slug := path.Base(l.dir)
	if !ValidSlug(slug) {
		l.problem("course.yaml", 1, "folder name %q is not a valid slug (lower-case letters, digits and single hyphens)", slug)
	}
	data, err := l.read("course.yaml", maxYAMLSize)
	if err != nil {
		l.problem("course.yaml", 1, "cannot read course.yaml: %s", describe(err))
		return nil
	}
	c, lessonLines := l.parseCourse(data)
	if c == nil {
		return nil
	}
	c.Slug = slug
	l.loadLessons(c, lessonLines)
	if _, err := fs.Stat(l.fsys, path.Join(l.dir, "quiz.yaml")); err == nil {
		if data, err := l.read("quiz.yaml", maxYAMLSize); err != nil {
			l.problem("quiz.yaml", 1, "cannot read quiz.yaml: %s", describe(err))
		} else {
			c.Quiz = l.parseQuiz(data, c)
		}
	}
	l.checkVoices(c)
	// Lessons, their recordings and the quiz's add media in turn; a file
	// named twice is one file.
	slices.SortFunc(c.Media, func(a, b Media) int { return strings.Compare(a.Path, b.Path) })
	c.Media = slices.CompactFunc(c.Media, func(a, b Media) bool { return a.Path == b.Path })
	for _, p := range slices.Sorted(maps.Keys(l.files)) {
		c.Files = append(c.Files, File{Path: p, SHA256: l.files[p]})
	}
	c.Hash = HashFiles(c.Files)
	return c
}

// HashFiles fingerprints a course from the sorted list of its files and
// their contents: the same files give the same hash wherever they are read.
func HashFiles(files []File) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%s\n", f.Path, f.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// describe turns a file error into a short message without the full path.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "file does not exist"
	}
	return err.Error()
}

// validUTF8 reports a problem when data is not UTF-8 text.
func (l *loader) validUTF8(file string, data []byte) bool {
	if !utf8.Valid(data) {
		l.problem(file, 1, "file is not UTF-8 text")
		return false
	}
	return true
}
