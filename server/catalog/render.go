package catalog

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/kalan-platform/kalan/courses"
	"github.com/kalan-platform/kalan/locales"
	"github.com/kalan-platform/kalan/server/picture"
)

// imageSizes is the sizes attribute of lesson images: the content column
// of kalan.css is 40rem less 1rem of padding on each side, and the whole
// screen less that padding on a phone.
const imageSizes = "(max-width: 40rem) calc(100vw - 2rem), 38rem"

// srcsetPattern is the only srcset the sanitiser lets through: the one
// imageAttrs writes, made of media URLs.
var srcsetPattern = regexp.MustCompile(`^/media/[0-9a-f]{64}(\?w=[0-9]+)? [0-9]+w(, /media/[0-9a-f]{64}(\?w=[0-9]+)? [0-9]+w)*$`)

// render turns every lesson of a version into sanitised HTML whose links
// and images point at the platform's URLs, twice: as published, and for
// the data saver, where media are links that say their size. It runs once
// per version, when the version is loaded, never on a page request.
// images holds the size of the images (raster and SVG), by content hash; words
// localizes the data saver's links.
func render(v *Version, images map[string]picture.Size, words locales.Translate) (*Course, error) {
	md := newMarkdown()
	policy := lessonPolicy()
	c := v.Def
	out := &Course{Version: v, lessons: make([]map[string]template.HTML, len(c.Lessons)), saver: make([]map[string]template.HTML, len(c.Lessons)),
		images: images}
	for i, lesson := range c.Lessons {
		out.lessons[i] = make(map[string]template.HTML, len(lesson.Body))
		out.saver[i] = make(map[string]template.HTML, len(lesson.Body))
		for lang, src := range lesson.Body {
			for _, saver := range []bool{false, true} {
				var say func(string, map[string]any) string
				if saver {
					say = func(id string, data map[string]any) string { return words(lang, id, data) }
				}
				body, err := renderBody(md, policy, c, lang, src, images, say)
				if err != nil {
					return nil, fmt.Errorf("lesson %s.%s: %w", lesson.ID, lang, err)
				}
				if saver {
					out.saver[i][lang] = body
				} else {
					out.lessons[i][lang] = body
				}
			}
		}
	}
	return out, nil
}

// renderBody turns the Markdown of one lesson in lang into sanitised HTML;
// say, when set, localizes the data saver's links (media become links).
func renderBody(md goldmark.Markdown, policy *bluemonday.Policy, c *courses.Course, lang, src string,
	images map[string]picture.Size, say func(string, map[string]any) string) (template.HTML, error) {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	rw := rewriter{course: c, lang: lang, images: images, source: source, say: say}
	if err := rw.rewrite(doc); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		return "", err
	}
	html := buf.Bytes()
	if say == nil {
		html = firstImageFirst(html)
	}
	// The sanitiser is the last word: the lesson HTML is trusted by the templates.
	return template.HTML(policy.SanitizeBytes(html)), nil // #nosec G203 -- sanitised just above
}

// newMarkdown is the Markdown parser and renderer of lessons.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(courses.LangSpans()),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(playerRenderer{}, 100))))
}

// firstImageFirst asks the browser to fetch the first image of a lesson
// before anything else the page loads: on a 2G phone it is the largest
// paint of the first screen. (goldmark writes only the image attributes
// it knows, and fetchpriority is not one of them; the lesson HTML holds
// no raw HTML, so its first "<img " is the first image.)
func firstImageFirst(html []byte) []byte {
	i := bytes.Index(html, []byte("<img "))
	if i < 0 {
		return html
	}
	end := bytes.IndexByte(html[i:], '>') // alt texts are escaped: no '>' inside
	if end < 0 {
		return html
	}
	end += i
	return slices.Concat(html[:end:end], []byte(` fetchpriority="high"`), html[end:])
}

// lessonPolicy is what lesson HTML may hold: user-generated content, plus
// the attributes the renderer itself adds to images and players.
func lessonPolicy() *bluemonday.Policy {
	policy := bluemonday.UGCPolicy()
	// Words in another language than the lesson's: [mots]{lang=fr}.
	policy.AllowAttrs("lang").Matching(courses.SpanLangPattern).OnElements("span")
	policy.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	policy.AllowAttrs("fetchpriority").Matching(regexp.MustCompile(`^high$`)).OnElements("img")
	// UGCPolicy only keeps alt texts made of a few characters; lesson alt
	// texts have colons, arrows and Bambara letters. Any text is safe in an
	// attribute that the sanitiser quotes.
	policy.AllowAttrs("alt").OnElements("img")
	policy.AllowAttrs("decoding").Matching(regexp.MustCompile(`^async$`)).OnElements("img")
	policy.AllowAttrs("srcset").Matching(srcsetPattern).OnElements("img")
	policy.AllowAttrs("sizes").Matching(regexp.MustCompile(`^` + regexp.QuoteMeta(imageSizes) + `$`)).OnElements("img")
	policy.AllowElements("audio", "video")
	policy.AllowAttrs("src", "controls", "title").OnElements("audio", "video")
	policy.AllowAttrs("preload").Matching(regexp.MustCompile(`^none$`)).OnElements("audio", "video")
	return policy
}

// rewriter adapts a parsed lesson to the platform: media at /media/<hash>,
// lesson files at their page, images in the lesson's language when they
// are translated, with their size and phone-sized copies, audio and video
// in players that download nothing until played. With say set it writes
// the data-saver variant instead: every image, audio and video becomes a
// link that says what it is and its size.
type rewriter struct {
	course *courses.Course
	lang   string // the language of the lesson text
	images map[string]picture.Size
	source []byte
	say    func(id string, data map[string]any) string
}

