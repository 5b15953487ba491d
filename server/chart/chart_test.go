package chart

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// element is one element of a drawn chart, as the tests see it.
type element struct {
	name  string
	attrs map[string]string
	text  string // its own character data, decoded
}

func (e element) classes() []string { return strings.Fields(e.attrs["class"]) }

// draws are the two drawing functions, each test runs against both.
var draws = []struct {
	name string
	draw func(Chart) template.HTML
	size string // the attribute that carries a bar's length
}{
	{"Horizontal", Horizontal, "width"},
	{"Columns", Columns, "height"},
}

// parse decodes out as one XML document and returns its elements in
// document order; any decoding error, or anything after the root, fails.
func parse(out string) ([]element, error) {
	d := xml.NewDecoder(strings.NewReader(out))
	var (
		elems []element
		open  []int
		ended bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if ended {
			return nil, fmt.Errorf("%T after the root element", tok)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			open = append(open, len(elems))
			elems = append(elems, e)
		case xml.EndElement:
			open = open[:len(open)-1]
			ended = len(open) == 0
		case xml.CharData:
			if len(open) == 0 {
				return nil, fmt.Errorf("text %q outside the root", tok)
			}
			elems[open[len(open)-1]].text += string(tok)
		default:
			return nil, fmt.Errorf("unexpected %T", tok)
		}
	}
	if len(elems) == 0 || elems[0].name != "svg" {
		return nil, errors.New("no svg root")
	}
	return elems, nil
}

func mustParse(t *testing.T, out template.HTML) []element {
	t.Helper()
	elems, err := parse(string(out))
	if err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, out)
	}
	return elems
}

// allowed is every element and attribute the package may write: nothing
// that runs, loads or styles.
var allowed = map[string][]string{
	"svg":   {"xmlns", "class", "viewBox", "width", "role", "aria-labelledby", "font-size", "fill"},
	"title": {"id"},
	"desc":  {"id"},
	"text":  {"class", "x", "y", "text-anchor", "font-size", "font-weight"},
	"rect":  {"class", "x", "y", "width", "height"},
	"line":  {"class", "x1", "y1", "x2", "y2", "stroke"},
}

var numeric = []string{"x", "y", "width", "height", "x1", "y1", "x2", "y2", "font-size"}

// checkMarkup checks the elements and attributes, whatever the text.
func checkMarkup(elems []element) error {
	for _, e := range elems {
		names, ok := allowed[e.name]
		if !ok {
			return fmt.Errorf("element <%s>", e.name)
		}
		for k, v := range e.attrs {
			if !slices.Contains(names, k) {
				return fmt.Errorf("<%s %s=%q>", e.name, k, v)
			}
			if slices.Contains(numeric, k) && (e.name != "svg" || k != "width") {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					return fmt.Errorf("<%s %s=%q>: not a finite number", e.name, k, v)
				}
			}
		}
	}
	if vb := strings.Fields(elems[0].attrs["viewBox"]); len(vb) != 4 {
		return fmt.Errorf("viewBox %q", elems[0].attrs["viewBox"])
	}
	return nil
}

// bars returns the bar rects.
func bars(elems []element) []element {
	var out []element
	for _, e := range elems {
		if e.name == "rect" && slices.Contains(e.classes(), "bar") {
			out = append(out, e)
		}
	}
	return out
}

// texts returns the decoded text of the elements of one class.
func texts(elems []element, class string) []string {
	var out []string
	for _, e := range elems {
		if e.name == "text" && slices.Contains(e.classes(), class) {
			out = append(out, e.text)
		}
	}
	return out
}

func length(t *testing.T, e element, attr string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(e.attrs[attr], 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", attr, e.attrs[attr], err)
	}
	return f
}

