package main

// A renderer for the small subset of SVG that the pictogram poster
// (pictograms/poster.svg) is drawn in. It draws into the same fpdf page
// as the other documents, with the DejaVu fonts of assets/fonts, so the
// PDF needs no outside tool and is reproducible byte for byte.
//
// The drawing stays an ordinary SVG file that any editor opens (Inkscape,
// a browser). Its texts are keys, not words: a <text> with data-key="k"
// gets the text of key k in the language being made, wrapped to
// data-width (user units) in at most data-lines lines (default 1); the
// text may shrink down to data-min-size when it does not fit at its
// font-size. data-valign="middle" (or "bottom") centres fewer lines in
// the room of data-lines; data-leading is the line height as a multiple of
// the font size (default 1.2). A text that does not fit is an error, never
// cut.
//
// What is drawn: svg (viewBox "0 0 210 297", so that one unit is one
// millimetre of A4), g, defs, use (href="#id", x, y), rect (rx, ry),
// circle, ellipse, line, polyline, polygon, path (every command, arcs
// included), text and tspan (x, y, dy); transform (translate, scale,
// rotate, matrix); fill, stroke, stroke-width, stroke-linecap,
// stroke-linejoin, stroke-dasharray, fill-rule, font-size, font-weight
// (normal, bold), text-anchor, font-family (DejaVu Sans only). title and
// desc are skipped. Any other element or attribute is an error, so that
// the PDF never silently differs from what an SVG viewer shows.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// node is one element of a parsed SVG file.
type node struct {
	name  string
	attrs []xml.Attr // Name.Space is "" except for xmlns:* declarations
	kids  []*node
	text  string // the character data of a text or tspan without children
}

func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) setAttr(name, value string) {
	for i, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			n.attrs[i].Value = value
			return
		}
	}
	n.attrs = append(n.attrs, xml.Attr{Name: xml.Name{Local: name}, Value: value})
}

func (n *node) num(name string, def float64) (float64, error) {
	s, ok := n.attr(name)
	if !ok {
		return def, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
	if err != nil {
		return 0, fmt.Errorf("<%s %s=%q>: not a number", n.name, name, s)
	}
	return v, nil
}

func (n *node) clone() *node {
	c := &node{name: n.name, attrs: append([]xml.Attr(nil), n.attrs...), text: n.text}
	for _, k := range n.kids {
		c.kids = append(c.kids, k.clone())
	}
	return c
}

var (
	svgElements = map[string]bool{"svg": true, "g": true, "defs": true, "use": true, "rect": true, "circle": true,
		"ellipse": true, "line": true, "polyline": true, "polygon": true, "path": true, "text": true, "tspan": true,
		"title": true, "desc": true}
	svgAttrs = map[string]bool{"id": true, "transform": true, "fill": true, "stroke": true, "stroke-width": true,
		"stroke-linecap": true, "stroke-linejoin": true, "stroke-dasharray": true, "fill-rule": true,
		"font-size": true, "font-weight": true, "font-family": true, "text-anchor": true,
		"x": true, "y": true, "dy": true, "width": true, "height": true, "rx": true, "ry": true, "cx": true, "cy": true,
		"r": true, "x1": true, "y1": true, "x2": true, "y2": true, "points": true, "d": true, "href": true,
		"viewBox": true, "xmlns": true, "version": true}
)

// parseSVG reads an SVG file into a tree and refuses what the renderer
// cannot draw.
func parseSVG(src []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(src))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("svg: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !svgElements[t.Name.Local] {
				return nil, fmt.Errorf("svg: line %d: <%s> is not drawn by the generator", line(dec, src), t.Name.Local)
			}
			n := &node{name: t.Name.Local}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns"):
					n.attrs = append(n.attrs, a)
				case a.Name.Space == "" && (svgAttrs[a.Name.Local] || strings.HasPrefix(a.Name.Local, "data-")):
					n.attrs = append(n.attrs, a)
				default:
					return nil, fmt.Errorf("svg: line %d: <%s %s> is not drawn by the generator", line(dec, src), t.Name.Local, a.Name.Local)
				}
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("svg: two root elements")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				n := stack[len(stack)-1]
				if n.name == "text" || n.name == "tspan" {
					n.text += string(t)
				} else if n.name != "title" && n.name != "desc" && strings.TrimSpace(string(t)) != "" {
					return nil, fmt.Errorf("svg: text %q outside a <text>", strings.TrimSpace(string(t)))
				}
			}
		}
	}
	if root == nil || root.name != "svg" {
		return nil, fmt.Errorf("svg: the root element is not <svg>")
	}
	return root, nil
}

