package server_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/brotli"

	"github.com/kalan-platform/kalan/courses"
)

const basics = "detecting-trafficking-basics"

func TestCatalogInEveryLanguage(t *testing.T) {
	e := newEnv(t)
	bundled, _ := courses.LoadAll(courses.Bundle())
	for _, lang := range []string{"bm", "fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			r := e.get(t, "/courses?lang="+lang)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status %d", r.StatusCode)
			}
			d := r.doc(t)
			if got, _ := d.Find("html").Attr("lang"); got != lang {
				t.Errorf("html lang = %q", got)
			}
			if got := d.Find("h1").Text(); got != e.t(lang, "catalog.title", nil) {
				t.Errorf("h1 = %q", got)
			}
			if !strings.Contains(d.Find(".cards").Text(), bundled[0].Title[lang]) {
				t.Errorf("the catalog lacks the %s title %q", lang, bundled[0].Title[lang])
			}
			if c := r.Header.Get("Set-Cookie"); !strings.Contains(c, "kalan_lang="+lang) || !strings.Contains(strings.ToLower(c), "samesite=lax") {
				t.Errorf("Set-Cookie = %q", c)
			}
		})
	}
}

func TestLanguageResolution(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name    string
		target  string
		headers []string
		want    string
	}{
		{"default", "/", nil, "fr"},
		{"accept-language", "/", []string{"Accept-Language", "en-GB,en;q=0.9"}, "en"},
		{"cookie beats accept-language", "/", []string{"Accept-Language", "en", "Cookie", "kalan_lang=bm"}, "bm"},
		{"query beats cookie", "/?lang=en", []string{"Cookie", "kalan_lang=bm"}, "en"},
		{"unknown query falls back", "/?lang=xx", []string{"Accept-Language", "bm"}, "bm"},
		{"garbage query falls back", "/?lang=%3Cscript%3E", nil, "fr"},
		{"unknown cookie falls back", "/", []string{"Cookie", "kalan_lang=../../etc"}, "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, tt.target, tt.headers...)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status %d", r.StatusCode)
			}
			if got, _ := r.doc(t).Find("html").Attr("lang"); got != tt.want {
				t.Errorf("lang = %q, want %q", got, tt.want)
			}
			if strings.Contains(tt.target, "xx") || strings.Contains(tt.target, "script") {
				for _, c := range r.Cookies() {
					if c.Name == "kalan_lang" {
						t.Errorf("an unknown language set the language cookie: %q", c.Value)
					}
				}
			}
		})
	}
}

func TestLanguageSwitcherKeepsThePage(t *testing.T) {
	e := newEnv(t)
	d := e.get(t, "/courses/"+basics+"?lang=bm").doc(t)
	href, ok := d.Find(`.langs a[hreflang="fr"]`).Attr("href")
	if !ok || href != "/courses/"+basics+"?lang=fr" {
		t.Errorf("switch to French = %q", href)
	}
	if got := d.Find(".langs strong").Text(); got != "Bamanankan" {
		t.Errorf("current language shown as %q", got)
	}
}

func TestCoursePage(t *testing.T) {
	e := newEnv(t)
	bundled, _ := courses.LoadAll(courses.Bundle())
	c := bundled[0]
	d := e.get(t, "/courses/"+basics+"?lang=en").doc(t)
	if got := d.Find("h1").Text(); got != c.Title["en"] {
		t.Errorf("title %q", got)
	}
	links := d.Find("ol.lessons a")
	if links.Length() != len(c.Lessons) {
		t.Fatalf("%d lesson links, want %d", links.Length(), len(c.Lessons))
	}
	links.Each(func(i int, s *goquery.Selection) {
		if href, _ := s.Attr("href"); href != "/courses/"+basics+"/lessons/"+c.Lessons[i].ID {
			t.Errorf("lesson %d links to %q", i, href)
		}
		if s.Text() != c.Lessons[i].Title["en"] {
			t.Errorf("lesson %d is called %q", i, s.Text())
		}
	})
	if d.Find(".note:not(.review)").Length() != 0 { // .review: the unreviewed-translation notice (review_notice_test.go)
		t.Error("a course complete in English shows a translation note")
	}
	wantQuiz := e.locales.Localizer("en").N("course.quiz_info", c.Quiz.Draw, map[string]any{"PassMark": c.PassMark})
	if !strings.Contains(d.Text(), wantQuiz) {
		t.Errorf("quiz information %q missing", wantQuiz)
	}
}

