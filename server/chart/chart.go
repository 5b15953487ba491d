// Package chart draws small bar charts as inline SVG on the server, for
// pages that run no JavaScript under a strict Content-Security-Policy
// (default-src 'self'; style-src 'self'; img-src 'self' data:). The markup
// therefore has no style attribute, no <style> element, no script and no
// external reference; it needs no network and no fonts of its own.
//
// Colours come from the page's stylesheet, through these classes:
//
//	svg.chart          the root, with chart-horizontal or chart-columns
//	rect.bar           a bar (Horizontal) or a column (Columns)
//	rect.bar.mark      a highlighted bar (Bar.Mark)
//	text.label         a bar's label
//	text.value         a bar's value text (Bar.Text)
//	line.axis          the baseline under the columns
//
// The only colours in the markup are neutral fallbacks (fill and stroke set
// to currentColor); like the other presentation attributes written
// (font-size, font-weight, text-anchor), which the CSP allows, any CSS rule
// overrides them. A marked bar's label and value are also bold, so a
// highlight never relies on colour alone.
//
// Sizes are viewBox units and the svg is width="100%" with no height, so a
// chart fills its container and its text scales with it: the stylesheet
// should cap the width (about 24rem keeps the text near body size).
//
// Under role="img" a screen reader reads the title and the description
// only, not the bars: put the key figures in Chart.Desc, or show the
// numbers in a table or list as well.
package chart

import (
	"encoding/xml"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bar is one bar of a chart.
type Bar struct {
	Label string  // e.g. a region, a cohort, a score band "70–79"
	Value float64 // the length, in the chart's unit
	Text  string  // the value as shown beside the bar, e.g. "83 %" or "12"; formatted by the caller in the reader's language
	Mark  bool    // highlighted (e.g. the pass mark band, or a flagged item): class "mark"
}

// Chart is what a page needs to draw one chart.
type Chart struct {
	ID    string  // unique on the page; prefixes the ids of <title> and <desc>
	Title string  // short, in the reader's language
	Desc  string  // one sentence for screen readers
	Max   float64 // the value of a full-length bar; if <= 0, the largest value
	Bars  []Bar
}

// runeEm is the width of one character as a fraction of the font size. The
// server cannot measure text in the reader's font, so this is generous:
// digits and most lower-case letters are narrower in common sans fonts.
const runeEm = 0.6

// textWidth estimates the drawn width of s, in viewBox units.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(clean(s))) * runeEm * size
}

// fullScale returns the value of a full-length bar: Max when it is usable,
// else the largest drawable value (0 when none is).
func fullScale(c Chart) float64 {
	if finite(c.Max) && c.Max > 0 {
		return c.Max
	}
	largest := 0.0
	for _, b := range c.Bars {
		if finite(b.Value) && b.Value > largest {
			largest = b.Value
		}
	}
	return largest
}

// fraction is the share of a full-length bar that v fills, in [0, 1]:
// NaN, infinities and negatives draw as nothing rather than break the
// drawing, and values over the full scale are clamped.
func fraction(v, full float64) float64 {
	if !finite(v) || v <= 0 || full <= 0 {
		return 0
	}
	return min(v/full, 1)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// num formats a coordinate compactly, to 0.1 unit. It never returns
// "NaN", "Inf" or "-0", whatever it is given.
func num(v float64) string {
	r := math.Round(v*10) / 10
	if !finite(r) || r == 0 {
		return "0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// sanitizeID keeps an id to [a-z0-9-]: it is written into attributes
// unescaped and referenced by aria-labelledby, so nothing else may pass.
// Upper-case ASCII is lowered; every other run of characters becomes one
// hyphen. An id with nothing left becomes "chart".
func sanitizeID(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
			hyphen = false
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r - 'A' + 'a')
			hyphen = false
		case !hyphen && b.Len() > 0:
			b.WriteByte('-')
			hyphen = true
		}
	}
	if id := strings.TrimRight(b.String(), "-"); id != "" {
		return id
	}
	return "chart"
}

