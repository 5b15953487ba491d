package courses

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// renderSpans renders Markdown with the span extension, without the
// surrounding <p>.
func renderSpans(t testing.TB, src string) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(LangSpans())).Convert([]byte(src), &b); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(b.String()), "<p>"), "</p>")
}

func TestLangSpans(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"span", "Mɔgɔ feereli ([traite des personnes]{lang=fr}) kɔrɔ.", `Mɔgɔ feereli (<span lang="fr">traite des personnes</span>) kɔrɔ.`},
		{"region subtag", "[colour]{lang=en-GB}", `<span lang="en-GB">colour</span>`},
		{"three letters", "[X]{lang=bam}", `<span lang="bam">X</span>`},
		{"markup inside", "[*Loi* n° `2012-023`]{lang=fr}", `<span lang="fr"><em>Loi</em> n° <code>2012-023</code></span>`},
		{"link inside", "[la [loi](https://example.org)]{lang=fr}", `<span lang="fr">la <a href="https://example.org">loi</a></span>`},
		{"span inside a link", "[la [loi]{lang=fr}](https://example.org)", `<a href="https://example.org">la <span lang="fr">loi</span></a>`},
		{"nested spans", "[a [b]{lang=fr} c]{lang=en}", `<span lang="en">a <span lang="fr">b</span> c</span>`},
		{"brackets inside", "[a [b] c]{lang=fr}", `<span lang="fr">a [b] c</span>`},
		{"over two lines", "[traite des\npersonnes]{lang=fr} kɔnɔ", "<span lang=\"fr\">traite des\npersonnes</span> kɔnɔ"},
		{"two spans", "[a]{lang=fr} ni [b]{lang=en}", `<span lang="fr">a</span> ni <span lang="en">b</span>`},
		{"emphasis around", "**[acte]{lang=fr}**", `<strong><span lang="fr">acte</span></strong>`},
		{"emphasis across is text", "*a [b* c]{lang=fr}", `*a <span lang="fr">b* c</span>`},
		{"in a heading", "## 1. Kɛwale ([acte]{lang=fr})", `<h2>1. Kɛwale (<span lang="fr">acte</span>)</h2>`},
		// What is not a span is as before.
		{"link", "[text](https://example.org)", `<a href="https://example.org">text</a>`},
		{"literal brackets", "Voir [1] et [sic].", `Voir [1] et [sic].`},
		{"literal braces", "a {lang=fr} b", `a {lang=fr} b`},
		{"bracket then space", "[a] {lang=fr}", `[a] {lang=fr}`},
		{"escaped bracket", `\[a\]{lang=fr}`, `[a]{lang=fr}`},
		{"bracket in code", "[a `]` b]{lang=fr}", `<span lang="fr">a <code>]</code> b</span>`},
		{"code holds a marker", "`[a]{lang=fr}`", `<code>[a]{lang=fr}</code>`},
		{"image is not a span", "![a]{lang=fr}", `![a]{lang=fr}`},
		{"unbalanced", "[a [b]{lang=fr}", `[a <span lang="fr">b</span>`},
		// Malformed markers stay text (the check reports them).
		{"bad code", "[a]{lang=french}", `[a]{lang=french}`},
		{"other attribute", `[a]{lang=fr onclick=x}`, `[a]{lang=fr onclick=x}`},
		{"quoted", `[a]{lang="fr"}`, `[a]{lang=&quot;fr&quot;}`},
		{"unclosed", "[a]{lang=fr", `[a]{lang=fr`},
		{"empty", "[]{lang=fr}", `[]{lang=fr}`},
		{"raw html inside", `[<b>]{lang=fr}`, `<span lang="fr"><!-- raw HTML omitted --></span>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := renderSpans(t, tc.src); got != tc.want {
				t.Errorf("%q renders\n  %s\nwant\n  %s", tc.src, got, tc.want)
			}
		})
	}
}

func TestMalformedSpansAreReported(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad code", "Texte.\n\nMɔgɔ [traite]{lang=français}.\n", `demo/lessons/first.fr.md:3: span marker {lang=français}: "français" is not a language code`},
		{"upper case", "[traite]{lang=FR}\n", `demo/lessons/first.fr.md:1: span marker {lang=FR}: "FR" is not a language code`},
		{"too long", "[x]{lang=fr-" + strings.Repeat("a", 40) + "}\n", `demo/lessons/first.fr.md:1: span marker {lang=fr-aaaa`},
		{"other attribute", "a\nb [c]{class=x}\n", `demo/lessons/first.fr.md:2: span marker {class=x}: write {lang=<code>}`},
		{"two attributes", "[c]{lang=fr dir=rtl}\n", `demo/lessons/first.fr.md:1: span marker {lang=fr dir=rtl}: "fr dir=rtl" is not a language code`},
		{"unclosed", "[a]{lang=fr\nb}\n", `demo/lessons/first.fr.md:1: span marker "{lang=fr" has no closing "}" on its line`},
		{"empty", "- a\n- []{lang=fr}\n", `demo/lessons/first.fr.md:2: span {lang=fr} has no text between its brackets`},
		{"no opening bracket", "## Titre\n\ntraite des personnes]{lang=fr}\n", `demo/lessons/first.fr.md:3: "]{lang=…}" closes no span`},
		{"span over lines", "[traite\ndes personnes]{lang=xx-}\n", `demo/lessons/first.fr.md:2: span marker {lang=xx-}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := course()
			fsys["demo/lessons/first.fr.md"] = &fstest.MapFile{Data: []byte(tc.src)}
			c, problems := Load(fsys, "demo")
			if c != nil {
				t.Error("a course with a malformed span was returned")
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
				if strings.HasPrefix(p.String(), tc.want) {
					if len(problems) != 1 {
						t.Errorf("one mistake, %d problems: %q", len(problems), got)
					}
					return
				}
			}
			t.Errorf("want a problem starting with\n  %s\ngot\n  %s", tc.want, strings.Join(got, "\n  "))
		})
	}
}

