package certificate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Text is the wording of the PDF in the holder's language. The caller
// translates it (go-i18n), so this package holds no language.
type Text struct {
	Heading      string // "Certificate of completion"
	Intro        string // "This certifies that"
	Completed    string // "has completed the course"
	DateLabel    string // "Date"
	DurationText string // "45 minutes", already formatted
	OrgLabel     string // "Organisation"
	SerialLabel  string // "Certificate no."
	VerifyText   string // "Check it at {url} or scan the code.", already filled with the URL
	Revoked      string // "" unless revoked: "REVOKED on 2027-03-02: reason", printed large and red across the page
	Date         string // the completion date, formatted for the language
}

// Page geometry in millimetres: A4 landscape.
const (
	pageW     = 297.0
	pageH     = 210.0
	marginX   = 25.0  // text column left and right
	topY      = 17.0  // first line (issuer)
	topMaxY   = 132.0 // the centred block must end above the details
	detailsY  = 140.0 // labels, serial and QR code start here
	qrSide    = 48.0  // QR image side, quiet zone included; the code itself is ≈44 mm
	qrPxPerMM = 8     // pixels per module: crisp when printed, still a tiny PNG
	ptToMM    = 25.4 / 72
	fontName  = "dejavu"

	// The revocation banner: a red band across the page between the name
	// block and the details. It overlaps nothing, so the certificate stays
	// legible as evidence and the banner is extracted as text in one piece.
	bannerGap      = 4.0 // mm above the band
	bannerPad      = 3.0 // mm inside the band, above and below the text
	bannerMaxLines = 3
)

// Text colours.
func inkMain(f *fpdf.Fpdf)  { f.SetTextColor(34, 34, 34) }
func inkMuted(f *fpdf.Fpdf) { f.SetTextColor(90, 90, 90) }
func inkBrand(f *fpdf.Fpdf) { f.SetTextColor(23, 78, 96) }
func inkRed(f *fpdf.Fpdf)   { f.SetTextColor(200, 16, 16) }

// PDF renders the certificate on one A4 landscape page: the heading, the
// intro, the holder's name large, the course, date, duration, organisation,
// the formatted serial, the QR code of qrContent (QRPNG, 48 mm wide) and
// text.VerifyText, and the text.Revoked banner when set.
//
// All text is real PDF text in DejaVu Sans (regular and bold TrueType
// bytes, usually from assets.Font), subset to the letters used, never an
// image: it can be searched, extracted and read by a screen reader, and
// Bambara's ɛ ɔ ɲ ŋ render. Long names and titles wrap, then shrink, so
// that everything stays on the page. The output depends only on the
// arguments (the PDF's dates are the completion date), so rendering twice
// gives the same bytes.
func PDF(c Certificate, text Text, qrContent string, regular, bold []byte) (out []byte, err error) {
	for _, font := range [][]byte{regular, bold} {
		if err := checkFont(font); err != nil {
			return nil, err
		}
	}
	modules, err := qrModules(qrContent)
	if err != nil {
		return nil, err
	}
	qr, err := QRPNG(qrContent, modules*qrPxPerMM)
	if err != nil {
		return nil, err
	}
	// fpdf indexes tables with caller data and may panic on a font it
	// cannot parse; a bad certificate must be an error, not a crash.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("certificate: PDF: %v", r)
		}
	}()

	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "L", UnitStr: "mm", SizeStr: "A4"})
	f.SetAutoPageBreak(false, 0) // one page, always: the layout fits itself
	f.SetCompression(true)
	f.SetCatalogSort(true) // stable object order, hence stable bytes
	f.SetCreationDate(c.Completed.UTC())
	f.SetModificationDate(c.Completed.UTC())
	f.SetTitle(clean(text.Heading+" "+FormatSerial(c.Serial)), true)
	f.SetSubject(clean(c.Title), true)
	f.SetAuthor(clean(c.Issuer), true)
	f.SetCreator("Kalan", true)
	if isLangTag(c.Lang) {
		f.SetLang(c.Lang)
	}
	f.AddUTF8FontFromBytes(fontName, "", regular)
	f.AddUTF8FontFromBytes(fontName, "B", bold)
	f.SetMargins(marginX, topY, marginX)
	f.SetCellMargin(0)
	f.AddPage()

	frame(f, text.Revoked != "")
	centred(f, c, text)
	details(f, c, text)
	f.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	qrX, qrY := pageW-marginX-qrSide+3, detailsY-2
	f.ImageOptions("qr", qrX, qrY, qrSide, qrSide, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	if strings.HasPrefix(qrContent, "https://") || strings.HasPrefix(qrContent, "http://") {
		f.LinkString(qrX, qrY, qrSide, qrSide, qrContent) // a click does what a scan does
	}

	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, fmt.Errorf("certificate: PDF: %w", err)
	}
	return b.Bytes(), nil
}