// rewrite changes doc in place. Nodes are collected first and changed
// after the walk: replacing a node while ast.Walk visits it would lose
// its siblings.
func (rw rewriter) rewrite(doc ast.Node) error {
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindImage || n.Kind() == ast.KindLink) {
			nodes = append(nodes, n)
		}
		return ast.WalkContinue, nil
	})
	first := true
	for _, n := range nodes {
		var err error
		switch n := n.(type) {
		case *ast.Image:
			err = rw.image(n, first)
			first = false
		case *ast.Link:
			err = rw.link(n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// image rewrites an image. The first image of a lesson is, on a phone,
// the largest thing of the first screen: it is fetched at once (no
// loading="lazy", and render marks it fetchpriority="high"); the others
// wait until the reader scrolls near them.
func (rw rewriter) image(n *ast.Image, first bool) error {
	url, m, err := localURL(string(n.Destination), rw.course)
	if err != nil {
		return err
	}
	if m != nil {
		if t, ok := rw.course.MediaIn(m.Path, rw.lang); ok && t.Path != m.Path {
			m, url = &t, MediaURL(t.SHA256)
		}
	}
	n.Destination = []byte(url)
	if rw.say != nil && m != nil {
		label := rw.say("saver.image", map[string]any{"Alt": courses.NodeText(n, rw.source), "Size": rw.size(m.Size)})
		replaceWithLink(n, url, label)
		return nil
	}
	if !first {
		n.SetAttributeString("loading", "lazy")
	}
	n.SetAttributeString("decoding", "async")
	if m == nil {
		return nil
	}
	size, ok := rw.images[m.SHA256]
	if !ok {
		return nil
	}
	// The real size lets the browser keep the image's place before it
	// arrives (no text jumping under the reader's finger).
	n.SetAttributeString("width", strconv.Itoa(size.Width))
	n.SetAttributeString("height", strconv.Itoa(size.Height))
	if widths := picture.Variants(m.ContentType, size); len(widths) > 0 {
		var set []string
		for _, w := range widths {
			set = append(set, VariantURL(m.SHA256, w)+" "+strconv.Itoa(w)+"w")
		}
		set = append(set, url+" "+strconv.Itoa(size.Width)+"w")
		n.SetAttributeString("srcset", strings.Join(set, ", "))
		n.SetAttributeString("sizes", imageSizes)
	}
	return nil
}

func (rw rewriter) link(n *ast.Link) error {
	url, m, err := localURL(string(n.Destination), rw.course)
	if err != nil {
		return err
	}
	n.Destination = []byte(url)
	if m == nil {
		return nil
	}
	kind, _, _ := strings.Cut(m.ContentType, "/")
	if kind != "audio" && kind != "video" {
		return nil
	}
	title := courses.NodeText(n, rw.source)
	if rw.say != nil {
		label := rw.say("saver."+kind, map[string]any{"Title": title, "Size": rw.size(m.Size)})
		n.RemoveChildren(n)
		n.AppendChild(n, ast.NewString([]byte(label)))
		return nil
	}
	// The link stays inside the player, for a browser that has no player.
	p := &player{tag: kind, url: url, title: title}
	n.Parent().ReplaceChild(n.Parent(), n, p)
	p.AppendChild(p, n)
	return nil
}

// size says a file size in the lesson's language.
func (rw rewriter) size(n int64) string { return rw.say(locales.Size(n)) }

// replaceWithLink puts a link saying label where n was; inside another
// link (an image that is a link) the text alone, links do not nest.
func replaceWithLink(n ast.Node, url, label string) {
	var repl ast.Node = ast.NewString([]byte(label))
	inLink := false
	for p := n.Parent(); p != nil; p = p.Parent() {
		inLink = inLink || p.Kind() == ast.KindLink
	}
	if !inLink {
		link := ast.NewLink()
		link.Destination = []byte(url)
		link.AppendChild(link, repl)
		repl = link
	}
	n.Parent().ReplaceChild(n.Parent(), n, repl)
}

// localURL resolves a destination of a lesson: a lesson file to its page,
// a media file to /media/<hash> (m is then the media file), anything else
// unchanged. The course was checked on import, so an unresolved local
// reference means the stored version is corrupt.
func localURL(dest string, c *courses.Course) (string, *courses.Media, error) {
	ref, local, err := courses.LocalRef(dest)
	if err != nil {
		return "", nil, fmt.Errorf("link %q: %w", dest, err)
	}
	if !local {
		return dest, nil, nil
	}
	if ref.Lesson != "" {
		return "/courses/" + c.Slug + "/lessons/" + ref.Lesson, nil, nil
	}
	m, ok := c.MediaByPath(ref.Path)
	if !ok {
		return "", nil, fmt.Errorf("media %q is not part of the version", ref.Path)
	}
	return MediaURL(m.SHA256), &m, nil
}

// kindPlayer is the AST node kind of an audio or video player.
var kindPlayer = ast.NewNodeKind("Player")

// player is an <audio> or <video> element around the link to its file.
// preload="none": nothing is downloaded until the reader presses play.
type player struct {
	ast.BaseInline
	tag, url, title string
}

func (p *player) Kind() ast.NodeKind { return kindPlayer }

func (p *player) Dump(source []byte, level int) {
	ast.DumpHelper(p, source, level, map[string]string{"Tag": p.tag, "URL": p.url}, nil)
}

type playerRenderer struct{}

func (playerRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindPlayer, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		p := n.(*player)
		if entering {
			fmt.Fprintf(w, `<%s controls preload="none" src="%s" title="%s">`, p.tag, html.EscapeString(p.url), html.EscapeString(p.title))
		} else {
			fmt.Fprintf(w, `</%s>`, p.tag)
		}
		return ast.WalkContinue, nil
	})
}