func TestOutputIsSafeXML(t *testing.T) {
	const hostile = `<script>alert(1)</script>`
	cases := []struct {
		name  string
		chart Chart
	}{
		{"normal", Chart{ID: "pass", Title: "Taux de réussite", Desc: "Part des stagiaires reçus par région.", Max: 100, Bars: []Bar{
			{Label: "Ségou", Value: 83, Text: "83 %"},
			{Label: "Kayes", Value: 61, Text: "61 %", Mark: true},
		}}},
		{"empty labels and texts", Chart{ID: "e", Bars: []Bar{{Value: 3}, {Label: "", Value: 5, Text: ""}}}},
		{"hostile", Chart{ID: `x"><script>`, Title: hostile, Desc: `"&'`, Bars: []Bar{
			{Label: hostile, Value: 1, Text: `"&'`},
			{Label: `"&'`, Value: 2, Text: hostile},
			{Label: "]]><!-- --><![CDATA[", Value: 3, Text: "&amp; &#0; \x00\x1b\u0085\xff"},
		}}},
		{"bambara", Chart{ID: "bm", Title: "Ɲɛnajɛ ŋaara", Desc: "Kalanden ɲɔgɔndan.", Bars: []Bar{
			{Label: "Sɛgu", Value: 40, Text: "40"},
			{Label: "Tɔnbuku ŋ ɲ ɛ ɔ", Value: 20, Text: "20"},
			{Label: "Kà̀ bɔ́", Value: 10, Text: "10"},
		}}},
		{"odd values", Chart{ID: "odd", Max: 10, Bars: []Bar{
			{Label: "zero", Value: 0, Text: "0"},
			{Label: "nan", Value: math.NaN(), Text: "?"},
			{Label: "plus inf", Value: math.Inf(1), Text: "∞"},
			{Label: "minus inf", Value: math.Inf(-1), Text: "-∞"},
			{Label: "negative", Value: -5, Text: "-5"},
			{Label: "over", Value: 1e308, Text: "1e308"},
			{Label: "tiny", Value: 5e-324, Text: "0"},
		}}},
		{"odd max", Chart{ID: "m", Max: math.NaN(), Bars: []Bar{{Label: "a", Value: math.Inf(1)}, {Label: "b", Value: -1}}}},
		{"long label", Chart{ID: "long", Bars: []Bar{
			{Label: strings.Repeat("Formation des formateurs ", 8), Value: 1, Text: strings.Repeat("9", 80)},
		}}},
	}
	for _, d := range draws {
		for _, tc := range cases {
			t.Run(d.name+"/"+tc.name, func(t *testing.T) {
				out := d.draw(tc.chart)
				elems := mustParse(t, out)
				if err := checkMarkup(elems); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				for _, bad := range []string{"style=", "<style", "<script"} {
					if strings.Contains(strings.ToLower(string(out)), bad) {
						t.Errorf("output contains %q:\n%s", bad, out)
					}
				}
				for _, bad := range []string{"NaN", "Inf", `"-0"`} {
					if strings.Contains(string(out), bad) {
						t.Errorf("output contains %q:\n%s", bad, out)
					}
				}
				if got := len(bars(elems)); got != len(tc.chart.Bars) {
					t.Errorf("%d bars drawn, want %d", got, len(tc.chart.Bars))
				}
				for _, b := range tc.chart.Bars {
					if b.Label != "" && !slices.ContainsFunc(texts(elems, "label"), func(got string) bool {
						return got == b.Label || strings.Contains(got, "…") && strings.HasPrefix(b.Label, strings.TrimSuffix(got, "…"))
					}) {
						t.Errorf("label %q not drawn", b.Label)
					}
					if b.Text != "" && !slices.Contains(texts(elems, "value"), clean(b.Text)) {
						t.Errorf("value %q not drawn", b.Text)
					}
				}
			})
		}
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	const hostile = `<script>alert(1)</script>`
	c := Chart{ID: "h", Title: hostile, Desc: hostile, Bars: []Bar{{Label: hostile, Value: 1, Text: `"&'`}}}
	for _, d := range draws {
		t.Run(d.name, func(t *testing.T) {
			out := string(d.draw(c))
			if strings.Contains(out, "<script") || strings.Contains(out, "</script") {
				t.Fatalf("raw script tag in output:\n%s", out)
			}
			if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("escaped label missing:\n%s", out)
			}
			elems := mustParse(t, template.HTML(out))
			if got := texts(elems, "label"); !slices.Equal(got, []string{hostile}) {
				t.Errorf("labels read back as %q", got)
			}
			if got := texts(elems, "value"); !slices.Equal(got, []string{`"&'`}) {
				t.Errorf("values read back as %q", got)
			}
			if elems[1].text != hostile || elems[2].text != hostile {
				t.Errorf("title, desc read back as %q, %q", elems[1].text, elems[2].text)
			}
		})
	}
}

func TestBarLengthsAreProportional(t *testing.T) {
	c := Chart{ID: "p", Max: 100, Bars: []Bar{
		{Label: "a", Value: 25, Text: "25"},
		{Label: "b", Value: 50, Text: "50"},
		{Label: "c", Value: 100, Text: "100"},
	}}
	for _, d := range draws {
		t.Run(d.name, func(t *testing.T) {
			rects := bars(mustParse(t, d.draw(c)))
			if len(rects) != 3 {
				t.Fatalf("%d bars, want 3", len(rects))
			}
			a, b, full := length(t, rects[0], d.size), length(t, rects[1], d.size), length(t, rects[2], d.size)
			if a <= 0 || math.Abs(b-2*a) > 0.2 || math.Abs(full-4*a) > 0.2 {
				t.Errorf("%s %v : %v : %v, want 1 : 2 : 4", d.size, a, b, full)
			}
		})
	}
}