func line(dec *xml.Decoder, src []byte) int {
	return bytes.Count(src[:dec.InputOffset()], []byte("\n")) + 1
}

// collapse is SVG's handling of the spaces in a text: runs of ASCII white
// space become one space. A no-break space stays what it is.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }), " ")
}

// ---------------------------------------------------------------------
// Style

type rgb struct{ r, g, b int }

type style struct {
	fill, stroke *rgb
	strokeWidth  float64
	cap, join    string
	dash         []float64
	evenOdd      bool
	fontSize     float64
	bold         bool
	anchor       string
}

func defaultStyle() style {
	return style{fill: &rgb{0, 0, 0}, strokeWidth: 1, cap: "butt", join: "miter", fontSize: 16, anchor: "start"}
}

var namedColours = map[string]rgb{"black": {0, 0, 0}, "white": {255, 255, 255}}

func parseColour(s string) (*rgb, error) {
	s = strings.TrimSpace(s)
	if s == "none" {
		return nil, nil
	}
	if c, ok := namedColours[s]; ok {
		return &c, nil
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 6 {
			v, err := strconv.ParseUint(h, 16, 32)
			if err == nil {
				return &rgb{int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff)}, nil
			}
		}
	}
	return nil, fmt.Errorf("colour %q: use #rgb, #rrggbb, black, white or none", s)
}

// inherit returns the style of n inside a parent of style s.
func (s style) inherit(n *node) (style, error) {
	s.dash = append([]float64(nil), s.dash...)
	var err error
	for _, a := range n.attrs {
		if a.Name.Space != "" {
			continue
		}
		v := strings.TrimSpace(a.Value)
		switch a.Name.Local {
		case "fill":
			s.fill, err = parseColour(v)
		case "stroke":
			s.stroke, err = parseColour(v)
		case "stroke-width":
			s.strokeWidth, err = strconv.ParseFloat(v, 64)
		case "stroke-linecap":
			if v != "butt" && v != "round" && v != "square" {
				err = fmt.Errorf("stroke-linecap %q", v)
			}
			s.cap = v
		case "stroke-linejoin":
			if v != "miter" && v != "round" && v != "bevel" {
				err = fmt.Errorf("stroke-linejoin %q", v)
			}
			s.join = v
		case "stroke-dasharray":
			s.dash = nil
			if v != "none" {
				s.dash, err = numbers(v)
			}
		case "fill-rule":
			if v != "nonzero" && v != "evenodd" {
				err = fmt.Errorf("fill-rule %q", v)
			}
			s.evenOdd = v == "evenodd"
		case "font-size":
			s.fontSize, err = strconv.ParseFloat(strings.TrimSuffix(v, "px"), 64)
		case "font-weight":
			switch v {
			case "bold", "700":
				s.bold = true
			case "normal", "400":
				s.bold = false
			default:
				err = fmt.Errorf("font-weight %q: normal or bold", v)
			}
		case "font-family":
			if f := strings.Trim(strings.Split(v, ",")[0], `'" `); f != "DejaVu Sans" {
				err = fmt.Errorf("font-family %q: the PDFs have DejaVu Sans only", v)
			}
		case "text-anchor":
			if v != "start" && v != "middle" && v != "end" {
				err = fmt.Errorf("text-anchor %q", v)
			}
			s.anchor = v
		}
		if err != nil {
			return s, fmt.Errorf("<%s>: %w", n.name, err)
		}
	}
	return s, nil
}

// numbers reads a list of numbers separated by commas or spaces.
func numbers(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		out = append(out, v)
	}
	return out, nil
}

// ---------------------------------------------------------------------
// Transforms

