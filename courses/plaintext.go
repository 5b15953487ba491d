package courses

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// PlainText is a lesson's Markdown as sentences to read aloud: one
// paragraph a line, markup dropped (links and language spans keep their
// words, images their alt text), headings and list items made sentences,
// ordered items keeping their numbers. It is what a synthetic voice reads
// for a lesson's recording.
func PlainText(src string) string {
	source := []byte(src)
	doc, _ := parseLesson(source)
	var out []string
	var walk func(n ast.Node, prefix string)
	walk = func(n ast.Node, prefix string) {
		switch n := n.(type) {
		case *ast.Heading, *ast.Paragraph, *ast.TextBlock:
			if s := sentence(prefix + inlineText(n, source)); s != "" {
				out = append(out, s)
			}
			return
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(source))
			}
			if s := sentence(b.String()); s != "" {
				out = append(out, s)
			}
			return
		case *ast.HTMLBlock, *ast.ThematicBreak:
			return
		case *ast.List:
			i := n.Start
			for item := n.FirstChild(); item != nil; item = item.NextSibling() {
				p := ""
				if n.IsOrdered() {
					p = strconv.Itoa(i) + ". "
					i++
				}
				first := true
				for c := item.FirstChild(); c != nil; c = c.NextSibling() {
					if first {
						walk(c, p)
						first = false
					} else {
						walk(c, "")
					}
				}
			}
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c, prefix)
		}
	}
	walk(doc, "")
	return strings.Join(out, "\n")
}

// inlineText is the words of a block, without markup.
func inlineText(n ast.Node, source []byte) string {
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
		case *ast.AutoLink:
			b.Write(c.Label(source))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			// The alt text says what the diagram shows: a listener who
			// cannot see it hears it, as a screen reader would say it.
			if alt := NodeText(c, source); alt != "" {
				b.WriteString(" " + sentence(alt) + " ")
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// sentence tidies spaces and ends the text with a full stop when it does
// not end with punctuation already, so that a voice pauses after a
// heading or a list item.
func sentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	last := []rune(s)[len([]rune(s))-1]
	if !unicode.IsPunct(last) || last == ')' || last == '»' || last == '"' || last == '”' {
		s += "."
	}
	return s
}