func TestOddValues(t *testing.T) {
	// The full length is that of a bar at Max; every odd value is either
	// nothing or that full length, and its Text is still shown.
	cases := []struct {
		name  string
		value float64
		full  bool
	}{
		{"zero", 0, false},
		{"negative", -3, false},
		{"NaN", math.NaN(), false},
		{"+Inf", math.Inf(1), false},
		{"-Inf", math.Inf(-1), false},
		{"negative zero", math.Copysign(0, -1), false},
		{"at max", 10, true},
		{"over max", 11, true},
		{"far over max", math.MaxFloat64, true},
	}
	for _, d := range draws {
		for _, tc := range cases {
			t.Run(d.name+"/"+tc.name, func(t *testing.T) {
				c := Chart{ID: "o", Max: 10, Bars: []Bar{{Label: "ref", Value: 10, Text: "10"}, {Label: "odd", Value: tc.value, Text: "shown"}}}
				elems := mustParse(t, d.draw(c))
				rects := bars(elems)
				full, got := length(t, rects[0], d.size), length(t, rects[1], d.size)
				want := 0.0
				if tc.full {
					want = full
				}
				if got != want {
					t.Errorf("%s %v, want %v", d.size, got, want)
				}
				if !slices.Contains(texts(elems, "value"), "shown") {
					t.Errorf("the Text is not shown")
				}
			})
		}
	}
}

func TestMaxDefaultsToLargest(t *testing.T) {
	for _, max := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		for _, d := range draws {
			t.Run(fmt.Sprint(d.name, "/", max), func(t *testing.T) {
				c := Chart{ID: "m", Max: max, Bars: []Bar{{Value: 3}, {Value: 6}, {Value: math.Inf(1)}}}
				rects := bars(mustParse(t, d.draw(c)))
				a, b := length(t, rects[0], d.size), length(t, rects[1], d.size)
				if b <= 0 || math.Abs(b-2*a) > 0.2 {
					t.Errorf("%s %v : %v, want 1 : 2", d.size, a, b)
				}
				ref := bars(mustParse(t, d.draw(Chart{ID: "m", Max: 6, Bars: c.Bars})))
				if want := length(t, ref[1], d.size); b != want {
					t.Errorf("largest bar %v long, want full length %v", b, want)
				}
			})
		}
	}
}

func TestAllZero(t *testing.T) {
	for _, d := range draws {
		t.Run(d.name, func(t *testing.T) {
			c := Chart{ID: "z", Bars: []Bar{{Label: "a", Value: 0, Text: "0"}, {Label: "b", Value: -2, Text: "-2"}}}
			for _, r := range bars(mustParse(t, d.draw(c))) {
				if got := length(t, r, d.size); got != 0 {
					t.Errorf("%s %v, want 0", d.size, got)
				}
			}
		})
	}
}

func TestMark(t *testing.T) {
	c := Chart{ID: "k", Bars: []Bar{{Label: "a", Value: 1}, {Label: "b", Value: 2, Mark: true}, {Label: "c", Value: 3}}}
	for _, d := range draws {
		t.Run(d.name, func(t *testing.T) {
			var got []bool
			for _, r := range bars(mustParse(t, d.draw(c))) {
				got = append(got, slices.Contains(r.classes(), "mark"))
			}
			if want := []bool{false, true, false}; !slices.Equal(got, want) {
				t.Errorf("marks %v, want %v", got, want)
			}
		})
	}
}

func TestRootAndAria(t *testing.T) {
	cases := []struct {
		name, id, desc string
		labelledBy     string
	}{
		{"title and desc", "Score-2025", "One sentence.", "score-2025-title score-2025-desc"},
		{"no desc", "score", " ", "score-title"},
		{"no id", "", "d", "chart-title chart-desc"},
	}
	for _, d := range draws {
		for _, tc := range cases {
			t.Run(d.name+"/"+tc.name, func(t *testing.T) {
				elems := mustParse(t, d.draw(Chart{ID: tc.id, Title: "T", Desc: tc.desc, Bars: []Bar{{Value: 1}}}))
				root := elems[0]
				want := map[string]string{
					"xmlns":           "http://www.w3.org/2000/svg",
					"class":           "chart chart-" + strings.ToLower(d.name),
					"width":           "100%",
					"role":            "img",
					"aria-labelledby": tc.labelledBy,
				}
				for k, v := range want {
					if root.attrs[k] != v {
						t.Errorf("svg %s=%q, want %q", k, root.attrs[k], v)
					}
				}
				if _, ok := root.attrs["height"]; ok {
					t.Errorf("svg has a fixed height")
				}
				ids := map[string]string{}
				for _, e := range elems {
					if id := e.attrs["id"]; id != "" {
						ids[id] = e.name
					}
				}
				for _, id := range strings.Fields(root.attrs["aria-labelledby"]) {
					if ids[id] != "title" && ids[id] != "desc" {
						t.Errorf("aria-labelledby names %q, which is a %q", id, ids[id])
					}
				}
				if len(ids) != len(strings.Fields(tc.labelledBy)) {
					t.Errorf("ids %v, want those of %q", ids, tc.labelledBy)
				}
				if elems[1].name != "title" {
					t.Errorf("first child is <%s>, want <title>", elems[1].name)
				}
			})
		}
	}
}