// matrix maps (x, y) to (a x + c y + e, b x + d y + f), as SVG writes it.
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// then returns the matrix that applies n first, then m: the CTM of a
// child whose own transform is n.
func (m matrix) then(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[2]*n[1], m[1]*n[0] + m[3]*n[1],
		m[0]*n[2] + m[2]*n[3], m[1]*n[2] + m[3]*n[3],
		m[0]*n[4] + m[2]*n[5] + m[4], m[1]*n[4] + m[3]*n[5] + m[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// scale is how much the matrix scales lengths (exact when uniform).
func (m matrix) scale() float64 { return math.Sqrt(math.Abs(m[0]*m[3] - m[1]*m[2])) }

func parseTransform(s string) (matrix, error) {
	m := identity
	s = strings.TrimSpace(s)
	for s != "" {
		open := strings.IndexByte(s, '(')
		end := strings.IndexByte(s, ')')
		if open < 0 || end < open {
			return m, fmt.Errorf("transform %q", s)
		}
		fn := strings.TrimSpace(s[:open])
		args, err := numbers(s[open+1 : end])
		if err != nil {
			return m, fmt.Errorf("transform %q: %w", s, err)
		}
		var t matrix
		switch {
		case fn == "translate" && len(args) == 1:
			t = matrix{1, 0, 0, 1, args[0], 0}
		case fn == "translate" && len(args) == 2:
			t = matrix{1, 0, 0, 1, args[0], args[1]}
		case fn == "scale" && len(args) == 1:
			t = matrix{args[0], 0, 0, args[0], 0, 0}
		case fn == "scale" && len(args) == 2:
			t = matrix{args[0], 0, 0, args[1], 0, 0}
		case fn == "rotate" && (len(args) == 1 || len(args) == 3):
			a := args[0] * math.Pi / 180
			t = matrix{math.Cos(a), math.Sin(a), -math.Sin(a), math.Cos(a), 0, 0}
			if len(args) == 3 {
				t = matrix{1, 0, 0, 1, args[1], args[2]}.then(t).then(matrix{1, 0, 0, 1, -args[1], -args[2]})
			}
		case fn == "matrix" && len(args) == 6:
			copy(t[:], args)
		default:
			return m, fmt.Errorf("transform %s(%s) is not drawn by the generator", fn, s[open+1:end])
		}
		m = m.then(t)
		s = strings.TrimLeft(s[end+1:], " ,\t\n")
	}
	return m, nil
}

// ---------------------------------------------------------------------
// Geometry: every shape becomes a path of absolute moves, lines, cubic
// curves and closes.

type seg struct {
	op  byte // 'M', 'L', 'C', 'Z'
	pts []float64
}

const kappa = 0.5522847498307936 // a quarter circle as a cubic curve

func ellipsePath(cx, cy, rx, ry float64) []seg {
	kx, ky := rx*kappa, ry*kappa
	return []seg{
		{'M', []float64{cx + rx, cy}},
		{'C', []float64{cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry}},
		{'C', []float64{cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy}},
		{'C', []float64{cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry}},
		{'C', []float64{cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy}},
		{'Z', nil},
	}
}

func rectPath(x, y, w, h, rx, ry float64) []seg {
	rx, ry = min(rx, w/2), min(ry, h/2)
	if rx <= 0 || ry <= 0 {
		return []seg{{'M', []float64{x, y}}, {'L', []float64{x + w, y}}, {'L', []float64{x + w, y + h}}, {'L', []float64{x, y + h}}, {'Z', nil}}
	}
	kx, ky := rx*kappa, ry*kappa
	return []seg{
		{'M', []float64{x + rx, y}},
		{'L', []float64{x + w - rx, y}},
		{'C', []float64{x + w - rx + kx, y, x + w, y + ry - ky, x + w, y + ry}},
		{'L', []float64{x + w, y + h - ry}},
		{'C', []float64{x + w, y + h - ry + ky, x + w - rx + kx, y + h, x + w - rx, y + h}},
		{'L', []float64{x + rx, y + h}},
		{'C', []float64{x + rx - kx, y + h, x, y + h - ry + ky, x, y + h - ry}},
		{'L', []float64{x, y + ry}},
		{'C', []float64{x, y + ry - ky, x + rx - kx, y, x + rx, y}},
		{'Z', nil},
	}
}

// pathScanner reads the numbers and flags of a path's d attribute.
type pathScanner struct {
	s string
	i int
}

func (p *pathScanner) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ',' || p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

// more reports whether a number comes next (rather than a command).
func (p *pathScanner) more() bool {
	p.skip()
	return p.i < len(p.s) && strings.IndexByte("+-.0123456789", p.s[p.i]) >= 0
}

func (p *pathScanner) number() (float64, error) {
	p.skip()
	start := p.i
	if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
		p.i++
	}
	dot := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c >= '0' && c <= '9' {
			p.i++
		} else if c == '.' && !dot {
			dot = true
			p.i++
		} else if (c == 'e' || c == 'E') && p.i+1 < len(p.s) {
			p.i++
			if p.s[p.i] == '+' || p.s[p.i] == '-' {
				p.i++
			}
		} else {
			break
		}
	}
	v, err := strconv.ParseFloat(p.s[start:p.i], 64)
	if err != nil {
		return 0, fmt.Errorf("path: a number expected at %q", p.s[start:])
	}
	return v, nil
}

