package courses

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"testing/fstest"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/kalan-platform/kalan/internal/audio"
)

// mediaTypes maps the media extensions a course may use to their content
// type.
var mediaTypes = map[string]string{
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".webp": "image/webp", ".gif": "image/gif", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".opus": "audio/ogg",
	".m4a": "audio/mp4", ".mp4": "video/mp4", ".webm": "video/webm", ".pdf": "application/pdf",
}

// sniffed lists the types whose first bytes http.DetectContentType
// recognises, so a file is checked to be what its extension says.
var sniffed = []string{"image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf"}

// LessonFile is the course-relative path of a lesson in a language.
func LessonFile(id, lang string) string { return "lessons/" + id + "." + lang + ".md" }

// parseLessonFile splits "lessons/<id>.<lang>.md".
func parseLessonFile(p string) (id, lang string, ok bool) {
	name, found := strings.CutPrefix(p, "lessons/")
	if !found || strings.Contains(name, "/") {
		return "", "", false
	}
	name, found = strings.CutSuffix(name, ".md")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(name, '.')
	if i < 0 || !ValidSlug(name[:i]) || !ValidLang(name[i+1:]) {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

// Ref is where a link or image of a lesson points inside the course.
type Ref struct {
	Path   string // course-relative file path
	Lesson string // set when the file is a lesson: its id
}

var errOutside = errors.New("is outside the course folder")

// LocalRef resolves a destination written in a lesson file. local is false
// for web addresses and in-page anchors, which are left as they are.
func LocalRef(dest string) (ref Ref, local bool, err error) {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return Ref{}, false, nil
	}
	u, err := url.Parse(dest)
	if err != nil {
		return Ref{}, true, errors.New("is not a valid path")
	}
	if u.Scheme != "" || u.Host != "" {
		return Ref{}, false, nil
	}
	if strings.HasPrefix(u.Path, "/") {
		return Ref{}, true, errors.New("must be relative to the lesson file")
	}
	p := path.Join("lessons", u.Path)
	if p == ".." || strings.HasPrefix(p, "../") || p == "." || !fs.ValidPath(p) {
		return Ref{}, true, errOutside
	}
	if id, _, ok := parseLessonFile(p); ok {
		return Ref{Path: p, Lesson: id}, true, nil
	}
	return Ref{Path: p}, true, nil
}

// loadLessons reads every lesson file, checks it, and collects the media it
// references.
func (l *loader) loadLessons(c *Course, lines map[string]int) {
	entries, err := fs.ReadDir(l.fsys, path.Join(l.dir, "lessons"))
	if err != nil {
		l.problem("course.yaml", 1, "cannot read the lessons folder: %s", describe(err))
		return
	}
	media := map[string]bool{}
	for _, e := range entries {
		file := "lessons/" + e.Name()
		id, lang, ok := parseLessonFile(file)
		recording := false
		if !ok {
			id, lang, recording = parseRecordingFile(file)
			ok = recording
		}
		if !ok || e.IsDir() {
			l.problem(file, 1, "unexpected file: lesson files are named lessons/<lesson id>.<language>.md, their recordings lessons/<lesson id>.<language>.opus (or .ogg, .webm, .mp3, .m4a)")
			continue
		}
		_, i, ok := c.Lesson(id)
		if !ok {
			l.problem(file, 1, "no lesson %q in course.yaml", id)
			continue
		}
		if recording {
			l.loadLessonRecording(c, i, file, lang)
			continue
		}
		data, err := l.read(file, maxLessonSize)
		if err != nil {
			l.problem(file, 1, "cannot read: %s", describe(err))
			continue
		}
		if !l.validUTF8(file, data) {
			continue
		}
		if len(bytes.TrimSpace(data)) == 0 {
			l.problem(file, 1, "lesson is empty")
			continue
		}
		for _, p := range l.checkMarkdown(file, data, c) {
			media[p] = true
		}
		if c.Lessons[i].Body == nil {
			c.Lessons[i].Body = Text{}
		}
		c.Lessons[i].Body[lang] = string(data)
	}
	for _, ls := range c.Lessons {
		for _, lang := range c.Languages {
			if ls.Body[lang] == "" {
				l.problem("course.yaml", lines[ls.ID], "lesson %q has no file %s for language %q", ls.ID, LessonFile(ls.ID, lang), lang)
			}
		}
	}
	for _, p := range slices.Collect(maps.Keys(media)) {
		for _, t := range l.mediaTranslations(p) {
			media[t] = true
		}
	}
	for _, p := range slices.Sorted(maps.Keys(media)) {
		if m, ok := l.loadMedia(p); ok {
			c.Media = append(c.Media, m)
		}
	}
}

// parseLesson parses a lesson as the platform renders it, with its
// language spans, and returns the malformed span markers it holds.
func parseLesson(src []byte) (ast.Node, []spanIssue) {
	var issues []spanIssue
	pc := parser.NewContext()
	pc.Set(spanIssuesKey, &issues)
	doc := goldmark.New(goldmark.WithExtensions(LangSpans())).Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	return doc, issues
}

// MediaFile is the path of the translation of media file p into lang:
// media/act-means-purpose.svg in Bambara is media/act-means-purpose.bm.svg.
func MediaFile(p, lang string) string {
	ext := path.Ext(p)
	return strings.TrimSuffix(p, ext) + "." + lang + ext
}

// mediaTranslations lists the translations of media file p found beside
// it (media/x.bm.svg for media/x.svg): they are part of the course with it.
func (l *loader) mediaTranslations(p string) []string {
	entries, err := fs.ReadDir(l.fsys, path.Join(l.dir, path.Dir(p)))
	if err != nil {
		return nil
	}
	ext := path.Ext(p)
	stem := strings.TrimSuffix(path.Base(p), ext)
	var out []string
	for _, e := range entries {
		lang, ok := strings.CutPrefix(e.Name(), stem+".")
		if !ok || e.IsDir() {
			continue
		}
		if lang, ok = strings.CutSuffix(lang, ext); ok && ValidLang(lang) {
			out = append(out, path.Join(path.Dir(p), e.Name()))
		}
	}
	return out
}

// checkMarkdown parses a lesson and returns the media paths it references.
func (l *loader) checkMarkdown(file string, src []byte, c *Course) []string {
	doc, issues := parseLesson(src)
	for _, is := range issues {
		l.problem(file, 1+bytes.Count(src[:is.offset], []byte("\n")), "%s", is.message)
	}
	var media []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				l.problem(file, lineOf(src, n, nil), "use ## for headings: the lesson title comes from course.yaml")
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			l.problem(file, lineOf(src, n, nil), "raw HTML is not rendered: use Markdown")
		case *ast.Image:
			dest := string(n.Destination)
			line := lineOf(src, n, n.Destination)
			if NodeText(n, src) == "" {
				l.problem(file, line, "image %q has no alt text", dest)
			}
			ref, local, err := LocalRef(dest)
			switch {
			case err != nil:
				l.problem(file, line, "media %q %v", dest, err)
			case !local:
				l.problem(file, line, "image %q must be a file in the course folder (readers may be offline)", dest)
			case ref.Lesson != "":
				l.problem(file, line, "image %q is a lesson, not an image", dest)
			case l.exists(file, line, dest, ref.Path):
				media = append(media, ref.Path)
			}
		case *ast.Link:
			dest := string(n.Destination)
			line := lineOf(src, n, n.Destination)
			ref, local, err := LocalRef(dest)
			switch {
			case err != nil:
				l.problem(file, line, "link %q %v", dest, err)
			case !local:
			case ref.Lesson != "":
				if _, _, ok := c.Lesson(ref.Lesson); !ok {
					l.problem(file, line, "link %q: no lesson %q in course.yaml", dest, ref.Lesson)
				}
			case l.exists(file, line, dest, ref.Path):
				media = append(media, ref.Path)
			}
		}
		return ast.WalkContinue, nil
	})
	return media
}

