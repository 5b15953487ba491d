package main

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

const (
	fontName = "dejavu"
	ptToMM   = 25.4 / 72
	bullet   = "•"
)

// made is the date written into every PDF: a constant, so that the bytes
// do not change from one run to the next.
func made() time.Time { return time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC) }

// Colours.
func inkMain(f *fpdf.Fpdf)  { f.SetTextColor(34, 34, 34) }
func inkMuted(f *fpdf.Fpdf) { f.SetTextColor(85, 85, 85) }
func inkBrand(f *fpdf.Fpdf) { f.SetTextColor(23, 78, 96) }
func inkWhite(f *fpdf.Fpdf) { f.SetTextColor(255, 255, 255) }
func inkAlert(f *fpdf.Fpdf) { f.SetTextColor(150, 60, 0) }

// doc is a page being laid out from the top down, with a footer fixed at
// the bottom; flowing content must end above it.
type doc struct {
	f         *fpdf.Fpdf
	pageW     float64
	pageH     float64
	margin    float64
	y         float64 // where the next block starts
	footerTop float64
}

func newDoc(size, lang, title, subject string, regular, bold []byte) *doc {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: size})
	f.SetAutoPageBreak(false, 0) // one page: layout errors are reported, never spilled
	f.SetCompression(true)
	f.SetCatalogSort(true) // stable object order, hence stable bytes
	f.SetCreationDate(made())
	f.SetModificationDate(made())
	f.SetTitle(title, true)
	f.SetSubject(subject, true)
	f.SetAuthor(credit, true)
	f.SetCreator("Kalan library generator (assets/library/gen)", true)
	f.SetKeywords(licence, true)
	f.SetLang(lang)
	f.AddUTF8FontFromBytes(fontName, "", regular)
	f.AddUTF8FontFromBytes(fontName, "B", bold)
	f.SetCellMargin(0)
	f.AddPage()
	w, h := f.GetPageSize()
	return &doc{f: f, pageW: w, pageH: h}
}

func (d *doc) width() float64 { return d.pageW - 2*d.margin }

func lineH(size float64) float64 { return size * ptToMM * 1.3 }

// lines wraps s at size and style to width w.
func (d *doc) lines(s, style string, size, w float64) []string {
	d.f.SetFont(fontName, style, size)
	return d.f.SplitText(s, w)
}

// text writes s wrapped to w from (x, y), aligned "L" or "C", and returns
// the y below it.
func (d *doc) text(s, style string, size, x, y, w float64, align string, ink func(*fpdf.Fpdf)) float64 {
	ls := d.lines(s, style, size, w)
	ink(d.f)
	for _, l := range ls {
		d.f.SetXY(x, y)
		d.f.CellFormat(w, lineH(size), l, "", 0, align, false, 0, "")
		y += lineH(size)
	}
	return y
}

// band is the coloured title block across the top of the page: a small
// kicker line, then the title, as large as fits in maxLines lines.
func (d *doc) band(kicker, title string, size, minSize float64, maxLines int) {
	for size > minSize && len(d.lines(title, "B", size, d.width())) > maxLines {
		size--
	}
	const top, bottom = 9.0, 6.5
	n := len(d.lines(title, "B", size, d.width()))
	h := top + lineH(9) + 1.5 + float64(n)*lineH(size)*0.95 + bottom
	d.f.SetFillColor(23, 78, 96)
	d.f.Rect(0, 0, d.pageW, h, "F")
	d.f.SetFillColor(230, 150, 40)
	d.f.Rect(0, h, d.pageW, 1.6, "F")
	y := d.text(kicker, "B", 9, d.margin, top, d.width(), "L", func(f *fpdf.Fpdf) { f.SetTextColor(190, 225, 232) })
	d.f.SetFont(fontName, "B", size)
	inkWhite(d.f)
	for _, l := range d.lines(title, "B", size, d.width()) {
		d.f.SetXY(d.margin, y+1.5)
		d.f.CellFormat(d.width(), lineH(size)*0.95, l, "", 0, "L", false, 0, "")
		y += lineH(size) * 0.95
	}
	d.y = h + 1.6 + 5
}

// para writes a paragraph across the text column.
func (d *doc) para(s, style string, size, gap float64, ink func(*fpdf.Fpdf)) {
	d.y = d.text(s, style, size, d.margin, d.y, d.width(), "L", ink) + gap
}

// heading writes a section heading with a short rule under it.
func (d *doc) heading(s string, size float64) {
	d.y = d.text(s, "B", size, d.margin, d.y, d.width(), "L", inkBrand)
	d.f.SetDrawColor(230, 150, 40)
	d.f.SetLineWidth(0.8)
	d.f.Line(d.margin, d.y+0.6, d.margin+24, d.y+0.6)
	d.y += 3.2
}

// bulletList writes items as bullets from (x, y) in width w and returns
// the y below them.
func (d *doc) bulletList(items []string, size, x, y, w, gap float64) float64 {
	indent := size * ptToMM * 1.1
	for i, it := range items {
		if i > 0 {
			y += gap
		}
		d.f.SetFont(fontName, "B", size)
		inkBrand(d.f)
		d.f.SetXY(x, y)
		d.f.CellFormat(indent, lineH(size), bullet, "", 0, "L", false, 0, "")
		y = d.text(it, "", size, x+indent, y, w-indent, "L", inkMain)
	}
	return y
}

func (d *doc) bulletsHeight(items []string, size, w, gap float64) float64 {
	indent := size * ptToMM * 1.1
	h := 0.0
	for i, it := range items {
		if i > 0 {
			h += gap
		}
		h += float64(len(d.lines(it, "", size, w-indent))) * lineH(size)
	}
	return h
}