// frame draws a double border: a certificate looks like one, and a border
// shows at once when a page was cropped. It is red on a revoked one.
func frame(f *fpdf.Fpdf, isRevoked bool) {
	if isRevoked {
		f.SetDrawColor(200, 16, 16)
	} else {
		f.SetDrawColor(23, 78, 96)
	}
	f.SetLineWidth(1.2)
	f.Rect(9, 9, pageW-18, pageH-18, "D")
	f.SetLineWidth(0.3)
	f.Rect(12, 12, pageW-24, pageH-24, "D")
}

// para is one centred paragraph: its lines at a size, and the space after.
type para struct {
	text  string
	style string
	size  float64 // pt
	gap   float64 // mm after it
	ink   func(*fpdf.Fpdf)
	lines []string
}

func (p *para) lineH() float64 { return p.size * ptToMM * 1.25 }

func (p *para) height() float64 { return float64(len(p.lines))*p.lineH() + p.gap }

// layout wraps p at size to width w.
func (p *para) layout(f *fpdf.Fpdf, size, w float64) {
	p.size = size
	f.SetFont(fontName, p.style, size)
	p.lines = f.SplitText(p.text, w)
}

// centred lays out the centred block, from the issuer down to the
// duration, then the revocation banner if any, in the space above the
// details. The name and the title first shrink to fit two lines each (down
// to a floor that stays readable); if the block still overflows, both
// shrink further: a 120-character name must neither leave the page nor run
// into the details. What is left is split above and below the block.
func centred(f *fpdf.Fpdf, c Certificate, text Text) {
	w := pageW - 2*marginX
	issuer := &para{text: clean(c.Issuer), size: 9, gap: 3, ink: inkMuted}
	heading := &para{text: clean(text.Heading), style: "B", size: 26, gap: 5, ink: inkBrand}
	intro := &para{text: clean(text.Intro), size: 13, gap: 3, ink: inkMain}
	name := &para{text: clean(c.Holder), style: "B", gap: 3, ink: inkMain}
	done := &para{text: clean(text.Completed), size: 13, gap: 2, ink: inkMain}
	title := &para{text: clean(c.Title), style: "B", gap: 1.5, ink: inkBrand}
	duration := &para{text: clean(text.DurationText), size: 11, ink: inkMuted}
	block := []*para{heading, intro, name, done, title, duration}
	for _, p := range append(block, issuer) {
		if p.size != 0 {
			p.layout(f, p.size, w)
		}
	}
	fitLines(f, name, 2, 30, 18, w)
	fitLines(f, title, 2, 20, 13, w)

	var banner *para
	bannerH := 0.0
	if text.Revoked != "" {
		banner = &para{text: clean(text.Revoked), style: "B", ink: inkRed}
		fitLines(f, banner, 1, 30, 22, w) // one line if it can stay large
		if len(banner.lines) > 1 {
			fitLines(f, banner, 2, 22, 14, w)
		}
		if len(banner.lines) > bannerMaxLines { // the verification page has the whole reason
			banner.lines = banner.lines[:bannerMaxLines]
			banner.lines[bannerMaxLines-1] += "…"
		}
		bannerH = bannerGap + float64(len(banner.lines))*banner.lineH() + 2*bannerPad
	}

	blockH := func() float64 {
		h := bannerH
		for _, p := range block {
			h += p.height()
		}
		return h
	}
	top := topY + issuer.height()
	room := detailsY - 6 - top
	for blockH() > room && (name.size > 8 || title.size > 8) {
		if name.size >= title.size {
			name.layout(f, name.size-1, w)
		} else {
			title.layout(f, title.size-1, w)
		}
	}

	write(f, issuer, marginX, topY, w)
	y := top + max(0, (room-blockH())/2)
	for _, p := range block {
		y = write(f, p, marginX, y, w)
	}
	if banner != nil {
		y += bannerGap
		h := float64(len(banner.lines))*banner.lineH() + 2*bannerPad
		f.SetFillColor(253, 232, 232)
		f.Rect(12, y, pageW-24, h, "F")
		f.SetDrawColor(200, 16, 16)
		f.SetLineWidth(1.2)
		f.Line(12, y, pageW-12, y)
		f.Line(12, y+h, pageW-12, y+h)
		write(f, banner, marginX, y+bannerPad, w)
	}
}

