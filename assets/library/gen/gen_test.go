package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/kalan-platform/kalan/internal/genfile"
)

func fonts(t *testing.T) (root string, regular, bold []byte) {
	t.Helper()
	root, err := genfile.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	regular, err = os.ReadFile(filepath.Join(root, "assets", "fonts", "DejaVuSans.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	bold, err = os.ReadFile(filepath.Join(root, "assets", "fonts", "DejaVuSans-Bold.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	return root, regular, bold
}

func pages(pdf []byte) int { return bytes.Count(pdf, []byte("/Type /Page\n")) }

// Every document renders: its text fits (the generator refuses text that
// runs off a page or out of a pictogram's caption), it is one page (the
// guides two to four), small, and its Bambara version says it is a draft.
func TestDocumentsRender(t *testing.T) {
	_, regular, bold := fonts(t)
	check := func(name string, pdf []byte, err error, minPages, maxPages int) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if n := pages(pdf); n < minPages || n > maxPages {
			t.Errorf("%s: %d pages, want %d to %d", name, n, minPages, maxPages)
		}
		if len(pdf) > 150<<10 {
			t.Errorf("%s: %d KB, more than 150", name, len(pdf)>>10)
		}
	}
	for _, p := range posters() {
		b, err := renderPoster(p, regular, bold)
		check(p.File, b, err, 1, 1)
	}
	for _, p := range pictoPosters() {
		b, _, err := renderPictograms(p, regular, bold)
		check(p.File, b, err, 1, 1)
		if p.Lang == "bm" && !strings.Contains(p.Text["footer"], "Brouillon") {
			t.Errorf("%s: the footer does not say the Bambara is a draft", p.File)
		}
	}
	for _, l := range leaflets() {
		b, err := renderLeaflet(l, regular, bold)
		check(l.File, b, err, 1, 1)
	}
	for _, g := range guides() {
		b, err := renderGuide(g, regular, bold)
		check(g.File, b, err, 2, 4)
		if g.Lang == "bm" && !strings.Contains(strings.Join(g.Footer, " "), "Brouillon") {
			t.Errorf("%s: the footer does not say the Bambara is a draft", g.File)
		}
	}
}

// Every file the generator makes is in the folder and has an item in
// library.yaml, and every item's file is one the generator makes: nothing
// ships undescribed, nothing described is made by hand.
func TestLibraryYAMLMatchesGenerator(t *testing.T) {
	root, _, _ := fonts(t)
	dir := filepath.Join(root, "assets", "library")
	var made []string
	for _, p := range posters() {
		made = append(made, p.File)
	}
	for _, p := range pictoPosters() {
		made = append(made, p.File)
	}
	for _, l := range leaflets() {
		made = append(made, l.File)
	}
	for _, g := range guides() {
		made = append(made, g.File)
	}
	for _, s := range spots() {
		made = append(made, s.File)
	}
	data, err := os.ReadFile(filepath.Join(dir, "library.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Items []struct {
			File     string `yaml:"file"`
			Language string `yaml:"language"`
		} `yaml:"items"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, it := range doc.Items {
		listed = append(listed, it.File)
		if !slices.Contains(made, it.File) {
			t.Errorf("library.yaml lists %s, which the generator does not make", it.File)
		}
		if !strings.Contains(it.File, "."+it.Language+".") {
			t.Errorf("library.yaml: %s has language %q", it.File, it.Language)
		}
	}
	for _, f := range made {
		if !slices.Contains(listed, f) {
			t.Errorf("%s has no item in library.yaml", f)
		}
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s is not in assets/library: run go run ./assets/library/gen", f)
		}
	}
	for _, ext := range []string{"*.pdf", "*.ogg"} {
		found, _ := filepath.Glob(filepath.Join(dir, ext))
		for _, f := range found {
			if !slices.Contains(made, filepath.Base(f)) {
				t.Errorf("assets/library/%s is made by nothing and described nowhere", filepath.Base(f))
			}
		}
	}
}

// The SVG subset: arcs become curves that end where the arc ends, shapes
// and transforms land where an SVG viewer puts them, and what the renderer
// cannot draw is refused rather than dropped.
func TestSVGSubset(t *testing.T) {
	segs, err := parsePath("M10,20 a5,5 0 1 0 10,0 z m1 1 h2 v2 l1,1 c1,1 2,2 3,3 s1,1 2,2 q1,1 2,2 t2,2")
	if err != nil {
		t.Fatal(err)
	}
	ops := ""
	for _, s := range segs {
		ops += string(s.op)
	}
	if ops != "MCCZMLLLCCCC" {
		t.Errorf("segments %q", ops)
	}
	if end := segs[2].pts[4:]; math.Abs(end[0]-20) > 1e-9 || math.Abs(end[1]-20) > 1e-9 {
		t.Errorf("the arc ends at %v, want (20, 20)", end)
	}
	if segs[4].pts[0] != 11 || segs[4].pts[1] != 21 { // after z, m is relative to the subpath's start
		t.Errorf("m after z starts at %v", segs[4].pts)
	}
	if _, err := parsePath("M0,0 A5,5 0 10 10,0"); err != nil { // flags written without separators
		t.Errorf("compact arc flags: %v", err)
	}

	m, err := parseTransform("translate(10,20) scale(2)")
	if err != nil {
		t.Fatal(err)
	}
	if x, y := m.apply(1, 1); x != 12 || y != 22 {
		t.Errorf("translate then scale maps (1,1) to (%g,%g)", x, y)
	}
	r, _ := parseTransform("rotate(90 5 5)")
	if x, y := r.apply(10, 5); math.Abs(x-5) > 1e-9 || math.Abs(y-10) > 1e-9 {
		t.Errorf("rotate(90 5 5) maps (10,5) to (%g,%g)", x, y)
	}

	for _, bad := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297"><image href="x.png"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297"><rect style="fill:red"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 210 297"><rect opacity="0.5"/></svg>`,
	} {
		if _, err := parseSVG([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}

	width := func(s string) float64 { return float64(len([]rune(s))) }
	lines, err := wrap("ab cd\u00a0ef gh", 6, width)
	if err != nil || !slices.Equal(lines, []string{"ab", "cd\u00a0ef", "gh"}) {
		t.Errorf("wrap = %q, %v; a no-break space holds words together", lines, err)
	}
	if _, err := wrap("abcdefgh", 6, width); err == nil {
		t.Error("a word wider than the line was accepted")
	}
}

// The pictogram poster's keys and each language's texts match both ways,
// and the localised drawing is an SVG the renderer reads back.
func TestPictogramKeys(t *testing.T) {
	_, regular, bold := fonts(t)
	for _, p := range pictoPosters() {
		_, svg, err := renderPictograms(p, regular, bold)
		if err != nil {
			t.Fatalf("%s: %v", p.File, err)
		}
		back, err := parseSVG(svg)
		if err != nil {
			t.Fatalf("%s: the localised SVG: %v", p.File, err)
		}
		var keyed int
		var walk func(n *node)
		walk = func(n *node) {
			if _, ok := n.attr("data-key"); ok {
				keyed++
			}
			for _, k := range n.kids {
				walk(k)
			}
		}
		walk(back)
		if keyed != 0 {
			t.Errorf("%s: %d texts left as keys", p.File, keyed)
		}
		if !bytes.Contains(svg, []byte(strings.Fields(p.Text["sign-papers"])[0])) {
			t.Errorf("%s: the words are not in the SVG", p.File)
		}
	}
}
