package picture

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
)

// svgType is the content type of SVG images, which Inspect sizes from the
// attributes of their root element.
const svgType = "image/svg+xml"

// maxSVGSide bounds the size read from an SVG: a larger width or height is
// a mistake, not a diagram.
const maxSVGSide = 20000

// Sized reports whether Inspect can tell the size of images of the content
// type: the raster formats and SVG.
func Sized(contentType string) bool { return Raster(contentType) || contentType == svgType }

// inspectSVG reads the size of an SVG image from its root element: its
// width and height in pixels (a number, or a number of px), the one that
// is missing or in another unit taken from the proportions of its viewBox,
// else the size of its viewBox, as browsers size an <img> of it. The first
// bytes of the file suffice; the rest is not read.
func inspectSVG(head []byte) (Size, error) {
	d := xml.NewDecoder(bytes.NewReader(head))
	d.Strict = false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return Size{}, ErrUnsupported
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue // prolog, comments, doctype
		}
		if el.Name.Local != "svg" {
			return Size{}, ErrUnsupported
		}
		return svgSize(el.Attr)
	}
}

func svgSize(attrs []xml.Attr) (Size, error) {
	var w, h, vw, vh float64
	for _, a := range attrs {
		if a.Name.Space != "" && a.Name.Space != "svg" {
			continue
		}
		switch a.Name.Local {
		case "width":
			w = svgLength(a.Value)
		case "height":
			h = svgLength(a.Value)
		case "viewBox":
			vw, vh = viewBox(a.Value)
		}
	}
	switch {
	case w > 0 && h > 0:
	case w > 0 && vw > 0:
		h = w * vh / vw
	case h > 0 && vh > 0:
		w = h * vw / vh
	case vw > 0:
		w, h = vw, vh
	default:
		return Size{}, ErrUnsupported
	}
	s := Size{int(math.Round(w)), int(math.Round(h))}
	if s.Width < 1 || s.Height < 1 || s.Width > maxSVGSide || s.Height > maxSVGSide {
		return Size{}, ErrUnsupported
	}
	return s, nil
}

// svgLength is a length in pixels ("320", "320px"), or 0 for anything else
// (a percentage, another unit, a mistake).
func svgLength(s string) float64 {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// viewBox returns the width and height of a viewBox ("0 0 320 344"), or
// zeros.
func viewBox(s string) (w, h float64) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' || r == '\r' })
	if len(f) != 4 {
		return 0, 0
	}
	w, errW := strconv.ParseFloat(f[2], 64)
	h, errH := strconv.ParseFloat(f[3], 64)
	if errW != nil || errH != nil || !(w > 0) || !(h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return 0, 0
	}
	return w, h
}
