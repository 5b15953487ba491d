package courses

import (
	"bytes"
	"encoding/xml"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing"
)

// phoneColumn is the width, in CSS pixels, of a lesson image on a 360-pixel
// phone: the screen less the 1rem padding on each side (kalan.css).
const phoneColumn = 360 - 2*16

// TestBundledDiagramsAreReadableOnAPhone: every SVG of the curriculum
// says its width and height (the lesson's <img> takes them, and the page
// does not shift when it arrives), and all its text is at least 12 pixels
// high on a 360-pixel phone; text in another language than the file's is
// marked with a valid lang.
func TestBundledDiagramsAreReadableOnAPhone(t *testing.T) {
	files, err := fs.Glob(Bundle(), "*/media/*.svg")
	if err != nil || len(files) == 0 {
		t.Fatalf("no diagrams: %v", err)
	}
	for _, f := range files {
		data, err := fs.ReadFile(Bundle(), f)
		if err != nil {
			t.Fatal(err)
		}
		checkDiagram(t, f, data)
	}
}

func checkDiagram(t *testing.T, file string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		sizes []float64 // font-size of each open element, inherited
		scale float64   // CSS pixels per viewBox unit on the phone
		texts int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := func(name string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			if tok.Name.Local == "svg" && scale == 0 {
				w, errW := strconv.ParseFloat(attr("width"), 64)
				_, errH := strconv.ParseFloat(attr("height"), 64)
				box := strings.Fields(attr("viewBox"))
				if errW != nil || errH != nil || len(box) != 4 {
					t.Fatalf("%s: the <svg> needs width, height and viewBox in pixels", file)
				}
				vw, _ := strconv.ParseFloat(box[2], 64)
				scale = min(w, phoneColumn) / vw
			}
			size := 16.0 // the browser default
			if len(sizes) > 0 {
				size = sizes[len(sizes)-1]
			}
			if s := attr("font-size"); s != "" {
				if size, err = strconv.ParseFloat(s, 64); err != nil {
					t.Fatalf("%s: font-size %q is not a number of pixels", file, s)
				}
			}
			sizes = append(sizes, size)
			if l := attr("lang"); l != "" && !SpanLangPattern.MatchString(l) {
				t.Errorf("%s: lang %q", file, l)
			}
			if tok.Name.Local == "text" || tok.Name.Local == "tspan" {
				texts++
				if px := size * scale; px < 12 {
					t.Errorf("%s: a <%s> is %.1f px high on a phone, want 12 or more", file, tok.Name.Local, px)
				}
			}
		case xml.EndElement:
			sizes = sizes[:len(sizes)-1]
		}
	}
	if texts == 0 {
		t.Errorf("%s: no text", file)
	}
	// A translation (x.bm.svg) is in its language, and marks the French it
	// keeps.
	if parts := strings.Split(path.Base(file), "."); len(parts) == 3 && ValidLang(parts[1]) {
		if !bytes.Contains(data, []byte(`lang="`+parts[1]+`"`)) {
			t.Errorf("%s: the <svg> does not say lang=%q", file, parts[1])
		}
	}
}
