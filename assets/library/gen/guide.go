package main

import (
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"
)

// The facilitator guide: A4 pages of blocks that flow from one page to
// the next. A block never splits across two pages (a list of bullets may,
// between bullets); one taller than a page is an error, as is a guide of
// more pages than MaxPages.

// guide is the text of a facilitator guide.
type guide struct {
	File, Lang     string
	Title, Subject string
	Kicker         string
	Running        string // the small header of the pages after the first
	Intro          string
	Blocks         []any // gHeading, gPara, gBullets, gStep, gBox
	Footer         []string
	MaxPages       int
}

type (
	// gHeading is a section heading.
	gHeading string
	// gPara is a paragraph.
	gPara string
	// gBullets is a list.
	gBullets []string
	// gStep is a timed step of the session plan.
	gStep struct {
		Time  string // "0–10"
		Unit  string // "min"
		Title string
		Parts []gPart
	}
	// gPart is a labelled part of a step: what to say, what to ask…
	gPart struct {
		Label string
		Text  string   // a paragraph, or
		Items []string // a list
	}
	// gBox is a tinted panel with a title and bullets.
	gBox struct {
		Title string
		Items []string
	}
)

const (
	guideSize   = 10.0 // running text, in points
	guideGap    = 2.2  // after a paragraph or a list, mm
	stepLabelW  = 23.0 // the time badge's column, mm
	stepPad     = 2.4
	partLabelSz = 8.0
)

func (d *doc) paraHeight(s string, size, w float64) float64 {
	return float64(len(d.lines(s, "", size, w))) * lineH(size)
}

func (d *doc) boxHeight(b gBox, titleSize, size float64) float64 {
	const pad = 3.0
	inner := d.width() - 2*pad
	return float64(len(d.lines(b.Title, "B", titleSize, inner)))*lineH(titleSize) + 1.5 + d.bulletsHeight(b.Items, size, inner, 1.2) + 2*pad
}

// stepParts lays out (or, with draw false, measures) a step's title and
// parts in the column from x, width w, from y; it returns the y below.
func (d *doc) stepParts(s gStep, x, y, w float64, draw bool) float64 {
	if draw {
		d.text(s.Title, "B", 11.5, x, y, w, "L", inkBrand)
	}
	y += float64(len(d.lines(s.Title, "B", 11.5, w)))*lineH(11.5) + 0.8
	for _, p := range s.Parts {
		y += 0.8
		if draw {
			d.text(strings.ToUpper(p.Label), "B", partLabelSz, x, y, w, "L", inkAlert)
		}
		y += lineH(partLabelSz) + 0.2
		if p.Text != "" {
			if draw {
				d.text(p.Text, "", guideSize, x, y, w, "L", inkMain)
			}
			y += d.paraHeight(p.Text, guideSize, w)
		}
		if len(p.Items) > 0 {
			if draw {
				d.bulletList(p.Items, guideSize, x, y, w, 0.6)
			}
			y += d.bulletsHeight(p.Items, guideSize, w, 0.6)
		}
	}
	return y
}

func (d *doc) stepHeight(s gStep) float64 {
	w := d.width() - stepLabelW - 2*stepPad
	return max(d.stepParts(s, 0, 0, w, false), 14) + 2*stepPad
}

// step draws a timed step: a badge with the time on the left, the rest on
// a tinted panel.
func (d *doc) step(s gStep) {
	h := d.stepHeight(s)
	x := d.margin
	d.f.SetFillColor(240, 246, 248)
	d.f.Rect(x, d.y, d.width(), h, "F")
	d.f.SetFillColor(23, 78, 96)
	d.f.RoundedRect(x+1.5, d.y+stepPad, stepLabelW-3, 13, 1.8, "1234", "F")
	d.text(s.Time, "B", 12, x+1.5, d.y+stepPad+1.3, stepLabelW-3, "C", inkWhite)
	d.text(s.Unit, "", 8, x+1.5, d.y+stepPad+1.3+lineH(12), stepLabelW-3, "C", func(f *fpdf.Fpdf) { f.SetTextColor(190, 225, 232) })
	d.stepParts(s, x+stepLabelW+stepPad, d.y+stepPad, d.width()-stepLabelW-2*stepPad, true)
	d.y += h
}