func TestSanitizeID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"pass-rate", "pass-rate"},
		{"Pass Rate 2025", "pass-rate-2025"},
		{"région_ségou", "r-gion-s-gou"},
		{`x"><script>`, "x-script"},
		{"--a--b--", "a-b"},
		{"ɲɛ", "chart"},
		{"", "chart"},
		{"   ", "chart"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := sanitizeID(tc.in); got != tc.want {
				t.Errorf("sanitizeID(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestNum(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{-0.04, "0"},
		{12, "12"},
		{12.345, "12.3"},
		{12.35, "12.4"},
		{-3.25, "-3.3"},
		{math.NaN(), "0"},
		{math.Inf(1), "0"},
		{math.Inf(-1), "0"},
		{math.MaxFloat64, "0"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			if got := num(tc.in); got != tc.want {
				t.Errorf("num(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestShorten(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"Ségou", 5, "Ségou"},
		{"Tombouctou", 5, "Tomb…"},
		{"ab cdef", 4, "ab…"},
		{"ka\u0300ka\u0300", 3, "k…"}, // never "ka…" without its tone
		{"ɲɛɲɛɲɛ", 3, "ɲɛ…"},
		{"abc", 0, "…"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got, _ := shorten(tc.in, tc.n); got != tc.want {
				t.Errorf("shorten(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
		})
	}
}

func TestNoBars(t *testing.T) {
	for _, d := range draws {
		t.Run(d.name, func(t *testing.T) {
			for _, c := range []Chart{{}, {ID: "x", Title: "T", Bars: []Bar{}}} {
				if got := d.draw(c); got != "" {
					t.Errorf("got %q, want \"\"", got)
				}
			}
		})
	}
}

// TestTextStaysInside checks, with the package's own generous estimate of
// text width, that labels and values are placed inside the viewBox and
// that no two texts on one line overlap, for charts as wide as a score
// distribution gets and for labels too long for their columns.
func TestTextStaysInside(t *testing.T) {
	bands := []string{"0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89", "90–100"}
	long := []string{"Kayes", "Koulikoro", "Sikasso", "Ségou", "Mopti", "Tombouctou", "Gao", "Kidal", "Bamako", "Taoudénit"}
	for _, d := range draws {
		for _, labels := range [][]string{bands, long} {
			for _, n := range []int{1, 2, 3, 5, 10, 12} {
				t.Run(fmt.Sprint(d.name, "/", labels[1], "/", n), func(t *testing.T) {
					c := Chart{ID: "in", Max: 100}
					for i := range n {
						c.Bars = append(c.Bars, Bar{Label: labels[i%len(labels)], Value: 100, Text: "100 %"})
					}
					checkInside(t, d.draw(c), d.name)
				})
			}
		}
	}
}

func checkInside(t *testing.T, out template.HTML, kind string) {
	t.Helper()
	elems := mustParse(t, out)
	vb := strings.Fields(elems[0].attrs["viewBox"])
	w, _ := strconv.ParseFloat(vb[2], 64)
	h, _ := strconv.ParseFloat(vb[3], 64)
	type span struct{ left, right float64 }
	lines := map[float64][]span{}
	for _, e := range elems {
		if e.name != "text" {
			continue
		}
		size := 14.0
		if kind == "Columns" {
			size = 12
		}
		if s, ok := e.attrs["font-size"]; ok {
			size, _ = strconv.ParseFloat(s, 64)
		}
		x, y := length(t, e, "x"), length(t, e, "y")
		width := textWidth(e.text, size)
		left, right := x, x+width
		if e.attrs["text-anchor"] == "middle" {
			left, right = x-width/2, x+width/2
		}
		if left < 0 || right > w+0.1 || y-size < -1 || y > h {
			t.Errorf("%s %q at x %v..%v, y %v: outside %v × %v", e.attrs["class"], e.text, left, right, y, w, h)
		}
		for _, o := range lines[y] {
			if left < o.right-0.1 && o.left < right-0.1 {
				t.Errorf("%s %q at x %v..%v, y %v overlaps %v..%v", e.attrs["class"], e.text, left, right, y, o.left, o.right)
			}
		}
		lines[y] = append(lines[y], span{left, right})
	}
}