// write prints p's lines centred in w from (x, y) and returns the y below
// it, gap included.
func write(f *fpdf.Fpdf, p *para, x, y, w float64) float64 {
	f.SetFont(fontName, p.style, p.size)
	p.ink(f)
	for _, line := range p.lines {
		f.SetXY(x, y)
		f.CellFormat(w, p.lineH(), line, "", 0, "C", false, 0, "")
		y += p.lineH()
	}
	return y + p.gap
}

// fitLines sets p to the largest size from hi down to lo (in 1 pt steps)
// at which it takes at most n lines, or lo.
func fitLines(f *fpdf.Fpdf, p *para, n int, hi, lo, w float64) {
	for size := hi; ; size-- {
		p.layout(f, size, w)
		if len(p.lines) <= n || size <= lo {
			return
		}
	}
}

// details writes the labelled facts in the lower left, left of the QR code:
// date, organisation, serial (the one a verifier types), then VerifyText.
func details(f *fpdf.Fpdf, c Certificate, text Text) {
	const labelW = 48.0
	valueW := pageW - 2*marginX - qrSide - 8 - labelW
	y := detailsY
	row := func(label, value string, size float64) {
		f.SetFont(fontName, "", 10)
		inkMuted(f)
		f.SetXY(marginX, y+0.8)
		f.CellFormat(labelW, 6, clean(label), "", 0, "L", false, 0, "")
		f.SetFont(fontName, "B", size)
		inkMain(f)
		lines := f.SplitText(clean(value), valueW)
		if len(lines) > 2 { // a label, not an essay: keep the rows in place
			lines = lines[:2]
			lines[1] += "…"
		}
		for _, line := range lines {
			f.SetXY(marginX+labelW, y)
			f.CellFormat(valueW, 7, line, "", 0, "L", false, 0, "")
			y += 7
		}
		if len(lines) == 0 {
			y += 7
		}
		y += 1.5
	}
	row(text.DateLabel, text.Date, 12)
	row(text.OrgLabel, c.Organisation, 12)
	row(text.SerialLabel, FormatSerial(c.Serial), 15)

	f.SetFont(fontName, "", 9)
	inkMuted(f)
	w := labelW + valueW
	lines := f.SplitText(clean(text.VerifyText), w)
	y = max(y+2, pageH-20-float64(len(lines))*4.5)
	for _, line := range lines {
		f.SetXY(marginX, y)
		f.CellFormat(w, 4.5, line, "", 0, "L", false, 0, "")
		y += 4.5
	}
}

// clean makes text safe for fpdf: its UTF-8 width tables cover the Basic
// Multilingual Plane only and it panics beyond (an emoji in a name), and a
// control character (a newline in a title) would break the layout. Those
// become U+FFFD and a space; everything else, Bambara letters included, is
// kept exactly.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return unicode.ReplacementChar
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, s)
}

// checkFont checks that b is a whole TrueType font: the sfnt version, and
// a table directory whose tables, the ones fpdf needs among them, all lie
// inside b. fpdf itself prints to stdout and carries on when it cannot
// parse a font, and embeds a broken one when it is cut short.
func checkFont(b []byte) error {
	u16 := func(i int) int { return int(binary.BigEndian.Uint16(b[i:])) }
	u32 := func(i int) int { return int(binary.BigEndian.Uint32(b[i:])) }
	if len(b) < 12 || (string(b[:4]) != "\x00\x01\x00\x00" && string(b[:4]) != "true") {
		return errors.New("certificate: PDF: font is not TrueType")
	}
	n := u16(4)
	if len(b) < 12+16*n {
		return errors.New("certificate: PDF: font is cut short")
	}
	need := map[string]bool{"cmap": true, "glyf": true, "head": true, "hhea": true, "hmtx": true, "loca": true, "maxp": true, "name": true, "post": true}
	for i := range n {
		rec := 12 + 16*i
		if off, size := u32(rec+8), u32(rec+12); off > len(b) || size > len(b)-off {
			return errors.New("certificate: PDF: font is cut short")
		}
		delete(need, string(b[rec:rec+4]))
	}
	if len(need) != 0 {
		return errors.New("certificate: PDF: font lacks TrueType tables")
	}
	return nil
}

// isLangTag accepts what can safely go into the PDF's /Lang: a BCP 47-like
// tag of letters, digits and dashes.
func isLangTag(s string) bool {
	if s == "" || len(s) > 35 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}