func TestLessonPageWithImage(t *testing.T) {
	e := newEnv(t)
	bundled, _ := courses.LoadAll(courses.Bundle())
	c := bundled[0]
	for _, lang := range c.Languages {
		r := e.get(t, "/courses/"+basics+"/lessons/"+c.Lessons[0].ID+"?lang="+lang)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", lang, r.StatusCode)
		}
		d := r.doc(t)
		if got := d.Find("article h1").Text(); got != c.Lessons[0].Title[lang] {
			t.Errorf("%s: lesson title %q", lang, got)
		}
		if d.Find(".note:not(.review)").Length() != 0 {
			t.Errorf("%s: a translated lesson shows a fallback note", lang)
		}
		img := d.Find("article img")
		if img.Length() == 0 {
			t.Fatalf("%s: the first lesson has no image", lang)
		}
		src, _ := img.Attr("src")
		alt, _ := img.Attr("alt")
		if !strings.HasPrefix(src, "/media/") || strings.TrimSpace(alt) == "" {
			t.Errorf("%s: img src=%q alt=%q", lang, src, alt)
		}
		media := e.get(t, src)
		if media.StatusCode != http.StatusOK || media.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(media.body, []byte("<svg")) {
			t.Fatalf("%s: GET %s = %d %q", lang, src, media.StatusCode, media.Header.Get("Content-Type"))
		}
		if cc := media.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("media Cache-Control = %q", cc)
		}
		if again := e.get(t, src, "If-None-Match", media.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation of unchanged media = %d, want 304", again.StatusCode)
		}
	}
}

func TestPagerWalksTheLessons(t *testing.T) {
	e := newEnv(t)
	bundled, _ := courses.LoadAll(courses.Bundle())
	c := bundled[0]
	target := "/courses/" + basics + "/lessons/" + c.Lessons[0].ID
	for i := range c.Lessons {
		d := e.get(t, target+"?lang=fr").doc(t)
		want := e.t("fr", "lesson.position", map[string]any{"Number": i + 1, "Total": len(c.Lessons)})
		if !strings.Contains(d.Find(".crumbs").Text(), want) {
			t.Errorf("lesson %d: crumbs %q lack %q", i, d.Find(".crumbs").Text(), want)
		}
		next, ok := d.Find(`a[rel="next"]`).Attr("href")
		if i == len(c.Lessons)-1 {
			if ok {
				t.Errorf("the last lesson links to a next one: %q", next)
			}
			break
		}
		target = next
	}
}

func TestFallbackNotes(t *testing.T) {
	e := newEnv(t)
	course := e.get(t, "/courses/french-only?lang=bm").doc(t)
	want := e.t("bm", "course.fallback_note", map[string]any{"Language": "Bamanankan"})
	if got := course.Find(".note").Text(); got != want {
		t.Errorf("course note = %q, want %q", got, want)
	}
	if lang, _ := course.Find("h1").Attr("lang"); lang != "fr" {
		t.Errorf("French title in a Bambara page has lang=%q", lang)
	}
	lesson := e.get(t, "/courses/french-only/lessons/only?lang=en").doc(t)
	want = e.t("en", "lesson.fallback_note", map[string]any{"Language": "English", "Fallback": "Français"})
	if got := lesson.Find(".note").Text(); got != want {
		t.Errorf("lesson note = %q, want %q", got, want)
	}
	if lang, _ := lesson.Find("article").Attr("lang"); lang != "fr" {
		t.Errorf("French lesson body has lang=%q", lang)
	}
	if !strings.Contains(lesson.Find("article").Text(), "Seulement en français.") {
		t.Error("the fallback lesson body is missing")
	}
}