// exists reports, at the line of the lesson that references it, a media
// file of a type not allowed or not in the course folder.
func (l *loader) exists(file string, line int, dest, p string) bool {
	if ext := strings.ToLower(path.Ext(p)); mediaTypes[ext] == "" {
		l.problem(file, line, "media %q: type %q is not allowed (allowed: svg, png, jpg, webp, gif, mp3, ogg, opus, m4a, mp4, webm, pdf)", dest, ext)
		return false
	}
	if _, err := fs.Stat(l.fsys, path.Join(l.dir, p)); err != nil {
		l.problem(file, line, "media %q: %s", dest, describe(err))
		return false
	}
	return true
}

// lineOf finds the line of a node: the first line of its block, refined to
// the line where needle appears when given.
func lineOf(src []byte, n ast.Node, needle []byte) int {
	b := n
	for b != nil && (b.Type() != ast.TypeBlock || b.Lines().Len() == 0) {
		b = b.Parent()
	}
	if b == nil {
		return 1
	}
	start := b.Lines().At(0).Start
	if len(needle) > 0 {
		if i := bytes.Index(src[start:], needle); i >= 0 {
			start += i
		}
	}
	return 1 + bytes.Count(src[:start], []byte("\n"))
}

// NodeText is the text inside a Markdown node (an image's alt text, a
// link's words), without markup: for checks here and for the renderer's
// labels (server/catalog).
func NodeText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(source))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// loadMedia reads and fingerprints one media file.
func (l *loader) loadMedia(p string) (Media, bool) {
	ctype := mediaTypes[strings.ToLower(path.Ext(p))] // checked by exists
	data, err := l.read(p, maxMediaSize)
	if err != nil {
		l.problem(p, 1, "media %s: %s", p, describe(err))
		return Media{}, false
	}
	if slices.Contains(sniffed, ctype) && http.DetectContentType(data) != ctype {
		l.problem(p, 1, "media %s is not a %s file", p, strings.TrimPrefix(ctype, "image/"))
		return Media{}, false
	}
	if ctype == "image/svg+xml" && !safeSVG(data) {
		l.problem(p, 1, "SVG must be an <svg> image without scripts or event handlers")
		return Media{}, false
	}
	m := Media{Path: p, SHA256: l.files[p], Size: int64(len(data)), ContentType: ctype}
	if strings.HasPrefix(ctype, "audio/") {
		// Audio a lesson links to is checked as recordings are, without
		// their limits: a phone chooses its player by the extension.
		a, err := audio.Inspect(data)
		if err == nil {
			err = audio.CheckExtension(path.Ext(p), a)
		}
		if err != nil {
			l.problem(p, 1, "media %s: %s", p, audioProblem(err))
			return Media{}, false
		}
		m.ContentType, m.Duration = a.ContentType, a.Duration
	}
	return m, true
}