func TestWellFormedSpansAreNotProblems(t *testing.T) {
	fsys := course()
	fsys["demo/lessons/first.fr.md"] = &fstest.MapFile{Data: []byte("Bonjour ([hello]{lang=en}), [1] et [sic], [lien](second.fr.md).\n\n![Un schéma](../media/d.svg)\n")}
	if _, problems := Load(fsys, "demo"); len(problems) != 0 {
		t.Fatal(problems)
	}
}

// FuzzLangSpans: the span parser never panics; every span it makes has a
// valid language; its spans are balanced; a text without "]{" renders
// exactly as it does without the extension; every problem is on a line of
// the text.
func FuzzLangSpans(f *testing.F) {
	for _, s := range []string{
		"[traite des personnes]{lang=fr}", "[a [b]{lang=fr} c]{lang=en}", "[a](b) [c]{lang=fr}",
		"[a]{lang=french}", "[a]{lang=fr", "]{lang=fr}", "[]{lang=fr}", "*a [b* c]{lang=fr}",
		"[a `]` b]{lang=fr}", "[x\ny]{lang=fr}", "> [a\n> b]{lang=fr}", "- [a]{lang=fr}\n  [b\n  c]{lang=bm}",
		"[![i](x.png)]{lang=fr}", "[a <http://x]> b]{lang=fr}", "[a](<b]{lang=fr}>)", "\t[a]{lang=fr}",
	} {
		f.Add(s)
	}
	plain := goldmark.New()
	spans := goldmark.New(goldmark.WithExtensions(LangSpans()))
	f.Fuzz(func(t *testing.T, src string) {
		doc, issues := parseLesson([]byte(src))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if s, ok := n.(*LangSpan); ok && entering && !SpanLangPattern.MatchString(s.Lang) {
				t.Fatalf("span with language %q", s.Lang)
			}
			if entering && n.Kind() == kindSpanOpener {
				t.Fatalf("an opener is left in the tree of %q", src)
			}
			return ast.WalkContinue, nil
		})
		for _, is := range issues {
			if is.offset < 0 || is.offset >= len(src) || is.message == "" {
				t.Fatalf("issue %+v for %q", is, src)
			}
		}
		var with, without bytes.Buffer
		if err := spans.Convert([]byte(src), &with); err != nil {
			t.Fatal(err)
		}
		if n, m := strings.Count(with.String(), "<span lang="), strings.Count(with.String(), "</span>"); n != m {
			t.Fatalf("%d spans opened, %d closed: %s", n, m, with.String())
		}
		if strings.Contains(src, "]{") {
			return
		}
		if err := plain.Convert([]byte(src), &without); err != nil {
			t.Fatal(err)
		}
		if with.String() != without.String() {
			t.Fatalf("%q renders\n%s\nwith spans, and\n%s\nwithout", src, with.String(), without.String())
		}
	})
}

// TestBundledLessonsMarkTheirFrench: the Bambara lessons mark the French
// terms they quote, and every marker of the curriculum becomes a span.
func TestBundledLessonsMarkTheirFrench(t *testing.T) {
	list, problems := LoadAll(Bundle())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	spans := 0
	for _, c := range list {
		for _, l := range c.Lessons {
			for lang, src := range l.Body {
				html := renderSpans(t, src)
				if strings.Contains(html, "{lang=") {
					t.Errorf("%s/%s.%s: a marker is left as text", c.Slug, l.ID, lang)
				}
				if lang == "bm" {
					spans += strings.Count(html, `<span lang="fr">`)
				}
			}
		}
	}
	if spans < 60 {
		t.Errorf("%d French spans in the Bambara lessons, want about 70", spans)
	}
}