// groups writes the signs as a table: the group's name on the left, its
// signs on the right, rows shaded in turn.
func (d *doc) groups(gs []group, labelW, labelSize, size float64) {
	const pad = 1.8
	x, w := d.margin, d.width()
	bodyX, bodyW := x+labelW+3, w-labelW-3-pad
	for i, g := range gs {
		labelLines := d.lines(g.Name, "B", labelSize, labelW-pad)
		h := max(float64(len(labelLines))*lineH(labelSize), d.bulletsHeight(g.Signs, size, bodyW, 0.8)) + 2*pad
		if i%2 == 0 {
			d.f.SetFillColor(232, 242, 245)
		} else {
			d.f.SetFillColor(246, 250, 251)
		}
		d.f.Rect(x, d.y, w, h, "F")
		d.f.SetFillColor(23, 78, 96)
		d.f.Rect(x, d.y, 1.2, h, "F")
		d.text(g.Name, "B", labelSize, x+pad+0.6, d.y+pad, labelW-pad, "L", inkBrand)
		d.bulletList(g.Signs, size, bodyX, d.y+pad, bodyW, 0.8)
		d.y += h + 1.2
	}
}

// box writes a heading and bullets on a tinted panel.
func (d *doc) box(title string, items []string, titleSize, size float64) {
	const pad = 3.0
	x, w := d.margin, d.width()
	inner := w - 2*pad
	h := float64(len(d.lines(title, "B", titleSize, inner)))*lineH(titleSize) + 1.5 + d.bulletsHeight(items, size, inner, 1.2) + 2*pad
	d.f.SetFillColor(253, 241, 222)
	d.f.SetDrawColor(230, 150, 40)
	d.f.SetLineWidth(0.5)
	d.f.RoundedRect(x, d.y, w, h, 2.5, "1234", "FD")
	y := d.text(title, "B", titleSize, x+pad, d.y+pad, inner, "L", inkAlert)
	d.bulletList(items, size, x+pad, y+1.5, inner, 1.2)
	d.y += h
}

// fillIn writes a label and n ruled lines where a facilitator writes, by
// hand, who to turn to locally: the material names no service or number.
func (d *doc) fillIn(label string, n int, size, gap float64) {
	d.y = d.text(label, "B", size, d.margin, d.y, d.width(), "L", inkMain)
	d.f.SetDrawColor(150, 150, 150)
	d.f.SetLineWidth(0.25)
	for range n {
		d.y += gap
		d.f.Line(d.margin, d.y, d.margin+d.width(), d.y)
	}
	d.y += 2
}

// footer writes small lines at the bottom of the page, above the margin,
// and records where the flowing content must stop.
func (d *doc) footer(lines []string, size float64) {
	h := 0.0
	for _, l := range lines {
		h += float64(len(d.lines(l, "", size, d.width()))) * lineH(size)
	}
	top := d.pageH - d.margin*0.8 - h
	d.f.SetDrawColor(190, 190, 190)
	d.f.SetLineWidth(0.25)
	d.f.Line(d.margin, top-1.8, d.pageW-d.margin, top-1.8)
	y := top
	for _, l := range lines {
		y = d.text(l, "", size, d.margin, y, d.width(), "L", inkMuted)
	}
	d.footerTop = top - 1.8
}

// finish checks the content stayed above the footer and returns the PDF.
func (d *doc) finish() ([]byte, error) {
	if d.y > d.footerTop-1 {
		return nil, fmt.Errorf("content runs %.1f mm into the footer: shorten the text", d.y-d.footerTop+1)
	}
	if err := d.f.Error(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := d.f.Output(&b); err != nil {
		return nil, err
	}
	if b.Len() == 0 {
		return nil, errors.New("empty PDF")
	}
	return b.Bytes(), nil
}

// renderPoster lays out an A4 portrait poster.
func renderPoster(p poster, regular, bold []byte) (out []byte, err error) {
	defer func() { // fpdf panics on some bad input; report it as an error
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("fpdf: %v", r)
		}
	}()
	d := newDoc("A4", p.Lang, p.Title, p.Subject, regular, bold)
	d.margin = 12
	d.footer(p.Footer, 7.5)
	d.band(p.Kicker, p.Title, 28, 22, 2)
	d.para(p.Intro, "", 10, 3, inkMain)
	d.heading(p.SignsHeading, 15)
	d.para(p.SignsNote, "", 9.5, 2.5, inkMuted)
	d.groups(p.Groups, 44, 11.5, 10.5)
	d.y += 2.5
	d.box(p.TodoHeading, p.Todo, 15, 10.5)
	d.y += 4
	d.fillIn(p.FillLabel, 2, 10.5, 7.5)
	return d.finish()
}

// renderLeaflet lays out a one-page A5 portrait leaflet.
func renderLeaflet(l leaflet, regular, bold []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("fpdf: %v", r)
		}
	}()
	d := newDoc("A5", l.Lang, l.Title, l.Subject, regular, bold)
	d.margin = 10
	d.footer(l.Footer, 6.5)
	d.band(l.Kicker, l.Title, 20, 15, 2)
	d.heading(l.WhatHeading, 12.5)
	d.para(l.What, "", 10.5, 1.5, inkMain)
	d.para(l.AtRisk, "B", 10.5, 3.5, inkMain)
	d.heading(l.SignsHeading, 12.5)
	d.y = d.bulletList(l.Signs, 10.5, d.margin, d.y, d.width(), 0.8) + 3
	d.box(l.TodoHeading, l.Todo, 12.5, 10.5)
	d.y += 4
	d.fillIn(l.FillLabel, 2, 10, 7)
	return d.finish()
}