// renderGuide lays out a facilitator guide on A4 pages.
func renderGuide(g guide, regular, bold []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("fpdf: %v", r)
		}
	}()
	d := newDoc("A4", g.Lang, g.Title, g.Subject, regular, bold)
	d.f.AliasNbPages("{nb}")
	d.margin = 15
	pages := 1
	pageFooter := func() {
		d.footer(g.Footer, 7.5)
		d.text(fmt.Sprintf("%d / {nb}", d.f.PageNo()), "B", 7.5, d.margin, d.footerTop-5, d.width(), "R", inkMuted)
		d.footerTop -= 5.5
	}
	pageFooter()
	d.band(g.Kicker, g.Title, 22, 17, 2)
	d.para(g.Intro, "", guideSize, guideGap+1.5, inkMain)

	// room makes sure h mm fit above the footer, starting a page if not.
	room := func(h float64, what string) error {
		if d.y+h <= d.footerTop-1 {
			return nil
		}
		if h > d.footerTop-1-(d.margin+10) {
			return fmt.Errorf("%s is taller than a page (%.0f mm): split it", what, h)
		}
		pages++
		if g.MaxPages > 0 && pages > g.MaxPages {
			return fmt.Errorf("more than %d pages: shorten the text", g.MaxPages)
		}
		d.f.AddPage()
		pageFooter()
		d.y = d.margin
		d.text(g.Running, "B", 8, d.margin, d.y, d.width(), "L", inkMuted)
		d.y += lineH(8) + 0.8
		d.f.SetDrawColor(230, 150, 40)
		d.f.SetLineWidth(0.5)
		d.f.Line(d.margin, d.y, d.pageW-d.margin, d.y)
		d.y += 5
		return nil
	}
	for i, b := range g.Blocks {
		switch b := b.(type) {
		case gHeading:
			// keep a heading with the start of what follows it
			next := 0.0
			if i+1 < len(g.Blocks) {
				switch n := g.Blocks[i+1].(type) {
				case gPara:
					next = min(d.paraHeight(string(n), guideSize, d.width()), 3*lineH(guideSize))
				case gBullets:
					next = d.bulletsHeight(n[:1], guideSize, d.width(), 0.8)
				case gStep:
					next = d.stepHeight(n)
				case gBox:
					next = d.boxHeight(n, 12, guideSize)
				}
			}
			h := float64(len(d.lines(string(b), "B", 14, d.width())))*lineH(14) + 3.2
			if err := room(h+next, "a heading"); err != nil {
				return nil, err
			}
			d.y += 1.5
			d.heading(string(b), 14)
		case gPara:
			if err := room(d.paraHeight(string(b), guideSize, d.width()), fmt.Sprintf("the paragraph %.30q", string(b))); err != nil {
				return nil, err
			}
			d.para(string(b), "", guideSize, guideGap, inkMain)
		case gBullets:
			for j, it := range b {
				if err := room(d.bulletsHeight([]string{it}, guideSize, d.width(), 0), fmt.Sprintf("the item %.30q", it)); err != nil {
					return nil, err
				}
				if j > 0 {
					d.y += 0.8
				}
				d.y = d.bulletList([]string{it}, guideSize, d.margin, d.y, d.width(), 0)
			}
			d.y += guideGap
		case gStep:
			if err := room(d.stepHeight(b), fmt.Sprintf("the step %q", b.Title)); err != nil {
				return nil, err
			}
			d.step(b)
			d.y += 2
		case gBox:
			if err := room(d.boxHeight(b, 12, guideSize), fmt.Sprintf("the box %q", b.Title)); err != nil {
				return nil, err
			}
			d.box(b.Title, b.Items, 12, guideSize)
			d.y += guideGap + 1
		default:
			return nil, fmt.Errorf("a block of type %T", b)
		}
	}
	return d.finish()
}