// safeSVG is a coarse check that an SVG is an image and not a script
// carrier; it is served with a restrictive CSP as well.
func safeSVG(data []byte) bool {
	low := bytes.ToLower(data)
	if !bytes.Contains(low, []byte("<svg")) {
		return false
	}
	for _, bad := range []string{"<script", "javascript:", "<foreignobject", " onload=", " onclick=", " onerror=", " onmouseover="} {
		if bytes.Contains(low, []byte(bad)) {
			return false
		}
	}
	return true
}

// CheckLessonText checks the Markdown of a lesson written outside a course
// folder (a reviewer's draft of file, "lessons/<id>.<lang>.md") as Load
// would check it in c's folder: the media it may show are c's.
func CheckLessonText(c *Course, file string, src []byte) []Problem {
	fsys := fstest.MapFS{}
	for _, m := range c.Media {
		fsys[path.Join(c.Slug, m.Path)] = &fstest.MapFile{}
	}
	l := &loader{fsys: fsys, dir: c.Slug, files: map[string]string{}, recordings: map[string]Media{}}
	switch {
	case !l.validUTF8(file, src):
	case len(bytes.TrimSpace(src)) == 0:
		l.problem(file, 1, "lesson is empty")
	default:
		l.checkMarkdown(file, src, c)
	}
	return l.problems
}