func TestNotFoundAndTraversal(t *testing.T) {
	e := newEnv(t)
	targets := []string{
		"/nope",
		"/courses/nope",
		"/courses/" + basics + "/lessons/nope",
		"/courses/" + basics + "/lessons/..%2F..%2Fcourse.yaml",
		"/courses/" + basics + "/lessons/%2e%2e",
		"/courses/..%2Fetc/lessons/x",
		"/courses/" + basics + "/lessons/three-elements/extra",
		"/media/" + strings.Repeat("0", 64),
		"/media/../../etc/passwd",
		"/media/not-a-hash",
		"/static/css/kalan.css",
		"/static/../../go.mod",
		"/COURSES",
	}
	for _, target := range targets {
		r := e.get(t, target, "Accept-Language", "bm")
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, r.StatusCode)
			continue
		}
		d := r.doc(t)
		if got := d.Find("h1").Text(); got != e.t("bm", "error.not_found.title", nil) {
			t.Errorf("GET %s: 404 page heading %q is not the Bambara one", target, got)
		}
		if lang, _ := d.Find("html").Attr("lang"); lang != "bm" {
			t.Errorf("GET %s: 404 page lang=%q", target, lang)
		}
	}
}

func TestCompressionAndRevalidation(t *testing.T) {
	e := newEnv(t)
	target := "/courses/" + basics + "/lessons/indicators?lang=fr"
	plain := e.get(t, target)
	br := e.get(t, target, "Accept-Encoding", "gzip, br")
	if br.Header.Get("Content-Encoding") != "br" {
		t.Fatalf("Content-Encoding = %q", br.Header.Get("Content-Encoding"))
	}
	decoded, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br.body)))
	if err != nil || !bytes.Equal(decoded, plain.body) {
		t.Errorf("brotli body does not decode to the page (%v)", err)
	}
	gz := e.get(t, target, "Accept-Encoding", "gzip, br;q=0")
	zr, err := gzip.NewReader(bytes.NewReader(gz.body))
	if err != nil {
		t.Fatalf("gzip: %v (Content-Encoding %q)", err, gz.Header.Get("Content-Encoding"))
	}
	if decoded, _ := io.ReadAll(zr); !bytes.Equal(decoded, plain.body) {
		t.Error("gzip body does not decode to the page")
	}
	etag := plain.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on a page")
	}
	if r := e.get(t, target, "If-None-Match", etag); r.StatusCode != http.StatusNotModified || len(r.body) != 0 {
		t.Errorf("unchanged page = %d with %d bytes, want an empty 304", r.StatusCode, len(r.body))
	}
	if r := e.get(t, strings.Replace(target, "lang=fr", "lang=en", 1), "If-None-Match", etag); r.StatusCode != http.StatusOK {
		t.Errorf("the same page in another language answered %d to the French ETag", r.StatusCode)
	}
}

func TestStaticAssetsAreFingerprinted(t *testing.T) {
	e := newEnv(t)
	d := e.get(t, "/").doc(t)
	src, _ := d.Find(`script[src]`).Attr("src")
	if !strings.HasPrefix(src, "/static/js/offline.") || src == "/static/js/offline.js" {
		t.Fatalf("script URL %q is not fingerprinted", src)
	}
	r := e.get(t, src)
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET %s = %d %s", src, r.StatusCode, r.Header.Get("Content-Type"))
	}
	if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", cc)
	}
	// Our own files carry no page policy: on 2G every header is paid for.
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Content-Security-Policy") != "" || r.Header.Get("X-Frame-Options") != "" {
		t.Errorf("static file headers: %v", r.Header)
	}
}

// Every page carries its stylesheet (no round trip before the first
// paint on 2G), and the policy allows that stylesheet by its hash and no
// other inline style.
func TestPageStyleIsInlineAndAllowedByHash(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/courses", "/login", "/nope"} {
		r := e.get(t, path)
		d := r.doc(t)
		if n := d.Find(`link[rel="stylesheet"]`).Length(); n != 0 {
			t.Errorf("%s: %d render-blocking stylesheets", path, n)
		}
		style := d.Find("head style")
		if style.Length() != 1 || !strings.Contains(style.Text(), "body{") && !strings.Contains(style.Text(), "body {") {
			t.Fatalf("%s: no inline stylesheet in the head", path)
		}
		// The logo is drawn in the page: as an image it arrived after the
		// first paint and moved the header (Lighthouse, 360 px, CPU ×4).
		if d.Find("header.top img").Length() != 0 || d.Find(`header.top .brand svg[width="24"][height="24"]`).Length() != 1 {
			t.Errorf("%s: the header's logo is not drawn inline at its size", path)
		}
		sum := sha256.Sum256([]byte(style.Text()))
		want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "';"
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q does not allow the page's style (%s)", path, csp, want)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	r := e.get(t, "/")
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
}
