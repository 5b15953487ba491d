package courses

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A lesson marks words in another language than its own as a bracketed
// span followed by its language: [traite des personnes]{lang=fr}. It
// becomes <span lang="fr">, so that a screen reader reads the words with
// the right voice and a browser hyphenates and translates them rightly.
// The brackets hold Markdown (emphasis, code, links); nothing but
// {lang=<code>} may follow them.

// SpanLangPattern is what the language code of a span may be: a BCP 47
// language tag kept short, a 2- or 3-letter language and optional subtags
// (fr, bm, en-GB, fr-ML, ff-Latn).
var SpanLangPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// maxSpanLang bounds the length of a span's language code.
const maxSpanLang = 35

// maxSpanLabel is the longest text a span may hold, in bytes: CommonMark's
// limit for a link text, which also bounds the look-ahead at each '['.
const maxSpanLabel = 999

// LangSpan is the AST node of a span of text in another language.
type LangSpan struct {
	ast.BaseInline
	Lang string
}

// KindLangSpan is the node kind of a LangSpan.
var KindLangSpan = ast.NewNodeKind("LangSpan")

// Kind implements ast.Node.
func (n *LangSpan) Kind() ast.NodeKind { return KindLangSpan }

// Dump implements ast.Node.
func (n *LangSpan) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Lang": n.Lang}, nil)
}

// LangSpans is the goldmark extension for [text]{lang=xx}: its parser and
// its HTML renderer. Every reader of lessons (the check and the platform's
// renderer) parses with it, so both see the same spans.
func LangSpans() goldmark.Extender { return langSpans{} }

type langSpans struct{}

func (langSpans) Extend(m goldmark.Markdown) {
	// Before the link parser (200): a '[' whose text is followed by '{' is
	// a span, any other '[' is left to it.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(spanParser{}, 150)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(spanRenderer{}, 150)))
}

// spanIssue is a malformed span marker, at the byte offset of its ']'.
type spanIssue struct {
	offset  int
	message string
}

var (
	// spanIssuesKey holds a *[]spanIssue when the caller wants to hear
	// about malformed markers (the course check); the renderer does not
	// set it and malformed markers are then plain text.
	spanIssuesKey = parser.NewContextKey()
	// spanOpenKey holds the *spanOpener most recently opened in the
	// block being parsed.
	spanOpenKey = parser.NewContextKey()
)

// kindSpanOpener is the node kind of a '[' that opened a span not yet
// closed.
var kindSpanOpener = ast.NewNodeKind("LangSpanOpener")

// spanOpener stands in the AST for the '[' of a span until its ']' comes.
// The '[' was only taken after finding, ahead, the ']' that closes it and
// a valid {lang=…}; when that ']' is not reached (another inline took it),
// the '[' becomes text again when the block closes.
type spanOpener struct {
	ast.BaseInline
	segment text.Segment // the '['
	close   int          // source offset of the ']' that closes the span
	attrs   int          // length of the {lang=…} after the ']'
	lang    string
	bottom  ast.Node // the last emphasis delimiter before the span
	prev    *spanOpener
}

func (n *spanOpener) Kind() ast.NodeKind { return kindSpanOpener }

func (n *spanOpener) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Lang": n.lang}, nil)
}

type spanParser struct{}

func (spanParser) Trigger() []byte { return []byte{'[', ']'} }

func (p spanParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, segment := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	if line[0] == '[' {
		return p.open(block, segment, pc)
	}
	return p.close(parent, block, segment, pc)
}

// open takes a '[' when the text up to its matching ']' is followed by
// {lang=<code>}. A '[' followed by anything else is left to the link parser
// (links, literal brackets); a malformed {…} is reported and left as text.
func (spanParser) open(block text.Reader, segment text.Segment, pc parser.Context) ast.Node {
	start := segment.Start
	ahead, offsets := lookAhead(block, maxSpanLabel+2+maxSpanLang+8)
	end := matchingBracket(ahead)
	if end < 0 || end+1 >= len(ahead) || ahead[end+1] != '{' {
		return nil
	}
	closeAt := offsets[end]
	attrs, lang, problem := parseSpanAttrs(ahead[end+1:])
	switch {
	case problem != "":
		report(pc, closeAt, problem)
		return nil
	case len(bytes.TrimSpace(ahead[1:end])) == 0:
		report(pc, closeAt, fmt.Sprintf("span {lang=%s} has no text between its brackets", lang))
		return nil
	case end-1 > maxSpanLabel:
		report(pc, closeAt, fmt.Sprintf("span {lang=%s} is longer than %d bytes", lang, maxSpanLabel))
		return nil
	}
	o := &spanOpener{segment: text.NewSegment(start, start+1), close: closeAt, attrs: attrs, lang: lang, bottom: pc.LastDelimiter()}
	if top, ok := pc.Get(spanOpenKey).(*spanOpener); ok {
		o.prev = top
	}
	pc.Set(spanOpenKey, o)
	block.Advance(1)
	return o
}