func (p *pathScanner) flag() (bool, error) {
	p.skip()
	if p.i < len(p.s) && (p.s[p.i] == '0' || p.s[p.i] == '1') {
		p.i++
		return p.s[p.i-1] == '1', nil
	}
	return false, fmt.Errorf("path: an arc flag (0 or 1) expected at %q", p.s[p.i:])
}

func (p *pathScanner) numbersN(n int) ([]float64, error) {
	out := make([]float64, n)
	for i := range out {
		v, err := p.number()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// parsePath turns a d attribute into absolute segments.
func parsePath(d string) ([]seg, error) {
	p := &pathScanner{s: d}
	var out []seg
	var cx, cy, sx, sy float64 // current point, subpath start
	var lastC [2]float64       // last control point, for S and T
	var lastOp byte
	for {
		p.skip()
		if p.i >= len(p.s) {
			break
		}
		cmd := p.s[p.i]
		if !unicode.IsLetter(rune(cmd)) {
			return nil, fmt.Errorf("path: a command expected at %q", p.s[p.i:])
		}
		p.i++
		rel := cmd >= 'a'
		up := cmd &^ 0x20
		first := true
		for first || p.more() {
			ox, oy := 0.0, 0.0
			if rel {
				ox, oy = cx, cy
			}
			switch up {
			case 'M':
				v, err := p.numbersN(2)
				if err != nil {
					return nil, err
				}
				cx, cy = v[0]+ox, v[1]+oy
				if first {
					sx, sy = cx, cy
					out = append(out, seg{'M', []float64{cx, cy}})
				} else { // further pairs after M are lines
					out = append(out, seg{'L', []float64{cx, cy}})
				}
			case 'L':
				v, err := p.numbersN(2)
				if err != nil {
					return nil, err
				}
				cx, cy = v[0]+ox, v[1]+oy
				out = append(out, seg{'L', []float64{cx, cy}})
			case 'H':
				v, err := p.number()
				if err != nil {
					return nil, err
				}
				cx = v + ox
				out = append(out, seg{'L', []float64{cx, cy}})
			case 'V':
				v, err := p.number()
				if err != nil {
					return nil, err
				}
				cy = v + oy
				out = append(out, seg{'L', []float64{cx, cy}})
			case 'C', 'S', 'Q', 'T':
				var c1x, c1y, c2x, c2y, x, y float64
				switch up {
				case 'C':
					v, err := p.numbersN(6)
					if err != nil {
						return nil, err
					}
					c1x, c1y, c2x, c2y, x, y = v[0]+ox, v[1]+oy, v[2]+ox, v[3]+oy, v[4]+ox, v[5]+oy
					lastC = [2]float64{c2x, c2y}
				case 'S':
					v, err := p.numbersN(4)
					if err != nil {
						return nil, err
					}
					c1x, c1y = cx, cy
					if lastOp == 'C' || lastOp == 'S' {
						c1x, c1y = 2*cx-lastC[0], 2*cy-lastC[1]
					}
					c2x, c2y, x, y = v[0]+ox, v[1]+oy, v[2]+ox, v[3]+oy
					lastC = [2]float64{c2x, c2y}
				case 'Q', 'T':
					var qx, qy float64
					if up == 'Q' {
						v, err := p.numbersN(4)
						if err != nil {
							return nil, err
						}
						qx, qy, x, y = v[0]+ox, v[1]+oy, v[2]+ox, v[3]+oy
					} else {
						v, err := p.numbersN(2)
						if err != nil {
							return nil, err
						}
						qx, qy = cx, cy
						if lastOp == 'Q' || lastOp == 'T' {
							qx, qy = 2*cx-lastC[0], 2*cy-lastC[1]
						}
						x, y = v[0]+ox, v[1]+oy
					}
					lastC = [2]float64{qx, qy}
					c1x, c1y = cx+2.0/3*(qx-cx), cy+2.0/3*(qy-cy)
					c2x, c2y = x+2.0/3*(qx-x), y+2.0/3*(qy-y)
				}
				out = append(out, seg{'C', []float64{c1x, c1y, c2x, c2y, x, y}})
				cx, cy = x, y
			case 'A':
				r, err := p.numbersN(3)
				if err != nil {
					return nil, err
				}
				large, err := p.flag()
				if err != nil {
					return nil, err
				}
				sweep, err := p.flag()
				if err != nil {
					return nil, err
				}
				v, err := p.numbersN(2)
				if err != nil {
					return nil, err
				}
				x, y := v[0]+ox, v[1]+oy
				out = append(out, arc(cx, cy, r[0], r[1], r[2], large, sweep, x, y)...)
				cx, cy = x, y
			case 'Z':
				out = append(out, seg{'Z', nil})
				cx, cy = sx, sy
			default:
				return nil, fmt.Errorf("path: unknown command %q", string(cmd))
			}
			lastOp = up
			first = false
			if up == 'Z' {
				break
			}
		}
	}
	return out, nil
}

// arc converts an SVG elliptical arc to cubic curves (SVG 1.1, F.6.5).
func arc(x1, y1, rx, ry, phiDeg float64, large, sweep bool, x2, y2 float64) []seg {
	if x1 == x2 && y1 == y2 {
		return nil
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 {
		return []seg{{'L', []float64{x2, y2}}}
	}
	phi := phiDeg * math.Pi / 180
	cos, sin := math.Cos(phi), math.Sin(phi)
	dx2, dy2 := (x1-x2)/2, (y1-y2)/2
	x1p, y1p := cos*dx2+sin*dy2, -sin*dx2+cos*dy2
	if l := x1p*x1p/(rx*rx) + y1p*y1p/(ry*ry); l > 1 {
		rx, ry = rx*math.Sqrt(l), ry*math.Sqrt(l)
	}
	num := rx*rx*ry*ry - rx*rx*y1p*y1p - ry*ry*x1p*x1p
	den := rx*rx*y1p*y1p + ry*ry*x1p*x1p
	coef := math.Sqrt(math.Max(0, num/den))
	if large == sweep {
		coef = -coef
	}
	cxp, cyp := coef*rx*y1p/ry, -coef*ry*x1p/rx
	cx, cy := cos*cxp-sin*cyp+(x1+x2)/2, sin*cxp+cos*cyp+(y1+y2)/2
	angle := func(ux, uy, vx, vy float64) float64 { return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy) }
	t1 := angle(1, 0, (x1p-cxp)/rx, (y1p-cyp)/ry)
	dt := angle((x1p-cxp)/rx, (y1p-cyp)/ry, (-x1p-cxp)/rx, (-y1p-cyp)/ry)
	if !sweep && dt > 0 {
		dt -= 2 * math.Pi
	} else if sweep && dt < 0 {
		dt += 2 * math.Pi
	}
	n := int(math.Ceil(math.Abs(dt)/(math.Pi/2) - 1e-9))
	delta := dt / float64(n)
	k := 4.0 / 3 * math.Tan(delta/4)
	pt := func(ux, uy float64) (float64, float64) {
		return cx + rx*ux*cos - ry*uy*sin, cy + rx*ux*sin + ry*uy*cos
	}
	var out []seg
	for i := range n {
		a1 := t1 + float64(i)*delta
		a2 := a1 + delta
		c1x, c1y := pt(math.Cos(a1)-k*math.Sin(a1), math.Sin(a1)+k*math.Cos(a1))
		c2x, c2y := pt(math.Cos(a2)+k*math.Sin(a2), math.Sin(a2)-k*math.Cos(a2))
		ex, ey := pt(math.Cos(a2), math.Sin(a2))
		if i == n-1 {
			ex, ey = x2, y2
		}
		out = append(out, seg{'C', []float64{c1x, c1y, c2x, c2y, ex, ey}})
	}
	return out
}

// ---------------------------------------------------------------------
// Text: the keys of a drawing become wrapped lines in one language.

// measurer gives the width of a string in millimetres.
type measurer func(s string, bold bool, sizeMM float64) float64

func fpdfMeasurer(f *fpdf.Fpdf) measurer {
	return func(s string, bold bool, sizeMM float64) float64 {
		st := ""
		if bold {
			st = "B"
		}
		f.SetFont(fontName, st, sizeMM/ptToMM)
		return f.GetStringWidth(s)
	}
}

// wrap breaks s into lines no wider than w, at spaces only (a no-break
// space holds words together); "\n" forces a break.
func wrap(s string, w float64, width func(string) float64) ([]string, error) {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		cur := ""
		for _, word := range strings.Split(collapse(para), " ") {
			if width(word) > w {
				return nil, fmt.Errorf("the word %q is wider than %.1f mm", word, w)
			}
			switch {
			case cur == "":
				cur = word
			case width(cur+" "+word) <= w:
				cur += " " + word
			default:
				lines = append(lines, cur)
				cur = word
			}
		}
		lines = append(lines, cur)
	}
	return lines, nil
}

// localise returns a copy of the drawing whose keyed texts are in one
// language, wrapped into tspans: an SVG that any viewer shows as the PDF
// will.
func localise(root *node, text map[string]string, measure measurer) (*node, error) {
	out := root.clone()
	used := map[string]bool{}
	var walk func(n *node, st style) error
	walk = func(n *node, st style) error {
		st, err := st.inherit(n)
		if err != nil {
			return err
		}
		if key, ok := n.attr("data-key"); ok {
			if n.name != "text" {
				return fmt.Errorf("data-key %q on a <%s>: only a <text> has one", key, n.name)
			}
			s, ok := text[key]
			if !ok || strings.TrimSpace(s) == "" {
				return fmt.Errorf("no text for the key %q", key)
			}
			used[key] = true
			if err := fill(n, key, s, st, measure); err != nil {
				return err
			}
			return nil
		}
		for _, k := range n.kids {
			if err := walk(k, st); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(out, defaultStyle()); err != nil {
		return nil, err
	}
	for k := range text {
		if !used[k] {
			return nil, fmt.Errorf("the text %q is not used by the drawing", k)
		}
	}
	return out, nil
}

// fill writes s into the <text> n as lines.
func fill(n *node, key, s string, st style, measure measurer) error {
	x, err := n.num("x", 0)
	if err != nil {
		return err
	}
	y, err := n.num("y", 0)
	if err != nil {
		return err
	}
	width, err := n.num("data-width", math.Inf(1))
	if err != nil {
		return err
	}
	maxLines, err := n.num("data-lines", 1)
	if err != nil {
		return err
	}
	minSize, err := n.num("data-min-size", st.fontSize)
	if err != nil {
		return err
	}
	leading, err := n.num("data-leading", 1.2)
	if err != nil {
		return err
	}
	valign, _ := n.attr("data-valign")
	size := st.fontSize
	var lines []string
	for {
		lines, err = wrap(s, width, func(s string) float64 { return measure(s, st.bold, size) })
		if err == nil && len(lines) <= int(maxLines) {
			break
		}
		if size-0.05 < minSize {
			if err == nil {
				err = fmt.Errorf("%d lines, room for %d", len(lines), int(maxLines))
			}
			return fmt.Errorf("the text %q (%q) does not fit at %.2f: %w", key, s, size, err)
		}
		size -= 0.05
	}
	lh := size * leading
	switch valign {
	case "middle":
		y += (maxLines - float64(len(lines))) * lh / 2
	case "bottom":
		y += (maxLines - float64(len(lines))) * lh
	}
	var kept []xml.Attr
	for _, a := range n.attrs {
		if !strings.HasPrefix(a.Name.Local, "data-") {
			kept = append(kept, a)
		}
	}
	n.attrs = kept
	if size != st.fontSize {
		n.setAttr("font-size", strconv.FormatFloat(size, 'f', 2, 64))
	}
	n.text = ""
	n.kids = nil
	for i, l := range lines {
		t := &node{name: "tspan", text: l}
		t.setAttr("x", strconv.FormatFloat(x, 'f', -1, 64))
		t.setAttr("y", strconv.FormatFloat(y+float64(i)*lh, 'f', 3, 64))
		n.kids = append(n.kids, t)
	}
	return nil
}

// writeSVG serialises a tree (the localised drawing, for a look at it in
// an SVG viewer).
func writeSVG(w *bytes.Buffer, n *node, depth int) {
	if depth == 0 {
		w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	}
	w.WriteString(strings.Repeat("  ", depth))
	w.WriteString("<" + n.name)
	for _, a := range n.attrs {
		name := a.Name.Local
		if a.Name.Space == "xmlns" {
			name = "xmlns:" + name
		}
		w.WriteString(" " + name + `="`)
		xml.EscapeText(w, []byte(a.Value))
		w.WriteString(`"`)
	}
	switch {
	case len(n.kids) == 0 && n.text == "":
		w.WriteString("/>\n")
	case len(n.kids) == 0:
		w.WriteString(">")
		xml.EscapeText(w, []byte(collapse(n.text)))
		w.WriteString("</" + n.name + ">\n")
	default:
		w.WriteString(">\n")
		for _, k := range n.kids {
			writeSVG(w, k, depth+1)
		}
		w.WriteString(strings.Repeat("  ", depth) + "</" + n.name + ">\n")
	}
}

// ---------------------------------------------------------------------
// Drawing

type svgPainter struct {
	f   *fpdf.Fpdf
	ids map[string]*node
}

// drawSVG draws a localised drawing over the whole current page.
func drawSVG(f *fpdf.Fpdf, root *node) error {
	vb, ok := root.attr("viewBox")
	pw, ph := f.GetPageSize()
	if v, err := numbers(vb); !ok || err != nil || len(v) != 4 || v[0] != 0 || v[1] != 0 || math.Abs(v[2]-pw) > 0.01 || math.Abs(v[3]-ph) > 0.01 {
		return fmt.Errorf("svg: the viewBox must be \"0 0 %g %g\" (one unit a millimetre of the page), not %q", pw, ph, vb)
	}
	p := &svgPainter{f: f, ids: map[string]*node{}}
	var index func(n *node)
	index = func(n *node) {
		if id, ok := n.attr("id"); ok {
			p.ids[id] = n
		}
		for _, k := range n.kids {
			index(k)
		}
	}
	index(root)
	return p.draw(root, identity, defaultStyle(), 0)
}

func (p *svgPainter) draw(n *node, ctm matrix, st style, depth int) error {
	if depth > 32 {
		return fmt.Errorf("svg: <use> nested too deep (a loop?)")
	}
	if n.name == "defs" || n.name == "title" || n.name == "desc" {
		return nil
	}
	if _, ok := n.attr("data-key"); ok {
		return fmt.Errorf("svg: a keyed text was not localised")
	}
	st, err := st.inherit(n)
	if err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	if t, ok := n.attr("transform"); ok {
		m, err := parseTransform(t)
		if err != nil {
			return fmt.Errorf("svg: <%s>: %w", n.name, err)
		}
		ctm = ctm.then(m)
	}
	nums := func(names ...string) ([]float64, error) {
		out := make([]float64, len(names))
		for i, name := range names {
			v, err := n.num(name, 0)
			if err != nil {
				return nil, fmt.Errorf("svg: %w", err)
			}
			out[i] = v
		}
		return out, nil
	}
	var path []seg
	switch n.name {
	case "svg", "g":
		for _, k := range n.kids {
			if err := p.draw(k, ctm, st, depth); err != nil {
				return err
			}
		}
		return nil
	case "use":
		href, _ := n.attr("href")
		ref, ok := p.ids[strings.TrimPrefix(href, "#")]
		if !strings.HasPrefix(href, "#") || !ok {
			return fmt.Errorf("svg: <use href=%q>: no such id", href)
		}
		v, err := nums("x", "y")
		if err != nil {
			return err
		}
		return p.draw(ref, ctm.then(matrix{1, 0, 0, 1, v[0], v[1]}), st, depth+1)
	case "rect":
		v, err := nums("x", "y", "width", "height")
		if err != nil {
			return err
		}
		rx, err := n.num("rx", -1)
		if err != nil {
			return err
		}
		ry, err := n.num("ry", -1)
		if err != nil {
			return err
		}
		if rx < 0 {
			rx = max(ry, 0)
		}
		if ry < 0 {
			ry = rx
		}
		path = rectPath(v[0], v[1], v[2], v[3], rx, ry)
	case "circle":
		v, err := nums("cx", "cy", "r")
		if err != nil {
			return err
		}
		path = ellipsePath(v[0], v[1], v[2], v[2])
	case "ellipse":
		v, err := nums("cx", "cy", "rx", "ry")
		if err != nil {
			return err
		}
		path = ellipsePath(v[0], v[1], v[2], v[3])
	case "line":
		v, err := nums("x1", "y1", "x2", "y2")
		if err != nil {
			return err
		}
		path = []seg{{'M', v[:2]}, {'L', v[2:]}}
		st.fill = nil // a line has no inside
	case "polyline", "polygon":
		s, _ := n.attr("points")
		v, err := numbers(s)
		if err != nil || len(v) < 4 || len(v)%2 != 0 {
			return fmt.Errorf("svg: <%s points=%q>", n.name, s)
		}
		path = []seg{{'M', v[:2]}}
		for i := 2; i < len(v); i += 2 {
			path = append(path, seg{'L', v[i : i+2]})
		}
		if n.name == "polygon" {
			path = append(path, seg{'Z', nil})
		}
	case "path":
		d, _ := n.attr("d")
		path, err = parsePath(d)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
	case "text":
		return p.text(n, ctm, st)
	default:
		return fmt.Errorf("svg: <%s> cannot be drawn here", n.name)
	}
	p.paint(path, ctm, st)
	return nil
}

// paint fills then strokes a path, as SVG does.
func (p *svgPainter) paint(path []seg, ctm matrix, st style) {
	if len(path) == 0 || (st.fill == nil && (st.stroke == nil || st.strokeWidth <= 0)) {
		return
	}
	f := p.f
	for _, s := range path {
		switch s.op {
		case 'M':
			f.MoveTo(ctm.apply(s.pts[0], s.pts[1]))
		case 'L':
			f.LineTo(ctm.apply(s.pts[0], s.pts[1]))
		case 'C':
			x1, y1 := ctm.apply(s.pts[0], s.pts[1])
			x2, y2 := ctm.apply(s.pts[2], s.pts[3])
			x3, y3 := ctm.apply(s.pts[4], s.pts[5])
			f.CurveBezierCubicTo(x1, y1, x2, y2, x3, y3)
		case 'Z':
			f.ClosePath()
		}
	}
	op := ""
	if st.fill != nil {
		f.SetFillColor(st.fill.r, st.fill.g, st.fill.b)
		op = "F"
	}
	if st.stroke != nil && st.strokeWidth > 0 {
		f.SetDrawColor(st.stroke.r, st.stroke.g, st.stroke.b)
		f.SetLineWidth(st.strokeWidth * ctm.scale())
		f.SetLineCapStyle(st.cap)
		f.SetLineJoinStyle(st.join)
		dash := make([]float64, len(st.dash))
		for i, d := range st.dash {
			dash[i] = d * ctm.scale()
		}
		f.SetDashPattern(dash, 0)
		op += "D"
	}
	if st.evenOdd {
		op += "*"
	}
	f.DrawPath(op)
	if len(st.dash) > 0 {
		f.SetDashPattern(nil, 0)
	}
}

// text writes a <text> and its <tspan>s, one run each.
func (p *svgPainter) text(n *node, ctm matrix, st style) error {
	if math.Abs(ctm[1]) > 1e-9 || math.Abs(ctm[2]) > 1e-9 || math.Abs(ctm[0]-ctm[3]) > 1e-9 || ctm[0] <= 0 {
		return fmt.Errorf("svg: a <text> may be moved and scaled evenly, not rotated or stretched")
	}
	x, err := n.num("x", 0)
	if err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	y, err := n.num("y", 0)
	if err != nil {
		return fmt.Errorf("svg: %w", err)
	}
	run := func(s string, st style) {
		s = collapse(s)
		if s == "" || st.fill == nil {
			return
		}
		if st.stroke != nil {
			return
		}
		style := ""
		if st.bold {
			style = "B"
		}
		size := st.fontSize * ctm[0]
		p.f.SetFont(fontName, style, size/ptToMM)
		px, py := ctm.apply(x, y)
		switch st.anchor {
		case "middle":
			px -= p.f.GetStringWidth(s) / 2
		case "end":
			px -= p.f.GetStringWidth(s)
		}
		p.f.SetTextColor(st.fill.r, st.fill.g, st.fill.b)
		p.f.Text(px, py, s)
	}
	if st.stroke != nil {
		return fmt.Errorf("svg: a <text> with a stroke is not drawn by the generator")
	}
	if len(n.kids) == 0 {
		run(n.text, st)
		return nil
	}
	if strings.TrimSpace(n.text) != "" {
		return fmt.Errorf("svg: a <text> holds both words and <tspan>s: put every word in a <tspan>")
	}
	for _, k := range n.kids {
		if k.name != "tspan" || len(k.kids) > 0 {
			return fmt.Errorf("svg: a <text> may hold <tspan>s only, each holding words only")
		}
		kst, err := st.inherit(k)
		if err != nil {
			return fmt.Errorf("svg: %w", err)
		}
		if k.text == "" {
			continue
		}
		if v, ok := k.attr("x"); ok {
			if x, err = strconv.ParseFloat(v, 64); err != nil {
				return fmt.Errorf("svg: <tspan x=%q>", v)
			}
		}
		if v, ok := k.attr("y"); ok {
			if y, err = strconv.ParseFloat(v, 64); err != nil {
				return fmt.Errorf("svg: <tspan y=%q>", v)
			}
		}
		if v, ok := k.attr("dy"); ok {
			dy, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("svg: <tspan dy=%q>", v)
			}
			y += dy
		}
		if kst.stroke != nil {
			return fmt.Errorf("svg: a <tspan> with a stroke is not drawn by the generator")
		}
		run(k.text, kst)
	}
	return nil
}
