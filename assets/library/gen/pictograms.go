package main

import (
	"bytes"
	_ "embed"
	"fmt"
)

// pictogramSVG is the drawing of the pictogram poster, the same for every
// language: its texts are keys (see svg.go and text_pictograms.go).
//
//go:embed pictograms/poster.svg
var pictogramSVG []byte

// renderPictograms draws the pictogram poster in one language as an A4
// PDF. It also returns the drawing with that language's words in place,
// as SVG, for a look at it in an SVG viewer.
func renderPictograms(p pictoPoster, regular, bold []byte) (pdf, svg []byte, err error) {
	defer func() { // fpdf panics on some bad input; report it as an error
		if r := recover(); r != nil {
			pdf, svg, err = nil, nil, fmt.Errorf("fpdf: %v", r)
		}
	}()
	root, err := parseSVG(pictogramSVG)
	if err != nil {
		return nil, nil, err
	}
	d := newDoc("A4", p.Lang, p.Title, p.Subject, regular, bold)
	local, err := localise(root, p.Text, fpdfMeasurer(d.f))
	if err != nil {
		return nil, nil, fmt.Errorf("pictograms/poster.svg: %w", err)
	}
	if err := drawSVG(d.f, local); err != nil {
		return nil, nil, fmt.Errorf("pictograms/poster.svg: %w", err)
	}
	d.footerTop = d.pageH // the drawing has its own footer
	pdf, err = d.finish()
	if err != nil {
		return nil, nil, err
	}
	var b bytes.Buffer
	writeSVG(&b, local, 0)
	return pdf, b.Bytes(), nil
}