// close ends the span whose ']' this is: what was parsed since its '['
// becomes the span's children. Any other ']' is left to the link parser.
func (spanParser) close(parent ast.Node, block text.Reader, segment text.Segment, pc parser.Context) ast.Node {
	top, _ := pc.Get(spanOpenKey).(*spanOpener)
	var o, above *spanOpener
	for o = top; o != nil && o.close != segment.Start; o = o.prev {
		above = o
	}
	if o == nil {
		line, _ := block.PeekLine()
		if bytes.HasPrefix(line, []byte("]{lang")) && !reported(pc, segment.Start) {
			report(pc, segment.Start, `"]{lang=…}" closes no span: put a "[" before the words in another language`)
		}
		return nil
	}
	if o.Parent() == nil {
		return nil // cannot happen: the opener is in the tree until here
	}
	// Unlink o; openers above it were left unclosed and stay as they are.
	if above == nil {
		pc.Set(spanOpenKey, o.prev)
	} else {
		above.prev = o.prev
	}
	parser.ProcessDelimiters(o.bottom, pc)
	span := &LangSpan{Lang: o.lang}
	for c := o.NextSibling(); c != nil; {
		next := c.NextSibling()
		o.Parent().RemoveChild(o.Parent(), c)
		span.AppendChild(span, c)
		c = next
	}
	o.Parent().RemoveChild(o.Parent(), o)
	block.Advance(1 + o.attrs)
	return span
}

// CloseBlock turns the '[' of spans whose ']' never came back into text.
func (spanParser) CloseBlock(_ ast.Node, _ text.Reader, pc parser.Context) {
	for o, _ := pc.Get(spanOpenKey).(*spanOpener); o != nil; o = o.prev {
		if o.Parent() != nil {
			ast.MergeOrReplaceTextSegment(o.Parent(), o, o.segment)
		}
	}
	pc.Set(spanOpenKey, nil)
}

// lookAhead returns up to limit bytes of the block from the reader's
// position, across lines, with the source offset of each byte (-1 for
// the padding of a tab), and leaves the reader where it was.
func lookAhead(block text.Reader, limit int) ([]byte, []int) {
	line, pos := block.Position()
	defer block.SetPosition(line, pos)
	var (
		out     []byte
		offsets []int
	)
	for len(out) < limit {
		b, seg := block.PeekLine()
		if b == nil {
			break
		}
		for i, c := range b {
			if len(out) == limit {
				break
			}
			out = append(out, c)
			if i < seg.Padding {
				offsets = append(offsets, -1)
			} else {
				offsets = append(offsets, seg.Start+i-seg.Padding)
			}
		}
		block.AdvanceLine()
	}
	return out, offsets
}

// matchingBracket returns the index of the ']' that closes the '[' at
// s[0], or -1. It skips backslash escapes and code spans, as the inline
// parser does, so that the ']' it finds is one the parser will reach.
func matchingBracket(s []byte) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && util.IsPunct(s[i+1]):
			i++
		case c == '`':
			n := backticks(s[i:])
			if j := closingBackticks(s[i+n:], n); j >= 0 {
				i += n + j + n - 1
			} else {
				i += n - 1
			}
		case c == '[':
			depth++
		case c == ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func backticks(s []byte) int {
	n := 0
	for n < len(s) && s[n] == '`' {
		n++
	}
	return n
}

// closingBackticks returns the index in s of the next run of exactly n
// backticks, or -1.
func closingBackticks(s []byte, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		m := backticks(s[i:])
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// parseSpanAttrs reads the "{lang=<code>}" at the start of s. It returns
// its length and the code, or a problem that says what is wrong.
func parseSpanAttrs(s []byte) (n int, lang, problem string) {
	end := bytes.IndexAny(s, "}\n")
	if end < 0 || s[end] != '}' {
		shown := s
		if i := bytes.IndexByte(shown, '\n'); i >= 0 {
			shown = shown[:i]
		}
		if len(shown) > 20 {
			shown = append(shown[:20:20], "…"...)
		}
		return 0, "", fmt.Sprintf("span marker %q has no closing \"}\" on its line", shown)
	}
	inside := string(s[1:end])
	code, ok := strings.CutPrefix(inside, "lang=")
	switch {
	case !ok:
		return 0, "", fmt.Sprintf("span marker {%s}: write {lang=<code>}, for example {lang=fr}", inside)
	case len(code) > maxSpanLang || !SpanLangPattern.MatchString(code):
		return 0, "", fmt.Sprintf("span marker {%s}: %q is not a language code (fr, bm, en-GB…)", inside, code)
	}
	return end + 1, code, ""
}

func report(pc parser.Context, offset int, message string) {
	if issues, ok := pc.Get(spanIssuesKey).(*[]spanIssue); ok {
		*issues = append(*issues, spanIssue{offset: offset, message: message})
	}
}

func reported(pc parser.Context, offset int) bool {
	issues, _ := pc.Get(spanIssuesKey).(*[]spanIssue)
	if issues == nil {
		return true // nobody listens: nothing to report
	}
	for _, is := range *issues {
		if is.offset == offset {
			return true
		}
	}
	return false
}

// spanRenderer writes a LangSpan as <span lang="…">. An opener left in the
// tree (none should be: CloseBlock replaces them) is its '['.
type spanRenderer struct{}

func (spanRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindLangSpan, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<span lang="` + html.EscapeString(n.(*LangSpan).Lang) + `">`)
		} else {
			_, _ = w.WriteString(`</span>`)
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindSpanOpener, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_ = w.WriteByte('[')
		}
		return ast.WalkContinue, nil
	})
}