// clean turns control characters (tabs, new lines, C1 codes) into spaces
// and trims the result: SVG text is one line, and a control character has
// no business in a label. Invalid UTF-8 becomes U+FFFD.
func clean(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// shorten cuts s to at most n characters, the last one "…", without
// parting a letter from its combining marks (Bambara tones may be written
// as combining accents). It reports whether it cut.
func shorten(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	rs := []rune(s)
	keep := max(n-1, 0)
	for keep > 0 && unicode.In(rs[keep], unicode.Mn, unicode.Me) {
		keep--
	}
	return strings.TrimRightFunc(string(rs[:keep]), unicode.IsSpace) + "…", true
}

// text is one <text> element.
type text struct {
	class  string
	x, y   float64
	middle bool    // text-anchor="middle"; else start
	size   float64 // font-size, when not the chart's
	bold   bool
	body   string
	full   string // the whole text, as a tooltip, when body is shortened
}

// svg builds the markup. Every string from the caller goes through
// xml.EscapeText; attribute values are only constants, numbers from num
// and ids from sanitizeID, so none needs escaping.
type svg struct {
	b strings.Builder
}

// open writes the root element, the <title> and, if any, the <desc>.
func (s *svg) open(c Chart, kind string, width, height, fontSize float64) {
	id := sanitizeID(c.ID)
	labelledBy := id + "-title"
	if clean(c.Desc) != "" {
		labelledBy += " " + id + "-desc"
	}
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart ` + kind +
		`" viewBox="0 0 ` + num(width) + ` ` + num(height) +
		`" width="100%" role="img" aria-labelledby="` + labelledBy +
		`" font-size="` + num(fontSize) + `" fill="currentColor">`)
	s.b.WriteString(`<title id="` + id + `-title">`)
	s.escape(c.Title)
	s.b.WriteString(`</title>`)
	if clean(c.Desc) != "" {
		s.b.WriteString(`<desc id="` + id + `-desc">`)
		s.escape(c.Desc)
		s.b.WriteString(`</desc>`)
	}
}

// close ends the root. The result is marked safe for html/template: every
// part of it was built here, with the caller's strings escaped.
func (s *svg) close() template.HTML {
	s.b.WriteString(`</svg>`)
	return template.HTML(s.b.String())
}

func (s *svg) escape(v string) {
	// A strings.Builder never fails to write.
	_ = xml.EscapeText(&s.b, []byte(clean(v)))
}

// rect writes a bar; a zero-length bar is still written, so that every
// Bar has its rect and the tests (and the reader of the markup) can count.
func (s *svg) rect(mark bool, x, y, w, h float64) {
	class := "bar"
	if mark {
		class = "bar mark"
	}
	s.b.WriteString(`<rect class="` + class + `" x="` + num(x) + `" y="` + num(y) +
		`" width="` + num(w) + `" height="` + num(h) + `"/>`)
}

func (s *svg) line(class string, x1, y1, x2, y2 float64) {
	s.b.WriteString(`<line class="` + class + `" x1="` + num(x1) + `" y1="` + num(y1) +
		`" x2="` + num(x2) + `" y2="` + num(y2) + `" stroke="currentColor"/>`)
}

// text writes t, or nothing when its body is empty.
func (s *svg) text(t text) {
	if t.body == "" {
		return
	}
	s.b.WriteString(`<text class="` + t.class + `" x="` + num(t.x) + `" y="` + num(t.y) + `"`)
	if t.middle {
		s.b.WriteString(` text-anchor="middle"`)
	}
	if t.size > 0 {
		s.b.WriteString(` font-size="` + num(t.size) + `"`)
	}
	if t.bold {
		s.b.WriteString(` font-weight="bold"`)
	}
	s.b.WriteString(`>`)
	if t.full != "" {
		// A <title> child is the hover tooltip of a shortened label.
		s.b.WriteString(`<title>`)
		s.escape(t.full)
		s.b.WriteString(`</title>`)
	}
	s.escape(t.body)
	s.b.WriteString(`</text>`)
}
