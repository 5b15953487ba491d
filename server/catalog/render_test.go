package catalog_test

import (
	"strings"
	"testing"
	"testing/fstest"
)

// diagram is an SVG whose text says which file it is.
func diagram(name string) []byte {
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 240" width="320" height="240"><text x="10" y="20" font-size="14">` + name + `</text></svg>`)
}

func TestFirstImageIsEagerAndEveryImageIsSized(t *testing.T) {
	fsys := demo("## Un\n\n![Premier](../media/a.svg)\n\nTexte.\n\n![Deuxième](../media/d.svg)\n\n![Troisième](../media/a.svg)\n")
	fsys["demo/media/a.svg"] = &fstest.MapFile{Data: diagram("a")}
	_, c, _, h := published(t, fsys)
	html, _ := c.LessonHTML(0, "fr")
	imgs := doc(t, string(html)).Find("img")
	if imgs.Length() != 3 {
		t.Fatalf("%d images in\n%s", imgs.Length(), html)
	}
	for i, want := range []struct{ src, width, height, loading, priority string }{
		{h["a.svg"], "320", "240", "", "high"},
		{h["d.svg"], "4", "4", "lazy", ""},
		{h["a.svg"], "320", "240", "lazy", ""},
	} {
		img := imgs.Eq(i)
		got := struct{ src, width, height, loading, priority string }{
			strings.TrimPrefix(img.AttrOr("src", ""), "/media/"), img.AttrOr("width", ""), img.AttrOr("height", ""),
			img.AttrOr("loading", ""), img.AttrOr("fetchpriority", ""),
		}
		if got != want {
			t.Errorf("image %d: %+v, want %+v", i+1, got, want)
		}
	}
	// The other lesson has no image; the first image of each lesson counts.
	if html, _ := c.LessonHTML(1, "fr"); strings.Contains(string(html), "<img") {
		t.Errorf("lesson two: %s", html)
	}
}

func TestLangSpansAreRenderedAndSanitised(t *testing.T) {
	// (Malformed markers and raw HTML do not pass the course check: see
	// the courses package, and TestLessonPolicyOnSpansAndImages.)
	fsys := demo("Mɔgɔ feereli ([traite des personnes]{lang=fr}) ni **[smuggling]{lang=en-GB}**.\n\n" +
		"[lien](https://example.org), [1] et `[a]{lang=fr}`.\n")
	_, c, _, _ := published(t, fsys)
	html, _ := c.LessonHTML(0, "fr")
	d := doc(t, string(html))
	spans := d.Find("span")
	if spans.Length() != 2 {
		t.Fatalf("%d spans in\n%s", spans.Length(), html)
	}
	for i, want := range []struct{ lang, text string }{{"fr", "traite des personnes"}, {"en-GB", "smuggling"}} {
		s := spans.Eq(i)
		if s.AttrOr("lang", "") != want.lang || s.Text() != want.text || len(s.Nodes[0].Attr) != 1 {
			t.Errorf("span %d: %v %q, want lang %q %q", i+1, s.Nodes[0].Attr, s.Text(), want.lang, want.text)
		}
	}
	if d.Find("strong > span[lang=en-GB]").Length() != 1 {
		t.Errorf("emphasis around a span is lost:\n%s", html)
	}
	if a := d.Find(`a[href="https://example.org"]`); a.Text() != "lien" {
		t.Errorf("link: %q\n%s", a.Text(), html)
	}
	if !strings.Contains(d.Text(), "[1] et [a]{lang=fr}.") || d.Find("code").Text() != "[a]{lang=fr}" {
		t.Errorf("literal brackets or code are changed:\n%s", html)
	}
}

// TestDiagramInTheLessonLanguage: an image with translations beside it
// (media/d.bm.svg for media/d.svg) is shown in the language of the lesson
// text, else in the language lessons fall back to, else as referenced.
func TestDiagramInTheLessonLanguage(t *testing.T) {
	fsys := demo("")
	fsys["demo/course.yaml"] = &fstest.MapFile{Data: []byte(`languages: [fr, en, bm]
title: {fr: Démo, en: Demo, bm: Demo}
summary: {fr: Démo, en: Demo, bm: Demo}
audience: [ngo]
duration_minutes: 5
pass_mark: 50
access: public
translations: {fr: {by: test, reviewed: true}, en: {by: test, reviewed: true}, bm: {by: test, reviewed: false}}
lessons:
  - {id: one, title: {fr: Un, en: One, bm: Kelen}}
  - {id: two, title: {fr: Deux, en: Two, bm: Fila}}
`)}
	for _, lang := range []string{"fr", "en", "bm"} {
		fsys["demo/lessons/one."+lang+".md"] = &fstest.MapFile{Data: []byte("![d](../media/d.svg) ![e](../media/e.svg) [d](../media/d.svg)\n")}
		fsys["demo/lessons/two."+lang+".md"] = &fstest.MapFile{Data: []byte("Deux.\n")}
	}
	for _, f := range []string{"d.svg", "d.bm.svg", "e.svg", "e.fr.svg"} {
		fsys["demo/media/"+f] = &fstest.MapFile{Data: diagram(f)}
	}
	fsys["demo/media/d.xx-y.svg"] = &fstest.MapFile{Data: []byte("not a language: not part of the course")}
	_, c, _, h := published(t, fsys)
	if len(c.Def.Media) != 4 {
		t.Errorf("media %+v: want the 2 diagrams and their 2 translations", c.Def.Media)
	}
	for _, tc := range []struct{ reader, used, d, e string }{
		{"fr", "fr", "d.svg", "e.fr.svg"},
		{"bm", "bm", "d.bm.svg", "e.fr.svg"}, // no e.bm.svg: French, as a lesson would
		{"en", "en", "d.svg", "e.fr.svg"},
		{"ff", "fr", "d.svg", "e.fr.svg"}, // the lesson falls back to French, its diagrams with it
	} {
		html, used := c.LessonHTML(0, tc.reader)
		d := doc(t, string(html))
		got := []string{used, d.Find(`img[alt=d]`).AttrOr("src", ""), d.Find(`img[alt=e]`).AttrOr("src", "")}
		want := []string{tc.used, "/media/" + h[tc.d], "/media/" + h[tc.e]}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("reader %s: %q, want %q (%s, %s)", tc.reader, got, want, tc.d, tc.e)
		}
		if w := d.Find(`img[alt=d]`).AttrOr("width", ""); w != "320" {
			t.Errorf("reader %s: translated diagram width %q", tc.reader, w)
		}
		// A link to the file is left as written: only images are chosen.
		if href := d.Find(`a`).AttrOr("href", ""); href != "/media/"+h["d.svg"] {
			t.Errorf("reader %s: link to %q", tc.reader, href)
		}
		// The data saver links to the chosen file, and says its size.
		saver, _ := c.LessonSaverHTML(0, tc.reader)
		if !strings.Contains(string(saver), `href="/media/`+h[tc.d]+`"`) {
			t.Errorf("reader %s: data saver does not link to %s:\n%s", tc.reader, tc.d, saver)
		}
	}
}
